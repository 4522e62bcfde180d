//! DELEGATION07: the NS names the parent publishes (Method2) and those the
//! child publishes (Method3) are the same (engine spec §3.5).

use std::collections::BTreeSet;

use super::shared::name_list;
use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn delegation07(ctx: &Context, report: &mut Report) {
    let parent: BTreeSet<Name> = ctx
        .zone_v1
        .delegation_names()
        .await
        .iter()
        .cloned()
        .collect();
    let child: BTreeSet<Name> = child_ns_names(ctx, report).await.into_iter().collect();
    let parent_only: Vec<&Name> = parent.difference(&child).collect();
    let child_only: Vec<&Name> = child.difference(&parent).collect();
    if parent == child {
        report.emit(&tag::NAMES_MATCH, args![names = name_list(&parent)]);
        return;
    }
    // Each difference is reported on its own; no name in common is reported
    // besides them (the reference does the same: a recorded run of a zone
    // with disjoint sets carries all three tags).
    if !parent_only.is_empty() {
        report.emit(
            &tag::EXTRA_NAME_PARENT,
            args![extra = name_list(parent_only.iter().copied())],
        );
    }
    if !child_only.is_empty() {
        report.emit(
            &tag::EXTRA_NAME_CHILD,
            args![extra = name_list(child_only.iter().copied())],
        );
    }
    if parent.is_disjoint(&child) {
        report.emit(
            &tag::TOTAL_NAME_MISMATCH,
            args![glue = name_list(parent_only), child = name_list(child_only)],
        );
    }
}
