//! SYNTAX08: the zone's mail exchanges are valid host names (engine spec
//! §3.8).

use super::shared::{HostnameTags, query_one, report_hostname, zone_records};
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// How SYNTAX08 reports an exchange.
const MX: HostnameTags = HostnameTags {
    non_allowed_chars: &tag::MX_NON_ALLOWED_CHARS,
    double_dash: &tag::MX_DISCOURAGED_DOUBLE_DASH,
    numeric_tld: &tag::MX_NUMERIC_TLD,
    syntax_ok: &tag::MX_SYNTAX_OK,
};

/// The test case.
pub async fn syntax08(ctx: &Context, report: &mut Report) {
    let Some(reply) = query_one(ctx, report, RecordType::MX).await else {
        report.emit(&tag::NO_RESPONSE_MX_QUERY, args![]);
        return;
    };
    let mut exchanges: Vec<Name> = zone_records(ctx, &reply, RecordType::MX)
        .filter_map(|record| match &record.data {
            RData::MX(mx) => Some(mx.exchange.to_lowercase()),
            _ => None,
        })
        .collect();
    exchanges.sort();
    exchanges.dedup();
    for exchange in &exchanges {
        report_hostname(report, &MX, exchange);
    }
}
