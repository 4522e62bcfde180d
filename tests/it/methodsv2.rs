//! The MethodsV2 helpers against every scenario of the conformance file
//! `methods/methodsv2.json`, served by zm-testns inside a private network
//! namespace (the zones point at non-loopback addresses on purpose).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use zonemaster::engine::methods::{MethodsV2, NsAddress};
use zonemaster::engine::recursor::Recursor;
use zonemaster::engine::{FakeDelegation, IpFamilies, RootHints};

use crate::fixtures::{hints, name, quick_client};
use crate::netns::{conformance_dir, in_world};

/// Scenarios that must match fully on all three lists; raise it as the
/// helpers improve, never lower it.
const RATCHET: usize = 50;

#[derive(Debug, Deserialize)]
struct MethodsFile {
    root_hints: std::collections::BTreeMap<String, Vec<String>>,
    scenarios: Vec<Scenario>,
}

#[derive(Clone, Debug, Deserialize)]
struct Scenario {
    name: String,
    zone: String,
    status: String,
    parent_ns: Option<Vec<String>>,
    del_ns: Option<Vec<String>>,
    zone_ns: Option<Vec<String>>,
    undelegated_ns: Option<Vec<UndelegatedNs>>,
}

#[derive(Clone, Debug, Deserialize)]
struct UndelegatedNs {
    ns: String,
    ip: Option<String>,
}

/// A list as compared: `None` = undefined, else the set of entries.
type Listing = Option<BTreeSet<NsAddress>>;

/// What one scenario gave for the three helpers.
#[derive(Debug)]
struct Outcome {
    name: String,
    parent: (Listing, Listing),
    delegation: (Listing, Listing),
    zone: (Listing, Listing),
}

impl Outcome {
    fn helpers(&self) -> [(&'static str, &(Listing, Listing)); 3] {
        [
            ("parent_ns", &self.parent),
            ("del_ns", &self.delegation),
            ("zone_ns", &self.zone),
        ]
    }

    fn matches_fully(&self) -> bool {
        self.helpers()
            .iter()
            .all(|(_, (expected, got))| expected == got)
    }
}

fn expected(list: &Option<Vec<String>>) -> Listing {
    list.as_ref()
        .map(|entries| entries.iter().map(|entry| entry.parse().unwrap()).collect())
}

fn got(list: Option<&[NsAddress]>) -> Listing {
    list.map(|entries| entries.iter().cloned().collect())
}

fn fake_delegation(scenario: &Scenario) -> Option<FakeDelegation> {
    let supplied = scenario.undelegated_ns.as_ref()?;
    let mut fake = FakeDelegation::default();
    for ns in supplied {
        fake.add_ns(name(&ns.ns), ns.ip.as_ref().map(|ip| ip.parse().unwrap()));
    }
    Some(fake)
}

async fn run_scenario(scenario: Scenario, hints: RootHints) -> Outcome {
    let recursor = Arc::new(Recursor::new(quick_client(), hints, IpFamilies::default()));
    let fake = fake_delegation(&scenario);
    let methods = MethodsV2::new(recursor, name(&scenario.zone), fake);
    Outcome {
        parent: (
            expected(&scenario.parent_ns),
            got(methods.parent_ns().await.as_deref()),
        ),
        delegation: (expected(&scenario.del_ns), got(methods.del_ns().await)),
        zone: (expected(&scenario.zone_ns), got(methods.zone_ns().await)),
        name: scenario.name,
    }
}

fn render(listing: &Listing) -> String {
    match listing {
        None => "undefined".to_owned(),
        Some(set) => {
            let entries: Vec<String> = set.iter().map(ToString::to_string).collect();
            format!("[{}]", entries.join(", "))
        }
    }
}

/// Prints one line per scenario, the differences, and the totals; returns
/// the number of scenarios that match fully.
fn report(outcomes: &[Outcome]) -> usize {
    let mark =
        |(expected, got): &(Listing, Listing)| if expected == got { "ok" } else { "MISMATCH" };
    println!(
        "{:<28} {:<9} {:<9} {:<9}",
        "scenario", "parent_ns", "del_ns", "zone_ns"
    );
    for outcome in outcomes {
        println!(
            "{:<28} {:<9} {:<9} {:<9}",
            outcome.name,
            mark(&outcome.parent),
            mark(&outcome.delegation),
            mark(&outcome.zone)
        );
        for (helper, (expected, got)) in outcome.helpers() {
            if expected != got {
                println!(
                    "    {helper}: expected {}\n    {helper}:      got {}",
                    render(expected),
                    render(got)
                );
            }
        }
    }
    let total = outcomes.len();
    for (index, helper) in ["parent_ns", "del_ns", "zone_ns"].iter().enumerate() {
        let matched = outcomes
            .iter()
            .filter(|outcome| {
                let (expected, got) = outcome.helpers()[index].1;
                expected == got
            })
            .count();
        println!("{helper}: {matched}/{total} match");
    }
    let fully = outcomes
        .iter()
        .filter(|outcome| outcome.matches_fully())
        .count();
    println!("scenarios matching fully: {fully}/{total}");
    fully
}

fn load(dir: &Path) -> MethodsFile {
    let text = std::fs::read_to_string(dir.join("methods/methodsv2.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_methodsv2_scenario_gives_the_expected_lists() {
    let Some(dir) = conformance_dir() else {
        println!("conformance data not found: MethodsV2 scenarios skipped");
        return;
    };
    let file = load(&dir);
    let hints = hints(&file.root_hints);
    let scenarios: Vec<Scenario> = file
        .scenarios
        .into_iter()
        .filter(|scenario| scenario.status != "not_testable")
        .collect();
    in_world(&dir.join("test-zone-data"), None, &[], move || async move {
        let runs = scenarios
            .into_iter()
            .map(|scenario| tokio::spawn(run_scenario(scenario, hints.clone())));
        let mut outcomes = Vec::new();
        for run in futures::future::join_all(runs).await {
            outcomes.push(run.unwrap());
        }
        let fully = report(&outcomes);
        assert!(
            fully >= RATCHET,
            "only {fully} MethodsV2 scenarios match fully; the ratchet is {RATCHET}"
        );
    });
}
