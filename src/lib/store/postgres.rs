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

use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDateTime;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Connection, Postgres, QueryBuilder, Row};

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

/// Connections per process: the API daemon and the agent run many tasks,
/// each holding a connection only for one short transaction.
const MAX_CONNECTIONS: u32 = 16;
/// Fresh ids tried before a collision is reported.
const ID_TRIES: usize = 8;
/// The advisory lock key that serialises migrations ("zm-migr").
const MIGRATION_LOCK: i64 = 0x007a_6d2d_6d69_6772;

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

/// Selects the columns of a [`TestRow`] (the order of [`common`]'s doc).
macro_rules! select_test {
    () => {
        "SELECT id, hash_id, domain, batch_id, created_at, started_at, ended_at, priority, \
         queue, progress, fingerprint, params::text, undelegated, state, reason, agent, \
         attempts FROM test_results"
    };
}

/// A [`Store`] on a PostgreSQL database.
pub(crate) struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects a pool (one connection at once, to report a bad
    /// configuration now rather than at the first request).
    pub(crate) async fn open(
        params: &ServerParams,
    ) -> Result<std::sync::Arc<dyn Store>, StoreError> {
        let mut options = PgConnectOptions::new_without_pgpass()
            .port(params.port)
            .username(&params.user)
            .database(&params.database)
            .application_name("zonemaster-rs");
        if !params.password.is_empty() {
            options = options.password(&params.password);
        }
        options = match &params.endpoint {
            Endpoint::Tcp(host) => options.host(host),
            Endpoint::Socket(dir) => options.socket(dir),
        };
        // One connection first, so that a wrong configuration fails now
        // with the server's reason (the pool would retry until its timeout).
        let probe = PgConnection::connect_with(&options)
            .await
            .map_err(|err| StoreError::Open {
                engine: "PostgreSQL",
                reason: format!("{}: {err}", describe(params)),
            })?;
        let _ = probe.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            .connect_lazy_with(options);
        Ok(std::sync::Arc::new(Self { pool }))
    }
}

// ---- migrations -----------------------------------------------------------

/// True when `table` exists in the current schema.
async fn table_exists(conn: &mut PgConnection, table: &str) -> Result<bool, StoreError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind(table)
    .fetch_one(&mut *conn)
    .await?;
    Ok(count > 0)
}

/// The version recorded in `schema_version`, `None` without that table.
async fn read_version(conn: &mut PgConnection) -> Result<Option<i64>, StoreError> {
    if !table_exists(conn, "schema_version").await? {
        return Ok(None);
    }
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version)::bigint FROM schema_version")
            .fetch_one(&mut *conn)
            .await?;
    Ok(version)
}

/// True when the database already has what `guard` names.
async fn guard_met(conn: &mut PgConnection, guard: &Guard) -> Result<bool, sqlx::Error> {
    let query = match guard {
        Guard::Column { table, column } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2",
        )
        .bind(table)
        .bind(column),
        Guard::Index { table, index } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2",
        )
        .bind(table)
        .bind(index),
        Guard::Unique { table, column } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] \
             WHERE n.nspname = current_schema() AND c.relname = $1 AND a.attname = $2 \
             AND i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL",
        )
        .bind(table)
        .bind(column),
    };
    let count: i64 = query.fetch_one(&mut *conn).await?;
    Ok(count > 0)
}

/// Runs one migration file's statements.
async fn run_file(conn: &mut PgConnection, version: i64, sql: &str) -> Result<(), StoreError> {
    let failed = |source| StoreError::Migration { version, source };
    for statement in migrate::statements(sql)? {
        if let Some(guard) = &statement.guard
            && guard_met(conn, guard).await.map_err(failed)?
        {
            continue;
        }
        sqlx::query(AssertSqlSafe(statement.sql))
            .persistent(false)
            .execute(&mut *conn)
            .await
            .map_err(failed)?;
    }
    Ok(())
}

/// Records that `version` is applied.
async fn stamp(conn: &mut PgConnection, version: i64, description: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)",
    )
    .bind(i32::try_from(version).unwrap_or(i32::MAX))
    .bind(description)
    .bind(naive(chrono::Utc::now()))
    .execute(&mut *conn)
    .await
    .map_err(|source| StoreError::Migration { version, source })?;
    Ok(())
}

// ---- shared statements ----------------------------------------------------

/// Appends `entries` to a test, in order, in multi-row statements.
async fn insert_entries(
    conn: &mut PgConnection,
    hash_id: &str,
    entries: &[ResultEntry],
) -> Result<(), StoreError> {
    for chunk in ladder_chunks(entries) {
        let mut builder = QueryBuilder::<Postgres>::new(
            "INSERT INTO result_entries (hash_id, level, module, testcase, tag, timestamp, args) ",
        );
        builder.push_values(chunk, |mut row, entry| {
            row.push_bind(hash_id)
                .push_bind(entry.level)
                .push_bind(&entry.module)
                .push_bind(&entry.testcase)
                .push_bind(&entry.tag)
                .push_bind(entry.timestamp)
                .push_bind(common::args_text(&entry.args))
                .push_unseparated("::jsonb");
        });
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts `tests` of batch `batch_id`; ids that collide are redrawn.
async fn insert_batch_tests(
    conn: &mut PgConnection,
    batch_id: i64,
    tests: &[NewTest],
) -> Result<(), StoreError> {
    let mut pending: Vec<NewTest> = tests.to_vec();
    let mut ids: Vec<String> = pending.iter().map(|test| test.hash_id.clone()).collect();
    common::make_distinct(&mut ids);
    for (test, id) in pending.iter_mut().zip(ids) {
        test.hash_id = id;
    }
    for _ in 0..ID_TRIES {
        let mut collided = Vec::new();
        for chunk in ladder_chunks(&pending) {
            let inserted = insert_test_chunk(conn, batch_id, chunk).await?;
            collided.extend(
                chunk
                    .iter()
                    .filter(|test| !inserted.contains(&test.hash_id))
                    .cloned(),
            );
        }
        if collided.is_empty() {
            return Ok(());
        }
        for test in &mut collided {
            test.hash_id = common::random_hash_id();
        }
        pending = collided;
    }
    Err(StoreError::Duplicate { what: "test id" })
}

/// One multi-row insert; returns the ids that went in.
async fn insert_test_chunk(
    conn: &mut PgConnection,
    batch_id: i64,
    chunk: &[NewTest],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut builder = QueryBuilder::<Postgres>::new(
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
            .push_unseparated("::json")
            .push_bind(i32::from(test.undelegated))
            .push("'waiting'")
            .push("0");
    });
    builder.push(" ON CONFLICT DO NOTHING RETURNING hash_id");
    let rows: Vec<String> = builder.build_query_scalar().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().collect())
}

// ---- the reaper -----------------------------------------------------------

/// Running tests that are overdue or whose agent is silent.
async fn reap_candidates(
    pool: &PgPool,
    queue: Option<i64>,
    overdue_before: NaiveDateTime,
    dead_before: NaiveDateTime,
) -> Result<Vec<ReapCandidate>, StoreError> {
    let sql = "SELECT hash_id, agent, started_at, attempts, started_at < $1 FROM test_results \
               WHERE progress > 0 AND progress < 100 \
               AND (started_at < $1 OR COALESCE(heartbeat_at, started_at) < $2) \
               AND ($3::bigint IS NULL OR queue = $3) ORDER BY id";
    let rows = sqlx::query(sql)
        .bind(overdue_before)
        .bind(dead_before)
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
                is_overdue: row.try_get::<Option<bool>, _>(4)?.unwrap_or(false),
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

impl PostgresStore {
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
                "UPDATE test_results SET progress = 100, state = 'failed', ended_at = $1, \
                 reason = $2 WHERE hash_id = $3 AND progress > 0 AND progress < 100 \
                 AND started_at < $4",
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
                 heartbeat_at = NULL, agent = NULL, reason = $1 \
                 WHERE hash_id = $2 AND progress > 0 AND progress < 100 \
                 AND COALESCE(heartbeat_at, started_at) < $3 AND attempts < $4",
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
            sqlx::query("DELETE FROM result_entries WHERE hash_id = $1")
                .bind(&candidate.hash_id)
                .execute(&mut *tx)
                .await?;
            ReapOutcome::Requeued
        } else {
            let done = sqlx::query(
                "UPDATE test_results SET progress = 100, state = 'failed', ended_at = $1, \
                 reason = $2 WHERE hash_id = $3 AND progress > 0 AND progress < 100 \
                 AND COALESCE(heartbeat_at, started_at) < $4 AND attempts >= $5",
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
                "WHERE domain = $1 AND progress = 100",
                $condition,
                " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3) AS page ",
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
impl Store for PostgresStore {
    fn engine_name(&self) -> &'static str {
        "PostgreSQL"
    }

    async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        let engine = migrate::POSTGRES;
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await?;
        let from = read_version(&mut tx).await?;
        let mut current = from;
        let mut adopted = false;
        if from.is_none() && table_exists(&mut tx, "result_entries").await? {
            run_file(&mut tx, 1, engine.adopt_reference).await?;
            stamp(&mut tx, 1, migrate::ADOPTED_DESCRIPTION).await?;
            current = Some(1);
            adopted = true;
        } else if from.is_none() && table_exists(&mut tx, "test_results").await? {
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
            run_file(&mut tx, migration.version, migration.sql).await?;
            stamp(&mut tx, migration.version, migration.description).await?;
        }
        tx.commit().await?;
        Ok(MigrationReport {
            from,
            to: current.unwrap_or(0).max(engine.newest()),
            adopted_reference_schema: adopted,
        })
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
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(&test.fingerprint)
            .execute(&mut *tx)
            .await?;
        let reusable: Option<String> = sqlx::query_scalar(
            "SELECT hash_id FROM test_results WHERE fingerprint = $1 AND batch_id IS NULL \
             AND (started_at IS NULL OR started_at >= $2) ORDER BY id DESC LIMIT 1",
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
                 VALUES ($1, $2, NULL, $3, $4, $5, 0, $6, $7::json, $8, 'waiting', 0) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&hash_id)
            .bind(&test.domain)
            .bind(naive(test.created_at))
            .bind(test.priority)
            .bind(test.queue)
            .bind(&test.fingerprint)
            .bind(&test.params)
            .bind(i32::from(test.undelegated))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 1 {
                tx.commit().await?;
                return Ok((hash_id, true));
            }
            hash_id = common::random_hash_id();
        }
        Err(StoreError::Duplicate { what: "test id" })
    }

    async fn test(&self, hash_id: &str) -> Result<Option<TestRow>, StoreError> {
        let sql = concat!(select_test!(), " WHERE hash_id = $1");
        let row = sqlx::query(sql)
            .bind(hash_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(decode_test).transpose()
    }

    async fn progress(&self, hash_id: &str) -> Result<Option<u8>, StoreError> {
        let row = sqlx::query("SELECT progress FROM test_results WHERE hash_id = $1")
            .bind(hash_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| common::narrow(row.opt_int(0)?.unwrap_or(0), "progress"))
            .transpose()
    }

    async fn results(&self, hash_id: &str) -> Result<Vec<ResultEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT level, module, testcase, tag, timestamp::float8, args::text \
             FROM result_entries WHERE hash_id = $1 ORDER BY id",
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
        sqlx::query("INSERT INTO users (username, api_key) VALUES ($1, $2)")
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
            sqlx::query_scalar("SELECT api_key FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        let Some(Some(stored)) = stored else {
            return Ok(ApiKeyCheck::Invalid);
        };
        let matched = common::compare_key(&stored, api_key);
        if matched == common::KeyMatch::Plaintext {
            sqlx::query("UPDATE users SET api_key = $1 WHERE username = $2 AND api_key = $3")
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
        let row = sqlx::query(
            "INSERT INTO batch_jobs (username, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(username)
        .bind(naive(now))
        .fetch_one(&mut *tx)
        .await?;
        let batch_id = row.int(0)?;
        insert_batch_tests(&mut tx, batch_id, tests).await?;
        tx.commit().await?;
        Ok(batch_id)
    }

    async fn batch_status(&self, batch_id: i64) -> Result<Option<BatchStatus>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.hash_id, t.progress, t.state FROM batch_jobs b \
             LEFT JOIN test_results t ON t.batch_id = b.id WHERE b.id = $1 ORDER BY t.id",
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
        let exists = sqlx::query("SELECT id FROM batch_jobs WHERE id = $1")
            .bind(batch_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let cancelled = sqlx::query(
            "UPDATE test_results SET progress = 100, state = 'cancelled', ended_at = $1, \
             reason = $2 WHERE batch_id = $3 AND progress = 0",
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
        let row = sqlx::query(
            "UPDATE test_results SET progress = 1, state = 'running', started_at = $3, \
             heartbeat_at = $3, agent = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM test_results WHERE queue = $1 AND progress = 0 \
                         ORDER BY priority DESC, id ASC LIMIT 1 FOR UPDATE SKIP LOCKED) \
             AND progress = 0 \
             RETURNING hash_id, domain, params::text, batch_id, attempts",
        )
        .bind(queue)
        .bind(agent)
        .bind(naive(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(ClaimedTest {
            hash_id: row.text(0)?,
            domain: row.text(1)?,
            params: parse_json(&row.text(2)?)?,
            batch_id: row.opt_int(3)?,
            started_at: common::whole_seconds(now),
            attempts: common::narrow(row.int(4)?, "attempts")?,
        }))
    }

    async fn heartbeat(
        &self,
        agent: &str,
        hash_ids: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if hash_ids.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "UPDATE test_results SET heartbeat_at = $1 WHERE agent = $2 \
             AND progress > 0 AND progress < 100 AND hash_id = ANY($3)",
        )
        .bind(naive(now))
        .bind(agent)
        .bind(hash_ids)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn set_progress(&self, hash_id: &str, progress: u8) -> Result<(), StoreError> {
        let progress = i32::from(progress.min(99));
        sqlx::query(
            "UPDATE test_results SET progress = $1 \
             WHERE hash_id = $2 AND progress > 0 AND progress < $1",
        )
        .bind(progress)
        .bind(hash_id)
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
            "UPDATE test_results SET progress = 100, state = $1, ended_at = $2, reason = $3 \
             WHERE hash_id = $4 AND agent = $5 AND progress > 0 AND progress < 100",
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
             WHERE hash_id = $1 AND agent = $2 AND progress > 0 AND progress < 100",
        )
        .bind(hash_id)
        .bind(agent)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM result_entries WHERE hash_id = $1")
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
                "SELECT hash_id FROM test_results WHERE progress = 100 AND created_at < $1 \
                 ORDER BY id LIMIT $2",
            )
            .bind(before)
            .bind(chunk)
            .fetch_all(&mut *tx)
            .await?;
            if ids.is_empty() {
                break;
            }
            let entries = sqlx::query("DELETE FROM result_entries WHERE hash_id = ANY($1)")
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
            report.entries += entries.rows_affected();
            let tests =
                sqlx::query("DELETE FROM test_results WHERE progress = 100 AND hash_id = ANY($1)")
                    .bind(&ids)
                    .execute(&mut *tx)
                    .await?;
            report.tests += tests.rows_affected();
            tx.commit().await?;
        }
        let batches = sqlx::query(
            "DELETE FROM batch_jobs WHERE created_at < $1 AND NOT EXISTS \
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
