//! One signature, one public key: does it verify?
//!
//! RSA (algorithms 5, 7, 8, 10) goes through RustCrypto `rsa` with PKCS#1
//! v1.5 padding, which takes keys from 512 bits up (`ring` stops at 1024);
//! the key is read per RFC 3110. ECDSA P-256/P-384 (13, 14, RFC 6605) and
//! Ed25519 (15, RFC 8080) go through `ring`; Ed448 (16, RFC 8080) through
//! RustCrypto `ed448-goldilocks` (PureEdDSA, empty context). Any other
//! algorithm is [`Verdict::NotSupported`]: we cannot tell, so we never say
//! invalid.

use ring::digest;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use sha2::{Sha256, Sha512};

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The signature is the key's signature over the data.
    Valid,
    /// It is not (or the key or signature cannot be what the algorithm
    /// makes).
    Invalid,
    /// We cannot check this algorithm or this key; the reason says why.
    NotSupported(String),
}

/// The largest RSA modulus accepted, in bits (RFC 3110 allows 4096; a
/// little room for zones that go further).
const RSA_MAX_BITS: usize = 16384;

/// DER DigestInfo prefix for SHA-1 (RFC 8017 §9.2, note 1).
const SHA1_DIGEST_INFO: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];

/// Whether [`verify`] can check signatures of this algorithm.
pub fn is_supported(algorithm: u8) -> bool {
    matches!(algorithm, 5 | 7 | 8 | 10 | 13 | 14 | 15 | 16)
}

/// Checks `signature` over `signed_data` with the public key field of a
/// DNSKEY (`public_key`, as in the RDATA after flags, protocol and
/// algorithm).
pub fn verify(algorithm: u8, public_key: &[u8], signed_data: &[u8], signature: &[u8]) -> Verdict {
    match algorithm {
        5 | 7 => verify_rsa(
            public_key,
            digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, signed_data).as_ref(),
            Pkcs1v15Sign {
                hash_len: Some(20),
                prefix: SHA1_DIGEST_INFO.to_vec().into_boxed_slice(),
            },
            signature,
        ),
        8 => verify_rsa(
            public_key,
            digest::digest(&digest::SHA256, signed_data).as_ref(),
            Pkcs1v15Sign::new::<Sha256>(),
            signature,
        ),
        10 => verify_rsa(
            public_key,
            digest::digest(&digest::SHA512, signed_data).as_ref(),
            Pkcs1v15Sign::new::<Sha512>(),
            signature,
        ),
        13 => verify_ring_ecdsa(
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            64,
            public_key,
            signed_data,
            signature,
        ),
        14 => verify_ring_ecdsa(
            &ring::signature::ECDSA_P384_SHA384_FIXED,
            96,
            public_key,
            signed_data,
            signature,
        ),
        15 => {
            if public_key.len() != 32 {
                return Verdict::Invalid;
            }
            ring_verdict(
                &ring::signature::ED25519,
                public_key,
                signed_data,
                signature,
            )
        }
        16 => verify_ed448(public_key, signed_data, signature),
        other => Verdict::NotSupported(format!("algorithm {other} is not supported")),
    }
}

/// An RSA public key as DNSKEY carries it (RFC 3110 §2): exponent length
/// (one octet, or zero then two octets), exponent, modulus. Both as
/// big-endian bytes, leading zeros kept.
pub fn rsa_key_parts(public_key: &[u8]) -> Option<(&[u8], &[u8])> {
    let (exponent_len, rest) = match public_key.split_first()? {
        (0, rest) => {
            let (len, rest) = rest.split_at_checked(2)?;
            (usize::from(u16::from_be_bytes([len[0], len[1]])), rest)
        }
        (len, rest) => (usize::from(*len), rest),
    };
    let (exponent, modulus) = rest.split_at_checked(exponent_len)?;
    if exponent.is_empty() || modulus.is_empty() {
        return None;
    }
    Some((exponent, modulus))
}

/// The size of a DNSKEY's key in bits, for the algorithms whose size we
/// know: the RSA modulus length, the DSA size from its T parameter
/// (RFC 2536), the fixed curve sizes of ECDSA, Ed25519 and Ed448. `None` for
/// a malformed key or an unknown algorithm.
pub fn key_size_bits(algorithm: u8, public_key: &[u8]) -> Option<usize> {
    match algorithm {
        1 | 5 | 7 | 8 | 10 => {
            let (_, modulus) = rsa_key_parts(public_key)?;
            let first = modulus.iter().position(|byte| *byte != 0)?;
            let top = modulus[first];
            Some((modulus.len() - first - 1) * 8 + (8 - top.leading_zeros() as usize))
        }
        3 | 6 => public_key
            .first()
            .filter(|t| **t <= 8)
            .map(|t| 512 + 64 * usize::from(*t)),
        12 | 13 | 15 => Some(256),
        14 => Some(384),
        16 => Some(456),
        _ => None,
    }
}

fn verify_rsa(public_key: &[u8], hashed: &[u8], scheme: Pkcs1v15Sign, signature: &[u8]) -> Verdict {
    let Some((exponent, modulus)) = rsa_key_parts(public_key) else {
        return Verdict::Invalid;
    };
    let n = BigUint::from_bytes_be(modulus);
    let e = BigUint::from_bytes_be(exponent);
    let key = match RsaPublicKey::new_with_max_size(n, e, RSA_MAX_BITS) {
        Ok(key) => key,
        Err(error) => return Verdict::NotSupported(format!("RSA key not usable: {error}")),
    };
    match key.verify(scheme, hashed, signature) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid,
    }
}

fn verify_ed448(public_key: &[u8], signed_data: &[u8], signature: &[u8]) -> Verdict {
    let Ok(point) = <&[u8; 57]>::try_from(public_key) else {
        return Verdict::Invalid;
    };
    let Ok(key) = ed448_goldilocks::VerifyingKey::from_bytes(point) else {
        return Verdict::Invalid;
    };
    let Ok(signature) = ed448_goldilocks::Signature::from_slice(signature) else {
        return Verdict::Invalid;
    };
    match key.verify_raw(&signature, signed_data) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid,
    }
}

fn verify_ring_ecdsa(
    algorithm: &'static ring::signature::EcdsaVerificationAlgorithm,
    key_len: usize,
    public_key: &[u8],
    signed_data: &[u8],
    signature: &[u8],
) -> Verdict {
    if public_key.len() != key_len {
        return Verdict::Invalid;
    }
    // RFC 6605 §4: the key is X then Y; ring wants the uncompressed SEC 1
    // point, which puts 0x04 first.
    let mut point = Vec::with_capacity(key_len + 1);
    point.push(0x04);
    point.extend_from_slice(public_key);
    ring_verdict(algorithm, &point, signed_data, signature)
}

fn ring_verdict(
    algorithm: &'static dyn ring::signature::VerificationAlgorithm,
    public_key: &[u8],
    signed_data: &[u8],
    signature: &[u8],
) -> Verdict {
    let key = ring::signature::UnparsedPublicKey::new(algorithm, public_key);
    match key.verify(signed_data, signature) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnssec::keytag::tests::b64;
    use rsa::RsaPrivateKey;
    use rsa::traits::PublicKeyParts;

    #[test]
    fn rsa_key_parts_reads_both_exponent_forms() {
        assert_eq!(
            rsa_key_parts(&[1, 3, 0xc1, 0x5c]),
            Some((&[3u8][..], &[0xc1u8, 0x5c][..]))
        );
        assert_eq!(
            rsa_key_parts(&[0, 0, 1, 3, 0xc1]),
            Some((&[3u8][..], &[0xc1u8][..]))
        );
        assert_eq!(rsa_key_parts(&[]), None);
        assert_eq!(rsa_key_parts(&[3, 1, 0, 1]), None);
        assert_eq!(rsa_key_parts(&[0, 0]), None);
    }

    #[test]
    fn key_sizes() {
        let rsa512 = b64(
            "AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=",
        );
        assert_eq!(key_size_bits(8, &rsa512), Some(512));
        assert_eq!(key_size_bits(13, &[0; 64]), Some(256));
        assert_eq!(key_size_bits(14, &[0; 96]), Some(384));
        assert_eq!(key_size_bits(15, &[0; 32]), Some(256));
        assert_eq!(key_size_bits(16, &[0; 57]), Some(456));
        assert_eq!(key_size_bits(3, &[8]), Some(1024));
        assert_eq!(key_size_bits(8, &[]), None);
        assert_eq!(key_size_bits(200, &[1, 2, 3]), None);
    }

    #[test]
    fn unknown_algorithms_are_not_supported_never_invalid() {
        for algorithm in [1, 3, 6, 12, 17, 253, 254] {
            assert!(
                matches!(
                    verify(algorithm, &[1, 2, 3], b"data", b"sig"),
                    Verdict::NotSupported(_)
                ),
                "algorithm {algorithm}"
            );
        }
    }

    #[test]
    fn malformed_keys_are_invalid() {
        assert_eq!(verify(8, &[], b"data", &[0; 64]), Verdict::Invalid);
        assert_eq!(verify(13, &[0; 10], b"data", &[0; 64]), Verdict::Invalid);
        assert_eq!(verify(15, &[0; 10], b"data", &[0; 64]), Verdict::Invalid);
        assert_eq!(verify(16, &[0; 32], b"data", &[0; 114]), Verdict::Invalid);
        assert_eq!(verify(16, &[0; 57], b"data", &[0; 10]), Verdict::Invalid);
    }

    /// RFC 3110 public key field of an `rsa` crate key.
    fn dnskey_field(key: &rsa::RsaPublicKey) -> Vec<u8> {
        let exponent = key.e().to_bytes_be();
        let mut field = vec![exponent.len() as u8];
        field.extend_from_slice(&exponent);
        field.extend_from_slice(&key.n().to_bytes_be());
        field
    }

    #[test]
    fn generated_512_bit_rsa_keys_verify() {
        let mut rng = rand_core::OsRng;
        let private = RsaPrivateKey::new(&mut rng, 512).expect("512-bit key");
        let field = dnskey_field(&private.to_public_key());
        assert_eq!(key_size_bits(8, &field), Some(512));
        let data = b"signed data";

        let hashed = digest::digest(&digest::SHA256, data);
        let signature = private
            .sign(Pkcs1v15Sign::new::<Sha256>(), hashed.as_ref())
            .expect("sign");
        assert_eq!(verify(8, &field, data, &signature), Verdict::Valid);
        assert_eq!(
            verify(8, &field, b"other data", &signature),
            Verdict::Invalid
        );

        let hashed = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, data);
        let sha1 = Pkcs1v15Sign {
            hash_len: Some(20),
            prefix: SHA1_DIGEST_INFO.to_vec().into_boxed_slice(),
        };
        let signature = private.sign(sha1, hashed.as_ref()).expect("sign");
        assert_eq!(verify(5, &field, data, &signature), Verdict::Valid);
        assert_eq!(verify(7, &field, data, &signature), Verdict::Valid);
        let mut tampered = signature.clone();
        tampered[10] ^= 1;
        assert_eq!(verify(5, &field, data, &tampered), Verdict::Invalid);
    }
}
