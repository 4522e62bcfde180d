//! Load benchmark: the store at 100,000 waiting tests and 10 million
//! result entries. `scripts/bench-load` (or `cargo bench --bench load`).
//!
//! For each engine (SQLite file, PostgreSQL, MariaDB; a scratch database,
//! dropped afterwards) and each size (`small`: 1% of `full`), it bulk-loads
//! the queue and history of [`seed`], then calls the real store methods
//! behind the hot API and agent paths many times and prints p50, p99 and
//! the slowest call: claim and claim_many, get_test_results (a typical
//! test and one with 5,000 entries), get_test_progress, get_test_history
//! (a domain with a long history and an ordinary one), start_domain_test
//! (the reuse look-up, then insert or reuse), queue_status and batch_list.
//! Then the plan of every hot statement (`Store::query_plans`, analysed
//! where the engine can) with a verdict on index use and, at full size,
//! `purge` of the older half (its chunks and longest transaction).
//!
//! Arguments: `--engines sqlite,postgresql,mysql` (default all),
//! `--sizes small,full` (default both), `--plans` (print every plan line,
//! not only the verdicts), `--no-purge`. Nothing here is a pass/fail
//! threshold.

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
#[path = "../tests/it/plan_check.rs"]
#[allow(
    dead_code,
    reason = "shared with the integration tests, which use the small-table check too"
)]
mod plan_check;
#[path = "load/seed.rs"]
mod seed;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zonemaster::config::DbEngine;
use zonemaster::store::{self, ExplainMode, HistoryFilter, NewTest, PlanSample, Store, Timestamp};

use crate::seed::Shape;

/// What to run.
struct Options {
    engines: Vec<DbEngine>,
    sizes: Vec<(&'static str, Shape)>,
    print_plans: bool,
    purge: bool,
}

impl Options {
    fn from_args() -> Self {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let value = |flag: &str| {
            args.iter()
                .position(|arg| arg == flag)
                .and_then(|at| args.get(at + 1))
                .cloned()
        };
        let engines = value("--engines")
            .unwrap_or_else(|| "sqlite,postgresql,mysql".to_owned())
            .split(',')
            .map(|name| match name.trim() {
                "sqlite" => DbEngine::Sqlite,
                "postgresql" => DbEngine::Postgresql,
                "mysql" => DbEngine::Mysql,
                other => panic!("unknown engine {other}"),
            })
            .collect();
        let sizes = value("--sizes")
            .unwrap_or_else(|| "small,full".to_owned())
            .split(',')
            .map(|name| match name.trim() {
                "small" => (
                    "small",
                    Shape {
                        finished: 1_000,
                        waiting: 1_000,
                    },
                ),
                "full" => (
                    "full",
                    Shape {
                        finished: 100_000,
                        waiting: 100_000,
                    },
                ),
                other => panic!("unknown size {other}"),
            })
            .collect();
        Self {
            engines,
            sizes,
            print_plans: args.iter().any(|arg| arg == "--plans"),
            purge: !args.iter().any(|arg| arg == "--no-purge"),
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let options = Options::from_args();
    println!(
        "machine: {} cores; latencies in ms over sequential calls",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for engine in &options.engines {
        for (size, shape) in &options.sizes {
            run(*engine, size, *shape, &options).await;
        }
    }
}

/// One engine at one size.
async fn run(engine: DbEngine, size: &str, shape: Shape, options: &Options) {
    let label = format!("{} {size}", engine.name());
    let scratch = dbs::scratch(engine);
    let store = store::open(&scratch.config.store_settings()).await.unwrap();
    store.migrate().await.unwrap();
    let now = seed::now();
    let loaded = seed::load(&scratch, shape, now).await;
    println!(
        "{label}: loaded {} tests ({} finished, {} waiting) and {} result entries in {:.1} s",
        loaded.tests, shape.finished, shape.waiting, loaded.entries, loaded.seconds
    );
    measure(&label, store.as_ref(), shape, now).await;
    explain(&label, engine, store.as_ref(), options.print_plans, now).await;
    if options.purge && size == "full" {
        purge(&label, &store, now).await;
    }
    drop(store);
    drop(scratch);
}

/// Calls `call` `times` times in sequence and prints the latencies.
async fn timed<F, Fut>(label: &str, what: &str, times: u64, mut call: F)
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut took: Vec<Duration> = Vec::with_capacity(usize::try_from(times).unwrap());
    for index in 0..times {
        let started = Instant::now();
        call(index).await;
        took.push(started.elapsed());
    }
    took.sort();
    let at = |fraction: f64| {
        let index = ((took.len() as f64 - 1.0) * fraction).round() as usize;
        took[index].as_secs_f64() * 1000.0
    };
    println!(
        "{label}: {what:<34} {times:>4} calls  p50 {:>8.2}  p99 {:>8.2}  max {:>8.2}",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

/// A test of `domain` as `start_domain_test` makes it.
fn new_test(domain: &str, now: Timestamp) -> NewTest {
    NewTest {
        hash_id: format!("{:016x}", rand::random::<u64>()),
        domain: domain.to_owned(),
        fingerprint: format!("fp{domain}"),
        params: format!(
            "{{\"domain\":\"{domain}\",\"ipv4\":true,\"ipv6\":true,\"profile\":\"default\"}}"
        ),
        undelegated: false,
        priority: 10,
        queue: 0,
        created_at: now,
    }
}

/// The latencies of the hot store methods.
async fn measure(label: &str, store: &dyn Store, shape: Shape, now: Timestamp) {
    let finished = shape.finished;
    // A spread of finished tests (a multiplicative step over the ids).
    let some_test = |index: u64| seed::finished_hash(index * 7919 % finished + 1);
    timed(label, "claim", 200, |_| async move {
        assert!(store.claim(0, "bench", now).await.unwrap().is_some());
    })
    .await;
    timed(label, "claim_many (8)", 100, |_| async move {
        assert_eq!(
            store
                .claim_many(0, "bench", &store::ClaimToken::new(), now, 8)
                .await
                .unwrap()
                .len(),
            8
        );
    })
    .await;
    timed(label, "get_test_progress", 500, |index| {
        let hash_id = some_test(index);
        async move {
            assert_eq!(store.progress(&hash_id).await.unwrap(), Some(100));
        }
    })
    .await;
    timed(label, "get_test_results (typical)", 200, |index| {
        let hash_id = some_test(index);
        async move {
            assert!(store.test(&hash_id).await.unwrap().is_some());
            assert!(store.results(&hash_id).await.unwrap().len() >= 40);
        }
    })
    .await;
    timed(
        label,
        "get_test_results (5000 entries)",
        30,
        |_| async move {
            let hash_id = seed::biggest_test();
            assert!(store.test(&hash_id).await.unwrap().is_some());
            assert_eq!(store.results(&hash_id).await.unwrap().len(), 5000);
        },
    )
    .await;
    let hot_history = finished / 10 / seed::HOT_DOMAINS;
    timed(
        label,
        &format!("get_test_history (hot, {hot_history})"),
        50,
        |index| async move {
            let domain = seed::hot_domain(index % seed::HOT_DOMAINS);
            let page = store.history(&domain, HistoryFilter::All, 0, 200).await;
            assert!(!page.unwrap().is_empty());
        },
    )
    .await;
    timed(
        label,
        "get_test_history (ordinary)",
        200,
        |index| async move {
            let domain = format!("d{}.example", index * 31 % (finished / 3));
            store
                .history(&domain, HistoryFilter::All, 0, 200)
                .await
                .unwrap();
        },
    )
    .await;
    let reuse_since = now - chrono::Duration::seconds(600);
    timed(
        label,
        "start_domain_test (hot, reuse)",
        200,
        |index| async move {
            let domain = seed::hot_domain(index % seed::HOT_DOMAINS);
            let (_, is_new) = store
                .create_test(&new_test(&domain, now), reuse_since)
                .await
                .unwrap();
            assert_eq!(is_new, index < seed::HOT_DOMAINS);
        },
    )
    .await;
    timed(
        label,
        "start_domain_test (new domain)",
        200,
        |index| async move {
            let domain = format!("new{index}.example");
            let (_, is_new) = store
                .create_test(&new_test(&domain, now), reuse_since)
                .await
                .unwrap();
            assert!(is_new);
        },
    )
    .await;
    timed(label, "queue_status (100)", 50, |_| async move {
        let overview = store.queue_overview(100, now).await.unwrap();
        assert_eq!(overview.tests.len(), 100);
    })
    .await;
    timed(label, "batch_list (50)", 50, |_| async move {
        assert!(!store.batch_list(50, 0).await.unwrap().is_empty());
    })
    .await;
}

/// Prints the verdict (and with `--plans` the lines) of every hot plan.
async fn explain(label: &str, engine: DbEngine, store: &dyn Store, lines: bool, now: Timestamp) {
    let sample = PlanSample {
        hash_id: seed::biggest_test(),
        domain: seed::hot_domain(0),
        fingerprint: format!("fp{}", seed::hot_domain(0)),
        batch_id: 2,
        now,
    };
    let plans = store
        .query_plans(&sample, ExplainMode::Analyze)
        .await
        .unwrap();
    for plan in plans {
        let verdict = match plan_check::full_scan(engine, &plan.lines) {
            Some(line) => format!("FULL SCAN: {}", line.trim()),
            None => "index".to_owned(),
        };
        println!("{label}: plan {:<32} {verdict}", plan.name);
        if lines {
            for line in &plan.lines {
                println!("    {line}");
            }
        }
    }
}

/// Purges the older half of the finished tests.
async fn purge(label: &str, store: &Arc<dyn Store>, now: Timestamp) {
    let started = Instant::now();
    let report = store.purge(seed::days_before(now, 50), 1000).await.unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{label}: purge (chunk 1000) deleted {} tests, {} entries, {} batches in {seconds:.1} s: \
         {} chunks, mean {:.0} ms, longest {:.0} ms",
        report.tests,
        report.entries,
        report.batches,
        report.chunks,
        seconds * 1000.0 / report.chunks.max(1) as f64,
        report.longest_chunk.as_secs_f64() * 1000.0
    );
}
