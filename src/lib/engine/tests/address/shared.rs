//! What ADDRESS02 and ADDRESS03 share: one server per address, and the
//! recursive PTR look-up of an address's reverse name.

use crate::engine::tags::address as tag;
use crate::engine::tests::prelude::*;

/// The servers to examine, one per address: the first server in the
/// list's order that has it; each address is looked up once and reported
/// under that server's name.
pub fn one_per_address(servers: &[Ns]) -> Vec<&Ns> {
    let mut chosen: Vec<&Ns> = Vec::new();
    for server in servers {
        if chosen.iter().all(|seen| seen.address != server.address) {
            chosen.push(server);
        }
    }
    chosen
}

/// What the reverse DNS of one address gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reverse {
    /// The look-up of this name got no reply.
    NoResponse(Name),
    /// A reply other than NOERROR, or no PTR record in its answer.
    Missing,
    /// The PTR targets of the answer, lower-cased, in order.
    Names(Vec<Name>),
}

/// Whether a CNAME in the first reply is followed with a new look-up of
/// its target (ADDRESS02: classless delegation, RFC 2317).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cname {
    /// Follow the first CNAME target of a NOERROR answer.
    Follow,
    /// Take the first reply as it is.
    Ignore,
}

/// The reverse DNS of every address, each looked up recursively, all at
/// once; results in the order of `servers`.
pub async fn reverse_of_each(ctx: &Context, servers: &[&Ns], cname: Cname) -> Vec<Reverse> {
    let lookups = servers
        .iter()
        .map(|server| reverse_of(ctx, server.address, cname));
    crate::dns::chain::join_all(lookups).await
}

/// The reverse DNS of `address`.
async fn reverse_of(ctx: &Context, address: IpAddr, cname: Cname) -> Reverse {
    let reverse = Name::from(address);
    let resolution = ctx.recursor.recurse(&reverse, RecordType::PTR).await;
    let Some(packet) = resolution.packet() else {
        return Reverse::NoResponse(reverse);
    };
    let target = first_cname_target(packet).filter(|_| cname == Cname::Follow);
    let Some(target) = target else {
        return ptr_names(packet);
    };
    let followed = ctx.recursor.recurse(&target, RecordType::PTR).await;
    match followed.packet() {
        Some(packet) => ptr_names(packet),
        None => Reverse::NoResponse(target),
    }
}

/// The target of the first CNAME in a NOERROR answer.
fn first_cname_target(packet: &Packet) -> Option<Name> {
    if packet.rcode != Rcode::NOERROR {
        return None;
    }
    packet
        .answers_of(RecordType::CNAME)
        .find_map(|record| match &record.data {
            RData::CNAME(cname) => Some(cname.0.clone()),
            _ => None,
        })
}

/// The PTR targets in the answer of a NOERROR reply.
fn ptr_names(packet: &Packet) -> Reverse {
    if packet.rcode != Rcode::NOERROR {
        return Reverse::Missing;
    }
    let names: Vec<Name> = packet
        .answers_of(RecordType::PTR)
        .filter_map(|record| match &record.data {
            RData::PTR(ptr) => Some(ptr.0.to_lowercase()),
            _ => None,
        })
        .collect();
    if names.is_empty() {
        Reverse::Missing
    } else {
        Reverse::Names(names)
    }
}

/// Emits what ADDRESS02 and ADDRESS03 both say of an address whose
/// reverse look-up gave no names (no reply, or no PTR); true when it did.
pub fn report_no_reverse(report: &mut Report, server: &Ns, reverse: &Reverse) -> bool {
    match reverse {
        Reverse::NoResponse(domain) => {
            report.emit(&tag::NO_RESPONSE_PTR_QUERY, args![domain = domain]);
        }
        Reverse::Missing => report.emit(
            &tag::NAMESERVER_IP_WITHOUT_REVERSE,
            args![nsname = server.name, ns_ip = server.address],
        ),
        Reverse::Names(_) => return false,
    }
    true
}
