//! Unit tests of DNSSEC01, 02, 11 and 18 in scripted worlds
//! ([`crate::engine::testing`]): the parent's DS set against the digest
//! table, the child's keys and its being signed at all. The scripted
//! servers add no RRSIGs to answers, so signatures are left to the
//! signed end-to-end tests (tests/it/dnssec_ds.rs).

use hickory_proto::rr::{Record, RecordType};

use crate::dns::Rcode;
use crate::dnssec::sign::{self, KSK, SigningKey, ZSK};
use crate::engine::level::Level;
use crate::engine::testing::{Asked, Behaviour, Emitted, TestRun, World, run_test_case};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");
/// The parent `com.`'s one server in [`World::with_parents`].
const PARENT: &str = "ns1.com/198.51.100.2";
const PARENT_ADDRESS: &str = "198.51.100.2";
const BOTH: &str = "192.0.2.1;192.0.2.2";

fn name(text: &str) -> hickory_proto::rr::Name {
    hickory_proto::rr::Name::from_ascii(text).expect("a test name")
}

/// A P-256 key with `flags`.
fn key(flags: u16) -> SigningKey {
    SigningKey::generate(13, flags).expect("a P-256 key")
}

/// The DS record of `key` for the zone, of `digest_type`.
fn ds_of(key: &SigningKey, digest_type: u8) -> Record {
    key.ds_record(&name(ZONE), 3600, digest_type)
        .expect("a DS record")
}

/// A DS record for the zone from its fields.
fn ds(key_tag: u16, digest_type: u8, digest: Vec<u8>) -> Record {
    sign::ds_record(&name(ZONE), 3600, key_tag, 13, digest_type, digest)
}

/// `example.com.` delegated by `com.` to ns1 and ns2, with `ds` in the
/// parent and `keys` published by both servers.
fn world(ds: Vec<Record>, keys: &[&SigningKey]) -> World {
    let world = World::with_delegation(ZONE, &[NS1, NS2]).add_records("com.", ds);
    let dnskeys: Vec<Record> = keys
        .iter()
        .map(|key| key.dnskey_record(&name(ZONE), 3600))
        .collect();
    if dnskeys.is_empty() {
        world
    } else {
        world.add_records(ZONE, dnskeys)
    }
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

/// The questions of `rtype` the world was asked.
fn asked_for(world: &World, rtype: RecordType) -> usize {
    world
        .asked()
        .iter()
        .filter(|asked| matches!(asked, Asked::Dns { rtype: asked, .. } if *asked == rtype))
        .count()
}

// ---- DNSSEC01 --------------------------------------------------------------

#[test]
fn dnssec01_sha256_is_ok() {
    let ksk = key(KSK);
    let emitted = run(&world(vec![ds_of(&ksk, 2)], &[&ksk]), "dnssec01");
    assert_eq!(emitted.tags_with_prefix("DS01"), ["DS01_DS_ALGO_OK"]);
    let args = emitted.args_of("DS01_DS_ALGO_OK")[0];
    assert_eq!(args["ns_list"], PARENT);
    assert_eq!(args["keytag"], ksk.key_tag().to_string());
    assert_eq!(args["ds_algo_num"], "2");
    assert_eq!(args["ds_algo_descr"], "SHA-256");
    assert_eq!(emitted.level_of("DS01_DS_ALGO_OK"), Some(Level::Info));
}

#[test]
fn dnssec01_sha1_alone_is_deprecated_and_misses_sha256() {
    let ksk = key(KSK);
    let emitted = run(&world(vec![ds_of(&ksk, 1)], &[&ksk]), "dnssec01");
    assert_eq!(
        emitted.tags_with_prefix("DS01"),
        ["DS01_DS_ALGO_DEPRECATED", "DS01_DS_ALGO_2_MISSING"]
    );
    assert_eq!(
        emitted.arg("DS01_DS_ALGO_DEPRECATED", "ds_algo_descr"),
        ["SHA-1"]
    );
    assert_eq!(
        emitted.arg("DS01_DS_ALGO_2_MISSING", "keytag"),
        [ksk.key_tag().to_string()]
    );
    assert_eq!(emitted.arg("DS01_DS_ALGO_2_MISSING", "ns_list"), [PARENT]);
    assert_eq!(
        emitted.level_of("DS01_DS_ALGO_DEPRECATED"),
        Some(Level::Error)
    );
    assert_eq!(
        emitted.level_of("DS01_DS_ALGO_2_MISSING"),
        Some(Level::Notice)
    );
}

#[test]
fn dnssec01_sha1_next_to_sha256_of_the_same_key_misses_nothing() {
    let ksk = key(KSK);
    let world = world(vec![ds_of(&ksk, 1), ds_of(&ksk, 2)], &[&ksk]);
    let emitted = run(&world, "dnssec01");
    assert_eq!(
        emitted.tags_with_prefix("DS01"),
        ["DS01_DS_ALGO_DEPRECATED", "DS01_DS_ALGO_OK"]
    );
}

#[test]
fn dnssec01_classes_every_digest_type_range() {
    let cases = [
        (0, "DS01_DS_ALGO_NOT_DS", "Reserved"),
        (3, "DS01_DS_ALGO_DEPRECATED", "GOST R 34.11-94"),
        (6, "DS01_DS_ALGO_OK", "SM3"),
        (99, "DS01_DS_ALGO_UNASSIGNED", "Unassigned"),
        (200, "DS01_DS_ALGO_RESERVED", "Reserved"),
        (253, "DS01_DS_ALGO_PRIVATE", "Reserved for Private Use"),
        (255, "DS01_DS_ALGO_UNASSIGNED", "Unassigned"),
    ];
    for (digest_type, tag, description) in cases {
        let world = world(vec![ds(4711, digest_type, vec![0xab; 32])], &[]);
        let emitted = run(&world, "dnssec01");
        assert_eq!(
            emitted.tags_with_prefix("DS01"),
            [tag, "DS01_DS_ALGO_2_MISSING"],
            "digest type {digest_type}"
        );
        assert_eq!(emitted.arg(tag, "ds_algo_num"), [digest_type.to_string()]);
        assert_eq!(emitted.arg(tag, "ds_algo_descr"), [description]);
        assert_eq!(emitted.arg(tag, "keytag"), ["4711"]);
    }
}

#[test]
fn dnssec01_parent_without_ds() {
    let emitted = run(&world(Vec::new(), &[]), "dnssec01");
    assert_eq!(emitted.tags_with_prefix("DS01"), ["DS01_PARENT_ZONE_NO_DS"]);
    assert_eq!(emitted.arg("DS01_PARENT_ZONE_NO_DS", "ns_list"), [PARENT]);
}

#[test]
fn dnssec01_unusable_parent_answers() {
    let world = world(Vec::new(), &[]).behave_for(
        PARENT_ADDRESS,
        RecordType::DS,
        Behaviour::NotAuthoritative,
    );
    let emitted = run(&world, "dnssec01");
    assert_eq!(emitted.tags_with_prefix("DS01"), ["DS01_NO_RESPONSE"]);
    assert_eq!(emitted.arg("DS01_NO_RESPONSE", "ns_list"), [PARENT]);
    assert_eq!(emitted.level_of("DS01_NO_RESPONSE"), Some(Level::Warning));
}

#[test]
fn dnssec01_undelegated_without_ds_is_not_tested() {
    let world = World::with_parents(ZONE).serve(ZONE, &[NS1, NS2]);
    let emitted = TestRun::new(&world, ZONE, "dnssec01")
        .ns(NS1.0, Some(NS1.1))
        .ns(NS2.0, Some(NS2.1))
        .run();
    assert_eq!(
        emitted.tags_with_prefix("DS01"),
        ["DS01_UNDEL_N_NO_UNDEL_DS"]
    );
    assert_eq!(asked_for(&world, RecordType::DS), 0);
}

#[test]
fn dnssec01_supplied_ds_is_reported_at_server_dash() {
    let world = World::with_parents(ZONE).serve(ZONE, &[NS1, NS2]);
    let emitted = TestRun::new(&world, ZONE, "dnssec01")
        .ns(NS1.0, Some(NS1.1))
        .ds(4711, 13, 1, &"ab".repeat(20))
        .run();
    assert_eq!(
        emitted.tags_with_prefix("DS01"),
        ["DS01_DS_ALGO_DEPRECATED", "DS01_DS_ALGO_2_MISSING"]
    );
    assert_eq!(emitted.arg("DS01_DS_ALGO_DEPRECATED", "ns_list"), ["-"]);
    assert_eq!(emitted.arg("DS01_DS_ALGO_2_MISSING", "ns_list"), ["-"]);
    assert_eq!(asked_for(&world, RecordType::DS), 0);
}

// ---- DNSSEC02 --------------------------------------------------------------

#[test]
fn dnssec02_ds_without_a_key() {
    let ksk = key(KSK);
    let other = key(KSK);
    let emitted = run(&world(vec![ds_of(&other, 2)], &[&ksk]), "dnssec02");
    assert_eq!(
        emitted.tags_with_prefix("DS02"),
        ["DS02_NO_DNSKEY_FOR_DS", "DS02_NO_VALID_DNSKEY_FOR_ANY_DS"]
    );
    let args = emitted.args_of("DS02_NO_DNSKEY_FOR_DS")[0];
    assert_eq!(args["keytag"], other.key_tag().to_string());
    assert_eq!(args["ns_ip_list"], BOTH);
    assert_eq!(
        emitted.arg("DS02_NO_VALID_DNSKEY_FOR_ANY_DS", "ns_ip_list"),
        [BOTH]
    );
}

#[test]
fn dnssec02_unsigned_keys_are_reported_per_key() {
    // The scripted servers send no RRSIG: a DS-matched key signs nothing.
    let ksk = key(KSK);
    let emitted = run(&world(vec![ds_of(&ksk, 2)], &[&ksk]), "dnssec02");
    assert_eq!(
        emitted.tags_with_prefix("DS02"),
        [
            "DS02_NO_MATCHING_DNSKEY_RRSIG",
            "DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS"
        ]
    );
    assert_eq!(
        emitted.arg("DS02_NO_MATCHING_DNSKEY_RRSIG", "keytag"),
        [ksk.key_tag().to_string()]
    );
    assert_eq!(
        emitted.level_of("DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS"),
        Some(Level::Error)
    );
}

#[test]
fn dnssec02_wrong_digest() {
    let ksk = key(KSK);
    let world = world(vec![ds(ksk.key_tag(), 2, vec![0; 32])], &[&ksk]);
    let emitted = run(&world, "dnssec02");
    assert!(
        emitted.has("DS02_NO_MATCH_DS_DNSKEY"),
        "{:?}",
        emitted.tags()
    );
    assert!(!emitted.has("DS02_NO_VALID_DNSKEY_FOR_ANY_DS"));
    assert_eq!(
        emitted.level_of("DS02_NO_MATCH_DS_DNSKEY"),
        Some(Level::Error)
    );
}

#[test]
fn dnssec02_unknown_digest_type_is_taken_on_its_key_tag() {
    let ksk = key(KSK);
    let world = world(vec![ds(ksk.key_tag(), 3, vec![0; 32])], &[&ksk]);
    let emitted = run(&world, "dnssec02");
    assert!(!emitted.has("DS02_NO_MATCH_DS_DNSKEY"));
    assert!(!emitted.has("DS02_NO_DNSKEY_FOR_DS"));
}

#[test]
fn dnssec02_key_flags() {
    let not_sep = key(ZSK);
    let emitted = run(&world(vec![ds_of(&not_sep, 2)], &[&not_sep]), "dnssec02");
    assert!(emitted.has("DS02_DNSKEY_NOT_SEP"), "{:?}", emitted.tags());
    assert_eq!(emitted.level_of("DS02_DNSKEY_NOT_SEP"), Some(Level::Notice));

    let not_zone = key(sign::SEP);
    let emitted = run(&world(vec![ds_of(&not_zone, 2)], &[&not_zone]), "dnssec02");
    assert_eq!(
        emitted.tags_with_prefix("DS02"),
        [
            "DS02_DNSKEY_NOT_FOR_ZONE_SIGNING",
            "DS02_NO_VALID_DNSKEY_FOR_ANY_DS"
        ]
    );
}

#[test]
fn dnssec02_without_ds_asks_no_child() {
    let ksk = key(KSK);
    let world = world(Vec::new(), &[&ksk]);
    let emitted = run(&world, "dnssec02");
    assert!(emitted.tags_with_prefix("DS02").is_empty());
    assert_eq!(asked_for(&world, RecordType::DNSKEY), 0);
}

// ---- DNSSEC11 --------------------------------------------------------------

#[test]
fn dnssec11_signed_zone_with_ds_passes() {
    let ksk = key(KSK);
    let emitted = run(&world(vec![ds_of(&ksk, 2)], &[&ksk]), "dnssec11");
    assert!(
        emitted.tags_with_prefix("DS11").is_empty(),
        "{:?}",
        emitted.tags()
    );
}

#[test]
fn dnssec11_ds_but_unsigned() {
    let ksk = key(KSK);
    let emitted = run(&world(vec![ds_of(&ksk, 2)], &[]), "dnssec11");
    assert_eq!(
        emitted.tags_with_prefix("DS11"),
        ["DS11_DS_BUT_UNSIGNED_ZONE"]
    );
    assert_eq!(
        emitted.level_of("DS11_DS_BUT_UNSIGNED_ZONE"),
        Some(Level::Error)
    );
}

#[test]
fn dnssec11_one_server_unsigned() {
    let ksk = key(KSK);
    let world =
        world(vec![ds_of(&ksk, 2)], &[&ksk]).behave(NS2.1, Behaviour::Drops(RecordType::DNSKEY));
    let emitted = run(&world, "dnssec11");
    assert_eq!(
        emitted.tags_with_prefix("DS11"),
        [
            "DS11_INCONSISTENT_SIGNED_ZONE",
            "DS11_NS_WITH_UNSIGNED_ZONE",
            "DS11_NS_WITH_SIGNED_ZONE"
        ]
    );
    assert_eq!(
        emitted.arg("DS11_NS_WITH_UNSIGNED_ZONE", "ns_ip_list"),
        [NS2.1]
    );
    assert_eq!(
        emitted.arg("DS11_NS_WITH_SIGNED_ZONE", "ns_ip_list"),
        [NS1.1]
    );
}

#[test]
fn dnssec11_dnskey_undetermined() {
    let ksk = key(KSK);
    let servfail = Behaviour::RcodeFor(RecordType::DNSKEY, Rcode::SERVFAIL);
    let world = world(vec![ds_of(&ksk, 2)], &[&ksk])
        .behave(NS1.1, servfail)
        .behave(NS2.1, servfail);
    let emitted = run(&world, "dnssec11");
    assert_eq!(
        emitted.tags_with_prefix("DS11"),
        ["DS11_UNDETERMINED_SIGNED_ZONE"]
    );
}

#[test]
fn dnssec11_no_ds_ends_before_the_child() {
    let world = world(Vec::new(), &[]);
    let emitted = run(&world, "dnssec11");
    assert!(emitted.tags_with_prefix("DS11").is_empty());
    assert_eq!(asked_for(&world, RecordType::DNSKEY), 0);
}

#[test]
fn dnssec11_silent_parent_is_undetermined() {
    let world =
        world(Vec::new(), &[]).behave_for(PARENT_ADDRESS, RecordType::DS, Behaviour::Silent);
    let emitted = run(&world, "dnssec11");
    assert_eq!(emitted.tags_with_prefix("DS11"), ["DS11_UNDETERMINED_DS"]);
    assert_eq!(asked_for(&world, RecordType::DNSKEY), 0);
}

#[test]
fn dnssec11_undelegated() {
    let world = World::with_parents(ZONE).serve(ZONE, &[NS1, NS2]);
    let emitted = TestRun::new(&world, ZONE, "dnssec11")
        .ns(NS1.0, Some(NS1.1))
        .ns(NS2.0, Some(NS2.1))
        .run();
    assert!(emitted.tags_with_prefix("DS11").is_empty());
    assert_eq!(asked_for(&world, RecordType::DNSKEY), 0);

    let emitted = TestRun::new(&world, ZONE, "dnssec11")
        .ns(NS1.0, Some(NS1.1))
        .ns(NS2.0, Some(NS2.1))
        .ds(4711, 13, 2, &"ab".repeat(32))
        .run();
    assert_eq!(
        emitted.tags_with_prefix("DS11"),
        ["DS11_DS_BUT_UNSIGNED_ZONE"]
    );
}

// ---- DNSSEC18 --------------------------------------------------------------

#[test]
fn dnssec18_without_cds_or_ds_says_nothing() {
    let ksk = key(KSK);
    let world = world(vec![ds_of(&ksk, 2)], &[&ksk]);
    let emitted = run(&world, "dnssec18");
    assert!(emitted.tags_with_prefix("DS18").is_empty());

    let world = self::world(Vec::new(), &[&ksk]);
    let emitted = run(&world, "dnssec18");
    assert!(emitted.tags_with_prefix("DS18").is_empty());
    assert_eq!(asked_for(&world, RecordType::CDS), 0);
}
