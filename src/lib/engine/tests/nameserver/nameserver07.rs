//! NAMESERVER07: no upward referrals (engine spec §3.7). Asked for the
//! root's NS records, a server of another zone should not refer to the
//! root (NS records in authority).

use std::collections::BTreeSet;

use super::shared::{has_findings, servers};
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver07(ctx: &Context, report: &mut Report) {
    if ctx.zone.is_root() {
        report.emit(&tag::UPWARD_REFERRAL_IRRELEVANT, args![]);
        return;
    }
    let servers = servers(ctx).await;
    let query = Query::new(Name::root(), RecordType::NS);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut names = BTreeSet::new();
    for (server, outcome) in asked.outcomes() {
        names.insert(display(&server.name));
        let refers = outcome.packet().is_some_and(|packet| {
            packet
                .authority
                .iter()
                .any(|record| record.record_type() == RecordType::NS)
        });
        if refers {
            report.emit(&tag::UPWARD_REFERRAL, args![ns = server]);
        }
    }
    if !names.is_empty() && !has_findings(report) {
        let list: Vec<&str> = names.iter().map(String::as_str).collect();
        report.emit(
            &tag::NO_UPWARD_REFERRAL,
            args![nsname_list = list.join(";")],
        );
    }
}
