//! DNSSEC06: servers add the RRSIGs to a DNSKEY answer when DO is set
//! (engine spec §3.6, RFC 4035 §3.1.1).
//!
//! Every child server (Method5) is asked; `server` is the address the
//! reply came from, the counts are the DNSKEY and RRSIG records of the
//! answer section, whatever their owner.

use super::shared::dnssec_query;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec06(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.child_servers().await;
    let query = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, servers, &query).await;
    for (_, outcome) in asked.outcomes() {
        let Some(response) = outcome.response() else {
            continue;
        };
        let packet = response.packet();
        let answer = &packet.answer;
        let keys = count_of(answer, RecordType::DNSKEY);
        let sigs = count_of(answer, RecordType::RRSIG);
        let found = if keys > 0 && sigs > 0 {
            &tag::EXTRA_PROCESSING_OK
        } else if packet.rcode == Rcode::NOERROR {
            &tag::EXTRA_PROCESSING_BROKEN
        } else {
            continue;
        };
        let server = response.from.ip();
        report.emit(found, args![server = server, keys = keys, sigs = sigs]);
    }
}

/// The records of `rtype` in `section`.
fn count_of(section: &[Record], rtype: RecordType) -> usize {
    section
        .iter()
        .filter(|record| record.record_type() == rtype)
        .count()
}
