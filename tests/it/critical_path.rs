//! The critical path `zmctl check --elapsed` reports (issue 13): a floor
//! under the run's wall time, counted by flow (queries that waited on one
//! another), so concurrent queries never add up in it.

use std::process::Command;
use std::time::Duration;

use crate::netns::{fixture_world, in_world};

/// What `--elapsed` printed: wall seconds, queries sent, and the critical
/// path's length and time.
#[derive(Debug)]
struct Elapsed {
    wall: Duration,
    sent: u64,
    path_queries: u64,
    path_time: Duration,
}

fn seconds(text: &str) -> Duration {
    Duration::from_secs_f64(text.parse().expect("seconds"))
}

fn parse(stdout: &str) -> Elapsed {
    let total = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Total time: "))
        .expect("a Total time line");
    let path = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Critical path: "))
        .expect("a Critical path line");
    let total: Vec<&str> = total.split_whitespace().collect();
    let path: Vec<&str> = path.split_whitespace().collect();
    Elapsed {
        wall: seconds(total[0]),
        sent: total[2].parse().expect("queries"),
        path_queries: path[0].parse().expect("chain length"),
        path_time: seconds(path[3]),
    }
}

/// `zmctl check ZONE --elapsed` of `tests` in the fixture world with every
/// reply `delay_ms` late.
fn elapsed_of(zone: &'static str, tests: &'static [&'static str], delay_ms: &str) -> Elapsed {
    let delay = ["--delay-ms", delay_ms];
    in_world(&fixture_world(), None, &delay, move || async move {
        let hints = fixture_world().join("hints.zone");
        let mut command = Command::new(env!("CARGO_BIN_EXE_zmctl"));
        command
            .args(["check", zone, "--elapsed", "--hints"])
            .arg(hints);
        for test in tests {
            command.args(["--test", test]);
        }
        let output = command.output().expect("zmctl runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(output.status.code(), Some(0), "{stdout}");
        parse(&stdout)
    })
}

#[test]
fn the_critical_path_is_a_floor_under_the_wall_time_and_concurrency_is_not_counted() {
    let delay = Duration::from_millis(40);
    let run = elapsed_of(
        "good.test",
        &["basic", "delegation", "nameserver", "consistency"],
        "40",
    );
    // At least root → test. → good.test, one after the other.
    assert!(run.path_queries >= 3, "{run:?}");
    // Every link of the chain waited for a late reply, and the links ran
    // one after the other: neither their count times the delay nor their
    // summed exchange times can exceed the whole run's wall time.
    assert!(run.path_time >= delay * 3, "{run:?}");
    assert!(delay * run.path_queries as u32 <= run.wall, "{run:?}");
    assert!(run.path_time <= run.wall, "{run:?}");
    // Four modules ask their servers side by side: most queries are off
    // the critical path. Counted in sequence they would all be on it.
    assert!(run.path_queries * 3 < run.sent, "{run:?}");
}

#[test]
fn without_delay_the_chain_is_as_long_but_takes_no_time() {
    let run = elapsed_of("good.test", &["basic"], "0");
    let late = elapsed_of("good.test", &["basic"], "40");
    // The chain is a property of the questions, not of the network's
    // speed; only which of two branches asks a shared question first may
    // move a link (the first asker is charged the query, a later one the
    // earlier of the answer and its own chain plus one).
    assert!(
        run.path_queries.abs_diff(late.path_queries) <= 2,
        "{run:?} {late:?}"
    );
    assert!(run.path_time < late.path_time, "{run:?} {late:?}");
}
