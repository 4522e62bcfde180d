//! CONSISTENCY01: every name server serves the same SOA serial (engine
//! spec §3.4).
//!
//! Serials are compared as numbers (spec: the reference sorts them as
//! strings; we do not copy that quirk), so `SOA_SERIAL` messages come in
//! numeric order and `serial_min`/`serial_max` are numeric.

use super::shared::{by_value, soa_of_each};
use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// The largest difference between serials that is not reported; the
/// reference allows none.
const MAX_VARIATION: u32 = 0;

/// The test case.
pub async fn consistency01(ctx: &Context, report: &mut Report) {
    let soas = soa_of_each(ctx, report).await;
    let serials = by_value(soas.into_iter().map(|(ns, soa)| (ns, soa.serial)));
    for (serial, servers) in &serials {
        report.emit(
            &tag::SOA_SERIAL,
            args![serial = serial, ns_list = ns_list(servers)],
        );
    }
    let (Some(min), Some(max)) = (serials.keys().next(), serials.keys().last()) else {
        return;
    };
    if serials.len() == 1 {
        report.emit(&tag::ONE_SOA_SERIAL, args![serial = min]);
        return;
    }
    report.emit(&tag::MULTIPLE_SOA_SERIALS, args![count = serials.len()]);
    if max - min > MAX_VARIATION {
        report.emit(
            &tag::SOA_SERIAL_VARIATION,
            args![
                serial_min = min,
                serial_max = max,
                max_variation = MAX_VARIATION
            ],
        );
    }
}
