//! DNSSEC10 (engine spec §3.6). Not written yet: its helper fills it in.

use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec10(ctx: &Context, report: &mut Report) {
    let _ = (ctx, report);
}
