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

use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDateTime;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlPool, MySqlPoolOptions, MySqlRow};
use sqlx::{AssertSqlSafe, Connection, Executor, MySql, QueryBuilder, Row};

use super::Store;
use super::common::{
    self, Columns, ReapCandidate, batch_status_of, decode_entry, decode_test, ladder_chunks, naive,
    parse_json,
};
use super::migrate::{self, Guard};
use super::open::{Endpoint, ServerParams, describe};
use super::types::{
    Api, ApiKeyCheck, BatchStatus, ClaimedTest, HistoryEntry, HistoryFilter, MigrationReport,
    NewTest, PurgeReport, ReapOutcome, ReapedTest, ResultEntry, StoreError, TestRow, TestState,
    Timestamp,
};

/// Connections per process (see the PostgreSQL backend).
const MAX_CONNECTIONS: u32 = 16;
/// Fresh ids tried before a collision is reported.
const ID_TRIES: usize = 8;
/// The named lock that serialises migrations.
const MIGRATION_LOCK: &str = "zonemaster_rs_migrate";

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

/// Selects the columns of a [`TestRow`] (the order of [`common`]'s doc).
macro_rules! select_test {
    () => {
        "SELECT id, hash_id, domain, batch_id, created_at, started_at, ended_at, priority, \
         queue, progress, fingerprint, params, undelegated, state, reason, agent, attempts \
         FROM test_results"
    };
}

/// A [`Store`] on a MySQL or MariaDB database.
pub(crate) struct MysqlStore {
    pool: MySqlPool,
}

impl MysqlStore {
    /// Connects a pool (one connection at once, to report a bad
    /// configuration now rather than at the first request).
    pub(crate) async fn open(
        params: &ServerParams,
    ) -> Result<std::sync::Arc<dyn Store>, StoreError> {
        let mut options = MySqlConnectOptions::new()
            .port(params.port)
            .username(&params.user)
            .database(&params.database)
            .charset("utf8mb4");
        if !params.password.is_empty() {
            options = options.password(&params.password);
        }
        options = match &params.endpoint {
            Endpoint::Tcp(host) => options.host(host),
            Endpoint::Socket(path) => options.socket(path),
        };
        // One connection first, so that a wrong configuration fails now
        // with the server's reason (the pool would retry until its timeout).
        let probe = MySqlConnection::connect_with(&options)
            .await
            .map_err(|err| StoreError::Open {
                engine: "MySQL",
                reason: format!("{}: {err}", describe(params)),
            })?;
        let _ = probe.close().await;
        let pool = MySqlPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
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
}

// ---- migrations -----------------------------------------------------------

/// True when `table` exists in the current database.
async fn table_exists(conn: &mut MySqlConnection, table: &str) -> Result<bool, StoreError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_name = ?",
    )
    .bind(table)
    .fetch_one(&mut *conn)
    .await?;
    Ok(count > 0)
}

/// The version recorded in `schema_version`, `None` without that table.
async fn read_version(conn: &mut MySqlConnection) -> Result<Option<i64>, StoreError> {
    if !table_exists(conn, "schema_version").await? {
        return Ok(None);
    }
    let row = sqlx::query("SELECT MAX(version) FROM schema_version")
        .fetch_one(&mut *conn)
        .await?;
    row.opt_int(0)
}

/// True when the database already has what `guard` names.
async fn guard_met(conn: &mut MySqlConnection, guard: &Guard) -> Result<bool, sqlx::Error> {
    let query = match guard {
        Guard::Column { table, column } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?",
        )
        .bind(table)
        .bind(column),
        Guard::Index { table, index } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.statistics \
             WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?",
        )
        .bind(table)
        .bind(index),
        Guard::Unique { table, column } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT index_name FROM information_schema.statistics \
             WHERE table_schema = DATABASE() AND table_name = ? AND non_unique = 0 \
             GROUP BY index_name HAVING COUNT(*) = 1 AND MAX(column_name) = ?) AS u",
        )
        .bind(table)
        .bind(column),
    };
    let count: i64 = query.fetch_one(&mut *conn).await?;
    Ok(count > 0)
}

/// Runs one migration file's statements (text protocol: some DDL cannot
/// be prepared).
async fn run_file(conn: &mut MySqlConnection, version: i64, sql: &str) -> Result<(), StoreError> {
    let failed = |source| StoreError::Migration { version, source };
    for statement in migrate::statements(sql)? {
        if let Some(guard) = &statement.guard
            && guard_met(conn, guard).await.map_err(failed)?
        {
            continue;
        }
        conn.execute(sqlx::raw_sql(AssertSqlSafe(statement.sql)))
            .await
            .map_err(failed)?;
    }
    Ok(())
}

/// Records that `version` is applied.
async fn stamp(
    conn: &mut MySqlConnection,
    version: i64,
    description: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
        .bind(version)
        .bind(description)
        .bind(naive(chrono::Utc::now()))
        .execute(&mut *conn)
        .await
        .map_err(|source| StoreError::Migration { version, source })?;
    Ok(())
}

/// Adopts or migrates, holding the migration lock.
async fn migrate_locked(conn: &mut MySqlConnection) -> Result<MigrationReport, StoreError> {
    let engine = migrate::MYSQL;
    let from = read_version(conn).await?;
    let mut current = from;
    let mut adopted = false;
    if from.is_none() && table_exists(conn, "result_entries").await? {
        run_file(conn, 1, engine.adopt_reference).await?;
        stamp(conn, 1, migrate::ADOPTED_DESCRIPTION).await?;
        current = Some(1);
        adopted = true;
    } else if from.is_none() && table_exists(conn, "test_results").await? {
        return Err(StoreError::Corrupt(
            "test_results without result_entries: a Zonemaster Backend database older \
             than 11.1; upgrade it with the reference tools first"
                .to_owned(),
        ));
    }
    if let Some(found) = current.filter(|found| *found > engine.newest()) {
        return Err(StoreError::TooNew {
            found,
            known: engine.newest(),
        });
    }
    for migration in engine.pending(current) {
        run_file(conn, migration.version, migration.sql).await?;
        stamp(conn, migration.version, migration.description).await?;
    }
    Ok(MigrationReport {
        from,
        to: current.unwrap_or(0).max(engine.newest()),
        adopted_reference_schema: adopted,
    })
}

// ---- shared statements ----------------------------------------------------

/// Appends `entries` to a test, in order, in multi-row statements.
async fn insert_entries(
    conn: &mut MySqlConnection,
    hash_id: &str,
    entries: &[ResultEntry],
) -> Result<(), StoreError> {
    for chunk in ladder_chunks(entries) {
        let mut builder = QueryBuilder::<MySql>::new(
            "INSERT INTO result_entries (hash_id, level, module, testcase, tag, timestamp, args) ",
        );
        builder.push_values(chunk, |mut row, entry| {
            row.push_bind(hash_id)
                .push_bind(entry.level)
                .push_bind(&entry.module)
                .push_bind(&entry.testcase)
                .push_bind(&entry.tag)
                .push_bind(entry.timestamp)
                .push_bind(common::args_text(&entry.args));
        });
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts `tests` of batch `batch_id`. A chunk that hits a stored id is
/// rolled back alone by InnoDB and retried with fresh ids.
async fn insert_batch_tests(
    conn: &mut MySqlConnection,
    batch_id: i64,
    tests: &[NewTest],
) -> Result<(), StoreError> {
    let mut pending: Vec<NewTest> = tests.to_vec();
    let mut ids: Vec<String> = pending.iter().map(|test| test.hash_id.clone()).collect();
    common::make_distinct(&mut ids);
    for (test, id) in pending.iter_mut().zip(ids) {
        test.hash_id = id;
    }
    for chunk in ladder_chunks(&pending) {
        let mut chunk = chunk.to_vec();
        let mut tries = 0;
        loop {
            match insert_test_chunk(conn, batch_id, &chunk).await {
                Ok(()) => break,
                Err(err) if common::is_unique_violation(&err) && tries < ID_TRIES => {
                    tries += 1;
                    for test in &mut chunk {
                        test.hash_id = common::random_hash_id();
                    }
                }
                Err(err) => return Err(common::duplicate_or(err, "test id")),
            }
        }
    }
    Ok(())
}

/// One multi-row insert.
async fn insert_test_chunk(
    conn: &mut MySqlConnection,
    batch_id: i64,
    chunk: &[NewTest],
) -> Result<(), sqlx::Error> {
    let mut builder = QueryBuilder::<MySql>::new(
        "INSERT INTO test_results (hash_id, domain, batch_id, created_at, priority, queue, \
         progress, fingerprint, params, undelegated, state, attempts) ",
    );
    builder.push_values(chunk, |mut row, test| {
        row.push_bind(&test.hash_id)
            .push_bind(&test.domain)
            .push_bind(batch_id)
            .push_bind(naive(test.created_at))
            .push_bind(test.priority)
            .push_bind(test.queue)
            .push("0")
            .push_bind(&test.fingerprint)
            .push_bind(&test.params)
            .push_bind(i64::from(test.undelegated))
            .push("'waiting'")
            .push("0");
    });
    builder.build().execute(&mut *conn).await?;
    Ok(())
}

/// Binds a list as `(?, ?, …)` after `prefix`.
fn in_list<'a>(prefix: &str, values: impl IntoIterator<Item = &'a str>) -> QueryBuilder<MySql> {
    let mut builder = QueryBuilder::<MySql>::new(prefix);
    builder.push("(");
    let mut separated = builder.separated(", ");
    for value in values {
        separated.push_bind(value.to_owned());
    }
    separated.push_unseparated(")");
    builder
}

// ---- the reaper -----------------------------------------------------------

/// Running tests that are overdue or whose agent is silent.
async fn reap_candidates(
    pool: &MySqlPool,
    queue: Option<i64>,
    overdue_before: NaiveDateTime,
    dead_before: NaiveDateTime,
) -> Result<Vec<ReapCandidate>, StoreError> {
    let sql = "SELECT hash_id, agent, started_at, attempts, started_at < ? FROM test_results \
               WHERE progress > 0 AND progress < 100 \
               AND (started_at < ? OR COALESCE(heartbeat_at, started_at) < ?) \
               AND (? IS NULL OR queue = ?) ORDER BY id";
    let rows = sqlx::query(sql)
        .bind(overdue_before)
        .bind(overdue_before)
        .bind(dead_before)
        .bind(queue)
        .bind(queue)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ReapCandidate {
                hash_id: row.text(0)?,
                agent: row.opt_text(1)?,
                started_at: row.opt_time(2)?,
                attempts: row.opt_int(3)?.unwrap_or(0),
                is_overdue: row.opt_int(4)?.unwrap_or(0) != 0,
            })
        })
        .collect()
}

/// The reaper's times.
struct ReapTimes {
    now: Timestamp,
    overdue_before: NaiveDateTime,
    dead_before: NaiveDateTime,
}

impl MysqlStore {
    /// Reaps one test in its own transaction; `None` when another reaper
    /// (or the agent finishing it) got there first.
    async fn reap_one(
        &self,
        candidate: &ReapCandidate,
        times: &ReapTimes,
        max_execution_time: u32,
    ) -> Result<Option<ReapOutcome>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let elapsed = common::seconds_since(candidate.started_at, times.now);
        let now = naive(times.now);
        let outcome = if candidate.is_overdue {
            let done = sqlx::query(
                "UPDATE test_results SET progress = 100, state = 'failed', ended_at = ?, \
                 reason = ? WHERE hash_id = ? AND progress > 0 AND progress < 100 \
                 AND started_at < ?",
            )
            .bind(now)
            .bind(common::overdue_reason(max_execution_time))
            .bind(&candidate.hash_id)
            .bind(times.overdue_before)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            let entry = common::overdue_entry(max_execution_time, elapsed);
            insert_entries(&mut tx, &candidate.hash_id, &[entry]).await?;
            ReapOutcome::Overdue
        } else if candidate.attempts < common::MAX_ATTEMPTS_BEFORE_DEATH {
            let done = sqlx::query(
                "UPDATE test_results SET progress = 0, state = 'waiting', started_at = NULL, \
                 heartbeat_at = NULL, agent = NULL, reason = ? \
                 WHERE hash_id = ? AND progress > 0 AND progress < 100 \
                 AND COALESCE(heartbeat_at, started_at) < ? AND attempts < ?",
            )
            .bind(common::dead_agent_reason(candidate.agent.as_deref()))
            .bind(&candidate.hash_id)
            .bind(times.dead_before)
            .bind(common::MAX_ATTEMPTS_BEFORE_DEATH)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            sqlx::query("DELETE FROM result_entries WHERE hash_id = ?")
                .bind(&candidate.hash_id)
                .execute(&mut *tx)
                .await?;
            ReapOutcome::Requeued
        } else {
            let done = sqlx::query(
                "UPDATE test_results SET progress = 100, state = 'failed', ended_at = ?, \
                 reason = ? WHERE hash_id = ? AND progress > 0 AND progress < 100 \
                 AND COALESCE(heartbeat_at, started_at) < ? AND attempts >= ?",
            )
            .bind(now)
            .bind(common::dead_agent_reason(candidate.agent.as_deref()))
            .bind(&candidate.hash_id)
            .bind(times.dead_before)
            .bind(common::MAX_ATTEMPTS_BEFORE_DEATH)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            insert_entries(&mut tx, &candidate.hash_id, &[common::died_entry(elapsed)]).await?;
            ReapOutcome::Died
        };
        tx.commit().await?;
        Ok(Some(outcome))
    }
}

/// The `get_test_history` statement for `filter`.
fn history_sql(filter: HistoryFilter) -> &'static str {
    macro_rules! history {
        ($condition:literal) => {
            concat!(
                "SELECT page.hash_id, page.created_at, page.undelegated, ",
                "(SELECT MAX(r.level) FROM result_entries r WHERE r.hash_id = page.hash_id) ",
                "FROM (SELECT id, hash_id, created_at, undelegated FROM test_results ",
                "WHERE domain = ? AND progress = 100",
                $condition,
                " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?) AS page ",
                "ORDER BY page.created_at DESC, page.id DESC"
            )
        };
    }
    match filter {
        HistoryFilter::All => history!(""),
        HistoryFilter::Delegated => history!(" AND undelegated = 0"),
        HistoryFilter::Undelegated => history!(" AND undelegated <> 0"),
    }
}

#[async_trait]
impl Store for MysqlStore {
    fn engine_name(&self) -> &'static str {
        "MySQL"
    }

    async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let locked: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 300)")
            .bind(MIGRATION_LOCK)
            .fetch_one(&mut *conn)
            .await?;
        if locked != Some(1) {
            return Err(StoreError::Corrupt(
                "timed out waiting for another process's migration".to_owned(),
            ));
        }
        let outcome = migrate_locked(&mut conn).await;
        sqlx::query("SELECT RELEASE_LOCK(?)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
        outcome
    }

    async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        read_version(&mut conn).await
    }

    async fn create_test(
        &self,
        test: &NewTest,
        reuse_since: Timestamp,
    ) -> Result<(String, bool), StoreError> {
        let mut tx = self.pool.begin().await?;
        let reusable: Option<String> = sqlx::query_scalar(
            "SELECT hash_id FROM test_results WHERE fingerprint = ? AND batch_id IS NULL \
             AND (started_at IS NULL OR started_at >= ?) ORDER BY id DESC LIMIT 1",
        )
        .bind(&test.fingerprint)
        .bind(naive(reuse_since))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(hash_id) = reusable {
            tx.commit().await?;
            return Ok((hash_id, false));
        }
        let mut hash_id = test.hash_id.clone();
        for _ in 0..ID_TRIES {
            let inserted = sqlx::query(
                "INSERT INTO test_results (hash_id, domain, batch_id, created_at, priority, \
                 queue, progress, fingerprint, params, undelegated, state, attempts) \
                 VALUES (?, ?, NULL, ?, ?, ?, 0, ?, ?, ?, 'waiting', 0)",
            )
            .bind(&hash_id)
            .bind(&test.domain)
            .bind(naive(test.created_at))
            .bind(test.priority)
            .bind(test.queue)
            .bind(&test.fingerprint)
            .bind(&test.params)
            .bind(i64::from(test.undelegated))
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => {
                    tx.commit().await?;
                    return Ok((hash_id, true));
                }
                Err(err) if common::is_unique_violation(&err) => {
                    hash_id = common::random_hash_id();
                }
                Err(err) => return Err(err.into()),
            }
        }
        Err(StoreError::Duplicate { what: "test id" })
    }

    async fn test(&self, hash_id: &str) -> Result<Option<TestRow>, StoreError> {
        let sql = concat!(select_test!(), " WHERE hash_id = ?");
        let row = sqlx::query(sql)
            .bind(hash_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(decode_test).transpose()
    }

    async fn progress(&self, hash_id: &str) -> Result<Option<u8>, StoreError> {
        let row = sqlx::query("SELECT progress FROM test_results WHERE hash_id = ?")
            .bind(hash_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| common::narrow(row.opt_int(0)?.unwrap_or(0), "progress"))
            .transpose()
    }

    async fn results(&self, hash_id: &str) -> Result<Vec<ResultEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT level, module, testcase, tag, timestamp, args \
             FROM result_entries WHERE hash_id = ? ORDER BY id",
        )
        .bind(hash_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode_entry).collect()
    }

    async fn history(
        &self,
        domain: &str,
        filter: HistoryFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(history_sql(filter))
            .bind(domain)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let max_level = row.opt_int(3)?;
                Ok(HistoryEntry {
                    hash_id: row.text(0)?,
                    created_at: row.time(1)?,
                    undelegated: row.int(2)? != 0,
                    max_level: max_level
                        .map(|level| common::narrow(level, "level"))
                        .transpose()?,
                })
            })
            .collect()
    }

    async fn add_user(&self, username: &str, api_key_hash: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO users (username, api_key) VALUES (?, ?)")
            .bind(username)
            .bind(api_key_hash)
            .execute(&self.pool)
            .await
            .map_err(|err| common::duplicate_or(err, "user"))?;
        Ok(())
    }

    async fn check_api_key(
        &self,
        username: &str,
        api_key: &str,
    ) -> Result<ApiKeyCheck, StoreError> {
        let stored: Option<Option<String>> =
            sqlx::query_scalar("SELECT api_key FROM users WHERE username = ?")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        let Some(Some(stored)) = stored else {
            return Ok(ApiKeyCheck::Invalid);
        };
        let matched = common::compare_key(&stored, api_key);
        if matched == common::KeyMatch::Plaintext {
            sqlx::query("UPDATE users SET api_key = ? WHERE username = ? AND api_key = ?")
                .bind(Api::hash_key(api_key))
                .bind(username)
                .bind(&stored)
                .execute(&self.pool)
                .await?;
        }
        Ok(common::key_check(&matched))
    }

    async fn create_batch(
        &self,
        username: &str,
        tests: &[NewTest],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query("INSERT INTO batch_jobs (username, created_at) VALUES (?, ?)")
            .bind(username)
            .bind(naive(now))
            .execute(&mut *tx)
            .await?;
        let batch_id = i64::try_from(inserted.last_insert_id())
            .map_err(|_| StoreError::Corrupt("batch id out of range".to_owned()))?;
        insert_batch_tests(&mut tx, batch_id, tests).await?;
        tx.commit().await?;
        Ok(batch_id)
    }

    async fn batch_status(&self, batch_id: i64) -> Result<Option<BatchStatus>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.hash_id, t.progress, t.state FROM batch_jobs b \
             LEFT JOIN test_results t ON t.batch_id = b.id WHERE b.id = ? ORDER BY t.id",
        )
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut tests = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(hash_id) = row.opt_text(0)? {
                tests.push((hash_id, row.opt_int(1)?.unwrap_or(0), row.opt_text(2)?));
            }
        }
        Ok(Some(batch_status_of(tests)))
    }

    async fn cancel_batch(&self, batch_id: i64, now: Timestamp) -> Result<Option<u64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query("SELECT id FROM batch_jobs WHERE id = ?")
            .bind(batch_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let cancelled = sqlx::query(
            "UPDATE test_results SET progress = 100, state = 'cancelled', ended_at = ?, \
             reason = ? WHERE batch_id = ? AND progress = 0",
        )
        .bind(naive(now))
        .bind(common::CANCELLED_REASON)
        .bind(batch_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(cancelled.rows_affected()))
    }

    async fn claim(
        &self,
        queue: i64,
        agent: &str,
        now: Timestamp,
    ) -> Result<Option<ClaimedTest>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT id, hash_id, domain, params, batch_id, attempts FROM test_results \
             WHERE queue = ? AND progress = 0 ORDER BY priority DESC, id ASC LIMIT 1 \
             FOR UPDATE SKIP LOCKED",
        )
        .bind(queue)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let claimed = ClaimedTest {
            hash_id: row.text(1)?,
            domain: row.text(2)?,
            params: parse_json(&row.text(3)?)?,
            batch_id: row.opt_int(4)?,
            started_at: common::whole_seconds(now),
            attempts: common::narrow(row.opt_int(5)?.unwrap_or(0) + 1, "attempts")?,
        };
        sqlx::query(
            "UPDATE test_results SET progress = 1, state = 'running', started_at = ?, \
             heartbeat_at = ?, agent = ?, attempts = attempts + 1 WHERE id = ?",
        )
        .bind(naive(now))
        .bind(naive(now))
        .bind(agent)
        .bind(row.int(0)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(claimed))
    }

    async fn heartbeat(
        &self,
        agent: &str,
        hash_ids: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for chunk in hash_ids.chunks(500) {
            let mut builder = QueryBuilder::<MySql>::new("UPDATE test_results SET heartbeat_at = ");
            builder
                .push_bind(naive(now))
                .push(" WHERE agent = ")
                .push_bind(agent.to_owned())
                .push(" AND progress > 0 AND progress < 100 AND hash_id IN (");
            let mut separated = builder.separated(", ");
            for hash_id in chunk {
                separated.push_bind(hash_id.as_str());
            }
            separated.push_unseparated(")");
            builder
                .build()
                .persistent(false)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    async fn set_progress(&self, hash_id: &str, progress: u8) -> Result<(), StoreError> {
        let progress = i64::from(progress.min(99));
        sqlx::query(
            "UPDATE test_results SET progress = ? \
             WHERE hash_id = ? AND progress > 0 AND progress < ?",
        )
        .bind(progress)
        .bind(hash_id)
        .bind(progress)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn finish(
        &self,
        hash_id: &str,
        agent: &str,
        entries: &[ResultEntry],
        state: TestState,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        if !state.is_finished() {
            debug_assert!(false, "finish with the unfinished state {state}");
            return Ok(false);
        }
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE test_results SET progress = 100, state = ?, ended_at = ?, reason = ? \
             WHERE hash_id = ? AND agent = ? AND progress > 0 AND progress < 100",
        )
        .bind(state.as_str())
        .bind(naive(now))
        .bind(reason)
        .bind(hash_id)
        .bind(agent)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        insert_entries(&mut tx, hash_id, entries).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn requeue(&self, hash_id: &str, agent: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE test_results SET progress = 0, state = 'waiting', started_at = NULL, \
             heartbeat_at = NULL, agent = NULL, attempts = GREATEST(attempts - 1, 0) \
             WHERE hash_id = ? AND agent = ? AND progress > 0 AND progress < 100",
        )
        .bind(hash_id)
        .bind(agent)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM result_entries WHERE hash_id = ?")
            .bind(hash_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn reap(
        &self,
        queue: Option<i64>,
        overdue_before: Timestamp,
        dead_before: Timestamp,
        max_execution_time: u32,
        now: Timestamp,
    ) -> Result<Vec<ReapedTest>, StoreError> {
        let times = ReapTimes {
            now: common::whole_seconds(now),
            overdue_before: naive(overdue_before),
            dead_before: naive(dead_before),
        };
        let candidates =
            reap_candidates(&self.pool, queue, times.overdue_before, times.dead_before).await?;
        let mut reaped = Vec::new();
        for candidate in candidates {
            if let Some(outcome) = self
                .reap_one(&candidate, &times, max_execution_time)
                .await?
            {
                reaped.push(ReapedTest {
                    hash_id: candidate.hash_id,
                    outcome,
                });
            }
        }
        Ok(reaped)
    }

    async fn purge(&self, before: Timestamp, chunk: u32) -> Result<PurgeReport, StoreError> {
        let chunk = i64::from(chunk.clamp(1, 5000));
        let before = naive(before);
        let mut report = PurgeReport::default();
        loop {
            let mut tx = self.pool.begin().await?;
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT hash_id FROM test_results WHERE progress = 100 AND created_at < ? \
                 ORDER BY id LIMIT ?",
            )
            .bind(before)
            .bind(chunk)
            .fetch_all(&mut *tx)
            .await?;
            if ids.is_empty() {
                break;
            }
            let mut entries = in_list(
                "DELETE FROM result_entries WHERE hash_id IN ",
                ids.iter().map(String::as_str),
            );
            report.entries += entries
                .build()
                .persistent(false)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let mut tests = in_list(
                "DELETE FROM test_results WHERE progress = 100 AND hash_id IN ",
                ids.iter().map(String::as_str),
            );
            report.tests += tests
                .build()
                .persistent(false)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
        }
        let batches = sqlx::query(
            "DELETE FROM batch_jobs WHERE created_at < ? AND NOT EXISTS \
             (SELECT 1 FROM test_results t WHERE t.batch_id = batch_jobs.id)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        report.batches = batches.rows_affected();
        Ok(report)
    }

    async fn queue_counts(&self) -> Result<Vec<(TestState, u64)>, StoreError> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM test_results GROUP BY state")
            .fetch_all(&self.pool)
            .await?;
        let mut counts: Vec<(TestState, u64)> =
            TestState::ALL.into_iter().map(|state| (state, 0)).collect();
        for row in &rows {
            let state: TestState = row.text(0)?.parse()?;
            let count = common::narrow::<u64>(row.int(1)?, "count")?;
            if let Some(slot) = counts.iter_mut().find(|(known, _)| *known == state) {
                slot.1 += count;
            }
        }
        Ok(counts)
    }
}
