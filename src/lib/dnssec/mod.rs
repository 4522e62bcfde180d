//! DNSSEC cryptography: the pieces the DNSSEC test cases build on.
//!
//! Each file does one job and has its own tests against published examples:
//!
//! - [`keytag`]: the key tag of a DNSKEY (RFC 4034 Appendix B, with the
//!   algorithm 1 special case).
//! - [`digest`]: the DS digest of a DNSKEY for digest types 1 (SHA-1),
//!   2 (SHA-256) and 4 (SHA-384) (RFC 4034 §5.1.4, RFC 4509, RFC 6605).
//! - [`verify`]: checks one signature with one public key for algorithms
//!   5, 7, 8, 10, 13, 14, 15 and 16, and gives a key's size in bits. An algorithm
//!   it cannot check is answered [`verify::Verdict::NotSupported`], never
//!   invalid.
//! - [`canonical`]: the data an RRSIG signs (RFC 4034 §3.1.8.1 and §6):
//!   canonical owner names and RDATA, original TTL, wildcard owners, order
//!   and duplicate removal.
//! - [`nsec3`]: the NSEC3 owner hash (RFC 5155 §5), with its base32hex label.
//!
//! The mathematics is done by maintained crates, never here: `ring` for the
//! SHA digests, ECDSA P-256/P-384 and Ed25519; RustCrypto `rsa` for RSA
//! PKCS#1 v1.5, because it also accepts keys shorter than 1024 bits, which
//! `ring` refuses and DNSSEC14 must still be able to look at; RustCrypto
//! `ed448-goldilocks` for Ed448, which `ring` lacks.

pub mod canonical;
pub mod digest;
pub mod keytag;
pub mod nsec3;
pub mod verify;

use hickory_proto::rr::Name;

/// A domain name in canonical wire form (RFC 4034 §6.2): uncompressed, every
/// ASCII letter lower-cased, ending with the root label.
pub fn canonical_name_wire(name: &Name) -> Vec<u8> {
    let mut wire = Vec::with_capacity(name.len() + 2);
    for label in name.iter() {
        push_label(&mut wire, label);
    }
    wire.push(0);
    wire
}

/// Appends one label, lower-cased, with its length byte.
fn push_label(wire: &mut Vec<u8>, label: &[u8]) {
    // A label from a parsed name is at most 63 octets.
    wire.push(label.len() as u8);
    wire.extend(label.iter().map(u8::to_ascii_lowercase));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_name_wire_lowercases_and_ends_with_root() {
        let name = Name::from_ascii("WWW.Example.NET.").expect("name");
        assert_eq!(
            canonical_name_wire(&name),
            b"\x03www\x07example\x03net\x00".to_vec()
        );
        assert_eq!(canonical_name_wire(&Name::root()), vec![0]);
    }
}
