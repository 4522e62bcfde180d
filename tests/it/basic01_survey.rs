//! The BASIC01 child survey against every scenario of the conformance file
//! `expectations/basic01.json`, served by zm-testns inside a private
//! network namespace. The tags are derived here from the survey by a small
//! stand-in for the test case (spec §3.1), so the survey can be checked
//! before the message catalog exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use zonemaster::engine::methods::{ChildSurvey, MethodsV2};
use zonemaster::engine::recursor::Recursor;
use zonemaster::engine::{IpFamilies, RootHints};

use crate::fixtures::{hints, name, quick_client};
use crate::netns::{conformance_dir, in_world};

#[derive(Debug, Deserialize)]
struct ScenarioFile {
    all_tags: Vec<String>,
    root_hints: BTreeMap<String, Vec<String>>,
    scenarios: Vec<Scenario>,
}

#[derive(Clone, Debug, Deserialize)]
struct Scenario {
    name: String,
    zone: String,
    status: String,
    expect: Vec<String>,
    forbid: Vec<String>,
    forbid_others: bool,
    undelegated_ns: Option<serde_json::Value>,
    root_hints: Option<BTreeMap<String, Vec<String>>>,
}

/// How one scenario went.
#[derive(Debug)]
struct Outcome {
    name: String,
    status: String,
    /// `None` when the scenario was not run.
    tags: Option<BTreeSet<&'static str>>,
    missing: Vec<String>,
    forbidden: Vec<String>,
    details: Vec<String>,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.tags.is_some() && self.missing.is_empty() && self.forbidden.is_empty()
    }
}

/// The tags BASIC01 emits for a survey of a delegated, non-root zone.
fn basic01_tags(survey: &ChildSurvey) -> BTreeSet<&'static str> {
    let mut tags = BTreeSet::new();
    if !survey.server_zone_errors.is_empty() {
        tags.insert("B01_SERVER_ZONE_ERROR");
    }
    if survey.loop_protection.is_some() {
        return tags;
    }
    let parents = survey.parent_zones();
    if parents.is_empty() {
        tags.insert("B01_PARENT_NOT_FOUND");
    } else {
        tags.insert("B01_PARENT_FOUND");
    }
    if parents.len() > 1 {
        tags.insert("B01_PARENT_UNDETERMINED");
    }
    if survey.child_found() {
        tags.insert("B01_CHILD_FOUND");
        if !survey.inconsistent_zones().is_empty() {
            tags.insert("B01_INCONSISTENT_DELEGATION");
        }
    } else {
        tags.insert("B01_NO_CHILD");
    }
    let targets = survey.dname_targets();
    if !targets.is_empty() {
        tags.insert("B01_CHILD_IS_ALIAS");
    }
    if targets.len() > 1 {
        tags.insert("B01_INCONSISTENT_ALIAS");
    }
    tags
}

/// What the survey saw, one line each, for a failing scenario.
fn describe(survey: &ChildSurvey) -> Vec<String> {
    let mut lines: Vec<String> = survey
        .replies
        .iter()
        .map(|reply| {
            format!(
                "{} {}/{}: {:?}",
                reply.zone, reply.server.name, reply.server.address, reply.class
            )
        })
        .collect();
    lines.extend(survey.server_zone_errors.iter().map(|error| {
        format!(
            "zone error: {} {} {}/{}",
            error.query_name, error.rrtype, error.server.name, error.server.address
        )
    }));
    lines
}

/// The tags of one scenario: the root is the caller's special case, an
/// undelegated test is not walked (`None`).
async fn scenario_tags(
    scenario: &Scenario,
    hints: RootHints,
) -> Option<(BTreeSet<&'static str>, Vec<String>)> {
    if scenario.undelegated_ns.is_some() {
        return None;
    }
    let zone = name(&scenario.zone);
    if zone.is_root() {
        let tags = BTreeSet::from(["B01_CHILD_FOUND", "B01_ROOT_HAS_NO_PARENT"]);
        return Some((tags, Vec::new()));
    }
    let recursor = Arc::new(Recursor::new(quick_client(), hints, IpFamilies::default()));
    let methods = MethodsV2::new(recursor, zone, None);
    let survey = methods.survey_child().await;
    Some((basic01_tags(&survey), describe(&survey)))
}

async fn run_scenario(scenario: Scenario, hints: RootHints, all_tags: Vec<String>) -> Outcome {
    let mut outcome = Outcome {
        name: scenario.name.clone(),
        status: scenario.status.clone(),
        tags: None,
        missing: Vec::new(),
        forbidden: Vec::new(),
        details: Vec::new(),
    };
    let Some((tags, details)) = scenario_tags(&scenario, hints).await else {
        return outcome;
    };
    let mut forbid: BTreeSet<&str> = scenario.forbid.iter().map(String::as_str).collect();
    if scenario.forbid_others {
        let others = all_tags.iter().filter(|tag| !scenario.expect.contains(tag));
        forbid.extend(others.map(String::as_str));
    }
    outcome.missing = (scenario.expect.iter())
        .filter(|tag| !tags.contains(tag.as_str()))
        .cloned()
        .collect();
    outcome.forbidden = forbid
        .into_iter()
        .filter(|tag| tags.contains(tag))
        .map(str::to_owned)
        .collect();
    outcome.tags = Some(tags);
    outcome.details = details;
    outcome
}

/// Prints one line per scenario and the failures' details; returns how
/// many scenarios were run and how many of those passed.
fn report(outcomes: &[Outcome]) -> (usize, usize) {
    println!("{:<28} {:<10} {:<8} tags", "scenario", "status", "result");
    for outcome in outcomes {
        let Some(tags) = &outcome.tags else {
            println!(
                "{:<28} {:<10} skipped (undelegated)",
                outcome.name, outcome.status
            );
            continue;
        };
        let result = if outcome.passed() { "ok" } else { "FAIL" };
        let tags: Vec<&str> = tags.iter().copied().collect();
        println!(
            "{:<28} {:<10} {:<8} {}",
            outcome.name,
            outcome.status,
            result,
            tags.join(" ")
        );
        if !outcome.passed() {
            println!(
                "    missing: {:?}, forbidden: {:?}",
                outcome.missing, outcome.forbidden
            );
            for line in &outcome.details {
                println!("    {line}");
            }
        }
    }
    let run = outcomes.iter().filter(|outcome| outcome.tags.is_some());
    let passed = run.clone().filter(|outcome| outcome.passed()).count();
    let run = run.count();
    println!("basic01 survey: {passed}/{run} scenarios pass");
    (run, passed)
}

fn load(dir: &Path) -> ScenarioFile {
    let text = std::fs::read_to_string(dir.join("expectations/basic01.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_delegated_basic01_scenario_gets_its_tags() {
    let Some(dir) = conformance_dir() else {
        println!("conformance data not found: BASIC01 scenarios skipped");
        return;
    };
    let file = load(&dir);
    let default_hints = hints(&file.root_hints);
    let all_tags = file.all_tags;
    let scenarios: Vec<Scenario> = file
        .scenarios
        .into_iter()
        .filter(|scenario| scenario.status != "not_testable")
        .collect();
    in_world(&dir.join("test-zone-data"), None, &[], move || async move {
        let runs = scenarios.into_iter().map(|scenario| {
            let hints = scenario
                .root_hints
                .as_ref()
                .map_or_else(|| default_hints.clone(), hints);
            tokio::spawn(run_scenario(scenario, hints, all_tags.clone()))
        });
        let mut outcomes = Vec::new();
        for run in futures::future::join_all(runs).await {
            outcomes.push(run.unwrap());
        }
        let (run, _) = report(&outcomes);
        assert!(run > 0, "no BASIC01 scenario was run");
        let failed: Vec<&str> = outcomes
            .iter()
            .filter(|outcome| outcome.status == "testable" && outcome.tags.is_some())
            .filter(|outcome| !outcome.passed())
            .map(|outcome| outcome.name.as_str())
            .collect();
        assert!(
            failed.is_empty(),
            "testable BASIC01 scenarios failing: {failed:?}"
        );
    });
}
