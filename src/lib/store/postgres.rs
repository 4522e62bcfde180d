//! The PostgreSQL backend.
//!
//! One pool; READ COMMITTED (the server default). A claim is one
//! `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`, so
//! agents on many hosts never take the same test and never wait for each
//! other. Conditional updates (`finish`, the reaper) lock the row first and
//! re-check their condition on its newest version, so of two racing
//! writers exactly one sees its row change. `create_test` serialises
//! requests with the same fingerprint with a transaction-level advisory
//! lock, so two equal requests arriving together still make one test.

use chrono::NaiveDateTime;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgRow};
use sqlx::{Postgres, Row};

use super::ExplainMode;
use super::Store;
use super::common::{self, Columns, naive};
use super::migrate;
use super::open::{ServerParams, pool_options, probe, server_options};
use super::shared::backend;
use super::types::{StoreError, Timestamp};

/// The advisory lock key that serialises migrations ("zm-migr").
const MIGRATION_LOCK: i64 = 0x007a_6d2d_6d69_6772;

/// The engine, for the shared code.
type Db = Postgres;
/// PostgreSQL keeps times as `timestamp` (UTC, no zone).
type DbTime = NaiveDateTime;

/// A time as this engine binds it.
fn time(time: Timestamp) -> DbTime {
    naive(time)
}

impl Columns for PgRow {
    fn text(&self, index: usize) -> Result<String, StoreError> {
        Ok(self.try_get::<String, _>(index)?)
    }
    fn opt_text(&self, index: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get::<Option<String>, _>(index)?)
    }
    fn int(&self, index: usize) -> Result<i64, StoreError> {
        self.opt_int(index)?
            .ok_or_else(|| StoreError::Corrupt(format!("integer column {index} is NULL")))
    }
    /// PostgreSQL is strict about widths; reference columns are `integer`.
    fn opt_int(&self, index: usize) -> Result<Option<i64>, StoreError> {
        if let Ok(value) = self.try_get::<Option<i64>, _>(index) {
            return Ok(value);
        }
        if let Ok(value) = self.try_get::<Option<i32>, _>(index) {
            return Ok(value.map(i64::from));
        }
        Ok(self.try_get::<Option<i16>, _>(index)?.map(i64::from))
    }
    fn float(&self, index: usize) -> Result<f64, StoreError> {
        if let Ok(value) = self.try_get::<f64, _>(index) {
            return Ok(value);
        }
        Ok(f64::from(self.try_get::<f32, _>(index)?))
    }
    fn opt_time(&self, index: usize) -> Result<Option<Timestamp>, StoreError> {
        Ok(self
            .try_get::<Option<NaiveDateTime>, _>(index)?
            .map(common::from_naive))
    }
}

/// The CTE of a claim statement that records, for the tests of the
/// `claimed` CTE before it, their move from waiting to running (a
/// data-modifying CTE always runs to its end, read or not).
macro_rules! counted_claims {
    () => {
        "counted AS (INSERT INTO test_count_changes (scope, waiting, running, finished) \
         SELECT s.scope, -COUNT(*), COUNT(*), 0 FROM (SELECT 0 AS scope FROM claimed UNION ALL \
         SELECT batch_id FROM claimed WHERE batch_id IS NOT NULL AND batch_id <> 0) AS s \
         GROUP BY s.scope) "
    };
}

/// The statements: the shared ones and PostgreSQL's own.
mod sql {
    pub(super) use super::super::statements::numbered::*;

    /// True when a table exists.
    pub(super) const TABLE_EXISTS: &str = "SELECT COUNT(*) FROM information_schema.tables WHERE \
         table_schema = current_schema() AND table_name = $1";
    /// `unless-column`.
    pub(super) const GUARD_COLUMN: &str = "SELECT COUNT(*) FROM information_schema.columns WHERE \
         table_schema = current_schema() AND table_name = $1 AND column_name = $2";
    /// `unless-index`.
    pub(super) const GUARD_INDEX: &str = "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = \
         current_schema() AND tablename = $1 AND indexname = $2";
    /// `unless-unique`.
    pub(super) const GUARD_UNIQUE: &str = "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON \
         c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON \
         a.attrelid = c.oid AND a.attnum = i.indkey[0] WHERE n.nspname = current_schema() AND \
         c.relname = $1 AND a.attname = $2 AND i.indisunique AND i.indnatts = 1 AND i.indpred IS \
         NULL";
    /// A test's row, columns in [`common`](super::common)'s order.
    pub(super) const SELECT_TEST_BY_ID: &str = "SELECT id, hash_id, domain, batch_id, created_at, \
         started_at, ended_at, priority, queue, progress, fingerprint, params::text, undelegated, \
         state, reason, agent, attempts, testcases_ran, testcases_enabled FROM test_results WHERE hash_id = $1";
    /// A test's entries.
    pub(super) const RESULTS: &str = "SELECT level, module, testcase, tag, timestamp::float8, \
         args::text FROM result_entries WHERE hash_id = $1 ORDER BY id";
    /// `params` arrive as text.
    pub(super) const PARAMS_CAST: &str = "::json";
    /// `args` arrive as text.
    pub(super) const ARGS_CAST: &str = "::jsonb";
    /// Sets the heartbeat of an agent's running tests.
    pub(super) const HEARTBEAT: &str = "UPDATE test_results SET heartbeat_at = $1 WHERE agent = $2 \
         AND progress > 0 AND progress < 100 AND hash_id = ANY($3)";
    /// Deletes the entries of purged tests.
    pub(super) const PURGE_ENTRIES: &str = "DELETE FROM result_entries WHERE hash_id = ANY($1)";
    /// Deletes purged tests.
    pub(super) const PURGE_TESTS: &str =
        "DELETE FROM test_results WHERE progress = 100 AND hash_id = ANY($1)";
    /// Serialises the migrations of every process.
    pub(super) const LOCK_MIGRATIONS: &str = "SELECT pg_advisory_xact_lock($1)";
    /// Serialises the requests of one fingerprint.
    pub(super) const LOCK_FINGERPRINT: &str =
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";
    /// The newest reusable test of a fingerprint, found through the
    /// (fingerprint, id) index only. `batch_id + 0` (null exactly when
    /// `batch_id` is) keeps the batch index out: on a table that grew
    /// since its last ANALYZE, the planner took `batch_id IS NULL` for
    /// selective, and the cached plan walked every test outside a batch
    /// for each request (auto_explain during `cargo bench --bench api`:
    /// 4-6 ms a request, 2.2 ms of server CPU, 726 requests/s).
    pub(super) const REUSABLE: &str = "SELECT hash_id FROM test_results WHERE fingerprint = $1 AND \
         batch_id + 0 IS NULL AND (started_at IS NULL OR started_at >= $2) ORDER BY fingerprint \
         DESC, id DESC LIMIT 1";
    /// Inserts a test unless its id is taken.
    pub(super) const INSERT_TEST: &str = "INSERT INTO test_results (hash_id, domain, batch_id, \
         created_at, priority, queue, progress, fingerprint, params, undelegated, state, attempts) \
         VALUES ($1, $2, NULL, $3, $4, $5, 0, $6, $7::json, $8, 'waiting', 0) ON CONFLICT DO \
         NOTHING";
    /// Claims the next test, skipping rows other claims hold, and
    /// records the count changes, in one statement.
    pub(super) const CLAIM: &str = concat!(
        "WITH claimed AS (UPDATE test_results SET progress = 1, state = 'running', \
         started_at = $3, heartbeat_at = $3, agent = $2, claim_token = $4, \
         attempts = attempts + 1 WHERE id = \
         (SELECT id FROM test_results WHERE queue = $1 AND progress = 0 ORDER BY priority DESC, id \
         ASC LIMIT 1 FOR UPDATE SKIP LOCKED) AND progress = 0 RETURNING hash_id, domain, \
         params::text AS params, batch_id, attempts), ",
        counted_claims!(),
        "SELECT hash_id, domain, params, batch_id, attempts FROM claimed"
    );
    /// Claims up to $4 tests in one statement, returning `priority, id`
    /// too (RETURNING keeps no order), and records the count changes. The
    /// locking CTE runs once; a `LIMIT … SKIP LOCKED` subquery under
    /// `id IN (…)` may be run again by the plan and claim more than $4.
    pub(super) const CLAIM_MANY: &str = concat!(
        "WITH picked AS (SELECT id FROM test_results WHERE \
         queue = $1 AND progress = 0 ORDER BY priority DESC, id ASC LIMIT $4 FOR UPDATE SKIP \
         LOCKED), claimed AS (UPDATE test_results AS t SET progress = 1, state = 'running', \
         started_at = $3, heartbeat_at = $3, agent = $2, claim_token = $5, \
         attempts = t.attempts + 1 FROM picked WHERE t.id = picked.id AND t.progress = 0 \
         RETURNING t.hash_id, t.domain, t.params::text AS params, t.batch_id, t.attempts, \
         t.priority::bigint AS priority, t.id::bigint AS id), ",
        counted_claims!(),
        "SELECT hash_id, domain, params, batch_id, attempts, priority, id FROM claimed"
    );
    /// The finished tests among a list, per batch, before a purge.
    pub(super) const PURGE_COUNTS: &str = "SELECT batch_id, COUNT(*) FROM test_results WHERE \
         progress = 100 AND hash_id = ANY($1) GROUP BY batch_id";
    /// Deletes folded count changes.
    pub(super) const DELETE_COUNT_CHANGES: &str =
        "DELETE FROM test_count_changes WHERE id = ANY($1)";
    /// The running tests of a claim token.
    pub(super) const RECOVERED: &str = "SELECT hash_id, domain, params::text, batch_id, \
         attempts, started_at FROM test_results WHERE claim_token = $1 AND agent = $2 AND \
         progress > 0 AND progress < 100 ORDER BY priority DESC, id";
}

/// What precedes a statement to plan it; discouraging sequential scans
/// for this transaction when asked to prefer indexes.
async fn explain_prefix(
    conn: &mut PgConnection,
    mode: ExplainMode,
) -> Result<&'static str, StoreError> {
    match mode {
        ExplainMode::Analyze => Ok("EXPLAIN (ANALYZE, BUFFERS) "),
        ExplainMode::PreferIndexes => {
            sqlx::raw_sql("SET LOCAL enable_seqscan = off")
                .execute(conn)
                .await?;
            Ok("EXPLAIN ")
        }
    }
}

/// `EXPLAIN` gives one text line per row.
fn plan_lines(rows: &[PgRow]) -> Result<Vec<String>, StoreError> {
    rows.iter().map(|row| row.text(0)).collect()
}

/// A [`Store`] on a PostgreSQL database.
pub(crate) struct PostgresStore {
    /// The connections.
    pool: PgPool,
}

backend!(
    PostgresStore,
    name: "PostgreSQL",
    migrations: migrate::POSTGRES,
    pools: one,
    migrates: in_locked_transaction,
    creates: lookup_locked_then_insert,
    claims: update_returning,
    lists: any_array,
    batch_ids: returning,
    collisions: on_conflict,
);

impl PostgresStore {
    /// Connects a pool (one connection at once, to report a bad
    /// configuration now rather than at the first request).
    pub(crate) async fn open(
        params: &ServerParams,
    ) -> Result<std::sync::Arc<dyn Store>, StoreError> {
        let options = server_options!(PgConnectOptions::new_without_pgpass(), params)
            .application_name("zonemaster-rs");
        probe::<PgConnection>(&options, "PostgreSQL", params).await?;
        let pool = pool_options::<Postgres>().connect_lazy_with(options);
        Ok(std::sync::Arc::new(Self { pool }))
    }
}
