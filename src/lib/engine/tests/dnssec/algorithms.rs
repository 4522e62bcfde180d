//! The IANA tables module DNSSEC judges by (engine spec §3.6): DNSKEY
//! algorithm numbers (DNSSEC05, and the `algo_mnemo`/`algo_descr`
//! arguments of every test case) and DS digest types (DNSSEC01).

/// How DNSSEC05 classes a DNSKEY algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgorithmStatus {
    /// Recommended for zone signing.
    Ok,
    /// Must not be used any more.
    Deprecated,
    /// Allowed but not recommended (RSA/SHA-512).
    NotRecommended,
    /// Not a zone-signing algorithm (delete, Diffie-Hellman, indirect).
    NotZoneSign,
    /// Reserved by IANA.
    Reserved,
    /// Not assigned by IANA.
    Unassigned,
    /// For private use.
    Private,
}

/// One row of the DNSKEY algorithm table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlgorithmInfo {
    /// DNSSEC05's class.
    pub status: AlgorithmStatus,
    /// The mnemonic (`algo_mnemo`), e.g. `RSASHA256`.
    pub mnemonic: &'static str,
    /// The description (`algo_descr`), e.g. `RSA/SHA-256`.
    pub description: &'static str,
}

const fn row(
    status: AlgorithmStatus,
    mnemonic: &'static str,
    description: &'static str,
) -> AlgorithmInfo {
    AlgorithmInfo {
        status,
        mnemonic,
        description,
    }
}

/// The table row of DNSKEY algorithm `number`.
pub fn algorithm(number: u8) -> AlgorithmInfo {
    use AlgorithmStatus::{
        Deprecated, NotRecommended, NotZoneSign, Ok, Private, Reserved, Unassigned,
    };
    match number {
        0 => row(NotZoneSign, "DELETE", "Delete DS"),
        1 => row(Deprecated, "RSAMD5", "RSA/MD5"),
        2 => row(NotZoneSign, "DH", "Diffie-Hellman"),
        3 => row(Deprecated, "DSA", "DSA/SHA1"),
        4 | 9 | 11 | 123..=251 | 255 => row(Reserved, "RESERVED", "Reserved"),
        5 => row(Deprecated, "RSASHA1", "RSA/SHA1"),
        6 => row(Deprecated, "DSA-NSEC3-SHA1", "DSA-NSEC3-SHA1"),
        7 => row(Deprecated, "RSASHA1-NSEC3-SHA1", "RSASHA1-NSEC3-SHA1"),
        8 => row(Ok, "RSASHA256", "RSA/SHA-256"),
        10 => row(NotRecommended, "RSASHA512", "RSA/SHA-512"),
        12 => row(Deprecated, "ECC-GOST", "GOST R 34.10-2001"),
        13 => row(Ok, "ECDSAP256SHA256", "ECDSA Curve P-256 with SHA-256"),
        14 => row(Ok, "ECDSAP384SHA384", "ECDSA Curve P-384 with SHA-384"),
        15 => row(Ok, "ED25519", "Ed25519"),
        16 => row(Ok, "ED448", "Ed448"),
        17 => row(Ok, "SM2SM3", "SM2 signing algo w SM3 hash algo"),
        23 => row(Ok, "ECC-GOST12", "GOST R 34.10-2012"),
        18..=22 | 24..=122 => row(Unassigned, "UNASSIGNED", "Unassigned"),
        252 => row(NotZoneSign, "INDIRECT", "Reserved for Indirect Keys"),
        253 => row(Private, "PRIVATEDNS", "private algorithm"),
        254 => row(Private, "PRIVATEOID", "private algorithm OID"),
    }
}

/// How DNSSEC01 classes a DS digest type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestStatus {
    /// Fine.
    Ok,
    /// Must not be used any more.
    Deprecated,
    /// 0: not a DS digest type.
    NotDs,
    /// Reserved by IANA.
    Reserved,
    /// Not assigned by IANA.
    Unassigned,
    /// For private use.
    Private,
}

/// DNSSEC01's class of DS digest type `number` and its description
/// (`ds_algo_descr`).
pub fn digest_type(number: u8) -> (DigestStatus, &'static str) {
    use DigestStatus::{Deprecated, NotDs, Ok, Private, Reserved, Unassigned};
    match number {
        0 => (NotDs, "Reserved"),
        1 => (Deprecated, "SHA-1"),
        2 => (Ok, "SHA-256"),
        3 => (Deprecated, "GOST R 34.11-94"),
        4 => (Ok, "SHA-384"),
        5 => (Ok, "GOST R 34.11-2012"),
        6 => (Ok, "SM3"),
        7..=127 | 255 => (Unassigned, "Unassigned"),
        128..=252 => (Reserved, "Reserved"),
        253 | 254 => (Private, "Reserved for Private Use"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_number_has_a_row() {
        assert_eq!(algorithm(8).mnemonic, "RSASHA256");
        assert_eq!(algorithm(10).status, AlgorithmStatus::NotRecommended);
        assert_eq!(algorithm(0).status, AlgorithmStatus::NotZoneSign);
        assert_eq!(algorithm(9).status, AlgorithmStatus::Reserved);
        assert_eq!(algorithm(20).status, AlgorithmStatus::Unassigned);
        assert_eq!(algorithm(100).status, AlgorithmStatus::Unassigned);
        assert_eq!(algorithm(200).status, AlgorithmStatus::Reserved);
        assert_eq!(algorithm(255).status, AlgorithmStatus::Reserved);
        assert_eq!(algorithm(253).status, AlgorithmStatus::Private);
        assert_eq!(algorithm(23).description, "GOST R 34.10-2012");
    }

    #[test]
    fn every_digest_type_has_a_row() {
        assert_eq!(digest_type(0), (DigestStatus::NotDs, "Reserved"));
        assert_eq!(digest_type(1), (DigestStatus::Deprecated, "SHA-1"));
        assert_eq!(digest_type(2), (DigestStatus::Ok, "SHA-256"));
        assert_eq!(digest_type(3).0, DigestStatus::Deprecated);
        assert_eq!(digest_type(6), (DigestStatus::Ok, "SM3"));
        assert_eq!(digest_type(100).0, DigestStatus::Unassigned);
        assert_eq!(digest_type(200).0, DigestStatus::Reserved);
        assert_eq!(digest_type(254).0, DigestStatus::Private);
        assert_eq!(digest_type(255).0, DigestStatus::Unassigned);
    }
}
