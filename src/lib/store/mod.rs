//! The job queue: schema, migrations, creating and claiming tests, storing
//! results, batches and API users.
//!
//! Knows nothing of DNS. SQLite, PostgreSQL and MariaDB/MySQL sit behind one
//! [`Store`] trait; the API daemon and the agent cannot tell which one they
//! talk to. Every method that depends on the time takes `now` from the
//! caller, so the reuse window, reaping and purging are testable without
//! sleeping. Timestamps are UTC with second precision (spec §6.1).
//!
//! The meaning of every method is the spec's (`backend.md` §5, §6); the
//! same test suite (`tests/it/store.rs`) runs against the three engines.

mod overview;
mod plans;
mod types;

pub use overview::{
    AGENT_WINDOW, AgentSeen, BatchSummary, QueueOverview, QueuedTest, THROUGHPUT_MINUTES,
};
pub use plans::{ExplainMode, PlanSample, QueryPlan};
pub use types::{
    Api, ApiKeyCheck, BatchStatus, ClaimToken, ClaimedTest, Ending, HistoryEntry, HistoryFilter,
    MigrationReport, NewTest, PurgeReport, ReapOutcome, ReapedTest, ResultEntry, StoreError,
    TestCaseTally, TestRow, TestState, Timestamp, Unavailable, new_test_id, overdue_reason,
};

use async_trait::async_trait;

/// One database holding the queue, the results, batches and API users.
///
/// Implementations are cheap to share (`Arc<dyn Store>`) and safe to use
/// from many tasks at once; each method is one transaction unless it says
/// otherwise.
#[async_trait]
pub trait Store: Send + Sync {
    /// Which engine this is (`SQLite`, `PostgreSQL`, `MySQL`), for logs.
    fn engine_name(&self) -> &'static str;

    /// Creates the schema or brings it to the newest version; idempotent.
    /// A database made by Zonemaster Backend 11.2+/12.x (it has
    /// `result_entries` but no version table) is stamped and upgraded
    /// in place.
    async fn migrate(&self) -> Result<MigrationReport, StoreError>;

    /// The schema version, `None` when the database has no schema yet.
    async fn schema_version(&self) -> Result<Option<i64>, StoreError>;

    // ---- API side ------------------------------------------------------

    /// Inserts a non-batch test unless one with the same fingerprint can
    /// be reused (spec §5.1.3: `batch_id IS NULL` and not started or
    /// started at or after `reuse_since`). Returns the id of the reused or
    /// new test and whether it is new. Look-up and insert are one
    /// transaction.
    async fn create_test(
        &self,
        test: &NewTest,
        reuse_since: Timestamp,
    ) -> Result<(String, bool), StoreError>;

    /// A test by its `hash_id`.
    async fn test(&self, hash_id: &str) -> Result<Option<TestRow>, StoreError>;

    /// The progress (0–100) of a test.
    async fn progress(&self, hash_id: &str) -> Result<Option<u8>, StoreError>;

    /// The stored result entries of a test, in emission order.
    async fn results(&self, hash_id: &str) -> Result<Vec<ResultEntry>, StoreError>;

    /// Finished tests (progress 100) of `domain`, newest first.
    async fn history(
        &self,
        domain: &str,
        filter: HistoryFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<HistoryEntry>, StoreError>;

    /// Adds an API user with the key's hash ([`Api::hash_key`]).
    /// [`StoreError::Duplicate`] when the name is taken.
    async fn add_user(&self, username: &str, api_key_hash: &str) -> Result<(), StoreError>;

    /// Checks a presented key. A plaintext key left by the reference
    /// backend authenticates too and is replaced by its hash on success.
    async fn check_api_key(&self, username: &str, api_key: &str)
    -> Result<ApiKeyCheck, StoreError>;

    /// Creates a batch and its tests in one transaction (all or nothing).
    async fn create_batch(
        &self,
        username: &str,
        tests: &[NewTest],
        now: Timestamp,
    ) -> Result<i64, StoreError>;

    /// Per-state counts and test ids of a batch; `None` for an unknown
    /// batch.
    async fn batch_status(&self, batch_id: i64) -> Result<Option<BatchStatus>, StoreError>;

    /// Cancels the waiting tests of a batch (they become `cancelled`,
    /// progress 100, ended now). Returns how many were cancelled; `None`
    /// for an unknown batch. Running tests finish normally.
    async fn cancel_batch(&self, batch_id: i64, now: Timestamp) -> Result<Option<u64>, StoreError>;

    // ---- agent side ----------------------------------------------------

    /// Atomically claims the waiting test of `queue` with the highest
    /// priority, oldest first: progress 1, state running, `started_at` and
    /// heartbeat = now, owned by `agent`. Never hands one test to two
    /// callers, whatever the number of agents and hosts. The claim gets a
    /// token of its own, which the caller never learns: a claim whose
    /// reply is lost cannot be recovered; the agent uses
    /// [`claim_many`](Store::claim_many).
    async fn claim(
        &self,
        queue: i64,
        agent: &str,
        now: Timestamp,
    ) -> Result<Option<ClaimedTest>, StoreError>;

    /// Claims up to `limit` waiting tests of `queue` in one round trip,
    /// as `limit` calls of [`claim`](Store::claim) would, and returns them
    /// in that order (highest priority, oldest first). Empty when nothing
    /// waits; never hands one test to two callers. Each claimed row holds
    /// `token` (written by the claiming statement), so that when this
    /// call fails, [`recover_claim`](Store::recover_claim) finds what it
    /// took all the same.
    async fn claim_many(
        &self,
        queue: i64,
        agent: &str,
        token: &ClaimToken,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<ClaimedTest>, StoreError>;

    /// The tests a [`claim_many`](Store::claim_many) call with `token`
    /// took that are still running and owned by `agent`, with their
    /// heartbeat set to `now` (in one transaction, so a reaper racing
    /// this call either re-queued a test first, and it is not returned,
    /// or sees the fresh heartbeat). For after a failed claim: its commit
    /// may have reached the server while the reply was lost. Their
    /// `started_at` is the claim's.
    async fn recover_claim(
        &self,
        agent: &str,
        token: &ClaimToken,
        now: Timestamp,
    ) -> Result<Vec<ClaimedTest>, StoreError>;

    /// Records that `agent` is alive (its row in `agents`, which the
    /// queue overview lists) and still running `hash_ids` (none when
    /// idle).
    async fn heartbeat(
        &self,
        agent: &str,
        hash_ids: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Raises the progress of a running test (never lowers it, never to 100).
    async fn set_progress(&self, hash_id: &str, progress: u8) -> Result<(), StoreError>;

    /// Appends the ending's entries (in order) and completes the test
    /// (progress 100, its state, `ended_at` = now, the reason of a failure,
    /// the test-case tally of a run) in one transaction, only if it is
    /// still running and owned by `agent`.
    /// Returns false (and writes nothing) otherwise.
    async fn finish(
        &self,
        hash_id: &str,
        agent: &str,
        ending: Ending<'_>,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Puts a running test owned by `agent` back in the queue: progress 0,
    /// state waiting, `started_at` cleared, partial entries deleted.
    async fn requeue(&self, hash_id: &str, agent: &str) -> Result<bool, StoreError>;

    /// Fails running tests started before `overdue_before` (entry
    /// `UNABLE_TO_FINISH_TEST` with `max_execution_time`) and running tests
    /// whose agent's last heartbeat is before `dead_before` (entry
    /// `TEST_DIED`, or re-queued when they had not been tried before).
    /// `queue` None reaps every queue. Each test is reaped exactly once
    /// even when several agents reap at the same moment.
    async fn reap(
        &self,
        queue: Option<i64>,
        overdue_before: Timestamp,
        dead_before: Timestamp,
        max_execution_time: u32,
        now: Timestamp,
    ) -> Result<Vec<ReapedTest>, StoreError>;

    /// Deletes finished tests created before `before`, their entries, then
    /// batches left empty, in chunks of `chunk` tests, and the agents last
    /// seen before `before`. Never touches waiting
    /// or running tests.
    async fn purge(&self, before: Timestamp, chunk: u32) -> Result<PurgeReport, StoreError>;

    /// Counts of tests per state (for `zmctl` and metrics).
    async fn queue_counts(&self) -> Result<Vec<(TestState, u64)>, StoreError>;

    /// What waits and runs at `now`, at most `limit` tests of it, the
    /// agents seen within [`AGENT_WINDOW`] and the tests that ended per
    /// minute in the last hour (our `queue_status`). Every read goes
    /// through an index (schema version 3), so the cost follows the
    /// number of running tests and `limit`, not the queue's length; the
    /// two totals are counts kept as tests move (schema version 7).
    async fn queue_overview(&self, limit: u64, now: Timestamp)
    -> Result<QueueOverview, StoreError>;

    /// Batches, newest first, with their tests counted by progress
    /// (our `batch_list`): each batch's counts (schema version 7), a few
    /// rows whatever the size of the batch.
    async fn batch_list(&self, limit: u64, offset: u64) -> Result<Vec<BatchSummary>, StoreError>;

    /// Folds the oldest changes of the test counts into the counts
    /// ([`counts`]), in one short transaction; returns how many it folded.
    /// Agents call it every polling interval; the queue overview calls it
    /// when it had many to add up. Concurrent calls fold different
    /// changes.
    async fn compact_counts(&self) -> Result<u64, StoreError>;

    /// The engine's plans of the hot statements (claim, results, history,
    /// reuse look-up, queue overview, batch list, reaper, purge) for
    /// `sample`, in a transaction that is rolled back (see [`plans`]).
    /// For the index checks and the load benchmark.
    async fn query_plans(
        &self,
        sample: &PlanSample,
        mode: ExplainMode,
    ) -> Result<Vec<QueryPlan>, StoreError>;
}

mod common;
pub(crate) mod counts;
mod migrate;
mod mysql;
mod open;
mod postgres;
mod settings;
mod shared;
mod sqlite;
mod statements;

pub use open::{open, open_existing};
pub use settings::{ServerSettings, StoreSettings};
