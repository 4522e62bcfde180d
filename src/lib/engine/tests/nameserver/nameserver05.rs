//! NAMESERVER05: AAAA queries are answered properly (engine spec §3.7).
//! A server that answers A for the zone must answer AAAA too: not drop
//! it, not refuse it, and give 16-octet addresses.

use super::shared::servers;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The length of an AAAA record's rdata (RFC 3596 §2.2).
const AAAA_LENGTH: usize = 16;

/// The test case.
pub async fn nameserver05(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let a_query = Query::new(ctx.zone.clone(), RecordType::A);
    let asked = ctx.ask_each(report, &servers, &a_query).await;
    let mut tested = Vec::new();
    let mut answering = Vec::new();
    for (server, outcome) in asked.outcomes() {
        tested.push(server.clone());
        match outcome.packet() {
            None => report.emit(&tag::NO_RESPONSE, args![ns = server, domain = ctx.zone]),
            Some(packet) if packet.rcode != Rcode::NOERROR => report.emit(
                &tag::A_UNEXPECTED_RCODE,
                args![ns = server, rcode = packet.rcode.mnemonic()],
            ),
            Some(_) => answering.push(server.clone()),
        }
    }
    let aaaa_query = Query::new(ctx.zone.clone(), RecordType::AAAA);
    let asked = ctx.ask_each(report, &answering, &aaaa_query).await;
    let mut valid = 0;
    let mut has_problem = false;
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::AAAA_QUERY_DROPPED, args![ns = server]);
            has_problem = true;
            continue;
        };
        if packet.rcode != Rcode::NOERROR {
            report.emit(
                &tag::AAAA_UNEXPECTED_RCODE,
                args![ns = server, rcode = packet.rcode.mnemonic()],
            );
            has_problem = true;
            continue;
        }
        for record in packet.answers_of(RecordType::AAAA) {
            let length = rdata_length(&record.data);
            if length == AAAA_LENGTH {
                valid += 1;
            } else {
                report.emit(&tag::AAAA_BAD_RDATA, args![ns = server, length = length]);
                has_problem = true;
            }
        }
    }
    if valid > 0 && !has_problem {
        report.emit(&tag::AAAA_WELL_PROCESSED, args![ns_list = ns_list(&tested)]);
    }
}

/// The rdata length of an AAAA record as received: 16 when it decoded,
/// the raw length when it was kept undecoded.
fn rdata_length(data: &RData) -> usize {
    match data {
        RData::AAAA(_) => AAAA_LENGTH,
        RData::Unknown { rdata, .. } => rdata.anything.len(),
        _ => 0,
    }
}
