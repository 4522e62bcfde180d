//! NSEC and NSEC3 RDATA read from wire bytes (RFC 4034 §4.1, RFC 5155
//! §3.2): the NSEC3 parameters and the type bitmaps.
//!
//! hickory-proto refuses an NSEC3 with a hash algorithm other than SHA-1
//! or with an unassigned flag bit, and such a record reaches us as raw
//! bytes ([`crate::dns::Packet::malformed`]); exactly those records are
//! what DNSSEC03 reports on. Reading the fields here from the bytes
//! serves the decoded and the raw records alike.

use hickory_proto::rr::{RData, Record};

use super::canonical::canonical_rdata;

/// The fields of an NSEC3 RDATA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nsec3Fields {
    /// Hash algorithm (1 = SHA-1, the only one assigned).
    pub hash_algorithm: u8,
    /// Flags; bit 7 (the least significant) is opt-out.
    pub flags: u8,
    /// Extra hash iterations.
    pub iterations: u16,
    /// The salt.
    pub salt: Vec<u8>,
    /// The next hashed owner name, raw.
    pub next_hashed_owner: Vec<u8>,
    /// The types of the type bitmap, ascending.
    pub types: Vec<u16>,
}

impl Nsec3Fields {
    /// Reads an NSEC3 RDATA; `None` when it is cut short or its bitmap is
    /// malformed.
    pub fn parse(rdata: &[u8]) -> Option<Self> {
        let (&hash_algorithm, rest) = rdata.split_first()?;
        let (&flags, rest) = rest.split_first()?;
        let (iterations, rest) = rest.split_at_checked(2)?;
        let iterations = u16::from_be_bytes([*iterations.first()?, *iterations.get(1)?]);
        let (salt, rest) = length_prefixed(rest)?;
        let (next_hashed_owner, rest) = length_prefixed(rest)?;
        Some(Self {
            hash_algorithm,
            flags,
            iterations,
            salt: salt.to_vec(),
            next_hashed_owner: next_hashed_owner.to_vec(),
            types: type_bitmap(rest)?,
        })
    }

    /// The NSEC3 fields of `record`, decoded by hickory or kept raw.
    pub fn of(record: &Record) -> Option<Self> {
        Self::parse(&record_rdata(record)?)
    }
}

/// The types in the bitmap of an NSEC `record`, decoded by hickory or
/// kept raw; `None` when the RDATA is malformed.
pub fn nsec_types(record: &Record) -> Option<Vec<u16>> {
    let rdata = record_rdata(record)?;
    type_bitmap(rdata.get(name_length(&rdata)?..)?)
}

/// The RDATA of `record` in wire form: the bytes hickory could not decode,
/// or hickory's encoding of what it did.
fn record_rdata(record: &Record) -> Option<Vec<u8>> {
    match &record.data {
        RData::Unknown { rdata, .. } => Some(rdata.anything.clone()),
        _ => canonical_rdata(record).ok(),
    }
}

/// Splits off a one-octet length and that many octets.
fn length_prefixed(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&length, rest) = bytes.split_first()?;
    rest.split_at_checked(usize::from(length))
}

/// The length of the uncompressed domain name at the start of `bytes`.
fn name_length(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let length = usize::from(*bytes.get(at)?);
        if length > 63 {
            return None;
        }
        at += 1 + length;
        if length == 0 {
            return Some(at);
        }
    }
}

/// The types of a type bitmap (RFC 4034 §4.1.2): windows of a number, a
/// length of 1–32 and that many bitmap octets, the most significant bit
/// of the first octet being type 0 of the window.
pub fn type_bitmap(mut bytes: &[u8]) -> Option<Vec<u16>> {
    let mut types = Vec::new();
    while let Some((&window, rest)) = bytes.split_first() {
        let (&length, rest) = rest.split_first()?;
        if !(1..=32).contains(&length) {
            return None;
        }
        let (bitmap, rest) = rest.split_at_checked(usize::from(length))?;
        for (index, octet) in (0u16..).zip(bitmap) {
            for bit in 0..8u16 {
                if octet & (0x80 >> bit) != 0 {
                    types.push(u16::from(window) * 256 + index * 8 + bit);
                }
            }
        }
        bytes = rest;
    }
    Some(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5155 Appendix B.1: the NSEC3 at the apex hash of `example`,
    /// salt aabbccdd, 12 iterations, types NS SOA MX RRSIG DNSKEY
    /// NSEC3PARAM.
    #[test]
    fn nsec3_fields_from_wire() {
        let mut rdata = vec![1, 1, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 2, 0x11, 0x22];
        rdata.extend_from_slice(&[0, 7, 0x22, 0x01, 0, 0, 0, 0x02, 0x90]);
        let fields = Nsec3Fields::parse(&rdata).expect("well formed");
        assert_eq!(fields.hash_algorithm, 1);
        assert_eq!(fields.flags, 1);
        assert_eq!(fields.iterations, 12);
        assert_eq!(fields.salt, [0xaa, 0xbb, 0xcc, 0xdd]);
        assert_eq!(fields.next_hashed_owner, [0x11, 0x22]);
        assert_eq!(fields.types, [2, 6, 15, 46, 48, 51]);
    }

    #[test]
    fn cut_short_nsec3_is_refused() {
        assert_eq!(Nsec3Fields::parse(&[1, 0, 0]), None);
        assert_eq!(Nsec3Fields::parse(&[1, 0, 0, 0, 3, 1]), None);
        assert_eq!(Nsec3Fields::parse(&[1, 0, 0, 0, 0, 0, 0, 0]), None);
    }

    #[test]
    fn windows_above_zero() {
        assert_eq!(
            type_bitmap(&[
                0xff, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 1
            ]),
            Some(vec![65535])
        );
        assert_eq!(type_bitmap(&[1, 1, 0x80]), Some(vec![256]));
        assert_eq!(type_bitmap(&[]), Some(vec![]));
    }
}
