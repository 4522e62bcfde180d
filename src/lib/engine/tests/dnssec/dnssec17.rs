//! DNSSEC17: the CDNSKEY records are valid (engine spec §3.6, RFC 7344,
//! RFC 8078).
//!
//! DNSSEC16's shape ([`super::cds_shared`]) for CDNSKEY: a CDNSKEY carries
//! its own flags, so it is judged a zone key and a SEP key by itself, and
//! matched to the DNSKEY set by its computed key tag.

use hickory_proto::dnssec::rdata::RRSIG;

use super::cds_shared::{
    self, ChildRecord, DnskeyView, Finding, Findings, ServerView, is_signed_by,
};
use super::shared::{SEP_FLAG, ZONE_FLAG};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec17(ctx: &Context, report: &mut Report) {
    let views = cds_shared::gather(ctx, report, RecordType::CDNSKEY).await;
    cds_shared::emit(report, &findings(&views), tag_of);
}

/// What the servers' answers show.
pub(super) fn findings(views: &[ServerView]) -> Findings {
    cds_shared::judge(views, ChildRecord::from_cdnskey, cdnskey_rules)
}

/// Not a zone key: nothing more. Otherwise its SEP flag, then the DNSKEY
/// with its key tag and the signatures by it.
fn cdnskey_rules(cdnskey: &ChildRecord, dnskey: &DnskeyView, signatures: &[RRSIG]) -> Vec<Finding> {
    let flags = cdnskey.flags.unwrap_or_default();
    if flags & ZONE_FLAG == 0 {
        return vec![Finding::NonZone(cdnskey.tag)];
    }
    let mut findings = Vec::new();
    if flags & SEP_FLAG == 0 {
        findings.push(Finding::NonSep(cdnskey.tag));
    }
    if dnskey.with_tag(cdnskey.tag).next().is_none() {
        findings.push(Finding::MatchesNoDnskey(cdnskey.tag));
        return findings;
    }
    if !dnskey.is_signed_by(cdnskey.tag) {
        findings.push(Finding::DnskeyNotSignedBy(cdnskey.tag));
    }
    if !is_signed_by(signatures, cdnskey.tag) {
        findings.push(Finding::NotSignedBy(cdnskey.tag));
    }
    findings
}

fn tag_of(finding: Finding) -> &'static Tag {
    match finding {
        Finding::WithoutDnskey => &tag::DS17_CDNSKEY_WITHOUT_DNSKEY,
        Finding::MixedDelete => &tag::DS17_MIXED_DELETE_CDNSKEY,
        Finding::Delete => &tag::DS17_DELETE_CDNSKEY,
        Finding::MatchesNoDnskey(_) => &tag::DS17_CDNSKEY_MATCHES_NO_DNSKEY,
        Finding::NonZone(_) => &tag::DS17_CDNSKEY_IS_NON_ZONE,
        Finding::NonSep(_) => &tag::DS17_CDNSKEY_IS_NON_SEP,
        Finding::DnskeyNotSignedBy(_) => &tag::DS17_DNSKEY_NOT_SIGNED_BY_CDNSKEY,
        Finding::NotSignedBy(_) => &tag::DS17_CDNSKEY_NOT_SIGNED_BY_CDNSKEY,
        Finding::InvalidRrsig(_) => &tag::DS17_CDNSKEY_INVALID_RRSIG,
        Finding::Unsigned => &tag::DS17_CDNSKEY_UNSIGNED,
        Finding::SignedByUnknown(_) => &tag::DS17_CDNSKEY_SIGNED_BY_UNKNOWN_DNSKEY,
    }
}
