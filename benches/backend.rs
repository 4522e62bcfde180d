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
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, start_agent, start_rpcapi};
use crate::netns::{fixture_world, in_world};

/// Extra configuration: API users allowed (the batch needs one).
const EXTRA: &str = "\n[RPCAPI]\nenable_add_api_user = true\n";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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
    let config = ConfigFile::new(&scratch, false, EXTRA);
    let (_api, url) = start_rpcapi(&config.path);
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

/// Busy and total jiffies of the whole machine (`/proc/stat`).
fn machine_jiffies() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let numbers: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let total: f64 = numbers.iter().sum();
    // idle and iowait are the 4th and 5th numbers.
    let idle = numbers.get(3).copied().unwrap_or(0.0) + numbers.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

fn agent_phase(batch: u64) {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(&scratch, true, EXTRA);
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let (_api, url) = start_rpcapi(&path);
        let client = reqwest::Client::new();
        call(
            &client,
            &url,
            "add_api_user",
            json!({"username":"bench","api_key":"bench-key"}),
        )
        .await;
        let zones = ["good.test", "other.test", "glueless.test", "lame.test"];
        let domains: Vec<&str> = (0..batch as usize)
            .map(|i| zones[i % zones.len()])
            .collect();
        let created = Instant::now();
        let batch_id = call(
            &client,
            &url,
            "add_batch_job",
            json!({"username":"bench","api_key":"bench-key","domains":domains}),
        )
        .await;
        let created = created.elapsed();
        let agent = start_agent(&path, &[]);
        let started = Instant::now();
        let (busy_before, total_before) = machine_jiffies();
        loop {
            let status = call(
                &client,
                &url,
                "batch_status",
                json!({ "batch_id": batch_id }),
            )
            .await;
            if status["finished_count"].as_u64() == Some(batch) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds(agent.child.id());
        let (busy_after, total_after) = machine_jiffies();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let machine = (busy_after - busy_before) / (total_after - total_before).max(1.0) * cores;
        println!(
            "agent       {batch} batch tests in {seconds:.1} s = {:.0} tests/s; agent CPU {:.2} cores, whole machine {machine:.2} of {cores} cores busy (agent + DNS world + API); batch insert {:.0} ms",
            batch as f64 / seconds,
            cpu / seconds,
            created.as_secs_f64() * 1000.0
        );
        drop(scratch);
    });
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
