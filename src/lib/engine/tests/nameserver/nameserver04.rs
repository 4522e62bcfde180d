//! NAMESERVER04: replies come from the address asked (engine spec
//! §3.7). The SOA probe accepts a reply from anywhere
//! (`accepts_other_source`) so that the address it came from can be
//! reported instead of the query timing out.

use super::shared::{has_findings, servers};
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver04(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let query = Query::new(ctx.zone.clone(), RecordType::SOA).from_any_source();
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut tested = Vec::new();
    for (server, outcome) in asked.outcomes() {
        tested.push(server.label());
        let Some(response) = outcome.response() else {
            continue;
        };
        let source = response.from.ip().to_canonical();
        if source != server.address.to_canonical() {
            report.emit(
                &tag::DIFFERENT_SOURCE_IP,
                args![ns = server, source = source],
            );
        }
    }
    if !tested.is_empty() && !has_findings(report) {
        tested.sort();
        tested.dedup();
        report.emit(&tag::SAME_SOURCE_IP, args![names = tested.join(",")]);
    }
}
