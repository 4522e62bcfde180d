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

fn tags_of(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    json.as_array()
        .expect("an array of messages")
        .iter()
        .map(|message| message["tag"].as_str().expect("a tag").to_owned())
        .collect()
}

#[test]
fn a_good_zone_passes_basic_and_prints_json_messages() {
    let output = in_fixture(|| zmctl_check(&["good.test", "--json", "--level", "DEBUG"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &json[0];
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
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let soa = json
        .as_array()
        .unwrap()
        .iter()
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
