//! Unit tests of DNSSEC03 and DNSSEC10 in scripted worlds
//! ([`crate::engine::testing`]): servers that are silent, refuse, lack
//! keys or share an address, and DNSSEC10's judging of single records.
//! Signed zones with NSEC and NSEC3 proofs are tested end to end
//! (tests/it/dnssec_nsec.rs), as the scripted world adds no RRSIGs.

use std::time::{Duration, UNIX_EPOCH};

use hickory_proto::dnssec::rdata::{DNSSECRData, NSEC};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::dnssec10::{Checked, has_apex_types, is_apex_hash, is_expired, is_not_yet_valid};
use super::dnssec10::{NSEC_KIND, NSEC3_KIND, verify_with_each};
use super::shared::Key;
use crate::dns::Rcode;
use crate::dnssec::denial::Nsec3Fields;
use crate::dnssec::sign::{self, SigningKey, Validity};
use crate::engine::level::Level;
use crate::engine::testing::{
    Asked, Behaviour, Emitted, TestRun, World, parse_records, run_test_case,
};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");

fn name(text: &str) -> Name {
    Name::from_ascii(text).expect("a name")
}

/// The unsigned zone: SOA, NS and the servers' addresses.
fn base() -> Vec<Record> {
    parse_records(&[
        format!(
            "{ZONE} SOA {} hostmaster.{ZONE} 1 3600 900 604800 300",
            NS1.0
        ),
        format!("{ZONE} NS {}", NS1.0),
        format!("{ZONE} NS {}", NS2.0),
        format!("{} A {}", NS1.0, NS1.1),
        format!("{} A {}", NS2.0, NS2.1),
    ])
    .expect("zone text")
}

/// The zone with a DNSKEY.
fn with_key() -> Vec<Record> {
    let key = SigningKey::generate(13, sign::KSK).expect("a key");
    let mut records = base();
    records.push(key.dnskey_record(&name(ZONE), 3600));
    records
}

/// The zone with a DNSKEY and the apex NSEC.
fn with_key_and_nsec() -> Vec<Record> {
    let mut records = with_key();
    records.push(Record::from_rdata(
        name(ZONE),
        3600,
        RData::DNSSEC(DNSSECRData::NSEC(NSEC::new(
            name(NS1.0),
            [RecordType::NS, RecordType::SOA, RecordType::NSEC],
        ))),
    ));
    records
}

/// `example.com.` delegated to ns1 and ns2, serving `first` and `second`.
fn world(first: Vec<Record>, second: Vec<Record>) -> World {
    World::with_parents(ZONE)
        .cut(ZONE, &[NS1, NS2])
        .server_records(NS1.0, NS1.1, first)
        .server_records(NS2.0, NS2.1, second)
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

const BOTH: &str = "ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.2";
const SECOND: &str = "ns2.example.com/192.0.2.2";

// ---- DNSSEC03 ------------------------------------------------------------

#[test]
fn dnssec03_unsigned_zone_has_no_dnssec_support() {
    let emitted = run(&world(base(), base()), "dnssec03");
    assert_eq!(
        emitted.tags_with_prefix("DS03_"),
        ["DS03_NO_DNSSEC_SUPPORT"]
    );
    assert_eq!(emitted.arg("DS03_NO_DNSSEC_SUPPORT", "ns_list"), [BOTH]);
    assert_eq!(
        emitted.level_of("DS03_NO_DNSSEC_SUPPORT"),
        Some(Level::Notice)
    );
}

#[test]
fn dnssec03_one_server_without_keys() {
    let emitted = run(&world(with_key(), base()), "dnssec03");
    assert_eq!(
        emitted.tags_with_prefix("DS03_"),
        ["DS03_SERVER_NO_DNSSEC_SUPPORT", "DS03_NO_NSEC3"]
    );
    assert_eq!(
        emitted.arg("DS03_SERVER_NO_DNSSEC_SUPPORT", "ns_list"),
        [SECOND]
    );
    assert_eq!(
        emitted.arg("DS03_NO_NSEC3", "ns_list"),
        ["ns1.example.com/192.0.2.1"]
    );
}

#[test]
fn dnssec03_silent_and_refusing_nsec_probes() {
    let world = world(with_key(), with_key())
        .behave(NS1.1, Behaviour::Ignores(RecordType::NSEC))
        .behave(
            NS2.1,
            Behaviour::RcodeFor(RecordType::NSEC, Rcode::SERVFAIL),
        );
    let emitted = run(&world, "dnssec03");
    assert_eq!(
        emitted.tags_with_prefix("DS03_"),
        [
            "DS03_NO_RESPONSE_NSEC_QUERY",
            "DS03_ERROR_RESPONSE_NSEC_QUERY"
        ]
    );
    assert_eq!(
        emitted.arg("DS03_NO_RESPONSE_NSEC_QUERY", "ns_list"),
        ["ns1.example.com/192.0.2.1"]
    );
    assert_eq!(
        emitted.arg("DS03_ERROR_RESPONSE_NSEC_QUERY", "ns_list"),
        [SECOND]
    );
}

#[test]
fn dnssec03_servers_that_do_not_answer_dnskey_are_left_out() {
    let world = world(with_key(), with_key())
        .behave(NS1.1, Behaviour::Silent)
        .behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run(&world, "dnssec03");
    assert!(
        emitted.tags_with_prefix("DS03_").is_empty(),
        "{:?}",
        emitted.tags()
    );
}

// ---- DNSSEC10 ------------------------------------------------------------

#[test]
fn dnssec10_unsigned_zone() {
    let emitted = run(&world(base(), base()), "dnssec10");
    assert_eq!(emitted.tags_with_prefix("DS10_"), ["DS10_ZONE_NO_DNSSEC"]);
    assert_eq!(emitted.arg("DS10_ZONE_NO_DNSSEC", "ns_list"), [BOTH]);
}

#[test]
fn dnssec10_keys_without_denial_records() {
    let emitted = run(&world(with_key(), base()), "dnssec10");
    assert_eq!(
        emitted.tags_with_prefix("DS10_"),
        ["DS10_SERVER_NO_DNSSEC", "DS10_EXPECTED_NSEC_NSEC3_MISSING"]
    );
    assert_eq!(emitted.arg("DS10_SERVER_NO_DNSSEC", "ns_list"), [SECOND]);
    assert_eq!(
        emitted.level_of("DS10_EXPECTED_NSEC_NSEC3_MISSING"),
        Some(Level::Error)
    );
}

#[test]
fn dnssec10_unsigned_nsec_with_a_short_type_list() {
    // The apex NSEC answers the NSEC probe and proves the NSEC3PARAM
    // NODATA (the scripted servers add it with DO), but it lists neither
    // DNSKEY nor RRSIG and nothing signs it.
    let emitted = run(&world(with_key_and_nsec(), with_key_and_nsec()), "dnssec10");
    assert_eq!(
        emitted.tags_with_prefix("DS10_"),
        [
            "DS10_HAS_NSEC",
            "DS10_NSEC_ERR_TYPE_LIST",
            "DS10_NSEC_MISSING_SIGNATURE"
        ]
    );
    assert_eq!(emitted.arg("DS10_NSEC_ERR_TYPE_LIST", "ns_list"), [BOTH]);
    assert_eq!(emitted.arg("DS10_HAS_NSEC", "ns_list"), [BOTH]);
    assert_eq!(emitted.level_of("DS10_HAS_NSEC"), Some(Level::Info));
}

#[test]
fn dnssec10_silent_probes() {
    let world = world(with_key_and_nsec(), with_key_and_nsec())
        .behave(NS1.1, Behaviour::Ignores(RecordType::NSEC))
        .behave(
            NS2.1,
            Behaviour::RcodeFor(RecordType::NSEC3PARAM, Rcode::REFUSED),
        );
    let emitted = run(&world, "dnssec10");
    assert_eq!(
        emitted.tags_with_prefix("DS10_"),
        [
            "DS10_INCONSISTENT_NSEC",
            "DS10_HAS_NSEC",
            "DS10_NSEC_ERR_TYPE_LIST",
            "DS10_NSEC_QUERY_RESPONSE_ERR",
            "DS10_NSEC3PARAM_QUERY_RESPONSE_ERR",
            "DS10_NSEC_MISSING_SIGNATURE",
        ]
    );
    // Each server shows NSEC through the one probe it answered (ns1 by
    // the NSEC3PARAM NODATA proof, ns2 by the NSEC answer): both have NSEC,
    // each inconsistently.
    assert_eq!(emitted.arg("DS10_HAS_NSEC", "ns_list"), [BOTH]);
    assert_eq!(emitted.arg("DS10_INCONSISTENT_NSEC", "ns_list"), [BOTH]);
}

#[test]
fn dnssec10_names_every_server_of_an_address() {
    // ns1 and ns3 share 192.0.2.1: asked once, named twice.
    let world = World::with_parents(ZONE)
        .add(
            "com.",
            &[
                format!("{ZONE} NS {}", NS1.0),
                format!("{ZONE} NS ns3.example.com."),
                format!("{} A {}", NS1.0, NS1.1),
                format!("ns3.example.com. A {}", NS1.1),
            ],
        )
        .server_records(NS1.0, NS1.1, with_key_and_nsec());
    let emitted = run(&world, "dnssec10");
    assert_eq!(
        emitted.arg("DS10_HAS_NSEC", "ns_list"),
        ["ns1.example.com/192.0.2.1;ns3.example.com/192.0.2.1"]
    );
    let asked_nsec = world
        .asked()
        .iter()
        .filter(|asked| {
            matches!(
                asked,
                Asked::Dns {
                    rtype: RecordType::NSEC,
                    ..
                }
            )
        })
        .count();
    assert_eq!(asked_nsec, 1);
}

// ---- DNSSEC10's judging of one record ------------------------------------

#[test]
fn nsec3_owner_is_the_apex_hash_under_the_records_parameters() {
    // RFC 5155 Appendix A: H(example) with salt aabbccdd, 12 iterations.
    let owner = name("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.");
    let mut fields = Nsec3Fields {
        hash_algorithm: 1,
        flags: 1,
        iterations: 12,
        salt: vec![0xaa, 0xbb, 0xcc, 0xdd],
        next_hashed_owner: Vec::new(),
        types: Vec::new(),
    };
    assert!(is_apex_hash(&name("example."), &owner, &fields));
    assert!(!is_apex_hash(&name("a.example."), &owner, &fields));
    fields.iterations = 11;
    assert!(!is_apex_hash(&name("example."), &owner, &fields));
    fields.iterations = 12;
    fields.hash_algorithm = 2;
    assert!(!is_apex_hash(&name("example."), &owner, &fields));
}

#[test]
fn apex_type_lists() {
    let codes = |types: &[RecordType]| types.iter().map(|t| u16::from(*t)).collect::<Vec<_>>();
    use RecordType::*;
    assert!(has_apex_types(
        NSEC_KIND,
        &codes(&[NS, SOA, RRSIG, NSEC, DNSKEY, MX])
    ));
    assert!(!has_apex_types(NSEC_KIND, &codes(&[NS, SOA, RRSIG, NSEC])));
    assert!(!has_apex_types(
        NSEC_KIND,
        &codes(&[NS, SOA, RRSIG, NSEC, DNSKEY, NSEC3PARAM])
    ));
    assert!(has_apex_types(
        NSEC3_KIND,
        &codes(&[NS, SOA, RRSIG, DNSKEY, NSEC3PARAM])
    ));
    assert!(!has_apex_types(
        NSEC3_KIND,
        &codes(&[NS, SOA, RRSIG, DNSKEY, NSEC3PARAM, NSEC3])
    ));
}

#[test]
fn signature_timing() {
    let key = SigningKey::generate(13, sign::ZSK).expect("a key");
    let owner = name(ZONE);
    let rrset = base().into_iter().take(1).collect::<Vec<_>>();
    let at = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let validity = Validity {
        inception: 1_700_000_000,
        expiration: 1_750_000_000,
    };
    let record = key.sign_rrset(&rrset, &owner, validity).expect("signed");
    let rrsig = sign::rrsig_of(&record).expect("an RRSIG");
    assert!(is_expired(rrsig, at));
    assert!(!is_not_yet_valid(rrsig, at));
    let early = UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    assert!(!is_expired(rrsig, early));
    assert!(is_not_yet_valid(rrsig, early));
}

#[test]
fn keys_of_a_tag_verify_in_turn() {
    let key = SigningKey::generate(13, sign::ZSK).expect("a key");
    let owner = name(ZONE);
    let rrset = base().into_iter().take(1).collect::<Vec<_>>();
    let validity = Validity::usual(std::time::SystemTime::now());
    let record = key.sign_rrset(&rrset, &owner, validity).expect("signed");
    let rrsig = sign::rrsig_of(&record).expect("an RRSIG");
    let dnskey = |signing: &SigningKey| Key::new(&signing.dnskey());
    let good = dnskey(&key);
    assert!(matches!(
        verify_with_each(rrsig, &[&good], &rrset),
        Checked::Verified
    ));
    let other = SigningKey::generate(13, sign::ZSK).expect("a key");
    let wrong = dnskey(&other);
    assert!(matches!(
        verify_with_each(rrsig, &[&wrong], &rrset),
        Checked::Failed
    ));
    assert!(matches!(
        verify_with_each(rrsig, &[&wrong, &good], &rrset),
        Checked::Verified
    ));
    // The same key announced under another algorithm cannot verify it.
    let renamed = dnskey(
        &SigningKey::generate(13, sign::ZSK)
            .expect("a key")
            .published_as(8),
    );
    assert!(matches!(
        verify_with_each(rrsig, &[&renamed], &rrset),
        Checked::Failed
    ));
    // A signature of an algorithm we cannot check: the key decides.
    let private = SigningKey::generate(13, sign::ZSK)
        .expect("a key")
        .published_as(253);
    let record = private
        .sign_rrset(&rrset, &owner, validity)
        .expect("signed");
    let rrsig = sign::rrsig_of(&record).expect("an RRSIG");
    let private_key = dnskey(&private);
    match verify_with_each(rrsig, &[&private_key], &rrset) {
        Checked::NotSupported(key) => assert_eq!(key.algorithm(), 253),
        _ => panic!("algorithm 253 is not supported"),
    }
}

// ---- Families ------------------------------------------------------------

/// ns2 also has an IPv6 address, asked only when IPv6 is on.
fn dual_stack_world() -> World {
    let v6 = "2001:db8::2";
    let mut zone = with_key_and_nsec();
    zone.extend(parse_records(&[format!("{} AAAA {v6}", NS2.0)]).expect("zone text"));
    World::with_parents(ZONE)
        .add(
            "com.",
            &[
                format!("{ZONE} NS {}", NS1.0),
                format!("{ZONE} NS {}", NS2.0),
                format!("{} A {}", NS1.0, NS1.1),
                format!("{} A {}", NS2.0, NS2.1),
                format!("{} AAAA {v6}", NS2.0),
            ],
        )
        .server_records(NS1.0, NS1.1, zone.clone())
        .server_records(NS2.0, NS2.1, zone.clone())
        .server_records(NS2.0, v6, zone)
}

#[test]
fn disabled_family_is_named_for_every_question() {
    for (test_case, rtypes) in [
        ("dnssec03", &["DNSKEY", "NSEC"][..]),
        ("dnssec10", &["DNSKEY", "NSEC", "NSEC3PARAM"][..]),
    ] {
        let emitted = TestRun::new(&dual_stack_world(), ZONE, test_case)
            .profile(|profile| profile.set_ipv6(false))
            .run();
        assert_eq!(
            emitted.arg("IPV6_DISABLED", "rrtype"),
            rtypes,
            "{test_case}"
        );
        assert_eq!(
            emitted.arg("IPV6_DISABLED", "ns"),
            vec!["ns2.example.com/2001:db8::2"; rtypes.len()],
            "{test_case}"
        );
    }
    let emitted = TestRun::new(&dual_stack_world(), ZONE, "dnssec10")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(emitted.arg("DS10_HAS_NSEC", "ns_list"), [BOTH]);
}
