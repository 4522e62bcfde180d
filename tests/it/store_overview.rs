//! The queue overview and the batch listing (`queue_status`,
//! `batch_list`) on SQLite, PostgreSQL and MariaDB, and the overview of a
//! 100,000-test queue on SQLite.

use zonemaster::config::DbEngine;
use zonemaster::store::{QueueOverview, TestState};

use crate::store::{COMPLETED, Ctx, ENGINES, at, claim, entry, finish, new_test, new_tests};

/// The ids an overview lists, in order.
fn listed(overview: &QueueOverview) -> Vec<&str> {
    overview
        .tests
        .iter()
        .map(|test| test.hash_id.as_str())
        .collect()
}

/// Running tests first, then waiting ones in claim order; agents seen
/// recently with what they run; finished tests per minute.
async fn overview(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let empty = store.queue_overview(50, at(1000)).await.unwrap();
    assert_eq!((empty.waiting, empty.running), (0, 0), "{name}");
    assert_eq!(empty.oldest_waiting, None);
    assert!(empty.tests.is_empty() && empty.agents.is_empty());
    assert_eq!(empty.finished_per_minute, vec![0; 60]);

    let mut low = new_test("low.example", "low", at(0));
    low.priority = 10;
    let mut high = new_test("high.example", "high", at(1));
    high.priority = 20;
    let mut later = new_test("later.example", "later", at(2));
    later.priority = 10;
    for test in [&low, &high, &later] {
        store.create_test(test, at(0)).await.unwrap();
    }
    let mut batch = new_tests("b", None, 2, at(3));
    for test in &mut batch {
        test.priority = 5;
    }
    let batch_id = store.create_batch("ops", &batch, at(3)).await.unwrap();
    assert_eq!(
        claim(store, 0, "agent-a", at(10)).await.hash_id,
        high.hash_id
    );
    assert_eq!(
        claim(store, 0, "agent-b", at(11)).await.hash_id,
        low.hash_id
    );
    // Tests that end 30 s, 90 s and 995 s before "now" (at(1000)).
    for (domain, ended) in [("x.example", 970), ("y.example", 910), ("z.example", 5)] {
        let mut test = new_test(domain, domain, at(4));
        test.priority = 1000;
        store.create_test(&test, at(4)).await.unwrap();
        claim(store, 0, "agent-a", at(ended)).await;
        let entries = [entry(1, "X", 0)];
        assert!(
            finish(
                store,
                &test.hash_id,
                "agent-a",
                &entries,
                COMPLETED,
                at(ended)
            )
            .await
        );
    }
    store.heartbeat("agent-old", &[], at(100)).await.unwrap();
    store
        .heartbeat("agent-a", &[high.hash_id.clone()], at(900))
        .await
        .unwrap();
    store.heartbeat("agent-idle", &[], at(950)).await.unwrap();

    let overview = store.queue_overview(50, at(1000)).await.unwrap();
    assert_eq!((overview.waiting, overview.running), (3, 2), "{name}");
    assert_eq!(overview.oldest_waiting, Some(at(2)), "{name}");
    let expected = [
        high.hash_id.as_str(),
        &low.hash_id,
        &later.hash_id,
        &batch[0].hash_id,
        &batch[1].hash_id,
    ];
    assert_eq!(listed(&overview), expected, "{name}");
    let first = &overview.tests[0];
    assert_eq!(first.state, TestState::Running);
    assert_eq!((first.progress, first.priority, first.queue), (1, 20, 0));
    assert_eq!(first.started_at, Some(at(10)));
    assert_eq!(first.agent.as_deref(), Some("agent-a"));
    assert_eq!(first.domain, "high.example");
    let waiting = &overview.tests[3];
    assert_eq!(waiting.state, TestState::Waiting);
    assert_eq!((waiting.started_at, waiting.agent.as_deref()), (None, None));
    assert_eq!(waiting.batch_id, Some(batch_id));
    assert_eq!(waiting.created_at, at(3));
    let agents: Vec<(&str, u64)> = overview
        .agents
        .iter()
        .map(|agent| (agent.name.as_str(), agent.running))
        .collect();
    assert_eq!(agents, [("agent-idle", 0), ("agent-a", 1)], "{name}");
    assert_eq!(overview.agents[1].last_seen, at(900));
    let mut per_minute = vec![0; 60];
    per_minute[59] = 1;
    per_minute[58] = 1;
    per_minute[59 - 16] = 1;
    assert_eq!(overview.finished_per_minute, per_minute, "{name}");

    let short = store.queue_overview(3, at(1000)).await.unwrap();
    assert_eq!(listed(&short), expected[..3], "{name}: running first");
    let one = store.queue_overview(1, at(1000)).await.unwrap();
    assert_eq!(listed(&one), expected[..1], "{name}");
    // A later heartbeat moves the agent up (the row is updated, not added).
    store.heartbeat("agent-a", &[], at(990)).await.unwrap();
    let again = store.queue_overview(1, at(1000)).await.unwrap();
    let names: Vec<&str> = again
        .agents
        .iter()
        .map(|agent| agent.name.as_str())
        .collect();
    assert_eq!(names, ["agent-a", "agent-idle"], "{name}");

    // Purging forgets the agents last seen before the cutoff.
    let earlier = store.queue_overview(1, at(650)).await.unwrap();
    assert_eq!(earlier.agents.len(), 3, "{name}: agent-old seen at(100)");
    store.purge(at(200), 100).await.unwrap();
    let purged = store.queue_overview(1, at(650)).await.unwrap();
    let names: Vec<&str> = purged
        .agents
        .iter()
        .map(|agent| agent.name.as_str())
        .collect();
    assert_eq!(names, ["agent-a", "agent-idle"], "{name}");
}

/// Newest first, counted by progress, paged.
async fn batch_listing(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    assert!(store.batch_list(100, 0).await.unwrap().is_empty(), "{name}");
    let first = store
        .create_batch("ops", &new_tests("f", None, 3, at(0)), at(0))
        .await
        .unwrap();
    let second = store
        .create_batch("dev", &new_tests("s", None, 2, at(5)), at(5))
        .await
        .unwrap();
    let done = claim(store, 0, "agent-a", at(6)).await;
    assert!(finish(store, &done.hash_id, "agent-a", &[], COMPLETED, at(7)).await);
    claim(store, 0, "agent-a", at(8)).await;

    let batches = store.batch_list(100, 0).await.unwrap();
    let summary: Vec<_> = batches
        .iter()
        .map(|batch| {
            let counts = (batch.waiting, batch.running, batch.finished, batch.total());
            (batch.batch_id, batch.username.as_str(), counts)
        })
        .collect();
    assert_eq!(
        summary,
        [(second, "dev", (2, 0, 0, 2)), (first, "ops", (1, 1, 1, 3))],
        "{name}"
    );
    assert_eq!(batches[0].created_at, at(5));
    let page = store.batch_list(1, 1).await.unwrap();
    assert_eq!(page.len(), 1, "{name}");
    assert_eq!(page[0].batch_id, first);
    assert!(store.batch_list(10, 2).await.unwrap().is_empty(), "{name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_overview_lists_running_then_waiting_tests_and_agents() {
    for engine in ENGINES {
        overview(&Ctx::new(engine).await).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_list_counts_each_batch_newest_first() {
    for engine in ENGINES {
        batch_listing(&Ctx::new(engine).await).await;
    }
}

/// Issue 15: the overview of a long queue is right (its cost is checked
/// with EXPLAIN, not timed here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_overview_of_100_000_waiting_tests() {
    let ctx = Ctx::new(DbEngine::Sqlite).await;
    let store = &*ctx.store;
    let mut tests = new_tests("q", None, 100_000, at(0));
    tests[70_000].priority = 50;
    store.create_batch("ops", &tests, at(0)).await.unwrap();
    let overview = store.queue_overview(1000, at(60)).await.unwrap();
    assert_eq!((overview.waiting, overview.running), (100_000, 0));
    assert_eq!(overview.tests.len(), 1000);
    assert_eq!(overview.tests[0].hash_id, tests[70_000].hash_id);
    assert_eq!(overview.tests[1].hash_id, tests[0].hash_id);
    assert_eq!(overview.oldest_waiting, Some(at(0)));
    let batches = store.batch_list(10, 0).await.unwrap();
    assert_eq!((batches[0].waiting, batches[0].total()), (100_000, 100_000));
}
