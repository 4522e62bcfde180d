//! `zmctl tui` end to end (issue 15): the real binary in a detached tmux
//! session (120×40) against `zm-rpcapi` and `zm-agent` on SQLite in the
//! fixture world. Keys go in with `send-keys`; each step waits until the
//! screen (`capture-pane -p`) shows what it must, and asserts on it.
//!
//! The tmux server gets a socket of its own in a temporary directory and
//! is started from inside the test's network namespace, so `zmctl` sees
//! the loopback daemons; it is stopped with `kill-server` on that socket.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, start_agent, start_rpcapi, zmctl};
use crate::dbs;
use crate::netns::{fixture_world, in_world};

/// How long a step may take before the test gives up and prints the
/// screen: far beyond a healthy run, only a hang reaches it.
const STEP_DEADLINE: Duration = Duration::from_secs(120);

/// Between two looks at the screen.
const POLL: Duration = Duration::from_millis(100);

/// A tmux server on a socket of its own, killed when dropped.
struct Tmux {
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `command` in a detached 120×40 session.
    fn start(command: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let tmux = Self {
            socket: dir.path().join("tmux.sock"),
            _dir: dir,
        };
        let output = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            "NO_COLOR=1",
            command,
        ]);
        assert!(output.status.success(), "tmux new-session: {output:?}");
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)")
    }

    /// Types `keys` (tmux key names, or literal text with `-l`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// The screen as text, one line per row.
    fn screen(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-t", "0"]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen once `is_ready` holds for it and it has settled: the
    /// same on two captures a poll apart, so a capture taken while the
    /// terminal is half redrawn (new title, old rows) is not judged.
    fn wait_for(&self, what: &str, is_ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut previous = String::new();
        loop {
            let screen = self.screen();
            if is_ready(&screen) && screen == previous {
                return screen;
            }
            previous = screen.clone();
            assert!(
                start.elapsed() < STEP_DEADLINE,
                "the screen never showed {what}:\n{screen}"
            );
            std::thread::sleep(POLL);
        }
    }

    /// Saves `screen` as `NAME.txt` under `$ZM_TUI_CAPTURES`, when set:
    /// the README's captures come from here.
    fn keep(&self, name: &str, screen: &str) {
        if let Some(dir) = std::env::var_os("ZM_TUI_CAPTURES") {
            let text: Vec<&str> = screen.lines().map(str::trim_end).collect();
            let path = Path::new(&dir).join(format!("{name}.txt"));
            std::fs::write(path, text.join("\n").trim_end().to_owned() + "\n").unwrap();
        }
    }

    /// Whether the session (and so `zmctl`) still runs.
    fn is_running(&self) -> bool {
        self.run(&["has-session", "-t", "0"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The rows of the Result view that are messages: `LEVEL text`.
fn message_levels(screen: &str) -> Vec<&str> {
    const LEVELS: &[&str] = &["DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"];
    screen
        .lines()
        .filter_map(|line| line.strip_prefix("│    "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|word| LEVELS.contains(word))
        .collect()
}

/// The test id in a Result view's title (`good.test · ID · en · ≥INFO`).
fn title_id(screen: &str) -> String {
    screen
        .lines()
        .find_map(|line| line.split(" · ").nth(1))
        .unwrap_or_else(|| panic!("no result title:\n{screen}"))
        .to_owned()
}

fn zmctl_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_zmctl"))
}

/// Issue 15: submit a test from the form, watch it finish, open its
/// result, filter to ERROR, quit.
#[test]
fn tui_starts_a_test_and_filters_its_result() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    // An API user may be added from loopback, for the batch below.
    let config = ConfigFile::new(&scratch, true, "[RPCAPI]\nenable_add_api_user = true\n");
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let (api, url) = start_rpcapi(&path);
        let agent = start_agent(&path, &[]);
        let command = format!("{} --server {url} tui", zmctl_binary().display());
        let tmux = Tmux::start(&command);

        // The Queue view first: nothing queued, the agent seen (its first
        // heartbeat comes at its start).
        let screen = tmux.wait_for("the tabs", |s| s.contains("1 Queue"));
        assert!(screen.contains("5 New test"), "{screen}");
        let screen = tmux.wait_for("the queue and its agent", |s| {
            s.contains("Queue: 0 waiting · 0 running") && s.contains("Agents (1)")
        });
        assert!(!screen.contains("API unreachable"), "{screen}");
        assert!(screen.contains("zm-agent@"), "{screen}");
        tmux.keep("queue", &screen);

        // The form: type the domain, start the test.
        tmux.keys(&["F5"]);
        let screen = tmux.wait_for("the form", |s| s.contains("┌New test"));
        assert!(screen.contains("Domain: ▏"), "{screen}");
        assert!(screen.contains("IPv4: [x]"), "{screen}");
        tmux.keys(&["-l", "good.test"]);
        let screen = tmux.wait_for("the typed domain", |s| s.contains("Domain: good.test▏"));
        tmux.keep("new-test", &screen);
        tmux.keys(&["Enter"]);

        // It runs, then its result opens by itself.
        let screen = tmux.wait_for("the result", |s| s.contains("good.test · "));
        assert!(screen.contains("3 Result"), "{screen}");
        assert!(screen.contains("· en · ≥INFO"), "{screen}");
        assert!(screen.contains("▾ Basic"), "{screen}");
        let levels = message_levels(&screen);
        assert!(levels.contains(&"INFO"), "{screen}");
        tmux.keep("result", &screen);
        let form_test = title_id(&screen);

        // 5 is ERROR: only ERROR and CRITICAL rows stay.
        tmux.keys(&["5"]);
        let screen = tmux.wait_for("the ERROR filter", |s| s.contains("≥ERROR"));
        let levels = message_levels(&screen);
        assert!(!levels.is_empty(), "good.test has ERRORs:\n{screen}");
        assert!(
            levels
                .iter()
                .all(|level| *level == "ERROR" || *level == "CRITICAL"),
            "{levels:?}\n{screen}"
        );
        assert!(
            screen.contains("▾ Address"),
            "ADDRESS01 is an ERROR:\n{screen}"
        );
        tmux.keep("result-error", &screen);

        // h: the domain's history, with this test's worst level.
        tmux.keys(&["h"]);
        let screen = tmux.wait_for("the history", |s| s.contains("Created"));
        assert!(screen.contains("History of good.test"), "{screen}");
        assert!(screen.contains(" error "), "{screen}");
        tmux.keep("history", &screen);

        // The Batches view: none yet.
        tmux.keys(&["F2"]);
        let screen = tmux.wait_for("no batches", |s| s.contains("No batches yet."));
        assert!(!screen.contains("no `batch_list` method"), "{screen}");

        // A batch of three domains, submitted by a script meanwhile.
        let user = zmctl(&url, &["user", "add", "ops"]);
        assert_eq!(user.status.code(), Some(0), "{user:?}");
        let key = String::from_utf8(user.stdout).unwrap().trim().to_owned();
        let mut create = std::process::Command::new(zmctl_binary())
            .args(["--server", &url, "batch", "create", "-", "--user", "ops"])
            .args(["--api-key", &key, "--wait", "--poll", "0.1"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::Write as _;
            let mut stdin = create.stdin.take().unwrap();
            stdin
                .write_all(b"good.test\nlame.test\nother.test\n")
                .unwrap();
        }
        assert!(matches!(create.wait().unwrap().code(), Some(0 | 3)));
        // Total 3, none waiting or running, 3 done.
        let screen = tmux.wait_for("the finished batch", |s| {
            s.lines().any(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                words
                    .iter()
                    .position(|word| *word == "ops")
                    .is_some_and(|at| words.get(at + 1..at + 5) == Some(&["3", "0", "0", "3"][..]))
            })
        });
        tmux.keep("batches", &screen);

        // Enter: its domains with their worst levels.
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for("the batch's domains", |s| {
            s.contains(": domains") && s.contains("lame.test") && s.contains("other.test")
        });
        assert!(
            screen.contains("CRITICAL") || screen.contains("ERROR"),
            "{screen}"
        );
        tmux.keep("batch-domains", &screen);

        // Enter again: the first domain's result (the ERROR filter chosen
        // earlier still applies).
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for("a batch domain's result", |s| {
            s.contains("good.test · ") && s.contains("≥ERROR") && s.contains("▾ Address")
        });
        // The batch's own test of good.test, not the one from the form.
        assert_ne!(title_id(&screen), form_test, "{screen}");
        assert!(!message_levels(&screen).is_empty(), "{screen}");

        // q leaves, and the terminal is given back.
        tmux.keys(&["q"]);
        let start = Instant::now();
        while tmux.is_running() {
            assert!(start.elapsed() < STEP_DEADLINE, "zmctl tui did not quit");
            std::thread::sleep(POLL);
        }
        drop(tmux);
        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
        drop(scratch);
    });
}
