//! Issue 16 (1): the database server crashes and restarts while both
//! daemons work under load. A private PostgreSQL or MariaDB server (never
//! the machine's shared one) is killed with SIGKILL, started again, then
//! stopped with SIGTERM and started again, while a client submits a
//! stream of `start_domain_test` calls and the agent runs them. Requests
//! during the outage get the documented JSON-RPC error; afterwards every
//! submitted test has ended exactly once with complete results, and both
//! daemons are still there.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde_json::{Value, json};

use crate::daemons::{Daemon, start_agent, start_rpcapi};
use crate::netns::{fixture_world, in_world};
use crate::private_db::{Kind, PrivateServer};

/// Longer than the store's 5 s wait for a connection, so requests made
/// at the start of the outage fail before the server is back.
const OUTAGE: Duration = Duration::from_secs(7);

/// What the client saw.
#[derive(Default)]
struct Seen {
    /// Ids of the tests submitted.
    ids: BTreeSet<String>,
    /// `data.reason` of every error answer.
    reasons: Vec<String>,
    /// Anything that is not a JSON-RPC answer (the daemon gone).
    broken: Vec<String>,
}

/// One `start_domain_test` call.
async fn submit(client: &reqwest::Client, url: &str, domain: &str, seen: &Mutex<Seen>) {
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "start_domain_test",
                         "params": {"domain": domain}});
    let answer = match client.post(url).json(&request).send().await {
        Ok(response) => response
            .json::<Value>()
            .await
            .map_err(|error| error.to_string()),
        Err(error) => Err(error.to_string()),
    };
    let mut seen = seen.lock().unwrap();
    match answer {
        Ok(answer) => match (&answer["result"], &answer["error"]) {
            (Value::String(id), Value::Null) => {
                seen.ids.insert(id.clone());
            }
            (Value::Null, error) if error["code"] == -32603 => {
                let reason = error["data"]["reason"].as_str().unwrap_or("(none)");
                seen.reasons.push(reason.to_owned());
            }
            _ => seen.broken.push(answer.to_string()),
        },
        Err(error) => seen.broken.push(error),
    }
}

/// The daemon has not exited.
fn is_alive(daemon: &mut Daemon) -> bool {
    daemon.child.try_wait().unwrap().is_none()
}

/// `(hash_id, state, attempts, entries)` of every test.
fn tests_in(server: &PrivateServer) -> Vec<(String, String, u32, u32)> {
    let rows = server.sql(
        "SELECT hash_id, state, attempts, (SELECT COUNT(*) FROM result_entries r \
         WHERE r.hash_id = t.hash_id) FROM test_results t",
    );
    rows.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [id, state, attempts, entries] = fields[..] else {
                panic!("{line}")
            };
            let number = |text: &str| text.trim().parse::<u32>().unwrap();
            (
                id.to_owned(),
                state.to_owned(),
                number(attempts),
                number(entries),
            )
        })
        .collect()
}

fn the_daemons_survive_restarts_of(kind: Kind) {
    in_world(&fixture_world(), None, &[], move || async move {
        let mut server = PrivateServer::start(kind);
        let config_dir = tempfile::tempdir().unwrap();
        let config = config_dir.path().join("backend_config.ini");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = format!(
            "{}\n[ZONEMASTER]\nroot_hints = {}\n[PUBLIC PROFILES]\ndefault = {}\n",
            server.ini("polling_interval = 0.05"),
            fixture_world().join("hints.zone").display(),
            root.join("tests/fixtures/profile-fast.json").display(),
        );
        std::fs::write(&config, text).unwrap();
        let (mut api, url) = start_rpcapi(&config);
        let mut agent = start_agent(&config, &[]);

        // The load: a new test every 20 ms, each on a name of its own.
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (stop_load, mut load_stopped) = tokio::sync::watch::channel(false);
        let load = tokio::spawn({
            let seen = Arc::clone(&seen);
            let url = url.clone();
            async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .unwrap();
                for n in 0.. {
                    let domain = format!("n{n}.good.test");
                    tokio::select! {
                        () = submit(&client, &url, &domain, &seen) => {}
                        _ = load_stopped.changed() => return,
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        });
        let pause = |seconds| tokio::time::sleep(Duration::from_secs(seconds));

        for signal in [Signal::SIGKILL, Signal::SIGTERM] {
            pause(3).await;
            let before = seen.lock().unwrap().reasons.len();
            server.stop(signal);
            tokio::time::sleep(OUTAGE).await;
            let errors = seen.lock().unwrap().reasons.len() - before;
            assert!(
                errors > 0,
                "no error answer while the server was down ({signal})"
            );
            server.restart();
        }
        pause(3).await;
        stop_load.send(true).unwrap();
        load.await.unwrap();

        // Every test submitted ends, once.
        let seen = std::mem::take(&mut *seen.lock().unwrap());
        assert!(seen.broken.is_empty(), "{:?}", seen.broken);
        assert!(
            seen.reasons
                .iter()
                .all(|reason| reason == "database unavailable"),
            "{:?}",
            seen.reasons
        );
        let started = Instant::now();
        let rows = loop {
            let rows = tests_in(&server);
            let ended = rows
                .iter()
                .filter(|row| row.1 != "waiting" && row.1 != "running");
            if ended.count() == rows.len() {
                break rows;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "tests never ended: {rows:?}"
            );
            pause(1).await;
        };
        let stored: BTreeSet<String> = rows.iter().map(|row| row.0.clone()).collect();
        assert!(seen.ids.is_subset(&stored), "a submitted test is missing");
        let entries: BTreeSet<u32> = rows.iter().map(|row| row.3).collect();
        // Every test completed, claimed once, its results written once
        // (the entry counts below). A claim whose commit the server made
        // just as it was killed never reaches the agent; the agent finds
        // its tests by the claim's token once the server is back and runs
        // them, so the reaper never queues one again (attempts 2).
        for (id, state, attempts, count) in &rows {
            assert_eq!(state.as_str(), "completed", "test {id} ({count} entries)");
            assert_eq!(*attempts, 1, "test {id} claimed {attempts} times");
        }
        // Every test asked the same kind of question, so each has the same
        // results: none cut short, none written twice.
        assert_eq!(entries.len(), 1, "entry counts differ: {entries:?}");
        assert!(entries.iter().all(|count| *count > 0));
        assert!(is_alive(&mut api), "zm-rpcapi died");
        assert!(is_alive(&mut agent), "zm-agent died");
        eprintln!(
            "{kind:?}: {} tests, {} error answers during the outages",
            rows.len(),
            seen.reasons.len()
        );
        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
        drop(server);
    });
}

#[test]
fn the_daemons_survive_postgresql_crashing_and_restarting() {
    the_daemons_survive_restarts_of(Kind::Postgresql);
}

#[test]
fn the_daemons_survive_mariadb_crashing_and_restarting() {
    the_daemons_survive_restarts_of(Kind::Mariadb);
}
