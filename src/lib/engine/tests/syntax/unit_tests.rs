//! Unit tests of SYNTAX01–08 and of the module's skip rules in scripted
//! worlds ([`crate::engine::testing`]): a zone that passes, and zones that
//! fail each way the spec (§3.8) names.

use crate::engine::level::Level;
use crate::engine::module::Module;
use hickory_proto::rr::rdata::{MX, NS, SOA};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::engine::testing::{
    Asked, Behaviour, Emitted, TestRun, World, parse_record, run_test_case, test_cases_run,
};

const ZONE: &str = "example.com.";

/// A name from text; labels hickory's parser refuses (a leading hyphen,
/// an `@`) are taken as they are.
fn raw_name(text: &str) -> Name {
    Name::from_ascii(text).unwrap_or_else(|_| {
        let labels = text.trim_end_matches('.').split('.').map(str::as_bytes);
        let mut name = Name::from_labels(labels).unwrap();
        name.set_fqdn(true);
        name
    })
}

/// Runs a test case that only reads the zone's name on `zone`, in a world
/// of just the root.
fn on_name(zone: &str, test_case: &str) -> Emitted {
    TestRun::new(&World::with_parents("."), ".", test_case)
        .zone(raw_name(zone))
        .run()
}

/// The test cases module Syntax ran on `zone` in `world`, in order.
fn syntax_cases_run(world: &World, zone: &str) -> Vec<String> {
    test_cases_run(world, raw_name(zone), Module::Syntax)
}

const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");

/// A record of the zone with `rdata`.
fn at_apex(rdata: RData) -> Record {
    Record::from_rdata(raw_name(ZONE), 3600, rdata)
}

fn soa(mname: &str, rname: &str) -> Record {
    let soa = SOA::new(raw_name(mname), raw_name(rname), 1, 3600, 900, 604_800, 300);
    at_apex(RData::SOA(soa))
}

fn ns(target: &str) -> Record {
    at_apex(RData::NS(NS(raw_name(target))))
}

fn mx(exchange: &str) -> Record {
    at_apex(RData::MX(MX::new(10, raw_name(exchange))))
}

/// `example.com.` delegated to `ns1.example.com.`, which serves `soa`, its
/// own NS and address, and `extra`.
fn zone_world(soa: Record, extra: Vec<Record>) -> World {
    let glue = format!("{} A {}", NS1.0, NS1.1);
    let mut records = vec![soa, ns(NS1.0), parse_record(&glue).unwrap()];
    records.extend(extra);
    World::with_parents(ZONE)
        .add("com.", &[format!("{ZONE} NS {}", NS1.0), glue])
        .server_records(NS1.0, NS1.1, records)
}

/// [`zone_world`] with a good SOA.
fn good_world(extra: Vec<Record>) -> World {
    zone_world(soa(NS1.0, "hostmaster.example.com."), extra)
}

/// [`good_world`] whose server does not answer.
fn silent_world() -> World {
    good_world(Vec::new()).behave(NS1.1, Behaviour::Silent)
}

// ---- SYNTAX01 --------------------------------------------------------------

#[test]
fn syntax01_letters_digits_and_hyphens_are_allowed() {
    for zone in [ZONE, "xn--rksmrgs-5wao1o.se.", "A-1.b2.se.", "-a-.se."] {
        let emitted = on_name(zone, "syntax01");
        assert_eq!(emitted.tags(), ["ONLY_ALLOWED_CHARS"], "{zone}");
        let shown = zone.trim_end_matches('.').to_lowercase();
        assert_eq!(emitted.arg("ONLY_ALLOWED_CHARS", "domain"), [shown]);
        assert_eq!(emitted.level_of("ONLY_ALLOWED_CHARS"), Some(Level::Info));
    }
}

#[test]
fn syntax01_the_root_is_legal() {
    let emitted = on_name(".", "syntax01");
    assert_eq!(emitted.arg("ONLY_ALLOWED_CHARS", "domain"), ["."]);
}

#[test]
fn syntax01_other_characters_are_not() {
    for zone in ["ex_ample.com.", "_dmarc.example.com.", "a@b.se.", "*.se."] {
        let emitted = on_name(zone, "syntax01");
        assert_eq!(emitted.tags(), ["NON_ALLOWED_CHARS"], "{zone}");
        assert_eq!(
            emitted.arg("NON_ALLOWED_CHARS", "domain").len(),
            1,
            "{zone}"
        );
        assert_eq!(emitted.level_of("NON_ALLOWED_CHARS"), Some(Level::Error));
    }
}

// ---- SYNTAX02 --------------------------------------------------------------

#[test]
fn syntax02_no_hyphen_at_label_ends() {
    let emitted = on_name("a-b.example.com.", "syntax02");
    assert_eq!(emitted.tags(), ["NO_ENDING_HYPHENS"]);
    assert_eq!(
        emitted.arg("NO_ENDING_HYPHENS", "domain"),
        ["a-b.example.com"]
    );
    assert_eq!(emitted.level_of("NO_ENDING_HYPHENS"), Some(Level::Info));
}

#[test]
fn syntax02_each_offending_label_is_named() {
    let emitted = on_name("-ab.cd-.-e-.com.", "syntax02");
    assert_eq!(
        emitted.tags(),
        [
            "INITIAL_HYPHEN",
            "TERMINAL_HYPHEN",
            "INITIAL_HYPHEN",
            "TERMINAL_HYPHEN"
        ]
    );
    assert_eq!(emitted.arg("INITIAL_HYPHEN", "label"), ["-ab", "-e-"]);
    assert_eq!(emitted.arg("TERMINAL_HYPHEN", "label"), ["cd-", "-e-"]);
    assert_eq!(
        emitted.arg("INITIAL_HYPHEN", "domain")[0],
        "-ab.cd-.-e-.com"
    );
    assert_eq!(emitted.level_of("INITIAL_HYPHEN"), Some(Level::Error));
    assert_eq!(emitted.level_of("TERMINAL_HYPHEN"), Some(Level::Error));
}

#[test]
fn syntax02_the_root_has_no_labels_to_judge() {
    assert_eq!(on_name(".", "syntax02").tags(), Vec::<&str>::new());
}

// ---- SYNTAX03 --------------------------------------------------------------

#[test]
fn syntax03_idn_labels_may_have_a_double_dash() {
    let emitted = on_name("XN--rksmrgs-5wao1o.a--b.se.", "syntax03");
    assert_eq!(emitted.tags(), ["NO_DOUBLE_DASH"]);
    assert_eq!(
        emitted.arg("NO_DOUBLE_DASH", "domain"),
        ["xn--rksmrgs-5wao1o.a--b.se"]
    );
    assert_eq!(emitted.level_of("NO_DOUBLE_DASH"), Some(Level::Info));
}

#[test]
fn syntax03_other_labels_may_not() {
    let emitted = on_name("AB--cd.zz--.com.", "syntax03");
    assert_eq!(
        emitted.tags(),
        ["DISCOURAGED_DOUBLE_DASH", "DISCOURAGED_DOUBLE_DASH"]
    );
    assert_eq!(
        emitted.arg("DISCOURAGED_DOUBLE_DASH", "label"),
        ["ab--cd", "zz--"]
    );
    assert_eq!(
        emitted.arg("DISCOURAGED_DOUBLE_DASH", "domain")[0],
        "ab--cd.zz--.com"
    );
    assert_eq!(
        emitted.level_of("DISCOURAGED_DOUBLE_DASH"),
        Some(Level::Warning)
    );
}

// ---- Skip rules (spec §2.2) ------------------------------------------------

#[test]
fn an_illegal_zone_name_stops_the_module_after_syntax03() {
    let ran = syntax_cases_run(&World::with_parents("."), "ex_ample.com.");
    assert_eq!(ran, ["Syntax01", "Syntax02", "Syntax03"]);
}

#[test]
fn a_good_zone_runs_every_syntax_test_case() {
    let ran = syntax_cases_run(&good_world(Vec::new()), ZONE);
    assert_eq!(
        ran,
        [
            "Syntax01", "Syntax02", "Syntax03", "Syntax04", "Syntax05", "Syntax06", "Syntax07",
            "Syntax08"
        ]
    );
}

#[test]
fn no_soa_for_syntax05_skips_syntax06_and_syntax07() {
    let ran = syntax_cases_run(&silent_world(), ZONE);
    assert_eq!(
        ran,
        [
            "Syntax01", "Syntax02", "Syntax03", "Syntax04", "Syntax05", "Syntax08"
        ]
    );
}

// ---- SYNTAX04 --------------------------------------------------------------

#[test]
fn syntax04_good_name_server_names() {
    let emitted = run_test_case(&good_world(Vec::new()), ZONE, "syntax04");
    assert_eq!(emitted.tags(), ["NAMESERVER_SYNTAX_OK"]);
    assert_eq!(
        emitted.arg("NAMESERVER_SYNTAX_OK", "domain"),
        ["ns1.example.com"]
    );
    assert_eq!(emitted.level_of("NAMESERVER_SYNTAX_OK"), Some(Level::Info));
}

#[test]
fn syntax04_each_problem_of_each_name() {
    let extra = vec![
        ns("ns_2.example.com."),
        ns("ns1.ab--cd.com."),
        ns("ns.example.123."),
    ];
    let emitted = run_test_case(&good_world(extra), ZONE, "syntax04");
    assert_eq!(
        emitted.arg("NAMESERVER_NON_ALLOWED_CHARS", "domain"),
        ["ns_2.example.com"]
    );
    let dash = emitted.args_of("NAMESERVER_DISCOURAGED_DOUBLE_DASH");
    assert_eq!(dash.len(), 1);
    assert_eq!(dash[0]["label"], "ab--cd");
    assert_eq!(dash[0]["domain"], "ns1.ab--cd.com");
    let numeric = emitted.args_of("NAMESERVER_NUMERIC_TLD");
    assert_eq!(numeric.len(), 1);
    assert_eq!(numeric[0]["domain"], "ns.example.123");
    assert_eq!(numeric[0]["tld"], "123");
    assert_eq!(
        emitted.arg("NAMESERVER_SYNTAX_OK", "domain"),
        ["ns1.example.com"]
    );
    for (tag, level) in [
        ("NAMESERVER_NON_ALLOWED_CHARS", Level::Error),
        ("NAMESERVER_DISCOURAGED_DOUBLE_DASH", Level::Warning),
        ("NAMESERVER_NUMERIC_TLD", Level::Error),
    ] {
        assert_eq!(emitted.level_of(tag), Some(level), "{tag}");
    }
}

#[test]
fn syntax04_names_only_the_parent_lists_count_too() {
    let world = good_world(Vec::new()).add("com.", &["example.com. NS ns2.example.42."]);
    let emitted = run_test_case(&world, ZONE, "syntax04");
    assert_eq!(
        emitted.arg("NAMESERVER_NUMERIC_TLD", "domain"),
        ["ns2.example.42"]
    );
}

// ---- SYNTAX05 --------------------------------------------------------------

#[test]
fn syntax05_an_rname_without_at_sign() {
    let emitted = run_test_case(&good_world(Vec::new()), ZONE, "syntax05");
    assert_eq!(emitted.tags(), ["RNAME_NO_AT_SIGN"]);
    assert_eq!(
        emitted.arg("RNAME_NO_AT_SIGN", "rname"),
        ["hostmaster.example.com"]
    );
    assert_eq!(emitted.level_of("RNAME_NO_AT_SIGN"), Some(Level::Info));
}

#[test]
fn syntax05_an_rname_with_at_sign() {
    let world = zone_world(soa(NS1.0, "hostmaster@example.com."), Vec::new());
    let emitted = run_test_case(&world, ZONE, "syntax05");
    assert_eq!(emitted.tags(), ["RNAME_MISUSED_AT_SIGN"]);
    assert_eq!(
        emitted.arg("RNAME_MISUSED_AT_SIGN", "rname"),
        ["hostmaster@example.com"],
        "the @ is not escaped (spec §3.8)"
    );
    assert_eq!(
        emitted.level_of("RNAME_MISUSED_AT_SIGN"),
        Some(Level::Warning)
    );
}

#[test]
fn syntax05_no_soa() {
    for world in [
        silent_world(),
        good_world(Vec::new()).behave(NS1.1, Behaviour::Drops(hickory_proto::rr::RecordType::SOA)),
    ] {
        let emitted = run_test_case(&world, ZONE, "syntax05");
        assert_eq!(emitted.tags(), ["NO_RESPONSE_SOA_QUERY"]);
        assert!(emitted.args_of("NO_RESPONSE_SOA_QUERY")[0].is_empty());
        assert_eq!(
            emitted.level_of("NO_RESPONSE_SOA_QUERY"),
            Some(Level::Debug)
        );
    }
}

// ---- SYNTAX07 --------------------------------------------------------------

#[test]
fn syntax07_a_good_mname() {
    let emitted = run_test_case(&good_world(Vec::new()), ZONE, "syntax07");
    assert_eq!(emitted.tags(), ["MNAME_SYNTAX_OK"]);
    assert_eq!(
        emitted.arg("MNAME_SYNTAX_OK", "domain"),
        ["ns1.example.com"]
    );
    assert_eq!(emitted.level_of("MNAME_SYNTAX_OK"), Some(Level::Info));
}

#[test]
fn syntax07_each_problem_of_a_bad_mname() {
    let world = zone_world(
        soa("ns_1.ab--cd.123.", "hostmaster.example.com."),
        Vec::new(),
    );
    let emitted = run_test_case(&world, ZONE, "syntax07");
    assert_eq!(
        emitted.tags(),
        [
            "MNAME_NON_ALLOWED_CHARS",
            "MNAME_DISCOURAGED_DOUBLE_DASH",
            "MNAME_NUMERIC_TLD"
        ]
    );
    assert_eq!(
        emitted.arg("MNAME_NON_ALLOWED_CHARS", "domain"),
        ["ns_1.ab--cd.123"]
    );
    assert_eq!(
        emitted.arg("MNAME_DISCOURAGED_DOUBLE_DASH", "label"),
        ["ab--cd"]
    );
    assert_eq!(emitted.arg("MNAME_NUMERIC_TLD", "tld"), ["123"]);
    for tag in emitted.tags() {
        assert_eq!(emitted.level_of(tag), Some(Level::Warning), "{tag}");
    }
}

#[test]
fn syntax07_no_soa() {
    let emitted = run_test_case(&silent_world(), ZONE, "syntax07");
    assert_eq!(emitted.tags(), ["NO_RESPONSE_SOA_QUERY"]);
}

// ---- SYNTAX08 --------------------------------------------------------------

#[test]
fn syntax08_no_mx_is_nothing_to_judge() {
    let emitted = run_test_case(&good_world(Vec::new()), ZONE, "syntax08");
    assert_eq!(emitted.tags(), Vec::<&str>::new());
}

#[test]
fn syntax08_each_distinct_exchange_once() {
    let extra = vec![
        mx("mail.example.com."),
        mx("MAIL.example.com."),
        mx("m_x.example.com."),
        mx("mx.ab--cd.com."),
        mx("mx.example.42."),
    ];
    let emitted = run_test_case(&good_world(extra), ZONE, "syntax08");
    assert_eq!(emitted.arg("MX_SYNTAX_OK", "domain"), ["mail.example.com"]);
    assert_eq!(
        emitted.arg("MX_NON_ALLOWED_CHARS", "domain"),
        ["m_x.example.com"]
    );
    let dash = emitted.args_of("MX_DISCOURAGED_DOUBLE_DASH");
    assert_eq!((dash.len(), dash[0]["label"].as_str()), (1, "ab--cd"));
    let numeric = emitted.args_of("MX_NUMERIC_TLD");
    assert_eq!(numeric[0]["domain"], "mx.example.42");
    assert_eq!(numeric[0]["tld"], "42");
    for tag in [
        "MX_NON_ALLOWED_CHARS",
        "MX_DISCOURAGED_DOUBLE_DASH",
        "MX_NUMERIC_TLD",
    ] {
        assert_eq!(emitted.level_of(tag), Some(Level::Warning), "{tag}");
    }
}

#[test]
fn syntax08_no_response() {
    let emitted = run_test_case(&silent_world(), ZONE, "syntax08");
    assert_eq!(emitted.tags(), ["NO_RESPONSE_MX_QUERY"]);
    assert_eq!(emitted.level_of("NO_RESPONSE_MX_QUERY"), Some(Level::Debug));
}

const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");

/// `example.com.` served alike by ns1 and ns2, with one mail exchange.
fn two_server_world() -> World {
    let glue = [NS1, NS2].map(|(name, address)| format!("{name} A {address}"));
    let mut records = vec![
        soa(NS1.0, "hostmaster.example.com."),
        ns(NS1.0),
        ns(NS2.0),
        mx("mail.example.com."),
    ];
    records.extend(glue.iter().map(|line| parse_record(line).unwrap()));
    let mut delegation = vec![
        format!("{ZONE} NS {}", NS1.0),
        format!("{ZONE} NS {}", NS2.0),
    ];
    delegation.extend(glue);
    World::with_parents(ZONE)
        .add("com.", &delegation)
        .server_records(NS1.0, NS1.1, records.clone())
        .server_records(NS2.0, NS2.1, records)
}

/// The servers of the zone asked for MX, in order.
fn asked_mx(world: &World) -> Vec<String> {
    world
        .asked()
        .into_iter()
        .filter_map(|asked| match asked {
            Asked::Dns {
                server,
                rtype: RecordType::MX,
                ..
            } => Some(server.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn query_one_asks_the_servers_in_turn_until_one_replies() {
    // The reference's query_one stops at the first reply.
    let world = two_server_world();
    let emitted = run_test_case(&world, ZONE, "syntax08");
    assert_eq!(emitted.tags(), ["MX_SYNTAX_OK"]);
    assert_eq!(asked_mx(&world), [NS1.1]);
    // A silent first server: the second is asked.
    let world = two_server_world().behave_for(NS1.1, RecordType::MX, Behaviour::Silent);
    let emitted = run_test_case(&world, ZONE, "syntax08");
    assert_eq!(emitted.tags(), ["MX_SYNTAX_OK"]);
    assert_eq!(asked_mx(&world), [NS1.1, NS2.1]);
}

// ---- SYNTAX06 --------------------------------------------------------------

/// Zone text lines of `example.com.` as records.
fn lines(lines: &[&str]) -> Vec<Record> {
    lines
        .iter()
        .map(|line| parse_record(line).unwrap())
        .collect()
}

#[test]
fn syntax06_a_mailbox_whose_mail_server_has_an_address() {
    let extra = lines(&[
        "example.com. MX 10 mail.example.com.",
        "mail.example.com. A 192.0.2.25",
    ]);
    let emitted = run_test_case(&good_world(extra), ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["RNAME_RFC822_VALID"]);
    assert_eq!(
        emitted.arg("RNAME_RFC822_VALID", "rname"),
        ["hostmaster@example.com"]
    );
    assert_eq!(emitted.level_of("RNAME_RFC822_VALID"), Some(Level::Info));
}

#[test]
fn syntax06_without_mx_the_domain_itself_receives_mail() {
    let extra = lines(&["example.com. AAAA 2001:db8::25"]);
    let emitted = run_test_case(&good_world(extra), ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["RNAME_RFC822_VALID"]);
    let emitted = run_test_case(&good_world(Vec::new()), ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["RNAME_MAIL_DOMAIN_INVALID"]);
    assert_eq!(
        emitted.arg("RNAME_MAIL_DOMAIN_INVALID", "domain"),
        ["example.com"]
    );
    assert_eq!(
        emitted.level_of("RNAME_MAIL_DOMAIN_INVALID"),
        Some(Level::Notice)
    );
}

#[test]
fn syntax06_a_mail_domain_behind_a_cname_is_its_target() {
    // mail.example.com is a CNAME of mailserver.example.com, which has an
    // address and no MX: the target receives the mail, not the alias.
    let extra = lines(&[
        "mail.example.com. CNAME mailserver.example.com.",
        "mailserver.example.com. A 192.0.2.25",
    ]);
    let world = zone_world(soa(NS1.0, "hostmaster.mail.example.com."), extra);
    let emitted = run_test_case(&world, ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["RNAME_RFC822_VALID"]);
    assert_eq!(
        emitted.arg("RNAME_RFC822_VALID", "rname"),
        ["hostmaster@mail.example.com"]
    );
}

#[test]
fn syntax06_a_mail_server_at_localhost_is_not_usable() {
    let extra = lines(&[
        "example.com. MX 10 mail.example.com.",
        "mail.example.com. A 127.0.0.1",
        "mail.example.com. AAAA ::1",
    ]);
    let emitted = run_test_case(&good_world(extra), ZONE, "syntax06");
    assert_eq!(
        emitted.arg("RNAME_MAIL_DOMAIN_LOCALHOST", "localhost"),
        ["127.0.0.1", "::1"]
    );
    assert_eq!(
        emitted.arg("RNAME_MAIL_DOMAIN_LOCALHOST", "domain"),
        ["mail.example.com", "mail.example.com"]
    );
    assert_eq!(
        emitted.arg("RNAME_MAIL_DOMAIN_INVALID", "domain"),
        ["mail.example.com"]
    );
    assert!(!emitted.has("RNAME_RFC822_VALID"));
    assert_eq!(
        emitted.level_of("RNAME_MAIL_DOMAIN_LOCALHOST"),
        Some(Level::Debug)
    );
}

#[test]
fn syntax06_a_mail_server_behind_a_cname_is_illegal() {
    let extra = lines(&[
        "example.com. MX 10 mail.example.com.",
        "mail.example.com. CNAME www.example.com.",
        "www.example.com. A 192.0.2.80",
    ]);
    let emitted = run_test_case(&good_world(extra), ZONE, "syntax06");
    assert_eq!(
        emitted.tags(),
        ["RNAME_MAIL_ILLEGAL_CNAME", "RNAME_MAIL_DOMAIN_INVALID"]
    );
    assert_eq!(
        emitted.arg("RNAME_MAIL_ILLEGAL_CNAME", "domain"),
        ["mail.example.com"]
    );
    assert_eq!(
        emitted.level_of("RNAME_MAIL_ILLEGAL_CNAME"),
        Some(Level::Debug)
    );
}

#[test]
fn syntax06_an_rname_that_is_no_mail_address() {
    let world = zone_world(soa(NS1.0, "hostmaster.com."), Vec::new());
    let emitted = run_test_case(&world, ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["RNAME_RFC822_INVALID"]);
    assert_eq!(
        emitted.arg("RNAME_RFC822_INVALID", "rname"),
        ["hostmaster@com"]
    );
    assert_eq!(
        emitted.level_of("RNAME_RFC822_INVALID"),
        Some(Level::Warning)
    );
}

#[test]
fn syntax06_a_mail_domain_that_does_not_exist() {
    let world = zone_world(soa(NS1.0, "hostmaster.nowhere.example.com."), Vec::new());
    let emitted = run_test_case(&world, ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["RNAME_MAIL_DOMAIN_INVALID"]);
    assert_eq!(
        emitted.arg("RNAME_MAIL_DOMAIN_INVALID", "domain"),
        ["nowhere.example.com"]
    );
}

#[test]
fn syntax06_silent_servers_and_missing_soa() {
    let world = World::with_delegation(ZONE, &[NS1, ("ns2.example.com.", "2001:db8::2")])
        .add(ZONE, &["example.com. A 192.0.2.80"])
        .behave("2001:db8::2", Behaviour::Silent);
    let emitted = run_test_case(&world, ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["NO_RESPONSE", "RNAME_RFC822_VALID"]);
    let silent = emitted.args_of("NO_RESPONSE");
    assert_eq!(silent[0]["ns"], "ns2.example.com/2001:db8::2");
    assert_eq!(silent[0]["domain"], "example.com");

    let world =
        good_world(Vec::new()).behave(NS1.1, Behaviour::Drops(hickory_proto::rr::RecordType::SOA));
    let emitted = run_test_case(&world, ZONE, "syntax06");
    assert_eq!(emitted.tags(), ["NO_RESPONSE_SOA_QUERY"]);
}
