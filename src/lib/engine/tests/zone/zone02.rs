//! ZONE02: the SOA REFRESH is at least `SOA_REFRESH_MINIMUM_VALUE`
//! (engine spec §3.9).

use super::shared::authoritative_soa;
use super::timers::SoaTimers;
use crate::engine::profile::TestCaseVar;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone02(ctx: &Context, report: &mut Report) {
    let Some(soa) = authoritative_soa(ctx, report).await else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let refresh = SoaTimers::of(&soa).refresh;
    let required = ctx
        .profile
        .test_cases_var(TestCaseVar::SoaRefreshMinimumValue);
    let found = if u64::from(refresh) < required {
        &tag::REFRESH_MINIMUM_VALUE_LOWER
    } else {
        &tag::REFRESH_MINIMUM_VALUE_OK
    };
    report.emit(found, args![refresh = refresh, required_refresh = required]);
}
