//! DNSSEC10's judging of one server's reply to a probe: the answer, or
//! the NODATA proof with its SOA, its one record at the apex (owner or
//! NSEC3 hash), that record's type bitmap and its signatures.

use std::collections::BTreeMap;
use std::time::SystemTime;

use hickory_proto::dnssec::rdata::RRSIG;

use super::findings::{Addresses, AnswerFindings, ByKeytag, ProofFindings};
use crate::dnssec::denial::{Nsec3Fields, nsec_types};
use crate::dnssec::nsec3::{base32hex, nsec3_hash};
use crate::dnssec::verify::Verdict;
use crate::dnssec::verify_rrsig;
use crate::engine::tests::dnssec::shared::{Key, epoch_seconds, is_aa_noerror, rrsig_algorithm};
use crate::engine::tests::dnssec::shared::{rrsig_tag, rrsigs_over};
use crate::engine::tests::prelude::*;

/// The kind of denial a NODATA proof is made of, with what its apex
/// record's bitmap must and must not list.
#[derive(Clone, Copy)]
pub(in crate::engine::tests::dnssec) struct Kind {
    /// NSEC or NSEC3.
    rtype: RecordType,
    /// Types the apex record must list.
    required: [RecordType; 5],
    /// Types it must not list.
    forbidden: [RecordType; 2],
}

/// NSEC proofs.
pub(in crate::engine::tests::dnssec) const NSEC: Kind = Kind {
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
pub(in crate::engine::tests::dnssec) const NSEC3: Kind = Kind {
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

/// One server's probe replies judged against its DNSKEY RRset.
pub(super) struct Probe<'a> {
    /// The run.
    pub(super) ctx: &'a Context,
    /// The server's DNSKEY RRset.
    pub(super) keys: &'a [Key],
    /// The server.
    pub(super) address: IpAddr,
}

impl Probe<'_> {
    /// Judges the reply to the probe for `asked` at the apex: its answer,
    /// or its NODATA proof of `kind`.
    pub(super) fn judge(
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
        let packet = &response.packet();
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
pub(in crate::engine::tests::dnssec) fn is_apex_hash(
    zone: &Name,
    owner: &Name,
    fields: &Nsec3Fields,
) -> bool {
    let Some(label) = owner.iter().next() else {
        return false;
    };
    nsec3_hash(fields.hash_algorithm, zone, &fields.salt, fields.iterations)
        .is_some_and(|hash| base32hex(&hash).as_bytes().eq_ignore_ascii_case(label))
}

/// The apex record's bitmap lists every required type and no forbidden
/// one.
pub(in crate::engine::tests::dnssec) fn has_apex_types(kind: Kind, types: &[u16]) -> bool {
    let has = |rtype: &RecordType| types.contains(&u16::from(*rtype));
    kind.required.iter().all(has) && !kind.forbidden.iter().any(has)
}

/// RFC 1982 serial order on the 32-bit RRSIG times.
fn is_before(a: u32, b: u32) -> bool {
    a != b && b.wrapping_sub(a) < (1 << 31)
}

/// The expiration has passed at `at` (checked before the inception, as
/// the reference does).
pub(in crate::engine::tests::dnssec) fn is_expired(rrsig: &RRSIG, at: SystemTime) -> bool {
    is_before(rrsig.input().sig_expiration.get(), epoch_seconds(at))
}

/// The inception is still ahead at `at`.
pub(in crate::engine::tests::dnssec) fn is_not_yet_valid(rrsig: &RRSIG, at: SystemTime) -> bool {
    is_before(epoch_seconds(at), rrsig.input().sig_inception.get())
}

/// What checking one signature with the keys of its tag found.
pub(in crate::engine::tests::dnssec) enum Checked<'a> {
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
pub(in crate::engine::tests::dnssec) fn verify_with_each<'a>(
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
