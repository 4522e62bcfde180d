//! The store under load, at test size: every hot statement reads the big
//! tables through an index (so a dropped index fails here, not in
//! production at 10 million rows), and `purge` runs beside a working
//! agent and API without touching what is not old and finished.
//! Figures at full size come from `scripts/bench-load`.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use zonemaster::config::DbEngine;
use zonemaster::store::{self, ClaimToken, ExplainMode, PlanSample, ResultEntry, Store, TestState};

use crate::plan_check::{is_analysed, rows_read, unindexed};
use crate::seed::{self, Shape};
use crate::store::{COMPLETED, Ctx, ENGINES, at, claim, entry, finish, new_test, new_tests, raw};

/// One day, in seconds.
const DAY: i64 = 86_400;

/// The statements every engine must plan (and `claim_many` where it is
/// its own statement: MySQL claims one test at a time).
const HOT: [&str; 20] = [
    "claim",
    "claim recovery",
    "get_test_results",
    "test row",
    "get_test_progress",
    "get_test_history",
    "get_test_history delegated",
    "start_domain_test reuse",
    "queue_status totals",
    "queue_status oldest waiting",
    "queue_status running",
    "queue_status waiting",
    "queue_status running per agent",
    "queue_status ended",
    "batch_list",
    "batch_status",
    "reaper candidates",
    "purge select",
    "purge entries",
    "purge batches",
];

/// `count` entries.
fn entries(count: usize) -> Vec<ResultEntry> {
    (0..count).map(|n| entry(1, "SOME_TAG", n)).collect()
}

/// A small queue and history: a finished batch, finished tests of a few
/// domains with their entries, running and waiting tests. Returns a
/// finished test's id.
async fn small_history(store: &dyn Store) -> String {
    let batch = new_tests("batch", None, 40, at(0));
    store.create_batch("load", &batch, at(0)).await.unwrap();
    for n in 0..120 {
        let domain = format!("d{}.example", n % 6);
        let test = new_test(&domain, &format!("fp{n}"), at(n));
        store.create_test(&test, at(n)).await.unwrap();
    }
    let mut last = String::new();
    for n in 0..150 {
        let claimed = claim(store, 0, "agent", at(200 + n)).await;
        assert!(
            finish(
                store,
                &claimed.hash_id,
                "agent",
                &entries(8),
                COMPLETED,
                at(300 + n)
            )
            .await
        );
        last = claimed.hash_id;
    }
    for test in new_tests("wait", None, 60, at(400)) {
        store.create_test(&test, at(400)).await.unwrap();
    }
    claim(store, 0, "agent", at(500)).await;
    last
}

/// The plans of the hot statements, indexes preferred.
async fn plans(store: &dyn Store, hash_id: &str) -> Vec<zonemaster::store::QueryPlan> {
    let sample = PlanSample {
        hash_id: hash_id.to_owned(),
        domain: "d1.example".to_owned(),
        fingerprint: "fp1".to_owned(),
        batch_id: 1,
        now: at(600),
    };
    store
        .query_plans(&sample, ExplainMode::PreferIndexes)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_statements_read_big_tables_through_indexes() {
    for engine in ENGINES {
        let ctx = Ctx::new(engine).await;
        let hash_id = small_history(ctx.store.as_ref()).await;
        if engine == DbEngine::Mysql {
            raw(&ctx.scratch, "ANALYZE TABLE test_results, result_entries").await;
        }
        let plans = plans(ctx.store.as_ref(), &hash_id).await;
        let names: HashSet<&str> = plans.iter().map(|plan| plan.name).collect();
        let mut expected: HashSet<&str> = HOT.into_iter().collect();
        if engine != DbEngine::Mysql {
            expected.insert("claim_many");
        }
        assert_eq!(names, expected, "{}", ctx.name());
        for plan in &plans {
            assert!(!plan.lines.is_empty(), "{}: {}", ctx.name(), plan.name);
            assert_eq!(
                unindexed(engine, &plan.lines),
                None,
                "{}: {} scans\n{}\n{}",
                ctx.name(),
                plan.name,
                plan.sql,
                plan.lines.join("\n")
            );
        }
    }
}

/// The check above can fail: without the entries' index, reading a
/// test's results is a full scan on every engine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_index_shows_as_a_full_scan() {
    for engine in ENGINES {
        let ctx = Ctx::new(engine).await;
        let hash_id = small_history(ctx.store.as_ref()).await;
        let drop = match engine {
            // InnoDB keeps an index for the foreign key; drop both.
            DbEngine::Mysql => {
                "ALTER TABLE result_entries DROP FOREIGN KEY fk_hash_id, \
                                DROP INDEX result_entries__hash_id"
            }
            _ => "DROP INDEX result_entries__hash_id",
        };
        raw(&ctx.scratch, drop).await;
        // A fresh store: SQLite plans with the schema a connection cached.
        let store = store::open(&ctx.scratch.config.store_settings())
            .await
            .unwrap();
        let plans = plans(store.as_ref(), &hash_id).await;
        let results = plans
            .iter()
            .find(|plan| plan.name == "get_test_results")
            .unwrap();
        assert!(
            unindexed(engine, &results.lines).is_some(),
            "{}: {}",
            ctx.name(),
            results.lines.join("\n")
        );
    }
}

/// The plans of the hot statements on `engine` loaded with `shape` (the
/// load benchmark's data: a long history for five domains, batches of
/// 500, 20 running tests, 40 to 160 entries a test), run and measured.
async fn measured_plans(engine: DbEngine, shape: Shape) -> Vec<zonemaster::store::QueryPlan> {
    let scratch = crate::dbs::scratch(engine);
    let store = store::open(&scratch.config.store_settings()).await.unwrap();
    store.migrate().await.unwrap();
    let now = seed::now();
    seed::load(&scratch, shape, now).await;
    let sample = PlanSample {
        hash_id: seed::biggest_test(),
        domain: seed::hot_domain(0),
        fingerprint: format!("fp{}", seed::hot_domain(0)),
        batch_id: 1,
        now,
    };
    store
        .query_plans(&sample, ExplainMode::Analyze)
        .await
        .unwrap()
}

/// Issue 16: no hot statement reads more of the big tables when there is
/// more data. With four times the tests, queue and history, each reads at
/// most twice as many rows (plus a little: a page fills up, a batch
/// grows). Counting the queue (`queue_status`), the tests of each listed
/// batch (`batch_list`) or every entry of every test of a history page
/// fails here. Rows are what PostgreSQL's `EXPLAIN ANALYZE` and MariaDB's
/// `ANALYZE` report (SQLite cannot tell); the purge's statements read
/// what they delete, a chunk at a time, and are left out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_do_not_grow_with_the_data() {
    for engine in [DbEngine::Postgresql, DbEngine::Mysql] {
        let small = measured_plans(
            engine,
            Shape {
                finished: 500,
                waiting: 500,
            },
        )
        .await;
        let big = measured_plans(
            engine,
            Shape {
                finished: 2000,
                waiting: 2000,
            },
        )
        .await;
        assert_eq!(small.len(), big.len());
        let lines: Vec<Vec<String>> = small.iter().map(|plan| plan.lines.clone()).collect();
        assert!(is_analysed(engine, &lines), "{}: plans only", engine.name());
        for (before, after) in small.iter().zip(&big) {
            if before.name.starts_with("purge") {
                continue;
            }
            let rows = |plan: &zonemaster::store::QueryPlan| rows_read(engine, &plan.lines);
            let (Some(few), Some(many)) = (rows(before), rows(after)) else {
                panic!("{}: cannot tell the rows read", after.name);
            };
            assert!(
                many <= 2 * few + 200,
                "{}: {}: {few} rows read with 500 + 500 tests, {many} with 2000 + 2000\n{}",
                engine.name(),
                after.name,
                after.lines.join("\n")
            );
        }
    }
}

/// What the concurrent daemons did while the purge ran.
#[derive(Default)]
struct Work {
    finished: std::sync::Mutex<Vec<String>>,
    created: std::sync::Mutex<Vec<String>>,
    during_purge: AtomicU64,
}

/// An agent on queue 1: claims and finishes what the API task creates,
/// until `stop` and nothing waits.
async fn agent(
    store: Arc<dyn Store>,
    work: Arc<Work>,
    purging: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) {
    loop {
        let now = at(30 * DAY);
        match store.claim(1, "busy-agent", now).await.unwrap() {
            Some(test) => {
                assert!(
                    finish(
                        store.as_ref(),
                        &test.hash_id,
                        "busy-agent",
                        &entries(5),
                        COMPLETED,
                        now
                    )
                    .await
                );
                work.finished.lock().unwrap().push(test.hash_id);
            }
            None if stop.load(Ordering::SeqCst) => return,
            None => tokio::task::yield_now().await,
        }
        if purging.load(Ordering::SeqCst) {
            work.during_purge.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The API: creates tests on queue 1 until the purge is over.
async fn api(store: Arc<dyn Store>, work: Arc<Work>, purging: Arc<AtomicBool>) {
    let mut n = 0;
    while purging.load(Ordering::SeqCst) || n < 20 {
        let mut test = new_test(&format!("new{n}.example"), &format!("new{n}"), at(30 * DAY));
        test.queue = 1;
        let (hash_id, is_new) = store.create_test(&test, at(30 * DAY)).await.unwrap();
        assert!(is_new);
        work.created.lock().unwrap().push(hash_id);
        n += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_beside_working_daemons_deletes_only_old_finished_tests() {
    for engine in ENGINES {
        let ctx = Ctx::new(engine).await;
        let store = ctx.store.as_ref();
        // Old and finished: a batch and single tests, each with entries.
        let old_batch = store
            .create_batch("old", &new_tests("oldb", None, 100, at(0)), at(0))
            .await
            .unwrap();
        for test in new_tests("old", None, 200, at(0)) {
            store.create_test(&test, at(0)).await.unwrap();
        }
        for n in 0..300 {
            let claimed = claim(store, 0, "agent", at(60 + n)).await;
            assert!(
                finish(
                    store,
                    &claimed.hash_id,
                    "agent",
                    &entries(5),
                    COMPLETED,
                    at(60 + n)
                )
                .await
            );
        }
        // Old but still running or waiting, in an old batch.
        let kept_batch = store
            .create_batch("old", &new_tests("oldw", None, 30, at(0)), at(0))
            .await
            .unwrap();
        let running: Vec<String> = store
            .claim_many(0, "stuck-agent", &ClaimToken::new(), at(DAY), 10)
            .await
            .unwrap()
            .into_iter()
            .map(|test| test.hash_id)
            .collect();
        // Recent and finished (queue 2).
        for mut test in new_tests("recent", None, 20, at(20 * DAY)) {
            test.queue = 2;
            store.create_test(&test, at(20 * DAY)).await.unwrap();
        }
        let mut recent = Vec::new();
        for _ in 0..20 {
            let claimed = claim(store, 2, "agent", at(20 * DAY)).await;
            assert!(
                finish(
                    store,
                    &claimed.hash_id,
                    "agent",
                    &entries(5),
                    COMPLETED,
                    at(20 * DAY)
                )
                .await
            );
            recent.push(claimed.hash_id);
        }
        let waiting = store
            .batch_status(kept_batch)
            .await
            .unwrap()
            .unwrap()
            .waiting;
        assert_eq!(waiting.len() + running.len(), 30, "{}", ctx.name());

        let work = Arc::new(Work::default());
        let purging = Arc::new(AtomicBool::new(true));
        let settings = ctx.scratch.config.store_settings();
        let stop = Arc::new(AtomicBool::new(false));
        let agent_task = tokio::spawn(agent(
            store::open(&settings).await.unwrap(),
            work.clone(),
            purging.clone(),
            stop.clone(),
        ));
        let api_task = tokio::spawn(api(
            store::open(&settings).await.unwrap(),
            work.clone(),
            purging.clone(),
        ));
        let report = store.purge(at(10 * DAY), 10).await.unwrap();
        purging.store(false, Ordering::SeqCst);
        api_task.await.unwrap();
        stop.store(true, Ordering::SeqCst);
        agent_task.await.unwrap();

        assert_eq!(
            (report.tests, report.entries, report.batches),
            (300, 1500, 1),
            "{}",
            ctx.name()
        );
        assert_eq!(report.chunks, 30, "{}", ctx.name());
        println!(
            "{}: purge of 300 tests in chunks of 10 beside an agent and the API: longest \
             transaction {:.1} ms; {} agent claims while purging",
            ctx.name(),
            report.longest_chunk.as_secs_f64() * 1000.0,
            work.during_purge.load(Ordering::SeqCst)
        );
        assert!(store.batch_status(old_batch).await.unwrap().is_none());
        let kept = store.batch_status(kept_batch).await.unwrap().unwrap();
        assert_eq!(kept.waiting, waiting, "{}", ctx.name());
        assert_eq!(kept.running.len(), running.len(), "{}", ctx.name());
        for hash_id in &running {
            let test = store.test(hash_id).await.unwrap().unwrap();
            assert_eq!(test.state, TestState::Running, "{}", ctx.name());
        }
        let finished = work.finished.lock().unwrap().clone();
        let created = work.created.lock().unwrap().clone();
        assert_eq!(
            finished.iter().collect::<HashSet<_>>(),
            created.iter().collect::<HashSet<_>>(),
            "{}: the agent finished what the API created",
            ctx.name()
        );
        for hash_id in recent.iter().chain(&finished) {
            assert_eq!(
                store.results(hash_id).await.unwrap().len(),
                5,
                "{}",
                ctx.name()
            );
        }
    }
}
