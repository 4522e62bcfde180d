//! Unit tests of NAMESERVER01–13 and 15 in scripted worlds
//! ([`crate::engine::testing`]): two good servers, then one of them
//! misbehaving each way the spec (§3.7) names, tags and arguments
//! asserted.

use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::dns::Rcode;
use crate::engine::level::Level;
use crate::engine::testing::{
    Behaviour, EdnsFault, EdnsProbe, Emitted, TestRun, World, run_test_case,
};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");
const BOTH: &str = "ns1.example.com/192.0.2.1;ns2.example.com/192.0.2.2";
const FIRST: &str = "ns1.example.com/192.0.2.1";
const SECOND: &str = "ns2.example.com/192.0.2.2";

/// `example.com.` on ns1 and ns2, with an address at the apex.
fn good_world() -> World {
    World::with_delegation(ZONE, &[NS1, NS2]).add(ZONE, &["example.com. AAAA 2001:db8::80"])
}

/// The good world with ns2 behaving as `behaviour`.
fn second_behaves(behaviour: Behaviour) -> World {
    good_world().behave(NS2.1, behaviour)
}

fn run(world: &World, test_case: &str) -> Emitted {
    run_test_case(world, ZONE, test_case)
}

/// The tags of the run that are not the family helpers.
fn findings(emitted: &Emitted) -> Vec<&str> {
    emitted
        .tags()
        .into_iter()
        .filter(|tag| !tag.starts_with("IPV"))
        .collect()
}

fn on_edns(probe: EdnsProbe, fault: EdnsFault) -> Behaviour {
    Behaviour::OnEdns(probe, fault)
}

// ---- NAMESERVER01 ----------------------------------------------------------

#[test]
fn nameserver01_authoritative_servers_are_no_recursors() {
    let emitted = run(&good_world(), "nameserver01");
    assert_eq!(findings(&emitted), ["NO_RECURSOR", "NO_RECURSOR"]);
    assert_eq!(emitted.arg("NO_RECURSOR", "ns"), [FIRST, SECOND]);
    assert_eq!(emitted.level_of("NO_RECURSOR"), Some(Level::Info));
}

#[test]
fn nameserver01_recursion_offered_is_a_recursor() {
    let emitted = run(&second_behaves(Behaviour::Recursive), "nameserver01");
    assert_eq!(emitted.arg("IS_A_RECURSOR", "ns"), [SECOND]);
    assert_eq!(emitted.arg("NO_RECURSOR", "ns"), [FIRST]);
    assert_eq!(emitted.level_of("IS_A_RECURSOR"), Some(Level::Error));
}

#[test]
fn nameserver01_nxdomain_for_every_name_is_a_recursor() {
    let world = second_behaves(Behaviour::DeniesOtherNames);
    let emitted = run(&world, "nameserver01");
    assert_eq!(emitted.arg("IS_A_RECURSOR", "ns"), [SECOND]);
}

#[test]
fn nameserver01_silence_is_named_per_name_and_not_judged() {
    let emitted = run(&second_behaves(Behaviour::Silent), "nameserver01");
    assert_eq!(emitted.arg("NO_RESPONSE", "ns"), [SECOND, SECOND, SECOND]);
    assert_eq!(
        emitted.arg("NO_RESPONSE", "domain"),
        [
            "xn--nameservertest.iis.se",
            "xn--nameservertest.icann.org",
            "xn--nameservertest.ripe.net"
        ]
    );
    assert_eq!(emitted.arg("NO_RECURSOR", "ns"), [FIRST]);
    assert!(!emitted.has("IS_A_RECURSOR"));
}

#[test]
fn nameserver01_a_disabled_family_is_said_once_per_server() {
    let world = World::with_delegation(ZONE, &[NS1, ("ns2.example.com.", "2001:db8::2")]);
    let emitted = TestRun::new(&world, ZONE, "nameserver01")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(
        emitted.arg("IPV6_DISABLED", "ns"),
        ["ns2.example.com/2001:db8::2"]
    );
    assert_eq!(emitted.arg("IPV6_DISABLED", "rrtype"), ["A"]);
    assert_eq!(emitted.arg("NO_RECURSOR", "ns"), [FIRST]);
}

// ---- NAMESERVER02 ----------------------------------------------------------

#[test]
fn nameserver02_edns0_support() {
    let emitted = run(&good_world(), "nameserver02");
    assert_eq!(findings(&emitted), ["EDNS0_SUPPORT"]);
    assert_eq!(emitted.arg("EDNS0_SUPPORT", "ns_list"), [BOTH]);
}

#[test]
fn nameserver02_each_edns_fault() {
    let cases = [
        (
            on_edns(EdnsProbe::Any, EdnsFault::Formerr),
            "NO_EDNS_SUPPORT",
            Level::Warning,
        ),
        (
            on_edns(EdnsProbe::Any, EdnsFault::Silent),
            "BREAKS_ON_EDNS",
            Level::Error,
        ),
        (
            on_edns(EdnsProbe::Any, EdnsFault::WithoutOpt),
            "EDNS_RESPONSE_WITHOUT_EDNS",
            Level::Error,
        ),
        (
            on_edns(EdnsProbe::Any, EdnsFault::Version(1)),
            "EDNS_VERSION_ERROR",
            Level::Error,
        ),
        (
            on_edns(EdnsProbe::Any, EdnsFault::Rcode(Rcode::REFUSED)),
            "NS_ERROR",
            Level::Warning,
        ),
        (Behaviour::Silent, "NO_RESPONSE", Level::Debug),
    ];
    for (behaviour, tag, level) in cases {
        let emitted = run(&second_behaves(behaviour), "nameserver02");
        assert_eq!(findings(&emitted), [tag], "{behaviour:?}");
        assert_eq!(emitted.arg(tag, "ns"), [SECOND], "{behaviour:?}");
        assert_eq!(emitted.level_of(tag), Some(level), "{behaviour:?}");
        if emitted.args_of(tag)[0].contains_key("domain") {
            assert_eq!(emitted.arg(tag, "domain"), ["example.com"]);
        }
    }
}

// ---- NAMESERVER03 ----------------------------------------------------------

#[test]
fn nameserver03_refused_transfers_are_failures() {
    let world = good_world()
        .behave(NS1.1, Behaviour::RefusesTransfers)
        .behave(NS2.1, Behaviour::RefusesTransfers);
    let emitted = run(&world, "nameserver03");
    assert_eq!(findings(&emitted), ["AXFR_FAILURE", "AXFR_FAILURE"]);
    assert_eq!(emitted.arg("AXFR_FAILURE", "ns"), [FIRST, SECOND]);
}

#[test]
fn nameserver03_an_open_transfer_is_available() {
    let world = good_world().behave(NS1.1, Behaviour::RefusesTransfers);
    let emitted = run(&world, "nameserver03");
    assert_eq!(emitted.arg("AXFR_AVAILABLE", "ns"), [SECOND]);
    assert_eq!(emitted.level_of("AXFR_AVAILABLE"), Some(Level::Notice));
    assert_eq!(emitted.arg("AXFR_FAILURE", "ns"), [FIRST]);
}

#[test]
fn nameserver03_a_disabled_family_is_not_asked() {
    let world = World::with_delegation(ZONE, &[NS1, ("ns2.example.com.", "2001:db8::2")]);
    let emitted = TestRun::new(&world, ZONE, "nameserver03")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(
        emitted.arg("IPV6_DISABLED", "ns"),
        ["ns2.example.com/2001:db8::2"]
    );
    assert_eq!(emitted.arg("IPV6_DISABLED", "rrtype"), ["AXFR"]);
    assert_eq!(emitted.arg("AXFR_AVAILABLE", "ns"), [FIRST]);
}

// ---- NAMESERVER04 ----------------------------------------------------------

#[test]
fn nameserver04_same_source() {
    let emitted = run(&good_world(), "nameserver04");
    assert_eq!(findings(&emitted), ["SAME_SOURCE_IP"]);
    assert_eq!(
        emitted.arg("SAME_SOURCE_IP", "names"),
        ["ns1.example.com/192.0.2.1,ns2.example.com/192.0.2.2"]
    );
}

#[test]
fn nameserver04_reply_from_another_address() {
    let other = "192.0.2.99".parse().unwrap();
    let emitted = run(
        &second_behaves(Behaviour::AnswersFrom(other)),
        "nameserver04",
    );
    assert_eq!(findings(&emitted), ["DIFFERENT_SOURCE_IP"]);
    assert_eq!(emitted.arg("DIFFERENT_SOURCE_IP", "ns"), [SECOND]);
    assert_eq!(emitted.arg("DIFFERENT_SOURCE_IP", "source"), ["192.0.2.99"]);
    assert_eq!(
        emitted.level_of("DIFFERENT_SOURCE_IP"),
        Some(Level::Warning)
    );
}

// ---- NAMESERVER05 ----------------------------------------------------------

#[test]
fn nameserver05_aaaa_well_processed() {
    let emitted = run(&good_world(), "nameserver05");
    assert_eq!(findings(&emitted), ["AAAA_WELL_PROCESSED"]);
    assert_eq!(emitted.arg("AAAA_WELL_PROCESSED", "ns_list"), [BOTH]);
}

#[test]
fn nameserver05_each_aaaa_fault() {
    let cases = [
        (
            Behaviour::Ignores(RecordType::AAAA),
            "AAAA_QUERY_DROPPED",
            None,
        ),
        (
            Behaviour::RcodeFor(RecordType::AAAA, Rcode::SERVFAIL),
            "AAAA_UNEXPECTED_RCODE",
            Some("SERVFAIL"),
        ),
        (
            Behaviour::RcodeFor(RecordType::A, Rcode::REFUSED),
            "A_UNEXPECTED_RCODE",
            Some("REFUSED"),
        ),
    ];
    for (behaviour, tag, rcode) in cases {
        let emitted = run(&second_behaves(behaviour), "nameserver05");
        assert_eq!(findings(&emitted)[0], tag, "{behaviour:?}");
        // A refused A query is no AAAA problem: ns1's AAAA still counts.
        let well_processed = tag == "A_UNEXPECTED_RCODE";
        assert_eq!(emitted.has("AAAA_WELL_PROCESSED"), well_processed);
        assert_eq!(emitted.arg(tag, "ns"), [SECOND]);
        if let Some(rcode) = rcode {
            assert_eq!(emitted.arg(tag, "rcode"), [rcode]);
        }
        let level = if tag == "A_UNEXPECTED_RCODE" {
            Level::Warning
        } else {
            Level::Error
        };
        assert_eq!(emitted.level_of(tag), Some(level));
    }
}

#[test]
fn nameserver05_short_aaaa_rdata() {
    let short = Record::from_rdata(
        Name::from_ascii(ZONE).unwrap(),
        3600,
        RData::Unknown {
            code: RecordType::AAAA,
            rdata: NULL::with(vec![192, 0, 2, 1]),
        },
    );
    let world = World::with_delegation(ZONE, &[NS1, NS2])
        .add(ZONE, &["example.com. AAAA 2001:db8::80"])
        .server_records(NS2.0, NS2.1, vec![short]);
    let emitted = run(&world, "nameserver05");
    assert_eq!(emitted.arg("AAAA_BAD_RDATA", "ns"), [SECOND]);
    assert_eq!(emitted.arg("AAAA_BAD_RDATA", "length"), ["4"]);
    assert!(!emitted.has("AAAA_WELL_PROCESSED"));
}

// ---- NAMESERVER06 ----------------------------------------------------------

#[test]
fn nameserver06_names_resolve() {
    let emitted = run(&good_world(), "nameserver06");
    assert_eq!(findings(&emitted), ["CAN_BE_RESOLVED"]);
}

#[test]
fn nameserver06_a_child_ns_without_address() {
    let world = good_world().add(ZONE, &["example.com. NS ns3.example.net."]);
    let emitted = run(&world, "nameserver06");
    assert_eq!(findings(&emitted), ["CAN_NOT_BE_RESOLVED"]);
    assert_eq!(
        emitted.arg("CAN_NOT_BE_RESOLVED", "nsname_list"),
        ["ns3.example.net"]
    );
    assert_eq!(emitted.level_of("CAN_NOT_BE_RESOLVED"), Some(Level::Error));
}

#[test]
fn nameserver06_no_name_resolves() {
    let world = World::with_parents(ZONE).add(
        "com.",
        &[
            "example.com. NS ns1.example.net.",
            "example.com. NS ns2.example.net.",
        ],
    );
    let emitted = run(&world, "nameserver06");
    assert_eq!(findings(&emitted), ["NO_RESOLUTION"]);
    assert_eq!(
        emitted.arg("NO_RESOLUTION", "names"),
        ["ns1.example.net,ns2.example.net"]
    );
    assert_eq!(emitted.level_of("NO_RESOLUTION"), Some(Level::Error));
}

// ---- NAMESERVER07 ----------------------------------------------------------

#[test]
fn nameserver07_no_upward_referral() {
    let emitted = run(&good_world(), "nameserver07");
    assert_eq!(findings(&emitted), ["NO_UPWARD_REFERRAL"]);
    assert_eq!(
        emitted.arg("NO_UPWARD_REFERRAL", "nsname_list"),
        ["ns1.example.com;ns2.example.com"]
    );
}

#[test]
fn nameserver07_upward_referral() {
    let emitted = run(&second_behaves(Behaviour::RefersUpward), "nameserver07");
    assert_eq!(findings(&emitted), ["UPWARD_REFERRAL"]);
    assert_eq!(emitted.arg("UPWARD_REFERRAL", "ns"), [SECOND]);
    assert_eq!(emitted.level_of("UPWARD_REFERRAL"), Some(Level::Warning));
}

#[test]
fn nameserver07_the_root_is_irrelevant() {
    let emitted = run_test_case(&good_world(), ".", "nameserver07");
    assert_eq!(findings(&emitted), ["UPWARD_REFERRAL_IRRELEVANT"]);
}

// ---- NAMESERVER08 ----------------------------------------------------------

/// The `domain` arguments of `tag`, each checked to be a new spelling of
/// `www.example.com`.
fn spellings<'a>(emitted: &'a Emitted, tag: &str) -> Vec<&'a str> {
    let spelt = emitted.arg(tag, "domain");
    for domain in &spelt {
        assert!(domain.eq_ignore_ascii_case("www.example.com"), "{domain}");
        assert_ne!(*domain, "www.example.com");
    }
    spelt
}

#[test]
fn nameserver08_case_preserved() {
    let emitted = run(&good_world(), "nameserver08");
    assert_eq!(
        findings(&emitted),
        ["QNAME_CASE_SENSITIVE", "QNAME_CASE_SENSITIVE"]
    );
    assert_eq!(emitted.arg("QNAME_CASE_SENSITIVE", "ns"), [FIRST, SECOND]);
    let spelt = spellings(&emitted, "QNAME_CASE_SENSITIVE");
    assert_eq!(spelt[0], spelt[1], "one spelling for every server");
}

#[test]
fn nameserver08_case_changed() {
    let emitted = run(&second_behaves(Behaviour::LowersQuestion), "nameserver08");
    assert_eq!(emitted.arg("QNAME_CASE_INSENSITIVE", "ns"), [SECOND]);
    assert_eq!(spellings(&emitted, "QNAME_CASE_INSENSITIVE").len(), 1);
    assert_eq!(
        emitted.level_of("QNAME_CASE_INSENSITIVE"),
        Some(Level::Warning)
    );
}

// ---- NAMESERVER09 ----------------------------------------------------------

/// Checks query1/query2 of every emission of `tag`: two different new
/// spellings of `www.example.com`.
fn assert_two_spellings(emitted: &Emitted, tag: &str) {
    for args in emitted.args_of(tag) {
        let (query1, query2) = (&args["query1"], &args["query2"]);
        assert_ne!(query1, query2);
        for query in [query1, query2] {
            assert!(query.eq_ignore_ascii_case("www.example.com"));
            assert_ne!(query, "www.example.com");
        }
        assert_eq!(args["type"], "SOA");
    }
}

#[test]
fn nameserver09_same_rcode() {
    let emitted = run(&good_world(), "nameserver09");
    assert_eq!(
        findings(&emitted),
        [
            "CASE_QUERY_SAME_RC",
            "CASE_QUERY_SAME_RC",
            "CASE_QUERIES_RESULTS_OK"
        ]
    );
    assert_eq!(
        emitted.arg("CASE_QUERY_SAME_RC", "rcode"),
        ["NXDOMAIN", "NXDOMAIN"]
    );
    assert_two_spellings(&emitted, "CASE_QUERY_SAME_RC");
    let summary = emitted.args_of("CASE_QUERIES_RESULTS_OK")[0];
    assert_eq!(summary["domain"], "www.example.com");
    assert_eq!(summary["type"], "SOA");
}

#[test]
fn nameserver09_same_answer() {
    let world = good_world().add(ZONE, &["www.example.com. CNAME example.com."]);
    let emitted = run(&world, "nameserver09");
    assert_eq!(emitted.arg("CASE_QUERY_SAME_ANSWER", "ns"), [FIRST, SECOND]);
    assert!(emitted.has("CASE_QUERIES_RESULTS_OK"));
}

#[test]
fn nameserver09_different_rcode() {
    let world = second_behaves(Behaviour::OtherSpellings(Some(Rcode::REFUSED)));
    let emitted = run(&world, "nameserver09");
    assert_eq!(emitted.arg("CASE_QUERY_DIFFERENT_RC", "ns"), [SECOND]);
    let args = emitted.args_of("CASE_QUERY_DIFFERENT_RC")[0];
    assert_eq!(
        (args["rcode1"].as_str(), args["rcode2"].as_str()),
        ("NXDOMAIN", "REFUSED")
    );
    assert_two_spellings(&emitted, "CASE_QUERY_DIFFERENT_RC");
    assert_eq!(
        emitted.level_of("CASE_QUERY_DIFFERENT_RC"),
        Some(Level::Warning)
    );
    assert_eq!(
        emitted.arg("CASE_QUERIES_RESULTS_DIFFER", "domain"),
        ["www.example.com"]
    );
    assert_eq!(
        emitted.level_of("CASE_QUERIES_RESULTS_DIFFER"),
        Some(Level::Error)
    );
}

#[test]
fn nameserver09_different_answer() {
    let world = good_world()
        .add(ZONE, &["www.example.com. CNAME example.com."])
        .behave(NS2.1, Behaviour::OtherSpellings(Some(Rcode::REFUSED)));
    let emitted = run(&world, "nameserver09");
    assert_eq!(emitted.arg("CASE_QUERY_DIFFERENT_ANSWER", "ns"), [SECOND]);
    assert_two_spellings(&emitted, "CASE_QUERY_DIFFERENT_ANSWER");
    assert_eq!(
        emitted.level_of("CASE_QUERY_DIFFERENT_ANSWER"),
        Some(Level::Warning)
    );
    assert!(emitted.has("CASE_QUERIES_RESULTS_DIFFER"));
}

#[test]
fn nameserver09_one_spelling_unanswered() {
    let world = second_behaves(Behaviour::OtherSpellings(None));
    let emitted = run(&world, "nameserver09");
    assert_eq!(emitted.arg("CASE_QUERY_NO_ANSWER", "ns"), [SECOND]);
    let args = emitted.args_of("CASE_QUERY_NO_ANSWER")[0];
    assert_eq!(args["type"], "SOA");
    let same = emitted.args_of("CASE_QUERY_SAME_RC")[0];
    assert_eq!(
        args["domain"], same["query1"],
        "the spelling that was answered"
    );
    assert_eq!(
        emitted.level_of("CASE_QUERY_NO_ANSWER"),
        Some(Level::Warning)
    );
    assert!(emitted.has("CASE_QUERIES_RESULTS_DIFFER"));
}

// ---- NAMESERVER10 ----------------------------------------------------------

#[test]
fn nameserver10_badvers_is_expected() {
    let emitted = run(&good_world(), "nameserver10");
    assert_eq!(findings(&emitted), Vec::<&str>::new());
}

#[test]
fn nameserver10_each_version_fault() {
    let cases = [
        (EdnsFault::Silent, "N10_NO_RESPONSE_EDNS1_QUERY"),
        (EdnsFault::Version(0), "N10_EDNS_RESPONSE_ERROR"),
        (EdnsFault::Version(1), "N10_EDNS_RESPONSE_ERROR"),
        (EdnsFault::Rcode(Rcode::FORMERR), "N10_UNEXPECTED_RCODE"),
    ];
    for (fault, tag) in cases {
        let world = second_behaves(on_edns(EdnsProbe::UnknownVersion, fault));
        let emitted = run(&world, "nameserver10");
        assert_eq!(findings(&emitted), [tag], "{fault:?}");
        assert_eq!(emitted.arg(tag, "ns_ip_list"), ["192.0.2.2"]);
        assert_eq!(emitted.level_of(tag), Some(Level::Warning));
    }
}

/// Quirk fixed (spec §3.7): `rcode` is the version-1 reply's, not the
/// version-0 reply's NOERROR.
#[test]
fn nameserver10_rcode_is_that_of_the_version_1_reply() {
    let world = good_world()
        .behave(
            NS1.1,
            on_edns(EdnsProbe::UnknownVersion, EdnsFault::Rcode(Rcode::REFUSED)),
        )
        .behave(
            NS2.1,
            on_edns(EdnsProbe::UnknownVersion, EdnsFault::Rcode(Rcode::REFUSED)),
        );
    let emitted = run(&world, "nameserver10");
    assert_eq!(emitted.arg("N10_UNEXPECTED_RCODE", "rcode"), ["REFUSED"]);
    assert_eq!(
        emitted.arg("N10_UNEXPECTED_RCODE", "ns_ip_list"),
        ["192.0.2.1;192.0.2.2"]
    );
}

#[test]
fn nameserver10_servers_without_edns0_are_not_asked() {
    let world = second_behaves(on_edns(EdnsProbe::Any, EdnsFault::Formerr));
    let emitted = run(&world, "nameserver10");
    assert_eq!(findings(&emitted), Vec::<&str>::new());
}

// ---- NAMESERVER11 ----------------------------------------------------------

#[test]
fn nameserver11_unknown_option_ignored() {
    let emitted = run(&good_world(), "nameserver11");
    assert_eq!(findings(&emitted), Vec::<&str>::new());
}

#[test]
fn nameserver11_each_option_fault() {
    let cases = [
        (EdnsFault::Silent, "N11_NO_RESPONSE"),
        (EdnsFault::Rcode(Rcode::FORMERR), "N11_UNEXPECTED_RCODE"),
        (EdnsFault::WithoutOpt, "N11_NO_EDNS"),
        (EdnsFault::EmptyAnswer, "N11_UNEXPECTED_ANSWER_SECTION"),
        (EdnsFault::ClearsAa, "N11_UNSET_AA"),
        (EdnsFault::Echoes, "N11_RETURNS_UNKNOWN_OPTION_CODE"),
    ];
    for (fault, tag) in cases {
        let world = second_behaves(on_edns(EdnsProbe::Options, fault));
        let emitted = run(&world, "nameserver11");
        assert_eq!(findings(&emitted), [tag], "{fault:?}");
        assert_eq!(emitted.arg(tag, "ns_ip_list"), ["192.0.2.2"]);
        assert_eq!(emitted.level_of(tag), Some(Level::Warning));
    }
    let world = second_behaves(on_edns(
        EdnsProbe::Options,
        EdnsFault::Rcode(Rcode::FORMERR),
    ));
    let emitted = run(&world, "nameserver11");
    assert_eq!(emitted.arg("N11_UNEXPECTED_RCODE", "rcode"), ["FORMERR"]);
}

// ---- NAMESERVER12 ----------------------------------------------------------

#[test]
fn nameserver12_unknown_flags_ignored() {
    let emitted = run(&good_world(), "nameserver12");
    assert_eq!(findings(&emitted), Vec::<&str>::new());
}

#[test]
fn nameserver12_each_flag_fault() {
    let cases = [
        (EdnsFault::Formerr, "NO_EDNS_SUPPORT", Level::Warning),
        (EdnsFault::Echoes, "Z_FLAGS_NOTCLEAR", Level::Debug),
        (EdnsFault::Rcode(Rcode::REFUSED), "NS_ERROR", Level::Warning),
        (EdnsFault::Silent, "NO_RESPONSE", Level::Debug),
    ];
    for (fault, tag, level) in cases {
        let world = second_behaves(on_edns(EdnsProbe::Flags, fault));
        let emitted = run(&world, "nameserver12");
        assert_eq!(findings(&emitted), [tag], "{fault:?}");
        assert_eq!(emitted.arg(tag, "ns"), [SECOND]);
        assert_eq!(emitted.level_of(tag), Some(level));
    }
}

// ---- NAMESERVER13 ----------------------------------------------------------

#[test]
fn nameserver13_edns_with_do_answered() {
    let emitted = run(&good_world(), "nameserver13");
    assert_eq!(findings(&emitted), Vec::<&str>::new());
}

#[test]
fn nameserver13_each_truncation_fault() {
    let cases = [
        (
            EdnsFault::TruncatedWithoutOpt,
            "MISSING_OPT_IN_TRUNCATED",
            Level::Warning,
        ),
        (EdnsFault::Formerr, "NO_EDNS_SUPPORT", Level::Warning),
        (
            EdnsFault::Rcode(Rcode::SERVFAIL),
            "NS_ERROR",
            Level::Warning,
        ),
        (EdnsFault::Silent, "NO_RESPONSE", Level::Debug),
    ];
    for (fault, tag, level) in cases {
        let world = second_behaves(on_edns(EdnsProbe::DnssecOk, fault));
        let emitted = run(&world, "nameserver13");
        assert_eq!(findings(&emitted), [tag], "{fault:?}");
        assert_eq!(emitted.arg(tag, "ns"), [SECOND]);
        assert_eq!(emitted.level_of(tag), Some(level));
    }
}

// ---- NAMESERVER15 ----------------------------------------------------------

/// The good world with ns2 also serving `bind.` and `server.` in class
/// CH with these records (zone text).
fn with_identity(lines: &[&str]) -> World {
    let mut zone = vec![
        "bind. CH SOA ns2.example.com. hostmaster.bind. 1 3600 900 604800 300".to_owned(),
        "server. CH SOA ns2.example.com. hostmaster.server. 1 3600 900 604800 300".to_owned(),
    ];
    zone.extend(lines.iter().map(|line| (*line).to_owned()));
    good_world().server(NS2.0, NS2.1, &zone)
}

#[test]
fn nameserver15_no_version_revealed() {
    let emitted = run(&good_world(), "nameserver15");
    assert_eq!(findings(&emitted), ["N15_NO_VERSION_REVEALED"]);
    assert_eq!(emitted.arg("N15_NO_VERSION_REVEALED", "ns_list"), [BOTH]);
}

#[test]
fn nameserver15_software_version() {
    let world = with_identity(&[
        "version.bind. CH TXT \"9.18.1\"",
        "version.server. CH TXT \"   \"",
    ]);
    let emitted = run(&world, "nameserver15");
    assert_eq!(
        findings(&emitted),
        ["N15_SOFTWARE_VERSION", "N15_NO_VERSION_REVEALED"]
    );
    let version = emitted.args_of("N15_SOFTWARE_VERSION")[0];
    assert_eq!(version["string"], "9.18.1");
    assert_eq!(version["query_name"], "version.bind");
    assert_eq!(version["ns_list"], SECOND);
    assert_eq!(
        emitted.level_of("N15_SOFTWARE_VERSION"),
        Some(Level::Notice)
    );
    assert_eq!(emitted.arg("N15_NO_VERSION_REVEALED", "ns_list"), [FIRST]);
}

#[test]
fn nameserver15_wrong_class() {
    let world = with_identity(&["version.server. IN TXT \"v0\""]);
    let emitted = run(&world, "nameserver15");
    assert_eq!(emitted.arg("N15_WRONG_CLASS", "ns_list"), [SECOND]);
    assert_eq!(emitted.level_of("N15_WRONG_CLASS"), Some(Level::Warning));
    assert_eq!(
        emitted.arg("N15_SOFTWARE_VERSION", "query_name"),
        ["version.server"]
    );
}

#[test]
fn nameserver15_error_on_version_query() {
    let world = second_behaves(Behaviour::Ignores(RecordType::TXT));
    let emitted = run(&world, "nameserver15");
    assert_eq!(
        emitted.arg("N15_ERROR_ON_VERSION_QUERY", "query_name"),
        ["version.bind", "version.server"]
    );
    assert_eq!(
        emitted.arg("N15_ERROR_ON_VERSION_QUERY", "ns_list"),
        [SECOND, SECOND]
    );
    assert_eq!(emitted.arg("N15_NO_VERSION_REVEALED", "ns_list"), [BOTH]);
}
