//! Unit tests of DNSSEC04, 05, 06, 08, 09, 13 and 14: the pure rules
//! (asctime text, how one signature is judged) and scripted worlds
//! ([`crate::engine::testing`]) for silent, refusing and keyless servers,
//! and for whom DNSSEC04 asks. Signed answers are mostly tested end to end
//! (tests/it/dnssec_sigs.rs).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hickory_proto::dnssec::rdata::RRSIG;
use hickory_proto::rr::{Name, Record, RecordType};

use super::dnssec04::asctime;
use super::dnssec08::{Problem, problem_of};
use super::shared::Key;
use crate::dns::Rcode;
use crate::dnssec::sign::{self, DAY, HOUR, KSK, SigningKey, Validity, ZSK};
use crate::engine::level::Level;
use crate::engine::testing::{Asked, Behaviour, TestRun, World, run_test_case};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");

fn zone() -> Name {
    Name::from_ascii(ZONE).unwrap()
}

/// `example.com.` delegated to ns1 and ns2, both serving `keys` as its
/// DNSKEY RRset (no RRSIGs: the scripted world adds none).
fn world_with_keys(keys: &[&SigningKey]) -> World {
    let records: Vec<Record> = keys
        .iter()
        .map(|key| key.dnskey_record(&zone(), 3600))
        .collect();
    World::with_delegation(ZONE, &[NS1, NS2]).add_records(ZONE, records)
}

fn ecdsa(flags: u16) -> SigningKey {
    SigningKey::generate(13, flags).unwrap()
}

#[test]
fn asctime_is_utc_with_a_space_padded_day() {
    assert_eq!(asctime(1_956_916_800), "Mon Jan  5 12:00:00 2032");
    assert_eq!(asctime(0), "Thu Jan  1 00:00:00 1970");
    assert_eq!(asctime(u32::MAX), "Sun Feb  7 06:28:15 2106");
}

/// A DNSKEY RRset signed by `signer` over `validity`, with the keys.
fn signed_keys(signer: &SigningKey, validity: Validity) -> (Vec<Key>, Vec<Record>, RRSIG) {
    let rrset = vec![signer.dnskey_record(&zone(), 3600)];
    let record = signer.sign_rrset(&rrset, &zone(), validity).unwrap();
    let rrsig = sign::rrsig_of(&record).unwrap().clone();
    (vec![Key::new(&signer.dnskey())], rrset, rrsig)
}

#[test]
fn a_signature_is_judged_by_its_time_then_its_key() {
    let now = SystemTime::now();
    let key = ecdsa(KSK);
    let (keys, rrset, rrsig) = signed_keys(&key, Validity::usual(now));
    assert_eq!(problem_of(&rrsig, &keys, &rrset, now), None);
    assert_eq!(
        problem_of(&rrsig, &keys, &rrset, now + 30 * DAY),
        Some(Problem::Expired)
    );
    assert_eq!(
        problem_of(&rrsig, &keys, &rrset, now - 2 * HOUR),
        Some(Problem::NotYetValid)
    );
    let stranger = Key::new(&ecdsa(KSK).dnskey());
    assert_eq!(
        problem_of(&rrsig, &[stranger], &rrset, now),
        Some(Problem::NoMatchingKey)
    );
    let mut signature = rrsig.sig().to_vec();
    signature[0] ^= 1;
    let broken = RRSIG::from_sig(rrsig.input().clone(), signature);
    assert_eq!(
        problem_of(&broken, &keys, &rrset, now),
        Some(Problem::NotValid)
    );
}

#[test]
fn an_algorithm_we_cannot_check_is_not_called_invalid() {
    let now = SystemTime::now();
    let key = ecdsa(KSK).published_as(17);
    let (keys, rrset, rrsig) = signed_keys(&key, Validity::usual(now));
    assert_eq!(
        problem_of(&rrsig, &keys, &rrset, now),
        Some(Problem::AlgorithmNotSupported(17))
    );
}

#[test]
fn dnssec04_is_quiet_without_answers_or_signatures() {
    let silent = World::with_delegation(ZONE, &[NS1, NS2])
        .behave(NS1.1, Behaviour::Silent)
        .behave(NS2.1, Behaviour::Silent);
    let emitted = run_test_case(&silent, ZONE, "dnssec04");
    assert!(emitted.tags().is_empty(), "{:?}", emitted.tags());
    // Answers without RRSIGs: nothing to judge either.
    let unsigned = world_with_keys(&[&ecdsa(KSK)]);
    let emitted = TestRun::new(&unsigned, ZONE, "dnssec04")
        .at(UNIX_EPOCH + Duration::from_secs(1_900_000_000))
        .run();
    assert!(!emitted.has("RRSIG_EXPIRATION"), "{:?}", emitted.tags());
}

/// The servers DNSSEC04 asked for `rtype`, in order.
fn asked_for(world: &World, rtype: RecordType) -> Vec<std::net::IpAddr> {
    world
        .asked()
        .into_iter()
        .filter_map(|asked| match asked {
            Asked::Dns {
                server,
                rtype: asked_type,
                ..
            } if asked_type == rtype && server.to_string().starts_with("192.0.2.") => Some(server),
            _ => None,
        })
        .collect()
}

#[test]
fn dnssec04_asks_one_server_at_a_time_like_query_one() {
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    // Two worlds, not clones of one: clones share the log of questions.
    let base = || World::with_delegation(ZONE, &[NS1, NS2]);
    let soa = crate::engine::testing::parse_record(&format!(
        "{ZONE} 3600 SOA {} hostmaster.{ZONE} 1 21600 3600 1209600 3600",
        NS1.0
    ))
    .unwrap();
    let signed = sign::sign_zone(
        &zone(),
        &[soa],
        &[&ksk, &zsk],
        &sign::ZoneSigning::nsec(SystemTime::now()),
    )
    .unwrap();
    // Both answer: only the first is asked (DNSKEY is asked by DNSSEC04
    // alone; the SOA also by the zone's resolution), and the signatures are
    // judged.
    let world = base().add_records(ZONE, signed.clone());
    let emitted = run_test_case(&world, ZONE, "dnssec04");
    assert_eq!(
        emitted.args_of("RRSIG_EXPIRATION").len(),
        2,
        "{:?}",
        emitted.tags()
    );
    assert_eq!(
        asked_for(&world, RecordType::DNSKEY),
        [NS1.1.parse::<std::net::IpAddr>().unwrap()]
    );
    // The first is silent: the second answers for it.
    let world = base()
        .add_records(ZONE, signed)
        .behave(NS1.1, Behaviour::Silent);
    let emitted = run_test_case(&world, ZONE, "dnssec04");
    assert_eq!(
        emitted.args_of("RRSIG_EXPIRATION").len(),
        2,
        "{:?}",
        emitted.tags()
    );
    let both: Vec<std::net::IpAddr> = [NS1.1, NS2.1].iter().map(|a| a.parse().unwrap()).collect();
    assert_eq!(asked_for(&world, RecordType::DNSKEY), both);
}

#[test]
fn dnssec05_classes_each_algorithm_with_its_servers() {
    let rsa = SigningKey::generate_rsa(8, ZSK, 512)
        .unwrap()
        .published_as(5);
    let world = world_with_keys(&[&ecdsa(KSK), &rsa, &ecdsa(ZSK).published_as(254)]);
    let emitted = run_test_case(&world, ZONE, "dnssec05");
    assert!(emitted.has("DS05_ALGO_OK"), "{:?}", emitted.tags());
    assert_eq!(emitted.level_of("DS05_ALGO_DEPRECATED"), Some(Level::Error));
    assert_eq!(
        emitted.arg("DS05_ALGO_DEPRECATED", "ns_list"),
        ["ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.2"]
    );
    assert_eq!(
        emitted.arg("DS05_ALGO_DEPRECATED", "algo_mnemo"),
        ["RSASHA1"]
    );
    assert_eq!(emitted.arg("DS05_ALGO_PRIVATE", "algo_num"), ["254"]);
    assert!(!emitted.has("DS05_SERVER_NO_DNSSEC"));
}

#[test]
fn dnssec05_tells_silence_from_missing_keys() {
    let silent = world_with_keys(&[&ecdsa(KSK)])
        .behave(NS1.1, Behaviour::Silent)
        .behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run_test_case(&silent, ZONE, "dnssec05");
    assert_eq!(
        emitted.arg("DS05_NO_RESPONSE", "ns_list"),
        ["ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.2"]
    );
    assert!(!emitted.has("DS05_ALGO_OK"));
    let half = world_with_keys(&[&ecdsa(KSK)]).behave(NS2.1, Behaviour::Drops(RecordType::DNSKEY));
    let emitted = run_test_case(&half, ZONE, "dnssec05");
    assert_eq!(
        emitted.arg("DS05_SERVER_NO_DNSSEC", "ns_list"),
        ["ns2.example.com/192.0.2.2"]
    );
    assert!(emitted.has("DS05_ALGO_OK"));
    let none = World::with_delegation(ZONE, &[NS1, NS2]);
    let emitted = run_test_case(&none, ZONE, "dnssec05");
    assert!(emitted.has("DS05_ZONE_NO_DNSSEC"), "{:?}", emitted.tags());
    assert!(!emitted.has("DS05_NO_RESPONSE"));
}

#[test]
fn dnssec06_counts_keys_and_signatures_of_noerror_answers() {
    let world = world_with_keys(&[&ecdsa(KSK), &ecdsa(ZSK)])
        .behave(NS2.1, Behaviour::Rcode(Rcode::REFUSED));
    let emitted = run_test_case(&world, ZONE, "dnssec06");
    assert_eq!(
        emitted.arg("EXTRA_PROCESSING_BROKEN", "server"),
        ["192.0.2.1"]
    );
    assert_eq!(emitted.arg("EXTRA_PROCESSING_BROKEN", "keys"), ["2"]);
    assert_eq!(emitted.arg("EXTRA_PROCESSING_BROKEN", "sigs"), ["0"]);
    assert!(!emitted.has("EXTRA_PROCESSING_OK"));
}

#[test]
fn dnssec08_and_09_want_signatures_in_usable_answers() {
    let world = world_with_keys(&[&ecdsa(KSK)]).behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run_test_case(&world, ZONE, "dnssec08");
    assert_eq!(
        emitted.arg("DS08_MISSING_RRSIG_IN_RESPONSE", "ns_ip_list"),
        ["192.0.2.1"]
    );
    let emitted = run_test_case(&world, ZONE, "dnssec09");
    assert_eq!(
        emitted.arg("DS09_MISSING_RRSIG_IN_RESPONSE", "ns_ip_list"),
        ["192.0.2.1"]
    );
    // Without DNSKEY, DNSSEC09 has no keys to judge the SOA by.
    let unsigned = World::with_delegation(ZONE, &[NS1, NS2]);
    let emitted = run_test_case(&unsigned, ZONE, "dnssec09");
    assert!(emitted.tags().is_empty(), "{:?}", emitted.tags());
}

#[test]
fn dnssec13_leaves_out_servers_without_signatures() {
    let world = world_with_keys(&[&ecdsa(KSK)]);
    let emitted = run_test_case(&world, ZONE, "dnssec13");
    assert!(emitted.tags().is_empty(), "{:?}", emitted.tags());
}

#[test]
fn dnssec14_measures_each_rsa_key_once() {
    let small = SigningKey::generate_rsa(8, ZSK, 512)
        .unwrap()
        .published_as(10);
    let world = world_with_keys(&[&ecdsa(KSK), &small]);
    let emitted = run_test_case(&world, ZONE, "dnssec14");
    assert_eq!(emitted.arg("DNSKEY_TOO_SMALL_FOR_ALGO", "keysize"), ["512"]);
    assert_eq!(
        emitted.arg("DNSKEY_TOO_SMALL_FOR_ALGO", "algo_descr"),
        ["RSA/SHA-512"]
    );
    assert_eq!(
        emitted.arg("DNSKEY_SMALLER_THAN_REC", "keysizerec"),
        ["2048"]
    );
    assert!(!emitted.has("KEY_SIZE_OK"));
    let good = world_with_keys(&[&ecdsa(KSK), &ecdsa(ZSK)]);
    assert!(run_test_case(&good, ZONE, "dnssec14").has("KEY_SIZE_OK"));
}

#[test]
fn dnssec14_names_silent_and_keyless_servers() {
    let world = world_with_keys(&[&ecdsa(KSK)])
        .behave(NS1.1, Behaviour::Silent)
        .behave(NS2.1, Behaviour::Drops(RecordType::DNSKEY));
    let emitted = run_test_case(&world, ZONE, "dnssec14");
    assert_eq!(
        emitted.arg("NO_RESPONSE", "ns"),
        ["ns1.example.com/192.0.2.1"]
    );
    assert_eq!(emitted.level_of("NO_RESPONSE"), Some(Level::Debug));
    assert_eq!(
        emitted.arg("NO_RESPONSE_DNSKEY", "ns"),
        ["ns2.example.com/192.0.2.2"]
    );
    assert!(!emitted.has("KEY_SIZE_OK"));
}
