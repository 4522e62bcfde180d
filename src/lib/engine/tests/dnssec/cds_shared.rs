//! What DNSSEC15, 16 and 17 share: reading CDS and CDNSKEY records
//! (RFC 7344, with the "delete" records of RFC 8078 §4: CDS `0 0 0 00`,
//! CDNSKEY `0 3 0 AA==`), and the one shape of DNSSEC16 and DNSSEC17
//! (engine spec §3.6): ask each child server for the child's record set,
//! then for its DNSKEY set, and judge each server on its own.
//!
//! The records are read from their RDATA octets rather than from
//! hickory-proto's types, so that a record hickory refuses (a CDNSKEY whose
//! protocol is not 3, say) is still looked at, as the reference does.

use std::collections::{BTreeMap, BTreeSet};
use std::time::SystemTime;

use hickory_proto::dnssec::rdata::{DNSSECRData, RRSIG};

use super::shared::{
    Key, SEP_FLAG, Timing, Verification, ZONE_FLAG, dnssec_query, is_aa_noerror, rrsig_tag, timing,
    verify_with,
};
use crate::dnssec::canonical::canonical_rdata;
use crate::dnssec::keytag;
use crate::engine::tags::Tag;
use crate::engine::tests::prelude::*;

/// The fields of a record laid out as a DNSKEY (DNSKEY, CDNSKEY; RFC 4034
/// §2.1) that the test cases look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyFields {
    /// The flags field.
    pub flags: u16,
    /// The algorithm number; 0 in a "delete" CDNSKEY.
    pub algorithm: u8,
    /// The key tag computed over the RDATA (RFC 4034 Appendix B).
    pub tag: u16,
}

impl KeyFields {
    /// The ZONE flag is set.
    pub fn is_zone_key(&self) -> bool {
        self.flags & ZONE_FLAG != 0
    }

    /// The SEP flag is set.
    pub fn is_sep(&self) -> bool {
        self.flags & SEP_FLAG != 0
    }
}

/// The fields of a record laid out as a DS (DS, CDS; RFC 4034 §5.1) that
/// the test cases look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DsFields {
    /// The key tag field.
    pub tag: u16,
    /// The algorithm number; 0 in a "delete" CDS.
    pub algorithm: u8,
}

/// A record's RDATA octets, whether hickory decoded it or kept it raw.
pub fn rdata_octets(record: &Record) -> Option<Vec<u8>> {
    canonical_rdata(record).ok()
}

/// The DNSKEY-layout fields of `record`; `None` when its RDATA is too short
/// to hold flags, protocol and algorithm.
pub fn key_fields(record: &Record) -> Option<KeyFields> {
    let rdata = rdata_octets(record)?;
    let flags = u16::from_be_bytes([*rdata.first()?, *rdata.get(1)?]);
    let algorithm = *rdata.get(3)?;
    Some(KeyFields {
        flags,
        algorithm,
        tag: keytag::key_tag(&rdata),
    })
}

/// The DS-layout fields of `record`; `None` when its RDATA is too short to
/// hold key tag, algorithm and digest type.
pub fn ds_fields(record: &Record) -> Option<DsFields> {
    let rdata = rdata_octets(record)?;
    rdata.get(3)?;
    Some(DsFields {
        tag: u16::from_be_bytes([*rdata.first()?, *rdata.get(1)?]),
        algorithm: *rdata.get(2)?,
    })
}

/// Every RRSIG in an answer section, whatever it covers: the reference
/// takes them all as signatures of the set asked for.
pub fn answer_rrsigs(answer: &[Record]) -> Vec<RRSIG> {
    answer
        .iter()
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => Some(rrsig.clone()),
            _ => None,
        })
        .collect()
}

/// Every record of `rtype` in an answer section, whatever its owner.
pub fn answer_records(answer: &[Record], rtype: RecordType) -> Vec<Record> {
    answer
        .iter()
        .filter(|record| record.record_type() == rtype)
        .cloned()
        .collect()
}

// ---- the shape of DNSSEC16 and DNSSEC17 ------------------------------------

/// A child record (CDS or CDNSKEY) as the judging needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChildRecord {
    /// The key tag it names (CDS) or has (CDNSKEY).
    pub tag: u16,
    /// Its algorithm; 0 for a "delete" record.
    pub algorithm: u8,
    /// Its flags (CDNSKEY only).
    pub flags: Option<u16>,
}

impl ChildRecord {
    /// Reads a CDS.
    pub fn from_cds(record: &Record) -> Option<Self> {
        let fields = ds_fields(record)?;
        Some(Self {
            tag: fields.tag,
            algorithm: fields.algorithm,
            flags: None,
        })
    }

    /// Reads a CDNSKEY.
    pub fn from_cdnskey(record: &Record) -> Option<Self> {
        let fields = key_fields(record)?;
        Some(Self {
            tag: fields.tag,
            algorithm: fields.algorithm,
            flags: Some(fields.flags),
        })
    }

    /// A "delete" record (RFC 8078 §4).
    pub fn is_delete(&self) -> bool {
        self.algorithm == 0
    }
}

/// A server's usable DNSKEY answer.
#[derive(Clone, Debug)]
pub struct DnskeyView {
    /// Every DNSKEY of the answer, read from its octets.
    pub fields: Vec<KeyFields>,
    /// The DNSKEYs hickory could decode, to verify with.
    pub keys: Vec<Key>,
    /// The RRSIGs of the answer.
    pub signatures: Vec<RRSIG>,
    /// When signatures are judged: the DNSKEY reply's time.
    pub at: SystemTime,
}

impl DnskeyView {
    /// From the answer section of a usable DNSKEY reply; `None` when it
    /// holds no DNSKEY.
    pub fn from_answer(answer: &[Record], at: SystemTime) -> Option<Self> {
        let records = answer_records(answer, RecordType::DNSKEY);
        if records.is_empty() {
            return None;
        }
        let keys = records
            .iter()
            .filter_map(|record| match &record.data {
                RData::DNSSEC(DNSSECRData::DNSKEY(dnskey)) => Some(Key::new(dnskey)),
                _ => None,
            })
            .collect();
        Some(Self {
            fields: records.iter().filter_map(key_fields).collect(),
            keys,
            signatures: answer_rrsigs(answer),
            at,
        })
    }

    /// The keys with key tag `tag`.
    pub fn with_tag(&self, tag: u16) -> impl Iterator<Item = &KeyFields> {
        self.fields.iter().filter(move |key| key.tag == tag)
    }

    /// The DNSKEY set carries an RRSIG with key tag `tag`.
    pub fn is_signed_by(&self, tag: u16) -> bool {
        is_signed_by(&self.signatures, tag)
    }
}

/// What one server gave: its non-empty child record set with the answer's
/// RRSIGs, and its DNSKEY answer if usable.
#[derive(Clone, Debug)]
pub struct ServerView {
    /// The server's address.
    pub address: IpAddr,
    /// The child records (CDS or CDNSKEY) of the answer.
    pub records: Vec<Record>,
    /// The RRSIGs of that answer.
    pub signatures: Vec<RRSIG>,
    /// The usable DNSKEY answer, if any.
    pub dnskey: Option<DnskeyView>,
}

/// Asks every child server (each address once) for the child's `rtype`
/// set, then the servers that gave a non-empty set, and only those, for
/// the DNSKEY set; both with DO over UDP, usable only if AA NOERROR.
pub async fn gather(ctx: &Context, report: &mut Report, rtype: RecordType) -> Vec<ServerView> {
    let servers = super::shared::child_servers(ctx).await;
    let asked = ctx
        .ask_each(report, &servers, &dnssec_query(&ctx.zone, rtype))
        .await;
    let mut views: Vec<ServerView> = asked
        .replies()
        .filter(|(_, packet)| is_aa_noerror(packet))
        .filter_map(|(server, packet)| {
            let records = answer_records(&packet.answer, rtype);
            (!records.is_empty()).then(|| ServerView {
                address: server.address,
                records,
                signatures: answer_rrsigs(&packet.answer),
                dnskey: None,
            })
        })
        .collect();
    // The family messages name the DNSKEY question too, as the reference's do.
    let next: Vec<Ns> = servers
        .iter()
        .filter(|server| {
            !ctx.families.allows(server.address)
                || views.iter().any(|view| view.address == server.address)
        })
        .cloned()
        .collect();
    let dnskeys = ctx
        .ask_each(report, &next, &dnssec_query(&ctx.zone, RecordType::DNSKEY))
        .await;
    for (server, outcome) in dnskeys.outcomes() {
        let (Some(packet), Some(response)) = (outcome.packet(), outcome.response()) else {
            continue;
        };
        if !is_aa_noerror(&packet) {
            continue;
        }
        if let Some(view) = views.iter_mut().find(|view| view.address == server.address) {
            view.dnskey = DnskeyView::from_answer(&packet.answer, ctx.time_of(response));
        }
    }
    views
}

/// A finding of DNSSEC16 or DNSSEC17, in the order the messages come out;
/// the number is the key tag of the record or signature concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    /// A child record set, no DNSKEY set.
    WithoutDnskey,
    /// A "delete" record among others.
    MixedDelete,
    /// A "delete" record alone.
    Delete,
    /// No DNSKEY has the record's key tag.
    MatchesNoDnskey(u16),
    /// The key the record stands for lacks the ZONE flag.
    NonZone(u16),
    /// The key the record stands for lacks the SEP flag.
    NonSep(u16),
    /// The DNSKEY set has no RRSIG by the record's key.
    DnskeyNotSignedBy(u16),
    /// The child record set has no RRSIG by the record's key.
    NotSignedBy(u16),
    /// An RRSIG over the child records fails verification.
    InvalidRrsig(u16),
    /// The child record set has no RRSIG.
    Unsigned,
    /// An RRSIG over the child records by a key not in the DNSKEY set.
    SignedByUnknown(u16),
}

impl Finding {
    /// The key tag the message names, if it names one.
    pub fn keytag(self) -> Option<u16> {
        match self {
            Self::WithoutDnskey | Self::MixedDelete | Self::Delete | Self::Unsigned => None,
            Self::MatchesNoDnskey(tag)
            | Self::NonZone(tag)
            | Self::NonSep(tag)
            | Self::DnskeyNotSignedBy(tag)
            | Self::NotSignedBy(tag)
            | Self::InvalidRrsig(tag)
            | Self::SignedByUnknown(tag) => Some(tag),
        }
    }
}

/// Each finding with the servers it was found on.
pub type Findings = BTreeMap<Finding, BTreeSet<IpAddr>>;

/// The per-record rules of one test case: what a non-delete child record
/// says about the server's DNSKEY answer and its own set's RRSIGs.
pub type RecordRules = fn(&ChildRecord, &DnskeyView, &[RRSIG]) -> Vec<Finding>;

/// Judges every server: "delete" records first (nothing more is looked
/// at then), a missing DNSKEY set, each record by `rules`, then the
/// signatures over the child record set.
pub fn judge(
    views: &[ServerView],
    read: fn(&Record) -> Option<ChildRecord>,
    rules: RecordRules,
) -> Findings {
    let mut findings = Findings::new();
    for view in views {
        for finding in judge_server(view, read, rules) {
            findings.entry(finding).or_default().insert(view.address);
        }
    }
    findings
}

fn judge_server(
    view: &ServerView,
    read: fn(&Record) -> Option<ChildRecord>,
    rules: RecordRules,
) -> Vec<Finding> {
    let records: Vec<ChildRecord> = view.records.iter().filter_map(read).collect();
    if records.iter().any(ChildRecord::is_delete) {
        let is_mixed = records.iter().any(|record| !record.is_delete());
        return vec![if is_mixed {
            Finding::MixedDelete
        } else {
            Finding::Delete
        }];
    }
    let Some(dnskey) = &view.dnskey else {
        return vec![Finding::WithoutDnskey];
    };
    let mut findings: Vec<Finding> = records
        .iter()
        .flat_map(|record| rules(record, dnskey, &view.signatures))
        .collect();
    if view.signatures.is_empty() {
        findings.push(Finding::Unsigned);
    }
    for rrsig in &view.signatures {
        let tag = rrsig_tag(rrsig);
        if dnskey.with_tag(tag).next().is_none() {
            findings.push(Finding::SignedByUnknown(tag));
        } else if is_invalid(rrsig, dnskey, &view.records) {
            findings.push(Finding::InvalidRrsig(tag));
        }
    }
    findings
}

/// The signature is out of its validity period at the DNSKEY reply's
/// time, or keys with its tag fail to verify it. An algorithm we cannot
/// check is not called invalid (these test cases have no "not supported"
/// tag, so nothing is said of it): we cannot tell, so we never say
/// invalid (the reference does, its library failing on it).
fn is_invalid(rrsig: &RRSIG, dnskey: &DnskeyView, rrset: &[Record]) -> bool {
    if timing(rrsig, dnskey.at) != Timing::Current {
        return true;
    }
    matches!(
        verify_with(rrsig, &dnskey.keys, rrset),
        Verification::Invalid | Verification::NoKey
    )
}

/// Any RRSIG in `signatures` has key tag `tag`.
pub fn is_signed_by(signatures: &[RRSIG], tag: u16) -> bool {
    signatures.iter().any(|rrsig| rrsig_tag(rrsig) == tag)
}

/// Emits `findings` in their order, each with the tag `tag_of` gives it,
/// its key tag if it has one and its servers' addresses.
pub fn emit(report: &mut Report, findings: &Findings, tag_of: fn(Finding) -> &'static Tag) {
    for (finding, addresses) in findings {
        let ns_ip_list = ns_ip_list(addresses);
        match finding.keytag() {
            Some(keytag) => report.emit(
                tag_of(*finding),
                args![keytag = keytag, ns_ip_list = ns_ip_list],
            ),
            None => report.emit(tag_of(*finding), args![ns_ip_list = ns_ip_list]),
        }
    }
}
