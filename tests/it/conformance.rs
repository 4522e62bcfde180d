//! The conformance suite with a ratchet.
//!
//! Every non-skipped scenario of every implemented test case in
//! `shared/conformance/expectations/` runs in the conformance world (one
//! zm-testns in a private network namespace, fresh engine state per
//! scenario, scenarios in parallel). The scoreboard is written to
//! `tests/conformance/scoreboard.txt`; a scenario listed there as passing
//! that fails now fails this test, so conformance only ratchets up.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;
use zonemaster::dns::LiveTransport;
use zonemaster::engine::check::{CheckRequest, run_check};
use zonemaster::engine::hints::RootHints;
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::profile::Profile;
use zonemaster::engine::runner::Selection;
use zonemaster::engine::testcases::find_test_case;
use zonemaster::engine::undelegated::{DsData, FakeDelegation};

use crate::fixtures::{hints_of, strings};
use crate::netns::{conformance_dir, in_world};

/// One scenario to run.
#[derive(Clone)]
struct Scenario {
    test_case: String,
    name: String,
    zone: String,
    expect: Vec<String>,
    forbid: Vec<String>,
    is_todo: bool,
    hints: RootHints,
    fake: Option<FakeDelegation>,
}

/// How a scenario went.
struct Verdict {
    scenario: Scenario,
    problems: Vec<String>,
}

fn scoreboard_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/scoreboard.txt")
}

fn fake_of(scenario: &Value) -> Option<FakeDelegation> {
    let ns = scenario["undelegated_ns"].as_array();
    let ds = scenario["undelegated_ds"].as_array();
    if ns.is_none() && ds.is_none() {
        return None;
    }
    let mut fake = FakeDelegation::default();
    for entry in ns.into_iter().flatten() {
        let name = parse_domain(entry["ns"].as_str().unwrap()).unwrap();
        let address = entry["ip"].as_str().map(|ip| ip.parse::<IpAddr>().unwrap());
        fake.add_ns(name, address);
    }
    for entry in ds.into_iter().flatten() {
        fake.ds.push(DsData {
            keytag: entry["keytag"].as_u64().unwrap(),
            algorithm: entry["algorithm"].as_u64().unwrap(),
            digtype: entry["digtype"].as_u64().unwrap(),
            digest: entry["digest"].as_str().unwrap().to_ascii_lowercase(),
        });
    }
    Some(fake)
}

/// Scenarios of the implemented test cases.
fn load_scenarios(conformance: &Path) -> Vec<Scenario> {
    let mut scenarios = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(conformance.join("expectations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let test_case = document["test_case"].as_str().unwrap().to_owned();
        if !find_test_case(&test_case).is_some_and(|case| case.is_implemented()) {
            continue;
        }
        let default_hints = hints_of(&document["root_hints"]);
        for scenario in document["scenarios"].as_array().unwrap() {
            if scenario["status"] == "not_testable" {
                continue;
            }
            scenarios.push(Scenario {
                test_case: test_case.clone(),
                name: scenario["name"].as_str().unwrap().to_owned(),
                zone: scenario["zone"].as_str().unwrap().to_owned(),
                expect: strings(&scenario["expect"]),
                forbid: strings(&scenario["forbid"]),
                is_todo: scenario["status"] == "todo",
                hints: if scenario["root_hints"].is_null() {
                    default_hints.clone()
                } else {
                    hints_of(&scenario["root_hints"])
                },
                fake: fake_of(scenario),
            });
        }
    }
    scenarios
}

/// The profile of one scenario: the default with only its test case
/// enabled, and shorter timeouts (the world is local).
fn profile_for(test_case: &str) -> Arc<Profile> {
    let json = format!(
        r#"{{"test_cases": ["{test_case}"], "resolver": {{"defaults": {{"timeout": 1, "retry": 2, "retrans": 1}}}}}}"#
    );
    Arc::new(Profile::from_json(&json).unwrap())
}

async fn run_scenario(scenario: Scenario) -> Verdict {
    let request = CheckRequest {
        zone: parse_domain(&scenario.zone).unwrap(),
        selections: vec![Selection::TestCase(scenario.test_case.clone())],
        profile: profile_for(&scenario.test_case),
        hints: scenario.hints.clone(),
        fake: scenario.fake.clone(),
        transport: Arc::new(LiveTransport::new()),
        now: SystemTime::now(),
        fixed_clock: false,
    };
    let result = run_check(request, &|_| {}).await;
    let emitted: BTreeSet<&str> = result.messages.iter().map(|m| m.tag.name).collect();
    let mut problems = Vec::new();
    for tag in &scenario.expect {
        if !emitted.contains(tag.as_str()) {
            problems.push(format!("missing {tag}"));
        }
    }
    for tag in &scenario.forbid {
        if emitted.contains(tag.as_str()) {
            problems.push(format!("forbidden {tag}"));
        }
    }
    if emitted.contains("MODULE_ERROR") {
        problems.push("MODULE_ERROR".to_owned());
    }
    Verdict { scenario, problems }
}

fn read_passing(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.strip_prefix("pass "))
        .map(str::to_owned)
        .collect()
}

fn write_scoreboard(path: &Path, verdicts: &[Verdict]) {
    let mut per_case: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut lines = Vec::new();
    for verdict in verdicts {
        let entry = per_case.entry(&verdict.scenario.test_case).or_default();
        entry.1 += 1;
        let key = format!("{}/{}", verdict.scenario.test_case, verdict.scenario.name);
        if verdict.problems.is_empty() {
            entry.0 += 1;
            lines.push(format!("pass {key}"));
        }
    }
    lines.sort();
    let mut text = String::from(
        "# Conformance scoreboard, written by `cargo test --test it conformance`.\n\
         # A scenario listed as `pass` must keep passing (the ratchet).\n",
    );
    for (case, (passed, total)) in &per_case {
        text.push_str(&format!("# {case}: {passed}/{total}\n"));
    }
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn conformance_scenarios_ratchet() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: the conformance suite is skipped");
        return;
    };
    let scenarios = load_scenarios(&conformance);
    assert!(
        !scenarios.is_empty(),
        "no scenario of an implemented test case found"
    );
    let zones = conformance.join("test-zone-data");
    let verdicts = in_world(&zones, None, &[], move || async move {
        futures::future::join_all(scenarios.into_iter().map(run_scenario)).await
    });
    let path = scoreboard_path();
    let previously_passing = read_passing(&path);
    let mut regressions = Vec::new();
    for verdict in &verdicts {
        let key = format!("{}/{}", verdict.scenario.test_case, verdict.scenario.name);
        let status = if verdict.problems.is_empty() {
            "pass"
        } else if verdict.scenario.is_todo {
            "todo"
        } else {
            "FAIL"
        };
        eprintln!("{status:<4} {key:<45} {}", verdict.problems.join(", "));
        if !verdict.problems.is_empty() && previously_passing.contains(&key) {
            regressions.push(key);
        }
    }
    write_scoreboard(&path, &verdicts);
    assert!(
        regressions.is_empty(),
        "scenarios that passed before now fail: {regressions:?}"
    );
}
