//! CONSISTENCY04: every name server serves the same NS set (engine spec
//! §3.4). A server's set is its NS targets for the zone, lower case,
//! sorted, joined by `;`.

use super::shared::{by_value, zone_records_of_each};
use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn consistency04(ctx: &Context, report: &mut Report) {
    let found = zone_records_of_each(ctx, report, RecordType::NS, &tag::NO_RESPONSE_NS_QUERY).await;
    let sets = by_value(
        found
            .into_iter()
            .map(|(ns, records)| (ns, ns_set(&records))),
    );
    if let (1, Some((set, _))) = (sets.len(), sets.first_key_value()) {
        report.emit(&tag::ONE_NS_SET, args![nsname_list = set]);
        return;
    }
    if sets.is_empty() {
        return;
    }
    report.emit(&tag::MULTIPLE_NS_SET, args![count = sets.len()]);
    for (set, servers) in &sets {
        report.emit(
            &tag::NS_SET,
            args![nsname_list = set, servers = ns_list(servers)],
        );
    }
}

/// The NS targets of `records`, lower case, sorted, unique, joined by `;`.
fn ns_set(records: &[Record]) -> String {
    let mut names: Vec<String> = records
        .iter()
        .filter_map(|record| match &record.data {
            RData::NS(ns) => Some(display(&ns.0)),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names.join(";")
}
