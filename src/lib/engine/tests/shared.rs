//! Look-ups several test modules make the same way: the child's own NS
//! names (Method3, engine spec §1.9) and the servers of Method4 then
//! Method5. They ask through a [`Report`], so the asking module's family
//! messages are emitted, which is why they live here and not in `ZoneV1`.

use std::collections::BTreeSet;

use crate::engine::tests::prelude::*;

/// Method3: the NS names the child's servers (Method5) publish for the
/// zone in their answers, lower-cased, sorted, unique.
pub async fn child_ns_names(ctx: &Context, report: &mut Report) -> Vec<Name> {
    let servers = ctx.zone_v1.child_servers().await;
    let query = Query::new(ctx.zone.clone(), RecordType::NS);
    let asked = ctx.ask_each(report, servers, &query).await;
    let names: BTreeSet<Name> = asked
        .replies()
        .flat_map(|(_, packet)| Packet::records(&packet.answer, &ctx.zone, RecordType::NS))
        .filter_map(|record| match &record.data {
            RData::NS(ns) => Some(ns.0.to_lowercase()),
            _ => None,
        })
        .collect();
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
