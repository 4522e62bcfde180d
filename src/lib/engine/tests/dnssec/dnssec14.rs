//! DNSSEC14: RSA keys are of a size their algorithm allows (engine spec
//! §3.6, RFC 3110, RFC 5702).
//!
//! Every child server by `name/ip` (Method4 and Method5, an address with
//! two names asked twice) gives its DNSKEY RRset; each distinct RSA key
//! (key tag, size, algorithm) is measured once, its size being the bits of
//! its modulus.
//!
//! `KEY_SIZE_OK` is emitted as the specification says (keys found, none of
//! the wrong size, every server with keys); the reference never emits it
//! (spec §3.6, quirk).

use std::collections::BTreeSet;

use hickory_proto::dnssec::PublicKey;
use hickory_proto::dnssec::rdata::DNSSECRData;

use super::algorithms::algorithm;
use super::shared::{Key, dnssec_query};
use crate::dnssec::verify::key_size_bits;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The recommended RSA size in bits.
const RECOMMENDED_BITS: usize = 2048;
/// The largest RSA size allowed, in bits.
const MAX_BITS: usize = 4096;

/// The smallest size allowed for an RSA algorithm; `None` for the others.
fn min_bits(algorithm: u8) -> Option<usize> {
    match algorithm {
        5 | 7 | 8 => Some(512),
        10 => Some(1024),
        _ => None,
    }
}

/// The test case.
pub async fn dnssec14(ctx: &Context, report: &mut Report) {
    let servers = delegation_then_child_servers(ctx).await;
    let query = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut keys: Vec<Key> = Vec::new();
    let mut has_server_without_keys = false;
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::NO_RESPONSE, args![ns = server]);
            continue;
        };
        let found = dnskeys_in(&packet.answer);
        if found.is_empty() {
            report.emit(&tag::NO_RESPONSE_DNSKEY, args![ns = server]);
            has_server_without_keys = true;
        }
        keys.extend(found);
    }
    let mut measured: BTreeSet<(u16, usize, u8)> = BTreeSet::new();
    let mut has_problem = false;
    for key in &keys {
        let number = key.algorithm();
        let Some(min) = min_bits(number) else {
            continue;
        };
        let Some(size) = key_size_bits(number, key.dnskey.public_key().public_bytes()) else {
            continue;
        };
        if !measured.insert((key.tag, size, number)) {
            continue;
        }
        let args = || {
            args![
                algo_num = number,
                algo_descr = algorithm(number).description,
                keytag = key.tag,
                keysize = size,
                keysizemin = min,
                keysizemax = MAX_BITS,
                keysizerec = RECOMMENDED_BITS,
            ]
        };
        if size < min {
            report.emit(&tag::DNSKEY_TOO_SMALL_FOR_ALGO, args());
        }
        if size < RECOMMENDED_BITS {
            report.emit(&tag::DNSKEY_SMALLER_THAN_REC, args());
        }
        if size > MAX_BITS {
            report.emit(&tag::DNSKEY_TOO_LARGE_FOR_ALGO, args());
        }
        has_problem |= !(RECOMMENDED_BITS..=MAX_BITS).contains(&size);
    }
    if !keys.is_empty() && !has_problem && !has_server_without_keys {
        report.emit(&tag::KEY_SIZE_OK, args![]);
    }
}

/// Every DNSKEY of the answer section, whatever its owner.
fn dnskeys_in(section: &[Record]) -> Vec<Key> {
    section
        .iter()
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::DNSKEY(dnskey)) => Some(Key::new(dnskey)),
            _ => None,
        })
        .collect()
}
