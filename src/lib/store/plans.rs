//! The query plans of the hot statements: what the engine would do (or,
//! with [`ExplainMode::Analyze`], did) for the claim, the result and
//! history reads, the reuse look-up, the queue overview, the batch list,
//! the reaper and the purge.
//!
//! Exists so that a test can fail when an index those statements need is
//! missing, and so that the load benchmark can show each plan at size.
//! The store explains its own statement texts with its own binding, so a
//! plan is never of a copy that drifted from the code. Everything runs in
//! a transaction that is rolled back: analysing a claim or a purge
//! statement executes it, and nothing of that may stay.

use super::types::Timestamp;

/// The values the hot statements are explained with. Plans depend on
/// them (a domain with a long history, a test with many entries), so the
/// caller picks real ones.
#[derive(Clone, Debug)]
pub struct PlanSample {
    /// A stored test (results, progress, the test row).
    pub hash_id: String,
    /// A domain with finished tests (history).
    pub domain: String,
    /// A fingerprint (the reuse look-up of `start_domain_test`).
    pub fingerprint: String,
    /// A batch (batch status).
    pub batch_id: i64,
    /// The present: the reuse window, agents and throughput windows and
    /// the purge cutoff are computed from it.
    pub now: Timestamp,
}

/// How the plans are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainMode {
    /// Run each statement and report what it did where the engine can
    /// (PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)`, MariaDB `ANALYZE`);
    /// SQLite and MySQL give the plan only.
    Analyze,
    /// Plan only, with sequential scans discouraged where the engine has
    /// a switch for it (PostgreSQL `enable_seqscan = off`). On a small
    /// table a planner rightly prefers a scan; discouraged, it still
    /// scans when no index can serve the statement, which is what a check
    /// for a missing index wants to see.
    PreferIndexes,
}

/// The plan of one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryPlan {
    /// What the statement serves (`claim`, `get_test_results`, …).
    pub name: &'static str,
    /// The statement, as the store runs it.
    pub sql: &'static str,
    /// The engine's plan, one line per step (PostgreSQL: its text lines;
    /// SQLite: `EXPLAIN QUERY PLAN` details; MySQL: each row's columns as
    /// `name=value`).
    pub lines: Vec<String>,
}

/// The reuse window the look-up is explained with (the default
/// `age_reuse_previous_test`).
pub(crate) const SAMPLE_REUSE_SECONDS: i64 = 600;

/// How far before `now` the explained purge cuts.
pub(crate) const SAMPLE_PURGE_DAYS: i64 = 30;

/// Stamps `explain_hot`, which plans every hot statement on one
/// transaction, into a backend module. The backend provides
/// `explain_prefix(&mut DbConnection, ExplainMode) -> Result<&'static str>`
/// (it may also change session settings for the transaction) and
/// `plan_lines(&[Row]) -> Result<Vec<String>>`; `$claims` is the backend's
/// choice of claim (see [`super::shared`]).
macro_rules! explainer {
    ($claims:ident) => {
        /// Plans of the hot statements for `sample`, made on `conn` (a
        /// transaction the caller rolls back).
        async fn explain_hot(
            conn: &mut DbConnection,
            sample: &$crate::store::PlanSample,
            mode: $crate::store::ExplainMode,
        ) -> Result<Vec<$crate::store::QueryPlan>, $crate::store::StoreError> {
            use ::chrono::Duration;
            use $crate::store::plans::{SAMPLE_PURGE_DAYS, SAMPLE_REUSE_SECONDS};
            let prefix = explain_prefix(conn, mode).await?;
            let now = sample.now;
            let reuse_since = time(now - Duration::seconds(SAMPLE_REUSE_SECONDS));
            let hour_ago = time(now - Duration::hours(1));
            let purge_before = time(now - Duration::days(SAMPLE_PURGE_DAYS));
            let hash_id = sample.hash_id.as_str();
            let domain = sample.domain.as_str();
            let mut plans = Vec::new();
            $crate::store::plans::explainer!(@claim $claims, conn, prefix, plans, time(now));
            $crate::store::plans::explain_one!(conn, prefix, plans, "claim recovery", sql::RECOVERED, "plan-token", "plan-agent");
            $crate::store::plans::explain_one!(conn, prefix, plans, "get_test_results", sql::RESULTS, hash_id);
            $crate::store::plans::explain_one!(conn, prefix, plans, "test row", sql::SELECT_TEST_BY_ID, hash_id);
            $crate::store::plans::explain_one!(conn, prefix, plans, "get_test_progress", sql::PROGRESS, hash_id);
            $crate::store::plans::explain_one!(conn, prefix, plans, "get_test_history", sql::HISTORY_ALL, domain, 200_i64, 0_i64);
            $crate::store::plans::explain_one!(conn, prefix, plans, "get_test_history delegated", sql::HISTORY_DELEGATED, domain, 200_i64, 0_i64);
            $crate::store::plans::explain_one!(conn, prefix, plans, "start_domain_test reuse", sql::REUSABLE, &sample.fingerprint, reuse_since);
            $crate::store::plans::explain_one!(conn, prefix, plans, "queue_status totals", sql::QUEUE_TOTALS);
            $crate::store::plans::explain_one!(conn, prefix, plans, "queue_status oldest waiting", sql::OLDEST_WAITING);
            $crate::store::plans::explain_one!(conn, prefix, plans, "queue_status running", sql::RUNNING_TESTS, 100_i64);
            $crate::store::plans::explain_one!(conn, prefix, plans, "queue_status waiting", sql::WAITING_TESTS, 100_i64);
            $crate::store::plans::explain_one!(conn, prefix, plans, "queue_status running per agent", sql::RUNNING_PER_AGENT);
            $crate::store::plans::explain_one!(conn, prefix, plans, "queue_status ended", sql::ENDED_SINCE, hour_ago.clone());
            $crate::store::plans::explain_one!(conn, prefix, plans, "batch_list", sql::BATCH_LIST, 50_i64, 0_i64);
            $crate::store::plans::explain_one!(conn, prefix, plans, "batch_status", sql::BATCH_STATUS, sample.batch_id);
            $crate::store::plans::explain_one!(
                conn, prefix, plans,
                "reaper candidates",
                sql::REAP_CANDIDATES,
                hour_ago.clone(),
                hour_ago.clone(),
                hour_ago,
                None::<i64>,
                None::<i64>
            );
            $crate::store::plans::explain_one!(conn, prefix, plans, "purge select", sql::PURGE_SELECT, purge_before.clone(), 1000_i64);
            $crate::store::plans::explain_one!(conn, prefix, plans, "purge entries", sql::DELETE_ENTRIES, hash_id);
            $crate::store::plans::explain_one!(conn, prefix, plans, "purge batches", sql::PURGE_BATCHES, purge_before);
            Ok(plans)
        }
    };
    // The claim as the backend runs it.
    (@claim update_returning, $conn:ident, $prefix:ident, $plans:ident, $now:expr) => {
        $crate::store::plans::explain_one!(
            $conn, $prefix, $plans, "claim", sql::CLAIM, 0_i64, "plan-agent", $now.clone(), "plan-token"
        );
        $crate::store::plans::explain_one!(
            $conn, $prefix, $plans, "claim_many", sql::CLAIM_MANY, 0_i64, "plan-agent", $now, 8_i64,
            "plan-token"
        );
    };
    (@claim update_returning_then_count, $conn:ident, $prefix:ident, $plans:ident, $now:expr) => {
        $crate::store::plans::explainer!(@claim update_returning, $conn, $prefix, $plans, $now);
    };
    (@claim own, $conn:ident, $prefix:ident, $plans:ident, $now:expr) => {
        $crate::store::plans::explain_one!($conn, $prefix, $plans, "claim", sql::NEXT_WAITING, 0_i64);
    };
}
pub(crate) use explainer;

/// Plans one statement bound with the arguments and appends the plan.
macro_rules! explain_one {
    ($conn:ident, $prefix:ident, $plans:ident, $name:literal, $sql:expr $(, $arg:expr)*) => {{
        let text = format!("{}{}", $prefix, $sql);
        let rows = ::sqlx::query(::sqlx::AssertSqlSafe(text))
            .persistent(false)
            $(.bind($arg))*
            .fetch_all(&mut *$conn)
            .await?;
        $plans.push($crate::store::QueryPlan {
            name: $name,
            sql: $sql,
            lines: plan_lines(&rows)?,
        });
    }};
}
pub(crate) use explain_one;
