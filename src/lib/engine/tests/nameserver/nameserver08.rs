//! NAMESERVER08: the server keeps the case of the query name (engine spec
//! §3.7). SOA for `www.<zone>` spelt with random case (never the
//! original spelling); the question of the reply should be spelt the
//! same, byte for byte.
//!
//! The spellings are pseudo-random, seeded from the zone's name
//! ([`super::shared::case_rng`]), so that a replay asks what was recorded.

use super::shared::{case_rng, mixed_case, servers, spelt_name, www_text};
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver08(ctx: &Context, report: &mut Report) {
    let spelt = mixed_case(&www_text(&ctx.zone), &[], &mut case_rng(&ctx.zone));
    let Some(name) = spelt_name(&spelt) else {
        return;
    };
    let servers = servers(ctx).await;
    let query = Query::new(name.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, &servers, &query).await;
    for (server, packet) in asked.replies() {
        let Some(question) = packet.question.first() else {
            continue;
        };
        let found = if question.name().iter().eq(name.iter()) {
            &tag::QNAME_CASE_SENSITIVE
        } else {
            &tag::QNAME_CASE_INSENSITIVE
        };
        report.emit(found, args![ns = server, domain = spelt.as_str()]);
    }
}
