//! The reference suite's real-internet cases, replayed: each case of
//! `shared/conformance/recorded/expectations/` whose module is implemented
//! runs through the replay transport (never the network) with the
//! recorded profile fragments, and its tags are checked.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;
use zonemaster::dns::{Replayer, load_zonemaster_data, load_zonemaster_recording};
use zonemaster::engine::check::{CheckRequest, run_check};
use zonemaster::engine::hints::RootHints;
use zonemaster::engine::module::Module;
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::profile::{CustomProfile, Profile};
use zonemaster::engine::runner::Selection;
use zonemaster::engine::testcases::{find_test_case, test_cases_of};
use zonemaster::engine::undelegated::FakeDelegation;

use crate::fixtures::strings;
use crate::netns::conformance_dir;

/// Modules whose every test case is implemented.
fn is_implemented(module: Module) -> bool {
    test_cases_of(module).any(|case| case.is_implemented())
}

fn profile_of(recorded: &Path, case: &Value) -> Profile {
    let mut profile = Profile::default();
    for file in case["profile"]["merged_files"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let source = file["source"].as_str().unwrap();
        // The reference suite merges its default profile over what it has
        // built so far: every property back to its default.
        if source == "default" {
            profile = Profile::default();
            continue;
        }
        let path = recorded.join("profiles").join(source);
        let text = std::fs::read_to_string(&path).unwrap();
        profile.merge(CustomProfile::from_json(&text).unwrap());
    }
    if let Some(settings) = case["profile"]["set"].as_object() {
        for (property, value) in settings {
            // The reference writes booleans as 0/1 here.
            let value = match value.as_u64() {
                Some(number) if property.starts_with("net.") => Value::Bool(number != 0),
                _ => value.clone(),
            };
            profile.set(property, value).unwrap();
        }
    }
    profile
}

fn selection_of(case: &Value) -> Option<Selection> {
    let run = &case["run"];
    let module: Module = match run["module"].as_str() {
        Some(module) => module.parse().ok()?,
        None => find_test_case(&run["test_case"].as_str()?.to_ascii_lowercase())?.module,
    };
    if !is_implemented(module) {
        return None;
    }
    match run["via"].as_str()? {
        "test_module" | "module_all" => Some(Selection::Module(module)),
        "test_method" | "direct" => {
            let id = run["test_case"].as_str()?.to_ascii_lowercase();
            find_test_case(&id)
                .filter(|case| case.is_implemented())
                .map(|_| Selection::TestCase(id))
        }
        _ => None,
    }
}

/// Every case of an implemented module with the real root, delegated or
/// undelegated (see [`fake_of`]): the recording's stem, the case, what it
/// runs.
fn replayable_cases(recorded: &Path) -> Vec<(String, Value, Selection)> {
    let mut files: Vec<_> = std::fs::read_dir(recorded.join("expectations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let stem = document["data_file"]
            .as_str()
            .unwrap()
            .trim_end_matches(".data")
            .to_owned();
        cases.extend(
            document["cases"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|case| case["root_hints"].is_null() && fake_of(case).is_ok())
                .filter_map(|case| {
                    selection_of(case).map(|selection| (stem.clone(), case.clone(), selection))
                }),
        );
    }
    cases
}

/// The recording of `stem` through its index.
fn indexed(recorded: &Path, stem: &str) -> Arc<Replayer> {
    let (replayer, _) = load_zonemaster_recording(
        &recorded.join("data").join(format!("{stem}.data")),
        &recorded.join("index").join(format!("{stem}.index.jsonl")),
    )
    .unwrap();
    Arc::new(replayer)
}

/// Runs `case` over `replayer`; the tags emitted, in order.
fn replay_case(
    runtime: &tokio::runtime::Runtime,
    recorded: &Path,
    case: &Value,
    selection: &Selection,
    replayer: &Arc<Replayer>,
) -> Vec<String> {
    let request = CheckRequest {
        zone: parse_domain(case["zone"].as_str().unwrap()).unwrap(),
        selections: vec![selection.clone()],
        profile: Arc::new(profile_of(recorded, case)),
        hints: RootHints::builtin(),
        fake: fake_of(case).expect("only cases with usable undelegated data are replayed"),
        transport: Arc::clone(replayer) as Arc<dyn zonemaster::dns::Transport>,
        now: SystemTime::now(),
        fixed_clock: false,
    };
    let result = runtime.block_on(run_check(request, &|_| {}));
    result
        .messages
        .iter()
        .map(|m| m.tag.name.to_owned())
        .collect()
}

/// The undelegated data of a case: `Ok(None)` for a normal test, the
/// supplied NS set of the zone under test for an undelegated one, and
/// `Err` for data about another zone (Test-zone01-A delegates its parent
/// `xa` afresh), which our engine does not take.
fn fake_of(case: &Value) -> Result<Option<FakeDelegation>, String> {
    let Some(zones) = case["undelegated"].as_object() else {
        return Ok(None);
    };
    let zone = case["zone"].as_str().unwrap().trim_end_matches('.');
    let mut fake = FakeDelegation::default();
    for (name, data) in zones {
        if !name.trim_end_matches('.').eq_ignore_ascii_case(zone) {
            return Err(format!("undelegated data for {name}, not {zone}"));
        }
        for (ns, addresses) in data["ns"].as_object().into_iter().flatten() {
            let ns = parse_domain(ns).map_err(|error| error.to_string())?;
            fake.add_ns(ns.clone(), None);
            for address in addresses.as_array().into_iter().flatten() {
                let address = address.as_str().unwrap().parse().unwrap();
                fake.add_ns(ns.clone(), Some(address));
            }
        }
    }
    Ok(Some(fake))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Tags only a zone transfer can produce: the reference's transfers
/// bypass its query cache, so a `.data` recording never holds them and a
/// replay cannot show them (a replayed transfer is a miss, which reads as a
/// failed transfer). Everything else such a case expects is checked.
const NOT_IN_RECORDINGS: &[&str] = &["AXFR_AVAILABLE"];

/// Recordings whose expectations we do not meet yet, and why. A listed
/// case that starts to pass fails the test until it is taken off.
const KNOWN_GAPS: &[(&str, &str)] = &[];

#[test]
fn recorded_cases_of_implemented_modules_pass_in_replay() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: recorded expectations skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let runtime = runtime();
    let mut ran = 0;
    let mut gaps = 0;
    let mut failures = Vec::new();
    let mut fixed_gaps = Vec::new();
    for (stem, case, selection) in replayable_cases(&recorded) {
        let replayer = indexed(&recorded, &stem);
        let tags = replay_case(&runtime, &recorded, &case, &selection, &replayer);
        let emitted: BTreeSet<&str> = tags.iter().map(String::as_str).collect();
        let mut problems: Vec<String> = Vec::new();
        let expected = strings(&case["expect"]);
        let (unverifiable, expected): (Vec<String>, Vec<String>) = expected
            .into_iter()
            .partition(|t| NOT_IN_RECORDINGS.contains(&t.as_str()));
        problems.extend(
            expected
                .into_iter()
                .filter(|t| !emitted.contains(t.as_str()))
                .map(|t| format!("missing {t}")),
        );
        problems.extend(
            strings(&case["forbid"])
                .into_iter()
                .filter(|t| emitted.contains(t.as_str()))
                .map(|t| format!("forbidden {t}")),
        );
        for group in case["expect_any_of"].as_array().into_iter().flatten() {
            if !strings(group).iter().any(|t| emitted.contains(t.as_str())) {
                problems.push(format!("none of {group}"));
            }
        }
        if !unverifiable.is_empty() {
            eprintln!(
                "note {stem} {}: {} not checked (recordings hold no zone transfers)",
                case["zone"],
                unverifiable.join(", ")
            );
        }
        let misses = replayer.misses().len();
        ran += 1;
        let label = format!("{stem} {} lines {}", case["zone"], case["lines"]);
        let gap = KNOWN_GAPS.iter().find(|(known, _)| *known == stem.as_str());
        if problems.is_empty() {
            eprintln!("pass {label} ({misses} replay misses)");
            if gap.is_some() {
                fixed_gaps.push(label);
            }
        } else if let Some((_, why)) = gap {
            eprintln!(
                "known gap {label}: {} ({misses} replay misses): {why}",
                problems.join(", ")
            );
            if std::env::var_os("ZM_SHOW_MISSES").is_some() {
                for (server, query) in replayer.misses() {
                    eprintln!(
                        "  missed {} {:?} {} to {server}",
                        query.name,
                        query.rtype,
                        query.describe_flags()
                    );
                }
            }
            gaps += 1;
        } else {
            eprintln!(
                "FAIL {label}: {} ({misses} replay misses)",
                problems.join(", ")
            );
            let shown = if std::env::var_os("ZM_SHOW_MISSES").is_some() {
                misses
            } else {
                5
            };
            for (server, query) in replayer.misses().iter().take(shown) {
                eprintln!(
                    "  missed {} {:?} {} {} to {server}",
                    query.name,
                    query.rtype,
                    query.class,
                    query.describe_flags()
                );
            }
            failures.push(label);
        }
    }
    eprintln!(
        "recorded expectations: {}/{ran} cases pass, {gaps} known gaps",
        ran - failures.len() - gaps
    );
    assert!(
        fixed_gaps.is_empty(),
        "these cases pass now: take them off KNOWN_GAPS: {fixed_gaps:?}"
    );
    assert!(
        ran > 0,
        "no recorded case of an implemented module was found"
    );
    assert!(failures.is_empty(), "recorded cases failing: {failures:?}");
}

/// Replaying a `.data` recording by its query keys, without the index,
/// gives every case the same messages and the same misses as through
/// the index.
#[test]
fn recorded_cases_replay_the_same_without_their_index() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: replay without index skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let runtime = runtime();
    let mut compared = 0;
    for (stem, case, selection) in replayable_cases(&recorded) {
        let label = format!("{stem} {} lines {}", case["zone"], case["lines"]);
        let through_index = indexed(&recorded, &stem);
        let (by_key, _) =
            load_zonemaster_data(&recorded.join("data").join(format!("{stem}.data"))).unwrap();
        let by_key = Arc::new(by_key);
        let mut expected = replay_case(&runtime, &recorded, &case, &selection, &through_index);
        let mut tags = replay_case(&runtime, &recorded, &case, &selection, &by_key);
        expected.sort();
        tags.sort();
        assert_eq!(tags, expected, "{label}: tags by key vs through the index");
        assert_eq!(
            by_key.misses().len(),
            through_index.misses().len(),
            "{label}: misses by key vs through the index"
        );
        compared += 1;
    }
    eprintln!("replay without index: {compared} recorded cases give the same tags and misses");
    assert!(compared > 0);
}
