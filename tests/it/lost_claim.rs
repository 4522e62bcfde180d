//! Issue 16: a claim that commits on the server while its reply is lost
//! (the server killed, the connection dropped). The agent sees an error;
//! the tests the claim took are running in the database, owned by it,
//! and run by nobody. The agent must find them by the claim's token once
//! the database answers and run them (or, shutting down, hand them back),
//! never leave them to the reaper, which would run them a second time.
//!
//! The loss is made deterministic by a store that claims for real and
//! then answers as a dropped connection would.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use async_trait::async_trait;
use serde_json::json;
use zonemaster::agent;
use zonemaster::config::DbEngine;
use zonemaster::store::{
    ApiKeyCheck, BatchStatus, BatchSummary, ClaimToken, ClaimedTest, Ending, ExplainMode,
    HistoryEntry, HistoryFilter, MigrationReport, NewTest, PlanSample, PurgeReport, QueryPlan,
    QueueOverview, ReapedTest, ResultEntry, Store, StoreError, TestRow, TestState, Timestamp,
};

use crate::agent::{InProcess, Script, add_test, options, row, wait_until, with_processes};

/// What a dropped connection gives.
fn connection_lost() -> StoreError {
    let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reply lost");
    StoreError::Database(sqlx::Error::Io(reset))
}

/// A real store whose next claim that takes tests commits and then
/// fails as if the connection dropped before the reply, and whose claim
/// look-ups fail while `is_down`.
struct LosesClaimReply {
    inner: Arc<dyn Store>,
    /// The next claim that takes something loses its reply.
    is_losing: AtomicBool,
    /// Claim look-ups fail (the database still down).
    is_down: AtomicBool,
    /// Claim look-ups made.
    lookups: AtomicU32,
}

impl LosesClaimReply {
    fn new(inner: Arc<dyn Store>) -> Arc<Self> {
        Arc::new(Self {
            inner,
            is_losing: AtomicBool::new(true),
            is_down: AtomicBool::new(false),
            lookups: AtomicU32::new(0),
        })
    }
}

#[async_trait]
impl Store for LosesClaimReply {
    fn engine_name(&self) -> &'static str {
        self.inner.engine_name()
    }
    async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        self.inner.migrate().await
    }
    async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        self.inner.schema_version().await
    }
    async fn create_test(
        &self,
        test: &NewTest,
        reuse_since: Timestamp,
    ) -> Result<(String, bool), StoreError> {
        self.inner.create_test(test, reuse_since).await
    }
    async fn test(&self, hash_id: &str) -> Result<Option<TestRow>, StoreError> {
        self.inner.test(hash_id).await
    }
    async fn progress(&self, hash_id: &str) -> Result<Option<u8>, StoreError> {
        self.inner.progress(hash_id).await
    }
    async fn results(&self, hash_id: &str) -> Result<Vec<ResultEntry>, StoreError> {
        self.inner.results(hash_id).await
    }
    async fn history(
        &self,
        domain: &str,
        filter: HistoryFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.inner.history(domain, filter, offset, limit).await
    }
    async fn add_user(&self, username: &str, api_key_hash: &str) -> Result<(), StoreError> {
        self.inner.add_user(username, api_key_hash).await
    }
    async fn check_api_key(
        &self,
        username: &str,
        api_key: &str,
    ) -> Result<ApiKeyCheck, StoreError> {
        self.inner.check_api_key(username, api_key).await
    }
    async fn create_batch(
        &self,
        username: &str,
        tests: &[NewTest],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        self.inner.create_batch(username, tests, now).await
    }
    async fn batch_status(&self, batch_id: i64) -> Result<Option<BatchStatus>, StoreError> {
        self.inner.batch_status(batch_id).await
    }
    async fn cancel_batch(&self, batch_id: i64, now: Timestamp) -> Result<Option<u64>, StoreError> {
        self.inner.cancel_batch(batch_id, now).await
    }
    async fn claim(
        &self,
        queue: i64,
        agent: &str,
        now: Timestamp,
    ) -> Result<Option<ClaimedTest>, StoreError> {
        self.inner.claim(queue, agent, now).await
    }
    async fn claim_many(
        &self,
        queue: i64,
        agent: &str,
        token: &ClaimToken,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<ClaimedTest>, StoreError> {
        let claimed = self
            .inner
            .claim_many(queue, agent, token, now, limit)
            .await?;
        if !claimed.is_empty() && self.is_losing.swap(false, Ordering::SeqCst) {
            return Err(connection_lost());
        }
        Ok(claimed)
    }
    async fn recover_claim(
        &self,
        agent: &str,
        token: &ClaimToken,
        now: Timestamp,
    ) -> Result<Vec<ClaimedTest>, StoreError> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        if self.is_down.load(Ordering::SeqCst) {
            return Err(connection_lost());
        }
        self.inner.recover_claim(agent, token, now).await
    }
    async fn heartbeat(
        &self,
        agent: &str,
        hash_ids: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.inner.heartbeat(agent, hash_ids, now).await
    }
    async fn set_progress(&self, hash_id: &str, progress: u8) -> Result<(), StoreError> {
        self.inner.set_progress(hash_id, progress).await
    }
    async fn finish(
        &self,
        hash_id: &str,
        agent: &str,
        ending: Ending<'_>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.inner.finish(hash_id, agent, ending, now).await
    }
    async fn requeue(&self, hash_id: &str, agent: &str) -> Result<bool, StoreError> {
        self.inner.requeue(hash_id, agent).await
    }
    async fn reap(
        &self,
        queue: Option<i64>,
        overdue_before: Timestamp,
        dead_before: Timestamp,
        max_execution_time: u32,
        now: Timestamp,
    ) -> Result<Vec<ReapedTest>, StoreError> {
        let inner = &self.inner;
        inner
            .reap(queue, overdue_before, dead_before, max_execution_time, now)
            .await
    }
    async fn purge(&self, before: Timestamp, chunk: u32) -> Result<PurgeReport, StoreError> {
        self.inner.purge(before, chunk).await
    }
    async fn queue_counts(&self) -> Result<Vec<(TestState, u64)>, StoreError> {
        self.inner.queue_counts().await
    }
    async fn queue_overview(
        &self,
        limit: u64,
        now: Timestamp,
    ) -> Result<QueueOverview, StoreError> {
        self.inner.queue_overview(limit, now).await
    }
    async fn batch_list(&self, limit: u64, offset: u64) -> Result<Vec<BatchSummary>, StoreError> {
        self.inner.batch_list(limit, offset).await
    }
    async fn compact_counts(&self) -> Result<u64, StoreError> {
        self.inner.compact_counts().await
    }
    async fn query_plans(
        &self,
        sample: &PlanSample,
        mode: ExplainMode,
    ) -> Result<Vec<QueryPlan>, StoreError> {
        self.inner.query_plans(sample, mode).await
    }
}

/// The agent runs the tests of a claim whose reply it never got, once,
/// as their first attempt, even when the database is still down at its
/// first look-up; nothing is claimed meanwhile. Without the look-up the
/// tests stay running unowned until the reaper (heartbeats every 200 ms,
/// dead after 600 ms) queues them again: attempts 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_tests_of_a_claim_whose_reply_was_lost_run_once() {
    for engine in [DbEngine::Sqlite, DbEngine::Postgresql, DbEngine::Mysql] {
        let (_db, config, store) = with_processes(engine, 2, 0).await;
        let ids = [
            add_test(&*store, "a.example", 10, 0, json!({})).await,
            add_test(&*store, "b.example", 10, 0, json!({})).await,
            add_test(&*store, "c.example", 10, 0, json!({})).await,
        ];
        let losing = LosesClaimReply::new(Arc::clone(&store));
        losing.is_down.store(true, Ordering::SeqCst);
        let script = Arc::new(Script::default());
        let agent = InProcess::start(options(&config, script.clone()), losing.clone());
        wait_until("a failed look-up or a run", || async {
            losing.lookups.load(Ordering::SeqCst) >= 1 || !script.started().is_empty()
        })
        .await;
        // Still down: nothing claimed or run since the lost reply.
        assert!(
            script.started().is_empty(),
            "{engine:?}: ran while unsettled"
        );
        losing.is_down.store(false, Ordering::SeqCst);
        wait_until("every test to finish", || async {
            let mut done = true;
            for id in &ids {
                done &= row(&*store, id).await.state == TestState::Completed;
            }
            done
        })
        .await;
        agent.stop().await;
        let counts = script.run_counts();
        assert_eq!(counts.len(), 3, "{engine:?}: {counts:?}");
        assert!(
            counts.values().all(|runs| *runs == 1),
            "{engine:?}: {counts:?}"
        );
        for id in &ids {
            assert_eq!(row(&*store, id).await.attempts, 1, "{engine:?}: {id}");
        }
    }
}

/// Shutting down before the database answered the look-up: the agent
/// hands the lost claim's tests back (waiting, no attempt counted)
/// instead of leaving them running for a reaper.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_claim_is_handed_back_at_shutdown() {
    let (_db, config, store) = with_processes(DbEngine::Postgresql, 1, 0).await;
    let id = add_test(&*store, "a.example", 10, 0, json!({})).await;
    let losing = LosesClaimReply::new(Arc::clone(&store));
    losing.is_down.store(true, Ordering::SeqCst);
    let script = Arc::new(Script::default());
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let shutdown = async move {
        let _ = stopped.wait_for(|is_stopped| *is_stopped).await;
    };
    let mut agent_options = options(&config, script.clone());
    // Long pauses after failures, so the shutdown arrives in one.
    agent_options.polling_interval = std::time::Duration::from_secs(2);
    let running = tokio::spawn(agent::run(agent_options, losing.clone(), shutdown));
    wait_until("a failed look-up or a run", || async {
        losing.lookups.load(Ordering::SeqCst) >= 1 || !script.started().is_empty()
    })
    .await;
    let test = row(&*store, &id).await;
    assert_eq!((test.state, test.attempts), (TestState::Running, 1));
    assert!(script.started().is_empty(), "ran while unsettled");
    losing.is_down.store(false, Ordering::SeqCst);
    stop.send(true).unwrap();
    running.await.unwrap().unwrap();
    assert!(script.started().is_empty());
    let test = row(&*store, &id).await;
    assert_eq!(
        (test.state, test.progress, test.attempts, test.agent),
        (TestState::Waiting, 0, 0, None)
    );
}
