//! CONSISTENCY03: every name server serves the same SOA timers (refresh,
//! retry, expire, minimum) (engine spec §3.4).

use super::shared::{by_value, soa_of_each};
use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn consistency03(ctx: &Context, report: &mut Report) {
    let soas = soa_of_each(ctx, report).await;
    let timers = by_value(soas.into_iter().map(|(ns, soa)| {
        let set = (soa.refresh, soa.retry, soa.expire, soa.minimum);
        (ns, set)
    }));
    if let (1, Some(((refresh, retry, expire, minimum), _))) =
        (timers.len(), timers.first_key_value())
    {
        report.emit(
            &tag::ONE_SOA_TIME_PARAMETER_SET,
            args![
                refresh = refresh,
                retry = retry,
                expire = expire,
                minimum = minimum
            ],
        );
        return;
    }
    if timers.is_empty() {
        return;
    }
    report.emit(
        &tag::MULTIPLE_SOA_TIME_PARAMETER_SET,
        args![count = timers.len()],
    );
    for ((refresh, retry, expire, minimum), servers) in &timers {
        report.emit(
            &tag::SOA_TIME_PARAMETER_SET,
            args![
                refresh = refresh,
                retry = retry,
                expire = expire,
                minimum = minimum,
                ns_list = ns_list(servers)
            ],
        );
    }
}
