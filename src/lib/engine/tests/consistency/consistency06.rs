//! CONSISTENCY06: every name server serves the same SOA MNAME, compared
//! in lower case (engine spec §3.4).

use super::shared::{by_value, soa_of_each};
use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn consistency06(ctx: &Context, report: &mut Report) {
    let soas = soa_of_each(ctx, report).await;
    let mnames = by_value(soas.into_iter().map(|(ns, soa)| (ns, display(&soa.mname))));
    if let (1, Some((mname, _))) = (mnames.len(), mnames.first_key_value()) {
        report.emit(&tag::ONE_SOA_MNAME, args![mname = mname]);
        return;
    }
    if mnames.is_empty() {
        return;
    }
    report.emit(&tag::MULTIPLE_SOA_MNAMES, args![count = mnames.len()]);
    for (mname, servers) in &mnames {
        report.emit(
            &tag::SOA_MNAME,
            args![mname = mname, ns_list = ns_list(servers)],
        );
    }
}
