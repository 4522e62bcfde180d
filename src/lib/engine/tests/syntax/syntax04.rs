//! SYNTAX04: the names of the zone's name servers, as the parent and the
//! zone itself list them (Method2 ∪ Method3), are valid host names
//! (engine spec §3.8).

use super::shared::{HostnameTags, report_hostname};
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// How SYNTAX04 reports a name server name.
const NAMESERVER: HostnameTags = HostnameTags {
    non_allowed_chars: &tag::NAMESERVER_NON_ALLOWED_CHARS,
    double_dash: &tag::NAMESERVER_DISCOURAGED_DOUBLE_DASH,
    numeric_tld: &tag::NAMESERVER_NUMERIC_TLD,
    syntax_ok: &tag::NAMESERVER_SYNTAX_OK,
};

/// The test case.
pub async fn syntax04(ctx: &Context, report: &mut Report) {
    let mut names: Vec<Name> = ctx.zone_v1.delegation_names().await.to_vec();
    names.extend(child_ns_names(ctx, report).await);
    names.sort();
    names.dedup();
    for name in &names {
        report_hostname(report, &NAMESERVER, name);
    }
}
