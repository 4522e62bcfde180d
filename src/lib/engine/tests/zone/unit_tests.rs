//! Unit tests of ZONE01–11 in scripted worlds
//! ([`crate::engine::testing`]): a zone that passes every test case, and
//! a zone for each finding of WARNING or worse (and the notable others),
//! tags and arguments asserted; the module's skip rules; the shared
//! cache.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::{Name, RecordType};

use crate::dns::{AxfrOutcome, Outcome, Rcode, Request, Transport};
use crate::engine::check::{CheckRequest, run_check};
use crate::engine::level::Level;
use crate::engine::module::Module;
use crate::engine::profile::Profile;
use crate::engine::runner::Selection;
use crate::engine::testing::{
    Asked, Behaviour, Emitted, TestRun, World, run_test_case, test_cases_run,
};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");
/// SOA fields after the owner that pass ZONE01–07.
const GOOD_SOA: &str =
    "ns1.example.com. hostmaster.example.com. 2025010101 21600 3600 1209600 3600";

/// One server's copy of `zone`: the SOA `soa` (fields after `SOA`), the
/// two NS records and their addresses, `extra` lines.
fn copy(zone: &str, soa: &str, extra: &[&str]) -> Vec<String> {
    let mut lines = vec![
        format!("{zone} SOA {soa}"),
        format!("{zone} NS {}", NS1.0),
        format!("{zone} NS {}", NS2.0),
    ];
    if NS1.0.ends_with(zone) {
        lines.push(format!("{} A {}", NS1.0, NS1.1));
        lines.push(format!("{} A {}", NS2.0, NS2.1));
    }
    lines.extend(extra.iter().map(ToString::to_string));
    lines
}

/// The healthy extras: one mail server, an SPF policy.
const GOOD_EXTRA: &[&str] = &[
    "example.com. MX 10 mail.example.com.",
    "mail.example.com. A 192.0.2.25",
    "example.com. TXT \"v=spf1 mx -all\"",
];

/// `example.com.` delegated to ns1 and ns2 (glue), ns1 serving `first`
/// and ns2 `second`.
fn world(first: &[String], second: &[String]) -> World {
    World::with_parents(ZONE)
        .cut(ZONE, &[NS1, NS2])
        .server(NS1.0, NS1.1, first)
        .server(NS2.0, NS2.1, second)
}

/// Both servers serve the good copy with `extra` instead of the good
/// extras.
fn same_world(soa: &str, extra: &[&str]) -> World {
    let lines = copy(ZONE, soa, extra);
    world(&lines, &lines)
}

fn good_world() -> World {
    same_world(GOOD_SOA, GOOD_EXTRA)
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

const BOTH_IPS: &str = "192.0.2.1;192.0.2.2";
const BOTH: &str = "ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.2";

// ---- the good zone ---------------------------------------------------------

#[test]
fn a_good_zone_passes_every_test_case() {
    let world = good_world();
    let expected: &[(&str, &[&str])] = &[
        ("zone01", &["Z01_MNAME_IS_MASTER"]),
        ("zone02", &["REFRESH_MINIMUM_VALUE_OK"]),
        ("zone03", &["REFRESH_HIGHER_THAN_RETRY"]),
        ("zone04", &["RETRY_MINIMUM_VALUE_OK"]),
        ("zone05", &["EXPIRE_MINIMUM_VALUE_OK"]),
        ("zone06", &["SOA_DEFAULT_TTL_MAXIMUM_VALUE_OK"]),
        ("zone07", &["MNAME_IS_NOT_CNAME", "MNAME_IS_NOT_CNAME"]),
        ("zone08", &["MX_RECORD_IS_NOT_CNAME"]),
        ("zone09", &["Z09_MX_DATA"]),
        ("zone10", &["ONE_SOA"]),
        ("zone11", &["Z11_SPF_SYNTAX_OK"]),
    ];
    for (test_case, tags) in expected {
        let emitted = run(&world, test_case);
        assert_eq!(emitted.tags(), *tags, "{test_case}");
        for emission in emitted.emissions() {
            assert!(emission.level <= Level::Info, "{test_case}: {emission:?}");
        }
    }
    let emitted = run(&world, "zone01");
    assert_eq!(
        emitted.arg("Z01_MNAME_IS_MASTER", "ns_list"),
        ["ns1.example.com/192.0.2.1"]
    );
    let ok = &run(&world, "zone02").args_of("REFRESH_MINIMUM_VALUE_OK")[0].clone();
    assert_eq!(
        (ok["refresh"].as_str(), ok["required_refresh"].as_str()),
        ("21600", "14400")
    );
    let ok = run(&world, "zone05").args_of("EXPIRE_MINIMUM_VALUE_OK")[0].clone();
    assert_eq!(ok["expire"], "1209600");
    assert_eq!(ok["refresh"], "21600");
    assert_eq!(ok["required_expire"], "604800");
    let ok = run(&world, "zone06").args_of("SOA_DEFAULT_TTL_MAXIMUM_VALUE_OK")[0].clone();
    assert_eq!(
        (
            ok["minimum"].as_str(),
            ok["highest_minimum"].as_str(),
            ok["lowest_minimum"].as_str()
        ),
        ("3600", "86400", "300")
    );
    assert_eq!(
        run(&world, "zone07").arg("MNAME_IS_NOT_CNAME", "mname"),
        ["ns1.example.com", "ns1.example.com"]
    );
    let data = run(&world, "zone09").args_of("Z09_MX_DATA")[0].clone();
    assert_eq!(data["mailtarget_list"], "mail.example.com");
    assert_eq!(data["ns_ip_list"], BOTH_IPS);
    assert_eq!(
        run(&world, "zone11").arg("Z11_SPF_SYNTAX_OK", "domain"),
        ["example.com"]
    );
}

// ---- ZONE01 ----------------------------------------------------------------

#[test]
fn zone01_an_unknown_mname_is_not_listed_and_does_not_resolve() {
    let soa = GOOD_SOA.replace("ns1.example.com.", "ghost.example.com.");
    let emitted = run(&same_world(&soa, GOOD_EXTRA), "zone01");
    assert_eq!(
        emitted.tags(),
        ["Z01_MNAME_NOT_IN_NS_LIST", "Z01_MNAME_NOT_RESOLVE"]
    );
    assert_eq!(
        emitted.arg("Z01_MNAME_NOT_RESOLVE", "nsname"),
        ["ghost.example.com"]
    );
    assert_eq!(
        emitted.level_of("Z01_MNAME_NOT_RESOLVE"),
        Some(Level::Notice)
    );
    assert_eq!(
        emitted.level_of("Z01_MNAME_NOT_IN_NS_LIST"),
        Some(Level::Info)
    );
}

#[test]
fn zone01_localhost_and_dot() {
    let soa = GOOD_SOA.replace("ns1.example.com.", "localhost.");
    let emitted = run(&same_world(&soa, GOOD_EXTRA), "zone01");
    assert_eq!(emitted.tags(), ["Z01_MNAME_IS_LOCALHOST"]);
    assert_eq!(
        emitted.arg("Z01_MNAME_IS_LOCALHOST", "ns_ip_list"),
        [BOTH_IPS]
    );
    let soa = GOOD_SOA.replace("ns1.example.com.", ".");
    let emitted = run(&same_world(&soa, GOOD_EXTRA), "zone01");
    assert_eq!(emitted.tags(), ["Z01_MNAME_IS_DOT"]);
    assert_eq!(emitted.arg("Z01_MNAME_IS_DOT", "ns_ip_list"), [BOTH_IPS]);
    let soa = GOOD_SOA.replace("ns1.example.com.", "lo.example.com.");
    let emitted = run(
        &same_world(&soa, &["lo.example.com. A 127.0.0.1"]),
        "zone01",
    );
    assert_eq!(
        emitted.tags(),
        ["Z01_MNAME_NOT_IN_NS_LIST", "Z01_MNAME_HAS_LOCALHOST_ADDR"]
    );
    let local = emitted.args_of("Z01_MNAME_HAS_LOCALHOST_ADDR")[0];
    assert_eq!(local["nsname"], "lo.example.com");
    assert_eq!(local["ns_ip"], "127.0.0.1");
}

/// A third server, the MNAME, serving the zone with serial `serial`.
fn with_primary(serial: &str, behaviour: Behaviour) -> World {
    let soa = GOOD_SOA.replace("ns1.example.com.", "ns3.example.com.");
    let extra = ["ns3.example.com. A 192.0.2.3"];
    let primary_soa = soa.replace("2025010101", serial);
    same_world(&soa, &extra)
        .server(
            "ns3.example.com.",
            "192.0.2.3",
            &copy(ZONE, &primary_soa, &extra),
        )
        .behave("192.0.2.3", behaviour)
}

#[test]
fn zone01_a_primary_behind_the_others_is_not_the_master() {
    let emitted = run(&with_primary("2025010100", Behaviour::Answers), "zone01");
    assert_eq!(
        emitted.tags(),
        ["Z01_MNAME_NOT_IN_NS_LIST", "Z01_MNAME_NOT_MASTER"]
    );
    let behind = emitted.args_of("Z01_MNAME_NOT_MASTER")[0];
    assert_eq!(behind["ns_list"], "ns3.example.com/192.0.2.3");
    assert_eq!(behind["soaserial"], "2025010100");
    assert_eq!(behind["soaserial_list"], "2025010101");
    assert_eq!(
        emitted.level_of("Z01_MNAME_NOT_MASTER"),
        Some(Level::Notice)
    );
    // Ahead of the others (RFC 1982, across the wrap) it is the master.
    let emitted = run(&with_primary("1", Behaviour::Answers), "zone01");
    assert!(
        emitted.has("Z01_MNAME_NOT_MASTER"),
        "1 is behind 2025010101"
    );
    let world = same_world(&GOOD_SOA.replace("2025010101", "4294967295"), &[]);
    assert!(run(&world, "zone01").has("Z01_MNAME_IS_MASTER"));
}

#[test]
fn zone01_a_primary_that_does_not_answer_properly() {
    let cases = [
        (Behaviour::Silent, "Z01_MNAME_NO_RESPONSE"),
        (
            Behaviour::Rcode(Rcode::REFUSED),
            "Z01_MNAME_UNEXPECTED_RCODE",
        ),
        (Behaviour::NotAuthoritative, "Z01_MNAME_NOT_AUTHORITATIVE"),
        (
            Behaviour::Drops(RecordType::SOA),
            "Z01_MNAME_MISSING_SOA_RECORD",
        ),
    ];
    for (behaviour, tag) in cases {
        let emitted = run(&with_primary("2025010101", behaviour), "zone01");
        assert_eq!(emitted.tags(), ["Z01_MNAME_NOT_IN_NS_LIST", tag], "{tag}");
        assert_eq!(emitted.arg(tag, "ns"), ["ns3.example.com/192.0.2.3"]);
    }
    let emitted = run(
        &with_primary("2025010101", Behaviour::Rcode(Rcode::REFUSED)),
        "zone01",
    );
    assert_eq!(
        emitted.arg("Z01_MNAME_UNEXPECTED_RCODE", "rcode"),
        ["REFUSED"]
    );
}

// ---- ZONE02–ZONE06 ---------------------------------------------------------

/// SOA fields with the given timers.
fn timers(refresh: u32, retry: u32, expire: u32, minimum: u32) -> String {
    format!(
        "ns1.example.com. hostmaster.example.com. 2025010101 {refresh} {retry} {expire} {minimum}"
    )
}

#[test]
fn zone02_to_06_low_timers() {
    let world = same_world(&timers(3600, 3600, 1800, 299), GOOD_EXTRA);
    let emitted = run(&world, "zone02");
    assert_eq!(emitted.tags(), ["REFRESH_MINIMUM_VALUE_LOWER"]);
    let lower = emitted.args_of("REFRESH_MINIMUM_VALUE_LOWER")[0];
    assert_eq!(
        (
            lower["refresh"].as_str(),
            lower["required_refresh"].as_str()
        ),
        ("3600", "14400")
    );
    assert_eq!(
        emitted.level_of("REFRESH_MINIMUM_VALUE_LOWER"),
        Some(Level::Notice)
    );

    let emitted = run(&world, "zone03");
    assert_eq!(emitted.tags(), ["REFRESH_LOWER_THAN_RETRY"]);
    let lower = emitted.args_of("REFRESH_LOWER_THAN_RETRY")[0];
    assert_eq!(
        (lower["retry"].as_str(), lower["refresh"].as_str()),
        ("3600", "3600")
    );

    let emitted = run(
        &same_world(&timers(14_400, 3599, 604_800, 300), &[]),
        "zone04",
    );
    assert_eq!(emitted.tags(), ["RETRY_MINIMUM_VALUE_LOWER"]);
    let lower = emitted.args_of("RETRY_MINIMUM_VALUE_LOWER")[0];
    assert_eq!(
        (lower["retry"].as_str(), lower["required_retry"].as_str()),
        ("3599", "3600")
    );

    let emitted = run(&world, "zone05");
    assert_eq!(
        emitted.tags(),
        ["EXPIRE_MINIMUM_VALUE_LOWER", "EXPIRE_LOWER_THAN_REFRESH"]
    );
    let low = emitted.args_of("EXPIRE_MINIMUM_VALUE_LOWER")[0];
    assert_eq!(
        (low["expire"].as_str(), low["required_expire"].as_str()),
        ("1800", "604800")
    );
    let below = emitted.args_of("EXPIRE_LOWER_THAN_REFRESH")[0];
    assert_eq!(
        (below["expire"].as_str(), below["refresh"].as_str()),
        ("1800", "3600")
    );
    assert_eq!(
        emitted.level_of("EXPIRE_MINIMUM_VALUE_LOWER"),
        Some(Level::Warning)
    );
    assert_eq!(
        emitted.level_of("EXPIRE_LOWER_THAN_REFRESH"),
        Some(Level::Warning)
    );

    let emitted = run(&world, "zone06");
    assert_eq!(emitted.tags(), ["SOA_DEFAULT_TTL_MAXIMUM_VALUE_LOWER"]);
    let low = emitted.args_of("SOA_DEFAULT_TTL_MAXIMUM_VALUE_LOWER")[0];
    assert_eq!(
        (low["minimum"].as_str(), low["lowest_minimum"].as_str()),
        ("299", "300")
    );
}

#[test]
fn zone05_expire_below_refresh_alone_and_zone06_high_minimum() {
    let world = same_world(&timers(2_000_000, 3600, 1_000_000, 86_401), &[]);
    let emitted = run(&world, "zone05");
    assert_eq!(emitted.tags(), ["EXPIRE_LOWER_THAN_REFRESH"]);
    let emitted = run(&world, "zone06");
    assert_eq!(emitted.tags(), ["SOA_DEFAULT_TTL_MAXIMUM_VALUE_HIGHER"]);
    let high = emitted.args_of("SOA_DEFAULT_TTL_MAXIMUM_VALUE_HIGHER")[0];
    assert_eq!(
        (high["minimum"].as_str(), high["highest_minimum"].as_str()),
        ("86401", "86400")
    );
}

#[test]
fn zone02_to_06_thresholds_come_from_the_profile() {
    let world = good_world();
    let emitted = TestRun::new(&world, ZONE, "zone02")
        .profile(|profile| {
            profile
                .set(
                    "test_cases_vars.zone02.SOA_REFRESH_MINIMUM_VALUE",
                    serde_json::json!(86_400),
                )
                .unwrap();
        })
        .run();
    assert_eq!(
        emitted.arg("REFRESH_MINIMUM_VALUE_LOWER", "required_refresh"),
        ["86400"]
    );
    let emitted = TestRun::new(&world, ZONE, "zone06")
        .profile(|profile| {
            profile
                .set(
                    "test_cases_vars.zone06.SOA_DEFAULT_TTL_MAXIMUM_VALUE",
                    serde_json::json!(1800),
                )
                .unwrap();
        })
        .run();
    assert_eq!(
        emitted.arg("SOA_DEFAULT_TTL_MAXIMUM_VALUE_HIGHER", "highest_minimum"),
        ["1800"]
    );
}

#[test]
fn zone02_to_07_without_an_authoritative_soa() {
    let silent = good_world()
        .behave(NS1.1, Behaviour::NotAuthoritative)
        .behave(NS2.1, Behaviour::NotAuthoritative);
    for test_case in ["zone02", "zone03", "zone04", "zone05", "zone06", "zone07"] {
        assert_eq!(
            run(&silent, test_case).tags(),
            ["NO_RESPONSE_SOA_QUERY"],
            "{test_case}"
        );
    }
    // The first server with an authoritative SOA is the one judged.
    let world = world(
        &copy(ZONE, &timers(3600, 900, 604_800, 300), &[]),
        &copy(ZONE, GOOD_SOA, &[]),
    )
    .behave(NS1.1, Behaviour::NotAuthoritative);
    assert!(run(&world, "zone02").has("REFRESH_MINIMUM_VALUE_OK"));
}

// ---- ZONE07 ----------------------------------------------------------------

#[test]
fn zone07_an_mname_alias_and_an_mname_without_address() {
    let soa = GOOD_SOA.replace("ns1.example.com.", "primary.other.com.");
    let world = same_world(&soa, &[]);
    let emitted = run(&world, "zone07");
    assert_eq!(
        emitted.tags(),
        [
            "MNAME_IS_NOT_CNAME",
            "MNAME_IS_NOT_CNAME",
            "MNAME_HAS_NO_ADDRESS"
        ]
    );
    assert_eq!(
        emitted.arg("MNAME_HAS_NO_ADDRESS", "mname"),
        ["primary.other.com"]
    );
    assert_eq!(
        emitted.level_of("MNAME_HAS_NO_ADDRESS"),
        Some(Level::Warning)
    );

    let soa = GOOD_SOA.replace("ns1.example.com.", "primary.example.com.");
    let world = same_world(&soa, &["primary.example.com. CNAME ns1.example.com."]);
    let emitted = run(&world, "zone07");
    assert_eq!(
        emitted.tags(),
        ["MNAME_IS_CNAME", "MNAME_IS_CNAME", "MNAME_HAS_NO_ADDRESS"]
    );
    assert_eq!(
        emitted.arg("MNAME_IS_CNAME", "mname")[0],
        "primary.example.com"
    );
    assert_eq!(emitted.level_of("MNAME_IS_CNAME"), Some(Level::Notice));
}

// ---- ZONE08 ----------------------------------------------------------------

#[test]
fn zone08_an_mx_alias_is_an_error() {
    let world = same_world(
        GOOD_SOA,
        &[
            "example.com. MX 10 mail.example.com.",
            "example.com. MX 20 alias.example.com.",
            "mail.example.com. A 192.0.2.25",
            "alias.example.com. CNAME mail.example.com.",
        ],
    );
    let emitted = run(&world, "zone08");
    let mut tags = emitted.tags();
    tags.sort_unstable();
    assert_eq!(tags, ["MX_RECORD_IS_CNAME", "MX_RECORD_IS_NOT_CNAME"]);
    assert_eq!(emitted.args_of("MX_RECORD_IS_CNAME")[0].len(), 0);
    assert_eq!(emitted.level_of("MX_RECORD_IS_CNAME"), Some(Level::Error));
}

#[test]
fn zone08_without_an_authoritative_mx_answer() {
    let world = good_world()
        .behave_for(NS1.1, RecordType::MX, Behaviour::NotAuthoritative)
        .behave_for(NS2.1, RecordType::MX, Behaviour::Silent);
    assert_eq!(run(&world, "zone08").tags(), ["NO_RESPONSE_MX_QUERY"]);
    // An exchange outside the zone gets no authoritative answer: not judged.
    let world = same_world(GOOD_SOA, &["example.com. MX 10 mx.elsewhere.net."]);
    assert_eq!(run(&world, "zone08").tags(), Vec::<&str>::new());
}

#[test]
fn zone08_asks_the_servers_in_turn_until_one_answers_with_authority() {
    // The reference's query_auth: the first server answers, so only it is
    // asked about the exchange.
    let world = good_world();
    assert_eq!(run(&world, "zone08").tags(), ["MX_RECORD_IS_NOT_CNAME"]);
    assert_eq!(asked_for(&world, RecordType::CNAME), [NS1.1]);
    // The first server's reply lacks AA: the second is asked and settles it.
    let world = good_world().behave_for(NS1.1, RecordType::CNAME, Behaviour::NotAuthoritative);
    assert_eq!(run(&world, "zone08").tags(), ["MX_RECORD_IS_NOT_CNAME"]);
    assert_eq!(asked_for(&world, RecordType::CNAME), [NS1.1, NS2.1]);
}

/// The child servers (192.0.2.x) asked for `rtype`, in order.
fn asked_for(world: &World, rtype: RecordType) -> Vec<String> {
    world
        .asked()
        .into_iter()
        .filter_map(|asked| match asked {
            Asked::Dns {
                server,
                rtype: asked_type,
                ..
            } if asked_type == rtype && server.to_string().starts_with("192.0.2.") => {
                Some(server.to_string())
            }
            _ => None,
        })
        .collect()
}

// ---- ZONE09 ----------------------------------------------------------------

#[test]
fn zone09_servers_that_do_not_answer_mx_properly() {
    let world = good_world().behave_for(NS2.1, RecordType::MX, Behaviour::Silent);
    let emitted = run(&world, "zone09");
    assert_eq!(emitted.tags(), ["Z09_NO_RESPONSE_MX_QUERY", "Z09_MX_DATA"]);
    assert_eq!(
        emitted.arg("Z09_NO_RESPONSE_MX_QUERY", "ns_ip_list"),
        ["192.0.2.2"]
    );
    assert_eq!(
        emitted.level_of("Z09_NO_RESPONSE_MX_QUERY"),
        Some(Level::Warning)
    );
    assert_eq!(emitted.arg("Z09_MX_DATA", "ns_ip_list"), ["192.0.2.1"]);

    let world = good_world().behave_for(NS2.1, RecordType::MX, Behaviour::Rcode(Rcode::REFUSED));
    let emitted = run(&world, "zone09");
    let unexpected = emitted.args_of("Z09_UNEXPECTED_RCODE_MX")[0];
    assert_eq!(unexpected["rcode"], "REFUSED");
    assert_eq!(unexpected["ns_ip_list"], "192.0.2.2");
    assert_eq!(
        emitted.level_of("Z09_UNEXPECTED_RCODE_MX"),
        Some(Level::Warning)
    );
}

/// The spec's fix of the reference's quirk: `Z09_NON_AUTH_MX_RESPONSE`
/// lists the non-authoritative servers, not the silent ones.
#[test]
fn zone09_non_authoritative_mx_names_the_non_authoritative_servers() {
    let world = good_world()
        .behave_for(NS1.1, RecordType::MX, Behaviour::Silent)
        .behave_for(NS2.1, RecordType::MX, Behaviour::NotAuthoritative);
    let emitted = run(&world, "zone09");
    assert_eq!(
        emitted.tags(),
        ["Z09_NO_RESPONSE_MX_QUERY", "Z09_NON_AUTH_MX_RESPONSE"]
    );
    assert_eq!(
        emitted.arg("Z09_NO_RESPONSE_MX_QUERY", "ns_ip_list"),
        ["192.0.2.1"]
    );
    assert_eq!(
        emitted.arg("Z09_NON_AUTH_MX_RESPONSE", "ns_ip_list"),
        ["192.0.2.2"]
    );
    assert_eq!(
        emitted.level_of("Z09_NON_AUTH_MX_RESPONSE"),
        Some(Level::Warning)
    );
}

#[test]
fn zone09_some_servers_without_mx() {
    let world = world(
        &copy(ZONE, GOOD_SOA, GOOD_EXTRA),
        &copy(ZONE, GOOD_SOA, &[]),
    );
    let emitted = run(&world, "zone09");
    assert_eq!(
        emitted.tags(),
        [
            "Z09_INCONSISTENT_MX",
            "Z09_NO_MX_FOUND",
            "Z09_MX_FOUND",
            "Z09_MX_DATA"
        ]
    );
    assert_eq!(
        emitted.level_of("Z09_INCONSISTENT_MX"),
        Some(Level::Warning)
    );
    assert_eq!(emitted.arg("Z09_NO_MX_FOUND", "ns_ip_list"), ["192.0.2.2"]);
    assert_eq!(emitted.arg("Z09_MX_FOUND", "ns_ip_list"), ["192.0.2.1"]);
}

#[test]
fn zone09_different_mx_sets() {
    let world = world(
        &copy(ZONE, GOOD_SOA, &["example.com. MX 10 mail.example.com."]),
        &copy(ZONE, GOOD_SOA, &["example.com. MX 10 mx.example.net."]),
    );
    let emitted = run(&world, "zone09");
    assert_eq!(
        emitted.tags(),
        ["Z09_INCONSISTENT_MX_DATA", "Z09_MX_DATA", "Z09_MX_DATA"]
    );
    assert_eq!(
        emitted.level_of("Z09_INCONSISTENT_MX_DATA"),
        Some(Level::Warning)
    );
    let data: Vec<(String, String)> = emitted
        .args_of("Z09_MX_DATA")
        .iter()
        .map(|args| (args["mailtarget_list"].clone(), args["ns_ip_list"].clone()))
        .collect();
    assert_eq!(
        data,
        [
            ("mail.example.com".to_owned(), "192.0.2.1".to_owned()),
            ("mx.example.net".to_owned(), "192.0.2.2".to_owned())
        ]
    );
}

#[test]
fn zone09_null_mx() {
    let emitted = run(&same_world(GOOD_SOA, &["example.com. MX 0 ."]), "zone09");
    assert_eq!(emitted.tags(), Vec::<&str>::new());
    let emitted = run(
        &same_world(
            GOOD_SOA,
            &[
                "example.com. MX 0 .",
                "example.com. MX 10 mail.example.com.",
            ],
        ),
        "zone09",
    );
    assert_eq!(emitted.tags(), ["Z09_NULL_MX_WITH_OTHER_MX"]);
    assert_eq!(
        emitted.level_of("Z09_NULL_MX_WITH_OTHER_MX"),
        Some(Level::Warning)
    );
    let emitted = run(&same_world(GOOD_SOA, &["example.com. MX 5 ."]), "zone09");
    assert_eq!(emitted.tags(), ["Z09_NULL_MX_NON_ZERO_PREF"]);
    assert_eq!(
        emitted.level_of("Z09_NULL_MX_NON_ZERO_PREF"),
        Some(Level::Notice)
    );
}

#[test]
fn zone09_no_mx_at_all() {
    let emitted = run(&same_world(GOOD_SOA, &[]), "zone09");
    assert_eq!(emitted.tags(), ["Z09_MISSING_MAIL_TARGET"]);
    assert_eq!(
        emitted.level_of("Z09_MISSING_MAIL_TARGET"),
        Some(Level::Notice)
    );
}

/// A TLD `example.` delegated from the root to ns1/ns2.example.
fn tld_world(extra: &[&str]) -> World {
    let servers = [("ns1.example.", "192.0.2.1"), ("ns2.example.", "192.0.2.2")];
    let mut world = World::with_delegation("example.", &servers);
    if !extra.is_empty() {
        world = world.add("example.", extra);
    }
    world
}

#[test]
fn zone09_mail_for_a_tld_and_no_mail_under_arpa() {
    let world = tld_world(&["example. MX 10 mail.example.", "mail.example. A 192.0.2.25"]);
    let emitted = run_test_case(&world, "example.", "zone09");
    assert_eq!(emitted.tags(), ["Z09_TLD_EMAIL_DOMAIN"]);
    assert_eq!(
        emitted.level_of("Z09_TLD_EMAIL_DOMAIN"),
        Some(Level::Warning)
    );
    let emitted = run_test_case(&tld_world(&[]), "example.", "zone09");
    assert_eq!(emitted.tags(), Vec::<&str>::new());
    let world = World::with_delegation("example.arpa.", &[("ns1.example.arpa.", "192.0.2.1")]);
    let emitted = run_test_case(&world, "example.arpa.", "zone09");
    assert_eq!(emitted.tags(), Vec::<&str>::new());
}

// ---- ZONE10 ----------------------------------------------------------------

#[test]
fn zone10_several_soa_records() {
    let mut second = copy(ZONE, GOOD_SOA, GOOD_EXTRA);
    second.push(format!(
        "{ZONE} SOA {}",
        GOOD_SOA.replace("2025010101", "2025010102")
    ));
    let world = world(&copy(ZONE, GOOD_SOA, GOOD_EXTRA), &second);
    let emitted = run(&world, "zone10");
    assert_eq!(emitted.tags(), ["MULTIPLE_SOA"]);
    let multiple = emitted.args_of("MULTIPLE_SOA")[0];
    assert_eq!(multiple["ns"], "ns2.example.com/192.0.2.2");
    assert_eq!(multiple["count"], "2");
    assert_eq!(emitted.level_of("MULTIPLE_SOA"), Some(Level::Error));
}

#[test]
fn zone10_silent_and_soa_less_servers_are_no_one_soa() {
    let world = good_world().behave(NS2.1, Behaviour::Silent);
    let emitted = run(&world, "zone10");
    assert_eq!(emitted.tags(), ["NO_RESPONSE"]);
    assert_eq!(
        emitted.arg("NO_RESPONSE", "ns"),
        ["ns2.example.com/192.0.2.2"]
    );
    let world = good_world().behave_for(NS2.1, RecordType::SOA, Behaviour::Rcode(Rcode::REFUSED));
    assert_eq!(run(&world, "zone10").tags(), ["NO_SOA_IN_RESPONSE"]);
    // With IPv6 off and only IPv4 servers, nothing is skipped: ONE_SOA.
    let emitted = TestRun::new(&good_world(), ZONE, "zone10")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(emitted.tags(), ["ONE_SOA"]);
}

/// ns2 answers the zone's SOA query with another zone's SOA (behind a
/// CNAME): `WRONG_SOA` with both names as lower-case FQDNs.
#[test]
fn zone10_an_soa_of_another_zone() {
    let second = [
        "com. SOA ns2.example.com. hostmaster.com. 1 3600 900 604800 300".to_owned(),
        "Example.COM. CNAME Com.".to_owned(),
        format!("{} A {}", NS1.0, NS1.1),
        format!("{} A {}", NS2.0, NS2.1),
    ];
    let world = world(&copy(ZONE, GOOD_SOA, GOOD_EXTRA), &second);
    let emitted = run(&world, "zone10");
    assert_eq!(emitted.tags(), ["WRONG_SOA"]);
    let wrong = emitted.args_of("WRONG_SOA")[0];
    assert_eq!(wrong["ns"], "ns2.example.com/192.0.2.2");
    assert_eq!(wrong["owner"], "com.");
    assert_eq!(wrong["name"], "example.com.");
}

// ---- ZONE11 ----------------------------------------------------------------

#[test]
fn zone11_no_authoritative_txt_answer() {
    let world = good_world()
        .behave_for(NS1.1, RecordType::TXT, Behaviour::NotAuthoritative)
        .behave_for(NS2.1, RecordType::TXT, Behaviour::Rcode(Rcode::SERVFAIL));
    let emitted = run(&world, "zone11");
    assert_eq!(emitted.tags(), ["Z11_UNABLE_TO_CHECK_FOR_SPF"]);
    assert_eq!(
        emitted.level_of("Z11_UNABLE_TO_CHECK_FOR_SPF"),
        Some(Level::Warning)
    );
}

#[test]
fn zone11_servers_with_different_policies() {
    let different = world(
        &copy(ZONE, GOOD_SOA, &["example.com. TXT \"v=spf1 -all\""]),
        &copy(
            ZONE,
            GOOD_SOA,
            &[
                "example.com. TXT \"v=spf1 ~all\"",
                "example.com. TXT \"hello\"",
            ],
        ),
    );
    let emitted = run(&different, "zone11");
    assert_eq!(
        emitted.tags(),
        [
            "Z11_INCONSISTENT_SPF_POLICIES",
            "Z11_DIFFERENT_SPF_POLICIES_FOUND",
            "Z11_DIFFERENT_SPF_POLICIES_FOUND"
        ]
    );
    assert_eq!(
        emitted.level_of("Z11_INCONSISTENT_SPF_POLICIES"),
        Some(Level::Warning)
    );
    let mut lists = emitted.arg("Z11_DIFFERENT_SPF_POLICIES_FOUND", "ns_list");
    lists.sort_unstable();
    assert_eq!(
        lists,
        ["ns1.example.com/192.0.2.1", "ns2.example.com/192.0.2.2"]
    );
    // One server with a policy, the other without: inconsistent too.
    let world = world(
        &copy(ZONE, GOOD_SOA, &["example.com. TXT \"v=spf1 -all\""]),
        &copy(ZONE, GOOD_SOA, &["example.com. TXT \"no policy here\""]),
    );
    assert!(run(&world, "zone11").has("Z11_INCONSISTENT_SPF_POLICIES"));
}

#[test]
fn zone11_two_policies_and_a_bad_policy() {
    let world = same_world(
        GOOD_SOA,
        &[
            "example.com. TXT \"v=spf1 -all\"",
            "example.com. TXT \"v=spf1 mx ~all\"",
        ],
    );
    let emitted = run(&world, "zone11");
    assert_eq!(emitted.tags(), ["Z11_SPF_MULTIPLE_RECORDS"]);
    assert_eq!(emitted.arg("Z11_SPF_MULTIPLE_RECORDS", "ns_list"), [BOTH]);
    assert_eq!(
        emitted.level_of("Z11_SPF_MULTIPLE_RECORDS"),
        Some(Level::Warning)
    );

    let world = same_world(GOOD_SOA, &["example.com. TXT \"v=spf1 amx-all\""]);
    let emitted = run(&world, "zone11");
    assert_eq!(emitted.tags(), ["Z11_SPF_SYNTAX_ERROR"]);
    let error = emitted.args_of("Z11_SPF_SYNTAX_ERROR")[0];
    assert_eq!(error["domain"], "example.com");
    assert_eq!(error["ns_list"], BOTH);
    assert_eq!(
        emitted.level_of("Z11_SPF_SYNTAX_ERROR"),
        Some(Level::Warning)
    );
}

#[test]
fn zone11_a_policy_split_over_strings_and_in_upper_case() {
    let world = same_world(
        GOOD_SOA,
        &["example.com. TXT \"V=SPF1 IP4:192.0.2.1\" \" MX -ALL\""],
    );
    assert_eq!(run(&world, "zone11").tags(), ["Z11_SPF_SYNTAX_OK"]);
    let world = same_world(
        GOOD_SOA,
        &["example.com. TXT \"v=spf1 ip4:192.0\" \".2.1 -all\""],
    );
    assert_eq!(run(&world, "zone11").tags(), ["Z11_SPF_SYNTAX_OK"]);
}

#[test]
fn zone11_no_policy() {
    let emitted = run(
        &same_world(GOOD_SOA, &["example.com. TXT \"hello\""]),
        "zone11",
    );
    assert_eq!(emitted.tags(), ["Z11_NO_SPF_FOUND"]);
    assert_eq!(emitted.arg("Z11_NO_SPF_FOUND", "domain"), ["example.com"]);
    assert_eq!(emitted.level_of("Z11_NO_SPF_FOUND"), Some(Level::Notice));
    let emitted = run_test_case(&tld_world(&[]), "example.", "zone11");
    assert_eq!(emitted.tags(), ["Z11_NO_SPF_NON_MAIL_DOMAIN"]);
}

#[test]
fn zone11_policies_of_a_zone_without_mail() {
    let emitted = run_test_case(
        &tld_world(&["example. TXT \"v=spf1 -all\""]),
        "example.",
        "zone11",
    );
    assert_eq!(emitted.tags(), ["Z11_NULL_SPF_NON_MAIL_DOMAIN"]);
    assert_eq!(
        emitted.arg("Z11_NULL_SPF_NON_MAIL_DOMAIN", "domain"),
        ["example"]
    );
    let emitted = run_test_case(
        &tld_world(&["example. TXT \"v=spf1 ip4:192.0.2.1 -all\""]),
        "example.",
        "zone11",
    );
    assert_eq!(emitted.tags(), ["Z11_NON_NULL_SPF_NON_MAIL_DOMAIN"]);
    assert_eq!(
        emitted.level_of("Z11_NON_NULL_SPF_NON_MAIL_DOMAIN"),
        Some(Level::Notice)
    );
}

// ---- the module: skip rules, the quirk of ZONE11's end, the cache -----------

fn zone_name() -> Name {
    Name::from_ascii(ZONE).unwrap()
}

#[test]
fn the_module_runs_every_test_case_on_a_good_zone() {
    let cases = test_cases_run(&good_world(), zone_name(), Module::Zone);
    let expected: Vec<String> = (1..=11).map(|n| format!("Zone{n:02}")).collect();
    assert_eq!(cases, expected);
}

#[test]
fn no_mx_answer_skips_zone09_and_no_soa_skips_zone10_and_zone11() {
    let world = good_world()
        .behave_for(NS1.1, RecordType::MX, Behaviour::NotAuthoritative)
        .behave_for(NS2.1, RecordType::MX, Behaviour::NotAuthoritative);
    let cases = test_cases_run(&world, zone_name(), Module::Zone);
    assert!(!cases.contains(&"Zone09".to_owned()), "{cases:?}");
    assert!(cases.contains(&"Zone10".to_owned()) && cases.contains(&"Zone11".to_owned()));

    let world = good_world()
        .behave_for(NS1.1, RecordType::SOA, Behaviour::NotAuthoritative)
        .behave_for(NS2.1, RecordType::SOA, Behaviour::NotAuthoritative);
    let cases = test_cases_run(&world, zone_name(), Module::Zone);
    assert_eq!(
        cases.last().map(String::as_str),
        Some("Zone09"),
        "{cases:?}"
    );
    assert_eq!(cases.len(), 9);
}

/// The messages of a run of the Zone module on `world` through `transport`.
fn module_run(
    world: &World,
    transport: Arc<dyn Transport>,
) -> Vec<crate::engine::message::Message> {
    let request = CheckRequest {
        zone: zone_name(),
        selections: vec![Selection::Module(Module::Zone)],
        profile: Arc::new(Profile::default()),
        hints: world.root_hints(),
        fake: None,
        transport,
        now: SystemTime::now(),
        fixed_clock: false,
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run_check(request, &|_| {}))
        .messages
}

/// The spec's fix of the reference's quirk: ZONE11 ends under its own
/// module, not `System`.
#[test]
fn zone11_ends_under_module_zone() {
    let world = good_world();
    let messages = module_run(&world, Arc::new(world.clone()));
    let end = messages
        .iter()
        .find(|m| m.tag_name() == "TEST_CASE_END" && m.testcase() == "Zone11")
        .expect("ZONE11 ends");
    assert_eq!(end.module(), Module::Zone);
}

/// A transport that counts what is put on the wire.
struct Counting {
    world: World,
    sent: Mutex<BTreeMap<String, usize>>,
}

impl Transport for Counting {
    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
        let key = format!("{:?}", request.query.key(request.server));
        *self.sent.lock().unwrap().entry(key).or_default() += 1;
        self.world.exchange(request)
    }

    fn axfr<'a>(
        &'a self,
        server: std::net::IpAddr,
        zone: &'a Name,
        _timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        let outcome = self.world.transfer(server, zone);
        async move { outcome }.boxed()
    }
}

/// The same question to the same server is sent once for all the test
/// cases that ask it; different questions are each sent.
#[test]
fn the_module_shares_one_cache() {
    let world = good_world();
    let counting = Arc::new(Counting {
        world: world.clone(),
        sent: Mutex::new(BTreeMap::new()),
    });
    let messages = module_run(&world, Arc::clone(&counting) as Arc<dyn Transport>);
    assert!(messages.iter().any(|m| m.tag_name() == "ONE_SOA"));
    let sent = counting.sent.lock().unwrap();
    assert!(sent.values().all(|count| *count == 1), "{sent:#?}");
    let soa_to_ns1 = sent
        .keys()
        .filter(|key| {
            key.contains("192.0.2.1") && key.contains("SOA") && key.contains("example.com")
        })
        .count();
    assert_eq!(soa_to_ns1, 1, "{sent:#?}");
    let to_ns1 = sent.keys().filter(|key| key.contains("192.0.2.1")).count();
    assert!(
        to_ns1 >= 4,
        "SOA, MX, TXT, NS and CNAME are different questions: {sent:#?}"
    );
}
