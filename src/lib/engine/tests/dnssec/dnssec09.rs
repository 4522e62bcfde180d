//! DNSSEC09: the SOA is validly signed by a key of the zone (engine spec
//! §3.6).
//!
//! A child server counts when its DNSKEY answer is usable (as DNSSEC08's)
//! and its SOA answer is NOERROR, AA and holds the zone's SOA. The
//! RRSIGs over that SOA are judged at the time of the SOA reply against
//! the server's own DNSKEY RRset, as DNSSEC08 judges the RRSIG(DNSKEY).

use super::dnssec08::{SignatureCheck, SignatureTags, usable_keys};
use super::shared::{child_servers, dnssec_query, is_aa_noerror, rrset, rrsigs_over};
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

const SOA_TAGS: SignatureTags = SignatureTags {
    missing: &tag::DS09_MISSING_RRSIG_IN_RESPONSE,
    not_yet_valid: &tag::DS09_SOA_RRSIG_NOT_YET_VALID,
    expired: &tag::DS09_SOA_RRSIG_EXPIRED,
    algo_not_supported: &tag::DS09_ALGO_NOT_SUPPORTED_BY_ZM,
    no_matching_dnskey: &tag::DS09_NO_MATCHING_DNSKEY,
    not_valid: &tag::DS09_RRSIG_NOT_VALID_BY_DNSKEY,
};

/// The test case.
pub async fn dnssec09(ctx: &Context, report: &mut Report) {
    let servers = child_servers(ctx).await;
    let questions = [
        (
            servers.as_slice(),
            dnssec_query(&ctx.zone, RecordType::DNSKEY),
        ),
        (servers.as_slice(), dnssec_query(&ctx.zone, RecordType::SOA)),
    ];
    let asked = ctx.ask_each_of(report, &questions).await;
    let mut check = SignatureCheck::default();
    for ((server, dnskey), (_, soa)) in asked[0].outcomes().zip(asked[1].outcomes()) {
        let Some(keys) = dnskey.packet().and_then(|packet| usable_keys(ctx, &packet)) else {
            continue;
        };
        let Some(soa) = soa.response() else {
            continue;
        };
        let packet = soa.packet();
        let signed = rrset(&packet.answer, &ctx.zone, RecordType::SOA);
        if !is_aa_noerror(&packet) || signed.is_empty() {
            continue;
        }
        let rrsigs = rrsigs_over(&packet.answer, &ctx.zone, RecordType::SOA);
        check.server(server.address, &rrsigs, &keys, &signed, ctx.time_of(soa));
    }
    check.emit(report, &SOA_TAGS);
}
