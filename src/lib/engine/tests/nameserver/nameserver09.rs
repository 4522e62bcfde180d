//! NAMESERVER09: answers do not depend on the case of the query name
//! (engine spec §3.7). SOA for two different random spellings of
//! `www.<zone>`, asked one after the other; the answers (lower-cased,
//! sorted) or, without answers, the RCODEs must agree.
//!
//! The spellings are pseudo-random, seeded from the zone's name
//! ([`super::shared::case_rng`]), so that a replay asks what was recorded.

use super::shared::{case_rng, mixed_case, servers, spelt_name, www_text};
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The record type asked, as the messages name it.
const TYPE: &str = "SOA";

/// The test case.
pub async fn nameserver09(ctx: &Context, report: &mut Report) {
    let original = www_text(&ctx.zone);
    let (query1, query2) = {
        let mut rng = case_rng(&ctx.zone);
        let query1 = mixed_case(&original, &[], &mut rng);
        let query2 = mixed_case(&original, &[&query1], &mut rng);
        (query1, query2)
    };
    let (Some(name1), Some(name2)) = (spelt_name(&query1), spelt_name(&query2)) else {
        return;
    };
    let servers = servers(ctx).await;
    let first = ctx
        .ask_each(report, &servers, &Query::new(name1, RecordType::SOA))
        .await;
    let second = ctx
        .ask_each(report, &servers, &Query::new(name2, RecordType::SOA))
        .await;
    let mut differ = false;
    for ((server, outcome1), (_, outcome2)) in first.outcomes().zip(second.outcomes()) {
        let (reply1, reply2) = (outcome1.packet(), outcome2.packet());
        let (query1, query2) = (query1.as_str(), query2.as_str());
        match (&reply1, &reply2) {
            (Some(packet1), _) if !packet1.answer.is_empty() => {
                let answer2 = reply2.as_deref().map(answer_text).unwrap_or_default();
                if answer_text(packet1) == answer2 {
                    report.emit(
                        &tag::CASE_QUERY_SAME_ANSWER,
                        args![ns = server, type = TYPE, query1 = query1, query2 = query2],
                    );
                } else {
                    differ = true;
                    report.emit(
                        &tag::CASE_QUERY_DIFFERENT_ANSWER,
                        args![ns = server, type = TYPE, query1 = query1, query2 = query2],
                    );
                }
            }
            (Some(packet1), Some(packet2)) if packet1.rcode == packet2.rcode => report.emit(
                &tag::CASE_QUERY_SAME_RC,
                args![
                    ns = server,
                    type = TYPE,
                    query1 = query1,
                    query2 = query2,
                    rcode = packet1.rcode.mnemonic()
                ],
            ),
            (Some(packet1), Some(packet2)) => {
                differ = true;
                report.emit(
                    &tag::CASE_QUERY_DIFFERENT_RC,
                    args![
                        ns = server,
                        type = TYPE,
                        query1 = query1,
                        query2 = query2,
                        rcode1 = packet1.rcode.mnemonic(),
                        rcode2 = packet2.rcode.mnemonic()
                    ],
                );
            }
            (Some(_), None) | (None, Some(_)) => {
                differ = true;
                let domain = if reply1.is_some() { query1 } else { query2 };
                report.emit(
                    &tag::CASE_QUERY_NO_ANSWER,
                    args![ns = server, type = TYPE, domain = domain],
                );
            }
            (None, None) => {}
        }
    }
    let summary = if differ {
        &tag::CASE_QUERIES_RESULTS_DIFFER
    } else {
        &tag::CASE_QUERIES_RESULTS_OK
    };
    report.emit(summary, args![type = TYPE, domain = original.as_str()]);
}

/// The answer section as comparable text: each record lower-cased, sorted;
/// empty for an empty section.
fn answer_text(packet: &Packet) -> Vec<String> {
    let mut records: Vec<String> = packet
        .answer
        .iter()
        .map(|record| record.to_string().to_ascii_lowercase())
        .collect();
    records.sort();
    records
}
