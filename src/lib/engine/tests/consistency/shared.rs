//! What CONSISTENCY01–04 and 06 share (engine spec §3.4): one question to
//! the delegation's servers (Method4) and then the child's (Method5),
//! each `name/ip` once, and the grouping of servers by what they said.

use std::collections::BTreeMap;

use hickory_proto::rr::rdata::SOA;

use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// Asks every server ([`delegation_then_child_servers`]) for `rtype` of the zone at once and
/// returns, per server that has some, its records of `rtype` owned by the
/// zone (any section). A silent server gets `NO_RESPONSE`, one without
/// such records `missing` (`NO_RESPONSE_SOA_QUERY`, `NO_RESPONSE_NS_QUERY`).
pub async fn zone_records_of_each(
    ctx: &Context,
    report: &mut Report,
    rtype: RecordType,
    missing: &'static crate::engine::tags::Tag,
) -> Vec<(Ns, Vec<Record>)> {
    let servers = delegation_then_child_servers(ctx).await;
    let query = Query::new(ctx.zone.clone(), rtype);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut found = Vec::new();
    for (ns, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::NO_RESPONSE, args![ns = ns]);
            continue;
        };
        let records: Vec<Record> = [&packet.answer, &packet.authority, &packet.additional]
            .into_iter()
            .flat_map(|section| Packet::records(section, &ctx.zone, rtype))
            .cloned()
            .collect();
        if records.is_empty() {
            report.emit(missing, args![ns = ns]);
            continue;
        }
        found.push((ns.clone(), records));
    }
    found
}

/// The zone's SOA as each server serves it (the first one it gives),
/// servers without one reported as [`zone_records_of_each`] says.
pub async fn soa_of_each(ctx: &Context, report: &mut Report) -> Vec<(Ns, SOA)> {
    let found =
        zone_records_of_each(ctx, report, RecordType::SOA, &tag::NO_RESPONSE_SOA_QUERY).await;
    found
        .into_iter()
        .filter_map(|(ns, records)| {
            let soa = records.iter().find_map(|record| match &record.data {
                RData::SOA(soa) => Some(soa.clone()),
                _ => None,
            })?;
            Some((ns, soa))
        })
        .collect()
}

/// The servers grouped by the value each gave, values in order.
pub fn by_value<K: Ord>(pairs: impl IntoIterator<Item = (Ns, K)>) -> BTreeMap<K, Vec<Ns>> {
    let mut groups: BTreeMap<K, Vec<Ns>> = BTreeMap::new();
    for (ns, value) in pairs {
        groups.entry(value).or_default().push(ns);
    }
    groups
}
