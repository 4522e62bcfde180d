//! What the DNSSEC test cases share: the DNSSEC query, the server sets of
//! spec §3.6, the keys, signatures and DS records of a reply, and one way
//! to judge a signature's timing and validity.
//!
//! Signatures are judged at [`Context::time_of`] the reply that carried
//! them: the run's fixed clock (`--now`) or the reply's arrival, which in
//! a replay is the time it was recorded.

use std::time::{SystemTime, UNIX_EPOCH};

use hickory_proto::dnssec::PublicKey;
use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS, RRSIG};

use crate::dnssec::verify::Verdict;
use crate::dnssec::{dnskey_wire, keytag, verify_rrsig};
use crate::engine::tests::prelude::*;

/// DNSKEY flags: ZONE.
pub const ZONE_FLAG: u16 = 256;
/// DNSKEY flags: SEP.
pub const SEP_FLAG: u16 = 1;

/// The DNSSEC query of spec §3.6: EDNS 1232 with DO set.
pub fn dnssec_query(name: &Name, rtype: RecordType) -> Query {
    Query::new(name.clone(), rtype).with_dnssec()
}

/// "Child servers": Method4 then Method5, each address once.
pub async fn child_servers(ctx: &Context) -> Vec<Ns> {
    one_per_address(&delegation_then_child_servers(ctx).await)
}

/// Method1's parent servers (DNSSEC02, 11, 18).
pub async fn parent_servers_v1(ctx: &Context) -> Vec<Ns> {
    ctx.zone_v1.parent_servers().await.to_vec()
}

/// MethodsV2's parent servers, Get-Parent-NS-Names-and-IPs (DNSSEC01, 07).
pub async fn parent_servers_v2(ctx: &Context) -> Vec<Ns> {
    ctx.methods
        .parent_servers()
        .await
        .map(<[Ns]>::to_vec)
        .unwrap_or_default()
}

/// Those of `servers` that answer a plain SOA query with NOERROR, AA and
/// the zone's SOA (DNSSEC07, DNSSEC11): the others are left out.
pub async fn authoritative_soa_servers(
    ctx: &Context,
    report: &mut Report,
    servers: &[Ns],
) -> Vec<Ns> {
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, servers, &query).await;
    asked
        .replies()
        .filter(|(_, packet)| {
            is_aa_noerror(packet)
                && Packet::records(&packet.answer, &ctx.zone, RecordType::SOA)
                    .next()
                    .is_some()
        })
        .map(|(server, _)| server.clone())
        .collect()
}

/// NOERROR with AA set.
pub fn is_aa_noerror(packet: &Packet) -> bool {
    packet.rcode == Rcode::NOERROR && packet.aa
}

/// The reply has an OPT record with the DO bit echoed.
pub fn echoes_do(packet: &Packet) -> bool {
    packet.opt.as_ref().is_some_and(|opt| opt.dnssec_ok)
}

/// A DNSKEY as a reply gave it, with its key tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The record's RDATA.
    pub dnskey: DNSKEY,
    /// Its key tag (RFC 4034 Appendix B).
    pub tag: u16,
}

impl Key {
    /// From a DNSKEY RDATA.
    pub fn new(dnskey: &DNSKEY) -> Self {
        Self {
            dnskey: dnskey.clone(),
            tag: keytag::key_tag(&dnskey_wire(dnskey)),
        }
    }

    /// Its algorithm number.
    pub fn algorithm(&self) -> u8 {
        u8::from(self.dnskey.public_key().algorithm())
    }

    /// The ZONE flag is set.
    pub fn is_zone_key(&self) -> bool {
        self.dnskey.flags() & ZONE_FLAG != 0
    }

    /// The SEP flag is set.
    pub fn is_sep(&self) -> bool {
        self.dnskey.flags() & SEP_FLAG != 0
    }
}

/// The records of `rtype` owned by `owner` in `section`.
pub fn rrset(section: &[Record], owner: &Name, rtype: RecordType) -> Vec<Record> {
    Packet::records(section, owner, rtype).cloned().collect()
}

/// The DNSKEYs owned by `owner` in `section`.
pub fn keys_in(section: &[Record], owner: &Name) -> Vec<Key> {
    Packet::records(section, owner, RecordType::DNSKEY)
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::DNSKEY(dnskey)) => Some(Key::new(dnskey)),
            _ => None,
        })
        .collect()
}

/// The DS records owned by `owner` in `section`.
pub fn ds_in(section: &[Record], owner: &Name) -> Vec<DS> {
    Packet::records(section, owner, RecordType::DS)
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::DS(ds)) => Some(ds.clone()),
            _ => None,
        })
        .collect()
}

/// The RRSIGs owned by `owner` in `section` that cover `covered`.
pub fn rrsigs_over(section: &[Record], owner: &Name, covered: RecordType) -> Vec<RRSIG> {
    Packet::records(section, owner, RecordType::RRSIG)
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) if rrsig.input().type_covered == covered => {
                Some(rrsig.clone())
            }
            _ => None,
        })
        .collect()
}

/// Any RRSIG in `section` that covers `covered`, whatever its owner.
pub fn has_rrsig_over(section: &[Record], covered: RecordType) -> bool {
    section.iter().any(|record| {
        matches!(&record.data, RData::DNSSEC(DNSSECRData::RRSIG(rrsig))
            if rrsig.input().type_covered == covered)
    })
}

/// An RRSIG's key tag.
pub fn rrsig_tag(rrsig: &RRSIG) -> u16 {
    rrsig.input().key_tag
}

/// An RRSIG's algorithm number.
pub fn rrsig_algorithm(rrsig: &RRSIG) -> u8 {
    u8::from(rrsig.input().algorithm)
}

/// Where a signature stands in its validity period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// The inception is still ahead.
    NotYetValid,
    /// The expiration has passed.
    Expired,
    /// Inside the period.
    Current,
}

/// Seconds since the epoch, as the 32-bit RRSIG fields count them.
pub fn epoch_seconds(at: SystemTime) -> u32 {
    let seconds = at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    // RRSIG times are serial numbers modulo 2^32 (RFC 4034 §3.1.5).
    (seconds % (1 << 32)) as u32
}

/// `a` is before `b` in serial number arithmetic (RFC 1982).
fn is_before(a: u32, b: u32) -> bool {
    a != b && b.wrapping_sub(a) < (1 << 31)
}

/// Where `rrsig` stands at `at`.
pub fn timing(rrsig: &RRSIG, at: SystemTime) -> Timing {
    let now = epoch_seconds(at);
    let input = rrsig.input();
    if is_before(now, input.sig_inception.get()) {
        Timing::NotYetValid
    } else if is_before(input.sig_expiration.get(), now) {
        Timing::Expired
    } else {
        Timing::Current
    }
}

/// What checking a signature with a set of keys found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// A key with the signature's tag and algorithm verifies it.
    Valid,
    /// No key has the signature's tag and algorithm.
    NoKey,
    /// Keys match, but we cannot check the algorithm.
    NotSupported,
    /// Keys match and none verifies it.
    Invalid,
}

/// Checks `rrsig` over `rrset` with the keys among `keys` that have its key
/// tag and algorithm; validity times are not looked at ([`timing`]).
pub fn verify_with(rrsig: &RRSIG, keys: &[Key], rrset: &[Record]) -> Verification {
    let candidates: Vec<&Key> = keys
        .iter()
        .filter(|key| key.tag == rrsig_tag(rrsig) && key.algorithm() == rrsig_algorithm(rrsig))
        .collect();
    if candidates.is_empty() {
        return Verification::NoKey;
    }
    let mut verdicts = candidates
        .iter()
        .map(|key| verify_rrsig(rrsig, &key.dnskey, rrset));
    let verdicts: Vec<Verdict> = verdicts.by_ref().collect();
    if verdicts.contains(&Verdict::Valid) {
        Verification::Valid
    } else if verdicts
        .iter()
        .all(|verdict| matches!(verdict, Verdict::NotSupported(_)))
    {
        Verification::NotSupported
    } else {
        Verification::Invalid
    }
}

/// A DS record's four fields (RFC 4034 §5.1), whether the decoder made a
/// DS of it or kept its RDATA as raw bytes (a malformed record, see
/// `Packet::malformed`). DNSSEC01, 02 and 18 read the parent's DS set
/// through it, so a DS the decoder refused still counts as published.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DsFields {
    /// The key tag of the DNSKEY it points to.
    pub key_tag: u16,
    /// That DNSKEY's algorithm number.
    pub algorithm: u8,
    /// The digest type number.
    pub digest_type: u8,
    /// The digest.
    pub digest: Vec<u8>,
}

impl DsFields {
    /// The fields of a decoded DS.
    pub fn of(ds: &DS) -> Self {
        Self {
            key_tag: ds.key_tag(),
            algorithm: u8::from(ds.algorithm()),
            digest_type: u8::from(ds.digest_type()),
            digest: ds.digest().to_vec(),
        }
    }

    /// The fields of DS RDATA in wire form; `None` when it is shorter
    /// than the fixed part.
    pub fn from_wire(rdata: &[u8]) -> Option<Self> {
        let (fixed, digest) = rdata.split_at_checked(4)?;
        Some(Self {
            key_tag: u16::from_be_bytes([fixed[0], fixed[1]]),
            algorithm: fixed[2],
            digest_type: fixed[3],
            digest: digest.to_vec(),
        })
    }

    /// The fields of a DS record, decoded or raw; `None` for any other
    /// RDATA.
    pub fn of_record(record: &Record) -> Option<Self> {
        match &record.data {
            RData::DNSSEC(DNSSECRData::DS(ds)) => Some(Self::of(ds)),
            RData::Unknown { code, rdata } if *code == RecordType::DS => {
                Self::from_wire(&rdata.anything)
            }
            _ => None,
        }
    }
}

/// The DS records owned by `owner` in `section`, decoded or raw.
pub fn ds_fields_in(section: &[Record], owner: &Name) -> Vec<DsFields> {
    Packet::records(section, owner, RecordType::DS)
        .filter_map(DsFields::of_record)
        .collect()
}

/// True when the user supplied DS records (spec §1.11); the parent is
/// then not asked, the supplied set stands for what it publishes.
pub fn has_supplied_ds(ctx: &Context) -> bool {
    ctx.fake.as_ref().is_some_and(|fake| !fake.ds.is_empty())
}

/// The supplied DS records (those whose numbers fit their wire fields
/// and whose digest is hexadecimal), for an undelegated test or a test
/// with supplied DS; empty for an undelegated test without DS.
pub async fn supplied_ds(ctx: &Context) -> Vec<DsFields> {
    ctx.methods
        .parent_ds()
        .await
        .unwrap_or_default()
        .iter()
        .map(DsFields::of)
        .collect()
}
