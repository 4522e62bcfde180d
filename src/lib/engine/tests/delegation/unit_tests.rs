//! Unit tests of DELEGATION01–07 in scripted worlds
//! ([`crate::engine::testing`]): a good zone and zones that fail each way
//! the spec (§3.5) names.

use crate::engine::level::Level;
use crate::engine::testing::{Behaviour, Emitted, World, run_test_case};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");
const NS1_V6: (&str, &str) = ("ns1.example.com.", "2001:db8::1");
const NS2_V6: (&str, &str) = ("ns2.example.com.", "2001:db8::2");

fn good_world() -> World {
    World::with_delegation(ZONE, &[NS1, NS2, NS1_V6, NS2_V6])
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

// ---- DELEGATION01 ----------------------------------------------------------

#[test]
fn delegation01_enough_of_everything() {
    let emitted = run(&good_world(), "delegation01");
    assert_eq!(
        emitted.tags(),
        [
            "ENOUGH_NS_DEL",
            "ENOUGH_NS_CHILD",
            "ENOUGH_IPV4_NS_CHILD",
            "ENOUGH_IPV6_NS_CHILD",
            "ENOUGH_IPV4_NS_DEL",
            "ENOUGH_IPV6_NS_DEL"
        ]
    );
    assert_eq!(
        emitted.arg("ENOUGH_NS_DEL", "nsname_list"),
        ["ns1.example.com;ns2.example.com"]
    );
    assert_eq!(emitted.arg("ENOUGH_NS_DEL", "count"), ["2"]);
    assert_eq!(emitted.arg("ENOUGH_NS_DEL", "minimum"), ["2"]);
    assert_eq!(
        emitted.arg("ENOUGH_IPV6_NS_DEL", "ns_list"),
        ["ns1.example.com/2001:db8::1;ns2.example.com/2001:db8::2"]
    );
}

#[test]
fn delegation01_one_server_without_ipv6() {
    let world = World::with_delegation(ZONE, &[NS1]);
    let emitted = run(&world, "delegation01");
    assert_eq!(
        emitted.tags(),
        [
            "NOT_ENOUGH_NS_DEL",
            "NOT_ENOUGH_NS_CHILD",
            "NOT_ENOUGH_IPV4_NS_CHILD",
            "NO_IPV6_NS_CHILD",
            "NOT_ENOUGH_IPV4_NS_DEL",
            "NO_IPV6_NS_DEL"
        ]
    );
    assert_eq!(emitted.arg("NOT_ENOUGH_NS_DEL", "count"), ["1"]);
    assert_eq!(
        emitted.arg("NOT_ENOUGH_IPV4_NS_DEL", "ns_list"),
        ["ns1.example.com/192.0.2.1"]
    );
    assert_eq!(emitted.arg("NO_IPV6_NS_DEL", "count"), ["0"]);
    assert_eq!(emitted.level_of("NOT_ENOUGH_NS_DEL"), Some(Level::Error));
    assert_eq!(emitted.level_of("NO_IPV6_NS_DEL"), Some(Level::Notice));
}

// ---- DELEGATION02 ----------------------------------------------------------

#[test]
fn delegation02_distinct_addresses() {
    let emitted = run(&good_world(), "delegation02");
    assert_eq!(
        emitted.tags(),
        [
            "DEL_DISTINCT_NS_IP",
            "CHILD_DISTINCT_NS_IP",
            "DISTINCT_IP_ADDRESS"
        ]
    );
}

#[test]
fn delegation02_two_names_one_address() {
    let world = World::with_delegation(ZONE, &[NS1, ("ns2.example.com.", NS1.1)]);
    let emitted = run(&world, "delegation02");
    assert_eq!(
        emitted.tags(),
        ["DEL_NS_SAME_IP", "CHILD_NS_SAME_IP", "SAME_IP_ADDRESS"]
    );
    assert_eq!(
        emitted.arg("DEL_NS_SAME_IP", "nsname_list"),
        ["ns1.example.com;ns2.example.com"]
    );
    assert_eq!(emitted.arg("SAME_IP_ADDRESS", "ns_ip"), ["192.0.2.1"]);
    assert_eq!(emitted.level_of("CHILD_NS_SAME_IP"), Some(Level::Error));
}

// ---- DELEGATION03 ----------------------------------------------------------

#[test]
fn delegation03_small_referral() {
    let emitted = run(&good_world(), "delegation03");
    assert_eq!(emitted.tags(), ["REFERRAL_SIZE_OK"]);
    // Header 12, question 255 + 4, two NS records (2 + 10 + 6 each, the
    // owner and the target's zone compressed), one A (2 + 10 + 4) and one
    // AAAA (2 + 10 + 16).
    assert_eq!(emitted.arg("REFERRAL_SIZE_OK", "size"), ["351"]);
}

#[test]
fn delegation03_many_long_names_do_not_fit() {
    let servers: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("{}{i}.example.net.", "n".repeat(20)),
                format!("192.0.2.{i}"),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = servers
        .iter()
        .map(|(n, a)| (n.as_str(), a.as_str()))
        .collect();
    let world = World::with_parents(ZONE).add(
        "com.",
        &borrowed
            .iter()
            .map(|(n, _)| format!("{ZONE} NS {n}"))
            .collect::<Vec<_>>(),
    );
    let emitted = run(&world, "delegation03");
    assert_eq!(emitted.tags(), ["REFERRAL_SIZE_TOO_LARGE"]);
    assert_eq!(
        emitted.level_of("REFERRAL_SIZE_TOO_LARGE"),
        Some(Level::Warning)
    );
}

// ---- DELEGATION04 ----------------------------------------------------------

#[test]
fn delegation04_all_authoritative() {
    let emitted = run(&World::with_delegation(ZONE, &[NS1, NS2]), "delegation04");
    assert_eq!(emitted.tags(), ["ARE_AUTHORITATIVE"]);
    assert_eq!(
        emitted.arg("ARE_AUTHORITATIVE", "nsname_list"),
        ["ns1.example.com;ns2.example.com"]
    );
}

#[test]
fn delegation04_one_not_authoritative() {
    let world =
        World::with_delegation(ZONE, &[NS1, NS2]).behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run(&world, "delegation04");
    assert_eq!(
        emitted.tags(),
        ["IS_NOT_AUTHORITATIVE", "IS_NOT_AUTHORITATIVE"]
    );
    assert_eq!(emitted.arg("IS_NOT_AUTHORITATIVE", "proto"), ["UDP", "TCP"]);
    assert_eq!(
        emitted.arg("IS_NOT_AUTHORITATIVE", "ns"),
        ["ns2.example.com/192.0.2.2", "ns2.example.com/192.0.2.2"]
    );
    assert_eq!(
        emitted.level_of("IS_NOT_AUTHORITATIVE"),
        Some(Level::Warning)
    );
}

// ---- DELEGATION05 ----------------------------------------------------------

#[test]
fn delegation05_no_cname() {
    let emitted = run(&World::with_delegation(ZONE, &[NS1, NS2]), "delegation05");
    assert_eq!(emitted.tags(), ["NO_NS_CNAME"]);
}

#[test]
fn delegation05_name_is_an_alias() {
    let lines = [
        format!("{ZONE} SOA ns1.example.com. h.example.com. 1 3600 900 604800 300"),
        format!("{ZONE} NS {}", NS1.0),
        format!("{ZONE} NS {}", NS2.0),
        format!("{} A {}", NS1.0, NS1.1),
        format!("{} CNAME host.example.com.", NS2.0),
        format!("host.example.com. A {}", NS2.1),
    ];
    let world = World::with_parents(ZONE)
        .add(
            "com.",
            &[
                format!("{ZONE} NS {}", NS1.0),
                format!("{ZONE} NS {}", NS2.0),
                format!("{} A {}", NS1.0, NS1.1),
                format!("{} A {}", NS2.0, NS2.1),
            ],
        )
        .server(NS1.0, NS1.1, &lines)
        .server(NS2.0, NS2.1, &lines);
    let emitted = run(&world, "delegation05");
    assert_eq!(emitted.tags(), ["NS_IS_CNAME"]);
    assert_eq!(emitted.arg("NS_IS_CNAME", "nsname"), ["ns2.example.com"]);
    assert_eq!(emitted.level_of("NS_IS_CNAME"), Some(Level::Error));
}

#[test]
fn delegation05_silent_and_refusing_servers() {
    let world = World::with_delegation(ZONE, &[NS1, NS2]).behave(NS2.1, Behaviour::Silent);
    let emitted = run(&world, "delegation05");
    assert_eq!(
        emitted.tags(),
        ["NO_RESPONSE", "NO_RESPONSE", "NO_NS_CNAME"]
    );
    assert_eq!(
        emitted.arg("NO_RESPONSE", "query_name"),
        ["ns1.example.com", "ns2.example.com"]
    );
    assert_eq!(emitted.arg("NO_RESPONSE", "rrtype"), ["A", "A"]);

    let world = World::with_delegation(ZONE, &[NS1, NS2])
        .behave(NS2.1, Behaviour::Rcode(crate::dns::Rcode::SERVFAIL));
    let emitted = run(&world, "delegation05");
    assert_eq!(
        emitted.arg("UNEXPECTED_RCODE", "rcode"),
        ["SERVFAIL", "SERVFAIL"]
    );
    assert_eq!(emitted.level_of("UNEXPECTED_RCODE"), Some(Level::Warning));
}

// ---- DELEGATION06 ----------------------------------------------------------

#[test]
fn delegation06_soa_exists() {
    let emitted = run(&World::with_delegation(ZONE, &[NS1, NS2]), "delegation06");
    assert_eq!(emitted.tags(), ["SOA_EXISTS"]);
}

#[test]
fn delegation06_soa_missing() {
    let world = World::with_delegation(ZONE, &[NS1, NS2])
        .behave(NS1.1, Behaviour::Drops(hickory_proto::rr::RecordType::SOA));
    let emitted = run(&world, "delegation06");
    assert_eq!(emitted.tags(), ["SOA_NOT_EXISTS"]);
    assert_eq!(
        emitted.arg("SOA_NOT_EXISTS", "ns"),
        ["ns1.example.com/192.0.2.1"]
    );
    assert_eq!(emitted.level_of("SOA_NOT_EXISTS"), Some(Level::Error));
}

// ---- DELEGATION07 ----------------------------------------------------------

/// `example.com.` delegated to ns1 and ns2, its servers publishing `child`
/// (ns3 and ns4 are other names of the same two servers).
fn child_publishes(child: &[&str]) -> World {
    let mut lines = vec![format!(
        "{ZONE} SOA ns1.example.com. h.example.com. 1 3600 900 604800 300"
    )];
    lines.extend(child.iter().map(|host| format!("{ZONE} NS {host}")));
    lines.push(format!("{} A {}", NS1.0, NS1.1));
    lines.push(format!("{} A {}", NS2.0, NS2.1));
    // The child's own names lead to the same two servers.
    lines.push(format!("ns3.example.com. A {}", NS1.1));
    lines.push(format!("ns4.example.com. A {}", NS2.1));
    World::with_parents(ZONE)
        .add(
            "com.",
            &[
                format!("{ZONE} NS {}", NS1.0),
                format!("{ZONE} NS {}", NS2.0),
                format!("{} A {}", NS1.0, NS1.1),
                format!("{} A {}", NS2.0, NS2.1),
            ],
        )
        .server(NS1.0, NS1.1, &lines)
        .server(NS2.0, NS2.1, &lines)
}

#[test]
fn delegation07_names_match() {
    let emitted = run(&child_publishes(&[NS1.0, NS2.0]), "delegation07");
    assert_eq!(emitted.tags(), ["NAMES_MATCH"]);
    assert_eq!(
        emitted.arg("NAMES_MATCH", "names"),
        ["ns1.example.com;ns2.example.com"]
    );
}

#[test]
fn delegation07_extra_names_each_side() {
    let emitted = run(
        &child_publishes(&[NS1.0, "ns3.example.com."]),
        "delegation07",
    );
    assert_eq!(emitted.tags(), ["EXTRA_NAME_PARENT", "EXTRA_NAME_CHILD"]);
    assert_eq!(
        emitted.arg("EXTRA_NAME_PARENT", "extra"),
        ["ns2.example.com"]
    );
    assert_eq!(
        emitted.arg("EXTRA_NAME_CHILD", "extra"),
        ["ns3.example.com"]
    );
    assert_eq!(emitted.level_of("EXTRA_NAME_PARENT"), Some(Level::Error));
    assert_eq!(emitted.level_of("EXTRA_NAME_CHILD"), Some(Level::Notice));
}

#[test]
fn delegation07_nothing_in_common() {
    let emitted = run(
        &child_publishes(&["ns3.example.com.", "ns4.example.com."]),
        "delegation07",
    );
    assert_eq!(
        emitted.tags(),
        [
            "EXTRA_NAME_PARENT",
            "EXTRA_NAME_CHILD",
            "TOTAL_NAME_MISMATCH"
        ]
    );
    assert_eq!(
        emitted.arg("EXTRA_NAME_PARENT", "extra"),
        ["ns1.example.com;ns2.example.com"]
    );
    assert_eq!(
        emitted.arg("TOTAL_NAME_MISMATCH", "glue"),
        ["ns1.example.com;ns2.example.com"]
    );
    assert_eq!(
        emitted.arg("TOTAL_NAME_MISMATCH", "child"),
        ["ns3.example.com;ns4.example.com"]
    );
}
