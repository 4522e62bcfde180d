//! What the Delegation test cases share (engine spec §1.9): Method3 (the
//! NS names the child's own servers publish), the Method4-then-Method5
//! server list and the `;`-joined name lists of the messages.

use std::collections::BTreeSet;

use crate::engine::tests::prelude::*;

/// Method3: NS for the zone asked of every Method5 server at once; the
/// union of the NS targets owned by the zone in their answers,
/// lower-cased, sorted, unique.
pub async fn child_names(ctx: &Context, report: &mut Report) -> Vec<Name> {
    let query = Query::new(ctx.zone.clone(), RecordType::NS);
    let servers = ctx.zone_v1.child_servers().await;
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
/// `name/ip` once.
pub async fn servers(ctx: &Context) -> Vec<Ns> {
    let mut servers = ctx.zone_v1.delegation_servers().await.to_vec();
    for server in ctx.zone_v1.child_servers().await {
        if !servers.contains(server) {
            servers.push(server.clone());
        }
    }
    servers
}

/// Names as one `nsname_list`-style argument: displayed, sorted, unique,
/// joined with `;`.
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a Name>) -> String {
    let names: BTreeSet<String> = names.into_iter().map(display).collect();
    names.into_iter().collect::<Vec<_>>().join(";")
}
