//! `zmctl check` end to end: the binary inside the fixture world.

use std::process::{Command, Output};

use crate::netns::{fixture_world, in_world};

fn zmctl_check(args: &[&str]) -> Output {
    let hints = fixture_world().join("hints.zone");
    Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .arg("check")
        .args(args)
        .args(["--hints", &hints.display().to_string()])
        .output()
        .expect("zmctl runs")
}

fn in_fixture<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    in_world(&fixture_world(), None, &[], move || async move { body() })
}

/// The `results` of `--json` output.
fn results_of(output: &Output) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    json["results"]
        .as_array()
        .expect("an array of messages")
        .clone()
}

fn tags_of(output: &Output) -> Vec<String> {
    results_of(output)
        .iter()
        .map(|message| message["tag"].as_str().expect("a tag").to_owned())
        .collect()
}

#[test]
fn a_good_zone_passes_basic_and_prints_json_messages() {
    let output = in_fixture(|| zmctl_check(&["good.test", "--json", "--level", "DEBUG"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Issue 8, point 3: the output says how much of the testing ran.
    // Basic01, Basic02, Address01, Address02, the four Connectivity, the
    // six Consistency, the seven Delegation, the fourteen Nameserver, the
    // eight Syntax and the eleven Zone test cases.
    // 54 plus DNSSEC07 and DNSSEC11: good.test is not signed, so
    // DS07_NOT_SIGNED stops the DNSSEC module there.
    assert_eq!(json["testcases"]["ran"], 56, "{json}");
    assert_eq!(json["testcases"]["enabled"], 73, "{json}");
    let first = &json["results"][0];
    for key in ["timestamp", "level", "module", "testcase", "tag", "args"] {
        assert!(first.get(key).is_some(), "message lacks {key}: {first}");
    }
    let tags = tags_of(&output);
    for expected in [
        "START_TIME",
        "B01_CHILD_FOUND",
        "B01_PARENT_FOUND",
        "B02_AUTH_RESPONSE_SOA",
        "HAS_NAMESERVER_NO_WWW_A_TEST",
        "ONE_SOA_SERIAL",
        "ONE_SOA_RNAME",
        "ONE_SOA_TIME_PARAMETER_SET",
        "ONE_NS_SET",
        "ADDRESSES_MATCH",
        "ONE_SOA_MNAME",
        "Z01_MNAME_IS_MASTER",
        "ONE_SOA",
        "Z09_MX_DATA",
    ] {
        assert!(
            tags.iter().any(|t| t == expected),
            "{expected} missing from {tags:?}"
        );
    }
    assert!(!tags.iter().any(|t| t == "CANNOT_CONTINUE"));
}

#[test]
fn a_lame_zone_cannot_continue_and_fail_level_exits_3() {
    let output =
        in_fixture(|| zmctl_check(&["lame.test", "--json-stream", "--fail-level", "ERROR"]));
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let tags: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["tag"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for expected in [
        "B02_NO_WORKING_NS",
        "B02_UNEXPECTED_RCODE",
        "CANNOT_CONTINUE",
    ] {
        assert!(
            tags.iter().any(|t| t == expected),
            "{expected} missing from {tags:?}"
        );
    }
}

#[test]
fn a_dead_zone_reports_no_response_in_human_output() {
    let profile = fixture_world()
        .join("../profile-fast.json")
        .display()
        .to_string();
    let output =
        in_fixture(move || zmctl_check(&["silent.test", "--test", "basic", "--profile", &profile]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("CRITICAL") && text.contains("Basic02"),
        "{text}"
    );
    assert!(text.contains("ns.silent.test/127.53.4.1"), "{text}");
    assert!(
        text.contains("3 of the 73 test cases the profile enables ran."),
        "{text}"
    );
}

/// Issue 8 (4/13), point 1: with no network, "the zone does not exist"
/// would be a lie; the run failed and says why.
#[test]
fn no_network_is_a_failed_run_not_a_verdict() {
    let hints = fixture_world().join("hints.zone");
    // A namespace of its own with nothing in it: no route anywhere.
    let output = Command::new("unshare")
        .args(["--net", env!("CARGO_BIN_EXE_zmctl"), "check", "good.test"])
        .args(["--hints", &hints.display().to_string()])
        .output()
        .expect("unshare runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no name server answered: is the network up? are --hints right?"),
        "{stderr}"
    );
    assert!(stderr.contains("127.53.0.1"), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "no verdict is printed: {output:?}"
    );
}

/// Issue 8, point 1, undelegated: none of the given servers answered.
#[test]
fn undelegated_servers_that_never_answer_fail_the_run() {
    let profile = fixture_world()
        .join("../profile-fast.json")
        .display()
        .to_string();
    let output = in_fixture(move || {
        zmctl_check(&[
            "good.test",
            "--ns",
            "ns9.good.test/127.53.99.9",
            "--profile",
            &profile,
        ])
    });
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("are the --ns addresses right? (asked 127.53.99.9)"),
        "{stderr}"
    );
}

/// An undelegated test: the parent's servers hand out the supplied
/// delegation (spec §1.7 fake answers), so names inside the zone resolve
/// through the supplied server. undel.test is delegated by nobody: asked
/// of the real `test.` servers, its mail domain would not exist.
#[test]
fn names_inside_an_undelegated_zone_resolve_through_the_supplied_servers() {
    let output = in_fixture(|| {
        zmctl_check(&[
            "undel.test",
            "--ns",
            "ns1.undel.test/127.53.56.1",
            "--test",
            "syntax/syntax06",
            "--json",
            "--level",
            "DEBUG",
        ])
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let tags = tags_of(&output);
    assert!(tags.contains(&"RNAME_RFC822_VALID".to_owned()), "{tags:?}");
    assert!(
        !tags.contains(&"RNAME_MAIL_DOMAIN_INVALID".to_owned()),
        "{tags:?}"
    );
    let valid = results_of(&output)
        .into_iter()
        .find(|message| message["tag"] == "RNAME_RFC822_VALID")
        .unwrap();
    assert_eq!(valid["args"]["rname"], "hostmaster@undel.test");
}

/// `--now` sets the time the run is judged at (START_TIME shows it), a
/// replay defaults to when the recording was made, and a bad time is bad
/// input.
#[test]
fn the_run_is_judged_at_now_or_at_the_recording_time() {
    let start_time = |output: &Output| -> u64 {
        let results = results_of(output);
        let start = results
            .iter()
            .find(|m| m["tag"] == "START_TIME")
            .expect("START_TIME is emitted");
        start["args"]["time_t"]
            .as_str()
            .and_then(|text| text.parse().ok())
            .or_else(|| start["args"]["time_t"].as_u64())
            .expect("time_t is a number")
    };
    let directory = tempfile::tempdir().unwrap();
    let saved = directory.path().join("good.jsonl");
    let saved_text = saved.display().to_string();
    let live = in_fixture(move || {
        zmctl_check(&[
            "good.test",
            "--json",
            "--level",
            "DEBUG",
            "--save",
            &saved_text,
        ])
    });
    assert_eq!(live.status.code(), Some(0), "{live:?}");

    let fixed = zmctl_check(&[
        "good.test",
        "--json",
        "--level",
        "DEBUG",
        "--restore",
        &saved.display().to_string(),
        "--now",
        "2020-01-02T03:04:05Z",
    ]);
    assert_eq!(start_time(&fixed), 1_577_934_245, "{fixed:?}");

    let recorded = std::fs::read_to_string(&saved).unwrap();
    let latest = recorded
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|entry| entry["outcome"]["received_at"].as_f64())
        .fold(0.0_f64, f64::max);
    assert!(latest > 0.0, "the recording holds arrival times");
    let replayed = zmctl_check(&[
        "good.test",
        "--json",
        "--level",
        "DEBUG",
        "--restore",
        &saved.display().to_string(),
    ]);
    assert_eq!(start_time(&replayed), latest as u64, "{replayed:?}");

    let bad = zmctl_check(&["good.test", "--now", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--now: `yesterday` is not an RFC 3339 time")
    );
}

/// Issue 8, point 2: a recording that lacks answers is no verdict.
#[test]
fn replay_misses_are_counted_and_exit_1() {
    let directory = tempfile::tempdir().unwrap();
    let saved = directory.path().join("good.jsonl");
    let saved_text = saved.display().to_string();
    let live = in_fixture(move || zmctl_check(&["good.test", "--json", "--save", &saved_text]));
    assert_eq!(live.status.code(), Some(0), "{live:?}");
    let restore = saved.display().to_string();
    let other = zmctl_check(&["glueless.test", "--restore", &restore]);
    assert_eq!(other.status.code(), Some(1), "{other:?}");
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert!(
        stderr.contains("the recording had no answer to") && stderr.contains("glueless.test"),
        "{stderr}"
    );
}

/// Issue 8, point 5: RFC 2317 names are zones like any other.
#[test]
fn a_classless_reverse_zone_is_tested() {
    let output = in_fixture(|| zmctl_check(&["0/25.rev.test", "--json", "--level", "INFO"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let found = results
        .iter()
        .find(|m| m["tag"] == "B01_CHILD_FOUND")
        .expect("the zone is found");
    assert_eq!(found["args"]["domain"], "0/25.rev.test");
    assert!(results.iter().any(|m| m["tag"] == "B02_AUTH_RESPONSE_SOA"));
}

/// A Nameserver fixture: zone label, ns2's address byte, the tag and its
/// arguments (`{zone}` and `{n}` filled in).
type FixtureCase = (
    &'static str,
    u8,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Module Nameserver end to end: each fixture zone has a good ns1
/// (shared, refusing AXFR) and one ns2 misbehaving one way (`zm-testns`
/// directives, `tests/fixtures/world/main.cfg`); `--test nameserver` finds
/// exactly that server with exactly its arguments.
#[test]
fn nameserver_finds_each_misbehaving_server() {
    const NS2: &str = "ns2.{zone}/127.53.{n}.2";
    // (zone, ns2's address byte, tag, arguments; `{zone}` and `{n}` filled in)
    let cases: &[FixtureCase] = &[
        ("recursor", 31, "IS_A_RECURSOR", &[("ns", NS2)]),
        ("noedns", 32, "NO_EDNS_SUPPORT", &[("ns", NS2)]),
        (
            "breaksedns",
            33,
            "BREAKS_ON_EDNS",
            &[("ns", NS2), ("domain", "{zone}")],
        ),
        (
            "noopt",
            34,
            "EDNS_RESPONSE_WITHOUT_EDNS",
            &[("ns", NS2), ("domain", "{zone}")],
        ),
        (
            "edns1",
            35,
            "N10_EDNS_RESPONSE_ERROR",
            &[("ns_ip_list", "127.53.35.2;fd53::35:2")],
        ),
        (
            "echo",
            36,
            "N11_RETURNS_UNKNOWN_OPTION_CODE",
            &[("ns_ip_list", "127.53.36.2;fd53::36:2")],
        ),
        ("zflags", 37, "Z_FLAGS_NOTCLEAR", &[("ns", NS2)]),
        ("truncated", 38, "MISSING_OPT_IN_TRUNCATED", &[("ns", NS2)]),
        (
            "source",
            39,
            "DIFFERENT_SOURCE_IP",
            &[("ns", NS2), ("source", "127.53.39.3")],
        ),
        ("noaaaa", 40, "AAAA_QUERY_DROPPED", &[("ns", NS2)]),
        ("upward", 41, "UPWARD_REFERRAL", &[("ns", NS2)]),
        ("lowcase", 42, "QNAME_CASE_INSENSITIVE", &[("ns", NS2)]),
        (
            "version",
            43,
            "N15_SOFTWARE_VERSION",
            &[
                ("string", "9.9.9-fixture"),
                ("query_name", "version.bind"),
                ("ns_list", "ns2.{zone}/127.53.{n}.2;ns2.{zone}/fd53::{n}:2"),
            ],
        ),
        (
            "unresolved",
            44,
            "CAN_NOT_BE_RESOLVED",
            &[("nsname_list", "ns3.nowhere.test")],
        ),
    ];
    let profile = fixture_world()
        .join("../profile-fast.json")
        .display()
        .to_string();
    let zones: Vec<String> = cases
        .iter()
        .map(|case| format!("{}.test", case.0))
        .collect();
    let outputs = in_fixture(move || {
        let runs: Vec<_> = zones
            .into_iter()
            .map(|zone| {
                let profile = profile.clone();
                std::thread::spawn(move || {
                    zmctl_check(&[
                        &zone,
                        "--test",
                        "nameserver",
                        "--json",
                        "--level",
                        "DEBUG",
                        "--profile",
                        &profile,
                    ])
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("zmctl ran"))
            .collect::<Vec<_>>()
    });
    for ((zone, n, tag, args), output) in cases.iter().zip(outputs) {
        assert!(output.status.success(), "{zone}: {output:?}");
        let zone = format!("{zone}.test");
        let fill = |text: &str| text.replace("{zone}", &zone).replace("{n}", &n.to_string());
        let results = results_of(&output);
        let found: Vec<&serde_json::Value> = results
            .iter()
            .filter(|m| m["tag"] == *tag)
            .map(|m| &m["args"])
            .collect();
        // ns2 over IPv4 as expected (IPv6 too where it has an address);
        // the good ns1 never.
        let is_expected = |found: &&serde_json::Value| {
            args.iter()
                .all(|(name, value)| found[name] == fill(value).as_str())
        };
        assert!(
            found.iter().any(is_expected),
            "{zone}: {tag} {args:?} not in {found:?} ({:?})",
            tags_of(&output)
        );
        assert!(
            found.iter().all(|args| !args.to_string().contains("ns1.")),
            "{zone}: {found:?}"
        );
        // ns1 refuses transfers, every ns2 allows them.
        let transfers = |tag: &str| -> Vec<String> {
            results
                .iter()
                .filter(|m| m["tag"] == tag)
                .map(|m| m["args"]["ns"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert!(
            transfers("AXFR_FAILURE").contains(&format!("ns1.{zone}/127.53.30.1")),
            "{zone}"
        );
        assert!(
            transfers("AXFR_AVAILABLE").contains(&fill(NS2)),
            "{zone}: {:?}",
            transfers("AXFR_AVAILABLE")
        );
        let ran = results
            .iter()
            .filter(|m| m["tag"] == "TEST_CASE_END")
            .count();
        assert_eq!(ran, 14, "{zone}: NAMESERVER01-13 and 15 ran");
    }
}

/// Module Syntax end to end: a good zone passes every check; a name with
/// a `/` fails SYNTAX01, which stops the module after SYNTAX03.
#[test]
fn syntax_judges_names_and_stops_on_an_illegal_zone_name() {
    let output =
        in_fixture(|| zmctl_check(&["good.test", "--json", "--level", "INFO", "--test", "syntax"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let found = |tag: &str| -> Vec<serde_json::Value> {
        results
            .iter()
            .filter(|m| m["tag"] == tag)
            .map(|m| m["args"].clone())
            .collect()
    };
    assert_eq!(found("ONLY_ALLOWED_CHARS")[0]["domain"], "good.test");
    let servers: Vec<&str> = results
        .iter()
        .filter(|m| m["tag"] == "NAMESERVER_SYNTAX_OK")
        .map(|m| m["args"]["domain"].as_str().unwrap())
        .collect();
    assert_eq!(servers, ["ns1.good.test", "ns2.good.test"]);
    assert_eq!(
        found("RNAME_NO_AT_SIGN")[0]["rname"],
        "hostmaster.good.test"
    );
    assert_eq!(
        found("RNAME_RFC822_VALID")[0]["rname"],
        "hostmaster@good.test"
    );
    assert_eq!(found("MNAME_SYNTAX_OK")[0]["domain"], "ns1.good.test");
    assert_eq!(found("MX_SYNTAX_OK")[0]["domain"], "mail.good.test");
    assert!(results.iter().all(|m| m["level"] == "INFO"), "{results:?}");

    let output = in_fixture(|| {
        zmctl_check(&[
            "0/25.rev.test",
            "--json",
            "--level",
            "DEBUG",
            "--test",
            "syntax",
        ])
    });
    let results = results_of(&output);
    let cases: Vec<&str> = results
        .iter()
        .filter(|m| m["tag"] == "TEST_CASE_START")
        .map(|m| m["args"]["testcase"].as_str().unwrap())
        .collect();
    assert_eq!(cases, ["Syntax01", "Syntax02", "Syntax03"]);
    let illegal = results
        .iter()
        .find(|m| m["tag"] == "NON_ALLOWED_CHARS")
        .expect("a / is not allowed");
    assert_eq!(illegal["args"]["domain"], "0/25.rev.test");
    assert_eq!(illegal["level"], "ERROR");
}

/// Module Address end to end: the fixture world's loopback addresses are
/// for local use only and have no reverse DNS, so ADDRESS03 is skipped;
/// asked for alone, it finds no PTR either.
#[test]
fn address_finds_loopback_servers_without_reverse_dns() {
    let output = in_fixture(|| {
        zmctl_check(&[
            "good.test",
            "--json",
            "--level",
            "DEBUG",
            "--test",
            "address",
        ])
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let cases: Vec<&str> = results
        .iter()
        .filter(|m| m["tag"] == "TEST_CASE_START")
        .map(|m| m["args"]["testcase"].as_str().unwrap())
        .collect();
    assert_eq!(cases, ["Address01", "Address02"]);
    let local = results
        .iter()
        .find(|m| m["tag"] == "A01_LOCAL_USE_ADDR")
        .expect("loopback is local use");
    assert_eq!(
        local["args"]["ns_list"],
        "ns1.good.test/127.53.2.1;ns1.good.test/fd53::2:1;ns2.good.test/127.53.2.2;ns2.good.test/fd53::2:2"
    );
    assert_eq!(local["level"], "ERROR");
    assert!(
        results
            .iter()
            .any(|m| m["tag"] == "A01_NO_GLOBALLY_REACHABLE_ADDR")
    );
    let without: Vec<&str> = results
        .iter()
        .filter(|m| m["tag"] == "NAMESERVER_IP_WITHOUT_REVERSE")
        .map(|m| m["args"]["ns_ip"].as_str().unwrap())
        .collect();
    assert_eq!(without.len(), 4, "{results:?}");
    assert!(
        !results
            .iter()
            .any(|m| m["tag"] == "NAMESERVERS_IP_WITH_REVERSE")
    );

    let output =
        in_fixture(|| zmctl_check(&["good.test", "--json", "--test", "address/address03"]));
    let tags = tags_of(&output);
    let without = tags
        .iter()
        .filter(|t| *t == "NAMESERVER_IP_WITHOUT_REVERSE");
    assert_eq!(without.count(), 4, "{tags:?}");
    assert!(
        !tags.iter().any(|t| t == "NAMESERVER_IP_PTR_MATCH"),
        "{tags:?}"
    );
}

/// The `args` of each message tagged `tag`.
fn args_of(results: &[serde_json::Value], tag: &str) -> Vec<serde_json::Value> {
    results
        .iter()
        .filter(|m| m["tag"] == tag)
        .map(|m| m["args"].clone())
        .collect()
}

/// Module Zone end to end: a good zone passes every test case; a zone
/// with a finding in each reports them with their arguments; a null MX
/// beside another MX and a policy that is not SPF syntax are warned
/// about.
#[test]
fn zone_judges_the_zone_data() {
    let output = in_fixture(|| {
        zmctl_check(&[
            "zonegood.test",
            "--json",
            "--level",
            "DEBUG",
            "--test",
            "zone",
        ])
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let cases: Vec<&str> = results
        .iter()
        .filter(|m| m["tag"] == "TEST_CASE_START")
        .map(|m| m["args"]["testcase"].as_str().unwrap())
        .collect();
    let all: Vec<String> = (1..=11).map(|n| format!("Zone{n:02}")).collect();
    assert_eq!(cases, all);
    for tag in [
        "Z01_MNAME_IS_MASTER",
        "REFRESH_MINIMUM_VALUE_OK",
        "REFRESH_HIGHER_THAN_RETRY",
        "RETRY_MINIMUM_VALUE_OK",
        "EXPIRE_MINIMUM_VALUE_OK",
        "SOA_DEFAULT_TTL_MAXIMUM_VALUE_OK",
        "MNAME_IS_NOT_CNAME",
        "MX_RECORD_IS_NOT_CNAME",
        "Z09_MX_DATA",
        "ONE_SOA",
        "Z11_SPF_SYNTAX_OK",
    ] {
        assert_eq!(
            args_of(&results, tag).len().min(1),
            1,
            "{tag} missing: {results:?}"
        );
    }
    let worst_findings: Vec<&serde_json::Value> = results
        .iter()
        .filter(|m| !matches!(m["level"].as_str(), Some("DEBUG" | "INFO")))
        .collect();
    assert!(worst_findings.is_empty(), "{worst_findings:?}");
    assert_eq!(
        args_of(&results, "Z01_MNAME_IS_MASTER")[0]["ns_list"],
        "ns1.zonegood.test/127.53.20.1;ns1.zonegood.test/fd53::20:1"
    );
    assert_eq!(
        args_of(&results, "Z09_MX_DATA")[0]["ns_ip_list"],
        "127.53.20.1;127.53.20.2;fd53::20:1;fd53::20:2"
    );

    let output = in_fixture(|| {
        zmctl_check(&[
            "zonebad.test",
            "--json",
            "--level",
            "INFO",
            "--test",
            "zone",
        ])
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let level_of = |tag: &str| {
        results
            .iter()
            .find(|m| m["tag"] == tag)
            .map(|m| m["level"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{tag} missing: {results:?}"))
    };
    assert_eq!(
        args_of(&results, "Z01_MNAME_NOT_RESOLVE")[0]["nsname"],
        "ghost.zonebad.test"
    );
    assert_eq!(level_of("Z01_MNAME_NOT_IN_NS_LIST"), "INFO");
    assert_eq!(
        args_of(&results, "REFRESH_MINIMUM_VALUE_LOWER")[0]["refresh"],
        3600
    );
    assert_eq!(level_of("REFRESH_LOWER_THAN_RETRY"), "INFO");
    assert_eq!(
        args_of(&results, "EXPIRE_MINIMUM_VALUE_LOWER")[0]["expire"],
        1800
    );
    assert_eq!(level_of("EXPIRE_LOWER_THAN_REFRESH"), "WARNING");
    let lower = &args_of(&results, "EXPIRE_LOWER_THAN_REFRESH")[0];
    assert_eq!(
        (&lower["expire"], &lower["refresh"]),
        (&1800.into(), &3600.into())
    );
    assert_eq!(
        args_of(&results, "SOA_DEFAULT_TTL_MAXIMUM_VALUE_LOWER")[0]["minimum"],
        60
    );
    assert_eq!(
        args_of(&results, "MNAME_HAS_NO_ADDRESS")[0]["mname"],
        "ghost.zonebad.test"
    );
    assert_eq!(level_of("MX_RECORD_IS_CNAME"), "ERROR");
    assert_eq!(level_of("Z09_INCONSISTENT_MX_DATA"), "WARNING");
    let data: Vec<(String, String)> = args_of(&results, "Z09_MX_DATA")
        .iter()
        .map(|args| {
            (
                args["mailtarget_list"].as_str().unwrap().to_owned(),
                args["ns_ip_list"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        data,
        [
            (
                "mailalias.zonebad.test".to_owned(),
                "127.53.21.1;fd53::21:1".to_owned()
            ),
            (
                "backup.zonebad.test;mailalias.zonebad.test".to_owned(),
                "127.53.21.2;fd53::21:2".to_owned()
            ),
        ]
    );
    let multiple: Vec<String> = args_of(&results, "MULTIPLE_SOA")
        .iter()
        .map(|args| format!("{} {}", args["ns"].as_str().unwrap(), args["count"]))
        .collect();
    assert_eq!(
        multiple,
        [
            "ns2.zonebad.test/127.53.21.2 2",
            "ns2.zonebad.test/fd53::21:2 2"
        ]
    );
    assert!(!results.iter().any(|m| m["tag"] == "ONE_SOA"));
    assert_eq!(level_of("Z11_INCONSISTENT_SPF_POLICIES"), "WARNING");
    let mut policies: Vec<String> = args_of(&results, "Z11_DIFFERENT_SPF_POLICIES_FOUND")
        .iter()
        .map(|args| args["ns_list"].as_str().unwrap().to_owned())
        .collect();
    policies.sort();
    assert_eq!(
        policies,
        [
            "ns1.zonebad.test/127.53.21.1;ns1.zonebad.test/fd53::21:1",
            "ns2.zonebad.test/127.53.21.2;ns2.zonebad.test/fd53::21:2"
        ]
    );

    let output = in_fixture(|| {
        zmctl_check(&[
            "zonenull.test",
            "--json",
            "--level",
            "INFO",
            "--test",
            "zone",
        ])
    });
    let results = results_of(&output);
    let tags: Vec<&str> = results.iter().map(|m| m["tag"].as_str().unwrap()).collect();
    assert!(tags.contains(&"Z09_NULL_MX_WITH_OTHER_MX"), "{tags:?}");
    assert!(!tags.contains(&"Z09_MX_DATA"), "{tags:?}");
    let error = &args_of(&results, "Z11_SPF_SYNTAX_ERROR")[0];
    assert_eq!(error["domain"], "zonenull.test");
    assert_eq!(
        error["ns_list"],
        "ns1.zonenull.test/127.53.22.1;ns1.zonenull.test/fd53::22:1"
    );
}

/// `zmctl check ZONE --test TEST --json --level INFO` in the fixture
/// world with quick timings: its messages.
fn check_messages(zone: &str, test: &str) -> Vec<serde_json::Value> {
    let profile = fixture_world()
        .join("../profile-fast.json")
        .display()
        .to_string();
    let hints = fixture_world().join("hints.zone").display().to_string();
    let (zone, test) = (zone.to_owned(), test.to_owned());
    // The zone comes last, after `--`: `-s--bad-.test` is no option.
    let output = in_fixture(move || {
        Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .args(["check", "--json", "--level", "INFO", "--profile", &profile])
            .args(["--hints", &hints, "--test", &test, "--", &zone])
            .output()
            .expect("zmctl runs")
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    results_of(&output)
}

/// (level, args) of every message tagged `tag`.
fn found(results: &[serde_json::Value], tag: &str) -> Vec<(String, serde_json::Value)> {
    results
        .iter()
        .filter(|m| m["tag"] == tag)
        .map(|m| (m["level"].as_str().unwrap().to_owned(), m["args"].clone()))
        .collect()
}

/// Module Zone end to end, the MX and SPF warnings: zonemx.test's ns2
/// has no MX, ns3 drops MX queries, ns4 answers them SERVFAIL, ns5
/// without AA; every server has two SPF policies. zmtld. is a TLD with
/// mail whose server drops TXT.
#[test]
fn zone_warns_about_each_server_that_fails_the_mx_query_and_about_spf() {
    let results = check_messages("zonemx.test", "zone");
    let warning = |tag: &str, args: serde_json::Value| {
        assert_eq!(
            found(&results, tag),
            [("WARNING".to_owned(), args)],
            "{tag}: {results:?}"
        );
    };
    warning(
        "Z09_NO_RESPONSE_MX_QUERY",
        serde_json::json!({"ns_ip_list": "127.53.51.3"}),
    );
    warning(
        "Z09_UNEXPECTED_RCODE_MX",
        serde_json::json!({"ns_ip_list": "127.53.51.4", "rcode": "SERVFAIL"}),
    );
    warning(
        "Z09_NON_AUTH_MX_RESPONSE",
        serde_json::json!({"ns_ip_list": "127.53.51.5"}),
    );
    warning("Z09_INCONSISTENT_MX", serde_json::json!({}));
    assert_eq!(
        found(&results, "Z09_NO_MX_FOUND")[0].1["ns_ip_list"],
        "127.53.51.2"
    );
    assert_eq!(
        found(&results, "Z09_MX_FOUND")[0].1["ns_ip_list"],
        "127.53.51.1"
    );
    let all: Vec<String> = (1..=5)
        .map(|n| format!("ns{n}.zonemx.test/127.53.51.{n}"))
        .collect();
    warning(
        "Z11_SPF_MULTIPLE_RECORDS",
        serde_json::json!({"ns_list": all.join(";")}),
    );
    assert!(found(&results, "Z11_INCONSISTENT_SPF_POLICIES").is_empty());

    let results = check_messages("zmtld", "zone");
    for tag in ["Z09_TLD_EMAIL_DOMAIN", "Z11_UNABLE_TO_CHECK_FOR_SPF"] {
        assert_eq!(
            found(&results, tag),
            [("WARNING".to_owned(), serde_json::json!({}))],
            "{tag}: {results:?}"
        );
    }
    assert!(found(&results, "Z09_MX_DATA").is_empty(), "{results:?}");
}

/// Module Syntax end to end, the bad names: syntaxbad.test's NS names,
/// MNAME, RNAME and MX names each break a rule; -s--bad-.test's own
/// name breaks the hyphen rules.
#[test]
fn syntax_reports_each_bad_name_with_its_arguments() {
    let results = check_messages("syntaxbad.test", "syntax");
    let only = |tag: &str, level: &str, args: serde_json::Value| {
        assert_eq!(
            found(&results, tag),
            [(level.to_owned(), args)],
            "{tag}: {results:?}"
        );
    };
    only(
        "NAMESERVER_NON_ALLOWED_CHARS",
        "ERROR",
        serde_json::json!({"domain": "ns_3.syntaxbad.test"}),
    );
    only(
        "NAMESERVER_DISCOURAGED_DOUBLE_DASH",
        "WARNING",
        serde_json::json!({"domain": "ns--2.syntaxbad.test", "label": "ns--2"}),
    );
    only(
        "NAMESERVER_NUMERIC_TLD",
        "ERROR",
        serde_json::json!({"domain": "ns.example.123", "tld": "123"}),
    );
    only(
        "RNAME_MISUSED_AT_SIGN",
        "WARNING",
        serde_json::json!({"rname": "host@master.syntaxbad.test"}),
    );
    only(
        "RNAME_RFC822_INVALID",
        "WARNING",
        serde_json::json!({"rname": "host@master@syntaxbad.test"}),
    );
    let mname = "ma--_x.example.123";
    only(
        "MNAME_NON_ALLOWED_CHARS",
        "WARNING",
        serde_json::json!({"domain": mname}),
    );
    only(
        "MNAME_DISCOURAGED_DOUBLE_DASH",
        "WARNING",
        serde_json::json!({"domain": mname, "label": "ma--_x"}),
    );
    only(
        "MNAME_NUMERIC_TLD",
        "WARNING",
        serde_json::json!({"domain": mname, "tld": "123"}),
    );
    only(
        "MX_NON_ALLOWED_CHARS",
        "WARNING",
        serde_json::json!({"domain": "mx_1.syntaxbad.test"}),
    );
    only(
        "MX_DISCOURAGED_DOUBLE_DASH",
        "WARNING",
        serde_json::json!({"domain": "mx--2.syntaxbad.test", "label": "mx--2"}),
    );
    only(
        "MX_NUMERIC_TLD",
        "WARNING",
        serde_json::json!({"domain": "mail.example.123", "tld": "123"}),
    );
    only(
        "NAMESERVER_SYNTAX_OK",
        "INFO",
        serde_json::json!({"domain": "ns1.syntaxbad.test"}),
    );

    let results = check_messages("-s--bad-.test", "syntax");
    let label = serde_json::json!({"domain": "-s--bad-.test", "label": "-s--bad-"});
    for (tag, level) in [
        ("INITIAL_HYPHEN", "ERROR"),
        ("TERMINAL_HYPHEN", "ERROR"),
        ("DISCOURAGED_DOUBLE_DASH", "WARNING"),
    ] {
        assert_eq!(
            found(&results, tag),
            [(level.to_owned(), label.clone())],
            "{tag}: {results:?}"
        );
    }
    assert_eq!(
        found(&results, "ONLY_ALLOWED_CHARS")[0].1["domain"],
        "-s--bad-.test"
    );
}

/// Module Address end to end, the special-purpose addresses and a
/// reverse zone whose server is silent; and a zone with no name server
/// at all.
#[test]
fn address_reports_special_purpose_addresses_and_silent_reverse_zones() {
    let results = check_messages("addrbad.test", "address");
    let error = |tag: &str, args: serde_json::Value| {
        assert_eq!(
            found(&results, tag),
            [("ERROR".to_owned(), args)],
            "{tag}: {results:?}"
        );
    };
    error(
        "A01_DOCUMENTATION_ADDR",
        serde_json::json!({"ns_list": "ns2.addrbad.test/192.0.2.53"}),
    );
    error(
        "A01_LOCAL_USE_ADDR",
        serde_json::json!({"ns_list": "ns1.addrbad.test/127.53.54.1;ns3.addrbad.test/100.64.0.53"}),
    );
    error(
        "A01_ADDR_NOT_GLOBALLY_REACHABLE",
        serde_json::json!({"ns_list": "ns4.addrbad.test/198.18.0.53"}),
    );
    error("A01_NO_GLOBALLY_REACHABLE_ADDR", serde_json::json!({}));
    let silent = (
        "WARNING".to_owned(),
        serde_json::json!({"domain": "1.54.53.127.in-addr.arpa"}),
    );
    assert_eq!(
        found(&results, "NO_RESPONSE_PTR_QUERY"),
        std::slice::from_ref(&silent)
    );
    let without: Vec<String> = found(&results, "NAMESERVER_IP_WITHOUT_REVERSE")
        .iter()
        .map(|(_, args)| format!("{} {}", args["nsname"], args["ns_ip"]))
        .collect();
    assert_eq!(
        without,
        [
            r#""ns2.addrbad.test" "192.0.2.53""#,
            r#""ns3.addrbad.test" "100.64.0.53""#,
            r#""ns4.addrbad.test" "198.18.0.53""#
        ]
    );

    let results = check_messages("addrbad.test", "address/address03");
    assert_eq!(found(&results, "NO_RESPONSE_PTR_QUERY"), [silent]);
    assert_eq!(found(&results, "NAMESERVER_IP_WITHOUT_REVERSE").len(), 3);

    // The passing side: addrgood.test's server has a PTR naming it, so
    // ADDRESS03 runs and matches (ADDRESS01 cannot pass on loopback).
    let results = check_messages("addrgood.test", "address");
    let tags: Vec<(&str, &str)> = results
        .iter()
        .filter(|m| m["testcase"] != "Address01" && m["module"] == "Address")
        .map(|m| (m["tag"].as_str().unwrap(), m["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        tags,
        [
            ("NAMESERVERS_IP_WITH_REVERSE", "INFO"),
            ("NAMESERVER_IP_PTR_MATCH", "INFO")
        ]
    );

    let results = check_messages("nosuch.test", "address");
    assert_eq!(
        found(&results, "A01_NO_NAME_SERVERS_FOUND"),
        [("CRITICAL".to_owned(), serde_json::json!({}))]
    );
    assert!(
        !results.iter().any(|m| m["testcase"] == "Address02"),
        "{results:?}"
    );
}

#[test]
fn undelegated_data_is_used() {
    let output = in_fixture(|| {
        zmctl_check(&[
            "good.test",
            "--json",
            "--level",
            "INFO",
            "--ns",
            "ns2.good.test/127.53.2.2",
            "--test",
            "basic/basic02",
        ])
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let soa = results_of(&output)
        .into_iter()
        .find(|m| m["tag"] == "B02_AUTH_RESPONSE_SOA")
        .expect("SOA found");
    assert_eq!(soa["args"]["ns_list"], "ns2.good.test/127.53.2.2");
}

#[test]
fn save_then_restore_gives_the_same_messages_without_network() {
    let directory = tempfile::tempdir().unwrap();
    let saved = directory.path().join("good.jsonl");
    let saved_text = saved.display().to_string();
    let live = in_fixture(move || zmctl_check(&["good.test", "--json", "--save", &saved_text]));
    assert_eq!(live.status.code(), Some(0), "{live:?}");
    // Outside any world: nothing answers, so only the recording can.
    let replayed = zmctl_check(&[
        "good.test",
        "--json",
        "--restore",
        &saved.display().to_string(),
    ]);
    assert_eq!(replayed.status.code(), Some(0), "{replayed:?}");
    assert_eq!(tags_of(&live), tags_of(&replayed));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let directory = tempfile::tempdir().unwrap();
    let bad_profile = directory.path().join("profile.json");
    std::fs::write(&bad_profile, r#"{"net": {"ipv5": true}}"#).unwrap();
    let bad_profile = bad_profile.display().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["a..b"], "REPEATED_DOTS"),
        (vec!["good.test", "--ns", "ns1..x/192.0.2.1"], "--ns"),
        (
            vec!["good.test", "--ns", "ns1.x/192.0.2.300"],
            "invalid IP address",
        ),
        (vec!["good.test", "--ds", "1,2,3"], "--ds"),
        (
            vec!["good.test", "--profile", "/nonexistent/profile.json"],
            "profile",
        ),
        (vec!["good.test", "--profile", &bad_profile], "ipv5"),
        (
            vec!["good.test", "--test", "nosuchmodule"],
            "unknown module",
        ),
        (vec!["good.test", "--test", "basic/basic09"], "basic09"),
        (vec!["good.test", "--level", "LOUD"], "--level"),
    ];
    for (args, expected) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .arg("check")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn list_tests_and_dump_profile_need_no_domain() {
    let list = Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args(["check", "--list-tests"])
        .output()
        .unwrap();
    assert!(list.status.success());
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("basic02") && text.contains("zone11"),
        "{text}"
    );
    let dump = Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args(["check", "--dump-profile"])
        .output()
        .unwrap();
    assert!(dump.status.success());
    let profile: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
    assert!(
        profile["test_levels"]["BASIC"]["B02_NO_DELEGATION"] == "CRITICAL",
        "{profile}"
    );
}

// Issue 14, item 6: zonemaster-cli's output flags, and --format.

/// `zmctl check good.test --test basic --level INFO` plus `args`, in the
/// fixture world.
fn basic_of_good(args: &[&str]) -> Output {
    let mut all = vec!["good.test", "--test", "basic", "--level", "INFO"];
    all.extend_from_slice(args);
    let all: Vec<String> = all.into_iter().map(str::to_owned).collect();
    in_fixture(move || {
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        zmctl_check(&all)
    })
}

fn stdout_of(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn raw_shows_tags_and_arguments_instead_of_texts() {
    let text = stdout_of(&basic_of_good(&["--raw", "--no-time"]));
    assert!(
        text.lines()
            .any(|line| line
                == "INFO     Basic        Basic01        B01_CHILD_FOUND domain=good.test"),
        "{text}"
    );
    assert!(!text.contains("Message"), "no header in raw mode: {text}");
    assert!(!text.contains("was found"), "no texts: {text}");

    let plain = stdout_of(&basic_of_good(&["--no-time"]));
    assert!(plain.starts_with("Level    Module       Testcase       Message\n"));
    assert!(!plain.contains("B01_CHILD_FOUND"), "{plain}");

    // In JSON, the texts are there unless --raw leaves them out.
    let json = basic_of_good(&["--json"]);
    let child = results_of(&json)
        .into_iter()
        .find(|m| m["tag"] == "B01_CHILD_FOUND")
        .unwrap();
    assert!(
        child["message"].as_str().unwrap().contains("good.test"),
        "{child}"
    );
    let raw = basic_of_good(&["--json", "--raw"]);
    assert!(results_of(&raw).iter().all(|m| m.get("message").is_none()));
    assert!(results_of(&raw).iter().all(|m| m.get("args").is_some()));
}

#[test]
fn json_translate_is_the_deprecated_spelling_of_no_raw() {
    let translated = basic_of_good(&["--json-stream", "--json-translate"]);
    assert!(
        String::from_utf8_lossy(&translated.stderr)
            .contains("--json-translate is deprecated, use --no-raw instead")
    );
    let first: serde_json::Value =
        serde_json::from_str(stdout_of(&translated).lines().next().unwrap()).unwrap();
    assert!(first.get("message").is_some(), "{first}");

    let untranslated = basic_of_good(&["--json-stream", "--no-json-translate"]);
    assert!(
        String::from_utf8_lossy(&untranslated.stderr)
            .contains("--no-json-translate is deprecated, use --raw instead")
    );
    let first: serde_json::Value =
        serde_json::from_str(stdout_of(&untranslated).lines().next().unwrap()).unwrap();
    assert!(first.get("message").is_none(), "{first}");
    // An explicit --no-raw wins over it, as in zonemaster-cli.
    let both = basic_of_good(&["--json", "--no-json-translate", "--no-raw"]);
    assert!(results_of(&both).iter().all(|m| m.get("message").is_some()));

    let text_only = basic_of_good(&["--json-translate"]);
    assert!(
        String::from_utf8_lossy(&text_only.stderr)
            .contains("--json-translate has no effect without --json or --json-stream")
    );
}

#[test]
fn show_flags_choose_the_columns_and_the_last_one_wins() {
    let text = stdout_of(&basic_of_good(&[
        "--no-show-level",
        "--no-show-module",
        "--no-show-testcase",
        "--no-time",
        "--show-tag",
    ]));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Tag                          Message"));
    assert!(
        text.lines()
            .any(|line| line.starts_with("B01_CHILD_FOUND              ")
                && line.contains("good.test")),
        "{text}"
    );
    assert!(
        !text.contains("Basic01") && !text.contains("INFO "),
        "{text}"
    );

    let back = stdout_of(&basic_of_good(&[
        "--no-show-module",
        "--show-module",
        "--show-tag",
        "--no-show-tag",
    ]));
    assert!(
        back.starts_with(" Seconds Level    Module       Testcase       Message\n"),
        "{back}"
    );

    let json = basic_of_good(&["--json", "--no-show-module", "--no-time", "--no-show-level"]);
    for message in results_of(&json) {
        for gone in ["module", "timestamp", "level"] {
            assert!(message.get(gone).is_none(), "{gone} in {message}");
        }
        assert!(message.get("testcase").is_some() && message.get("tag").is_some());
    }
}

/// zonemaster-cli's --stop-level: the lame zone's CRITICAL ends the run
/// in Basic, before the framework says it cannot continue.
#[test]
fn stop_level_ends_the_run_at_the_first_message_that_reaches_it() {
    let output = in_fixture(|| {
        zmctl_check(&[
            "lame.test",
            "--json",
            "--stop-level",
            "ERROR",
            "--fail-level",
            "ERROR",
        ])
    });
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let tags = tags_of(&output);
    assert!(tags.iter().any(|t| t == "B02_NO_WORKING_NS"), "{tags:?}");
    assert!(!tags.iter().any(|t| t == "CANNOT_CONTINUE"), "{tags:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("zmctl: stopped early: "), "{stderr}");
    assert!(stderr.contains("reached --stop-level ERROR"), "{stderr}");

    // GLOBAL_VERSION (INFO) comes before any test case: none runs.
    let text = stdout_of(&basic_of_good(&["--stop-level", "info", "--raw"]));
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains(" GLOBAL_VERSION version="),
        "{text}"
    );
    assert!(
        text.contains("0 of the 73 test cases the profile enables ran."),
        "{text}"
    );
    assert!(!text.contains("Basic01"), "{text}");

    let bad = zmctl_check(&["good.test", "--stop-level", "LOUD"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--stop-level: unknown level `LOUD`"));
}

#[test]
fn queries_can_be_sent_from_a_given_source_address() {
    let output = basic_of_good(&["--sourceaddr4", "127.0.0.1", "--json", "--no-ipv6"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(tags_of(&output).iter().any(|t| t == "B01_CHILD_FOUND"));

    // TEST-NET-1 is no address of this host: one clear error, no run.
    let elsewhere = basic_of_good(&["--sourceaddr4", "192.0.2.1"]);
    assert_eq!(elsewhere.status.code(), Some(2), "{elsewhere:?}");
    let stderr = String::from_utf8_lossy(&elsewhere.stderr);
    assert!(
        stderr
            .contains("--sourceaddr4: cannot send from 192.0.2.1 (is it an address of this host?)"),
        "{stderr}"
    );
    assert!(elsewhere.stdout.is_empty());

    let wrong_family = zmctl_check(&["good.test", "--sourceaddr4", "::1"]);
    assert_eq!(wrong_family.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong_family.stderr).contains("--sourceaddr4"));

    let dump = Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args(["check", "--dump-profile", "--sourceaddr4", "127.0.0.1"])
        .args(["--sourceaddr6", "::1"])
        .output()
        .unwrap();
    let profile: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
    assert_eq!(profile["resolver"]["source4"], "127.0.0.1");
    assert_eq!(profile["resolver"]["source6"], "::1");
}

#[test]
fn ipv4_and_ipv6_are_booleans_that_override_the_profile() {
    let directory = tempfile::tempdir().unwrap();
    let no_ipv6 = directory.path().join("no-ipv6.json");
    std::fs::write(&no_ipv6, r#"{"net": {"ipv6": false}}"#).unwrap();
    let no_ipv6 = no_ipv6.display().to_string();
    let net = |args: &[&str]| {
        let dump = Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .args(["check", "--dump-profile"])
            .args(args)
            .output()
            .unwrap();
        assert!(dump.status.success(), "{dump:?}");
        let profile: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
        (
            profile["net"]["ipv4"].clone(),
            profile["net"]["ipv6"].clone(),
        )
    };
    let (yes, no) = (serde_json::json!(true), serde_json::json!(false));
    assert_eq!(net(&[]), (yes.clone(), yes.clone()));
    assert_eq!(net(&["--no-ipv4"]), (no.clone(), yes.clone()));
    assert_eq!(net(&["--no-ipv4", "--ipv4"]), (yes.clone(), yes.clone()));
    assert_eq!(net(&["--profile", &no_ipv6]), (yes.clone(), no.clone()));
    assert_eq!(net(&["--profile", &no_ipv6, "--ipv6"]), (yes.clone(), yes));
    assert_eq!(net(&["--ipv6", "--no-ipv6"]).1, no);
}

/// Exit with the spinner's text on a terminal, or not.
fn on_a_terminal(args: &str) -> String {
    let hints = fixture_world().join("hints.zone");
    let command = format!(
        "{} check good.test --test basic --hints {} {args}",
        env!("CARGO_BIN_EXE_zmctl"),
        hints.display()
    );
    let output = in_fixture(move || {
        Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
            .expect("script runs")
    });
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn progress_shows_on_a_terminal_unless_no_progress() {
    assert!(on_a_terminal("").contains("test cases done"));
    assert!(!on_a_terminal("--no-progress").contains("test cases done"));
    // JSON hides it by default; --progress brings it back.
    assert!(!on_a_terminal("--json").contains("test cases done"));
    assert!(on_a_terminal("--json --progress").contains("test cases done"));
}

/// Every element opened is closed, in order (void elements aside): the
/// page parses as the tree it claims to be.
fn assert_balanced(html: &str) {
    const VOID: &[&str] = &["meta", "br", "!DOCTYPE"];
    let mut open: Vec<String> = Vec::new();
    for piece in html.split('<').skip(1) {
        let tag = piece.split('>').next().unwrap();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        if VOID.contains(&name.as_str()) || name.starts_with('!') {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(open.pop().as_deref(), Some(name.as_str()), "</{name}>");
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "never closed: {open:?}");
}

#[test]
fn format_html_writes_one_self_contained_page() {
    let output = in_fixture(|| zmctl_check(&["good.test", "--format", "html", "--count"]));
    let page = stdout_of(&output);
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{page}"
    );
    assert!(page.ends_with("</html>\n"));
    assert_balanced(&page);
    for outside in [
        "<script", "<link", "<img", "href=", "src=", "url(", "@import",
    ] {
        assert!(!page.contains(outside), "{outside} in the page");
    }
    assert!(page.contains("<title>Zonemaster results for good.test</title>"));
    assert!(page.contains("<style>"));
    assert!(page.contains("56 of the 73 test cases the profile enables ran."));
    // Grouped by module, then test case, with a count per level on top.
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("<ul class=\"summary\">") < at("<h2>Address</h2>"));
    assert!(at("<h2>Address</h2>") < at("<h3>Address01</h3>"));
    assert!(at("<h3>Address01</h3>") < at("<h2>DNSSEC</h2>"));
    assert!(
        page.contains("<li><span class=\"level error\">ERROR</span> 3</li>"),
        "{page}"
    );
    assert!(page.contains("<code>NAMESERVER_IP_WITHOUT_REVERSE</code>"));
    // The --count lines went to stderr: stdout is the page alone.
    assert!(String::from_utf8_lossy(&output.stderr).contains("Level     Messages"));
}

#[test]
fn format_json_csv_and_markdown_export_the_shown_messages() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&basic_of_good(&["--format", "json"]))).unwrap();
    assert_eq!(json["domain"], "good.test");
    assert_eq!(json["testcases"]["ran"], 2);
    assert_eq!(json["params"]["ipv4"], true);
    assert!(
        json["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["tag"] == "B01_CHILD_FOUND")
    );
    assert!(json["summary"]["INFO"].as_u64().unwrap() >= 4);

    let csv = stdout_of(&basic_of_good(&["--format", "csv"]));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("module,testcase,level,tag,args,message"));
    assert!(
        csv.contains("Basic,Basic01,INFO,B01_CHILD_FOUND,\"{\"\"domain\"\":\"\"good.test\"\"}\","),
        "{csv}"
    );
    assert!(
        !csv.contains("test cases the profile enables"),
        "one document: {csv}"
    );

    let markdown = stdout_of(&basic_of_good(&["--format", "markdown"]));
    assert!(markdown.starts_with("# Zonemaster results for good.test\n"));
    assert!(markdown.contains("\n## Basic\n\n### Basic01\n\n| Level | Message | Tag |\n"));
    assert!(markdown.contains("`B01_CHILD_FOUND`"));

    let text = stdout_of(&basic_of_good(&["--format", "text", "--no-time"]));
    assert_eq!(text, stdout_of(&basic_of_good(&["--no-time"])));

    for bad in [vec!["--format", "pdf"], vec!["--format", "csv", "--json"]] {
        let mut args = vec!["good.test"];
        args.extend(bad.iter().copied());
        let output = zmctl_check(&args);
        assert_eq!(output.status.code(), Some(2), "{bad:?}: {output:?}");
    }
}
