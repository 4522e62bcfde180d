//! ZONE10: every server answers the zone's SOA query with exactly one
//! SOA, the zone's own (engine spec §3.9).
//!
//! `WRONG_SOA` gives the owner and the zone as lower-case FQDNs, final
//! dot included, as the spec says of this tag.
//!
//! `ONE_SOA` says "nothing else was found": it follows only when this
//! test case emitted nothing else, the family messages included.

use crate::dns::name_to_text;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone10(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.all_servers().await;
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, &servers, &query).await;
    for (ns, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::NO_RESPONSE, args![ns = ns]);
            continue;
        };
        let soas: Vec<&Record> = packet.answers_of(RecordType::SOA).collect();
        match soas.as_slice() {
            [] => report.emit(&tag::NO_SOA_IN_RESPONSE, args![ns = ns]),
            [soa] if !soa.name.eq_ignore_root(&ctx.zone) => report.emit(
                &tag::WRONG_SOA,
                args![ns = ns, owner = fqdn(&soa.name), name = fqdn(&ctx.zone)],
            ),
            [_] => {}
            several => report.emit(&tag::MULTIPLE_SOA, args![ns = ns, count = several.len()]),
        }
    }
    let has_findings = report
        .messages()
        .iter()
        .any(|message| message.tag != &tag::TEST_CASE_START);
    if !has_findings {
        report.emit(&tag::ONE_SOA, args![]);
    }
}

/// `name` in lower case with its final dot.
fn fqdn(name: &Name) -> String {
    name_to_text(&name.to_lowercase())
}
