//! Agent benchmark: `zm-agent` throughput on a 1,000-domain batch in the
//! fixture DNS world. Run as root (private network namespace): `cargo bench
//! --bench agent`. Knob: `ZM_BENCH_BATCH` (batch size, default 1000).
//! Prints one report; nothing here is a pass/fail threshold.

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

use std::time::{Duration, Instant};

use serde_json::json;
use zonemaster::config::DbEngine;

use crate::common::{EXTRA, call, cpu_seconds, env_number, machine_jiffies};
use crate::daemons::{ConfigFile, start_agent, start_rpcapi};
use crate::netns::{fixture_world, in_world};

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
    let batch = env_number("ZM_BENCH_BATCH", 1000);
    println!(
        "agent benchmark: {batch}-domain batch, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    agent_phase(batch);
}
