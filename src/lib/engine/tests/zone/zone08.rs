//! ZONE08: no mail exchange of the zone is a CNAME alias (engine spec
//! §3.9, RFC 2181 §10.3).
//!
//! Both questions go through the zone helper `query_auth` (spec §1.9):
//! the child's servers in turn until the first authoritative reply, as
//! the reference asks them, so a zone whose first server answers costs
//! one CNAME question per exchange, not one per server; the walks for
//! the several exchanges go side by side. An exchange no child server
//! answers for with authority (one outside the zone, the root of a null
//! MX) is not judged.

use std::sync::Arc;

use super::shared::records_anywhere;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone08(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.child_servers().await;
    let mx = [(servers, Query::new(ctx.zone.clone(), RecordType::MX))];
    let Some(Some(reply)) = query_auth(ctx, report, &mx).await.pop() else {
        report.emit(&tag::NO_RESPONSE_MX_QUERY, args![]);
        return;
    };
    let exchanges: Vec<Name> = records_anywhere(&reply, &ctx.zone, RecordType::MX)
        .filter_map(|record| match &record.data {
            RData::MX(mx) => Some(mx.exchange.clone()),
            _ => None,
        })
        .collect();
    let questions: Vec<(&[Ns], Query)> = exchanges
        .iter()
        .map(|exchange| (servers, Query::new(exchange.clone(), RecordType::CNAME)))
        .collect();
    let replies = query_auth(ctx, report, &questions).await;
    for (exchange, reply) in exchanges.iter().zip(replies) {
        let Some(reply) = reply else {
            continue;
        };
        let is_alias = records_anywhere(&reply, exchange, RecordType::CNAME)
            .next()
            .is_some();
        let found = if is_alias {
            &tag::MX_RECORD_IS_CNAME
        } else {
            &tag::MX_RECORD_IS_NOT_CNAME
        };
        report.emit(found, args![]);
    }
}

/// `query_auth` for each question: the first reply with AA set from its
/// servers (Method5, in order), asked in turn.
async fn query_auth(
    ctx: &Context,
    report: &mut Report,
    questions: &[(&[Ns], Query)],
) -> Vec<Option<Arc<Packet>>> {
    let is_authoritative = |outcome: &Outcome| outcome.packet().is_some_and(|packet| packet.aa);
    ctx.ask_in_turn_each_of(report, questions, is_authoritative)
        .await
        .into_iter()
        .map(|settled| settled.and_then(|(_, outcome)| outcome.packet()))
        .collect()
}
