//! The data an RRSIG signs (RFC 4034 §3.1.8.1): the RRSIG RDATA without its
//! signature, then every RR of the RRset in canonical form (RFC 4034 §6.2):
//! lower-case owner, the RRSIG's original TTL, RDATA with uncompressed,
//! lower-cased names for the types RFC 4034 §6.2 lists as amended by
//! RFC 6840 §5.1 (hickory-proto's canonical encoder decides per type). RRs
//! are sorted by canonical RDATA (§6.3), duplicates removed. When the RRSIG's
//! label count is below the owner's, the owner is the wildcard it was
//! expanded from (RFC 4035 §5.3.2).

use hickory_proto::ProtoError;
use hickory_proto::dnssec::rdata::SigInput;
use hickory_proto::rr::{Name, Record};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder};

use super::{canonical_name_wire, push_label};

/// Why the signed data cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum CanonicalError {
    /// An RR's RDATA could not be encoded.
    #[error("cannot encode RDATA: {0}")]
    Encode(#[from] ProtoError),
    /// The RRSIG's label count is above the owner's.
    #[error("RRSIG label count {labels} is above the {owner_labels} labels of {owner}")]
    Labels {
        /// The RRSIG's label count.
        labels: u8,
        /// The owner's label count (without a leading `*`).
        owner_labels: u8,
        /// The owner.
        owner: Name,
    },
    /// An RR's RDATA is longer than 65535 octets.
    #[error("RDATA too long")]
    TooLong,
}

/// The RRSIG RDATA up to, without, the signature; signer name lower-cased.
pub fn rrsig_rdata_prefix(input: &SigInput) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(&u16::from(input.type_covered).to_be_bytes());
    data.push(u8::from(input.algorithm));
    data.push(input.num_labels);
    data.extend_from_slice(&input.original_ttl.to_be_bytes());
    data.extend_from_slice(&input.sig_expiration.get().to_be_bytes());
    data.extend_from_slice(&input.sig_inception.get().to_be_bytes());
    data.extend_from_slice(&input.key_tag.to_be_bytes());
    data.extend_from_slice(&canonical_name_wire(&input.signer_name));
    data
}

/// The owner name as signed: canonical wire form, replaced by `*.` and the
/// rightmost `labels` labels when the owner has more labels than that.
pub fn signed_owner(owner: &Name, labels: u8) -> Result<Vec<u8>, CanonicalError> {
    // Name::num_labels does not count a leading "*" label.
    let owner_labels = owner.num_labels();
    if labels > owner_labels {
        return Err(CanonicalError::Labels {
            labels,
            owner_labels,
            owner: owner.clone(),
        });
    }
    let all: Vec<&[u8]> = owner.iter().collect();
    let keep = usize::from(labels);
    if keep == all.len() {
        return Ok(canonical_name_wire(owner));
    }
    let mut wire = vec![1, b'*'];
    for label in &all[all.len() - keep..] {
        push_label(&mut wire, label);
    }
    wire.push(0);
    Ok(wire)
}

/// An RR's RDATA in canonical form.
pub fn canonical_rdata(record: &Record) -> Result<Vec<u8>, CanonicalError> {
    let mut rdata = Vec::new();
    let mut encoder = BinEncoder::new(&mut rdata);
    encoder.set_canonical_form(true);
    record.data.emit(&mut encoder)?;
    Ok(rdata)
}

/// The data `rrset` is signed over by an RRSIG whose fields are `input`.
/// Every record of `rrset` is taken as the same owner, class and type.
pub fn signed_data(input: &SigInput, rrset: &[Record]) -> Result<Vec<u8>, CanonicalError> {
    let mut rdatas = rrset
        .iter()
        .map(canonical_rdata)
        .collect::<Result<Vec<_>, _>>()?;
    rdatas.sort();
    rdatas.dedup();

    let mut data = rrsig_rdata_prefix(input);
    let Some(first) = rrset.first() else {
        return Ok(data);
    };
    let owner = signed_owner(&first.name, input.num_labels)?;
    let rr_type = u16::from(input.type_covered).to_be_bytes();
    let class = u16::from(first.dns_class).to_be_bytes();
    for rdata in rdatas {
        let len = u16::try_from(rdata.len()).map_err(|_| CanonicalError::TooLong)?;
        data.extend_from_slice(&owner);
        data.extend_from_slice(&rr_type);
        data.extend_from_slice(&class);
        data.extend_from_slice(&input.original_ttl.to_be_bytes());
        data.extend_from_slice(&len.to_be_bytes());
        data.extend_from_slice(&rdata);
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnssec::keytag::tests::b64;
    use crate::dnssec::keytag::{dnskey_rdata, key_tag};
    use crate::dnssec::verify::{Verdict, verify};
    use hickory_proto::dnssec::Algorithm;
    use hickory_proto::dnssec::rdata::{DNSSECRData, NSEC};
    use hickory_proto::rr::rdata::{A, MX, SOA};
    use hickory_proto::rr::{RData, RecordType, SerialNumber};
    use std::net::Ipv4Addr;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).expect("name")
    }

    /// Seconds since the epoch of an RRSIG time written YYYYMMDDHHmmSS.
    fn time(text: &str) -> u32 {
        let time = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").expect("time");
        u32::try_from(time.and_utc().timestamp()).expect("32-bit time")
    }

    fn a(owner: &str, ttl: u32, address: [u8; 4]) -> Record {
        Record::from_rdata(name(owner), ttl, RData::A(A(Ipv4Addr::from(address))))
    }

    #[allow(clippy::too_many_arguments)]
    fn input(
        covered: RecordType,
        algorithm: u8,
        labels: u8,
        ttl: u32,
        expiration: u32,
        inception: u32,
        tag: u16,
        signer: &str,
    ) -> SigInput {
        SigInput {
            type_covered: covered,
            algorithm: Algorithm::from_u8(algorithm),
            num_labels: labels,
            original_ttl: ttl,
            sig_expiration: SerialNumber::new(expiration),
            sig_inception: SerialNumber::new(inception),
            key_tag: tag,
            signer_name: name(signer),
        }
    }

    /// Verifies the RFC example, then the same signature with a flipped bit.
    fn check(
        algorithm: u8,
        flags: u16,
        key: &str,
        tag: u16,
        input: &SigInput,
        rrset: &[Record],
        signature: &str,
    ) {
        let key = b64(key);
        assert_eq!(key_tag(&dnskey_rdata(flags, 3, algorithm, &key)), tag);
        let data = signed_data(input, rrset).expect("signed data");
        let mut signature = b64(signature);
        assert_eq!(verify(algorithm, &key, &data, &signature), Verdict::Valid);
        signature[5] ^= 0x01;
        assert_eq!(verify(algorithm, &key, &data, &signature), Verdict::Invalid);
    }

    /// RFC 5702 §6.1: RSA/SHA-256 with a 512-bit key.
    #[test]
    fn rfc5702_rsasha256() {
        let sig = input(
            RecordType::A,
            8,
            3,
            3600,
            time("20300101000000"),
            time("20000101000000"),
            9033,
            "example.net.",
        );
        check(
            8,
            256,
            "AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=",
            9033,
            &sig,
            &[a("www.example.net.", 3600, [192, 0, 2, 91])],
            "kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg==",
        );
    }

    /// RFC 5702 §6.2: RSA/SHA-512 with a 1024-bit key.
    #[test]
    fn rfc5702_rsasha512() {
        let sig = input(
            RecordType::A,
            10,
            3,
            3600,
            time("20300101000000"),
            time("20000101000000"),
            3740,
            "example.net.",
        );
        check(
            10,
            256,
            "AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL",
            3740,
            &sig,
            &[a("www.example.net.", 3600, [192, 0, 2, 91])],
            "tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=",
        );
    }

    /// RFC 6605 §6.1: ECDSA P-256 with SHA-256.
    #[test]
    fn rfc6605_p256() {
        let sig = input(
            RecordType::A,
            13,
            3,
            3600,
            time("20100909100439"),
            time("20100812100439"),
            55648,
            "example.net.",
        );
        check(
            13,
            257,
            "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
            55648,
            &sig,
            &[a("www.example.net.", 3600, [192, 0, 2, 1])],
            "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
        );
    }

    /// RFC 6605 §6.2: ECDSA P-384 with SHA-384.
    #[test]
    fn rfc6605_p384() {
        let sig = input(
            RecordType::A,
            14,
            3,
            3600,
            time("20100909102025"),
            time("20100812102025"),
            10771,
            "example.net.",
        );
        check(
            14,
            257,
            "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40",
            10771,
            &sig,
            &[a("www.example.net.", 3600, [192, 0, 2, 1])],
            "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm",
        );
    }

    /// RFC 8080 §6.1, with the RRSIGs of verified erratum 4935 (label count
    /// 2; the signatures printed in the RFC were made over label count 3).
    #[test]
    fn rfc8080_ed25519() {
        let mx = Record::from_rdata(
            name("example.com."),
            3600,
            RData::MX(MX::new(10, name("mail.example.com."))),
        );
        let vectors = [
            (
                "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
                3613,
                "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==",
            ),
            (
                "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
                35217,
                "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg==",
            ),
        ];
        for (key, tag, signature) in vectors {
            let sig = input(
                RecordType::MX,
                15,
                2,
                3600,
                1440021600,
                1438207200,
                tag,
                "example.com.",
            );
            check(
                15,
                257,
                key,
                tag,
                &sig,
                std::slice::from_ref(&mx),
                signature,
            );
        }
    }

    /// RFC 8080 §6.2 as printed: the signatures there were made over a label
    /// count of 3 for `example.com.` (see erratum 4935), so the signed data is
    /// built with the right count and its labels octet then set to 3.
    #[test]
    fn rfc8080_ed448_as_printed() {
        let mx = Record::from_rdata(
            name("example.com."),
            3600,
            RData::MX(MX::new(10, name("mail.example.com."))),
        );
        let vectors = [
            (
                "3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA",
                9713,
                "Nmc0rgGKpr3GKYXcB1JmqqS4NYwhmechvJTqVzt3jR+Qy/lSLFoIk1L+9e39GPL+5tVzDPN3f9kAwiu8KCuPPjtl227ayaCZtRKZuJax7n9NuYlZJIusX0SOIOKBGzG+yWYtz1/jjbzl5GGkWvREUCUA",
            ),
            (
                "kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcNLp5HlHAMy12VoISsA",
                38353,
                "+JjANio/LIzp7osmMYE5XD3H/YES8kXs5Vb9H8MjPS8OAGZMD37+LsCIcjg5ivt0d4Om/UaqETEAsJjaYe56CEQP5lhRWuD2ivBqE0zfwJTyp4WqvpULbpvaukswvv/WNEFxzEYQEIm9+xDlXj4pMAMA",
            ),
        ];
        for (key, tag, signature) in vectors {
            let key = b64(key);
            assert_eq!(key_tag(&dnskey_rdata(257, 3, 16, &key)), tag);
            let sig = input(
                RecordType::MX,
                16,
                2,
                3600,
                1440021600,
                1438207200,
                tag,
                "example.com.",
            );
            let mut data = signed_data(&sig, std::slice::from_ref(&mx)).expect("signed data");
            data[3] = 3;
            let mut signature = b64(signature);
            assert_eq!(verify(16, &key, &data, &signature), Verdict::Valid);
            signature[5] ^= 0x01;
            assert_eq!(verify(16, &key, &data, &signature), Verdict::Invalid);
        }
    }

    #[test]
    fn owner_case_ttl_order_and_duplicates_do_not_change_the_data() {
        let sig = input(RecordType::A, 13, 3, 3600, 2, 1, 1, "Example.NET.");
        let reference = signed_data(
            &sig,
            &[
                a("www.example.net.", 3600, [192, 0, 2, 1]),
                a("www.example.net.", 3600, [192, 0, 2, 2]),
            ],
        )
        .expect("signed data");
        let shuffled = signed_data(
            &sig,
            &[
                a("WWW.Example.Net.", 60, [192, 0, 2, 2]),
                a("WWW.Example.Net.", 60, [192, 0, 2, 1]),
                a("WWW.Example.Net.", 60, [192, 0, 2, 2]),
            ],
        )
        .expect("signed data");
        assert_eq!(reference, shuffled);
        // The prefix carries the signer in lower case.
        assert!(
            reference
                .windows(13)
                .any(|window| window == b"\x07example\x03net\x00")
        );
    }

    #[test]
    fn names_in_rdata_are_lower_cased() {
        let sig = input(RecordType::MX, 8, 2, 3600, 2, 1, 1, "example.com.");
        let lower = Record::from_rdata(
            name("example.com."),
            3600,
            RData::MX(MX::new(10, name("mail.example.com."))),
        );
        let upper = Record::from_rdata(
            name("example.com."),
            3600,
            RData::MX(MX::new(10, name("MAIL.Example.COM."))),
        );
        assert_eq!(
            signed_data(&sig, &[lower]).expect("signed data"),
            signed_data(&sig, &[upper]).expect("signed data")
        );
    }

    #[test]
    fn soa_names_are_lower_cased_nsec_next_name_is_not() {
        let soa = |mname: &str, rname: &str| {
            let soa = SOA::new(name(mname), name(rname), 1, 2, 3, 4, 5);
            canonical_rdata(&Record::from_rdata(name("example."), 60, RData::SOA(soa)))
                .expect("rdata")
        };
        assert_eq!(
            soa("NS.Example.", "Hostmaster.EXAMPLE."),
            soa("ns.example.", "hostmaster.example.")
        );
        assert!(soa("ns.example.", "h.example.").starts_with(b"\x02ns\x07example\x00"));

        // RFC 6840 §5.1: names in NSEC RDATA keep their case.
        let nsec = NSEC::new(name("Host.Example."), [RecordType::A]);
        let record = Record::from_rdata(name("example."), 60, RData::from(DNSSECRData::NSEC(nsec)));
        let rdata = canonical_rdata(&record).expect("rdata");
        assert!(rdata.starts_with(b"\x04Host\x07Example\x00"));
    }

    #[test]
    fn wildcard_owner_from_label_count() {
        let owner = name("a.z.w.example.");
        assert_eq!(
            signed_owner(&owner, 2).expect("owner"),
            b"\x01*\x01w\x07example\x00".to_vec()
        );
        assert_eq!(
            signed_owner(&owner, 4).expect("owner"),
            b"\x01a\x01z\x01w\x07example\x00".to_vec()
        );
        // A wildcard owner itself: "*" is not counted.
        assert_eq!(
            signed_owner(&name("*.w.example."), 2).expect("owner"),
            b"\x01*\x01w\x07example\x00".to_vec()
        );
        assert!(signed_owner(&owner, 5).is_err());
    }
}
