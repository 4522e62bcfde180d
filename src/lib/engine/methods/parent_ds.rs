//! The DS records of the child as its parent publishes them (or as the user
//! supplied them for an undelegated test, spec §1.11).

use hickory_proto::dnssec::rdata::{DNSSECRData, DS};
use hickory_proto::dnssec::{Algorithm, DigestType};
use hickory_proto::rr::{RData, RecordType};

use super::methods_v2::MethodsV2;
use super::query::is_authoritative;
use crate::dns::{Packet, Query};
use crate::engine::undelegated::DsData;

impl MethodsV2 {
    /// Asks the parent servers (one per address) for DS of the child with
    /// DO set. The first authoritative NOERROR answer holding DS owned by
    /// the child wins; authoritative answers without DS give an empty list;
    /// `None` when the parent is undetermined or no server answered so.
    pub(super) async fn compute_parent_ds(&self) -> Option<Vec<DS>> {
        if let Some(fake) = &self.fake
            && (!fake.ds.is_empty() || fake.is_undelegated())
        {
            return Some(fake.ds.iter().filter_map(supplied_ds).collect());
        }
        let parents = self.parent_servers_by_address().await?;
        let query = Query::new(self.zone.clone(), RecordType::DS).with_dnssec();
        let mut answered = false;
        for parent in parents {
            let Some(reply) = self.ask_with(parent.address, query.clone()).await else {
                continue;
            };
            if !is_authoritative(&reply) {
                continue;
            }
            let records = ds_records(&reply, &self.zone);
            if !records.is_empty() {
                return Some(records);
            }
            answered = true;
        }
        answered.then(Vec::new)
    }
}

/// The DS records owned by `zone` in the answer section.
fn ds_records(packet: &Packet, zone: &hickory_proto::rr::Name) -> Vec<DS> {
    Packet::records(&packet.answer, zone, RecordType::DS)
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::DS(ds)) => Some(ds.clone()),
            _ => None,
        })
        .collect()
}

/// A supplied DS as a record; `None` when its digest is not hexadecimal
/// or a number does not fit its wire field.
fn supplied_ds(data: &DsData) -> Option<DS> {
    Some(DS::new(
        u16::try_from(data.keytag).ok()?,
        Algorithm::from_u8(u8::try_from(data.algorithm).ok()?),
        DigestType::from(u8::try_from(data.digtype).ok()?),
        decode_hex(&data.digest)?,
    ))
}

/// Hexadecimal text (either case, even length) to bytes.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().collect();
    if !digits.len().is_multiple_of(2) || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supplied_ds_keeps_every_field() {
        let data = DsData {
            keytag: 12345,
            algorithm: 13,
            digtype: 2,
            digest: "0aFF10".to_owned(),
        };
        let ds = supplied_ds(&data).unwrap();
        assert_eq!(ds.key_tag(), 12345);
        assert_eq!(ds.algorithm(), Algorithm::ECDSAP256SHA256);
        assert_eq!(ds.digest_type(), DigestType::SHA256);
        assert_eq!(ds.digest(), &[0x0a, 0xff, 0x10]);
    }

    #[test]
    fn numbers_beyond_the_wire_fields_are_left_out() {
        let data = DsData {
            keytag: 70_000,
            algorithm: 13,
            digtype: 2,
            digest: "0aff".to_owned(),
        };
        assert!(supplied_ds(&data).is_none());
        assert!(
            supplied_ds(&DsData {
                keytag: 1,
                algorithm: 256,
                ..data
            })
            .is_none()
        );
    }

    #[test]
    fn bad_hex_is_refused() {
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("+1"), None);
    }
}
