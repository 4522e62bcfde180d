//! DELEGATION04: every name server answers authoritatively for the zone's
//! SOA, over UDP and over TCP (engine spec §3.5). Both questions go to
//! every server (Method4, then Method5, each `name/ip` once) at once.

use super::shared::name_list;
use crate::dns::Protocol;
use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn delegation04(ctx: &Context, report: &mut Report) {
    let servers = delegation_then_child_servers(ctx).await;
    let soa = Query::new(ctx.zone.clone(), RecordType::SOA);
    let questions = [
        (servers.as_slice(), soa.clone().over(Protocol::Udp)),
        (servers.as_slice(), soa.over(Protocol::Tcp)),
    ];
    let asked = ctx.ask_each_of(report, &questions).await;
    let mut is_clean = asked.iter().all(|a| a.outcomes().count() == servers.len());
    let mut is_any_authoritative = false;
    for (answers, proto) in asked.iter().zip(["UDP", "TCP"]) {
        for (ns, packet) in answers.replies() {
            if packet.aa {
                is_any_authoritative = true;
            } else {
                is_clean = false;
                report.emit(&tag::IS_NOT_AUTHORITATIVE, args![ns = ns, proto = proto]);
            }
        }
    }
    if !servers.is_empty() && is_clean && is_any_authoritative {
        let names = name_list(servers.iter().map(|server| &server.name));
        report.emit(&tag::ARE_AUTHORITATIVE, args![nsname_list = names]);
    }
}
