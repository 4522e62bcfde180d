//! DNSSEC15: does the zone publish CDS and CDNSKEY records, the same on
//! every server, and do the two sets agree (engine spec §3.6, RFC 7344)?
//!
//! Each child server (each address once) is asked CDS, and, if that reply
//! is usable (AA, NOERROR), CDNSKEY; an empty set is a set. The sets of
//! every server whose reply was usable are compared with each other, as
//! sets of RDATA (order and TTL do not count). On a server with both, each
//! CDS must have a CDNSKEY of its key tag and each CDNSKEY a CDS naming
//! its key tag; "delete" records (algorithm 0) match each other.
//!
//! Difference from the reference: it compares the record lists in the
//! order the servers sent them; we compare sets.

use std::collections::{BTreeMap, BTreeSet};

use super::cds_shared::{DsFields, KeyFields, ds_fields, key_fields, rdata_octets};
use super::shared::{child_servers, dnssec_query, is_aa_noerror};
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// One server's usable answers: its CDS set, and its CDNSKEY set when that
/// reply was usable too.
#[derive(Clone, Debug, Default)]
struct Sets {
    cds: Vec<Record>,
    cdnskey: Option<Vec<Record>>,
}

/// The test case.
pub async fn dnssec15(ctx: &Context, report: &mut Report) {
    let sets = gather(ctx, report).await;
    let is_empty = sets
        .values()
        .all(|sets| sets.cds.is_empty() && sets.cdnskey.as_ref().is_none_or(Vec::is_empty));
    if is_empty {
        report.emit(&tag::DS15_NO_CDS_CDNSKEY, args![]);
        return;
    }
    report_presence(report, &sets);
    if is_inconsistent(sets.values().map(|sets| &sets.cds)) {
        report.emit(&tag::DS15_INCONSISTENT_CDS, args![]);
    }
    if is_inconsistent(sets.values().filter_map(|sets| sets.cdnskey.as_ref())) {
        report.emit(&tag::DS15_INCONSISTENT_CDNSKEY, args![]);
    }
    let mismatched: Vec<&IpAddr> = sets
        .iter()
        .filter(|(_, sets)| {
            sets.cdnskey
                .as_ref()
                .is_some_and(|cdnskey| is_mismatched(&sets.cds, cdnskey))
        })
        .map(|(address, _)| address)
        .collect();
    if !mismatched.is_empty() {
        report.emit(
            &tag::DS15_MISMATCH_CDS_CDNSKEY,
            args![ns_ip_list = ns_ip_list(mismatched)],
        );
    }
}

/// CDS from every child server at once, then CDNSKEY from those whose CDS
/// reply was usable.
async fn gather(ctx: &Context, report: &mut Report) -> BTreeMap<IpAddr, Sets> {
    let servers = child_servers(ctx).await;
    let cds = ctx
        .ask_each(report, &servers, &dnssec_query(&ctx.zone, RecordType::CDS))
        .await;
    let mut sets: BTreeMap<IpAddr, Sets> = cds
        .replies()
        .filter(|(_, packet)| is_aa_noerror(packet))
        .map(|(server, packet)| {
            let cds = packet.answers_of(RecordType::CDS).cloned().collect();
            (server.address, Sets { cds, cdnskey: None })
        })
        .collect();
    // The family messages name the CDNSKEY question too, as the reference's do.
    let next: Vec<Ns> = servers
        .iter()
        .filter(|server| !ctx.families.allows(server.address) || sets.contains_key(&server.address))
        .cloned()
        .collect();
    let query = dnssec_query(&ctx.zone, RecordType::CDNSKEY);
    let cdnskey = ctx.ask_each(report, &next, &query).await;
    for (server, packet) in cdnskey.replies() {
        if let Some(sets) = sets.get_mut(&server.address)
            && is_aa_noerror(&packet)
        {
            sets.cdnskey = Some(packet.answers_of(RecordType::CDNSKEY).cloned().collect());
        }
    }
    sets
}

/// Which servers with both answers have which records.
fn report_presence(report: &mut Report, sets: &BTreeMap<IpAddr, Sets>) {
    let mut cds_only = Vec::new();
    let mut cdnskey_only = Vec::new();
    let mut both = Vec::new();
    for (address, sets) in sets {
        let Some(cdnskey) = &sets.cdnskey else {
            continue;
        };
        match (sets.cds.is_empty(), cdnskey.is_empty()) {
            (false, true) => cds_only.push(address),
            (true, false) => cdnskey_only.push(address),
            (false, false) => both.push(address),
            (true, true) => {}
        }
    }
    let found = [
        (&tag::DS15_HAS_CDS_NO_CDNSKEY, cds_only),
        (&tag::DS15_HAS_CDNSKEY_NO_CDS, cdnskey_only),
        (&tag::DS15_HAS_CDS_AND_CDNSKEY, both),
    ];
    for (tag, addresses) in found {
        if !addresses.is_empty() {
            report.emit(tag, args![ns_ip_list = ns_ip_list(addresses)]);
        }
    }
}

/// Two of the record sets differ in their RDATA.
fn is_inconsistent<'a>(sets: impl Iterator<Item = &'a Vec<Record>>) -> bool {
    let distinct: BTreeSet<BTreeSet<Vec<u8>>> = sets
        .map(|records| records.iter().filter_map(rdata_octets).collect())
        .collect();
    distinct.len() > 1
}

/// Both sets are non-empty and some record of one has no partner in the
/// other.
fn is_mismatched(cds: &[Record], cdnskey: &[Record]) -> bool {
    if cds.is_empty() || cdnskey.is_empty() {
        return false;
    }
    let cds: Vec<DsFields> = cds.iter().filter_map(ds_fields).collect();
    let cdnskey: Vec<KeyFields> = cdnskey.iter().filter_map(key_fields).collect();
    let is_pair = |ds: &DsFields, key: &KeyFields| {
        ds.tag == key.tag || (ds.algorithm == 0 && key.algorithm == 0)
    };
    cds.iter()
        .any(|ds| !cdnskey.iter().any(|key| is_pair(ds, key)))
        || cdnskey
            .iter()
            .any(|key| !cds.iter().any(|ds| is_pair(ds, key)))
}
