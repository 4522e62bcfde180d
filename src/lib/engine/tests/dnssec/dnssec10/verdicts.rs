//! DNSSEC10's messages from the findings of every server, in the
//! reference's order.

use super::findings::{Addresses, Findings, ProofFindings, symmetric_difference, union};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::dnssec::algorithms::algorithm;
use crate::engine::tests::prelude::*;

/// The messages, from the findings of every server.
pub(super) struct Verdicts<'a> {
    /// The run.
    pub(super) ctx: &'a Context,
    /// Every server, each name at each address.
    pub(super) servers: &'a [Ns],
    /// What the probes found.
    pub(super) findings: &'a Findings,
}

impl Verdicts<'_> {
    /// Emits every message the findings call for.
    pub(super) fn emit(&self, report: &mut Report) {
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
