//! Unit tests of CONSISTENCY01–06 in scripted worlds
//! ([`crate::engine::testing`]): a zone whose servers agree, and zones
//! whose servers disagree each way the spec (§3.4) names.

use crate::engine::level::Level;
use crate::engine::testing::{Behaviour, Emitted, World, run_test_case};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");
/// The SOA fields after the owner that every server serves unless a test
/// changes them.
const SOA: &str = "ns1.example.com. hostmaster.example.com. 2025010101 3600 900 604800 300";

/// One server's copy of the zone: `soa` (the fields after `SOA`), NS
/// records for `ns` and the two servers' addresses.
fn copy(soa: &str, ns: &[&str]) -> Vec<String> {
    let mut lines = vec![format!("{ZONE} SOA {soa}")];
    lines.extend(ns.iter().map(|host| format!("{ZONE} NS {host}")));
    lines.push(format!("{} A {}", NS1.0, NS1.1));
    lines.push(format!("{} A {}", NS2.0, NS2.1));
    lines
}

/// `example.com.` delegated to ns1 and ns2 (with glue), ns1 serving
/// `first` and ns2 `second`.
fn world(first: &[String], second: &[String]) -> World {
    World::with_parents(ZONE)
        .cut(ZONE, &[NS1, NS2])
        .server(NS1.0, NS1.1, first)
        .server(NS2.0, NS2.1, second)
}

/// Both servers serve the same good copy.
fn good_world() -> World {
    let good = copy(SOA, &[NS1.0, NS2.0]);
    world(&good, &good)
}

/// ns2 serves the SOA `soa`, ns1 the good one.
fn second_soa(soa: &str) -> World {
    world(&copy(SOA, &[NS1.0, NS2.0]), &copy(soa, &[NS1.0, NS2.0]))
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

const BOTH: &str = "ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.2";
const FIRST: &str = "ns1.example.com/192.0.2.1";
const SECOND: &str = "ns2.example.com/192.0.2.2";

// ---- CONSISTENCY01 ---------------------------------------------------------

#[test]
fn consistency01_one_serial() {
    let emitted = run(&good_world(), "consistency01");
    assert_eq!(emitted.tags(), ["SOA_SERIAL", "ONE_SOA_SERIAL"]);
    assert_eq!(emitted.arg("SOA_SERIAL", "serial"), ["2025010101"]);
    assert_eq!(emitted.arg("SOA_SERIAL", "ns_list"), [BOTH]);
    assert_eq!(emitted.arg("ONE_SOA_SERIAL", "serial"), ["2025010101"]);
    assert_eq!(emitted.level_of("ONE_SOA_SERIAL"), Some(Level::Info));
}

#[test]
fn consistency01_different_serials_compare_as_numbers() {
    let world = world(
        &copy(&SOA.replace("2025010101", "10"), &[NS1.0, NS2.0]),
        &copy(&SOA.replace("2025010101", "9"), &[NS1.0, NS2.0]),
    );
    let emitted = run(&world, "consistency01");
    assert_eq!(
        emitted.tags(),
        [
            "SOA_SERIAL",
            "SOA_SERIAL",
            "MULTIPLE_SOA_SERIALS",
            "SOA_SERIAL_VARIATION"
        ]
    );
    assert_eq!(emitted.arg("SOA_SERIAL", "serial"), ["9", "10"]);
    assert_eq!(emitted.arg("SOA_SERIAL", "ns_list"), [SECOND, FIRST]);
    assert_eq!(emitted.arg("MULTIPLE_SOA_SERIALS", "count"), ["2"]);
    assert_eq!(
        emitted.level_of("MULTIPLE_SOA_SERIALS"),
        Some(Level::Warning)
    );
    let variation = emitted.args_of("SOA_SERIAL_VARIATION")[0];
    assert_eq!(variation["serial_min"], "9");
    assert_eq!(variation["serial_max"], "10");
    assert_eq!(variation["max_variation"], "0");
    assert_eq!(
        emitted.level_of("SOA_SERIAL_VARIATION"),
        Some(Level::Notice)
    );
}

#[test]
fn consistency01_silent_and_soa_less_servers_are_named() {
    let world = good_world().behave(NS2.1, Behaviour::Silent);
    let emitted = run(&world, "consistency01");
    assert_eq!(emitted.arg("NO_RESPONSE", "ns"), [SECOND]);
    assert_eq!(emitted.arg("SOA_SERIAL", "ns_list"), [FIRST]);
    assert!(emitted.has("ONE_SOA_SERIAL"));

    let world = good_world().behave(NS2.1, Behaviour::Drops(hickory_proto::rr::RecordType::SOA));
    let emitted = run(&world, "consistency01");
    assert_eq!(emitted.arg("NO_RESPONSE_SOA_QUERY", "ns"), [SECOND]);
    assert!(emitted.has("ONE_SOA_SERIAL"));
}

// ---- CONSISTENCY02 ---------------------------------------------------------

#[test]
fn consistency02_one_rname_whatever_its_case() {
    let emitted = run(
        &second_soa(&SOA.replace("hostmaster", "HostMaster")),
        "consistency02",
    );
    assert_eq!(emitted.tags(), ["ONE_SOA_RNAME"]);
    assert_eq!(
        emitted.arg("ONE_SOA_RNAME", "rname"),
        ["hostmaster.example.com"]
    );
}

#[test]
fn consistency02_different_rnames() {
    let emitted = run(
        &second_soa(&SOA.replace("hostmaster", "admin")),
        "consistency02",
    );
    assert_eq!(
        emitted.tags(),
        ["MULTIPLE_SOA_RNAMES", "SOA_RNAME", "SOA_RNAME"]
    );
    assert_eq!(emitted.arg("MULTIPLE_SOA_RNAMES", "count"), ["2"]);
    assert_eq!(emitted.level_of("MULTIPLE_SOA_RNAMES"), Some(Level::Notice));
    assert_eq!(
        emitted.arg("SOA_RNAME", "rname"),
        ["admin.example.com", "hostmaster.example.com"]
    );
    assert_eq!(emitted.arg("SOA_RNAME", "ns_list"), [SECOND, FIRST]);
}

// ---- CONSISTENCY03 ---------------------------------------------------------

#[test]
fn consistency03_one_timer_set() {
    let emitted = run(&good_world(), "consistency03");
    assert_eq!(emitted.tags(), ["ONE_SOA_TIME_PARAMETER_SET"]);
    let set = emitted.args_of("ONE_SOA_TIME_PARAMETER_SET")[0];
    assert_eq!(set["refresh"], "3600");
    assert_eq!(set["retry"], "900");
    assert_eq!(set["expire"], "604800");
    assert_eq!(set["minimum"], "300");
}

#[test]
fn consistency03_different_timers() {
    let emitted = run(
        &second_soa(&SOA.replace(" 900 ", " 1800 ")),
        "consistency03",
    );
    assert_eq!(
        emitted.tags(),
        [
            "MULTIPLE_SOA_TIME_PARAMETER_SET",
            "SOA_TIME_PARAMETER_SET",
            "SOA_TIME_PARAMETER_SET"
        ]
    );
    assert_eq!(
        emitted.arg("MULTIPLE_SOA_TIME_PARAMETER_SET", "count"),
        ["2"]
    );
    assert_eq!(
        emitted.arg("SOA_TIME_PARAMETER_SET", "retry"),
        ["900", "1800"]
    );
    assert_eq!(
        emitted.arg("SOA_TIME_PARAMETER_SET", "ns_list"),
        [FIRST, SECOND]
    );
}

// ---- CONSISTENCY04 ---------------------------------------------------------

#[test]
fn consistency04_one_ns_set() {
    let emitted = run(&good_world(), "consistency04");
    assert_eq!(emitted.tags(), ["ONE_NS_SET"]);
    assert_eq!(
        emitted.arg("ONE_NS_SET", "nsname_list"),
        ["ns1.example.com;ns2.example.com"]
    );
}

#[test]
fn consistency04_different_ns_sets() {
    let world = world(
        &copy(SOA, &["NS2.example.com.", NS1.0]),
        &copy(SOA, &[NS1.0, NS2.0, "ns3.example.net."]),
    );
    let emitted = run(&world, "consistency04");
    assert_eq!(emitted.tags(), ["MULTIPLE_NS_SET", "NS_SET", "NS_SET"]);
    assert_eq!(emitted.arg("MULTIPLE_NS_SET", "count"), ["2"]);
    assert_eq!(
        emitted.arg("NS_SET", "nsname_list"),
        [
            "ns1.example.com;ns2.example.com",
            "ns1.example.com;ns2.example.com;ns3.example.net"
        ]
    );
    assert_eq!(emitted.arg("NS_SET", "servers"), [FIRST, SECOND]);
}

#[test]
fn consistency04_a_server_without_ns() {
    let world = good_world().behave(NS1.1, Behaviour::Drops(hickory_proto::rr::RecordType::NS));
    let emitted = run(&world, "consistency04");
    assert_eq!(emitted.arg("NO_RESPONSE_NS_QUERY", "ns"), [FIRST]);
    assert!(emitted.has("ONE_NS_SET"));
}

// ---- CONSISTENCY05 ---------------------------------------------------------

/// [`world`] whose parent publishes `glue` (address lines) for ns1 and ns2
/// and `extra` lines besides.
fn glue_world(glue: &[&str], extra: &[&str], first: &[String], second: &[String]) -> World {
    let mut lines = vec![
        format!("{ZONE} NS {}", NS1.0),
        format!("{ZONE} NS {}", NS2.0),
    ];
    lines.extend(glue.iter().chain(extra).map(|line| (*line).to_owned()));
    World::with_parents(ZONE)
        .add("com.", &lines)
        .server(NS1.0, NS1.1, first)
        .server(NS2.0, NS2.1, second)
}

#[test]
fn consistency05_glue_matches() {
    let emitted = run(&good_world(), "consistency05");
    assert_eq!(emitted.tags(), ["ADDRESSES_MATCH"]);
    assert_eq!(emitted.level_of("ADDRESSES_MATCH"), Some(Level::Info));
}

#[test]
fn consistency05_glue_the_zone_does_not_confirm() {
    let good = copy(SOA, &[NS1.0, NS2.0]);
    let glue = [
        "ns1.example.com. A 192.0.2.9",
        "ns2.example.com. A 192.0.2.2",
    ];
    let emitted = run(&glue_world(&glue, &[], &good, &good), "consistency05");
    assert_eq!(
        emitted.tags(),
        ["IN_BAILIWICK_ADDR_MISMATCH", "EXTRA_ADDRESS_CHILD"]
    );
    let mismatch = emitted.args_of("IN_BAILIWICK_ADDR_MISMATCH")[0];
    assert_eq!(
        mismatch["parent_addresses"],
        "ns1.example.com/192.0.2.9;ns2.example.com/192.0.2.2"
    );
    assert_eq!(mismatch["zone_addresses"], BOTH);
    assert_eq!(
        emitted.level_of("IN_BAILIWICK_ADDR_MISMATCH"),
        Some(Level::Error)
    );
    assert_eq!(emitted.arg("EXTRA_ADDRESS_CHILD", "ns_ip_list"), [FIRST]);
}

#[test]
fn consistency05_addresses_the_parent_has_no_glue_for() {
    let mut more = copy(SOA, &[NS1.0, NS2.0]);
    more.push(format!("{} AAAA 2001:db8::2", NS2.0));
    // ns2 answers at its new address too.
    let world = world(&more, &more).server(NS2.0, "2001:db8::2", &more);
    let emitted = run(&world, "consistency05");
    assert_eq!(emitted.tags(), ["EXTRA_ADDRESS_CHILD"]);
    assert_eq!(
        emitted.arg("EXTRA_ADDRESS_CHILD", "ns_ip_list"),
        ["ns2.example.com/2001:db8::2"]
    );
    assert_eq!(emitted.level_of("EXTRA_ADDRESS_CHILD"), Some(Level::Notice));
}

#[test]
fn consistency05_out_of_bailiwick_glue_that_differs() {
    let names = [NS1.0, NS2.0, "ns.other.com."];
    let good = copy(SOA, &names);
    let glue = [
        "ns1.example.com. A 192.0.2.1",
        "ns2.example.com. A 192.0.2.2",
    ];
    let sibling = [
        "example.com. NS ns.other.com.",
        "other.com. NS ns.other.com.",
        "ns.other.com. A 192.0.2.7",
    ];
    let world = glue_world(&glue, &sibling, &good, &good).server(
        "ns.other.com.",
        "192.0.2.7",
        &[
            "other.com. SOA ns.other.com. hostmaster.other.com. 1 3600 900 604800 300",
            "other.com. NS ns.other.com.",
            "ns.other.com. A 192.0.2.8",
        ],
    );
    let emitted = run(&world, "consistency05");
    let mismatch = emitted.args_of("OUT_OF_BAILIWICK_ADDR_MISMATCH");
    assert_eq!(mismatch.len(), 1, "{:?}", emitted.tags());
    assert_eq!(mismatch[0]["parent_addresses"], "ns.other.com/192.0.2.7");
    assert_eq!(mismatch[0]["zone_addresses"], "ns.other.com/192.0.2.8");
    assert!(!emitted.has("ADDRESSES_MATCH"));
    assert!(!emitted.has("IN_BAILIWICK_ADDR_MISMATCH"));
}

#[test]
fn consistency05_no_usable_answer_is_a_lame_zone() {
    let world = good_world()
        .behave(NS1.1, Behaviour::NotAuthoritative)
        .behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run(&world, "consistency05");
    assert!(emitted.has("CHILD_NS_FAILED"), "{:?}", emitted.tags());
    assert_eq!(emitted.tags().last(), Some(&"CHILD_ZONE_LAME"));
    assert_eq!(emitted.level_of("CHILD_ZONE_LAME"), Some(Level::Error));
    assert!(!emitted.has("ADDRESSES_MATCH"));
}

#[test]
fn consistency05_a_silent_server_is_named() {
    let world = good_world().behave(NS2.1, Behaviour::Silent);
    let emitted = run(&world, "consistency05");
    assert!(emitted.arg("NO_RESPONSE", "ns").contains(&SECOND));
    assert!(emitted.has("ADDRESSES_MATCH"));
}

// ---- CONSISTENCY06 ---------------------------------------------------------

#[test]
fn consistency06_one_mname() {
    let emitted = run(&good_world(), "consistency06");
    assert_eq!(emitted.tags(), ["ONE_SOA_MNAME"]);
    assert_eq!(emitted.arg("ONE_SOA_MNAME", "mname"), ["ns1.example.com"]);
}

#[test]
fn consistency06_different_mnames() {
    let emitted = run(&second_soa(&SOA.replacen("ns1", "ns2", 1)), "consistency06");
    assert_eq!(
        emitted.tags(),
        ["MULTIPLE_SOA_MNAMES", "SOA_MNAME", "SOA_MNAME"]
    );
    assert_eq!(emitted.arg("MULTIPLE_SOA_MNAMES", "count"), ["2"]);
    assert_eq!(
        emitted.arg("SOA_MNAME", "mname"),
        ["ns1.example.com", "ns2.example.com"]
    );
    assert_eq!(emitted.arg("SOA_MNAME", "ns_list"), [FIRST, SECOND]);
    assert_eq!(emitted.level_of("SOA_MNAME"), Some(Level::Debug));
}

#[test]
fn consistency06_no_servers_no_verdict() {
    let world = good_world()
        .behave(NS1.1, Behaviour::Silent)
        .behave(NS2.1, Behaviour::Silent);
    let emitted = run(&world, "consistency06");
    assert!(!emitted.has("ONE_SOA_MNAME"));
    assert!(!emitted.has("MULTIPLE_SOA_MNAMES"));
}
