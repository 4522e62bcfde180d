//! The whole backend end to end: `zm-rpcapi` and `zm-agent` as processes on
//! one database, `zmctl` as the client, the engine testing zones of the
//! fixture world, all inside a private network namespace. PostgreSQL is
//! reached through its Unix socket (the namespace has no route to the
//! host's 127.0.0.1).

use nix::sys::signal::Signal;
use serde_json::Value;
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, start_agent, start_rpcapi, zmctl};
use crate::dbs;
use crate::netns::{fixture_world, in_world};

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {output:?}"))
}

fn levels(results: &Value) -> Vec<String> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["level"].as_str().unwrap().to_owned())
        .collect()
}

/// `zmctl start-test ZONE --wait --json --fail-level ERROR`: checks the
/// exit code and returns the results.
fn test_to_the_end(url: &str, zone: &str, exit: i32) -> Value {
    let output = zmctl(
        url,
        &[
            "start-test",
            zone,
            "--wait",
            "--json",
            "--fail-level",
            "ERROR",
            "--poll",
            "0.1",
        ],
    );
    assert_eq!(output.status.code(), Some(exit), "{output:?}");
    json_of(&output)
}

/// Submits, waits and checks a good and a broken zone, then history.
fn good_and_broken_zones(engine: DbEngine) {
    let scratch = dbs::scratch(engine);
    let config = ConfigFile::new(&scratch, true, "");
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let (api, url) = start_rpcapi(&path);
        let agent = start_agent(&path, &[]);

        // The fixture world lives on loopback addresses without reverse
        // DNS, which ADDRESS01 reports at ERROR (exit 3) and ADDRESS02 at
        // WARNING; good.test is not signed (DNSSEC07's two WARNINGs) while
        // the parent has a DS for it (DNSSEC11's DS11_DS_BUT_UNSIGNED_ZONE,
        // ERROR); nothing else in good.test is wrong.
        let results = test_to_the_end(&url, "good.test", 3);
        let good_levels = levels(&results);
        assert!(!good_levels.is_empty(), "{results}");
        let entries = results["results"].as_array().unwrap();
        assert!(
            entries.iter().all(|entry| {
                let level = entry["level"].as_str().unwrap();
                let address = entry["module"] == "Address";
                let unsigned = entry["module"] == "DNSSEC";
                level == "INFO" || level == "NOTICE" || address || unsigned
            }),
            "{results}"
        );
        assert!(
            results["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|entry| entry["testcase"] == "Basic01"),
            "{results}"
        );
        assert_eq!(results["params"]["domain"], "good.test");
        let good_id = results["hash_id"].as_str().unwrap().to_owned();

        let results = test_to_the_end(&url, "lame.test", 3);
        assert!(
            results["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|entry| entry["testcase"] == "Basic02"
                    && (entry["level"] == "ERROR" || entry["level"] == "CRITICAL")),
            "{results}"
        );

        let progress = zmctl(&url, &["progress", &good_id]);
        assert_eq!(
            String::from_utf8_lossy(&progress.stdout).trim(),
            "100",
            "{progress:?}"
        );
        let table = zmctl(&url, &["results", &good_id]);
        assert_eq!(table.status.code(), Some(0), "{table:?}");
        let shown = String::from_utf8_lossy(&table.stdout);
        assert!(shown.contains("Basic01"), "{table:?}");
        assert!(shown.starts_with("State: completed; started "), "{table:?}");

        let history = zmctl(&url, &["history", "lame.test", "--json"]);
        let history = json_of(&history);
        assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
        assert_eq!(history[0]["overall_result"], "critical", "{history}");
        assert_eq!(history[0]["undelegated"], false);

        // The same request again inside the reuse window gets the same test.
        let again = zmctl(&url, &["start-test", "good.test"]);
        assert_eq!(
            String::from_utf8_lossy(&again.stdout).trim(),
            good_id,
            "{again:?}"
        );
        // A bad request is refused with the server's reason, exit 1.
        let bad = zmctl(&url, &["start-test", "bad..name"]);
        assert_eq!(bad.status.code(), Some(1), "{bad:?}");
        assert!(
            String::from_utf8_lossy(&bad.stderr).contains("Domain name has repeated dots."),
            "{bad:?}"
        );
        // Both daemons stop cleanly on SIGTERM.
        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
        drop(scratch);
    });
}

#[test]
fn sqlite_backend_tests_good_and_broken_zones() {
    good_and_broken_zones(DbEngine::Sqlite);
}

#[test]
fn postgresql_backend_tests_good_and_broken_zones() {
    good_and_broken_zones(DbEngine::Postgresql);
}

/// Issue 8 (4/13), points 5, 6, 8, 9 and 11: what `zmctl` says about a
/// test is what happened to it.
#[test]
fn zmctl_says_what_happened_to_a_test() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(&scratch, true, "[LANGUAGE]\nlocale = en_US sl_SI\n");
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let (api, url) = start_rpcapi(&path);

        // No agent yet: one notice, then the wait goes on until one runs it.
        let mut waiting = std::process::Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .args(["--server", &url, "start-test", "good.test", "--wait"])
            .args(["--poll", "0.1", "--unclaimed-notice", "0.3"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = waiting.stderr.take().unwrap();
        let (lines, received) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = lines.send(line);
            }
        });
        let notice = "no agent has picked this test up; is zm-agent running?";
        loop {
            let line = received
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the unclaimed notice comes");
            if line.contains(notice) {
                break;
            }
        }
        let agent = start_agent(&path, &[]);
        let status = waiting.wait().unwrap();
        assert_eq!(status.code(), Some(0));
        reader.join().unwrap();
        let later: Vec<String> = received.try_iter().collect();
        assert!(
            !later.iter().any(|line| line.contains(notice)),
            "said once: {later:?}"
        );

        // NAME/IP means what it means in `check --ns`.
        let results = json_of(&zmctl(
            &url,
            &[
                "start-test",
                "good.test",
                "--nameserver",
                "ns2.good.test/127.53.2.2",
                "--wait",
                "--json",
                "--poll",
                "0.1",
            ],
        ));
        assert_eq!(results["params"]["nameservers"][0]["ip"], "127.53.2.2");
        let asked_ns2 = results["results"].as_array().unwrap().iter().any(|entry| {
            entry["testcase"] == "Basic02"
                && entry["message"]
                    .as_str()
                    .unwrap()
                    .contains("ns2.good.test/127.53.2.2 answer")
        });
        assert!(asked_ns2, "{results}");

        // A failed test is exit 1 with its reason.
        let failed = zmctl(
            &url,
            &[
                "start-test",
                "good.test",
                "--nameserver",
                "ns9.good.test/127.53.99.9",
                "--wait",
                "--poll",
                "0.1",
            ],
        );
        assert_eq!(failed.status.code(), Some(1), "{failed:?}");
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(
            stderr.contains("failed: no name server answered"),
            "{stderr}"
        );

        // An RFC 2317 name goes through the API and the agent.
        // Its `/` is no letter, digit or hyphen: SYNTAX01 says so at ERROR
        // (exit 3) and the module stops after SYNTAX03.
        let classless = test_to_the_end(&url, "0/25.rev.test", 3);
        assert_eq!(classless["state"], "completed", "{classless}");
        assert_eq!(classless["params"]["domain"], "0/25.rev.test");

        // A language without texts says English is shown.
        let id = classless["hash_id"].as_str().unwrap();
        let slovenian = zmctl(&url, &["results", id, "--lang", "sl"]);
        assert_eq!(slovenian.status.code(), Some(0), "{slovenian:?}");
        // The summary says how much of the testing the verdict covers.
        assert!(
            String::from_utf8_lossy(&slovenian.stdout)
                .contains("51 of the 73 test cases the profile enables ran."),
            "{slovenian:?}"
        );
        assert!(
            String::from_utf8_lossy(&slovenian.stderr)
                .contains("there are no Slovenian (sl) texts yet"),
            "{slovenian:?}"
        );

        // Usage errors are exit 2 before anything is sent.
        for args in [
            &["start-test", "good.test", "--fail-level", "ERROR"][..],
            &["history", "good.test", "--filter", "recent"][..],
        ] {
            let output = zmctl(&url, args);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        }
        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
        drop(scratch);
    });
}
