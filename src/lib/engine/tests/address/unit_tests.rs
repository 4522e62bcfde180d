//! Unit tests of ADDRESS01–03 in scripted worlds
//! ([`crate::engine::testing`]): a zone that passes, and zones that fail
//! each way the spec (§3.2) names.

use crate::engine::level::Level;
use crate::engine::testing::{World, run_test_case};

const ZONE: &str = "example.com.";

/// `example.com.` delegated to `servers` (name, address).
fn delegated(servers: &[(&str, &str)]) -> World {
    World::with_delegation(ZONE, servers)
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
