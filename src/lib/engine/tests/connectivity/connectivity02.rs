//! CONNECTIVITY02: every name server answers SOA and NS for the zone over
//! TCP (engine spec §3.3).

use super::transport::{TCP, check_transport};
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn connectivity02(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.all_servers().await;
    check_transport(ctx, report, &servers, &TCP).await;
}
