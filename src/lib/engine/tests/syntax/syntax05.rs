//! SYNTAX05: the SOA RNAME does not use `@` for the mailbox's `@`
//! (engine spec §3.8). Without an SOA, SYNTAX06 and SYNTAX07 do not run
//! (spec §2.2).

use super::rules::{rname_has_at_sign, rname_text};
use super::shared::{query_one, soa_of};
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn syntax05(ctx: &Context, report: &mut Report) {
    let reply = query_one(ctx, report, RecordType::SOA).await;
    let Some(soa) = reply.as_ref().and_then(|packet| soa_of(ctx, packet)) else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let rname = &soa.rname;
    let found = if rname_has_at_sign(rname) {
        &tag::RNAME_MISUSED_AT_SIGN
    } else {
        &tag::RNAME_NO_AT_SIGN
    };
    report.emit(found, args![rname = rname_text(rname)]);
}
