//! `zmctl` against real daemons (issue 14, items 1–4): every backend
//! command's plain, JSON, CSV and id-only output, its exit codes, server
//! errors with their data paths, batches from standard input and the
//! settings file's permission check. `zm-rpcapi` and `zm-agent` run on
//! SQLite inside a private network namespace with the fixture world.
//! zmctl's stdout is a pipe here, so it prints the plain form: the tests
//! assert its structure with ids and times normalised.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use nix::sys::signal::Signal;
use serde_json::Value;
use zonemaster::config::DbEngine;
use zonemaster::engine::level::Level;

use crate::daemons::{ConfigFile, start_agent, start_rpcapi, zmctl, zmctl_command};
use crate::dbs;
use crate::netns::{fixture_world, in_world};

/// The digest of good.test's DS in test.zone.
const GOOD_DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Stdout of a run that must end with `code`.
fn expect(output: &Output, code: i32) -> String {
    assert_eq!(output.status.code(), Some(code), "{output:?}");
    stdout(output)
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {output:?}"))
}

fn is_test_id(text: &str) -> bool {
    text.len() == 16 && text.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
fn is_api_time(text: &str) -> bool {
    text.len() == 20 && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// The plain output's lines as fields, test ids and API times replaced
/// by `<ID>` and `<TIME>`.
fn shape(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            line.split('\t')
                .map(|field| match field {
                    id if is_test_id(id) => "<ID>".to_owned(),
                    time if is_api_time(time) => "<TIME>".to_owned(),
                    other => other.to_owned(),
                })
                .collect()
        })
        .collect()
}

/// `zmctl` without `--server`, its settings file under `config_home`
/// and no zmctl variables from the environment, reading `input`.
fn zmctl_with_settings(config_home: &Path, args: &[&str], input: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zmctl"));
    command
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env_remove("ZMCTL_SERVER")
        .env_remove("ZMCTL_USER")
        .env_remove("ZMCTL_API_KEY");
    run_with_input(command, input)
}

/// Runs `command` with `input` on its standard input.
fn run_with_input(mut command: Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A backend in the fixture world that lets `zmctl user add` in.
fn with_backend<F>(body: F)
where
    F: FnOnce(String) + Send + 'static,
{
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(&scratch, true, "[RPCAPI]\nenable_add_api_user = true\n");
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let (api, url) = start_rpcapi(&path);
        let agent = start_agent(&path, &[]);
        body(url);
        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
        drop(scratch);
    });
}

/// Issue 14, items 1, 2 and 4: `zmctl test …` and the old names.
#[test]
fn test_commands_print_rows_json_and_ids() {
    with_backend(|url| {
        let url = url.as_str();
        // good.test: ADDRESS01 and DNSSEC11 say ERROR in the fixture world
        // (see e2e.rs), nothing says CRITICAL.
        let started = zmctl(
            url,
            &["test", "start", "good.test", "--wait", "--poll", "0.1"],
        );
        let rows = shape(&expect(&started, 0));
        let id = stderr(&started)
            .lines()
            .find_map(|line| line.strip_prefix("test id: ").map(str::to_owned))
            .expect("the id on stderr");
        assert!(!rows.is_empty());
        for row in &rows {
            assert_eq!(row.len(), 4, "level, module, test case, message: {row:?}");
            assert!(row[0].parse::<Level>().is_ok(), "{row:?}");
        }
        assert!(rows.iter().any(|row| row[2] == "Basic01"), "{rows:?}");
        assert!(!stdout(&started).contains("State:"), "piped: rows only");

        // Reused inside the window: the same id, bare or as JSON.
        let quiet = zmctl(url, &["test", "start", "good.test", "--quiet"]);
        assert_eq!(expect(&quiet, 0), format!("{id}\n"));
        let as_json = zmctl(url, &["test", "start", "good.test", "--json"]);
        assert_eq!(expect(&as_json, 0), format!("\"{id}\"\n"));

        for args in [["test", "progress", &id], ["progress", &id, "--json"]] {
            assert_eq!(expect(&zmctl(url, &args), 0), "100\n", "{args:?}");
        }

        let results = zmctl(url, &["test", "results", &id]);
        assert_eq!(shape(&expect(&results, 0)), rows);
        let results = json_of(&zmctl(url, &["test", "results", &id, "--json"]));
        assert_eq!(results["hash_id"], id.as_str());
        assert_eq!(results["state"], "completed");
        let entries = results["results"].as_array().unwrap();
        assert_eq!(entries.len(), rows.len());
        for entry in entries {
            let tag = entry["tag"].as_str().unwrap();
            assert!(
                !tag.is_empty() && tag == tag.to_ascii_uppercase(),
                "{entry}"
            );
            assert!(entry["args"].is_object(), "{entry}");
        }
        let fail_at = |level: &str| {
            zmctl(url, &["test", "results", &id, "--fail-level", level])
                .status
                .code()
        };
        assert_eq!(fail_at("ERROR"), Some(3));
        assert_eq!(fail_at("CRITICAL"), Some(0));

        let params = shape(&expect(&zmctl(url, &["test", "params", &id]), 0));
        assert_eq!(
            &params[..6],
            [
                ["domain", "good.test"],
                ["profile", "default"],
                ["ipv4", "true"],
                ["ipv6", "true"],
                ["priority", "10"],
                ["queue", "0"],
            ]
        );
        assert!(params.contains(&vec!["client_id".to_owned(), "zmctl".to_owned()]));
        let params = json_of(&zmctl(url, &["test", "params", &id, "--json"]));
        assert_eq!(params["domain"], "good.test");
        assert_eq!(params["nameservers"], serde_json::json!([]));

        let history = zmctl(url, &["test", "history", "good.test"]);
        assert_eq!(
            shape(&expect(&history, 0)),
            [["<ID>", "<TIME>", "completed", "error", "no"]]
        );
        let ids = zmctl(url, &["test", "history", "good.test", "--quiet"]);
        assert_eq!(expect(&ids, 0), format!("{id}\n"));
        let history = json_of(&zmctl(url, &["test", "history", "good.test", "--json"]));
        assert_eq!(history[0]["id"], id.as_str());
        assert_eq!(history[0]["state"], "completed");

        // The old names print as they always did, piped or not.
        let old = zmctl(url, &["results", &id]);
        assert!(
            expect(&old, 0).starts_with("State: completed; started "),
            "{old:?}"
        );
        let old = zmctl(url, &["history", "good.test"]);
        assert!(
            expect(&old, 0).trim_start().starts_with("Test id"),
            "{old:?}"
        );
        let old = zmctl(url, &["start-test", "good.test", "--json"]);
        assert_eq!(expect(&old, 0), format!("{id}\n"));

        // --nameserver NAME:IP and --ds-info keytag=… are --ns and --ds.
        let ds_info = format!("keytag=12345,algorithm=13,digtype=2,digest={GOOD_DIGEST}");
        let undelegated = zmctl(
            url,
            &[
                "test",
                "start",
                "good.test",
                "--nameserver",
                "NS1.good.test:127.53.2.1",
                "--ds-info",
                &ds_info,
            ],
        );
        let undelegated_id = expect(&undelegated, 0).trim().to_owned();
        let stored = json_of(&zmctl(url, &["test", "params", &undelegated_id, "--json"]));
        assert_eq!(
            stored["nameservers"],
            serde_json::json!([{"ns": "ns1.good.test", "ip": "127.53.2.1"}])
        );
        assert_eq!(
            stored["ds_info"],
            serde_json::json!([{"keytag": 12345, "algorithm": 13, "digtype": 2, "digest": GOOD_DIGEST}])
        );

        // --from-parent: the server's look-up, then --ns added.
        let from_parent = zmctl(
            url,
            &[
                "test",
                "start",
                "good.test",
                "--from-parent",
                "--ns",
                "ns3.good.test/127.53.2.9",
                "--quiet",
            ],
        );
        let from_parent_id = expect(&from_parent, 0).trim().to_owned();
        let stored = json_of(&zmctl(url, &["test", "params", &from_parent_id, "--json"]));
        let names: Vec<(&str, Option<&str>)> = stored["nameservers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|ns| (ns["ns"].as_str().unwrap(), ns["ip"].as_str()))
            .collect();
        for expected in [
            ("ns1.good.test", Some("127.53.2.1")),
            ("ns2.good.test", Some("127.53.2.2")),
            ("ns3.good.test", Some("127.53.2.9")),
        ] {
            assert!(names.contains(&expected), "{expected:?} in {names:?}");
        }
        assert_eq!(stored["ds_info"][0]["keytag"], 12345);
        let orphan = zmctl(url, &["test", "start", "nosuch.test", "--from-parent"]);
        assert_eq!(orphan.status.code(), Some(1), "{orphan:?}");
        assert!(stderr(&orphan).contains("--from-parent"), "{orphan:?}");

        // Usage errors are exit 2, before anything is sent.
        for args in [
            &["test", "start", "good.test", "--fail-level", "ERROR"][..],
            &["test", "history", "good.test", "--filter", "recent"][..],
            &["test", "results", &id, "--fail-level", "LOUD"][..],
            &["test", "start", "good.test", "--ns", "ns1..x/127.0.0.1"][..],
            &["test", "start", "good.test", "--ds", "1,2,3"][..],
        ] {
            assert_eq!(zmctl(url, args).status.code(), Some(2), "{args:?}");
        }
    });
}

/// Issue 14, items 1 and 4: the server's errors with every data path,
/// versions, profiles, languages, users, `call` and the look-ups.
#[test]
fn system_commands_lookups_and_server_errors() {
    with_backend(|url| {
        let url = url.as_str();
        let bad = zmctl(
            url,
            &[
                "call",
                "start_domain_test",
                r#"{"domain": "a..b", "nameservers": [{"ns": "ns1.x", "ip": "300.1.1.1"}], "profile": "nope"}"#,
            ],
        );
        assert_eq!(bad.status.code(), Some(1), "{bad:?}");
        assert!(stdout(&bad).is_empty());
        assert_eq!(
            stderr(&bad),
            "zmctl: server error -32602: Invalid method parameter(s).\n  \
             /domain: Domain name has repeated dots.\n  \
             /nameservers/0/ip: Invalid IP address\n  \
             /profile: Unknown profile\n"
        );
        let unknown = zmctl(url, &["test", "results", "0000000000000000"]);
        assert_eq!(unknown.status.code(), Some(1));
        assert_eq!(
            stderr(&unknown),
            "zmctl: server error -32000: Test not found {\"test_id\":\"0000000000000000\"}\n"
        );
        let not_found = zmctl(url, &["call", "no_such_method"]);
        assert!(
            stderr(&not_found)
                .contains("server error -32601: Procedure 'no_such_method' not found"),
            "{not_found:?}"
        );

        let id = expect(&zmctl(url, &["test", "start", "other.test"]), 0);
        let params = format!(r#"{{"job_id": "{}"}}"#, id.trim());
        let status = zmctl(url, &["call", "job_params", &params]);
        assert_eq!(json_of(&status)["domain"], "other.test");

        let version = expect(&zmctl(url, &["version"]), 0);
        let version = shape(&version);
        let ours = env!("CARGO_PKG_VERSION");
        assert_eq!(version[0], ["zmctl", ours]);
        assert!(version.contains(&vec!["zonemaster_rs".to_owned(), ours.to_owned()]));
        let version = json_of(&zmctl(url, &["version", "--json"]));
        assert_eq!(version["zmctl"], ours);
        assert_eq!(version["server"]["zonemaster_backend"], ours);
        assert_eq!(expect(&zmctl(url, &["profiles"]), 0), "default\n");
        assert_eq!(
            json_of(&zmctl(url, &["profiles", "--json"])),
            serde_json::json!(["default"])
        );
        let languages = json_of(&zmctl(url, &["languages", "--json"]));
        let plain = expect(&zmctl(url, &["languages"]), 0);
        let listed: Vec<&str> = plain.lines().collect();
        assert_eq!(serde_json::json!(listed), languages);
        assert!(listed.contains(&"en"), "{listed:?}");

        let added = zmctl(url, &["user", "add", "ops", "--api-key", "key-1"]);
        assert_eq!(expect(&added, 0), "key-1\n");
        let again = zmctl(url, &["user", "add", "ops", "--api-key", "key-2"]);
        assert_eq!(again.status.code(), Some(1));
        assert_eq!(
            stderr(&again),
            "zmctl: server error -32002: User already exists {\"username\":\"ops\"}\n"
        );
        let made_up = expect(&zmctl(url, &["user", "add", "ops2"]), 0);
        assert_eq!(made_up.trim().len(), 32, "{made_up}");
        let as_json = json_of(&zmctl(url, &["user", "add", "ops3", "--json"]));
        assert_eq!(as_json["username"], "ops3");

        // The look-ups through the server print what the local ones print.
        let hints = fixture_world().join("hints.zone").display().to_string();
        for (kind, name) in [("delegation", "good.test"), ("address", "ns1.good.test")] {
            for json in [&["--json"][..], &[][..]] {
                let remote = zmctl(url, &[&["lookup", kind, name, "--api"][..], json].concat());
                let local = zmctl(
                    url,
                    &[&["lookup", kind, name, "--hints", &hints][..], json].concat(),
                );
                assert_eq!(expect(&remote, 0), expect(&local, 0), "{kind} {json:?}");
            }
        }
        let delegation = json_of(&zmctl(
            url,
            &["lookup", "delegation", "good.test", "--api", "--json"],
        ));
        assert_eq!(delegation["ds_list"][0]["digest"], GOOD_DIGEST);
        let nothing = zmctl(url, &["lookup", "address", "nosuch.good.test", "--api"]);
        assert_eq!(nothing.status.code(), Some(1), "{nothing:?}");
        let nothing = zmctl(url, &["lookup", "delegation", "nosuch.test", "--api"]);
        assert_eq!(nothing.status.code(), Some(1), "{nothing:?}");
        let both = zmctl(
            url,
            &[
                "lookup",
                "delegation",
                "good.test",
                "--api",
                "--hints",
                &hints,
            ],
        );
        assert_eq!(both.status.code(), Some(2), "{both:?}");

        // No server, or no URL.
        let away = zmctl("http://127.0.0.1:1", &["version"]);
        assert_eq!(away.status.code(), Some(1), "{away:?}");
        assert!(
            stderr(&away).contains("cannot reach http://127.0.0.1:1"),
            "{away:?}"
        );
        let odd = zmctl("ftp://127.0.0.1", &["profiles"]);
        assert_eq!(odd.status.code(), Some(2), "{odd:?}");
    });
}

/// Issue 14, item 2: `check --from-parent` starts from the parent's
/// delegation (looked up here) and adds `--ns`: with only a dead server
/// the run has no answer at all; with the parent's servers beside it, it
/// completes.
#[test]
fn check_from_parent_starts_from_the_parents_delegation() {
    let hints = fixture_world().join("hints.zone").display().to_string();
    let profile = fixture_world()
        .join("../profile-fast.json")
        .display()
        .to_string();
    in_world(&fixture_world(), None, &[], move || async move {
        let check = |extra: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_zmctl"))
                .args(["check", "good.test", "--test", "basic", "--json"])
                .args(["--hints", &hints, "--profile", &profile])
                .args(["--ns", "ns9.good.test/127.53.99.9"])
                .args(extra)
                .output()
                .unwrap()
        };
        let alone = check(&[]);
        assert_eq!(alone.status.code(), Some(1), "{alone:?}");
        assert!(
            stderr(&alone).contains("no name server answered"),
            "{alone:?}"
        );
        let with_parent = check(&["--from-parent"]);
        assert_eq!(with_parent.status.code(), Some(0), "{with_parent:?}");
        assert!(json_of(&with_parent)["results"].is_array());
        let orphan = Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .args(["check", "nosuch.test", "--from-parent", "--hints", &hints])
            .output()
            .unwrap();
        assert_eq!(orphan.status.code(), Some(1), "{orphan:?}");
        assert!(stderr(&orphan).contains("--from-parent"), "{orphan:?}");
    });
}

/// Issue 14, item 3: a batch from standard input (comments, blank lines,
/// an IDN name) with the credentials of a private settings file, waited
/// for, and read per domain as plain text, CSV and JSON; cancelling;
/// credentials from the environment and the flags.
#[test]
fn batches_from_a_file_to_per_domain_levels() {
    with_backend(|url| {
        let url = url.as_str();
        expect(
            &zmctl(url, &["user", "add", "ops", "--api-key", "key-1"]),
            0,
        );
        let home = tempfile::tempdir().unwrap();
        let settings = home.path().join("zmctl/config.toml");
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        std::fs::write(
            &settings,
            format!("server = \"{url}\"\nuser = \"ops\"\napi_key = \"key-1\"\n"),
        )
        .unwrap();
        let set_mode =
            |mode| std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(mode));
        let list = "# zones to check\ngood.test\n\n   lame.test   # lame\nRäksmörgås.test\n";

        set_mode(0o644).unwrap();
        let refused = zmctl_with_settings(home.path(), &["batch", "create", "-", "--quiet"], list);
        assert_eq!(refused.status.code(), Some(2), "{refused:?}");
        assert!(stderr(&refused).contains("has mode 0644"), "{refused:?}");
        assert!(stderr(&refused).contains("chmod 600"), "{refused:?}");

        set_mode(0o600).unwrap();
        let created = zmctl_with_settings(home.path(), &["batch", "create", "-", "--quiet"], list);
        let batch_id = expect(&created, 0).trim().to_owned();
        assert!(batch_id.parse::<u64>().is_ok(), "{created:?}");
        let status = json_of(&zmctl(url, &["batch", "status", &batch_id, "--json"]));
        let counts = ["waiting_count", "running_count", "finished_count"];
        let total: u64 = counts.iter().map(|key| status[key].as_u64().unwrap()).sum();
        assert_eq!(total, 3, "{status}");

        let waited = zmctl(
            url,
            &[
                "batch",
                "wait",
                &batch_id,
                "--poll",
                "0.1",
                "--fail-level",
                "ERROR",
            ],
        );
        let summary = shape(&expect(&waited, 3));
        let levels: Vec<&str> = summary.iter().map(|row| row[0].as_str()).collect();
        assert_eq!(levels, ["CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO"]);
        let counted: u64 = summary
            .iter()
            .map(|row| row[1].parse::<u64>().unwrap())
            .sum();
        assert_eq!(counted, 3, "{summary:?}");

        let csv = expect(&zmctl(url, &["batch", "results", &batch_id, "--csv"]), 0);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "domain,level,state,test_id");
        let rows: Vec<Vec<&str>> = lines[1..]
            .iter()
            .map(|line| line.split(',').collect())
            .collect();
        let domains: Vec<&str> = rows.iter().map(|row| row[0]).collect();
        assert_eq!(
            domains,
            ["good.test", "lame.test", "xn--rksmrgs-5wao1o.test"]
        );
        assert!(
            rows.iter()
                .all(|row| row[2] == "completed" && is_test_id(row[3]))
        );
        assert_eq!(rows[0][1], "ERROR");
        // `zmctl batch results ID --csv | grep ERROR` finds good.test.
        let grepped: Vec<&&str> = lines.iter().filter(|line| line.contains("ERROR")).collect();
        assert_eq!(
            grepped.len(),
            1 + rows[1..].iter().filter(|row| row[1] == "ERROR").count()
        );
        assert!(grepped[0].starts_with("good.test,"));

        let plain = shape(&expect(&zmctl(url, &["batch", "results", &batch_id]), 0));
        assert_eq!(plain.len(), 3);
        assert_eq!(plain[0], ["good.test", "ERROR", "completed", "<ID>"]);
        let as_json = json_of(&zmctl(url, &["batch", "results", &batch_id, "--json"]));
        assert_eq!(as_json[2]["domain"], "xn--rksmrgs-5wao1o.test");
        assert_eq!(as_json[0]["level"], "ERROR");
        let ids = expect(&zmctl(url, &["batch", "results", &batch_id, "--quiet"]), 0);
        assert_eq!(
            ids.lines().collect::<Vec<_>>(),
            rows.iter().map(|row| row[3]).collect::<Vec<_>>()
        );
        let finished = zmctl(url, &["batch", "status", &batch_id, "--list-finished"]);
        let finished = shape(&expect(&finished, 0));
        assert_eq!(finished, vec![vec!["finished", "<ID>"]; 3]);

        // A batch on a queue no agent serves, cancelled with credentials
        // from the environment.
        let mut command = zmctl_command(url);
        command
            .args(["batch", "create", "-", "--queue", "9"])
            .env("XDG_CONFIG_HOME", tempfile::tempdir().unwrap().path())
            .env("ZMCTL_USER", "ops")
            .env("ZMCTL_API_KEY", "key-1");
        let queued = run_with_input(command, "a.test\nb.test\n");
        let queued_id = expect(&queued, 0).trim().to_owned();
        let mut command = zmctl_command(url);
        command
            .args(["batch", "cancel", &queued_id])
            .env("ZMCTL_USER", "ops")
            .env("ZMCTL_API_KEY", "key-1");
        assert_eq!(expect(&command.output().unwrap(), 0), "2\n");
        let csv = expect(&zmctl(url, &["batch", "results", &queued_id, "--csv"]), 0);
        let states: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|line| line.split(',').nth(2).unwrap())
            .collect();
        assert_eq!(states, ["cancelled", "cancelled"]);
        assert!(
            csv.lines().skip(1).all(|line| line.contains(",-,")),
            "{csv}"
        );

        // Wrong or missing credentials; an unknown batch; a bad list.
        let wrong = zmctl(
            url,
            &[
                "batch",
                "cancel",
                &queued_id,
                "--user",
                "ops",
                "--api-key",
                "wrong",
            ],
        );
        assert_eq!(wrong.status.code(), Some(1));
        assert_eq!(
            stderr(&wrong),
            "zmctl: server error -32001: User not authorized to use batch mode {\"username\":\"ops\"}\n"
        );
        let empty_home = tempfile::tempdir().unwrap();
        let mut command = zmctl_command(url);
        command
            .args(["batch", "cancel", &queued_id])
            .env("XDG_CONFIG_HOME", empty_home.path())
            .env_remove("ZMCTL_USER")
            .env_remove("ZMCTL_API_KEY");
        let anonymous = command.output().unwrap();
        assert_eq!(anonymous.status.code(), Some(2), "{anonymous:?}");
        assert!(stderr(&anonymous).contains("no API user"), "{anonymous:?}");
        let unknown = zmctl(url, &["batch", "status", "999"]);
        assert_eq!(unknown.status.code(), Some(1));
        assert!(stderr(&unknown).contains("Unknown batch {\"batch_id\":999}"));
        let typo = zmctl_with_settings(
            home.path(),
            &["batch", "create", "-"],
            "good.test\nbad..name\n",
        );
        assert_eq!(typo.status.code(), Some(2), "{typo:?}");
        assert!(
            stderr(&typo).contains("standard input: line 2: `bad..name`"),
            "{typo:?}"
        );

        // Create and wait in one go, as JSON.
        let report = zmctl_with_settings(
            home.path(),
            &["batch", "create", "-", "--wait", "--json", "--poll", "0.1"],
            "other.test\n",
        );
        let report = json_of(&report);
        assert!(report["batch_id"].as_u64().is_some(), "{report}");
        assert_eq!(report["domains"][0]["domain"], "other.test");
        assert_eq!(report["domains"][0]["state"], "completed");
        let summed: u64 = report["summary"]
            .as_object()
            .unwrap()
            .values()
            .map(|count| count.as_u64().unwrap())
            .sum();
        assert_eq!(summed, 1, "{report}");
    });
}
