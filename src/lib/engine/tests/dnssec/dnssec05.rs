//! DNSSEC05: the zone's DNSKEYs use algorithms fit for zone signing
//! (engine spec §3.6).
//!
//! Every MethodsV2 server (each address once) is asked for the DNSKEY
//! RRset; each (algorithm, key tag) seen is classed by the IANA table in
//! [`super::algorithms`], with the servers that published it.

use std::collections::BTreeMap;

use super::algorithms::{AlgorithmStatus, algorithm};
use super::shared::{dnssec_query, is_aa_noerror, keys_in};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec05(ctx: &Context, report: &mut Report) {
    let servers = methods_v2_servers(ctx).await;
    let query = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut silent: Vec<&Ns> = Vec::new();
    let mut without_keys: Vec<&Ns> = Vec::new();
    let mut with_keys = 0_usize;
    let mut published: BTreeMap<(u8, u16), Vec<&Ns>> = BTreeMap::new();
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet().filter(|packet| is_aa_noerror(packet)) else {
            silent.push(server);
            continue;
        };
        let keys = keys_in(&packet.answer, &ctx.zone);
        if keys.is_empty() {
            without_keys.push(server);
            continue;
        }
        with_keys += 1;
        for key in keys {
            published
                .entry((key.algorithm(), key.tag))
                .or_default()
                .push(server);
        }
    }
    if with_keys == 0 && without_keys.is_empty() {
        if !asked.is_empty() {
            report.emit(&tag::DS05_NO_RESPONSE, args![ns_list = ns_list(silent)]);
        }
        return;
    }
    if with_keys == 0 {
        let servers = ns_list(without_keys);
        report.emit(&tag::DS05_ZONE_NO_DNSSEC, args![ns_list = servers]);
        return;
    }
    if !without_keys.is_empty() {
        let servers = ns_list(without_keys);
        report.emit(&tag::DS05_SERVER_NO_DNSSEC, args![ns_list = servers]);
    }
    for ((number, keytag), servers) in published {
        let row = algorithm(number);
        report.emit(
            status_tag(row.status),
            args![
                ns_list = ns_list(servers),
                keytag = keytag,
                algo_num = number,
                algo_descr = row.description,
                algo_mnemo = row.mnemonic,
            ],
        );
    }
}

/// The tag of an algorithm's class.
fn status_tag(status: AlgorithmStatus) -> &'static Tag {
    match status {
        AlgorithmStatus::Ok => &tag::DS05_ALGO_OK,
        AlgorithmStatus::Deprecated => &tag::DS05_ALGO_DEPRECATED,
        AlgorithmStatus::NotRecommended => &tag::DS05_ALGO_NOT_RECOMMENDED,
        AlgorithmStatus::NotZoneSign => &tag::DS05_ALGO_NOT_ZONE_SIGN,
        AlgorithmStatus::Reserved => &tag::DS05_ALGO_RESERVED,
        AlgorithmStatus::Unassigned => &tag::DS05_ALGO_UNASSIGNED,
        AlgorithmStatus::Private => &tag::DS05_ALGO_PRIVATE,
    }
}
