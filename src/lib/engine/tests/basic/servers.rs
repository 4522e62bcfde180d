//! What every Basic test case does before asking a server: check its IP
//! family and say so (`IPV4_ENABLED` / `IPV6_DISABLED` …, DEBUG).

use std::net::IpAddr;

use crate::args;
use crate::engine::context::Context;
use crate::engine::message::Report;
use crate::engine::tags::basic as tag;
use crate::engine::zone::Ns;

/// True when `ns` may be asked; emits the family message for `rrtype`.
pub fn may_ask(ctx: &Context, report: &mut Report<'_>, ns: &Ns, rrtype: &str) -> bool {
    let allowed = ctx.families.allows(ns.address);
    let message = match (ns.address, allowed) {
        (IpAddr::V4(_), true) => &tag::IPV4_ENABLED,
        (IpAddr::V4(_), false) => &tag::IPV4_DISABLED,
        (IpAddr::V6(_), true) => &tag::IPV6_ENABLED,
        (IpAddr::V6(_), false) => &tag::IPV6_DISABLED,
    };
    report.emit(message, args![ns = ns.label(), rrtype = rrtype]);
    allowed
}

/// `name/ip` labels joined with `;`, sorted.
pub fn ns_list<'a>(servers: impl IntoIterator<Item = &'a Ns>) -> String {
    let mut labels: Vec<String> = servers.into_iter().map(Ns::label).collect();
    labels.sort();
    labels.dedup();
    labels.join(";")
}
