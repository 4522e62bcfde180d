//! CONSISTENCY02: every name server serves the same SOA RNAME, compared
//! in lower case (engine spec §3.4).

use super::shared::{by_value, soa_of_each};
use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn consistency02(ctx: &Context, report: &mut Report) {
    let soas = soa_of_each(ctx, report).await;
    let rnames = by_value(soas.into_iter().map(|(ns, soa)| (ns, display(&soa.rname))));
    if let (1, Some((rname, _))) = (rnames.len(), rnames.first_key_value()) {
        report.emit(&tag::ONE_SOA_RNAME, args![rname = rname]);
        return;
    }
    if rnames.is_empty() {
        return;
    }
    report.emit(&tag::MULTIPLE_SOA_RNAMES, args![count = rnames.len()]);
    for (rname, servers) in &rnames {
        report.emit(
            &tag::SOA_RNAME,
            args![rname = rname, ns_list = ns_list(servers)],
        );
    }
}
