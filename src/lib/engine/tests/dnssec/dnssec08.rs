//! DNSSEC08: the DNSKEY RRset is validly signed (engine spec §3.6).
//!
//! Each child server's DNSKEY answer (NOERROR, AA, the zone's DNSKEYs) is
//! checked: its RRSIGs over the DNSKEY RRset must be current at the time
//! of the reply and verify with a key of that RRset. DNSSEC09 judges the
//! RRSIG(SOA) the same way, with [`SignatureCheck`].

use std::collections::{BTreeMap, BTreeSet};

use hickory_proto::dnssec::rdata::RRSIG;

use super::algorithms::algorithm;
use super::shared::{
    Key, Timing, Verification, dnssec_query, is_aa_noerror, keys_in, rrset, rrsig_algorithm,
    rrsig_tag, rrsigs_over, timing, verify_with,
};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec08(ctx: &Context, report: &mut Report) {
    let servers = super::shared::child_servers(ctx).await;
    let query = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut check = SignatureCheck::default();
    for (server, outcome) in asked.outcomes() {
        let Some(response) = outcome.response() else {
            continue;
        };
        let packet = response.packet();
        let Some(keys) = usable_keys(ctx, &packet) else {
            continue;
        };
        let signed = rrset(&packet.answer, &ctx.zone, RecordType::DNSKEY);
        let rrsigs = rrsigs_over(&packet.answer, &ctx.zone, RecordType::DNSKEY);
        let at = ctx.time_of(response);
        check.server(server.address, &rrsigs, &keys, &signed, at);
    }
    check.emit(report, &DNSKEY_TAGS);
}

/// The zone's DNSKEYs in a usable DNSKEY answer: NOERROR, AA and at least
/// one DNSKEY owned by the zone.
pub fn usable_keys(ctx: &Context, packet: &Packet) -> Option<Vec<Key>> {
    let keys = keys_in(&packet.answer, &ctx.zone);
    (is_aa_noerror(packet) && !keys.is_empty()).then_some(keys)
}

/// The tags one signed RRset is reported with.
pub struct SignatureTags {
    /// No RRSIG at all (ns_ip_list).
    pub missing: &'static Tag,
    /// Inception ahead (keytag, ns_ip_list).
    pub not_yet_valid: &'static Tag,
    /// Expiration passed (keytag, ns_ip_list).
    pub expired: &'static Tag,
    /// An algorithm we cannot check (keytag, algo_num, algo_mnemo,
    /// ns_ip_list).
    pub algo_not_supported: &'static Tag,
    /// No DNSKEY with the key tag (keytag, ns_ip_list).
    pub no_matching_dnskey: &'static Tag,
    /// The signature does not verify (keytag, ns_ip_list).
    pub not_valid: &'static Tag,
}

const DNSKEY_TAGS: SignatureTags = SignatureTags {
    missing: &tag::DS08_MISSING_RRSIG_IN_RESPONSE,
    not_yet_valid: &tag::DS08_DNSKEY_RRSIG_NOT_YET_VALID,
    expired: &tag::DS08_DNSKEY_RRSIG_EXPIRED,
    algo_not_supported: &tag::DS08_ALGO_NOT_SUPPORTED_BY_ZM,
    no_matching_dnskey: &tag::DS08_NO_MATCHING_DNSKEY,
    not_valid: &tag::DS08_RRSIG_NOT_VALID_BY_DNSKEY,
};

/// What one signature amounts to, in the order the findings are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// Its inception is ahead.
    NotYetValid,
    /// Its expiration has passed.
    Expired,
    /// Its algorithm (the number) cannot be checked here.
    AlgorithmNotSupported(u8),
    /// No key of the RRset has its key tag and algorithm.
    NoMatchingKey,
    /// Keys match and none verifies it.
    NotValid,
}

/// Judges `rrsig` over `signed` with `keys` at `at`: timing first, then
/// the verification; `None` when it is current and valid.
pub fn problem_of(
    rrsig: &RRSIG,
    keys: &[Key],
    signed: &[Record],
    at: std::time::SystemTime,
) -> Option<Problem> {
    match timing(rrsig, at) {
        Timing::NotYetValid => return Some(Problem::NotYetValid),
        Timing::Expired => return Some(Problem::Expired),
        Timing::Current => {}
    }
    match verify_with(rrsig, keys, signed) {
        Verification::Valid => None,
        Verification::NoKey => Some(Problem::NoMatchingKey),
        Verification::NotSupported => Some(Problem::AlgorithmNotSupported(rrsig_algorithm(rrsig))),
        Verification::Invalid => Some(Problem::NotValid),
    }
}

/// The findings over every server, gathered by problem and key tag so that
/// each is reported once with the addresses that showed it.
#[derive(Debug, Default)]
pub struct SignatureCheck {
    missing: BTreeSet<IpAddr>,
    problems: BTreeMap<(Problem, u16), BTreeSet<IpAddr>>,
}

impl SignatureCheck {
    /// Records what the signatures `rrsigs` over `signed` from `address`
    /// show, checked with `keys` at `at`.
    pub fn server(
        &mut self,
        address: IpAddr,
        rrsigs: &[RRSIG],
        keys: &[Key],
        signed: &[Record],
        at: std::time::SystemTime,
    ) {
        if rrsigs.is_empty() {
            self.missing.insert(address);
        }
        for rrsig in rrsigs {
            if let Some(problem) = problem_of(rrsig, keys, signed, at) {
                self.problems
                    .entry((problem, rrsig_tag(rrsig)))
                    .or_default()
                    .insert(address);
            }
        }
    }

    /// Emits the findings with `tags`.
    pub fn emit(&self, report: &mut Report, tags: &SignatureTags) {
        if !self.missing.is_empty() {
            let addresses = ns_ip_list(&self.missing);
            report.emit(tags.missing, args![ns_ip_list = addresses]);
        }
        for ((problem, keytag), addresses) in &self.problems {
            let addresses = ns_ip_list(addresses);
            let found = match problem {
                Problem::NotYetValid => tags.not_yet_valid,
                Problem::Expired => tags.expired,
                Problem::NoMatchingKey => tags.no_matching_dnskey,
                Problem::NotValid => tags.not_valid,
                Problem::AlgorithmNotSupported(number) => {
                    report.emit(
                        tags.algo_not_supported,
                        args![
                            keytag = keytag,
                            algo_num = number,
                            algo_mnemo = algorithm(*number).mnemonic,
                            ns_ip_list = addresses,
                        ],
                    );
                    continue;
                }
            };
            report.emit(found, args![keytag = keytag, ns_ip_list = addresses]);
        }
    }
}
