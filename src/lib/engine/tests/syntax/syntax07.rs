//! SYNTAX07: the SOA MNAME is a valid host name (engine spec §3.8).

use super::shared::{HostnameTags, query_one, report_hostname, soa_of};
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// How SYNTAX07 reports the MNAME.
const MNAME: HostnameTags = HostnameTags {
    non_allowed_chars: &tag::MNAME_NON_ALLOWED_CHARS,
    double_dash: &tag::MNAME_DISCOURAGED_DOUBLE_DASH,
    numeric_tld: &tag::MNAME_NUMERIC_TLD,
    syntax_ok: &tag::MNAME_SYNTAX_OK,
};

/// The test case.
pub async fn syntax07(ctx: &Context, report: &mut Report) {
    let reply = query_one(ctx, report, RecordType::SOA).await;
    let Some(soa) = reply.as_ref().and_then(|packet| soa_of(ctx, packet)) else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    report_hostname(report, &MNAME, &soa.mname);
}
