//! The key tag of a DNSKEY (RFC 4034 Appendix B).

/// The key tag of a DNSKEY, from its RDATA in wire form (flags, protocol,
/// algorithm, public key).
///
/// For algorithm 1 (RSA/MD5) the tag is the modulus's 3rd and 2nd last
/// octets (RFC 4034 Appendix B.1); for every other algorithm it is the
/// one's-complement-like sum of Appendix B. RDATA too short to hold a key
/// gives what the sum of its octets gives.
pub fn key_tag(dnskey_rdata: &[u8]) -> u16 {
    if dnskey_rdata.get(3) == Some(&1) {
        let len = dnskey_rdata.len();
        if len >= 7 {
            return u16::from_be_bytes([dnskey_rdata[len - 3], dnskey_rdata[len - 2]]);
        }
        return 0;
    }
    let mut sum: u32 = 0;
    for (index, byte) in dnskey_rdata.iter().enumerate() {
        if index % 2 == 0 {
            sum += u32::from(*byte) << 8;
        } else {
            sum += u32::from(*byte);
        }
    }
    sum += (sum >> 16) & 0xffff;
    (sum & 0xffff) as u16
}

/// DNSKEY RDATA in wire form from its parts.
pub fn dnskey_rdata(flags: u16, protocol: u8, algorithm: u8, public_key: &[u8]) -> Vec<u8> {
    let mut rdata = Vec::with_capacity(4 + public_key.len());
    rdata.extend_from_slice(&flags.to_be_bytes());
    rdata.push(protocol);
    rdata.push(algorithm);
    rdata.extend_from_slice(public_key);
    rdata
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::Engine;

    pub(crate) fn b64(text: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .expect("base64 test vector")
    }

    /// RFC 4034 §5.4: dskey.example.com. DNSKEY 256 3 5, "key id = 60485".
    pub(crate) const RFC4034_KEY: &str = "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/\
        2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLU\
        Uh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==";

    #[test]
    fn rfc4034_example_key_tag() {
        let rdata = dnskey_rdata(256, 3, 5, &b64(RFC4034_KEY));
        assert_eq!(key_tag(&rdata), 60485);
    }

    #[test]
    fn rfc6605_and_rfc8080_key_tags() {
        let p256 = "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==";
        assert_eq!(key_tag(&dnskey_rdata(257, 3, 13, &b64(p256))), 55648);
        let p384 = "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40";
        assert_eq!(key_tag(&dnskey_rdata(257, 3, 14, &b64(p384))), 10771);
        let ed25519 = "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=";
        assert_eq!(key_tag(&dnskey_rdata(257, 3, 15, &b64(ed25519))), 3613);
    }

    #[test]
    fn algorithm_1_takes_the_modulus_octets() {
        // Exponent length 1, exponent 3, then a modulus ending 0xab 0xcd 0xef.
        let key = [1, 3, 0x11, 0x22, 0xab, 0xcd, 0xef];
        assert_eq!(key_tag(&dnskey_rdata(256, 3, 1, &key)), 0xabcd);
    }
}
