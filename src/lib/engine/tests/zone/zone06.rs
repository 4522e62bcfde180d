//! ZONE06: the SOA MINIMUM (the negative-caching TTL) lies between
//! `SOA_DEFAULT_TTL_MINIMUM_VALUE` and `SOA_DEFAULT_TTL_MAXIMUM_VALUE`
//! (engine spec §3.9).

use super::shared::authoritative_soa;
use super::timers::{MinimumVerdict, minimum_verdict};
use crate::engine::profile::TestCaseVar;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone06(ctx: &Context, report: &mut Report) {
    let Some(soa) = authoritative_soa(ctx, report).await else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let minimum = soa.minimum;
    let highest = ctx
        .profile
        .test_cases_var(TestCaseVar::SoaDefaultTtlMaximumValue);
    let lowest = ctx
        .profile
        .test_cases_var(TestCaseVar::SoaDefaultTtlMinimumValue);
    match minimum_verdict(minimum, highest, lowest) {
        MinimumVerdict::Higher => report.emit(
            &tag::SOA_DEFAULT_TTL_MAXIMUM_VALUE_HIGHER,
            args![minimum = minimum, highest_minimum = highest],
        ),
        MinimumVerdict::Lower => report.emit(
            &tag::SOA_DEFAULT_TTL_MAXIMUM_VALUE_LOWER,
            args![minimum = minimum, lowest_minimum = lowest],
        ),
        MinimumVerdict::Ok => report.emit(
            &tag::SOA_DEFAULT_TTL_MAXIMUM_VALUE_OK,
            args![
                minimum = minimum,
                highest_minimum = highest,
                lowest_minimum = lowest
            ],
        ),
    }
}
