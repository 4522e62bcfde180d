//! What a test case needs, in one `use`:
//! `use crate::engine::tests::prelude::*;`.

pub use std::net::IpAddr;

pub use hickory_proto::rr::{Name, RData, Record, RecordType};

pub use crate::args;
pub use crate::dns::{Outcome, Packet, Query, Rcode};
pub use crate::engine::ask::Asked;
pub use crate::engine::context::Context;
pub use crate::engine::message::Report;
pub use crate::engine::name::display;
pub use crate::engine::ns::Ns;
pub use crate::engine::tests::shared::{
    child_ns_names, delegation_then_child_servers, methods_v2_servers, ns_ip_list, one_per_address,
};

/// Servers as one `ns_list` argument: `name/address` labels, sorted,
/// without repeats, joined with `;` (engine spec §1.13, "ns_list").
pub fn ns_list<'a>(servers: impl IntoIterator<Item = &'a Ns>) -> String {
    let mut labels: Vec<String> = servers.into_iter().map(Ns::label).collect();
    labels.sort();
    labels.dedup();
    labels.join(";")
}
