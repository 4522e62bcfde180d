//! DELEGATION02: no two name server names share an IP address, among the
//! delegation's servers (Method4), the child's (Method5), and both
//! together (engine spec §3.5).

use std::collections::{BTreeMap, BTreeSet};

use super::shared::name_list;
use crate::engine::tags::Tag;
use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn delegation02(ctx: &Context, report: &mut Report) {
    let delegation = ctx.zone_v1.delegation_servers().await;
    let child = ctx.zone_v1.child_servers().await;
    let all = ctx.zone_v1.all_servers().await;
    check(
        report,
        delegation,
        &tag::DEL_NS_SAME_IP,
        &tag::DEL_DISTINCT_NS_IP,
    );
    check(
        report,
        child,
        &tag::CHILD_NS_SAME_IP,
        &tag::CHILD_DISTINCT_NS_IP,
    );
    check(
        report,
        &all,
        &tag::SAME_IP_ADDRESS,
        &tag::DISTINCT_IP_ADDRESS,
    );
}

/// One pass: each address used by several names (in address order), or
/// distinct addresses when the pass had servers.
fn check(report: &mut Report, servers: &[Ns], same: &'static Tag, distinct: &'static Tag) {
    let mut names_of: BTreeMap<IpAddr, BTreeSet<&Name>> = BTreeMap::new();
    for server in servers {
        names_of
            .entry(server.address)
            .or_default()
            .insert(&server.name);
    }
    let mut is_distinct = true;
    for (address, names) in names_of.into_iter().filter(|(_, names)| names.len() > 1) {
        is_distinct = false;
        report.emit(same, args![nsname_list = name_list(names), ns_ip = address]);
    }
    if is_distinct && !servers.is_empty() {
        report.emit(distinct, args![]);
    }
}
