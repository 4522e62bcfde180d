//! Signed zones in the scripted world: the RFC 4035 and RFC 5155 example
//! zones' names (with `c` as the unsigned delegation in both), signed at
//! test time by [`crate::dnssec::sign`] with an NSEC chain or an opt-out
//! NSEC3 chain (salt aabbccdd, 12 iterations, so the owner hashes are the
//! ones RFC 5155 Appendix A publishes), asked the questions of those RFCs'
//! Appendix B.

use std::sync::Arc;
use std::time::SystemTime;

use hickory_proto::rr::{Name, Record, RecordType};

use super::World;
use super::zone_text::parse_records;
use crate::dns::{Outcome, Packet, Query, Rcode, Request};
use crate::dnssec::sign::{self, SigningKey, Validity, ZoneSigning, rrsig_of};
use crate::dnssec::verify::Verdict;

const SERVER: &str = "192.0.2.1";

/// The zone before signing.
const ZONE: &[&str] = &[
    "example. SOA ns1.example. bugs.x.w.example. 1 3600 300 3600000 3600",
    "example. NS ns1.example.",
    "example. NS ns2.example.",
    "example. MX 1 xx.example.",
    "a.example. NS ns1.a.example.",
    "a.example. DS 57855 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "ns1.a.example. A 192.0.2.5",
    "ai.example. A 192.0.2.9",
    "c.example. NS ns1.c.example.",
    "ns1.c.example. A 192.0.2.7",
    "ns1.example. A 192.0.2.1",
    "ns2.example. A 192.0.2.2",
    "*.w.example. MX 1 ai.example.",
    "x.w.example. MX 1 xx.example.",
    "x.y.w.example. MX 1 xx.example.",
    "xx.example. A 192.0.2.10",
];

/// Owner → NSEC3 hash (RFC 5155 Appendix A); `y.w` is an empty
/// non-terminal; the opt-out delegation `c` has none.
const HASHES: &[(&str, &str)] = &[
    ("example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
    ("a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
    ("ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
    ("ns2.example.", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
    ("w.example.", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
    ("*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
    ("x.w.example.", "b4um86eghhds6nea196smvmlo4ors995"),
    ("y.w.example.", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
];

/// The zone signed with `denial` by one key, served at [`SERVER`].
fn signed_world(denial: sign::Denial) -> (World, SigningKey) {
    let apex = Name::from_ascii("example.").unwrap();
    let key = SigningKey::generate(13, 257).unwrap();
    let signing = ZoneSigning {
        validity: Validity::usual(SystemTime::now()),
        denial,
        ttl: 3600,
    };
    let records = parse_records(ZONE).unwrap();
    let signed = sign::sign_zone(&apex, &records, &[&key], &signing).unwrap();
    let world = World::new().server_records("ns1.example.", SERVER, signed);
    (world, key)
}

fn nsec_world() -> World {
    signed_world(sign::Denial::Nsec).0
}

fn nsec3_world() -> World {
    let denial = sign::Denial::Nsec3 {
        iterations: 12,
        salt: vec![0xaa, 0xbb, 0xcc, 0xdd],
        opt_out: true,
    };
    signed_world(denial).0
}

/// The hashed owner name of `owner` in the NSEC3 zone.
fn hashed(owner: &str) -> String {
    let (_, hash) = HASHES.iter().find(|(name, _)| *name == owner).unwrap();
    format!("{hash}.example.")
}

/// The reply to `name`/`rtype`, with DO or without EDNS.
fn ask(world: &World, name: &str, rtype: RecordType, dnssec_ok: bool) -> Arc<Packet> {
    let mut query = Query::new(Name::from_ascii(name).unwrap(), rtype);
    if dnssec_ok {
        query = query.with_dnssec();
    }
    let outcome = world.outcome(&Request {
        server: SERVER.parse().unwrap(),
        query,
        options: Default::default(),
    });
    match outcome {
        Outcome::Response(response) => response.packet(),
        other => panic!("no reply: {other:?}"),
    }
}

/// Owners of the `rtype` records in `section`.
fn owners(section: &[Record], rtype: RecordType) -> Vec<String> {
    section
        .iter()
        .filter(|record| record.record_type() == rtype)
        .map(|record| record.name.to_ascii())
        .collect()
}

/// (owner, covered type) of the RRSIGs in `section`.
fn signatures(section: &[Record]) -> Vec<(String, RecordType)> {
    section
        .iter()
        .filter_map(|record| {
            Some((
                record.name.to_ascii(),
                rrsig_of(record)?.input().type_covered,
            ))
        })
        .collect()
}

/// Every `rtype` record in `section` has an RRSIG beside it.
fn assert_signed(section: &[Record], rtype: RecordType) {
    let signed = signatures(section);
    for owner in owners(section, rtype) {
        assert!(signed.contains(&(owner.clone(), rtype)), "{owner} unsigned");
    }
}

fn pair(owner: &str, rtype: RecordType) -> (String, RecordType) {
    (owner.to_owned(), rtype)
}

#[test]
fn answers_carry_their_signatures_with_do_only() {
    let world = nsec_world();
    let reply = ask(&world, "ai.example.", RecordType::A, true);
    assert_eq!(owners(&reply.answer, RecordType::A), ["ai.example."]);
    assert_eq!(
        signatures(&reply.answer),
        [pair("ai.example.", RecordType::A)]
    );
    let reply = ask(&world, "ai.example.", RecordType::A, false);
    assert_eq!(reply.answer.len(), 1);
}

#[test]
fn nsec_nodata_carries_the_nsec_at_the_name() {
    let reply = ask(&nsec_world(), "ns1.example.", RecordType::MX, true);
    assert_eq!(reply.rcode, Rcode::NOERROR);
    assert!(reply.answer.is_empty());
    assert_eq!(owners(&reply.authority, RecordType::SOA), ["example."]);
    assert_eq!(owners(&reply.authority, RecordType::NSEC), ["ns1.example."]);
    assert_eq!(
        signatures(&reply.authority),
        [
            pair("example.", RecordType::SOA),
            pair("ns1.example.", RecordType::NSEC)
        ]
    );
    // An empty non-terminal: the NSEC covering it.
    let reply = ask(&nsec_world(), "y.w.example.", RecordType::A, true);
    assert_eq!(owners(&reply.authority, RecordType::NSEC), ["x.w.example."]);
}

#[test]
fn nsec_nxdomain_covers_the_name_and_the_wildcard() {
    let reply = ask(&nsec_world(), "ml.example.", RecordType::A, true);
    assert_eq!(reply.rcode, Rcode::NXDOMAIN);
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC),
        ["c.example.", "example."]
    );
    assert_signed(&reply.authority, RecordType::NSEC);
}

#[test]
fn nsec_wildcard_answers_are_signed_and_proven() {
    let (world, key) = signed_world(sign::Denial::Nsec);
    let reply = ask(&world, "a.z.w.example.", RecordType::MX, true);
    assert_eq!(owners(&reply.answer, RecordType::MX), ["a.z.w.example."]);
    // The wildcard's signature still verifies over the expanded answer.
    let mx: Vec<Record> = reply
        .answer
        .iter()
        .filter(|record| record.record_type() == RecordType::MX)
        .cloned()
        .collect();
    let rrsig = reply.answer.iter().find_map(rrsig_of).unwrap();
    assert_eq!(
        crate::dnssec::verify_rrsig(rrsig, &key.dnskey(), &mx),
        Verdict::Valid
    );
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC),
        ["x.y.w.example."]
    );
    let reply = ask(&world, "a.z.w.example.", RecordType::AAAA, true);
    assert_eq!(reply.rcode, Rcode::NOERROR);
    assert!(reply.answer.is_empty());
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC),
        ["x.y.w.example.", "*.w.example."]
    );
    assert_signed(&reply.authority, RecordType::NSEC);
}

#[test]
fn nsec_referrals_prove_ds_or_its_absence() {
    let world = nsec_world();
    let reply = ask(&world, "mc.c.example.", RecordType::MX, true);
    assert!(!reply.aa);
    assert_eq!(owners(&reply.authority, RecordType::NS), ["c.example."]);
    assert_eq!(owners(&reply.authority, RecordType::NSEC), ["c.example."]);
    assert_eq!(
        signatures(&reply.authority),
        [pair("c.example.", RecordType::NSEC)]
    );
    assert_eq!(owners(&reply.additional, RecordType::A), ["ns1.c.example."]);
    let reply = ask(&world, "mc.a.example.", RecordType::MX, true);
    assert_eq!(owners(&reply.authority, RecordType::DS), ["a.example."]);
    assert_eq!(
        signatures(&reply.authority),
        [pair("a.example.", RecordType::DS)]
    );
    let reply = ask(&world, "c.example.", RecordType::DS, true);
    assert!(reply.aa);
    assert_eq!(owners(&reply.authority, RecordType::NSEC), ["c.example."]);
}

#[test]
fn nsec3_nxdomain_proves_encloser_next_closer_and_wildcard() {
    // RFC 5155 B.1.
    let reply = ask(&nsec3_world(), "a.c.x.w.example.", RecordType::A, true);
    assert_eq!(reply.rcode, Rcode::NXDOMAIN);
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC3),
        [
            hashed("x.w.example."),
            hashed("example."),
            hashed("a.example.")
        ]
    );
    assert_signed(&reply.authority, RecordType::NSEC3);
    assert_eq!(signatures(&reply.authority).len(), 4);
}

#[test]
fn nsec3_nodata_carries_the_nsec3_of_the_name() {
    let world = nsec3_world();
    for name in ["ns1.example.", "y.w.example."] {
        let reply = ask(&world, name, RecordType::MX, true);
        assert_eq!(reply.rcode, Rcode::NOERROR);
        assert_eq!(owners(&reply.authority, RecordType::NSEC3), [hashed(name)]);
        assert_signed(&reply.authority, RecordType::NSEC3);
    }
    let reply = ask(&world, "example.", RecordType::NSEC, true);
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC3),
        [hashed("example.")]
    );
}

#[test]
fn nsec3_wildcard_answers_prove_the_next_closer_name_absent() {
    let world = nsec3_world();
    let reply = ask(&world, "a.z.w.example.", RecordType::MX, true);
    assert_eq!(owners(&reply.answer, RecordType::MX), ["a.z.w.example."]);
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC3),
        [hashed("ns2.example.")]
    );
    let reply = ask(&world, "a.z.w.example.", RecordType::AAAA, true);
    assert_eq!(
        owners(&reply.authority, RecordType::NSEC3),
        [
            hashed("w.example."),
            hashed("ns2.example."),
            hashed("*.w.example.")
        ]
    );
    assert_signed(&reply.authority, RecordType::NSEC3);
}

#[test]
fn nsec3_opt_out_referral_proves_the_closest_provable_encloser() {
    // RFC 5155 B.3.
    let world = nsec3_world();
    let proof = [hashed("example."), hashed("a.example.")];
    let reply = ask(&world, "mc.c.example.", RecordType::MX, true);
    assert!(!reply.aa);
    assert_eq!(owners(&reply.authority, RecordType::NS), ["c.example."]);
    assert_eq!(owners(&reply.authority, RecordType::NSEC3), proof);
    assert_signed(&reply.authority, RecordType::NSEC3);
    let reply = ask(&world, "c.example.", RecordType::DS, true);
    assert_eq!(owners(&reply.authority, RecordType::NSEC3), proof);
}

#[test]
fn nsec3_chain_records_are_answered_as_data() {
    let world = nsec3_world();
    let reply = ask(&world, "example.", RecordType::NSEC3PARAM, true);
    assert_eq!(owners(&reply.answer, RecordType::NSEC3PARAM), ["example."]);
    let reply = ask(&world, &hashed("ns1.example."), RecordType::NSEC3, true);
    assert_eq!(
        owners(&reply.answer, RecordType::NSEC3),
        [hashed("ns1.example.")]
    );
    assert_signed(&reply.answer, RecordType::NSEC3);
}

#[test]
fn without_do_nothing_dnssec_is_added() {
    for world in [nsec_world(), nsec3_world()] {
        for (name, rtype) in [
            ("ns1.example.", RecordType::MX),
            ("ml.example.", RecordType::A),
            ("a.z.w.example.", RecordType::MX),
            ("a.z.w.example.", RecordType::AAAA),
            ("mc.c.example.", RecordType::A),
            ("mc.a.example.", RecordType::A),
        ] {
            let reply = ask(&world, name, rtype, false);
            let dnssec = [
                RecordType::RRSIG,
                RecordType::NSEC,
                RecordType::NSEC3,
                RecordType::DS,
            ];
            let sections = [&reply.answer, &reply.authority, &reply.additional];
            for record in sections.into_iter().flatten() {
                assert!(!dnssec.contains(&record.record_type()), "{name}: {record}");
            }
        }
    }
}
