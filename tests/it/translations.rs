//! Issue 17 (13/13): a full test of a world zone read back through the API
//! in every language the reference offers, each answering in its own words.

use serde_json::Value;
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, start_agent, start_rpcapi, zmctl};
use crate::dbs;
use crate::netns::{fixture_world, in_world};

/// The languages of `LANGUAGE.locale` below, English first.
const LANGUAGES: &[&str] = &["en", "da", "es", "fi", "fr", "nb", "sv"];

fn json_of(output: &std::process::Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {output:?}"))
}

/// The `message` of every result entry, in order.
fn messages(results: &Value) -> Vec<String> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn results_of_a_full_test_read_in_every_language() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(
        &scratch,
        true,
        "[LANGUAGE]\nlocale = da_DK en_US es_ES fi_FI fr_FR nb_NO sv_SE\n",
    );
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let (api, url) = start_rpcapi(&path);
        let agent = start_agent(&path, &[]);
        let started = zmctl(
            &url,
            &[
                "start-test",
                "good.test",
                "--wait",
                "--json",
                "--poll",
                "0.1",
            ],
        );
        let english = json_of(&started);
        let id = english["hash_id"].as_str().unwrap().to_owned();

        let english_messages = messages(&english);
        assert!(english_messages.len() > 50, "{english}");
        let english_descriptions = english["testcase_descriptions"].clone();
        for language in &LANGUAGES[1..] {
            let output = zmctl(&url, &["results", &id, "--lang", language, "--json"]);
            // No "shown in English" notice: the texts are the language's own.
            assert!(
                !String::from_utf8_lossy(&output.stderr).contains("English"),
                "{language}: {output:?}"
            );
            let results = json_of(&output);
            let translated = messages(&results);
            assert_eq!(translated.len(), english_messages.len(), "{language}");
            let untranslated: Vec<&String> = translated
                .iter()
                .zip(&english_messages)
                .filter(|(theirs, ours)| theirs == ours)
                .map(|(theirs, _)| theirs)
                .collect();
            assert!(
                untranslated.is_empty(),
                "{language}: English texts: {untranslated:?}"
            );
            let descriptions = results["testcase_descriptions"].as_object().unwrap();
            for (testcase, description) in descriptions {
                // Identifiers that are no test case are their own description.
                if testcase.is_empty() || testcase == "Unspecified" {
                    continue;
                }
                assert_ne!(
                    description, &english_descriptions[testcase],
                    "{language}: {testcase}"
                );
            }
        }
        // The French text names a name server the French way.
        let french = json_of(&zmctl(&url, &["results", &id, "--lang", "fr", "--json"]));
        assert!(
            messages(&french)
                .iter()
                .any(|text| text.contains("serveur de noms")),
            "{french}"
        );
        let swedish = json_of(&zmctl(&url, &["results", &id, "--lang", "sv", "--json"]));
        assert!(
            messages(&swedish)
                .iter()
                .any(|text| text.contains("namnserver")),
            "{swedish}"
        );
        assert!(agent.stop_with(nix::sys::signal::Signal::SIGTERM).success());
        assert!(api.stop_with(nix::sys::signal::Signal::SIGTERM).success());
        drop(scratch);
    });
}
