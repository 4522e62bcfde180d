//! DNSSEC07: is the zone signed, and does the parent hold a DS for it
//! (engine spec §3.6)? It runs first; its `DS07_NOT_SIGNED` stops the
//! module.
//!
//! A server of MethodsV2 counts once it gives an authoritative SOA; it is
//! then asked the DNSKEY set with DO, and a DNSKEY with an RRSIG over the
//! set in the answer makes it "signed". When any server is signed, the
//! parent's servers are asked the DS with DO, and the child's DS with an
//! RRSIG over it in the answer means the parent has a DS; a supplied DS
//! stands for a parent with a DS, named `-`.

use std::collections::BTreeMap;

use super::shared::{
    authoritative_soa_servers, dnssec_query, echoes_do, has_rrsig_over, is_aa_noerror,
    parent_servers_v2,
};
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec07(ctx: &Context, report: &mut Report) {
    let servers = methods_v2_servers(ctx).await;
    let counted = authoritative_soa_servers(ctx, report, &servers).await;
    let dnskey = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &counted, &dnskey).await;

    let mut silent = Vec::new();
    let mut not_authoritative = Vec::new();
    let mut by_rcode: BTreeMap<String, Vec<&Ns>> = BTreeMap::new();
    let mut signed = Vec::new();
    let mut unsigned = Vec::new();
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            silent.push(server);
            continue;
        };
        if !packet.aa {
            not_authoritative.push(server);
        } else if packet.rcode != Rcode::NOERROR {
            by_rcode
                .entry(packet.rcode.mnemonic())
                .or_default()
                .push(server);
        } else if Packet::records(&packet.answer, &ctx.zone, RecordType::DNSKEY)
            .next()
            .is_some()
            && has_rrsig_over(&packet.answer, RecordType::DNSKEY)
        {
            signed.push(server);
        } else {
            unsigned.push(server);
        }
    }
    if signed.is_empty() {
        report.emit(&tag::DS07_NOT_SIGNED, args![]);
    }
    if !silent.is_empty() {
        report.emit(
            &tag::DS07_NO_RESPONSE_DNSKEY,
            args![ns_list = ns_list(silent)],
        );
    }
    if !not_authoritative.is_empty() {
        report.emit(
            &tag::DS07_NON_AUTH_RESPONSE_DNSKEY,
            args![ns_list = ns_list(not_authoritative)],
        );
    }
    for (rcode, servers) in &by_rcode {
        report.emit(
            &tag::DS07_UNEXP_RCODE_RESP_DNSKEY,
            args![ns_list = ns_list(servers.iter().copied()), rcode = rcode],
        );
    }
    if !unsigned.is_empty() {
        report.emit(
            &tag::DS07_NOT_SIGNED_ON_SERVER,
            args![ns_list = ns_list(unsigned.iter().copied())],
        );
    }
    if signed.is_empty() {
        return;
    }
    report.emit(
        &tag::DS07_SIGNED_ON_SERVER,
        args![ns_list = ns_list(signed.iter().copied())],
    );
    let is_signed_everywhere = unsigned.is_empty();
    if is_signed_everywhere {
        report.emit(&tag::DS07_SIGNED, args![]);
    } else {
        report.emit(&tag::DS07_INCONSISTENT_SIGNED, args![]);
    }

    let (with_ds, without_ds) = parent_ds(ctx, report).await;
    if !without_ds.is_empty() {
        report.emit(
            &tag::DS07_NO_DS_ON_PARENT_SERVER,
            args![ns_list = without_ds.join(";")],
        );
    }
    if !with_ds.is_empty() {
        report.emit(
            &tag::DS07_DS_ON_PARENT_SERVER,
            args![ns_list = with_ds.join(";")],
        );
    }
    if !with_ds.is_empty() && !without_ds.is_empty() {
        report.emit(&tag::DS07_INCONSISTENT_DS, args![]);
    } else if is_signed_everywhere && !without_ds.is_empty() {
        report.emit(&tag::DS07_NO_DS_FOR_SIGNED_ZONE, args![]);
    } else if is_signed_everywhere && !with_ds.is_empty() {
        report.emit(&tag::DS07_DS_FOR_SIGNED_ZONE, args![]);
    }
}

/// The parent servers (as `ns_list` labels, sorted) whose usable DS
/// answer (NOERROR, AA, DO echoed) holds the child's DS with an RRSIG over
/// it, and those whose usable answer does not; unusable answers count for
/// neither. A supplied DS stands for one parent, `-`, with a DS; an
/// undelegated test without one, or the root, asks no parent.
async fn parent_ds(ctx: &Context, report: &mut Report) -> (Vec<String>, Vec<String>) {
    if ctx.fake.as_ref().is_some_and(|fake| !fake.ds.is_empty()) {
        return (vec!["-".to_owned()], Vec::new());
    }
    if ctx.is_undelegated() || ctx.zone.is_root() {
        return (Vec::new(), Vec::new());
    }
    let parents = parent_servers_v2(ctx).await;
    let query = dnssec_query(&ctx.zone, RecordType::DS);
    let asked = ctx.ask_each(report, &parents, &query).await;
    let (mut with_ds, mut without_ds) = (Vec::new(), Vec::new());
    for (server, packet) in asked.replies() {
        if !is_aa_noerror(&packet) || !echoes_do(&packet) {
            continue;
        }
        let has_ds = Packet::records(&packet.answer, &ctx.zone, RecordType::DS)
            .next()
            .is_some()
            && has_rrsig_over(&packet.answer, RecordType::DS);
        if has_ds {
            with_ds.push(server.label());
        } else {
            without_ds.push(server.label());
        }
    }
    for list in [&mut with_ds, &mut without_ds] {
        list.sort();
        list.dedup();
    }
    (with_ds, without_ds)
}
