//! ZONE09: the zone has a usable MX set, or says it takes no mail with a
//! null MX (RFC 7505), and its servers agree on it (engine spec §3.9).
//!
//! Every Method4 ∪ Method5 address is asked once, SOA and MX together;
//! only servers that answer the SOA with authority are judged. A
//! truncated MX reply is asked again over TCP.
//!
//! Quirk of the reference, not copied: it lists the silent servers in
//! `Z09_NON_AUTH_MX_RESPONSE`; we list the non-authoritative ones.

use std::collections::{BTreeMap, BTreeSet};

use super::mx::MxSet;
use super::shared::{is_non_mail_domain, records_anywhere};
use crate::dns::Protocol;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// What the servers that answer for the zone said about its MX set.
#[derive(Default)]
struct Survey {
    silent: Vec<IpAddr>,
    unexpected: BTreeMap<String, Vec<IpAddr>>,
    non_authoritative: Vec<IpAddr>,
    without_mx: Vec<IpAddr>,
    with_mx: BTreeMap<IpAddr, MxSet>,
    /// Every judged server's addresses, by server name.
    by_name: BTreeMap<Name, Vec<IpAddr>>,
}

/// The test case.
pub async fn zone09(ctx: &Context, report: &mut Report) {
    let survey = survey(ctx, report).await;
    report_problems(report, &survey);
    if !survey.without_mx.is_empty() && !survey.with_mx.is_empty() {
        report.emit(&tag::Z09_INCONSISTENT_MX, args![]);
        report.emit(
            &tag::Z09_NO_MX_FOUND,
            args![ns_ip_list = ns_ip_list(&survey.without_mx)],
        );
        report.emit(
            &tag::Z09_MX_FOUND,
            args![ns_ip_list = ns_ip_list(survey.with_mx.keys())],
        );
    }
    let sets: BTreeSet<&MxSet> = survey.with_mx.values().collect();
    match sets.first() {
        Some(_) if sets.len() > 1 => report_inconsistent(report, &survey),
        Some(set) => report_mx_set(ctx, report, &survey, set),
        None if !survey.without_mx.is_empty() && !is_non_mail_domain(&ctx.zone) => {
            report.emit(&tag::Z09_MISSING_MAIL_TARGET, args![]);
        }
        None => {}
    }
}

/// SOA and MX from every address at once, MX again over TCP where the
/// reply was truncated.
async fn survey(ctx: &Context, report: &mut Report) -> Survey {
    let servers = one_per_address(&ctx.zone_v1.all_servers().await);
    let soa = Query::new(ctx.zone.clone(), RecordType::SOA);
    let mx = Query::new(ctx.zone.clone(), RecordType::MX);
    let asked = ctx
        .ask_each_of(report, &[(&servers, soa), (&servers, mx.clone())])
        .await;
    let (Some(soa_replies), Some(mx_replies)) = (asked.first(), asked.get(1)) else {
        return Survey::default();
    };
    let answering: BTreeSet<&Ns> = soa_replies
        .replies()
        .filter(|(_, packet)| {
            packet.rcode == Rcode::NOERROR
                && packet.aa
                && records_anywhere(packet, &ctx.zone, RecordType::SOA)
                    .next()
                    .is_some()
        })
        .map(|(ns, _)| ns)
        .collect();
    let truncated: Vec<Ns> = mx_replies
        .replies()
        .filter(|(ns, packet)| packet.tc && answering.contains(ns))
        .map(|(ns, _)| ns.clone())
        .collect();
    let over_tcp = ctx
        .ask_each(report, &truncated, &mx.over(Protocol::Tcp))
        .await;
    let mut survey = Survey::default();
    for (ns, outcome) in mx_replies.outcomes() {
        if !answering.contains(ns) {
            continue;
        }
        let outcome = over_tcp
            .outcomes()
            .find(|(again, _)| *again == ns)
            .map_or(outcome, |(_, outcome)| outcome);
        survey.record(ctx, ns, outcome.packet().as_deref());
    }
    survey
}

impl Survey {
    fn record(&mut self, ctx: &Context, ns: &Ns, packet: Option<&Packet>) {
        self.by_name
            .entry(ns.name.clone())
            .or_default()
            .push(ns.address);
        let Some(packet) = packet else {
            self.silent.push(ns.address);
            return;
        };
        if packet.rcode != Rcode::NOERROR {
            self.unexpected
                .entry(packet.rcode.mnemonic())
                .or_default()
                .push(ns.address);
            return;
        }
        if !packet.aa {
            self.non_authoritative.push(ns.address);
            return;
        }
        let set = MxSet::of(Packet::records(&packet.answer, &ctx.zone, RecordType::MX));
        if set.is_empty() {
            self.without_mx.push(ns.address);
        } else {
            self.with_mx.insert(ns.address, set);
        }
    }
}

fn report_problems(report: &mut Report, survey: &Survey) {
    if !survey.silent.is_empty() {
        report.emit(
            &tag::Z09_NO_RESPONSE_MX_QUERY,
            args![ns_ip_list = ns_ip_list(&survey.silent)],
        );
    }
    for (rcode, addresses) in &survey.unexpected {
        report.emit(
            &tag::Z09_UNEXPECTED_RCODE_MX,
            args![rcode = rcode, ns_ip_list = ns_ip_list(addresses)],
        );
    }
    if !survey.non_authoritative.is_empty() {
        report.emit(
            &tag::Z09_NON_AUTH_MX_RESPONSE,
            args![ns_ip_list = ns_ip_list(&survey.non_authoritative)],
        );
    }
}

/// The servers with MX disagree: the set of each server name (that of its
/// first address), empty for a name whose first address has none.
fn report_inconsistent(report: &mut Report, survey: &Survey) {
    report.emit(&tag::Z09_INCONSISTENT_MX_DATA, args![]);
    for addresses in survey.by_name.values() {
        let targets = addresses
            .first()
            .and_then(|first| survey.with_mx.get(first))
            .map(mail_targets)
            .unwrap_or_default();
        report.emit(
            &tag::Z09_MX_DATA,
            args![
                mailtarget_list = targets,
                ns_ip_list = ns_ip_list(addresses)
            ],
        );
    }
}

/// The servers with MX agree on `set`.
fn report_mx_set(ctx: &Context, report: &mut Report, survey: &Survey, set: &MxSet) {
    let null = set.null_mx();
    if null.has_others {
        report.emit(&tag::Z09_NULL_MX_WITH_OTHER_MX, args![]);
    }
    if null.has_non_zero_preference {
        report.emit(&tag::Z09_NULL_MX_NON_ZERO_PREF, args![]);
    }
    if null.is_present {
        return;
    }
    if ctx.zone.is_root() {
        report.emit(&tag::Z09_ROOT_EMAIL_DOMAIN, args![]);
    } else if ctx.zone.num_labels() == 1 {
        report.emit(&tag::Z09_TLD_EMAIL_DOMAIN, args![]);
    } else {
        report.emit(
            &tag::Z09_MX_DATA,
            args![
                mailtarget_list = mail_targets(set),
                ns_ip_list = ns_ip_list(survey.with_mx.keys())
            ],
        );
    }
}

/// The exchanges of `set`, `;`-joined.
fn mail_targets(set: &MxSet) -> String {
    set.exchanges()
        .iter()
        .map(display)
        .collect::<Vec<_>>()
        .join(";")
}
