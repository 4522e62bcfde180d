//! ZONE03: the SOA RETRY is lower than the REFRESH (engine spec §3.9).

use super::shared::authoritative_soa;
use super::timers::SoaTimers;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone03(ctx: &Context, report: &mut Report) {
    let Some(soa) = authoritative_soa(ctx, report).await else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let timers = SoaTimers::of(&soa);
    let found = if timers.retry >= timers.refresh {
        &tag::REFRESH_LOWER_THAN_RETRY
    } else {
        &tag::REFRESH_HIGHER_THAN_RETRY
    };
    report.emit(found, args![retry = timers.retry, refresh = timers.refresh]);
}
