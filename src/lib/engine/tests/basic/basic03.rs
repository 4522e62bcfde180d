//! BASIC03: the "broken but functional" check (engine spec §3.1), run only
//! when no server answered the SOA: do the servers answer for `www`?

use crate::engine::tags::basic as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn basic03(ctx: &Context, report: &mut Report) {
    let Ok(www) = ctx.zone.prepend_label("www") else {
        return;
    };
    let servers = ctx.zone_v1.delegation_servers().await;
    let query = Query::new(www.clone(), RecordType::A);
    let asked = ctx.ask_each(report, servers, &query).await;
    for (ns, packet) in asked.replies() {
        let has_a = packet
            .answer
            .iter()
            .any(|r| r.record_type() == RecordType::A && r.name.eq_ignore_root(&www));
        let found = if has_a {
            &tag::HAS_A_RECORDS
        } else {
            &tag::NO_A_RECORDS
        };
        report.emit(found, args![ns = ns, domain = www]);
    }
    if !servers.is_empty() && asked.replies().next().is_none() {
        report.emit(&tag::A_QUERY_NO_RESPONSES, args![]);
    }
}
