//! What several Syntax test cases share: the zone helper `query_one`
//! (spec §1.9) over the child's servers, Method3 (the NS names the child
//! publishes) and the report of one host name's problems.

use std::sync::Arc;

use super::rules::{HostnameProblem, hostname_problems};
use hickory_proto::rr::rdata::SOA;

use crate::engine::tags::Tag;
use crate::engine::tests::prelude::*;

/// The reply of the first child server (Method5, in order) that gives one
/// to `rtype` for the zone, as the reference's `query_one`: the servers
/// are asked in turn, the next only when one gave no reply.
pub async fn query_one(
    ctx: &Context,
    report: &mut Report,
    rtype: RecordType,
) -> Option<Arc<Packet>> {
    let servers = ctx.zone_v1.child_servers().await;
    let query = Query::new(ctx.zone.clone(), rtype);
    let has_reply = |outcome: &Outcome| outcome.response().is_some();
    let (_, outcome) = ctx.ask_in_turn(report, servers, &query, has_reply).await?;
    outcome.packet()
}

/// The records of `rtype` owned by the zone in the answer section.
pub fn zone_records<'a>(
    ctx: &'a Context,
    packet: &'a Packet,
    rtype: RecordType,
) -> impl Iterator<Item = &'a Record> + 'a {
    Packet::records(&packet.answer, &ctx.zone, rtype)
}

/// The four tags one kind of host name is reported with (SYNTAX04's
/// `NAMESERVER_…`, SYNTAX07's `MNAME_…`, SYNTAX08's `MX_…`).
pub struct HostnameTags {
    /// `…_NON_ALLOWED_CHARS` (domain).
    pub non_allowed_chars: &'static Tag,
    /// `…_DISCOURAGED_DOUBLE_DASH` (label, domain).
    pub double_dash: &'static Tag,
    /// `…_NUMERIC_TLD` (domain, tld).
    pub numeric_tld: &'static Tag,
    /// `…_SYNTAX_OK` (domain).
    pub syntax_ok: &'static Tag,
}

/// Reports each problem of the host name `name`, or that it has none.
pub fn report_hostname(report: &mut Report, tags: &HostnameTags, name: &Name) {
    let problems = hostname_problems(name);
    if problems.is_empty() {
        report.emit(tags.syntax_ok, args![domain = name]);
    }
    for problem in problems {
        match problem {
            HostnameProblem::NonAllowedChars => {
                report.emit(tags.non_allowed_chars, args![domain = name]);
            }
            HostnameProblem::DoubleDash(label) => {
                report.emit(tags.double_dash, args![label = label, domain = name]);
            }
            HostnameProblem::NumericTld(tld) => {
                report.emit(tags.numeric_tld, args![domain = name, tld = tld]);
            }
        }
    }
}

/// The zone's SOA in the answer section of `packet`, if there is one.
pub fn soa_of<'a>(ctx: &'a Context, packet: &'a Packet) -> Option<&'a SOA> {
    zone_records(ctx, packet, RecordType::SOA).find_map(|record| match &record.data {
        RData::SOA(soa) => Some(soa),
        _ => None,
    })
}
