//! `zmctl serve` (a whole backend in one process), shell completions and
//! the manual pages committed under docs/man.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::daemons::zmctl;
use crate::netns::{fixture_world, in_world};

fn zmctl_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zmctl"))
}

#[test]
fn serve_creates_its_database_tests_a_zone_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    // A directory that does not exist yet: serve makes it.
    let db = dir.path().join("data/zm/backend.sqlite");
    let hints = fixture_world().join("hints.zone");
    in_world(&fixture_world(), None, &[], move || async move {
        let mut child = zmctl_bin()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--db")
            .arg(&db)
            .arg("--hints")
            .arg(&hints)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_owned();
        let url = format!("http://{address}");
        assert!(db.exists(), "the database is created at start");

        let output = zmctl(
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
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(results["state"], "completed", "{results}");
        assert!(results["results"].as_array().unwrap().len() > 20);

        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
        kill(pid, Signal::SIGTERM).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains('\u{1b}'),
            "no colour codes when piped: {stderr}"
        );

        // A second start reuses the database and its tests.
        let child = zmctl_bin()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut child = child;
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url = format!("http://{}", line.trim().trim_start_matches("listening on "));
        let id = results["hash_id"].as_str().unwrap();
        let again = zmctl(&url, &["progress", id]);
        assert_eq!(
            String::from_utf8_lossy(&again.stdout).trim(),
            "100",
            "{again:?}"
        );
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
        kill(pid, Signal::SIGINT).unwrap();
        assert!(child.wait().unwrap().success());
    });
}

#[test]
fn serve_refuses_what_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    // The database's directory would have to be inside a regular file.
    let output = zmctl_bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(file.join("db.sqlite"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot create"),
        "{output:?}"
    );
    let output = zmctl_bin()
        .args(["serve", "--listen", "not-an-address", "--db"])
        .arg(dir.path().join("db.sqlite"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot listen on not-an-address"),
        "{output:?}"
    );
    let output = zmctl_bin()
        .args(["serve", "--hints"])
        .arg(dir.path().join("missing.zone"))
        .arg("--db")
        .arg(dir.path().join("db.sqlite"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot use the root hints"),
        "{output:?}"
    );
}

#[test]
fn completions_cover_every_shell_and_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = zmctl_bin().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = String::from_utf8_lossy(&output.stdout);
        for command in ["check", "serve", "batch", "languages"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let output = zmctl_bin().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

#[test]
fn committed_manual_pages_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let output = zmctl_bin().arg("man").arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let fresh = names(dir.path());
    assert!(fresh.contains(&"zmctl-serve.1".to_owned()), "{fresh:?}");
    assert_eq!(
        names(&committed),
        fresh,
        "regenerate with: cargo run --bin zmctl -- man docs/man"
    );
    for name in fresh {
        let new = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let old = std::fs::read_to_string(committed.join(&name)).unwrap();
        assert!(
            new == old,
            "{name} is stale; regenerate with: cargo run --bin zmctl -- man docs/man"
        );
    }
}
