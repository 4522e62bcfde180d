//! SYNTAX02: no label of the zone's name starts or ends with a hyphen
//! (engine spec §3.8).

use super::rules::{has_initial_hyphen, has_terminal_hyphen, label_text};
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn syntax02(ctx: &Context, report: &mut Report) {
    let zone = &ctx.zone;
    let mut offends = false;
    for label in zone.iter() {
        for (is_offending, found) in [
            (has_initial_hyphen(label), &tag::INITIAL_HYPHEN),
            (has_terminal_hyphen(label), &tag::TERMINAL_HYPHEN),
        ] {
            if is_offending {
                offends = true;
                report.emit(found, args![label = label_text(label), domain = zone]);
            }
        }
    }
    if zone.num_labels() > 0 && !offends {
        report.emit(&tag::NO_ENDING_HYPHENS, args![domain = zone]);
    }
}
