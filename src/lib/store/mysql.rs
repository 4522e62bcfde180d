//! The MySQL / MariaDB backend.
//!
//! One pool whose sessions run READ COMMITTED, so locking reads take no
//! gap locks and inserts of new tests never wait for a claim. A claim is
//! `SELECT … FOR UPDATE SKIP LOCKED` (MariaDB ≥ 10.6, MySQL ≥ 8.0) and an
//! `UPDATE` of that row in one transaction. MySQL has no `RETURNING` on
//! `UPDATE` and no `ON CONFLICT`: an id collision is a duplicate-key error,
//! which InnoDB rolls back alone (the transaction goes on), so the rows are
//! retried with fresh ids. DDL commits implicitly, so migrations run
//! outside transactions, serialised by a named lock, each statement
//! idempotent (see `sql/mysql/`).

use chrono::NaiveDateTime;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlPool, MySqlRow};
use sqlx::{Executor, MySql, Row};

use super::ExplainMode;
use super::Store;
use super::common::{self, Columns, naive};
use super::migrate;
use super::open::{ServerParams, pool_options, probe, server_options};
use super::shared::backend;
use super::types::{ClaimToken, ClaimedTest, MigrationReport, NewTest, StoreError, Timestamp};

/// The named lock that serialises migrations.
const MIGRATION_LOCK: &str = "zonemaster_rs_migrate";

/// The engine, for the shared code.
type Db = MySql;
/// MySQL keeps times as `DATETIME` (UTC, no zone).
type DbTime = NaiveDateTime;

/// A time as this engine binds it.
fn time(time: Timestamp) -> DbTime {
    naive(time)
}

impl Columns for MySqlRow {
    fn text(&self, index: usize) -> Result<String, StoreError> {
        self.opt_text(index)?
            .ok_or_else(|| StoreError::Corrupt(format!("text column {index} is NULL")))
    }
    /// `params` and `args` are BLOBs, which sqlx hands out as bytes only.
    fn opt_text(&self, index: usize) -> Result<Option<String>, StoreError> {
        if let Ok(text) = self.try_get::<Option<String>, _>(index) {
            return Ok(text);
        }
        let bytes = self.try_get::<Option<Vec<u8>>, _>(index)?;
        bytes
            .map(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|_| StoreError::Corrupt(format!("column {index} is not UTF-8")))
            })
            .transpose()
    }
    fn int(&self, index: usize) -> Result<i64, StoreError> {
        Ok(self.try_get::<i64, _>(index)?)
    }
    fn opt_int(&self, index: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get::<Option<i64>, _>(index)?)
    }
    fn float(&self, index: usize) -> Result<f64, StoreError> {
        Ok(self.try_get::<f64, _>(index)?)
    }
    fn opt_time(&self, index: usize) -> Result<Option<Timestamp>, StoreError> {
        Ok(self
            .try_get::<Option<NaiveDateTime>, _>(index)?
            .map(common::from_naive))
    }
}

/// The statements: the shared ones (with `?`) and MySQL's own.
mod sql {
    pub(super) use super::super::statements::positional::*;

    /// True when a table exists.
    pub(super) const TABLE_EXISTS: &str = "SELECT COUNT(*) FROM information_schema.tables WHERE \
         table_schema = DATABASE() AND table_name = ?";
    /// `unless-column`.
    pub(super) const GUARD_COLUMN: &str = "SELECT COUNT(*) FROM information_schema.columns WHERE \
         table_schema = DATABASE() AND table_name = ? AND column_name = ?";
    /// `unless-index`.
    pub(super) const GUARD_INDEX: &str = "SELECT COUNT(*) FROM information_schema.statistics WHERE \
         table_schema = DATABASE() AND table_name = ? AND index_name = ?";
    /// `unless-unique`.
    pub(super) const GUARD_UNIQUE: &str = "SELECT COUNT(*) FROM (SELECT index_name FROM \
         information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND \
         non_unique = 0 GROUP BY index_name HAVING COUNT(*) = 1 AND MAX(column_name) = ?) AS u";
    /// A test's row, columns in [`common`](super::common)'s order.
    pub(super) const SELECT_TEST_BY_ID: &str = "SELECT id, hash_id, domain, batch_id, created_at, \
         started_at, ended_at, priority, queue, progress, fingerprint, params, undelegated, state, \
         reason, agent, attempts, testcases_ran, testcases_enabled FROM test_results WHERE hash_id = ?";
    /// A test's entries.
    pub(super) const RESULTS: &str = "SELECT level, module, testcase, tag, timestamp, args FROM \
         result_entries WHERE hash_id = ? ORDER BY id";
    /// Creates a batch (no `RETURNING`: the id is `LAST_INSERT_ID()`).
    pub(super) const INSERT_BATCH: &str =
        "INSERT INTO batch_jobs (username, created_at) VALUES (?, ?)";
    /// Records an agent's heartbeat.
    pub(super) const UPSERT_AGENT: &str = "INSERT INTO agents (name, last_seen) VALUES (?, ?) \
         ON DUPLICATE KEY UPDATE last_seen = VALUES(last_seen)";
    /// Takes the migration lock (waits up to 300 s).
    pub(super) const LOCK_MIGRATIONS: &str = "SELECT GET_LOCK(?, 300)";
    /// Gives the migration lock back.
    pub(super) const UNLOCK_MIGRATIONS: &str = "SELECT RELEASE_LOCK(?)";
    /// Takes the named lock of a fingerprint (waits up to 30 s).
    pub(super) const LOCK_FINGERPRINT: &str = "SELECT GET_LOCK(CONCAT('zm-fp-', ?), 30)";
    /// Gives the named lock of a fingerprint back.
    pub(super) const UNLOCK_FINGERPRINT: &str = "SELECT RELEASE_LOCK(CONCAT('zm-fp-', ?))";
    /// The newest reusable test of a fingerprint, through the (fingerprint,
    /// id) index only (see the PostgreSQL statement for `batch_id + 0`).
    pub(super) const REUSABLE: &str = "SELECT hash_id FROM test_results WHERE fingerprint = ? AND \
         batch_id + 0 IS NULL AND (started_at IS NULL OR started_at >= ?) ORDER BY fingerprint \
         DESC, id DESC LIMIT 1";
    /// Inserts a test (a taken id is a duplicate-key error).
    pub(super) const INSERT_TEST: &str = "INSERT INTO test_results (hash_id, domain, batch_id, \
         created_at, priority, queue, progress, fingerprint, params, undelegated, state, attempts) \
         VALUES (?, ?, NULL, ?, ?, ?, 0, ?, ?, ?, 'waiting', 0)";
    /// Locks the next waiting test, skipping rows other claims hold.
    pub(super) const NEXT_WAITING: &str = "SELECT hash_id, domain, params, batch_id, attempts + 1, \
         id FROM test_results WHERE queue = ? AND progress = 0 ORDER BY priority DESC, id ASC \
         LIMIT 1 FOR UPDATE SKIP LOCKED";
    /// Marks the locked test as claimed.
    pub(super) const CLAIM: &str = "UPDATE test_results SET progress = 1, state = 'running', \
         started_at = ?, heartbeat_at = ?, agent = ?, claim_token = ?, attempts = attempts + 1 \
         WHERE id = ?";
    /// Waiting and running tests, counted (sums cast: MySQL makes them
    /// decimals).
    pub(super) const QUEUE_TOTALS: &str =
        super::super::statements::queue_totals!("CAST(", " AS SIGNED)");
    /// A page of batches with their counts.
    pub(super) const BATCH_LIST: &str =
        super::super::statements::batch_list!("CAST(", " AS SIGNED)", "?", "?");
    /// Folds changes into the counts of a scope.
    pub(super) const UPSERT_COUNT: &str = "INSERT INTO test_counts (scope, waiting, running, \
         finished) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE waiting = waiting + \
         VALUES(waiting), running = running + VALUES(running), finished = finished + \
         VALUES(finished)";
    /// The running tests of a claim token.
    pub(super) const RECOVERED: &str = "SELECT hash_id, domain, params, batch_id, attempts, \
         started_at FROM test_results WHERE claim_token = ? AND agent = ? AND progress > 0 AND \
         progress < 100 ORDER BY priority DESC, id";
}

/// What precedes a statement to plan it: MariaDB's `ANALYZE` runs it
/// and reports rows read; MySQL's `EXPLAIN ANALYZE` takes no `UPDATE`,
/// so MySQL gets the plan only.
async fn explain_prefix(
    conn: &mut MySqlConnection,
    mode: ExplainMode,
) -> Result<&'static str, StoreError> {
    if mode == ExplainMode::Analyze {
        let version: String = sqlx::query_scalar("SELECT VERSION()")
            .fetch_one(conn)
            .await?;
        if version.contains("MariaDB") {
            return Ok("ANALYZE ");
        }
    }
    Ok("EXPLAIN ")
}

/// Each plan row as `column=value` pairs (NULL columns left out).
fn plan_lines(rows: &[MySqlRow]) -> Result<Vec<String>, StoreError> {
    use sqlx::Column;
    Ok(rows
        .iter()
        .map(|row| {
            let pairs: Vec<String> = row
                .columns()
                .iter()
                .filter_map(|column| {
                    let index = column.ordinal();
                    let value = row
                        .try_get::<Option<String>, _>(index)
                        .ok()
                        .flatten()
                        .or_else(|| {
                            row.try_get::<Option<i64>, _>(index)
                                .ok()
                                .flatten()
                                .map(|v| v.to_string())
                        })
                        .or_else(|| {
                            row.try_get::<Option<u64>, _>(index)
                                .ok()
                                .flatten()
                                .map(|v| v.to_string())
                        })
                        .or_else(|| {
                            row.try_get::<Option<f64>, _>(index)
                                .ok()
                                .flatten()
                                .map(|v| v.to_string())
                        })
                        .or_else(|| row.opt_text(index).ok().flatten())?;
                    Some(format!("{}={value}", column.name()))
                })
                .collect();
            pairs.join(" ")
        })
        .collect())
}

/// A [`Store`] on a MySQL or MariaDB database.
pub(crate) struct MysqlStore {
    /// The connections (sessions READ COMMITTED).
    pool: MySqlPool,
}

backend!(
    MysqlStore,
    name: "MySQL",
    migrations: migrate::MYSQL,
    pools: one,
    migrates: own,
    creates: own,
    claims: own,
    lists: in_list,
    batch_ids: last_insert_id,
    collisions: duplicate_key,
);

impl MysqlStore {
    /// Connects a pool (one connection at once, to report a bad
    /// configuration now rather than at the first request).
    pub(crate) async fn open(
        params: &ServerParams,
    ) -> Result<std::sync::Arc<dyn Store>, StoreError> {
        let options = server_options!(MySqlConnectOptions::new(), params).charset("utf8mb4");
        probe::<MySqlConnection>(&options, "MySQL", params).await?;
        let pool = pool_options::<MySql>()
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(sqlx::raw_sql(
                        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                    ))
                    .await?;
                    Ok(())
                })
            })
            .connect_lazy_with(options);
        Ok(std::sync::Arc::new(Self { pool }))
    }

    /// Migrates outside transactions (DDL commits implicitly), holding a
    /// named lock so concurrent processes migrate in turn.
    async fn engine_migrate(&self) -> Result<MigrationReport, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let locked: Option<i64> = sqlx::query_scalar(sql::LOCK_MIGRATIONS)
            .bind(MIGRATION_LOCK)
            .fetch_one(&mut *conn)
            .await?;
        if locked != Some(1) {
            return Err(StoreError::Corrupt(
                "timed out waiting for another process's migration".to_owned(),
            ));
        }
        let outcome = migrate_on(&mut conn).await;
        sqlx::query(sql::UNLOCK_MIGRATIONS)
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
        outcome
    }

    /// Serialises the requests of one fingerprint with a named lock held
    /// around the look-up-then-insert transaction: READ COMMITTED takes no
    /// gap locks, so without it two equal requests arriving together both
    /// find nothing and both insert (spec §5.1.3 wants one test). The
    /// locked section runs in its own task, so a caller that goes away
    /// cannot leave a pooled session holding the lock.
    async fn engine_create_test(
        &self,
        test: &NewTest,
        reuse_since: Timestamp,
    ) -> Result<(String, bool), StoreError> {
        let (pool, test) = (self.pool.clone(), test.clone());
        tokio::spawn(async move { create_locked(&pool, &test, reuse_since).await })
            .await
            .map_err(|_| StoreError::Interrupted)?
    }

    /// Locks the next test, then marks it claimed with `token`, in one
    /// transaction.
    async fn engine_claim(
        &self,
        queue: i64,
        agent: &str,
        token: &ClaimToken,
        now: Timestamp,
    ) -> Result<Option<ClaimedTest>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(sql::NEXT_WAITING)
            .bind(queue)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let claimed = common::decode_claim(&row, now)?;
        sqlx::query(sql::CLAIM)
            .bind(time(now))
            .bind(time(now))
            .bind(agent)
            .bind(token.as_str())
            .bind(row.int(5)?)
            .execute(&mut *tx)
            .await?;
        record_counts(&mut tx, &claimed_count(std::slice::from_ref(&row))?).await?;
        tx.commit().await?;
        Ok(Some(claimed))
    }
}

/// Creates or reuses a test holding its fingerprint's named lock; a
/// session whose lock could not be given back is closed, not pooled.
async fn create_locked(
    pool: &MySqlPool,
    test: &NewTest,
    reuse_since: Timestamp,
) -> Result<(String, bool), StoreError> {
    let mut conn = pool.acquire().await?;
    let locked: Option<i64> = sqlx::query_scalar(sql::LOCK_FINGERPRINT)
        .bind(&test.fingerprint)
        .fetch_one(&mut *conn)
        .await?;
    if locked != Some(1) {
        return Err(StoreError::LockTimeout {
            what: "a test fingerprint",
        });
    }
    let outcome = lookup_then_insert(&mut conn, test, reuse_since).await;
    let released = sqlx::query(sql::UNLOCK_FINGERPRINT)
        .bind(&test.fingerprint)
        .execute(&mut *conn)
        .await;
    if released.is_err() {
        conn.close_on_drop();
    }
    outcome
}

/// Reuses the newest reusable test of the fingerprint or inserts `test`,
/// in one transaction; a taken id is a duplicate-key error, which InnoDB
/// rolls back alone, and a fresh id is tried.
async fn lookup_then_insert(
    conn: &mut MySqlConnection,
    test: &NewTest,
    reuse_since: Timestamp,
) -> Result<(String, bool), StoreError> {
    let mut tx = sqlx::Connection::begin(conn).await?;
    let reusable: Option<String> = sqlx::query_scalar(sql::REUSABLE)
        .bind(&test.fingerprint)
        .bind(time(reuse_since))
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(hash_id) = reusable {
        tx.commit().await?;
        return Ok((hash_id, false));
    }
    let mut hash_id = test.hash_id.clone();
    for _ in 0..common::ID_TRIES {
        let inserted = bind_new_test(sqlx::query(sql::INSERT_TEST), &hash_id, test)
            .execute(&mut *tx)
            .await;
        match inserted {
            Ok(_) => {
                record_counts(&mut tx, &created_count(None, 1)).await?;
                tx.commit().await?;
                return Ok((hash_id, true));
            }
            Err(err) if common::is_unique_violation(&err) => hash_id = super::new_test_id(),
            Err(err) => return Err(err.into()),
        }
    }
    Err(StoreError::Duplicate { what: "test id" })
}
