//! Look-ups several test modules make the same way: the child's own NS
//! names (Method3, engine spec §1.9) and the servers of Method4 then
//! Method5. They ask through a [`Report`], so the asking module's family
//! messages are emitted, which is why they live here and not in `ZoneV1`.

use std::collections::BTreeSet;

use crate::engine::methods::NsAddress;
use crate::engine::tests::prelude::*;

/// Method3: the NS names the child's servers (Method5) publish for the
/// zone in their answers, lower-cased, sorted, unique.
pub async fn child_ns_names(ctx: &Context, report: &mut Report) -> Vec<Name> {
    let servers = ctx.zone_v1.child_servers().await;
    let query = Query::new(ctx.zone.clone(), RecordType::NS);
    let asked = ctx.ask_each(report, servers, &query).await;
    let mut names = BTreeSet::new();
    for (_, packet) in asked.replies() {
        let records = Packet::records(&packet.answer, &ctx.zone, RecordType::NS);
        names.extend(records.filter_map(|record| match &record.data {
            RData::NS(ns) => Some(ns.0.to_lowercase()),
            _ => None,
        }));
    }
    names.into_iter().collect()
}

/// Method4 servers, then the Method5 servers not among them: each
/// `name/ip` once, in that order.
pub async fn delegation_then_child_servers(ctx: &Context) -> Vec<Ns> {
    let mut servers = ctx.zone_v1.delegation_servers().await.to_vec();
    for server in ctx.zone_v1.child_servers().await {
        if !servers.contains(server) {
            servers.push(server.clone());
        }
    }
    servers
}

/// The first server of each address, in the order given: a server with
/// two names is asked once (ZONE09, ZONE11, DNSSEC).
pub fn one_per_address(servers: &[Ns]) -> Vec<Ns> {
    let mut seen = BTreeSet::new();
    servers
        .iter()
        .filter(|server| seen.insert(server.address))
        .cloned()
        .collect()
}

/// Addresses joined with `;`, sorted as text (as `ns_list` is) and
/// without repeats (`ns_ip_list`).
pub fn ns_ip_list<'a>(addresses: impl IntoIterator<Item = &'a IpAddr>) -> String {
    let addresses: BTreeSet<String> = addresses.into_iter().map(ToString::to_string).collect();
    addresses.into_iter().collect::<Vec<_>>().join(";")
}

/// MethodsV2's servers: the delegation's then the zone's, those with an
/// address, each address once (the first server seen for it).
pub async fn methods_v2_servers(ctx: &Context) -> Vec<Ns> {
    let (delegation, zone) =
        crate::dns::chain::join(ctx.methods.del_ns(), ctx.methods.zone_ns()).await;
    let delegation = delegation.unwrap_or_default();
    let zone = zone.unwrap_or_default();
    let servers: Vec<Ns> = delegation
        .iter()
        .chain(zone)
        .filter_map(NsAddress::server)
        .collect();
    one_per_address(&servers)
}
