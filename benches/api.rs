//! API benchmark: `zm-rpcapi` request throughput and latency on SQLite and
//! PostgreSQL. `cargo bench --bench api`.
//!
//! For each engine, a fresh database and daemon; for 16 and 64 clients,
//! over keep-alive connections and over a new TCP connection per request:
//! `version_info` (no database), `start_domain_test` (every request a new
//! domain, so every one inserts) and `test_progress` (reads of seeded
//! tests). Each line gives requests/s, p50 and p99 latency, the CPU the
//! daemon and this load generator spent per request, and the TCP
//! connections dialled (to show the new-connection phases really dial).
//!
//! Knobs: `ZM_BENCH_SECONDS` (per phase, default 5), `ZM_BENCH_CLIENTS`
//! (comma-separated, default `16,64`), `ZM_BENCH_ONLY` (run only the
//! phases whose label, e.g. `SQLite start_domain_test 64 keep-alive`,
//! contains it). Nothing here is a pass/fail threshold.

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

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use zonemaster::config::DbEngine;

use crate::common::{
    Connection, EXTRA, call, cpu_seconds, cpu_seconds_named, env_number, load, machine_jiffies,
    tcp_active_opens,
};
use crate::daemons::{ConfigFile, start_rpcapi};

/// Tests created before the phases, read by `test_progress`.
const SEEDED_TESTS: u64 = 256;

/// The methods measured, in order.
const METHODS: [&str; 3] = ["version_info", "start_domain_test", "test_progress"];

/// What every phase shares.
struct Settings {
    seconds: u64,
    clients: Vec<u64>,
    only: Option<String>,
}

impl Settings {
    fn from_env() -> Self {
        let clients = std::env::var("ZM_BENCH_CLIENTS")
            .ok()
            .map(|text| {
                text.split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect::<Vec<u64>>()
            })
            .filter(|list| !list.is_empty())
            .unwrap_or_else(|| vec![16, 64]);
        Self {
            seconds: env_number("ZM_BENCH_SECONDS", 5),
            clients,
            only: std::env::var("ZM_BENCH_ONLY")
                .ok()
                .filter(|only| !only.is_empty()),
        }
    }

    fn selects(&self, label: &str) -> bool {
        self.only.as_deref().is_none_or(|only| label.contains(only))
    }
}

/// A running daemon on a fresh database.
struct Server {
    url: String,
    pid: u32,
    /// Distinguishes the domains of successive `start_domain_test` phases.
    phase: AtomicU64,
    seeded: Arc<Vec<String>>,
    _daemon: daemons::Daemon,
    _config: ConfigFile,
    scratch: dbs::Scratch,
}

impl Server {
    async fn start(engine: DbEngine) -> Self {
        let scratch = dbs::scratch(engine);
        let config = ConfigFile::new(&scratch, false, EXTRA);
        let (daemon, url) = start_rpcapi(&config.path);
        let client = reqwest::Client::new();
        let mut seeded = Vec::new();
        for n in 0..SEEDED_TESTS {
            let params = json!({"domain": format!("s{n}.seed.bench.test")});
            let id = call(&client, &url, "start_domain_test", params).await;
            seeded.push(id.as_str().unwrap().to_owned());
        }
        Self {
            url,
            pid: daemon.child.id(),
            phase: AtomicU64::new(0),
            seeded: Arc::new(seeded),
            _daemon: daemon,
            _config: config,
            scratch,
        }
    }

    /// CPU seconds of the database server's processes (SQLite runs inside
    /// zm-rpcapi: none).
    fn database_cpu(&self) -> f64 {
        match self.scratch.engine {
            DbEngine::Sqlite => 0.0,
            DbEngine::Postgresql => cpu_seconds_named("postgres"),
            DbEngine::Mysql => cpu_seconds_named("mariadbd"),
        }
    }

    /// The params of request `n` of `method`.
    fn requests(&self, method: &str) -> Arc<dyn Fn(u64) -> Value + Send + Sync> {
        match method {
            "start_domain_test" => {
                let phase = self.phase.fetch_add(1, Ordering::Relaxed);
                Arc::new(
                    move |n| json!({"domain": format!("d{n}.p{phase}.bench.test"), "client_id": "bench"}),
                )
            }
            "test_progress" => {
                let ids = self.seeded.clone();
                Arc::new(move |n| json!({"test_id": ids[(n as usize * 7919) % ids.len()]}))
            }
            _ => Arc::new(|_| json!({})),
        }
    }
}

/// Runs one phase and prints its line.
async fn phase(server: &Server, label: &str, method: &'static str, clients: u64, mode: Connection) {
    let client = mode.client(clients);
    let make = server.requests(method);
    let seconds = Settings::from_env().seconds;
    let (server_cpu, bench_cpu) = (cpu_seconds(server.pid), cpu_seconds(std::process::id()));
    let database_cpu = server.database_cpu();
    let (busy, total) = machine_jiffies();
    let dials = tcp_active_opens();
    let (figures, _) = load(&client, &server.url, clients, seconds as f64, method, make).await;
    let dials = tcp_active_opens() - dials;
    let (busy_after, total_after) = machine_jiffies();
    let per_request = |cpu: f64| cpu / figures.requests.max(1) as f64 * 1e6;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    println!(
        "{label:<44} {:>7.0} {:>7.2} {:>7.2} {:>7.0} {:>7.0} {:>7.0} {:>6.2} {:>8}",
        figures.per_second(),
        figures.p50.as_secs_f64() * 1000.0,
        figures.p99.as_secs_f64() * 1000.0,
        per_request(cpu_seconds(server.pid) - server_cpu),
        per_request(cpu_seconds(std::process::id()) - bench_cpu),
        per_request(server.database_cpu() - database_cpu),
        (busy_after - busy) / (total_after - total).max(1.0) * cores,
        dials,
    );
}

async fn engine_phases(engine: DbEngine, settings: &Settings) {
    let wanted = |label: &str| settings.selects(label);
    let any = settings.clients.iter().any(|clients| {
        METHODS.iter().any(|method| {
            [Connection::KeepAlive, Connection::NewPerRequest]
                .iter()
                .any(|mode| wanted(&label(engine, method, *clients, *mode)))
        })
    });
    if !any {
        return;
    }
    let server = Server::start(engine).await;
    for &clients in &settings.clients {
        for mode in [Connection::KeepAlive, Connection::NewPerRequest] {
            for method in METHODS {
                let label = label(engine, method, clients, mode);
                if wanted(&label) {
                    phase(&server, &label, method, clients, mode).await;
                }
            }
        }
    }
}

fn label(engine: DbEngine, method: &str, clients: u64, mode: Connection) -> String {
    format!("{} {method} {clients} {}", engine.name(), mode.name())
}

fn main() {
    let settings = Settings::from_env();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "API benchmark: {} s per phase. The load generator (this process), zm-rpcapi and the \
         database server share this machine's {cores} cores: the figures are what the whole \
         machine manages, not the daemon alone.",
        settings.seconds
    );
    println!(
        "CPU µs per request of zm-rpcapi (api, SQLite's work included), of the load generator \
         (bench) and of the PostgreSQL server processes (db); cores: machine cores busy (other \
         processes included); dials: TCP connections opened."
    );
    println!(
        "{:<44} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>8}",
        "engine method clients connection",
        "req/s",
        "p50 ms",
        "p99 ms",
        "api µs",
        "bench µs",
        "cores",
        "dials"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for engine in [DbEngine::Sqlite, DbEngine::Postgresql] {
        runtime.block_on(engine_phases(engine, &settings));
    }
}
