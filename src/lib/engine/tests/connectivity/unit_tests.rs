//! Unit tests of CONNECTIVITY01–04 in scripted worlds
//! ([`crate::engine::testing`]): servers that answer well over both
//! transports and servers that fail each way spec §3.3 names; AS-number
//! data served the Cymru way (TXT under `asnlookup.zonemaster.net`, the
//! default profile's first source) or the RIPE way (a scripted WHOIS
//! server), and sources that never answer.

use std::net::IpAddr;

use hickory_proto::rr::rdata::TXT;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde_json::json;

use crate::dns::Rcode;
use crate::engine::asn::cymru::query_name;
use crate::engine::level::Level;
use crate::engine::module::Module;
use crate::engine::testing::{
    Asked, Behaviour, Emitted, TestRun, WhoisReply, World, run_module, run_test_case,
};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.129");
const NS1_V6: (&str, &str) = ("ns1.example.com.", "2001:db8::1");
const NS2_V6: (&str, &str) = ("ns2.example.com.", "2001:db8:1::1");
const FIRST: &str = "ns1.example.com/192.0.2.1";
const SECOND: &str = "ns2.example.com/192.0.2.129";
const BOTH: &str = "ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.129";

/// The default profile's Cymru sources and the servers the worlds give
/// them.
const SOURCE: &str = "asnlookup.zonemaster.net.";
const SOURCE_SERVER: &str = "198.51.100.5";
const SECOND_SOURCE: &str = "asn.cymru.com.";
const SECOND_SOURCE_SERVER: &str = "198.51.100.7";
/// A WHOIS host inside the zone under test, and its address.
const WHOIS_HOST: &str = "whois.example.com";
const WHOIS_SERVER: &str = "198.51.100.43";

fn two_servers() -> World {
    World::with_delegation(ZONE, &[NS1, NS2])
}

fn dual_stack() -> World {
    World::with_delegation(ZONE, &[NS1, NS1_V6, NS2, NS2_V6])
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

/// A TXT record with one string.
fn txt(owner: Name, text: &str) -> Record {
    Record::from_rdata(owner, 3600, RData::TXT(TXT::new(vec![text.to_owned()])))
}

fn absolute(text: &str) -> Name {
    Name::from_ascii(text).unwrap()
}

/// `world` with the first Cymru source delegated from the root (through
/// `net.` and `zonemaster.net.`) and serving `data`: (address, TXT text),
/// several texts for one address giving several records.
fn with_cymru(world: World, data: &[(&str, &str)]) -> World {
    let world = world
        .delegate("net.", &[("ns.net.", "198.51.100.3")])
        .delegate("zonemaster.net.", &[("ns.zonemaster.net.", "198.51.100.4")])
        .delegate(SOURCE, &[("ns1.asnlookup.zonemaster.net.", SOURCE_SERVER)]);
    world.add_records(SOURCE, cymru_records(SOURCE, data))
}

/// `world` (from [`with_cymru`]) with the second source, `asn.cymru.com`,
/// serving `data`.
fn with_second_source(world: World, data: &[(&str, &str)]) -> World {
    world
        .delegate("cymru.com.", &[("ns.cymru.com.", "198.51.100.6")])
        .delegate(
            SECOND_SOURCE,
            &[("ns.asn.cymru.com.", SECOND_SOURCE_SERVER)],
        )
        .add_records(SECOND_SOURCE, cymru_records(SECOND_SOURCE, data))
}

fn cymru_records(source: &str, data: &[(&str, &str)]) -> Vec<Record> {
    data.iter()
        .map(|(address, text)| {
            let address: IpAddr = address.parse().unwrap();
            txt(query_name(address, &absolute(source)).unwrap(), text)
        })
        .collect()
}

/// `tag` is the only finding of the test case (tags starting `prefix`),
/// once, for server `ns`, at `level`.
fn assert_only(emitted: &Emitted, prefix: &str, tag: &str, ns: &str, level: Level) {
    assert_eq!(emitted.tags_with_prefix(prefix), [tag]);
    assert_eq!(emitted.arg(tag, "ns"), [ns]);
    assert_eq!(emitted.level_of(tag), Some(level));
}

/// The TXT questions the world was asked at `server`.
fn txt_questions(world: &World, server: &str) -> Vec<String> {
    let server: IpAddr = server.parse().unwrap();
    world
        .asked()
        .into_iter()
        .filter_map(|asked| match asked {
            Asked::Dns {
                server: to,
                name,
                rtype: RecordType::TXT,
            } if to == server => Some(name.to_ascii()),
            _ => None,
        })
        .collect()
}

// ---- CONNECTIVITY01 and 02 ---------------------------------------------------

#[test]
fn connectivity01_and_02_pass_when_every_server_answers() {
    let world = dual_stack();
    for (test_case, prefix) in [("connectivity01", "CN01"), ("connectivity02", "CN02")] {
        let emitted = run(&world, test_case);
        assert!(
            emitted.tags_with_prefix(prefix).is_empty(),
            "{test_case}: {:?}",
            emitted.tags()
        );
        assert!(!emitted.has("MODULE_ERROR"));
    }
}

#[test]
fn connectivity01_names_a_server_that_answers_nothing_once() {
    let world = two_servers().behave(NS2.1, Behaviour::Silent);
    let emitted = run(&world, "connectivity01");
    assert_only(
        &emitted,
        "CN01",
        "CN01_NO_RESPONSE_UDP",
        SECOND,
        Level::Warning,
    );
}

#[test]
fn connectivity01_reports_answers_without_aa() {
    let world = two_servers().behave(NS1.1, Behaviour::NotAuthoritative);
    let emitted = run(&world, "connectivity01");
    assert_eq!(
        emitted.tags_with_prefix("CN01"),
        ["CN01_SOA_RECORD_NOT_AA_UDP", "CN01_NS_RECORD_NOT_AA_UDP"]
    );
    assert_eq!(emitted.arg("CN01_SOA_RECORD_NOT_AA_UDP", "ns"), [FIRST]);
    assert_eq!(emitted.arg("CN01_NS_RECORD_NOT_AA_UDP", "ns"), [FIRST]);
    assert_eq!(
        emitted.level_of("CN01_NS_RECORD_NOT_AA_UDP"),
        Some(Level::Warning)
    );
}

#[test]
fn connectivity01_reports_error_rcodes_with_their_mnemonic() {
    let world = two_servers().behave(NS2.1, Behaviour::Rcode(Rcode::SERVFAIL));
    let emitted = run(&world, "connectivity01");
    assert_eq!(
        emitted.tags_with_prefix("CN01"),
        [
            "CN01_UNEXPECTED_RCODE_SOA_QUERY_UDP",
            "CN01_UNEXPECTED_RCODE_NS_QUERY_UDP"
        ]
    );
    for tag in [
        "CN01_UNEXPECTED_RCODE_SOA_QUERY_UDP",
        "CN01_UNEXPECTED_RCODE_NS_QUERY_UDP",
    ] {
        assert_eq!(emitted.arg(tag, "ns"), [SECOND]);
        assert_eq!(emitted.arg(tag, "rcode"), ["SERVFAIL"]);
        assert_eq!(emitted.level_of(tag), Some(Level::Warning));
    }
}

#[test]
fn connectivity01_reports_missing_records_per_type() {
    let world = two_servers().behave(NS2.1, Behaviour::Drops(RecordType::SOA));
    let emitted = run(&world, "connectivity01");
    assert_eq!(
        emitted.tags_with_prefix("CN01"),
        ["CN01_MISSING_SOA_RECORD_UDP"]
    );
    assert_eq!(emitted.arg("CN01_MISSING_SOA_RECORD_UDP", "ns"), [SECOND]);

    let world = two_servers().behave(NS1.1, Behaviour::Drops(RecordType::NS));
    let emitted = run(&world, "connectivity01");
    assert_eq!(
        emitted.tags_with_prefix("CN01"),
        ["CN01_MISSING_NS_RECORD_UDP"]
    );
    assert_eq!(emitted.arg("CN01_MISSING_NS_RECORD_UDP", "ns"), [FIRST]);
}

#[test]
fn connectivity01_reports_records_of_another_name_with_final_dots() {
    let world = two_servers().behave(NS2.1, Behaviour::OwnerRenamed("Other.Example.NET."));
    let emitted = run(&world, "connectivity01");
    assert_eq!(
        emitted.tags_with_prefix("CN01"),
        ["CN01_WRONG_SOA_RECORD_UDP", "CN01_WRONG_NS_RECORD_UDP"]
    );
    for tag in ["CN01_WRONG_SOA_RECORD_UDP", "CN01_WRONG_NS_RECORD_UDP"] {
        let args = emitted.args_of(tag)[0];
        assert_eq!(args["ns"], SECOND);
        assert_eq!(args["domain_found"], "other.example.net.");
        assert_eq!(args["domain_expected"], "example.com.");
        assert_eq!(emitted.level_of(tag), Some(Level::Warning));
    }
}

#[test]
fn connectivity01_lists_servers_of_a_disabled_family_and_does_not_ask_them() {
    let world = dual_stack().behave(NS2_V6.1, Behaviour::Silent);
    let emitted = TestRun::new(&world, ZONE, "connectivity01")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(emitted.tags_with_prefix("CN01"), ["CN01_IPV6_DISABLED"]);
    assert_eq!(
        emitted.arg("CN01_IPV6_DISABLED", "ns_list"),
        ["ns1.example.com/2001:db8::1;ns2.example.com/2001:db8:1::1"]
    );
    assert_eq!(emitted.level_of("CN01_IPV6_DISABLED"), Some(Level::Notice));
    assert_eq!(
        emitted.arg("IPV6_DISABLED", "rrtype"),
        ["SOA", "SOA", "NS", "NS"]
    );
}

#[test]
fn connectivity02_names_a_server_that_answers_udp_but_not_tcp() {
    let world = two_servers().behave(NS1.1, Behaviour::NoTcp);
    let emitted = run(&world, "connectivity02");
    assert_only(
        &emitted,
        "CN02",
        "CN02_NO_RESPONSE_TCP",
        FIRST,
        Level::Warning,
    );
    let udp = run(&world, "connectivity01");
    assert!(udp.tags_with_prefix("CN01").is_empty(), "{:?}", udp.tags());
}

#[test]
fn connectivity02_judges_tcp_answers_like_udp_ones() {
    let world = two_servers().behave(NS2.1, Behaviour::Rcode(Rcode::REFUSED));
    let emitted = run(&world, "connectivity02");
    assert_eq!(
        emitted.arg("CN02_UNEXPECTED_RCODE_SOA_QUERY_TCP", "rcode"),
        ["REFUSED"]
    );
    assert_eq!(
        emitted.arg("CN02_UNEXPECTED_RCODE_NS_QUERY_TCP", "ns"),
        [SECOND]
    );

    let world = two_servers().behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run(&world, "connectivity02");
    assert_eq!(
        emitted.tags_with_prefix("CN02"),
        ["CN02_SOA_RECORD_NOT_AA_TCP", "CN02_NS_RECORD_NOT_AA_TCP"]
    );

    let world = two_servers().behave(NS2.1, Behaviour::Drops(RecordType::NS));
    let emitted = run(&world, "connectivity02");
    assert_eq!(
        emitted.tags_with_prefix("CN02"),
        ["CN02_MISSING_NS_RECORD_TCP"]
    );

    let world = two_servers().behave(NS1.1, Behaviour::OwnerRenamed("example.org."));
    let emitted = run(&world, "connectivity02");
    assert_eq!(
        emitted.arg("CN02_WRONG_SOA_RECORD_TCP", "domain_found"),
        ["example.org."]
    );
    assert_eq!(
        emitted.arg("CN02_WRONG_NS_RECORD_TCP", "domain_expected"),
        ["example.com."]
    );
    assert_eq!(emitted.arg("CN02_WRONG_NS_RECORD_TCP", "ns"), [FIRST]);

    let world = two_servers().behave(NS1.1, Behaviour::Silent);
    let emitted = run(&world, "connectivity02");
    assert_eq!(emitted.tags_with_prefix("CN02"), ["CN02_NO_RESPONSE_TCP"]);
}

// ---- CONNECTIVITY03 ------------------------------------------------------------

const NS1_DATA: (&str, &str) = ("192.0.2.1", "64500 | 192.0.2.0/25 | ZZ | test | 2025-01-01");
const NS2_DATA: (&str, &str) = (
    "192.0.2.129",
    "64501 | 192.0.2.128/25 | ZZ | test | 2025-01-01",
);

#[test]
fn connectivity03_different_ases_pass_and_every_address_is_described() {
    let world = with_cymru(two_servers(), &[NS1_DATA, NS2_DATA]);
    let emitted = run(&world, "connectivity03");
    assert_eq!(
        emitted.tags(),
        [
            "ASN_LOOKUP_SOURCE",
            "ASN_INFOS_RAW",
            "ASN_INFOS_ANNOUNCE_BY",
            "ASN_INFOS_ANNOUNCE_IN",
            "ASN_LOOKUP_SOURCE",
            "ASN_INFOS_RAW",
            "ASN_INFOS_ANNOUNCE_BY",
            "ASN_INFOS_ANNOUNCE_IN",
            "IPV4_DIFFERENT_ASN",
        ]
    );
    assert_eq!(
        emitted.arg("ASN_LOOKUP_SOURCE", "name"),
        ["asnlookup.zonemaster.net", "asnlookup.zonemaster.net"]
    );
    assert_eq!(emitted.emissions()[0].module, "System");
    assert_eq!(
        emitted.arg("ASN_INFOS_RAW", "ns_ip"),
        ["192.0.2.1", "192.0.2.129"]
    );
    assert_eq!(
        emitted.arg("ASN_INFOS_RAW", "data"),
        [NS1_DATA.1, NS2_DATA.1]
    );
    assert_eq!(
        emitted.arg("ASN_INFOS_ANNOUNCE_BY", "asn"),
        ["64500", "64501"]
    );
    assert_eq!(
        emitted.arg("ASN_INFOS_ANNOUNCE_IN", "prefix"),
        ["192.0.2.0/25", "192.0.2.128/25"]
    );
    assert_eq!(
        emitted.arg("IPV4_DIFFERENT_ASN", "asn_list"),
        ["64500,64501"]
    );
    assert_eq!(emitted.level_of("IPV4_DIFFERENT_ASN"), Some(Level::Info));
}

#[test]
fn connectivity03_one_as_for_all_servers_is_a_warning() {
    let world = with_cymru(
        two_servers(),
        &[
            ("192.0.2.1", "64500 | 192.0.2.0/24 | ZZ | test | x"),
            ("192.0.2.129", "64500 | 192.0.2.0/24 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity03");
    assert_eq!(emitted.arg("IPV4_ONE_ASN", "asn"), ["64500"]);
    assert_eq!(emitted.level_of("IPV4_ONE_ASN"), Some(Level::Warning));
    assert!(!emitted.has("IPV4_DIFFERENT_ASN") && !emitted.has("IPV4_SAME_ASN"));
}

#[test]
fn connectivity03_the_same_set_of_ases_everywhere_is_a_notice() {
    let world = with_cymru(
        two_servers(),
        &[
            ("192.0.2.1", "64501 64500 | 192.0.2.0/24 | ZZ | test | x"),
            ("192.0.2.129", "64500 64501 | 192.0.2.0/24 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity03");
    assert_eq!(
        emitted.arg("ASN_INFOS_ANNOUNCE_BY", "asn"),
        ["64501,64500", "64500,64501"]
    );
    assert_eq!(emitted.arg("IPV4_SAME_ASN", "asn_list"), ["64500,64501"]);
    assert_eq!(emitted.level_of("IPV4_SAME_ASN"), Some(Level::Notice));
}

#[test]
fn connectivity03_judges_each_family_on_its_own() {
    let world = with_cymru(
        dual_stack(),
        &[
            NS1_DATA,
            NS2_DATA,
            ("2001:db8::1", "64510 | 2001:db8::/32 | ZZ | test | x"),
            ("2001:db8:1::1", "64510 | 2001:db8::/32 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity03");
    assert_eq!(
        emitted.arg("IPV4_DIFFERENT_ASN", "asn_list"),
        ["64500,64501"]
    );
    assert_eq!(emitted.arg("IPV6_ONE_ASN", "asn"), ["64510"]);
    assert_eq!(emitted.level_of("IPV6_ONE_ASN"), Some(Level::Warning));
    assert_eq!(
        emitted.arg("ASN_INFOS_ANNOUNCE_IN", "ns_ip"),
        ["192.0.2.1", "192.0.2.129", "2001:db8::1", "2001:db8:1::1"]
    );
}

#[test]
fn connectivity03_an_unknown_address_is_an_empty_set_from_the_first_source() {
    let world = with_cymru(two_servers(), &[NS1_DATA]);
    let emitted = run(&world, "connectivity03");
    assert_eq!(emitted.arg("EMPTY_ASN_SET", "ns_ip"), ["192.0.2.129"]);
    assert_eq!(emitted.level_of("EMPTY_ASN_SET"), Some(Level::Notice));
    assert_eq!(emitted.arg("ASN_LOOKUP_SOURCE", "name").len(), 2);
    assert_eq!(emitted.arg("IPV4_ONE_ASN", "asn"), ["64500"]);
}

#[test]
fn connectivity03_a_failing_source_is_passed_over_for_the_next() {
    let world = with_cymru(two_servers(), &[]);
    let world = with_second_source(world, &[NS1_DATA, NS2_DATA])
        .behave(SOURCE_SERVER, Behaviour::Rcode(Rcode::SERVFAIL));
    let emitted = run(&world, "connectivity03");
    assert_eq!(
        emitted.arg("ASN_LOOKUP_SOURCE", "name"),
        [
            "asnlookup.zonemaster.net",
            "asn.cymru.com",
            "asnlookup.zonemaster.net",
            "asn.cymru.com"
        ]
    );
    assert_eq!(
        emitted.arg("IPV4_DIFFERENT_ASN", "asn_list"),
        ["64500,64501"]
    );
}

#[test]
fn connectivity03_no_usable_source_is_a_database_error() {
    // The first source refuses; the second does not exist (an NXDOMAIN
    // from `com.`, not from the source's own zone).
    let world = with_cymru(two_servers(), &[NS1_DATA])
        .behave(SOURCE_SERVER, Behaviour::Rcode(Rcode::REFUSED));
    let emitted = run(&world, "connectivity03");
    assert_eq!(
        emitted.arg("ERROR_ASN_DATABASE", "ns_ip"),
        ["192.0.2.1", "192.0.2.129"]
    );
    assert_eq!(emitted.level_of("ERROR_ASN_DATABASE"), Some(Level::Notice));
    assert_eq!(emitted.arg("ASN_LOOKUP_SOURCE", "name").len(), 4);
    assert!(
        !emitted.has("IPV4_ONE_ASN") && !emitted.has("IPV4_DIFFERENT_ASN"),
        "no AS, no verdict: {:?}",
        emitted.tags()
    );
}

#[test]
fn connectivity03_a_prefix_that_does_not_hold_the_address_is_a_database_error() {
    let world = with_cymru(
        two_servers(),
        &[
            NS1_DATA,
            NS2_DATA,
            ("192.0.2.129", "64501 | 198.51.100.0/24 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity03");
    assert_eq!(emitted.arg("ERROR_ASN_DATABASE", "ns_ip"), ["192.0.2.129"]);
    assert_eq!(emitted.arg("IPV4_ONE_ASN", "asn"), ["64500"]);
}

#[test]
fn connectivity03_ripe_style_asks_the_whois_host_found_by_the_recursor() {
    let world = two_servers()
        .add(ZONE, &[format!("{WHOIS_HOST}. A {WHOIS_SERVER}")])
        .whois(
            WHOIS_SERVER,
            WhoisReply::Text("% RIS\n\n64496\t192.0.2.0/24\t12\n".to_owned()),
        );
    let emitted = TestRun::new(&world, ZONE, "connectivity03")
        .profile(|profile| {
            profile.set("asn_db.style", json!("RIPE")).unwrap();
            profile
                .set("asn_db.sources", json!({"RIPE": [WHOIS_HOST]}))
                .unwrap();
        })
        .run();
    assert_eq!(
        emitted.arg("ASN_LOOKUP_SOURCE", "name"),
        [WHOIS_HOST, WHOIS_HOST]
    );
    assert_eq!(
        emitted.arg("ASN_INFOS_RAW", "data"),
        ["64496\t192.0.2.0/24\t12", "64496\t192.0.2.0/24\t12"]
    );
    assert_eq!(emitted.arg("IPV4_ONE_ASN", "asn"), ["64496"]);
    let questions: Vec<Asked> = world
        .asked()
        .into_iter()
        .filter(|asked| matches!(asked, Asked::Whois { .. }))
        .collect();
    let server: IpAddr = WHOIS_SERVER.parse().unwrap();
    assert_eq!(
        questions,
        [
            Asked::Whois {
                server,
                question: "-F -M 192.0.2.1".to_owned()
            },
            Asked::Whois {
                server,
                question: "-F -M 192.0.2.129".to_owned()
            },
        ]
    );
}

#[test]
fn connectivity03_ripe_style_without_data_or_server() {
    let ripe = |world: &World, sources: serde_json::Value| {
        TestRun::new(world, ZONE, "connectivity03")
            .profile(|profile| {
                profile.set("asn_db.style", json!("ripe")).unwrap();
                profile
                    .set("asn_db.sources", json!({ "ripe": sources }))
                    .unwrap();
            })
            .run()
    };
    let world = two_servers()
        .add(ZONE, &[format!("{WHOIS_HOST}. A {WHOIS_SERVER}")])
        .whois(
            WHOIS_SERVER,
            WhoisReply::Text("% No entries found\n".to_owned()),
        );
    let emitted = ripe(&world, json!([WHOIS_HOST]));
    assert_eq!(
        emitted.arg("EMPTY_ASN_SET", "ns_ip"),
        ["192.0.2.1", "192.0.2.129"]
    );
    // A host without an address, then one without a WHOIS server.
    let emitted = ripe(&world, json!(["nowhere.example.com", "ns1.example.com"]));
    assert_eq!(
        emitted.arg("ERROR_ASN_DATABASE", "ns_ip"),
        ["192.0.2.1", "192.0.2.129"]
    );
    assert_eq!(
        emitted.arg("ASN_LOOKUP_SOURCE", "name"),
        [
            "nowhere.example.com",
            "ns1.example.com",
            "nowhere.example.com",
            "ns1.example.com"
        ]
    );
}

/// Spec §1.12 has each address asked source after source; we ask all
/// addresses at once and cut each look-up off one profile timeout (5 s)
/// after it started. Both sources never answer here: without the bound
/// one address would cost the recursor a whole query's time at each
/// source (8 s each). The clock is tokio's paused one, so the times are
/// exact, not measured.
#[tokio::test(start_paused = true)]
async fn connectivity03_waits_one_timeout_for_all_lookups_whatever_the_sources_do() {
    let world = with_cymru(dual_stack(), &[]).behave(SOURCE_SERVER, Behaviour::Hangs);
    let world = with_second_source(world, &[]).behave(SECOND_SOURCE_SERVER, Behaviour::Hangs);
    let started = tokio::time::Instant::now();
    let emitted = TestRun::new(&world, ZONE, "connectivity03")
        .run_async()
        .await;
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(5) && waited < std::time::Duration::from_secs(6),
        "waited {waited:?}"
    );
    assert_eq!(emitted.arg("ERROR_ASN_DATABASE", "ns_ip").len(), 4);
    assert_eq!(
        emitted.arg("ASN_LOOKUP_SOURCE", "name"),
        [SOURCE.trim_end_matches('.'); 4],
        "the second source is never reached"
    );
    assert_eq!(txt_questions(&world, SOURCE_SERVER).len(), 4);
    assert!(txt_questions(&world, SECOND_SOURCE_SERVER).is_empty());
}

#[tokio::test(start_paused = true)]
async fn connectivity03_ripe_waits_one_timeout_for_hanging_whois_servers() {
    let world = dual_stack()
        .add(
            ZONE,
            &[
                format!("{WHOIS_HOST}. A {WHOIS_SERVER}"),
                "whois2.example.com. A 198.51.100.44".to_owned(),
            ],
        )
        .whois(WHOIS_SERVER, WhoisReply::Hangs)
        .whois("198.51.100.44", WhoisReply::Hangs);
    let started = tokio::time::Instant::now();
    let emitted = TestRun::new(&world, ZONE, "connectivity03")
        .profile(|profile| {
            profile.set("asn_db.style", json!("RIPE")).unwrap();
            profile
                .set(
                    "asn_db.sources",
                    json!({"RIPE": [WHOIS_HOST, "whois2.example.com"]}),
                )
                .unwrap();
        })
        .run_async()
        .await;
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(5) && waited < std::time::Duration::from_secs(6),
        "waited {waited:?}"
    );
    assert_eq!(emitted.arg("ERROR_ASN_DATABASE", "ns_ip").len(), 4);
    let whois = world
        .asked()
        .into_iter()
        .filter(|asked| matches!(asked, Asked::Whois { .. }))
        .count();
    assert_eq!(whois, 4, "one question per address, all at once");
}

// ---- CONNECTIVITY04 ------------------------------------------------------------

#[test]
fn connectivity04_servers_in_different_prefixes_pass() {
    let world = with_cymru(two_servers(), &[NS1_DATA, NS2_DATA]);
    let emitted = run(&world, "connectivity04");
    assert_eq!(
        emitted.tags_with_prefix("CN04"),
        [
            "CN04_ASN_INFOS_RAW",
            "CN04_ASN_INFOS_ANNOUNCE_IN",
            "CN04_ASN_INFOS_RAW",
            "CN04_ASN_INFOS_ANNOUNCE_IN",
            "CN04_IPV4_DIFFERENT_PREFIX"
        ]
    );
    assert_eq!(
        emitted.arg("CN04_ASN_INFOS_ANNOUNCE_IN", "prefix"),
        ["192.0.2.0/25", "192.0.2.128/25"]
    );
    assert_eq!(emitted.arg("CN04_IPV4_DIFFERENT_PREFIX", "ns_list"), [BOTH]);
    assert_eq!(
        emitted.level_of("CN04_IPV4_DIFFERENT_PREFIX"),
        Some(Level::Info)
    );
}

#[test]
fn connectivity04_one_prefix_for_all_servers_is_a_warning() {
    let world = with_cymru(
        dual_stack(),
        &[
            ("192.0.2.1", "64500 | 192.0.2.0/24 | ZZ | test | x"),
            ("192.0.2.129", "64500 | 192.0.2.0/24 | ZZ | test | x"),
            ("2001:db8::1", "64510 | 2001:db8::/47 | ZZ | test | x"),
            ("2001:db8:1::1", "64510 | 2001:db8::/47 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity04");
    assert_eq!(
        emitted.tags_with_prefix("CN04_IPV"),
        [
            "CN04_IPV4_SAME_PREFIX",
            "CN04_IPV4_SINGLE_PREFIX",
            "CN04_IPV6_SAME_PREFIX",
            "CN04_IPV6_SINGLE_PREFIX"
        ]
    );
    let same = emitted.args_of("CN04_IPV4_SAME_PREFIX")[0];
    assert_eq!(same["ip_prefix"], "192.0.2.0/24");
    assert_eq!(same["ns_list"], BOTH);
    let same = emitted.args_of("CN04_IPV6_SAME_PREFIX")[0];
    assert_eq!(same["ip_prefix"], "2001:db8::/47");
    assert_eq!(
        same["ns_list"],
        "ns1.example.com/2001:db8::1;ns2.example.com/2001:db8:1::1"
    );
    assert_eq!(
        emitted.level_of("CN04_IPV4_SINGLE_PREFIX"),
        Some(Level::Warning)
    );
    assert_eq!(
        emitted.level_of("CN04_IPV6_SAME_PREFIX"),
        Some(Level::Notice)
    );
}

#[test]
fn connectivity04_a_lone_server_is_in_a_single_prefix() {
    let world = with_cymru(World::with_delegation(ZONE, &[NS1]), &[NS1_DATA]);
    let emitted = run(&world, "connectivity04");
    assert_eq!(
        emitted.tags_with_prefix("CN04_IPV"),
        ["CN04_IPV4_DIFFERENT_PREFIX", "CN04_IPV4_SINGLE_PREFIX"]
    );
    assert_eq!(
        emitted.arg("CN04_IPV4_DIFFERENT_PREFIX", "ns_list"),
        [FIRST]
    );
}

#[test]
fn connectivity04_a_server_without_prefix_keeps_the_others_from_being_single() {
    let world = with_cymru(
        two_servers(),
        &[
            NS1_DATA,
            ("192.0.2.129", "64501 | 192.0.2.128/25 | ZZ | test | x"),
            ("192.0.2.129", "64501 | 203.0.113.0/24 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity04");
    assert_eq!(
        emitted.tags_with_prefix("CN04"),
        [
            "CN04_ASN_INFOS_RAW",
            "CN04_ASN_INFOS_ANNOUNCE_IN",
            "CN04_ERROR_PREFIX_DATABASE",
            "CN04_IPV4_DIFFERENT_PREFIX"
        ]
    );
    assert_eq!(
        emitted.arg("CN04_ERROR_PREFIX_DATABASE", "ns_ip"),
        ["192.0.2.129"]
    );
    assert_eq!(
        emitted.level_of("CN04_ERROR_PREFIX_DATABASE"),
        Some(Level::Notice)
    );

    let world = with_cymru(two_servers(), &[NS1_DATA]);
    let emitted = run(&world, "connectivity04");
    assert_eq!(
        emitted.arg("CN04_EMPTY_PREFIX_SET", "ns_ip"),
        ["192.0.2.129"]
    );
    assert_eq!(
        emitted.level_of("CN04_EMPTY_PREFIX_SET"),
        Some(Level::Notice)
    );
    assert!(!emitted.has("CN04_IPV4_SINGLE_PREFIX"));
}

#[test]
fn connectivity04_takes_delegation_and_zone_servers_each_address_once() {
    // The zone's own NS set adds ns3, which the parent does not list, and
    // names ns1's address a second time under another name.
    let ns3 = ("ns3.example.com.", "192.0.2.200");
    let alias = ("alias.example.com.", NS1.1);
    let world = two_servers().add(
        ZONE,
        &[
            format!("{ZONE} NS {}", ns3.0),
            format!("{} A {}", ns3.0, ns3.1),
            format!("{ZONE} NS {}", alias.0),
            format!("{} A {}", alias.0, alias.1),
        ],
    );
    let world = with_cymru(
        world,
        &[
            NS1_DATA,
            NS2_DATA,
            ("192.0.2.200", "64501 | 192.0.2.128/25 | ZZ | test | x"),
        ],
    );
    let emitted = run(&world, "connectivity04");
    assert_eq!(
        emitted.arg("CN04_ASN_INFOS_RAW", "ns_ip"),
        ["192.0.2.1", "192.0.2.129", "192.0.2.200"]
    );
    assert_eq!(
        emitted.arg("CN04_IPV4_SAME_PREFIX", "ns_list"),
        ["ns2.example.com/192.0.2.129;ns3.example.com/192.0.2.200"]
    );
    assert_eq!(
        emitted.arg("CN04_IPV4_DIFFERENT_PREFIX", "ns_list"),
        [FIRST]
    );
}

/// CONNECTIVITY03 and 04 run side by side in a module run and want the
/// same addresses: each is looked up once, and both report its sources.
#[test]
fn a_module_run_looks_each_address_up_once() {
    let world = with_cymru(dual_stack(), &[NS1_DATA, NS2_DATA]);
    let emitted = run_module(&world, ZONE, Module::Connectivity);
    assert_eq!(emitted.arg("ASN_LOOKUP_SOURCE", "name").len(), 8);
    assert!(emitted.has("IPV4_DIFFERENT_ASN") && emitted.has("CN04_IPV4_DIFFERENT_PREFIX"));
    assert_eq!(emitted.arg("EMPTY_ASN_SET", "ns_ip").len(), 2);
    let mut asked = txt_questions(&world, SOURCE_SERVER);
    assert_eq!(asked.len(), 4, "{asked:?}");
    asked.dedup();
    assert_eq!(asked.len(), 4);
}
