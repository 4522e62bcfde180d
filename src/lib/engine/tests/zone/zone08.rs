//! ZONE08: no mail exchange of the zone is a CNAME alias (engine spec
//! §3.9, RFC 2181 §10.3).
//!
//! Both questions go through the zone helper `query_auth` (spec §1.9):
//! the first authoritative reply among the child's servers; the CNAME
//! questions for every exchange are asked at once. An exchange
//! no child server answers for with authority (one outside the zone, the
//! root of a null MX) is not judged.

use super::shared::records_anywhere;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone08(ctx: &Context, report: &mut Report) {
    let Some(reply) = query_auth(ctx, report, &ctx.zone, RecordType::MX).await else {
        report.emit(&tag::NO_RESPONSE_MX_QUERY, args![]);
        return;
    };
    let exchanges: Vec<Name> = records_anywhere(&reply, &ctx.zone, RecordType::MX)
        .filter_map(|record| match &record.data {
            RData::MX(mx) => Some(mx.exchange.clone()),
            _ => None,
        })
        .collect();
    let servers = ctx.zone_v1.child_servers().await;
    let questions: Vec<(&[Ns], Query)> = exchanges
        .iter()
        .map(|exchange| (servers, Query::new(exchange.clone(), RecordType::CNAME)))
        .collect();
    let asked = ctx.ask_each_of(report, &questions).await;
    let replies = asked.iter().map(first_authoritative);
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

/// `query_auth`: the first authoritative reply among the child's servers
/// (Method5, in order) to `name`/`rtype`; all are asked at once.
async fn query_auth(
    ctx: &Context,
    report: &mut Report,
    name: &Name,
    rtype: RecordType,
) -> Option<Packet> {
    let servers = ctx.zone_v1.child_servers().await;
    let asked = ctx
        .ask_each(report, servers, &Query::new(name.clone(), rtype))
        .await;
    first_authoritative(&asked)
}

fn first_authoritative(asked: &Asked) -> Option<Packet> {
    asked
        .replies()
        .find(|(_, packet)| packet.aa)
        .map(|(_, packet)| packet.clone())
}
