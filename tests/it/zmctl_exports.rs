//! Issue 14, item 5: a test's results exported as CSV, HTML and Markdown,
//! and `zmctl test diff` / `zmctl diff` between two real tests of a zone
//! whose data changed in between.

use std::path::Path;

use nix::sys::signal::Signal;
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, start_agent, start_rpcapi, zmctl};
use crate::dbs;
use crate::netns::{fixture_world, start_server, testns_binary};

/// Copies the fixture world so one zone file can be changed.
fn copy_world(to: &Path) {
    for entry in std::fs::read_dir(fixture_world()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn stdout(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// `zmctl test start DOMAIN --wait --quiet`: the id of a finished test.
fn finished_test(url: &str, domain: &str) -> String {
    let output = zmctl(
        url,
        &[
            "test", "start", domain, "--wait", "--quiet", "--poll", "0.1",
        ],
    );
    assert!(matches!(output.status.code(), Some(0 | 3)), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn exports_and_a_diff_after_the_zone_changed() {
    let world = tempfile::tempdir().unwrap();
    copy_world(world.path());
    let scratch = dbs::scratch(DbEngine::Sqlite);
    // A reuse window of one second: the second test is not the first
    // reused (it is asked for over two seconds later).
    let config = ConfigFile::new(&scratch, true, "age_reuse_previous_test = 1\n");
    let path = config.path.clone();
    let zones = world.path().to_path_buf();
    let thread = std::thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("root for namespaces");
        let args = vec![
            "--zones".to_owned(),
            zones.display().to_string(),
            "--setup-lo".to_owned(),
        ];
        let server = start_server(&testns_binary(), &args);
        let (api, url) = start_rpcapi(&path);
        let agent = start_agent(&path, &[]);
        let before = finished_test(&url, "good.test");

        // Exports of one result.
        let html = stdout(&zmctl(
            &url,
            &["test", "results", &before, "--format", "html"],
        ));
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.trim_end().ends_with("</html>"));
        assert!(html.contains("good.test") && html.contains("Basic01"));
        for external in ["src=\"http", "href=\"http", "<script"] {
            assert!(!html.contains(external), "self-contained: {external}");
        }
        let csv = stdout(&zmctl(
            &url,
            &["test", "results", &before, "--format", "csv"],
        ));
        let header = csv.lines().next().unwrap();
        assert!(
            header.contains("level") && header.contains("tag"),
            "{header}"
        );
        assert!(
            csv.lines()
                .any(|line| line.contains("REFRESH_MINIMUM_VALUE_OK"))
        );
        let markdown = stdout(&zmctl(
            &url,
            &["test", "results", &before, "--format", "markdown"],
        ));
        assert!(
            markdown.contains("# ") && markdown.contains("| "),
            "{markdown}"
        );
        let json = stdout(&zmctl(
            &url,
            &["test", "results", &before, "--format", "json"],
        ));
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["hash_id"], before.as_str());

        // One diff needs two tests.
        let alone = zmctl(&url, &["diff", "good.test"]);
        assert_eq!(alone.status.code(), Some(1), "{alone:?}");
        assert!(String::from_utf8_lossy(&alone.stderr).contains("needs two"));

        // The zone's SOA refresh drops from 6 h to 1 h, as low as its retry.
        drop(server);
        let file = zones.join("good.zone");
        let text = std::fs::read_to_string(&file).unwrap();
        let changed = text.replace("2026112801 6h 1h", "2026112802 1h 1h");
        assert_ne!(text, changed);
        std::fs::write(&file, changed).unwrap();
        // The addresses are on `lo` already: no --setup-lo this time.
        let _server = start_server(&testns_binary(), &args[..2]);
        // Times are stored in whole seconds, so a one-second window can
        // reach back almost two: wait that out.
        std::thread::sleep(std::time::Duration::from_millis(2200));
        let after = finished_test(&url, "good.test");
        assert_ne!(before, after);

        let diff = stdout(&zmctl(&url, &["test", "diff", &before, &after]));
        // The text names each change with its message.
        assert!(diff.contains("below the recommended minimum"), "{diff}");
        assert!(diff.contains("is not lower than the refresh"), "{diff}");
        assert!(diff.contains("at least the recommended"), "{diff}");
        let json = stdout(&zmctl(
            &url,
            &["test", "diff", &before, &after, "--format", "json"],
        ));
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let changes = json["changes"].as_array().expect("a list of changes");
        let kind_of = |tag: &str| {
            changes
                .iter()
                .find(|change| change["tag"] == tag)
                .map(|change| change["change"].as_str().unwrap().to_owned())
        };
        assert_eq!(
            kind_of("REFRESH_MINIMUM_VALUE_LOWER").as_deref(),
            Some("appeared"),
            "{json}"
        );
        assert_eq!(
            kind_of("REFRESH_MINIMUM_VALUE_OK").as_deref(),
            Some("disappeared"),
            "{json}"
        );
        assert_eq!(
            kind_of("B01_CHILD_FOUND"),
            None,
            "unchanged messages are not changes"
        );
        // The domain's two latest tests are the same pair.
        let by_domain = stdout(&zmctl(&url, &["diff", "good.test", "--format", "json"]));
        let by_domain: serde_json::Value = serde_json::from_str(&by_domain).unwrap();
        assert_eq!(by_domain["changes"], json["changes"]);
        // Above NOTICE only what got that bad is left, and --fail-level
        // says whether something got worse.
        let notice = zmctl(
            &url,
            &[
                "diff",
                "good.test",
                "--level",
                "warning",
                "--fail-level",
                "warning",
            ],
        );
        assert!(matches!(notice.status.code(), Some(0 | 3)), "{notice:?}");
        let html = stdout(&zmctl(&url, &["diff", "good.test", "--format", "html"]));
        assert!(html.contains("REFRESH_MINIMUM_VALUE_LOWER") || html.contains("refresh"));

        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
    });
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
    drop(scratch);
}
