//! DNSSEC01: the parent's DS records use digest types that IANA lists
//! for DS, preferably SHA-256 (engine spec §3.6, RFC 8624 §3.3).
//!
//! The parent servers are MethodsV2's (Get-Parent-NS-Names-and-IPs); an
//! answer counts only when it is NOERROR, authoritative and echoes the DO
//! bit. Supplied DS records replace the parent's answers and are reported
//! at the server `-`; an undelegated test or the root zone without them
//! is not tested. Inconsistent parents are not this test case's concern,
//! except that a parent without any DS next to parents with DS is named.

use std::collections::{BTreeMap, BTreeSet};

use super::algorithms::{DigestStatus, digest_type};
use super::shared::{
    DsFields, dnssec_query, ds_fields_in, echoes_do, has_supplied_ds, is_aa_noerror,
    parent_servers_v2, supplied_ds,
};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// How supplied DS records name their "server" (spec §1.11).
const SUPPLIED: &str = "-";

/// The DS digest type SHA-256, which every key should have a DS with.
const SHA256: u8 = 2;

/// What the parent servers said, each server as its `ns_list` label.
#[derive(Default)]
struct Findings {
    /// Per digest-type class, digest type and key tag: who published it.
    by_digest: BTreeMap<(usize, u8, u16), BTreeSet<String>>,
    /// Key tags with a SHA-256 DS, per server.
    with_sha256: BTreeSet<(u16, String)>,
    /// Key tags with a DS of another digest type, per server.
    without_sha256: BTreeSet<(u16, String)>,
    /// Servers that answered with DS.
    with_ds: BTreeSet<String>,
    /// Servers that answered usably, without DS.
    without_ds: BTreeSet<String>,
    /// Servers with no usable answer.
    ignored: BTreeSet<String>,
}

/// The test case.
pub async fn dnssec01(ctx: &Context, report: &mut Report) {
    let mut findings = Findings::default();
    if has_supplied_ds(ctx) {
        for ds in supplied_ds(ctx).await {
            findings.add(SUPPLIED, &ds);
        }
        findings.with_ds.insert(SUPPLIED.to_owned());
    } else if ctx.zone.is_root() || ctx.is_undelegated() {
        if ctx.zone.is_root() {
            report.emit(&tag::DS01_ROOT_N_NO_UNDEL_DS, args![]);
        }
        if ctx.is_undelegated() {
            report.emit(&tag::DS01_UNDEL_N_NO_UNDEL_DS, args![]);
        }
        return;
    } else {
        let parents = parent_servers_v2(ctx).await;
        let query = dnssec_query(&ctx.zone, RecordType::DS);
        let asked = ctx.ask_each(report, &parents, &query).await;
        for (server, outcome) in asked.outcomes() {
            findings.take(ctx, server, outcome);
        }
    }
    findings.report(report);
}

impl Findings {
    /// Files one server's answer.
    fn take(&mut self, ctx: &Context, server: &Ns, outcome: &Outcome) {
        let label = server.label();
        let Some(packet) = outcome
            .packet()
            .filter(|packet| is_aa_noerror(packet) && echoes_do(packet))
        else {
            self.ignored.insert(label);
            return;
        };
        let records = ds_fields_in(&packet.answer, &ctx.zone);
        if records.is_empty() {
            self.without_ds.insert(label);
            return;
        }
        for ds in &records {
            self.add(&label, ds);
        }
        self.with_ds.insert(label);
    }

    /// Files one DS record published by `label`.
    fn add(&mut self, label: &str, ds: &DsFields) {
        let (status, _) = digest_type(ds.digest_type);
        self.by_digest
            .entry((class_order(status), ds.digest_type, ds.key_tag))
            .or_default()
            .insert(label.to_owned());
        let pair = (ds.key_tag, label.to_owned());
        if ds.digest_type == SHA256 {
            self.with_sha256.insert(pair);
        } else {
            self.without_sha256.insert(pair);
        }
    }

    /// Emits what was found.
    fn report(&self, report: &mut Report) {
        for ((_, number, keytag), labels) in &self.by_digest {
            let (status, description) = digest_type(*number);
            report.emit(
                digest_tag(status),
                args![
                    ns_list = joined(labels),
                    keytag = keytag,
                    ds_algo_num = number,
                    ds_algo_descr = description
                ],
            );
        }
        let mut missing: BTreeMap<u16, BTreeSet<String>> = BTreeMap::new();
        for (keytag, label) in self.without_sha256.difference(&self.with_sha256) {
            missing.entry(*keytag).or_default().insert(label.clone());
        }
        for (keytag, labels) in &missing {
            report.emit(
                &tag::DS01_DS_ALGO_2_MISSING,
                args![ns_list = joined(labels), keytag = keytag],
            );
        }
        if self.with_ds.is_empty() && self.without_ds.is_empty() {
            report.emit(
                &tag::DS01_NO_RESPONSE,
                args![ns_list = joined(&self.ignored)],
            );
        } else if !self.without_ds.is_empty() {
            let tag = if self.with_ds.is_empty() {
                &tag::DS01_PARENT_ZONE_NO_DS
            } else {
                &tag::DS01_PARENT_SERVER_NO_DS
            };
            report.emit(tag, args![ns_list = joined(&self.without_ds)]);
        }
    }
}

/// The order in which the digest-type classes are reported: problems
/// first, the good ones last.
fn class_order(status: DigestStatus) -> usize {
    match status {
        DigestStatus::Deprecated => 0,
        DigestStatus::Reserved => 1,
        DigestStatus::Unassigned => 2,
        DigestStatus::Private => 3,
        DigestStatus::NotDs => 4,
        DigestStatus::Ok => 5,
    }
}

/// The tag of a digest-type class.
fn digest_tag(status: DigestStatus) -> &'static Tag {
    match status {
        DigestStatus::Ok => &tag::DS01_DS_ALGO_OK,
        DigestStatus::Deprecated => &tag::DS01_DS_ALGO_DEPRECATED,
        DigestStatus::NotDs => &tag::DS01_DS_ALGO_NOT_DS,
        DigestStatus::Reserved => &tag::DS01_DS_ALGO_RESERVED,
        DigestStatus::Unassigned => &tag::DS01_DS_ALGO_UNASSIGNED,
        DigestStatus::Private => &tag::DS01_DS_ALGO_PRIVATE,
    }
}

/// Server labels as one `ns_list` (already sorted and unique).
fn joined(labels: &BTreeSet<String>) -> String {
    labels
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";")
}
