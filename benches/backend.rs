//! Backend benchmark: `zm-rpcapi` request throughput and latency on SQLite
//! and PostgreSQL, and `zm-agent` throughput on a 1,000-domain batch in the
//! fixture DNS world.
//!
//! Run as root (the agent part runs in a private network namespace):
//! `cargo bench --bench backend`. Knobs: `ZM_BENCH_SECONDS` (per load
//! phase, default 10), `ZM_BENCH_CLIENTS` (concurrent clients, default 64),
//! `ZM_BENCH_BATCH` (batch size, default 1000). Prints one report; nothing
//! here is a pass/fail threshold.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark harness: a failed unwrap is a failed run"
)]

#[path = "../tests/it/dbs.rs"]
#[allow(
    dead_code,
    reason = "shared with the integration tests, which use all of it"
)]
mod dbs;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zonemaster::config::DbEngine;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn binary(name: &str) -> PathBuf {
    match name {
        "zm-rpcapi" => PathBuf::from(env!("CARGO_BIN_EXE_zm-rpcapi")),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_zm-agent")),
    }
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A child process killed by PID when dropped.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

fn config_file(scratch: &dbs::Scratch, socket: bool, dir: &Path) -> PathBuf {
    let path = dir.join("backend_config.ini");
    let text = format!(
        "{}\n[ZONEMASTER]\nroot_hints = {}\nage_reuse_previous_test = 600\n\n[RPCAPI]\nenable_add_api_user = true\n\n[PUBLIC PROFILES]\ndefault = {}\n",
        scratch.ini("polling_interval = 0.05", socket),
        manifest().join("tests/fixtures/world/hints.zone").display(),
        manifest()
            .join("tests/fixtures/profile-fast.json")
            .display(),
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn start_rpcapi(config: &Path) -> (Daemon, String) {
    let mut child = Command::new(binary("zm-rpcapi"))
        .args([
            "--config",
            &config.display().to_string(),
            "--listen",
            "127.0.0.1:0",
            "--migrate",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let daemon = Daemon(child);
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(addr) = line.strip_prefix("listening on ") {
            return (daemon, format!("http://{}", addr.trim()));
        }
    }
    panic!("zm-rpcapi did not print its address");
}

async fn call(client: &reqwest::Client, url: &str, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc":"2.0","id":1,"method":method,"params":params});
    let reply: Value = client
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(reply.get("error").is_none(), "{method}: {reply}");
    reply["result"].clone()
}

struct Figures {
    requests: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests in {:.1} s)",
            self.requests as f64 / self.seconds,
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.requests,
            self.seconds
        )
    }
}

/// `clients` tasks send `make(n)` requests for `seconds`.
async fn load(
    url: &str,
    clients: u64,
    seconds: u64,
    method: &'static str,
    make: Arc<dyn Fn(u64) -> Value + Send + Sync>,
) -> (Figures, Vec<Value>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients as usize)
        .build()
        .unwrap();
    let counter = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, counter, make) = (
            client.clone(),
            url.to_owned(),
            counter.clone(),
            make.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut results = Vec::new();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                results.push(call(&client, &url, method, make(n)).await);
                latencies.push(sent.elapsed());
            }
            (latencies, results)
        }));
    }
    let mut latencies = Vec::new();
    let mut results = Vec::new();
    for task in tasks {
        let (l, r) = task.await.unwrap();
        latencies.extend(l);
        results.extend(r);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    let figures = Figures {
        requests: latencies.len() as u64,
        seconds,
        p50: at(0.50),
        p99: at(0.99),
    };
    (figures, results)
}

async fn api_phase(engine: DbEngine, clients: u64, seconds: u64) {
    let scratch = dbs::scratch(engine);
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(&scratch, false, dir.path());
    let (_api, url) = start_rpcapi(&config);
    let make_start: Arc<dyn Fn(u64) -> Value + Send + Sync> =
        Arc::new(|n| json!({"domain": format!("d{n}.bench.test"), "client_id": "bench"}));
    let (start, ids) = load(&url, clients, seconds, "start_domain_test", make_start).await;
    println!("{:<11} start_domain_test  {start}", engine.name());
    let ids: Arc<Vec<String>> = Arc::new(
        ids.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    );
    let make_progress: Arc<dyn Fn(u64) -> Value + Send + Sync> =
        Arc::new(move |n| json!({"test_id": ids[(n as usize * 7919) % ids.len()]}));
    let (progress, _) = load(&url, clients, seconds, "test_progress", make_progress).await;
    println!("{:<11} test_progress      {progress}", engine.name());
}

/// CPU seconds (user + system) a process has used.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    ticks / 100.0
}

fn agent_phase(batch: u64) {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(&scratch, true, dir.path());
    let testns = manifest().join("target/release/zm-testns");
    let testns = if testns.is_file() {
        testns
    } else {
        manifest().join("target/debug/zm-testns")
    };
    let world = manifest().join("tests/fixtures/world");
    let thread = std::thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
            .expect("run as root: cannot make a network namespace");
        let _ = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status();
        let mut server = Command::new(&testns)
            .args(["--zones", &world.display().to_string(), "--setup-lo"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (build the workspace in release: cargo build --release --workspace)",
                    testns.display()
                )
            });
        let stdout = server.stdout.take().unwrap();
        let _ready = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.contains("ready"));
        let _server = Daemon(server);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let (_api, url) = start_rpcapi(&config);
            let client = reqwest::Client::new();
            call(&client, &url, "add_api_user", json!({"username":"bench","api_key":"bench-key"})).await;
            let zones = ["good.test", "other.test", "glueless.test", "lame.test"];
            let domains: Vec<&str> = (0..batch as usize).map(|i| zones[i % zones.len()]).collect();
            let created = Instant::now();
            let batch_id = call(&client, &url, "add_batch_job", json!({"username":"bench","api_key":"bench-key","domains":domains})).await;
            let created = created.elapsed();
            let agent = Daemon(
                Command::new(binary("zm-agent"))
                    .args(["--config", &config.display().to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
            let started = Instant::now();
            loop {
                let status = call(&client, &url, "batch_status", json!({ "batch_id": batch_id })).await;
                if status["finished_count"].as_u64() == Some(batch) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let seconds = started.elapsed().as_secs_f64();
            let cpu = cpu_seconds(agent.0.id());
            println!(
                "agent       {batch} batch tests in {seconds:.1} s = {:.0} tests/s; agent CPU {cpu:.1} s = {:.2} cores busy; batch insert {:.0} ms",
                batch as f64 / seconds,
                cpu / seconds,
                created.as_secs_f64() * 1000.0
            );
        });
    });
    thread.join().unwrap();
}

fn main() {
    let seconds = env_number("ZM_BENCH_SECONDS", 10);
    let clients = env_number("ZM_BENCH_CLIENTS", 64);
    let batch = env_number("ZM_BENCH_BATCH", 1000);
    println!(
        "backend benchmark: {clients} concurrent clients, {seconds} s per phase, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for engine in [DbEngine::Sqlite, DbEngine::Postgresql] {
        runtime.block_on(api_phase(engine, clients, seconds));
    }
    agent_phase(batch);
}
