//! DNSSEC13: every algorithm of the DNSKEY RRset signs the DNSKEY, SOA and
//! NS RRsets (engine spec §3.6, RFC 6840 §5.11).
//!
//! A child server counts when its three answers are NOERROR, AA, and each
//! holds the zone's records of the type with RRSIGs over them; a server
//! that fails one of them is left out.

use std::collections::{BTreeMap, BTreeSet};

use super::algorithms::algorithm;
use super::shared::{
    child_servers, dnssec_query, is_aa_noerror, keys_in, rrset, rrsig_algorithm, rrsigs_over,
};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The signed types in the order they are asked and reported, with the
/// tag of an algorithm missing over them.
const SIGNED: [(RecordType, &Tag); 3] = [
    (RecordType::DNSKEY, &tag::DS13_ALGO_NOT_SIGNED_DNSKEY),
    (RecordType::SOA, &tag::DS13_ALGO_NOT_SIGNED_SOA),
    (RecordType::NS, &tag::DS13_ALGO_NOT_SIGNED_NS),
];

/// The test case.
pub async fn dnssec13(ctx: &Context, report: &mut Report) {
    let servers = child_servers(ctx).await;
    let questions: Vec<(&[Ns], Query)> = SIGNED
        .iter()
        .map(|(rtype, _)| (servers.as_slice(), dnssec_query(&ctx.zone, *rtype)))
        .collect();
    let asked = ctx.ask_each_of(report, &questions).await;
    // (type index, algorithm) → servers lacking a signature of it.
    let mut unsigned: BTreeMap<(usize, u8), BTreeSet<IpAddr>> = BTreeMap::new();
    let by_server = asked[0]
        .outcomes()
        .zip(asked[1].outcomes())
        .zip(asked[2].outcomes());
    for (((server, dnskey), (_, soa)), (_, ns)) in by_server {
        let (Some(dnskey), Some(soa), Some(ns)) = (dnskey.packet(), soa.packet(), ns.packet())
        else {
            continue;
        };
        let Some(signatures) = signature_algorithms(ctx, &[&dnskey, &soa, &ns]) else {
            continue;
        };
        let algorithms: BTreeSet<u8> = keys_in(&dnskey.answer, &ctx.zone)
            .iter()
            .map(|key| key.algorithm())
            .collect();
        for (index, signed_with) in signatures.iter().enumerate() {
            for number in algorithms.difference(signed_with) {
                unsigned
                    .entry((index, *number))
                    .or_default()
                    .insert(server.address);
            }
        }
    }
    for ((index, number), addresses) in unsigned {
        let Some((_, found)) = SIGNED.get(index) else {
            continue;
        };
        report.emit(
            found,
            args![
                ns_ip_list = ns_ip_list(&addresses),
                algo_num = number,
                algo_mnemo = algorithm(number).mnemonic,
            ],
        );
    }
}

/// Per signed type, the algorithms of the RRSIGs over it, when all three
/// answers are usable.
fn signature_algorithms(ctx: &Context, packets: &[&Packet; 3]) -> Option<Vec<BTreeSet<u8>>> {
    SIGNED
        .iter()
        .zip(packets)
        .map(|((rtype, _), packet)| {
            let has_records = !rrset(&packet.answer, &ctx.zone, *rtype).is_empty();
            let rrsigs = rrsigs_over(&packet.answer, &ctx.zone, *rtype);
            (is_aa_noerror(packet) && has_records && !rrsigs.is_empty())
                .then(|| rrsigs.iter().map(rrsig_algorithm).collect())
        })
        .collect()
}
