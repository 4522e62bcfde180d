//! The DS digest of a DNSKEY (RFC 4034 §5.1.4): the hash of the owner name in
//! canonical wire form followed by the DNSKEY RDATA. SHA-1 (type 1), SHA-256
//! (type 2, RFC 4509) and SHA-384 (type 4, RFC 6605); `ring` hashes.

use hickory_proto::rr::Name;
use ring::digest;

use super::canonical_name_wire;

/// A digest type this module cannot compute (GOST, type 3, and unassigned
/// numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnsupportedDigest(pub u8);

impl std::fmt::Display for UnsupportedDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DS digest type {} is not supported", self.0)
    }
}

impl std::error::Error for UnsupportedDigest {}

/// Whether [`ds_digest`] computes this digest type.
pub fn is_supported(digest_type: u8) -> bool {
    matches!(digest_type, 1 | 2 | 4)
}

/// The DS digest of the DNSKEY whose owner is `owner` and whose RDATA in wire
/// form is `dnskey_rdata`.
pub fn ds_digest(
    digest_type: u8,
    owner: &Name,
    dnskey_rdata: &[u8],
) -> Result<Vec<u8>, UnsupportedDigest> {
    let algorithm = match digest_type {
        1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        2 => &digest::SHA256,
        4 => &digest::SHA384,
        other => return Err(UnsupportedDigest(other)),
    };
    let mut context = digest::Context::new(algorithm);
    context.update(&canonical_name_wire(owner));
    context.update(dnskey_rdata);
    Ok(context.finish().as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnssec::keytag::dnskey_rdata;
    use crate::dnssec::keytag::tests::{RFC4034_KEY, b64};

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex test vector"))
            .collect()
    }

    fn name(text: &str) -> Name {
        Name::from_ascii(text).expect("name")
    }

    #[test]
    fn rfc4034_sha1_example() {
        let rdata = dnskey_rdata(256, 3, 5, &b64(RFC4034_KEY));
        let want = hex("2BB183AF5F22588179A53B0A98631FAD1A292118");
        assert_eq!(
            ds_digest(1, &name("dskey.example.com."), &rdata),
            Ok(want.clone())
        );
        // The owner is hashed in canonical (lower-case) form.
        assert_eq!(ds_digest(1, &name("DSKEY.Example.COM."), &rdata), Ok(want));
    }

    #[test]
    fn rfc4509_sha256_example() {
        let rdata = dnskey_rdata(256, 3, 5, &b64(RFC4034_KEY));
        let want = hex("D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A");
        assert_eq!(ds_digest(2, &name("dskey.example.com."), &rdata), Ok(want));
    }

    #[test]
    fn rfc6605_examples() {
        let p256 = "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==";
        let rdata = dnskey_rdata(257, 3, 13, &b64(p256));
        let want = hex("b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17");
        assert_eq!(ds_digest(2, &name("example.net."), &rdata), Ok(want));

        let p384 = "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40";
        let rdata = dnskey_rdata(257, 3, 14, &b64(p384));
        let want = hex(
            "72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0563a9b5f4d288405c3008a946df983d6",
        );
        assert_eq!(ds_digest(4, &name("example.net."), &rdata), Ok(want));
    }

    #[test]
    fn rfc8080_ed25519_sha256_example() {
        let key = "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=";
        let rdata = dnskey_rdata(257, 3, 15, &b64(key));
        let want = hex("3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b");
        assert_eq!(ds_digest(2, &name("example.com."), &rdata), Ok(want));
    }

    #[test]
    fn other_digest_types_are_unsupported() {
        for digest_type in [0, 3, 5, 255] {
            assert_eq!(
                ds_digest(digest_type, &name("example."), &[1, 0, 3, 8]),
                Err(UnsupportedDigest(digest_type))
            );
            assert!(!is_supported(digest_type));
        }
    }
}
