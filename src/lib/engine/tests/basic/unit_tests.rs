//! Unit tests of BASIC01–03 in scripted worlds ([`crate::engine::testing`]):
//! a zone that passes, and zones that fail each way the spec (§3.1) names.

use crate::dns::{Rcode, RecordType};
use crate::engine::level::Level;
use crate::engine::testing::{Behaviour, TestRun, World, run_test_case};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "2001:db8::2");
/// The skeleton's server for `com.`.
const COM_SERVER: &str = "198.51.100.2";

/// `example.com.` delegated to two working servers, one per IP family.
fn good_world() -> World {
    World::with_delegation(ZONE, &[NS1, NS2])
}

/// [`good_world`] with both servers behaving as `behaviour`.
fn both(behaviour: Behaviour) -> World {
    good_world()
        .behave(NS1.1, behaviour)
        .behave(NS2.1, behaviour)
}

fn label((host, address): (&str, &str)) -> String {
    format!("{}/{address}", host.trim_end_matches('.'))
}

// ---- BASIC01 ---------------------------------------------------------------

#[test]
fn basic01_finds_parent_and_child() {
    let emitted = run_test_case(&good_world(), ZONE, "basic01");
    assert_eq!(
        emitted.tags_with_prefix("B01"),
        ["B01_PARENT_FOUND", "B01_CHILD_FOUND"]
    );
    assert_eq!(emitted.arg("B01_PARENT_FOUND", "domain"), ["com"]);
    assert_eq!(
        emitted.arg("B01_PARENT_FOUND", "ns_list"),
        ["ns1.com/198.51.100.2"]
    );
    assert_eq!(emitted.arg("B01_CHILD_FOUND", "domain"), ["example.com"]);
}

#[test]
fn basic01_a_tld_has_the_root_as_parent() {
    let world = World::with_delegation("example.", &[("ns1.example.", "192.0.2.1")]);
    let emitted = run_test_case(&world, "example.", "basic01");
    assert_eq!(emitted.arg("B01_PARENT_FOUND", "domain"), ["."]);
    assert!(emitted.has("B01_CHILD_FOUND"));
}

#[test]
fn basic01_no_delegation_is_no_child() {
    let emitted = run_test_case(&World::with_parents(ZONE), ZONE, "basic01");
    assert_eq!(
        emitted.tags_with_prefix("B01"),
        ["B01_PARENT_FOUND", "B01_NO_CHILD"]
    );
    let args = emitted.args_of("B01_NO_CHILD");
    assert_eq!(args[0]["domain_child"], "example.com");
    assert_eq!(args[0]["domain_super"], "com");
    assert_eq!(emitted.level_of("B01_NO_CHILD"), Some(Level::Error));
}

#[test]
fn basic01_a_cname_in_the_parent_is_no_child() {
    let world = World::with_parents(ZONE).add("com.", &["example.com. CNAME other.com."]);
    let emitted = run_test_case(&world, ZONE, "basic01");
    assert!(emitted.has("B01_NO_CHILD"));
    assert!(!emitted.has("B01_CHILD_FOUND"));
}

#[test]
fn basic01_a_silent_parent_is_not_found() {
    for behaviour in [Behaviour::Silent, Behaviour::Rcode(Rcode::REFUSED)] {
        let world = good_world().behave(COM_SERVER, behaviour);
        let emitted = run_test_case(&world, ZONE, "basic01");
        assert_eq!(
            emitted.tags_with_prefix("B01"),
            [
                "B01_SERVER_ZONE_ERROR",
                "B01_PARENT_NOT_FOUND",
                "B01_NO_CHILD"
            ],
            "{behaviour:?}"
        );
        let error = emitted.args_of("B01_SERVER_ZONE_ERROR")[0];
        assert_eq!(error["ns"], "ns1.com/198.51.100.2");
        assert_eq!(error["query_name"], "com");
        assert_eq!(error["rrtype"], "SOA");
    }
}

#[test]
fn basic01_a_parent_server_without_the_delegation_is_inconsistent() {
    // A second server for com. that never heard of example.com.
    let ns2_com = ("ns2.com.", "198.51.100.3");
    let world = good_world()
        .add(".", &["com. NS ns2.com.", "ns2.com. A 198.51.100.3"])
        .server(
            ns2_com.0,
            ns2_com.1,
            &[
                "com. SOA ns1.com. hostmaster.com. 1 3600 900 604800 300",
                "com. NS ns1.com.",
                "com. NS ns2.com.",
            ],
        );
    let emitted = run_test_case(&world, ZONE, "basic01");
    assert!(emitted.has("B01_CHILD_FOUND"));
    let args = emitted.args_of("B01_INCONSISTENT_DELEGATION");
    assert_eq!(args.len(), 1);
    assert_eq!(args[0]["domain_parent"], "com");
    assert_eq!(args[0]["domain_child"], "example.com");
    assert_eq!(args[0]["ns_list"], label(ns2_com));
}

#[test]
fn basic01_undelegated_disregards_the_parent() {
    let emitted = TestRun::new(&World::with_parents(ZONE), ZONE, "basic01")
        .ns(NS1.0, Some(NS1.1))
        .run();
    assert_eq!(
        emitted.tags(),
        ["B01_CHILD_FOUND", "B01_PARENT_DISREGARDED"]
    );
}

#[test]
fn basic01_the_root_has_no_parent() {
    let emitted = run_test_case(&World::with_parents("."), ".", "basic01");
    assert_eq!(
        emitted.tags(),
        ["B01_CHILD_FOUND", "B01_ROOT_HAS_NO_PARENT"]
    );
}

// ---- BASIC02 ---------------------------------------------------------------

#[test]
fn basic02_working_servers_answer_the_soa() {
    let emitted = run_test_case(&good_world(), ZONE, "basic02");
    assert_eq!(
        emitted.tags(),
        ["IPV4_ENABLED", "IPV6_ENABLED", "B02_AUTH_RESPONSE_SOA"]
    );
    assert_eq!(
        emitted.arg("B02_AUTH_RESPONSE_SOA", "ns_list"),
        [format!("{};{}", label(NS1), label(NS2))]
    );
    assert_eq!(emitted.arg("IPV4_ENABLED", "rrtype"), ["SOA"]);
}

#[test]
fn basic02_one_working_server_is_enough() {
    let world = good_world().behave(NS2.1, Behaviour::Silent);
    let emitted = run_test_case(&world, ZONE, "basic02");
    assert_eq!(
        emitted.arg("B02_AUTH_RESPONSE_SOA", "ns_list"),
        [label(NS1)]
    );
    assert!(!emitted.has("B02_NO_WORKING_NS"));
    assert!(
        !emitted.has("B02_NS_NO_RESPONSE"),
        "details only when none works"
    );
}

#[test]
fn basic02_no_delegation() {
    let emitted = run_test_case(&World::with_parents(ZONE), ZONE, "basic02");
    assert_eq!(emitted.tags(), ["B02_NO_DELEGATION"]);
    assert_eq!(emitted.arg("B02_NO_DELEGATION", "domain"), ["example.com"]);
    assert_eq!(emitted.level_of("B02_NO_DELEGATION"), Some(Level::Critical));
}

#[test]
fn basic02_each_failure_is_named_per_server() {
    let cases = [
        (Behaviour::Silent, "B02_NS_NO_RESPONSE"),
        (Behaviour::NotAuthoritative, "B02_NS_NOT_AUTH"),
        (Behaviour::Drops(RecordType::SOA), "B02_NS_BROKEN"),
        (Behaviour::Lame, "B02_UNEXPECTED_RCODE"),
        (Behaviour::Rcode(Rcode::SERVFAIL), "B02_UNEXPECTED_RCODE"),
    ];
    for (behaviour, tag) in cases {
        let emitted = run_test_case(&both(behaviour), ZONE, "basic02");
        assert!(!emitted.has("B02_AUTH_RESPONSE_SOA"), "{behaviour:?}");
        assert_eq!(
            emitted.arg("B02_NO_WORKING_NS", "domain"),
            ["example.com"],
            "{behaviour:?}"
        );
        assert_eq!(
            emitted.arg(tag, "ns"),
            [label(NS1), label(NS2)],
            "{behaviour:?}"
        );
    }
}

#[test]
fn basic02_an_unexpected_rcode_is_named() {
    let lame = run_test_case(&both(Behaviour::Lame), ZONE, "basic02");
    assert_eq!(
        lame.arg("B02_UNEXPECTED_RCODE", "rcode"),
        ["REFUSED", "REFUSED"]
    );
    let failing = run_test_case(&both(Behaviour::Rcode(Rcode::SERVFAIL)), ZONE, "basic02");
    assert_eq!(
        failing.arg("B02_UNEXPECTED_RCODE", "rcode"),
        ["SERVFAIL", "SERVFAIL"]
    );
}

#[test]
fn basic02_a_name_server_without_address() {
    let world = World::with_delegation(ZONE, &[NS1])
        .behave(NS1.1, Behaviour::Silent)
        .add("com.", &["example.com. NS ns.nowhere.com."]);
    let emitted = run_test_case(&world, ZONE, "basic02");
    assert!(emitted.has("B02_NO_WORKING_NS"));
    assert_eq!(emitted.arg("B02_NS_NO_RESPONSE", "ns"), [label(NS1)]);
    assert_eq!(
        emitted.arg("B02_NS_NO_IP_ADDR", "nsname"),
        ["ns.nowhere.com"]
    );
}

#[test]
fn basic02_a_disabled_family_is_not_asked() {
    let world = good_world().behave(NS1.1, Behaviour::Silent);
    let emitted = TestRun::new(&world, ZONE, "basic02")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(emitted.arg("IPV6_DISABLED", "ns"), [label(NS2)]);
    assert_eq!(emitted.arg("B02_NS_NO_RESPONSE", "ns"), [label(NS1)]);
    assert!(!emitted.has("B02_AUTH_RESPONSE_SOA"));
}

#[test]
fn basic02_undelegated_uses_the_given_servers() {
    let world = World::with_parents(ZONE).serve(ZONE, &[NS1]);
    let emitted = TestRun::new(&world, ZONE, "basic02")
        .ns(NS1.0, Some(NS1.1))
        .run();
    assert_eq!(
        emitted.arg("B02_AUTH_RESPONSE_SOA", "ns_list"),
        [label(NS1)]
    );
}

// ---- BASIC03 ---------------------------------------------------------------

/// Servers that answer everything but the SOA, with `www` or without.
fn broken_but_functional(with_www: bool) -> World {
    let world = both(Behaviour::Drops(RecordType::SOA));
    if with_www {
        world.add(ZONE, &["www.example.com. A 192.0.2.80"])
    } else {
        world
    }
}

#[test]
fn basic03_www_answers_from_broken_servers() {
    let emitted = run_test_case(&broken_but_functional(true), ZONE, "basic03");
    assert_eq!(emitted.arg("HAS_A_RECORDS", "ns"), [label(NS1), label(NS2)]);
    assert_eq!(
        emitted.arg("HAS_A_RECORDS", "domain"),
        ["www.example.com", "www.example.com"]
    );
    assert_eq!(emitted.level_of("HAS_A_RECORDS"), Some(Level::Error));
    assert!(!emitted.has("NO_A_RECORDS"));
}

#[test]
fn basic03_no_www() {
    let emitted = run_test_case(&broken_but_functional(false), ZONE, "basic03");
    assert_eq!(emitted.arg("NO_A_RECORDS", "ns"), [label(NS1), label(NS2)]);
    assert!(!emitted.has("HAS_A_RECORDS"));
    assert!(!emitted.has("A_QUERY_NO_RESPONSES"));
}

#[test]
fn basic03_no_server_answers() {
    // Out of bailiwick, so that the server has an address (from
    // example.net.) while it says nothing about example.com.
    let ns = ("ns.example.net.", "192.0.2.1");
    let world = World::with_delegation("example.net.", &[("ns1.example.net.", "192.0.2.53")])
        .add("example.net.", &[format!("{} A {}", ns.0, ns.1)])
        .delegate("com.", &[("ns1.com.", "198.51.100.3")])
        .delegate(ZONE, &[ns])
        .behave(ns.1, Behaviour::Silent);
    let emitted = run_test_case(&world, ZONE, "basic03");
    assert_eq!(emitted.tags(), ["IPV4_ENABLED", "A_QUERY_NO_RESPONSES"]);
    assert_eq!(emitted.arg("IPV4_ENABLED", "ns"), [label(ns)]);
}

#[test]
fn basic03_asks_nobody_when_no_server_has_an_address() {
    // In bailiwick and silent: resolving the name needs the silent server.
    let emitted = run_test_case(&both(Behaviour::Silent), ZONE, "basic03");
    assert_eq!(emitted.tags(), Vec::<&str>::new());
}
