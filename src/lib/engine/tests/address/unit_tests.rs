//! Unit tests of ADDRESS01–03 in scripted worlds
//! ([`crate::engine::testing`]): a zone that passes, and zones that fail
//! each way the spec (§3.2) names.

use hickory_proto::rr::Name;

use crate::dns::Rcode;
use crate::engine::level::Level;
use crate::engine::module::Module;
use crate::engine::testing::{Behaviour, World, run_test_case, test_cases_run};

const ZONE: &str = "example.com.";

/// The server of the reverse zones, delegated from the root.
const REVERSE_SERVER: (&str, &str) = ("ns.reverse.", "198.51.100.9");

/// The IPv4 reverse zone of 193.0.0.0/24.
const REVERSE_V4: &str = "0.0.193.in-addr.arpa.";

/// The IPv6 reverse zone of 2a00:1::/32.
const REVERSE_V6: &str = "1.0.0.0.0.0.a.2.ip6.arpa.";

/// The reverse name of 2a00:1::53.
const REVERSE_OF_V6_NS: &str =
    "3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.a.2.ip6.arpa.";

/// `world` with the reverse zones of 193.0.0.0/24 and 2a00:1::/32 served
/// by [`REVERSE_SERVER`], holding `lines` besides their SOA and NS.
fn with_reverse(world: World, lines: &[&str]) -> World {
    let (host, address) = REVERSE_SERVER;
    let mut zone: Vec<String> = Vec::new();
    for apex in [REVERSE_V4, REVERSE_V6] {
        zone.push(format!(
            "{apex} SOA {host} hostmaster.reverse. 1 3600 900 604800 300"
        ));
        zone.push(format!("{apex} NS {host}"));
    }
    zone.extend(lines.iter().map(|line| (*line).to_owned()));
    world
        .add(
            ".",
            &[
                format!("{REVERSE_V4} NS {host}"),
                format!("{REVERSE_V6} NS {host}"),
                format!("{host} A {address}"),
            ],
        )
        .server(host, address, &zone)
}

/// `example.com.` on ns1 (193.0.0.1) and ns2 (2a00:1::53), with reverse
/// zones holding `lines`.
fn reverse_world(lines: &[&str]) -> World {
    let world = delegated(&[
        ("ns1.example.com.", "193.0.0.1"),
        ("ns2.example.com.", "2a00:1::53"),
    ]);
    with_reverse(world, lines)
}

/// PTR records naming both servers of [`reverse_world`].
fn both_ptrs() -> Vec<String> {
    vec![
        format!("1.{REVERSE_V4} PTR ns1.example.com."),
        format!("{REVERSE_OF_V6_NS} PTR ns2.example.com."),
    ]
}

fn lines(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}

/// `example.com.` delegated to `servers` (name, address).
fn delegated(servers: &[(&str, &str)]) -> World {
    World::with_delegation(ZONE, servers)
}

/// The test cases module Address ran on [`ZONE`] in `world`, in order.
fn address_cases_run(world: &World) -> Vec<String> {
    test_cases_run(world, Name::from_ascii(ZONE).unwrap(), Module::Address)
}

// ---- ADDRESS01 -------------------------------------------------------------

#[test]
fn address01_global_addresses_are_reachable() {
    let world = delegated(&[
        ("ns1.example.com.", "193.0.0.1"),
        ("ns2.example.com.", "2a00:1::53"),
    ]);
    let emitted = run_test_case(&world, ZONE, "address01");
    assert_eq!(emitted.tags(), ["A01_GLOBALLY_REACHABLE_ADDR"]);
    assert_eq!(
        emitted.arg("A01_GLOBALLY_REACHABLE_ADDR", "ns_list"),
        ["ns1.example.com/193.0.0.1;ns2.example.com/2a00:1::53"]
    );
    assert_eq!(
        emitted.level_of("A01_GLOBALLY_REACHABLE_ADDR"),
        Some(Level::Info)
    );
}

#[test]
fn address01_each_kind_of_special_address_is_named() {
    let world = delegated(&[
        ("ns1.example.com.", "192.0.2.1"),
        ("ns2.example.com.", "10.1.2.3"),
        ("ns3.example.com.", "fe80::53"),
        ("ns4.example.com.", "198.18.0.1"),
    ]);
    let emitted = run_test_case(&world, ZONE, "address01");
    assert_eq!(
        emitted.tags(),
        [
            "A01_NO_GLOBALLY_REACHABLE_ADDR",
            "A01_DOCUMENTATION_ADDR",
            "A01_LOCAL_USE_ADDR",
            "A01_ADDR_NOT_GLOBALLY_REACHABLE"
        ]
    );
    assert_eq!(
        emitted.arg("A01_DOCUMENTATION_ADDR", "ns_list"),
        ["ns1.example.com/192.0.2.1"]
    );
    assert_eq!(
        emitted.arg("A01_LOCAL_USE_ADDR", "ns_list"),
        ["ns2.example.com/10.1.2.3;ns3.example.com/fe80::53"]
    );
    assert_eq!(
        emitted.arg("A01_ADDR_NOT_GLOBALLY_REACHABLE", "ns_list"),
        ["ns4.example.com/198.18.0.1"]
    );
    for tag in [
        "A01_NO_GLOBALLY_REACHABLE_ADDR",
        "A01_DOCUMENTATION_ADDR",
        "A01_LOCAL_USE_ADDR",
        "A01_ADDR_NOT_GLOBALLY_REACHABLE",
    ] {
        assert_eq!(emitted.level_of(tag), Some(Level::Error), "{tag}");
    }
}

#[test]
fn address01_every_name_sharing_an_address_is_reported() {
    let world = delegated(&[
        ("ns1.example.com.", "193.0.0.1"),
        ("ns2.example.com.", "172.16.0.1"),
        ("ns3.example.com.", "172.16.0.1"),
    ]);
    let emitted = run_test_case(&world, ZONE, "address01");
    assert_eq!(
        emitted.tags(),
        ["A01_GLOBALLY_REACHABLE_ADDR", "A01_LOCAL_USE_ADDR"]
    );
    assert_eq!(
        emitted.arg("A01_LOCAL_USE_ADDR", "ns_list"),
        ["ns2.example.com/172.16.0.1;ns3.example.com/172.16.0.1"]
    );
}

#[test]
fn address01_a_zone_without_servers_stops() {
    let emitted = run_test_case(&World::with_parents(ZONE), ZONE, "address01");
    assert_eq!(emitted.tags(), ["A01_NO_NAME_SERVERS_FOUND"]);
    assert_eq!(
        emitted.level_of("A01_NO_NAME_SERVERS_FOUND"),
        Some(Level::Critical)
    );
}

// ---- ADDRESS02 -------------------------------------------------------------

#[test]
fn address02_every_address_has_a_ptr() {
    let world = reverse_world(&lines(&both_ptrs()));
    let emitted = run_test_case(&world, ZONE, "address02");
    assert_eq!(emitted.tags(), ["NAMESERVERS_IP_WITH_REVERSE"]);
    assert_eq!(
        emitted.level_of("NAMESERVERS_IP_WITH_REVERSE"),
        Some(Level::Info)
    );
}

#[test]
fn address02_an_address_without_ptr_is_named() {
    let ptr = format!("1.{REVERSE_V4} PTR ns1.example.com.");
    let world = reverse_world(&[&ptr]);
    let emitted = run_test_case(&world, ZONE, "address02");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_WITHOUT_REVERSE"]);
    assert_eq!(
        emitted.arg("NAMESERVER_IP_WITHOUT_REVERSE", "nsname"),
        ["ns2.example.com"]
    );
    assert_eq!(
        emitted.arg("NAMESERVER_IP_WITHOUT_REVERSE", "ns_ip"),
        ["2a00:1::53"]
    );
    assert_eq!(
        emitted.level_of("NAMESERVER_IP_WITHOUT_REVERSE"),
        Some(Level::Warning)
    );
}

#[test]
fn address02_a_classless_cname_is_followed() {
    let records = [
        format!("1.{REVERSE_V4} CNAME 1.0-127.{REVERSE_V4}"),
        format!("1.0-127.{REVERSE_V4} PTR ns1.example.com."),
        format!("{REVERSE_OF_V6_NS} PTR ns2.example.com."),
    ];
    let world = reverse_world(&lines(&records));
    let emitted = run_test_case(&world, ZONE, "address02");
    assert_eq!(emitted.tags(), ["NAMESERVERS_IP_WITH_REVERSE"]);
}

#[test]
fn address02_a_cname_to_nothing_is_no_reverse() {
    let records = [
        format!("1.{REVERSE_V4} CNAME 1.0-127.{REVERSE_V4}"),
        format!("{REVERSE_OF_V6_NS} PTR ns2.example.com."),
    ];
    let world = reverse_world(&lines(&records));
    let emitted = run_test_case(&world, ZONE, "address02");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_WITHOUT_REVERSE"]);
    assert_eq!(
        emitted.arg("NAMESERVER_IP_WITHOUT_REVERSE", "ns_ip"),
        ["193.0.0.1"]
    );
}

#[test]
fn address02_a_silent_reverse_server_is_no_response() {
    let world = reverse_world(&lines(&both_ptrs())).behave(REVERSE_SERVER.1, Behaviour::Silent);
    let emitted = run_test_case(&world, ZONE, "address02");
    assert_eq!(
        emitted.tags(),
        ["NO_RESPONSE_PTR_QUERY", "NO_RESPONSE_PTR_QUERY"]
    );
    assert_eq!(
        emitted.arg("NO_RESPONSE_PTR_QUERY", "domain"),
        [
            "1.0.0.193.in-addr.arpa",
            REVERSE_OF_V6_NS.trim_end_matches('.')
        ]
    );
    assert_eq!(
        emitted.level_of("NO_RESPONSE_PTR_QUERY"),
        Some(Level::Warning)
    );
}

#[test]
fn address02_an_error_reply_is_no_reverse() {
    let world = reverse_world(&lines(&both_ptrs()))
        .behave(REVERSE_SERVER.1, Behaviour::Rcode(Rcode::SERVFAIL));
    let emitted = run_test_case(&world, ZONE, "address02");
    assert_eq!(
        emitted.tags(),
        [
            "NAMESERVER_IP_WITHOUT_REVERSE",
            "NAMESERVER_IP_WITHOUT_REVERSE"
        ]
    );
}

#[test]
fn address02_a_shared_address_is_looked_up_once() {
    let world = delegated(&[
        ("ns1.example.com.", "193.0.0.1"),
        ("ns2.example.com.", "193.0.0.1"),
    ]);
    let emitted = run_test_case(&with_reverse(world, &[]), ZONE, "address02");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_WITHOUT_REVERSE"]);
    assert_eq!(
        emitted.arg("NAMESERVER_IP_WITHOUT_REVERSE", "nsname"),
        ["ns1.example.com"]
    );
}

// ---- ADDRESS03 -------------------------------------------------------------

#[test]
fn address03_every_ptr_names_its_server() {
    let world = reverse_world(&lines(&both_ptrs()));
    let emitted = run_test_case(&world, ZONE, "address03");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_PTR_MATCH"]);
    assert_eq!(
        emitted.level_of("NAMESERVER_IP_PTR_MATCH"),
        Some(Level::Info)
    );
}

#[test]
fn address03_one_matching_name_among_several_is_enough() {
    let records = [
        format!("1.{REVERSE_V4} PTR other.example.net."),
        format!("1.{REVERSE_V4} PTR NS1.Example.COM."),
        format!("{REVERSE_OF_V6_NS} PTR ns2.example.com."),
    ];
    let world = reverse_world(&lines(&records));
    let emitted = run_test_case(&world, ZONE, "address03");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_PTR_MATCH"]);
}

#[test]
fn address03_other_names_are_a_mismatch() {
    let records = [
        format!("1.{REVERSE_V4} PTR a.example.net."),
        format!("1.{REVERSE_V4} PTR b.example.net."),
        format!("{REVERSE_OF_V6_NS} PTR ns2.example.com."),
    ];
    let world = reverse_world(&lines(&records));
    let emitted = run_test_case(&world, ZONE, "address03");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_PTR_MISMATCH"]);
    let args = emitted.args_of("NAMESERVER_IP_PTR_MISMATCH");
    assert_eq!(args[0]["nsname"], "ns1.example.com");
    assert_eq!(args[0]["ns_ip"], "193.0.0.1");
    let mut names: Vec<&str> = args[0]["names"].split('/').collect();
    names.sort_unstable();
    assert_eq!(names, ["a.example.net", "b.example.net"]);
    assert_eq!(
        emitted.level_of("NAMESERVER_IP_PTR_MISMATCH"),
        Some(Level::Notice)
    );
}

#[test]
fn address03_missing_reverse_and_silence_are_reported() {
    let ptr = format!("1.{REVERSE_V4} PTR ns1.example.com.");
    let emitted = run_test_case(&reverse_world(&[&ptr]), ZONE, "address03");
    assert_eq!(emitted.tags(), ["NAMESERVER_IP_WITHOUT_REVERSE"]);
    assert_eq!(
        emitted.arg("NAMESERVER_IP_WITHOUT_REVERSE", "nsname"),
        ["ns2.example.com"]
    );
    let silent = reverse_world(&[&ptr]).behave(REVERSE_SERVER.1, Behaviour::Silent);
    let emitted = run_test_case(&silent, ZONE, "address03");
    assert_eq!(
        emitted.tags(),
        ["NO_RESPONSE_PTR_QUERY", "NO_RESPONSE_PTR_QUERY"]
    );
}

#[test]
fn address03_runs_only_when_address02_found_every_reverse() {
    let good = reverse_world(&lines(&both_ptrs()));
    assert_eq!(
        address_cases_run(&good),
        ["Address01", "Address02", "Address03"]
    );
    let ptr = format!("1.{REVERSE_V4} PTR ns1.example.com.");
    let missing = reverse_world(&[&ptr]);
    assert_eq!(address_cases_run(&missing), ["Address01", "Address02"]);
}
