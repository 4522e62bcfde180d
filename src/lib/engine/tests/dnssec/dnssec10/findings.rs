//! What DNSSEC10's probes found, as sets of server addresses per finding.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::tests::prelude::*;

/// A set of server addresses.
pub(super) type Addresses = BTreeSet<IpAddr>;
/// Server addresses per RRSIG key tag.
pub(super) type ByKeytag = BTreeMap<u16, Addresses>;

/// What one probe's answer section showed, per address.
#[derive(Default)]
pub(super) struct AnswerFindings {
    /// No reply, not NOERROR or not authoritative.
    pub(super) response_error: Addresses,
    /// The record asked for is in the answer.
    pub(super) in_answer: Addresses,
    /// More than one of it.
    pub(super) multiple: Addresses,
    /// One, owned by another name than the apex.
    pub(super) mismatches_apex: Addresses,
    /// An answer without the record asked for.
    pub(super) erroneous_answer: Addresses,
}

/// What the NODATA proofs of one kind (NSEC or NSEC3) showed.
#[derive(Default)]
pub(super) struct ProofFindings {
    /// The probe gave NODATA with this kind of record.
    pub(super) nodata: Addresses,
    /// No SOA in the authority section.
    pub(super) missing_soa: Addresses,
    /// The SOA is owned by another name than the apex.
    pub(super) wrong_soa: Addresses,
    /// More than one record of the kind.
    pub(super) multiple: Addresses,
    /// One record, not the apex's (owner, or NSEC3 hash).
    pub(super) mismatches_apex: Addresses,
    /// The apex record's bitmap lacks a required type or lists a
    /// forbidden one.
    pub(super) wrong_types: Addresses,
    /// No RRSIG over the record.
    pub(super) missing_signature: Addresses,
    /// An RRSIG whose key tag no DNSKEY has.
    pub(super) no_dnskey: ByKeytag,
    /// An RRSIG past its expiration.
    pub(super) expired: ByKeytag,
    /// An RRSIG before its inception.
    pub(super) not_yet_valid: ByKeytag,
    /// An RRSIG no key of its tag verifies.
    pub(super) verify_error: ByKeytag,
    /// At least one signature verified.
    pub(super) verified: Addresses,
}

/// Everything the probes showed.
#[derive(Default)]
pub(super) struct Findings {
    /// Authoritative DNSKEY answers with keys.
    pub(super) with_dnskey: Addresses,
    /// Authoritative answers without keys.
    pub(super) without_dnskey: Addresses,
    /// The NSEC probe's answers.
    pub(super) nsec_answer: AnswerFindings,
    /// The NSEC3PARAM probe's answers.
    pub(super) nsec3param_answer: AnswerFindings,
    /// NSEC proofs, from the NSEC3PARAM probe.
    pub(super) nsec_proof: ProofFindings,
    /// NSEC3 proofs, from the NSEC probe.
    pub(super) nsec3_proof: ProofFindings,
    /// Per (key tag, algorithm) of a key we cannot verify with.
    pub(super) algorithm_not_supported: BTreeMap<(u16, u8), Addresses>,
}

/// The addresses in either set.
pub(super) fn union(one: &Addresses, other: &Addresses) -> Addresses {
    one.union(other).copied().collect()
}

/// The addresses in exactly one of the sets.
pub(super) fn symmetric_difference(one: &Addresses, other: &Addresses) -> Addresses {
    one.symmetric_difference(other).copied().collect()
}
