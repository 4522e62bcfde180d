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
//! - [`denial`]: NSEC and NSEC3 RDATA read from wire bytes: the NSEC3
//!   parameters and the type bitmaps.
//!
//! [`verify_rrsig`] and [`dnskey_wire`] join them for hickory-proto's record
//! types.
//!
//! The mathematics is done by maintained crates, never here: `ring` for the
//! SHA digests, ECDSA P-256/P-384 and Ed25519; RustCrypto `rsa` for RSA
//! PKCS#1 v1.5, because it also accepts keys shorter than 1024 bits, which
//! `ring` refuses and DNSSEC14 must still be able to look at; RustCrypto
//! `ed448-goldilocks` for Ed448, which `ring` lacks.

pub mod canonical;
pub mod denial;
pub mod digest;
pub mod keytag;
pub mod nsec3;
pub mod sign;
pub mod verify;

use hickory_proto::dnssec::PublicKey;
use hickory_proto::dnssec::rdata::{DNSKEY, RRSIG};
use hickory_proto::rr::{Name, Record};

use verify::Verdict;

/// A DNSKEY's RDATA in wire form (protocol 3, the only one hickory-proto
/// keeps), for [`keytag::key_tag`] and [`digest::ds_digest`].
pub fn dnskey_wire(dnskey: &DNSKEY) -> Vec<u8> {
    keytag::dnskey_rdata(
        dnskey.flags(),
        3,
        u8::from(dnskey.public_key().algorithm()),
        dnskey.public_key().public_bytes(),
    )
}

/// Checks an RRSIG over `rrset` with `dnskey`: builds the signed data
/// ([`canonical::signed_data`]) and verifies the signature
/// ([`verify::verify`]) with the RRSIG's algorithm. Neither the validity
/// period, nor the key tag, nor the signer name is looked at; the caller
/// chooses the key. An RRSIG whose label count exceeds the owner's is
/// [`Verdict::Invalid`] (RFC 4035 §5.3.1).
pub fn verify_rrsig(rrsig: &RRSIG, dnskey: &DNSKEY, rrset: &[Record]) -> Verdict {
    let input = rrsig.input();
    let data = match canonical::signed_data(input, rrset) {
        Ok(data) => data,
        Err(canonical::CanonicalError::Labels { .. }) => return Verdict::Invalid,
        Err(error) => return Verdict::NotSupported(error.to_string()),
    };
    verify::verify(
        u8::from(input.algorithm),
        dnskey.public_key().public_bytes(),
        &data,
        rrsig.sig(),
    )
}

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

    /// RFC 6605 §6.1 through hickory-proto's own record types.
    #[test]
    fn verify_rrsig_with_hickory_types() {
        use base64::Engine;
        use hickory_proto::dnssec::rdata::SigInput;
        use hickory_proto::dnssec::{Algorithm, PublicKeyBuf};
        use hickory_proto::rr::rdata::A;
        use hickory_proto::rr::{RData, RecordType, SerialNumber};

        let b64 = |text: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .expect("base64")
        };
        let key = b64(
            "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
        );
        let dnskey = DNSKEY::with_flags(257, PublicKeyBuf::new(key, Algorithm::ECDSAP256SHA256));
        assert_eq!(keytag::key_tag(&dnskey_wire(&dnskey)), 55648);

        let owner = Name::from_ascii("www.example.net.").expect("name");
        let rrset = [Record::from_rdata(
            owner,
            3600,
            RData::A(A::new(192, 0, 2, 1)),
        )];
        let input = SigInput {
            type_covered: RecordType::A,
            algorithm: Algorithm::ECDSAP256SHA256,
            num_labels: 3,
            original_ttl: 3600,
            // 2010-09-09 10:04:39 and 2010-08-12 10:04:39 UTC.
            sig_expiration: SerialNumber::new(1284026679),
            sig_inception: SerialNumber::new(1281607479),
            key_tag: 55648,
            signer_name: Name::from_ascii("example.net.").expect("name"),
        };
        let signature = b64(
            "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
        );
        let rrsig = RRSIG::from_sig(input.clone(), signature.clone());
        assert_eq!(verify_rrsig(&rrsig, &dnskey, &rrset), Verdict::Valid);

        let mut tampered = signature;
        tampered[0] ^= 0x80;
        let rrsig = RRSIG::from_sig(input.clone(), tampered);
        assert_eq!(verify_rrsig(&rrsig, &dnskey, &rrset), Verdict::Invalid);

        let too_many_labels = SigInput {
            num_labels: 4,
            ..input
        };
        let rrsig = RRSIG::from_sig(too_many_labels, vec![0; 64]);
        assert_eq!(verify_rrsig(&rrsig, &dnskey, &rrset), Verdict::Invalid);
    }
}
