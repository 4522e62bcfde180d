//! DNSSEC16: the CDS records are valid (engine spec §3.6, RFC 7344,
//! RFC 8078).
//!
//! Each child server with a CDS set is judged on its own, against its own
//! DNSKEY set: a "delete" CDS ends the judging of that server; otherwise
//! each CDS must name, by key tag, a zone key that signs the DNSKEY set
//! and the CDS set, and every RRSIG over the CDS set must verify at the
//! time of the DNSKEY reply. No CDS anywhere: no message. The shape is
//! DNSSEC17's too ([`super::cds_shared`]).

use hickory_proto::dnssec::rdata::RRSIG;

use super::cds_shared::{
    self, ChildRecord, DnskeyView, Finding, Findings, ServerView, is_signed_by,
};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec16(ctx: &Context, report: &mut Report) {
    let views = cds_shared::gather(ctx, report, RecordType::CDS).await;
    cds_shared::emit(report, &findings(&views), tag_of);
}

/// What the servers' answers show.
pub(super) fn findings(views: &[ServerView]) -> Findings {
    cds_shared::judge(views, ChildRecord::from_cds, cds_rules)
}

/// A CDS names its key by key tag only: no key with it; else a key with
/// it lacks the ZONE flag; else the signatures by it and its SEP flag.
fn cds_rules(cds: &ChildRecord, dnskey: &DnskeyView, signatures: &[RRSIG]) -> Vec<Finding> {
    let keys: Vec<_> = dnskey.with_tag(cds.tag).collect();
    if keys.is_empty() {
        return vec![Finding::MatchesNoDnskey(cds.tag)];
    }
    if keys.iter().any(|key| !key.is_zone_key()) {
        return vec![Finding::NonZone(cds.tag)];
    }
    let mut findings = Vec::new();
    if !dnskey.is_signed_by(cds.tag) {
        findings.push(Finding::DnskeyNotSignedBy(cds.tag));
    }
    if !is_signed_by(signatures, cds.tag) {
        findings.push(Finding::NotSignedBy(cds.tag));
    }
    if keys.iter().any(|key| !key.is_sep()) {
        findings.push(Finding::NonSep(cds.tag));
    }
    findings
}

fn tag_of(finding: Finding) -> &'static Tag {
    match finding {
        Finding::WithoutDnskey => &tag::DS16_CDS_WITHOUT_DNSKEY,
        Finding::MixedDelete => &tag::DS16_MIXED_DELETE_CDS,
        Finding::Delete => &tag::DS16_DELETE_CDS,
        Finding::MatchesNoDnskey(_) => &tag::DS16_CDS_MATCHES_NO_DNSKEY,
        Finding::NonZone(_) => &tag::DS16_CDS_MATCHES_NON_ZONE_DNSKEY,
        Finding::NonSep(_) => &tag::DS16_CDS_MATCHES_NON_SEP_DNSKEY,
        Finding::DnskeyNotSignedBy(_) => &tag::DS16_DNSKEY_NOT_SIGNED_BY_CDS,
        Finding::NotSignedBy(_) => &tag::DS16_CDS_NOT_SIGNED_BY_CDS,
        Finding::InvalidRrsig(_) => &tag::DS16_CDS_INVALID_RRSIG,
        Finding::Unsigned => &tag::DS16_CDS_UNSIGNED,
        Finding::SignedByUnknown(_) => &tag::DS16_CDS_SIGNED_BY_UNKNOWN_DNSKEY,
    }
}
