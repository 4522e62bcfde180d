//! SYNTAX03: no label of the zone's name has a double hyphen in positions
//! 3 and 4 unless it is an IDN label, `xn--` (engine spec §3.8).

use super::rules::{has_discouraged_double_dash, label_text};
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn syntax03(ctx: &Context, report: &mut Report) {
    let zone = &ctx.zone;
    let offending: Vec<&[u8]> = zone
        .iter()
        .filter(|label| has_discouraged_double_dash(label))
        .collect();
    for label in &offending {
        report.emit(
            &tag::DISCOURAGED_DOUBLE_DASH,
            args![label = label_text(label), domain = zone],
        );
    }
    if offending.is_empty() {
        report.emit(&tag::NO_DOUBLE_DASH, args![domain = zone]);
    }
}
