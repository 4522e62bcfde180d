//! ZONE05: the SOA EXPIRE is at least `SOA_EXPIRE_MINIMUM_VALUE` and not
//! below the REFRESH (engine spec §3.9).
//!
//! `EXPIRE_MINIMUM_VALUE_OK` follows when neither finding was made, as
//! the spec says; the reference withholds it whenever anything at all was
//! logged before (an `IPV6_DISABLED` included), which we do not copy.

use super::shared::authoritative_soa;
use super::timers::{SoaTimers, expire_problems};
use crate::engine::profile::TestCaseVar;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone05(ctx: &Context, report: &mut Report) {
    let Some(soa) = authoritative_soa(ctx, report).await else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let timers = SoaTimers::of(&soa);
    let required = ctx
        .profile
        .test_cases_var(TestCaseVar::SoaExpireMinimumValue);
    let problems = expire_problems(timers, required);
    if problems.is_below_minimum {
        report.emit(
            &tag::EXPIRE_MINIMUM_VALUE_LOWER,
            args![expire = timers.expire, required_expire = required],
        );
    }
    if problems.is_below_refresh {
        report.emit(
            &tag::EXPIRE_LOWER_THAN_REFRESH,
            args![expire = timers.expire, refresh = timers.refresh],
        );
    }
    if !problems.is_below_minimum && !problems.is_below_refresh {
        report.emit(
            &tag::EXPIRE_MINIMUM_VALUE_OK,
            args![
                expire = timers.expire,
                refresh = timers.refresh,
                required_expire = required
            ],
        );
    }
}
