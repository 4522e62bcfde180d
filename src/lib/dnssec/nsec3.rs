//! The NSEC3 hash of an owner name (RFC 5155 §5): SHA-1 over the canonical
//! wire name and the salt, then again over each result and the salt,
//! `iterations` more times. `ring` hashes.

use hickory_proto::rr::Name;
use ring::digest;

use super::canonical_name_wire;

/// The NSEC3 hash algorithm this module computes: 1, SHA-1.
pub const SHA1: u8 = 1;

/// The NSEC3 hash of `name`, or `None` for a hash algorithm other than SHA-1.
pub fn nsec3_hash(algorithm: u8, name: &Name, salt: &[u8], iterations: u16) -> Option<Vec<u8>> {
    if algorithm != SHA1 {
        return None;
    }
    let once = |data: &[u8]| {
        let mut context = digest::Context::new(&digest::SHA1_FOR_LEGACY_USE_ONLY);
        context.update(data);
        context.update(salt);
        context.finish()
    };
    let mut hash = once(&canonical_name_wire(name));
    for _ in 0..iterations {
        hash = once(hash.as_ref());
    }
    Some(hash.as_ref().to_vec())
}

/// A hash as NSEC3 owner names spell it: base32 with the extended hex
/// alphabet (RFC 4648 §7), lower case, no padding.
pub fn base32hex(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    let mut text = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u64 = 0;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u64::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            text.push(char::from(ALPHABET[((buffer >> bits) & 0x1f) as usize]));
        }
    }
    if bits > 0 {
        text.push(char::from(
            ALPHABET[((buffer << (5 - bits)) & 0x1f) as usize],
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5155 Appendix A: salt aabbccdd, 12 iterations.
    #[test]
    fn rfc5155_appendix_a_hashes() {
        let salt = [0xaa, 0xbb, 0xcc, 0xdd];
        let vectors = [
            ("example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
            ("a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
            ("ai.example", "gjeqe526plbf1g8mklp59enfd789njgi"),
            ("ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
            ("ns2.example", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
            ("w.example", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
            ("*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
            ("x.w.example", "b4um86eghhds6nea196smvmlo4ors995"),
            ("y.w.example", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
            ("x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s"),
            ("xx.example", "t644ebqk9bibcna874givr6joj62mlhv"),
        ];
        for (owner, want) in vectors {
            let name = Name::from_ascii(format!("{owner}.")).expect("name");
            let hash = nsec3_hash(SHA1, &name, &salt, 12).expect("SHA-1");
            assert_eq!(base32hex(&hash), want, "{owner}");
        }
        // Hashing is case-insensitive.
        let upper = Name::from_ascii("A.EXAMPLE.").expect("name");
        let hash = nsec3_hash(SHA1, &upper, &salt, 12).expect("SHA-1");
        assert_eq!(base32hex(&hash), "35mthgpgcu1qg68fab165klnsnk3dpvl");
    }

    #[test]
    fn no_salt_no_iterations_is_one_sha1() {
        let name = Name::from_ascii("example.").expect("name");
        let hash = nsec3_hash(SHA1, &name, &[], 0).expect("SHA-1");
        let plain = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, b"\x07example\x00");
        assert_eq!(hash, plain.as_ref());
    }

    #[test]
    fn other_algorithms_are_not_computed() {
        let name = Name::from_ascii("example.").expect("name");
        assert_eq!(nsec3_hash(2, &name, &[], 0), None);
    }

    #[test]
    fn base32hex_pads_nothing() {
        assert_eq!(base32hex(b""), "");
        assert_eq!(base32hex(b"f"), "co");
        assert_eq!(base32hex(b"foobar"), "cpnmuoj1e8");
    }
}
