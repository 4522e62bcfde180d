//! `zmctl check --restore` of a Zonemaster `.data` recording end to end:
//! through its index (found in the conformance tree's `../index/`, or
//! given) and by its query keys alone give the same verdict.

use std::path::Path;
use std::process::{Command, Output};

use crate::netns::conformance_dir;

/// A recorded case whose run `zmctl check` can repeat: recording stem,
/// zone, module, profile fragment, tags the reference expects.
struct Case {
    stem: &'static str,
    zone: &'static str,
    module: &'static str,
    profile: &'static str,
    expect: &'static [&'static str],
}

/// Cases of `recorded/expectations` with one profile fragment, the real
/// root and a real delegation.
const CASES: &[Case] = &[
    Case {
        stem: "Test-delegation",
        zone: "iis.se",
        module: "delegation",
        profile: "Test-delegation-all.json",
        expect: &["NAMES_MATCH"],
    },
    Case {
        stem: "Test-basic",
        zone: "nic.tf",
        module: "basic",
        profile: "Test-basic-all.json",
        expect: &["B02_AUTH_RESPONSE_SOA", "HAS_NAMESERVER_NO_WWW_A_TEST"],
    },
    Case {
        stem: "Test-address",
        zone: "nic.fr",
        module: "address",
        profile: "Test-address-all.json",
        expect: &[
            "NAMESERVER_IP_PTR_MISMATCH",
            "A01_GLOBALLY_REACHABLE_ADDR",
            "NAMESERVERS_IP_WITH_REVERSE",
        ],
    },
];

/// `zmctl check` replaying `data` (never the network: the replayer has
/// no socket), with `extra` arguments.
fn restore(recorded: &Path, case: &Case, data: &Path, extra: &[&str]) -> Output {
    let profile = recorded.join("profiles").join(case.profile);
    Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args(["check", case.zone, "--test", case.module, "--json"])
        .args(["--level", "DEBUG", "--profile"])
        .arg(&profile)
        .arg("--restore")
        .arg(data)
        .args(extra)
        .output()
        .expect("zmctl runs")
}

/// Sorted tags of `--json` output.
fn tags_of(output: &Output) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("JSON: {output:?}"));
    let mut tags: Vec<String> = json["results"]
        .as_array()
        .expect("an array of messages")
        .iter()
        .map(|message| message["tag"].as_str().expect("a tag").to_owned())
        .collect();
    tags.sort();
    tags
}

/// The replay-miss warning line (it gives their number), if any.
fn miss_warning(output: &Output) -> Option<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .find(|line| line.contains("the recording had no answer to"))
        .map(str::to_owned)
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_zonemaster_recording_replays_alike_with_and_without_its_index() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: zmctl --restore of .data skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let alone = tempfile::tempdir().unwrap();
    for case in CASES {
        let file = format!("{}.data", case.stem);
        let data = recorded.join("data").join(&file);
        let copy = alone.path().join(&file);
        std::fs::copy(&data, &copy).unwrap();
        let index = recorded
            .join("index")
            .join(format!("{}.index.jsonl", case.stem));

        let through_index = restore(&recorded, case, &data, &[]);
        assert!(
            stderr_of(&through_index).contains("through its index"),
            "{through_index:?}"
        );
        let by_key = restore(&recorded, case, &copy, &[]);
        assert!(
            stderr_of(&by_key).contains("by its query keys (no index found)"),
            "{by_key:?}"
        );
        let given_index = restore(
            &recorded,
            case,
            &copy,
            &["--restore-index", &index.display().to_string()],
        );
        assert!(
            stderr_of(&given_index).contains("through its index"),
            "{given_index:?}"
        );

        let expected = tags_of(&through_index);
        for tag in case.expect {
            assert!(
                expected.iter().any(|t| t == tag),
                "{}: {tag} missing",
                case.stem
            );
        }
        for other in [&by_key, &given_index] {
            assert_eq!(tags_of(other), expected, "{}", case.stem);
            assert_eq!(
                other.status.code(),
                through_index.status.code(),
                "{}",
                case.stem
            );
            assert_eq!(
                miss_warning(other),
                miss_warning(&through_index),
                "{}",
                case.stem
            );
        }
        eprintln!(
            "{} {}: {} messages alike by key and through the index (exit {:?}, {})",
            case.stem,
            case.zone,
            expected.len(),
            by_key.status.code(),
            miss_warning(&by_key).unwrap_or_else(|| "no replay misses".to_owned())
        );
    }
}

#[test]
fn a_file_in_neither_format_or_a_misplaced_index_is_bad_input() {
    let directory = tempfile::tempdir().unwrap();
    let neither = directory.path().join("Test-x.data");
    std::fs::write(&neither, "this is not a recording\n").unwrap();
    let ours = directory.path().join("ours.jsonl");
    std::fs::write(&ours, "").unwrap();
    let zmctl = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .arg("check")
            .args(args)
            .output()
            .expect("zmctl runs")
    };
    let path = |p: &Path| p.display().to_string();
    let bad = zmctl(&["example.com", "--restore", &path(&neither)]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(
        stderr_of(&bad).contains("Test-x.data:1: neither a zmctl recording"),
        "{bad:?}"
    );
    let misplaced = zmctl(&[
        "example.com",
        "--restore",
        &path(&ours),
        "--restore-index",
        &path(&neither),
    ]);
    assert_eq!(misplaced.status.code(), Some(2), "{misplaced:?}");
    assert!(
        stderr_of(&misplaced).contains("an index applies only to a Zonemaster .data recording"),
        "{misplaced:?}"
    );
    let alone = zmctl(&["example.com", "--restore-index", &path(&neither)]);
    assert_eq!(alone.status.code(), Some(2), "{alone:?}");
    assert!(stderr_of(&alone).contains("--restore"), "{alone:?}");
}
