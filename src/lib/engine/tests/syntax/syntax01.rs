//! SYNTAX01: the zone's name has letters, digits and hyphens only (engine
//! spec §3.8). A failure stops the module after SYNTAX03 (spec §2.2).

use super::rules::has_only_legal_characters;
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn syntax01(ctx: &Context, report: &mut Report) {
    let found = if has_only_legal_characters(&ctx.zone) {
        &tag::ONLY_ALLOWED_CHARS
    } else {
        &tag::NON_ALLOWED_CHARS
    };
    report.emit(found, args![domain = ctx.zone]);
}
