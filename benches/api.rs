//! API benchmark: `zm-rpcapi` request throughput and latency on SQLite and
//! PostgreSQL. `cargo bench --bench api`. Knobs: `ZM_BENCH_SECONDS` (per
//! load phase, default 10), `ZM_BENCH_CLIENTS` (concurrent clients, default
//! 64). Prints one report; nothing here is a pass/fail threshold.

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

use serde_json::{Value, json};
use zonemaster::config::DbEngine;

use crate::common::{EXTRA, env_number, load};
use crate::daemons::{ConfigFile, start_rpcapi};

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

fn main() {
    let seconds = env_number("ZM_BENCH_SECONDS", 10);
    let clients = env_number("ZM_BENCH_CLIENTS", 64);
    println!(
        "API benchmark: {clients} concurrent clients, {seconds} s per phase, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for engine in [DbEngine::Sqlite, DbEngine::Postgresql] {
        runtime.block_on(api_phase(engine, clients, seconds));
    }
}
