//! ZONE04: the SOA RETRY is at least `SOA_RETRY_MINIMUM_VALUE`, an hour
//! by default (engine spec §3.9).

use super::shared::authoritative_soa;
use super::timers::SoaTimers;
use crate::engine::profile::TestCaseVar;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone04(ctx: &Context, report: &mut Report) {
    let Some(soa) = authoritative_soa(ctx, report).await else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let retry = SoaTimers::of(&soa).retry;
    let required = ctx
        .profile
        .test_cases_var(TestCaseVar::SoaRetryMinimumValue);
    let found = if u64::from(retry) < required {
        &tag::RETRY_MINIMUM_VALUE_LOWER
    } else {
        &tag::RETRY_MINIMUM_VALUE_OK
    };
    report.emit(found, args![retry = retry, required_retry = required]);
}
