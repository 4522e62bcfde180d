//! Agent benchmark: `zm-agent` throughput on a batch of full tests (the
//! default profile, every test case) of delegated, answering zones of the
//! fixture DNS world, on SQLite and PostgreSQL, first at the world's own
//! speed with the configured concurrency, then with the agent's
//! concurrency raised so that ≥ 200 tests are in flight, without delay
//! and with `zm-testns --delay-ms 30`; the ratios of the agent's CPU per
//! test part what the tests in flight cost from what the delay does.
//! Per phase: tests/s, tests in flight (sampled from the database
//! every 50 ms), agent CPU per test and the whole machine's CPU per test
//! (agent + DNS world + API + database + this process), the queries the
//! world received per test, and the agent's context switches per test.
//!
//! Run as root (private network namespace): `cargo bench --bench agent`.
//! Knobs: `ZM_BENCH_BATCH` (batch size, default 1000), `ZM_BENCH_PROCESSES`
//! (tests in flight in the first phase, default 40: the configuration's
//! default), `ZM_BENCH_DELAYED_PROCESSES` (in the other two, default 256),
//! `ZM_BENCH_DBS` (`sqlite,postgresql`), `ZM_BENCH_QPS` (the agent's
//! `max_queries_per_second_per_server`; unset: the default). Prints one
//! report; nothing here is a pass/fail threshold.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark harness: a failed unwrap is a failed run"
)]

mod common;
#[path = "../tests/it/daemons.rs"]
#[allow(
    dead_code,
    reason = "shared with the integration tests, which use all of it"
)]
mod daemons;
#[path = "../tests/it/dbs.rs"]
#[allow(
    dead_code,
    reason = "shared with the integration tests, which use all of it"
)]
mod dbs;
#[path = "../tests/it/netns.rs"]
#[allow(
    dead_code,
    reason = "shared with the integration tests, which use all of it"
)]
mod netns;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use zonemaster::config::{BackendConfig, DbEngine};
use zonemaster::store::TestState;

use crate::common::{call, child_pids, context_switches, cpu_seconds, env_number, machine_jiffies};
use crate::daemons::{start_agent, start_rpcapi};
use crate::netns::{fixture_world, in_world, received};

/// Delegated zones of the fixture world whose servers all answer, from
/// several modules' fixtures, so a full test runs every test case against
/// live servers and none waits for a timeout.
const ZONES: [&str; 10] = [
    "good.test",
    "other.test",
    "glueless.test",
    "zonegood.test",
    "zonebad.test",
    "zonenull.test",
    "conn.test",
    "onens.test",
    "nscname.test",
    "recursor.test",
];

/// How a phase is run.
#[derive(Clone, Copy)]
struct Phase {
    engine: DbEngine,
    /// `zm-testns --delay-ms`.
    delay_ms: u64,
    /// The agent's tests in flight at most.
    processes: u64,
    batch: u64,
}

/// What a phase measured.
struct Figures {
    seconds: f64,
    /// Tests completed and failed.
    completed: u64,
    failed: u64,
    /// Mean and peak of the running count while the queue was not empty.
    mean_in_flight: f64,
    peak_in_flight: u64,
    agent_cpu: f64,
    /// The agent's context switches, voluntary and not.
    agent_switches: (u64, u64),
    /// Queries the DNS world received.
    queries: u64,
    /// `zm-testns` and `zm-rpcapi` during the phase.
    world_cpu: f64,
    api_cpu: f64,
    machine_cpu: f64,
}

impl Figures {
    fn print(&self, phase: &Phase) {
        let tests = (self.completed + self.failed) as f64;
        println!(
            "{:<10} delay {:>2} ms  {:>3} processes  {:>6.1} tests/s  in flight mean {:>5.1} peak {:>3}  \
             CPU/test agent {:>5.1} ms, zm-testns {:>5.1} ms, zm-rpcapi {:>4.1} ms, machine {:>5.1} ms  \
             queries/test {:>5.1}  agent switches/test {:>5.1} + {:>4.1} preempted  \
             ({} completed, {} failed in {:.1} s)",
            phase.engine.name(),
            phase.delay_ms,
            phase.processes,
            tests / self.seconds,
            self.mean_in_flight,
            self.peak_in_flight,
            self.agent_cpu / tests * 1000.0,
            self.world_cpu / tests * 1000.0,
            self.api_cpu / tests * 1000.0,
            self.machine_cpu / tests * 1000.0,
            self.queries as f64 / tests,
            self.agent_switches.0 as f64 / tests,
            self.agent_switches.1 as f64 / tests,
            self.completed,
            self.failed,
            self.seconds,
        );
    }
}

/// A configuration file in `dir` for `scratch`: the world's hints, the
/// built-in default profile, `processes` tests at once (the two counts
/// add up; the frontend one is at least 1).
fn write_config(dir: &Path, scratch: &dbs::Scratch, processes: u64) -> std::path::PathBuf {
    let path = dir.join("backend_config.ini");
    let rate = std::env::var("ZM_BENCH_QPS")
        .map(|rate| format!("max_queries_per_second_per_server = {rate}\n"))
        .unwrap_or_default();
    let text = format!(
        "{}\n[ZONEMASTER]\nroot_hints = {}\nnumber_of_processes_for_frontend_testing = 1\n\
         number_of_processes_for_batch_testing = {}\n{rate}\n[RPCAPI]\nenable_add_api_user = true\n",
        scratch.ini("polling_interval = 0.05", true),
        fixture_world().join("hints.zone").display(),
        processes.saturating_sub(1),
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn run_phase(phase: Phase) -> Figures {
    let scratch = dbs::scratch(phase.engine);
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &scratch, phase.processes);
    let delay = phase.delay_ms.to_string();
    let args = ["--delay-ms", delay.as_str()];
    let figures = in_world(&fixture_world(), None, &args, move || async move {
        let (api, url) = start_rpcapi(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        let config = BackendConfig::parse(&text, "bench.ini").unwrap();
        let store = zonemaster::store::open(&config.store_settings())
            .await
            .unwrap();
        let client = reqwest::Client::new();
        call(
            &client,
            &url,
            "add_api_user",
            json!({"username":"bench","api_key":"bench-key"}),
        )
        .await;
        let domains: Vec<&str> = (0..phase.batch as usize)
            .map(|i| ZONES[i % ZONES.len()])
            .collect();
        call(
            &client,
            &url,
            "add_batch_job",
            json!({"username":"bench","api_key":"bench-key","domains":domains}),
        )
        .await;
        let world_cpu = || {
            child_pids("zm-testns")
                .into_iter()
                .map(cpu_seconds)
                .sum::<f64>()
        };
        let api_cpu = || cpu_seconds(api.child.id());
        let counter = zonemaster::dns::LiveTransport::new();
        let root = std::net::IpAddr::from([127, 53, 0, 1]);
        let queries_before = received(&counter, root).await;
        let (world_before, api_before) = (world_cpu(), api_cpu());
        let (busy_before, _) = machine_jiffies();
        let started = Instant::now();
        let agent = start_agent(&path, &[]);
        let mut samples = Vec::new();
        let (completed, failed) = loop {
            let counts = store.queue_counts().await.unwrap();
            let count = |state| {
                counts
                    .iter()
                    .find(|(known, _)| *known == state)
                    .map_or(0, |(_, n)| *n)
            };
            let (completed, failed) = (count(TestState::Completed), count(TestState::Failed));
            if completed + failed >= phase.batch {
                break (completed, failed);
            }
            if count(TestState::Waiting) > 0 {
                samples.push(count(TestState::Running));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let seconds = started.elapsed().as_secs_f64();
        let agent_cpu = cpu_seconds(agent.child.id());
        let agent_switches = context_switches(agent.child.id());
        let queries = received(&counter, root).await - queries_before;
        let (busy_after, _) = machine_jiffies();
        Figures {
            seconds,
            completed,
            failed,
            mean_in_flight: samples.iter().sum::<u64>() as f64 / samples.len().max(1) as f64,
            peak_in_flight: samples.iter().copied().max().unwrap_or(0),
            agent_cpu,
            agent_switches,
            queries,
            world_cpu: world_cpu() - world_before,
            api_cpu: api_cpu() - api_before,
            machine_cpu: (busy_after - busy_before) / 100.0,
        }
    });
    drop(scratch);
    figures
}

fn engines() -> Vec<DbEngine> {
    let names = std::env::var("ZM_BENCH_DBS").unwrap_or_else(|_| "sqlite,postgresql".into());
    names
        .split(',')
        .filter_map(|name| match name.trim() {
            "sqlite" => Some(DbEngine::Sqlite),
            "postgresql" => Some(DbEngine::Postgresql),
            "mysql" => Some(DbEngine::Mysql),
            _ => None,
        })
        .collect()
}

fn main() {
    let batch = env_number("ZM_BENCH_BATCH", 1000);
    let processes = env_number("ZM_BENCH_PROCESSES", 40);
    let delayed = env_number("ZM_BENCH_DELAYED_PROCESSES", 256);
    println!(
        "agent benchmark: {batch}-domain batches of full default-profile tests over {} fixture-world zones, {} cores",
        ZONES.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for engine in engines() {
        let quick = Phase {
            engine,
            delay_ms: 0,
            processes,
            batch,
        };
        // The delayed phase's tests in flight without the delay: it tells
        // what holding that many tests costs from what the delay costs.
        let crowded = Phase {
            processes: delayed,
            ..quick
        };
        let slow = Phase {
            delay_ms: 30,
            ..crowded
        };
        let mut figures = Vec::new();
        for phase in [quick, crowded, slow] {
            let measured = run_phase(phase);
            measured.print(&phase);
            figures.push(measured);
        }
        let per_test = |f: &Figures| f.agent_cpu / (f.completed + f.failed) as f64;
        let [quick, crowded, slow] = [0, 1, 2].map(|index| per_test(&figures[index]));
        println!(
            "{:<10} agent CPU per test: 30 ms delay with {delayed} in flight ×{:.2} of no delay with {processes}; \
             of which {delayed} in flight instead of {processes} ×{:.2}, the 30 ms delay ×{:.2}",
            engine.name(),
            slow / quick,
            crowded / quick,
            slow / crowded,
        );
    }
}
