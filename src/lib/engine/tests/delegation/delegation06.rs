//! DELEGATION06: every name server serves the zone's SOA (engine spec
//! §3.5). One question to every server (Method4, then Method5, each
//! `name/ip` once) at once.

use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn delegation06(ctx: &Context, report: &mut Report) {
    let servers = delegation_then_child_servers(ctx).await;
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut is_clean = asked.outcomes().count() == servers.len();
    for (ns, packet) in asked.replies() {
        let has_soa = packet.answers_of(RecordType::SOA).next().is_some();
        if packet.rcode == Rcode::NOERROR && !has_soa {
            is_clean = false;
            report.emit(&tag::SOA_NOT_EXISTS, args![ns = ns]);
        }
    }
    if !servers.is_empty() && is_clean {
        report.emit(&tag::SOA_EXISTS, args![]);
    }
}
