//! NAMESERVER06: the name servers' names resolve (engine spec §3.7). The
//! names of the delegation and of the zone's own NS records (Method2 and
//! Method3) against the names that have servers (Method4and5).

use std::collections::BTreeSet;

use super::shared::servers;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver06(ctx: &Context, report: &mut Report) {
    let mut names: BTreeSet<String> = ctx
        .zone_v1
        .delegation_names()
        .await
        .iter()
        .map(display)
        .collect();
    names.extend(child_ns_names(ctx, report).await.iter().map(display));
    let resolved: BTreeSet<String> = servers(ctx)
        .await
        .iter()
        .map(|server| display(&server.name))
        .collect();
    let unresolved: Vec<&str> = names
        .iter()
        .filter(|name| !resolved.contains(*name))
        .map(String::as_str)
        .collect();
    if resolved.is_empty() {
        let all: Vec<&str> = names.iter().map(String::as_str).collect();
        report.emit(&tag::NO_RESOLUTION, args![names = all.join(",")]);
    } else if !unresolved.is_empty() {
        report.emit(
            &tag::CAN_NOT_BE_RESOLVED,
            args![nsname_list = unresolved.join(";")],
        );
    } else {
        report.emit(&tag::CAN_BE_RESOLVED, args![]);
    }
}
