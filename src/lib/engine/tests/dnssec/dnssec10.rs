//! DNSSEC10: a signed zone proves non-existence with NSEC or with NSEC3,
//! the same way on every server, with correct and validly signed records
//! (engine spec §3.6).
//!
//! The servers are MethodsV2's delegation and zone servers; each address
//! is asked once and what it shows is said of every name it serves under.
//! A server that gives the DNSKEY RRset authoritatively is then probed
//! twice at the apex, with DO:
//!
//! - NSEC: a zone with NSEC answers with its apex NSEC; a zone with NSEC3
//!   answers NODATA with the apex's NSEC3 in the authority section.
//! - NSEC3PARAM: the mirror image; NSEC3 answers with the NSEC3PARAM, NSEC
//!   with NODATA and the apex NSEC.
//!
//! The NODATA proofs are checked in full (SOA, one record, the apex's
//! owner or hash, the type bitmap, the signatures verified with the DNSKEY
//! RRset the server gave); the answers only for count and owner. The
//! verdicts then compare what each server showed.

use std::collections::{BTreeMap, BTreeSet};
use std::time::SystemTime;

use hickory_proto::dnssec::rdata::RRSIG;

use super::algorithms::algorithm;
use super::shared::{Key, dnssec_query, epoch_seconds, is_aa_noerror, keys_in, rrsig_algorithm};
use super::shared::{rrsig_tag, rrsigs_over};
use crate::dnssec::denial::{Nsec3Fields, nsec_types};
use crate::dnssec::nsec3::{base32hex, nsec3_hash};
use crate::dnssec::verify::Verdict;
use crate::dnssec::verify_rrsig;
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// A set of server addresses.
type Addresses = BTreeSet<IpAddr>;
/// Server addresses per RRSIG key tag.
type ByKeytag = BTreeMap<u16, Addresses>;

/// What one probe's answer section showed, per address.
#[derive(Default)]
struct AnswerFindings {
    /// No reply, not NOERROR or not authoritative.
    response_error: Addresses,
    /// The record asked for is in the answer.
    in_answer: Addresses,
    /// More than one of it.
    multiple: Addresses,
    /// One, owned by another name than the apex.
    mismatches_apex: Addresses,
    /// An answer without the record asked for.
    erroneous_answer: Addresses,
}

/// What the NODATA proofs of one kind (NSEC or NSEC3) showed.
#[derive(Default)]
struct ProofFindings {
    /// The probe gave NODATA with this kind of record.
    nodata: Addresses,
    missing_soa: Addresses,
    wrong_soa: Addresses,
    multiple: Addresses,
    mismatches_apex: Addresses,
    wrong_types: Addresses,
    missing_signature: Addresses,
    no_dnskey: ByKeytag,
    expired: ByKeytag,
    not_yet_valid: ByKeytag,
    verify_error: ByKeytag,
    /// At least one signature verified.
    verified: Addresses,
}

/// Everything the probes showed.
#[derive(Default)]
struct Findings {
    with_dnskey: Addresses,
    without_dnskey: Addresses,
    /// The NSEC probe's answers.
    nsec_answer: AnswerFindings,
    /// The NSEC3PARAM probe's answers.
    nsec3param_answer: AnswerFindings,
    /// NSEC proofs, from the NSEC3PARAM probe.
    nsec_proof: ProofFindings,
    /// NSEC3 proofs, from the NSEC probe.
    nsec3_proof: ProofFindings,
    /// Per (key tag, algorithm) of a key we cannot verify with.
    algorithm_not_supported: BTreeMap<(u16, u8), Addresses>,
}

/// The kind of denial a NODATA proof is made of, with what its apex
/// record's bitmap must and must not list.
#[derive(Clone, Copy)]
pub(super) struct Kind {
    rtype: RecordType,
    required: [RecordType; 5],
    forbidden: [RecordType; 2],
}

/// NSEC proofs.
pub(super) const NSEC: Kind = Kind {
    rtype: RecordType::NSEC,
    required: [
        RecordType::SOA,
        RecordType::NS,
        RecordType::DNSKEY,
        RecordType::NSEC,
        RecordType::RRSIG,
    ],
    forbidden: [RecordType::NSEC3PARAM, RecordType::NSEC3],
};

/// NSEC3 proofs.
pub(super) const NSEC3: Kind = Kind {
    rtype: RecordType::NSEC3,
    required: [
        RecordType::SOA,
        RecordType::NS,
        RecordType::DNSKEY,
        RecordType::NSEC3PARAM,
        RecordType::RRSIG,
    ],
    forbidden: [RecordType::NSEC, RecordType::NSEC3],
};

/// The test case.
pub async fn dnssec10(ctx: &Context, report: &mut Report) {
    let servers = all_servers(ctx).await;
    let asked_servers = one_per_address(&servers);
    let dnskey = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &asked_servers, &dnskey).await;
    let mut findings = Findings::default();
    let mut keys: BTreeMap<IpAddr, Vec<Key>> = BTreeMap::new();
    for (server, packet) in asked.replies() {
        if !is_aa_noerror(packet) {
            continue;
        }
        if Packet::records(&packet.answer, &ctx.zone, RecordType::DNSKEY)
            .next()
            .is_none()
        {
            findings.without_dnskey.insert(server.address);
        } else {
            findings.with_dnskey.insert(server.address);
            keys.insert(server.address, keys_in(&packet.answer, &ctx.zone));
        }
    }
    // A server of a disabled family is named again for both probes, as
    // the reference does; it is not asked.
    let probed: Vec<Ns> = asked_servers
        .iter()
        .filter(|server| {
            findings.with_dnskey.contains(&server.address) || !ctx.families.allows(server.address)
        })
        .cloned()
        .collect();
    let nsec = dnssec_query(&ctx.zone, RecordType::NSEC);
    let nsec3param = dnssec_query(&ctx.zone, RecordType::NSEC3PARAM);
    let probes = ctx
        .ask_each_of(report, &[(&probed, nsec), (&probed, nsec3param)])
        .await;
    let no_keys = Vec::new();
    if let [nsec_probe, nsec3param_probe] = probes.as_slice() {
        let Findings {
            nsec_answer,
            nsec3param_answer,
            nsec_proof,
            nsec3_proof,
            algorithm_not_supported,
            ..
        } = &mut findings;
        let probe = |server: &Ns| Probe {
            ctx,
            keys: keys.get(&server.address).unwrap_or(&no_keys),
            address: server.address,
        };
        for (server, outcome) in nsec_probe.outcomes() {
            probe(server).judge(
                outcome,
                RecordType::NSEC,
                NSEC3,
                nsec_answer,
                nsec3_proof,
                algorithm_not_supported,
            );
        }
        for (server, outcome) in nsec3param_probe.outcomes() {
            probe(server).judge(
                outcome,
                RecordType::NSEC3PARAM,
                NSEC,
                nsec3param_answer,
                nsec_proof,
                algorithm_not_supported,
            );
        }
    }
    Verdicts {
        ctx,
        servers: &servers,
        findings: &findings,
    }
    .emit(report);
}

/// MethodsV2's delegation and zone servers with an address, each
/// `name/address` once, in the order found.
async fn all_servers(ctx: &Context) -> Vec<Ns> {
    let (delegation, zone) = futures::join!(ctx.methods.del_ns(), ctx.methods.zone_ns());
    let mut servers: Vec<Ns> = Vec::new();
    for entry in delegation
        .unwrap_or_default()
        .iter()
        .chain(zone.unwrap_or_default())
    {
        let Some(address) = entry.address else {
            continue;
        };
        let server = Ns {
            name: entry.name.clone(),
            address,
        };
        if !servers.contains(&server) {
            servers.push(server);
        }
    }
    servers
}

/// One server's probe replies judged against its DNSKEY RRset.
struct Probe<'a> {
    ctx: &'a Context,
    keys: &'a [Key],
    address: IpAddr,
}

impl Probe<'_> {
    /// Judges the reply to the probe for `asked` at the apex: its answer,
    /// or its NODATA proof of `kind`.
    fn judge(
        &self,
        outcome: &Outcome,
        asked: RecordType,
        kind: Kind,
        answer: &mut AnswerFindings,
        proof: &mut ProofFindings,
        not_supported: &mut BTreeMap<(u16, u8), Addresses>,
    ) {
        let Some(response) = outcome.response() else {
            answer.response_error.insert(self.address);
            return;
        };
        let packet = &response.packet;
        if !is_aa_noerror(packet) {
            answer.response_error.insert(self.address);
        } else if !packet.answer.is_empty() {
            judge_answer(&self.ctx.zone, packet, asked, self.address, answer);
        } else if packet
            .authority
            .iter()
            .any(|r| r.record_type() == kind.rtype)
        {
            let at = self.ctx.time_of(response);
            self.judge_proof(packet, kind, at, proof, not_supported);
        }
    }

    /// A NODATA reply with `kind` records in authority: its SOA, the one
    /// record proving the apex, and that record's signatures.
    fn judge_proof(
        &self,
        packet: &Packet,
        kind: Kind,
        at: SystemTime,
        proof: &mut ProofFindings,
        not_supported: &mut BTreeMap<(u16, u8), Addresses>,
    ) {
        let address = self.address;
        let zone = &self.ctx.zone;
        proof.nodata.insert(address);
        match packet
            .authority
            .iter()
            .find(|r| r.record_type() == RecordType::SOA)
        {
            None => {
                proof.missing_soa.insert(address);
            }
            Some(soa) if !soa.name.eq_ignore_root(zone) => {
                proof.wrong_soa.insert(address);
            }
            Some(_) => {}
        }
        let records: Vec<&Record> = packet
            .authority
            .iter()
            .filter(|r| r.record_type() == kind.rtype)
            .collect();
        let [record] = records.as_slice() else {
            proof.multiple.insert(address);
            return;
        };
        let types = if kind.rtype == RecordType::NSEC3 {
            Nsec3Fields::of(record).and_then(|fields| {
                is_apex_hash(zone, &record.name, &fields).then_some(fields.types)
            })
        } else if record.name.eq_ignore_root(zone) {
            Some(nsec_types(record).unwrap_or_default())
        } else {
            None
        };
        match types {
            None => {
                proof.mismatches_apex.insert(address);
            }
            Some(types) if !has_apex_types(kind, &types) => {
                proof.wrong_types.insert(address);
            }
            Some(_) => {}
        }
        self.judge_signatures(packet, record, kind, at, proof, not_supported);
    }

    /// The signatures over the proving record, each judged on its own:
    /// a key with its tag, its validity period, then the cryptography.
    fn judge_signatures(
        &self,
        packet: &Packet,
        record: &Record,
        kind: Kind,
        at: SystemTime,
        proof: &mut ProofFindings,
        not_supported: &mut BTreeMap<(u16, u8), Addresses>,
    ) {
        let address = self.address;
        let rrsigs: Vec<RRSIG> = [&packet.answer, &packet.authority, &packet.additional]
            .into_iter()
            .flat_map(|section| rrsigs_over(section, &record.name, kind.rtype))
            .collect();
        if rrsigs.is_empty() {
            proof.missing_signature.insert(address);
            return;
        }
        let rrset = [(*record).clone()];
        for rrsig in &rrsigs {
            let keytag = rrsig_tag(rrsig);
            let keys: Vec<&Key> = self.keys.iter().filter(|key| key.tag == keytag).collect();
            let at_keytag = |by: &mut ByKeytag| {
                by.entry(keytag).or_default().insert(address);
            };
            if keys.is_empty() {
                at_keytag(&mut proof.no_dnskey);
            } else if is_expired(rrsig, at) {
                at_keytag(&mut proof.expired);
            } else if is_not_yet_valid(rrsig, at) {
                at_keytag(&mut proof.not_yet_valid);
            } else {
                match verify_with_each(rrsig, &keys, &rrset) {
                    Checked::Verified => {
                        proof.verified.insert(address);
                    }
                    Checked::NotSupported(key) => {
                        not_supported
                            .entry((key.tag, key.algorithm()))
                            .or_default()
                            .insert(address);
                    }
                    Checked::Failed => at_keytag(&mut proof.verify_error),
                }
            }
        }
    }
}

/// The answer to a probe: the record asked for, once, at the apex.
fn judge_answer(
    zone: &Name,
    packet: &Packet,
    asked: RecordType,
    address: IpAddr,
    findings: &mut AnswerFindings,
) {
    let records: Vec<&Record> = packet.answers_of(asked).collect();
    match records.as_slice() {
        [] => {
            findings.erroneous_answer.insert(address);
        }
        [record] => {
            findings.in_answer.insert(address);
            if !record.name.eq_ignore_root(zone) {
                findings.mismatches_apex.insert(address);
            }
        }
        _ => {
            findings.in_answer.insert(address);
            findings.multiple.insert(address);
        }
    }
}

/// The NSEC3 owner's first label is the apex's hash under the record's own
/// algorithm, salt and iterations.
pub(super) fn is_apex_hash(zone: &Name, owner: &Name, fields: &Nsec3Fields) -> bool {
    let Some(label) = owner.iter().next() else {
        return false;
    };
    nsec3_hash(fields.hash_algorithm, zone, &fields.salt, fields.iterations)
        .is_some_and(|hash| base32hex(&hash).as_bytes().eq_ignore_ascii_case(label))
}

/// The apex record's bitmap lists every required type and no forbidden
/// one.
pub(super) fn has_apex_types(kind: Kind, types: &[u16]) -> bool {
    let has = |rtype: &RecordType| types.contains(&u16::from(*rtype));
    kind.required.iter().all(has) && !kind.forbidden.iter().any(has)
}

/// RFC 1982 serial order on the 32-bit RRSIG times.
fn is_before(a: u32, b: u32) -> bool {
    a != b && b.wrapping_sub(a) < (1 << 31)
}

/// The expiration has passed at `at` (checked before the inception, as
/// the reference does).
pub(super) fn is_expired(rrsig: &RRSIG, at: SystemTime) -> bool {
    is_before(rrsig.input().sig_expiration.get(), epoch_seconds(at))
}

/// The inception is still ahead at `at`.
pub(super) fn is_not_yet_valid(rrsig: &RRSIG, at: SystemTime) -> bool {
    is_before(epoch_seconds(at), rrsig.input().sig_inception.get())
}

/// What checking one signature with the keys of its tag found.
pub(super) enum Checked<'a> {
    /// One of the keys verifies it.
    Verified,
    /// None does, and the last key tried is of an algorithm we cannot
    /// check.
    NotSupported(&'a Key),
    /// None does.
    Failed,
}

/// Tries each key of the signature's tag in turn. A key of another
/// algorithm than the signature's cannot verify it. When none verifies,
/// the last key decides between "not supported" and "failed", as in the
/// reference.
pub(super) fn verify_with_each<'a>(
    rrsig: &RRSIG,
    keys: &[&'a Key],
    rrset: &[Record],
) -> Checked<'a> {
    let mut last = Checked::Failed;
    for key in keys {
        let verdict = if key.algorithm() == rrsig_algorithm(rrsig) {
            verify_rrsig(rrsig, &key.dnskey, rrset)
        } else {
            Verdict::Invalid
        };
        last = match verdict {
            Verdict::Valid => return Checked::Verified,
            Verdict::NotSupported(_) => Checked::NotSupported(key),
            Verdict::Invalid => Checked::Failed,
        };
    }
    last
}

/// The messages, from the findings of every server.
struct Verdicts<'a> {
    ctx: &'a Context,
    servers: &'a [Ns],
    findings: &'a Findings,
}

impl Verdicts<'_> {
    fn emit(&self, report: &mut Report) {
        let found = self.findings;
        let (nsec_answer, nsec3param_answer) = (&found.nsec_answer, &found.nsec3param_answer);
        let (nsec_proof, nsec3_proof) = (&found.nsec_proof, &found.nsec3_proof);
        self.emit_set(
            report,
            &tag::DS10_ERR_MULT_NSEC,
            &union(&nsec_answer.multiple, &nsec_proof.multiple),
        );
        self.emit_set(report, &tag::DS10_ERR_MULT_NSEC3, &nsec3_proof.multiple);
        self.emit_set(
            report,
            &tag::DS10_ERR_MULT_NSEC3PARAM,
            &nsec3param_answer.multiple,
        );
        self.emit_consistency(report);
        self.emit_set(
            report,
            &tag::DS10_NSEC_ERR_TYPE_LIST,
            &nsec_proof.wrong_types,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC_MISMATCHES_APEX,
            &union(&nsec_answer.mismatches_apex, &nsec_proof.mismatches_apex),
        );
        self.emit_wrong_soa(
            report,
            &tag::DS10_NSEC_NODATA_WRONG_SOA,
            &nsec_proof.wrong_soa,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC_NODATA_MISSING_SOA,
            &nsec_proof.missing_soa,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC_GIVES_ERR_ANSWER,
            &nsec_answer.erroneous_answer,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC_QUERY_RESPONSE_ERR,
            &nsec_answer.response_error,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3_ERR_TYPE_LIST,
            &nsec3_proof.wrong_types,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3_MISMATCHES_APEX,
            &nsec3_proof.mismatches_apex,
        );
        self.emit_wrong_soa(
            report,
            &tag::DS10_NSEC3_NODATA_WRONG_SOA,
            &nsec3_proof.wrong_soa,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3_NODATA_MISSING_SOA,
            &nsec3_proof.missing_soa,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3PARAM_GIVES_ERR_ANSWER,
            &nsec3param_answer.erroneous_answer,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3PARAM_MISMATCHES_APEX,
            &nsec3param_answer.mismatches_apex,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3PARAM_QUERY_RESPONSE_ERR,
            &nsec3param_answer.response_error,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC_MISSING_SIGNATURE,
            &nsec_proof.missing_signature,
        );
        self.emit_set(
            report,
            &tag::DS10_NSEC3_MISSING_SIGNATURE,
            &nsec3_proof.missing_signature,
        );
        self.emit_signatures(report, nsec_proof, &NSEC_SIGNATURE_TAGS);
        self.emit_signatures(report, nsec3_proof, &NSEC3_SIGNATURE_TAGS);
        for ((keytag, number), addresses) in &found.algorithm_not_supported {
            report.emit(
                &tag::DS10_ALGO_NOT_SUPPORTED_BY_ZM,
                args![
                    keytag = keytag,
                    algo_num = number,
                    algo_mnemo = algorithm(*number).mnemonic,
                    ns_ip_list = ns_ip_list(addresses),
                ],
            );
        }
        self.emit_support(report);
        self.emit_set(
            report,
            &tag::DS10_EXPECTED_NSEC_NSEC3_MISSING,
            &found
                .with_dnskey
                .difference(&union(&self.nsec_side(), &self.nsec3_side()))
                .copied()
                .collect(),
        );
    }

    /// Servers that showed NSEC: the apex NSEC in answer or an NSEC proof.
    fn nsec_side(&self) -> Addresses {
        union(
            &self.findings.nsec_answer.in_answer,
            &self.findings.nsec_proof.nodata,
        )
    }

    /// Servers that showed NSEC3: the NSEC3PARAM in answer or an NSEC3
    /// proof.
    fn nsec3_side(&self) -> Addresses {
        union(
            &self.findings.nsec3param_answer.in_answer,
            &self.findings.nsec3_proof.nodata,
        )
    }

    /// NSEC against NSEC3, per server and across servers. The two
    /// "inconsistent" sets are built as the reference builds them: the
    /// servers where the two probes disagree about one kind, compared
    /// (symmetric difference) with the servers that showed the other kind.
    fn emit_consistency(&self, report: &mut Report) {
        let found = self.findings;
        let (nsec, nsec3) = (self.nsec_side(), self.nsec3_side());
        let inconsistent = |one: &Addresses, other: &Addresses, rest: &Addresses| {
            let disagreeing = symmetric_difference(one, other);
            let result = symmetric_difference(&disagreeing, rest);
            (!disagreeing.is_empty()).then_some(result)
        };
        if let Some(addresses) = inconsistent(
            &found.nsec_answer.in_answer,
            &found.nsec_proof.nodata,
            &nsec3,
        ) {
            self.emit_set(report, &tag::DS10_INCONSISTENT_NSEC, &addresses);
        }
        if let Some(addresses) = inconsistent(
            &found.nsec3param_answer.in_answer,
            &found.nsec3_proof.nodata,
            &nsec,
        ) {
            self.emit_set(report, &tag::DS10_INCONSISTENT_NSEC3, &addresses);
        }
        self.emit_set(
            report,
            &tag::DS10_MIXED_NSEC_NSEC3,
            &nsec.intersection(&nsec3).copied().collect(),
        );
        if nsec3.is_empty() {
            self.emit_set(report, &tag::DS10_HAS_NSEC, &nsec);
        }
        if nsec.is_empty() {
            self.emit_set(report, &tag::DS10_HAS_NSEC3, &nsec3);
        }
        let is_split = !nsec.is_subset(&nsec3) && !nsec3.is_subset(&nsec);
        if is_split {
            report.emit(
                &tag::DS10_INCONSISTENT_NSEC_NSEC3,
                args![
                    ns_list = self.list(&union(&nsec, &nsec3)),
                    ns_list_nsec = self.list(&nsec),
                    ns_list_nsec3 = self.list(&nsec3),
                ],
            );
        }
    }

    /// The signature findings of one kind, then the servers where no
    /// signature verified.
    fn emit_signatures(&self, report: &mut Report, proof: &ProofFindings, tags: &SignatureTags) {
        let per_keytag = [
            (tags.no_dnskey, &proof.no_dnskey),
            (tags.expired, &proof.expired),
            (tags.not_yet_valid, &proof.not_yet_valid),
            (tags.verify_error, &proof.verify_error),
        ];
        let mut troubled = Addresses::new();
        for (tag, by_keytag) in per_keytag {
            for (keytag, addresses) in by_keytag {
                report.emit(tag, args![keytag = keytag, ns_list = self.list(addresses)]);
                troubled.extend(addresses);
            }
        }
        let unverified: Addresses = troubled.difference(&proof.verified).copied().collect();
        self.emit_set(report, tags.no_verified_signature, &unverified);
    }

    /// No server, or only some, with a DNSKEY RRset.
    fn emit_support(&self, report: &mut Report) {
        let found = self.findings;
        if found.with_dnskey.is_empty() {
            self.emit_set(report, &tag::DS10_ZONE_NO_DNSSEC, &found.without_dnskey);
        } else {
            self.emit_set(report, &tag::DS10_SERVER_NO_DNSSEC, &found.without_dnskey);
        }
    }

    /// `tag` with the servers at `addresses`, unless there are none.
    fn emit_set(&self, report: &mut Report, tag: &'static Tag, addresses: &Addresses) {
        if !addresses.is_empty() {
            report.emit(tag, args![ns_list = self.list(addresses)]);
        }
    }

    /// A wrong-SOA tag, which also names the zone.
    fn emit_wrong_soa(&self, report: &mut Report, tag: &'static Tag, addresses: &Addresses) {
        if !addresses.is_empty() {
            report.emit(
                tag,
                args![domain = self.ctx.zone, ns_list = self.list(addresses)],
            );
        }
    }

    /// Every server name at one of `addresses`, as an `ns_list`.
    fn list(&self, addresses: &Addresses) -> String {
        ns_list(
            self.servers
                .iter()
                .filter(|server| addresses.contains(&server.address)),
        )
    }
}

/// The tags of one kind's signature findings.
struct SignatureTags {
    no_dnskey: &'static Tag,
    expired: &'static Tag,
    not_yet_valid: &'static Tag,
    verify_error: &'static Tag,
    no_verified_signature: &'static Tag,
}

const NSEC_SIGNATURE_TAGS: SignatureTags = SignatureTags {
    no_dnskey: &tag::DS10_NSEC_RRSIG_NO_DNSKEY,
    expired: &tag::DS10_NSEC_RRSIG_EXPIRED,
    not_yet_valid: &tag::DS10_NSEC_RRSIG_NOT_YET_VALID,
    verify_error: &tag::DS10_NSEC_RRSIG_VERIFY_ERROR,
    no_verified_signature: &tag::DS10_NSEC_NO_VERIFIED_SIGNATURE,
};

const NSEC3_SIGNATURE_TAGS: SignatureTags = SignatureTags {
    no_dnskey: &tag::DS10_NSEC3_RRSIG_NO_DNSKEY,
    expired: &tag::DS10_NSEC3_RRSIG_EXPIRED,
    not_yet_valid: &tag::DS10_NSEC3_RRSIG_NOT_YET_VALID,
    verify_error: &tag::DS10_NSEC3_RRSIG_VERIFY_ERROR,
    no_verified_signature: &tag::DS10_NSEC3_NO_VERIFIED_SIGNATURE,
};

fn union(one: &Addresses, other: &Addresses) -> Addresses {
    one.union(other).copied().collect()
}

fn symmetric_difference(one: &Addresses, other: &Addresses) -> Addresses {
    one.symmetric_difference(other).copied().collect()
}
