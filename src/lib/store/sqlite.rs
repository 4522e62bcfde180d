//! The SQLite backend: one file, WAL, one writer.
//!
//! Two pools share the file: `reader` (several connections; WAL readers
//! never block) and `writer` (one connection), so this process never
//! competes with itself for the write lock and a busy database costs no
//! `SQLITE_BUSY` retries. Writes that read first in several statements
//! (`finish`, the reaper, batches, purge) run in `BEGIN IMMEDIATE`
//! transactions, taking the write lock before reading, so they stay
//! correct when another process (the agent beside the API daemon) writes
//! too; `busy_timeout` makes that process wait. `claim` and the insert of
//! `create_test` are single statements, which hold the write lock from
//! their first read by themselves (one round trip instead of four).
//! `synchronous = NORMAL`: a commit survives a crash of the program, the
//! last ones may be lost on a power failure (the usual WAL trade-off).

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite};

use super::Store;
use super::common::{
    self, Columns, ReapCandidate, batch_status_of, decode_entry, decode_test, ladder_chunks,
    parse_json, parse_time_text, plain_columns, time_text,
};
use super::migrate::{self, Guard};
use super::types::{
    ApiKeyCheck, BatchStatus, ClaimedTest, HistoryEntry, HistoryFilter, MigrationReport, NewTest,
    PurgeReport, ReapOutcome, ReapedTest, ResultEntry, StoreError, TestRow, TestState, Timestamp,
};

/// Connections reading in parallel.
const READERS: u32 = 8;
/// How long a writer waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// Fresh ids tried before a collision is reported (each try has a 2^-64
/// chance per existing test, so more than one retry means a broken RNG).
const ID_TRIES: usize = 8;

plain_columns!(SqliteRow, |row, index| {
    Columns::opt_text(row, index)?
        .as_deref()
        .map(parse_time_text)
        .transpose()
});

/// Selects the columns of a [`TestRow`] (the order of [`common`]'s doc).
macro_rules! select_test {
    () => {
        "SELECT id, hash_id, domain, batch_id, created_at, started_at, ended_at, priority, \
         queue, progress, fingerprint, CAST(params AS TEXT), undelegated, state, reason, agent, \
         attempts FROM test_results"
    };
}

/// A [`Store`] on an SQLite file.
pub(crate) struct SqliteStore {
    /// Readers, WAL snapshots.
    reader: SqlitePool,
    /// The single writer of this process.
    writer: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file.
    pub(crate) async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let open_error = |err: sqlx::Error| StoreError::Open {
            engine: "SQLite",
            reason: format!("{}: {err}", path.display()),
        };
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options.clone())
            .await
            .map_err(open_error)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        Ok(Self { reader, writer })
    }

    /// Starts a write transaction holding the write lock from the start.
    async fn immediate(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}

// ---- migrations -----------------------------------------------------------

/// The version recorded in `schema_version`, `None` without that table.
async fn read_version(conn: &mut SqliteConnection) -> Result<Option<i64>, StoreError> {
    if !table_exists(conn, "schema_version").await? {
        return Ok(None);
    }
    let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_version")
        .fetch_one(&mut *conn)
        .await?;
    Ok(version)
}

/// True when `table` exists.
async fn table_exists(conn: &mut SqliteConnection, table: &str) -> Result<bool, StoreError> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1")
            .bind(table)
            .fetch_one(&mut *conn)
            .await?;
    Ok(count > 0)
}

/// True when the database already has what `guard` names.
async fn guard_met(conn: &mut SqliteConnection, guard: &Guard) -> Result<bool, sqlx::Error> {
    let query = match guard {
        Guard::Column { table, column } => {
            sqlx::query_scalar("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2")
                .bind(table)
                .bind(column)
        }
        Guard::Index { table, index } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND name = ?2",
        )
        .bind(table)
        .bind(index),
        Guard::Unique { table, column } => sqlx::query_scalar(
            "SELECT COUNT(*) FROM pragma_index_list(?1) AS il \
             WHERE il.\"unique\" = 1 \
             AND (SELECT COUNT(*) FROM pragma_index_info(il.name)) = 1 \
             AND (SELECT name FROM pragma_index_info(il.name)) = ?2",
        )
        .bind(table)
        .bind(column),
    };
    let count: i64 = query.fetch_one(&mut *conn).await?;
    Ok(count > 0)
}

/// Runs one migration file's statements.
async fn run_file(conn: &mut SqliteConnection, version: i64, sql: &str) -> Result<(), StoreError> {
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
async fn stamp(
    conn: &mut SqliteConnection,
    version: i64,
    description: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?1, ?2, ?3)",
    )
    .bind(version)
    .bind(description)
    .bind(time_text(chrono::Utc::now()))
    .execute(&mut *conn)
    .await
    .map_err(|source| StoreError::Migration { version, source })?;
    Ok(())
}

// ---- shared statements ----------------------------------------------------

/// Appends `entries` to a test, in order, in multi-row statements.
async fn insert_entries(
    conn: &mut SqliteConnection,
    hash_id: &str,
    entries: &[ResultEntry],
) -> Result<(), StoreError> {
    for chunk in ladder_chunks(entries) {
        let mut builder = QueryBuilder::<Sqlite>::new(
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

/// Inserts `tests` of batch `batch_id`; ids that collide are redrawn.
async fn insert_batch_tests(
    conn: &mut SqliteConnection,
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
    conn: &mut SqliteConnection,
    batch_id: i64,
    chunk: &[NewTest],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut builder = QueryBuilder::<Sqlite>::new(
        "INSERT INTO test_results (hash_id, domain, batch_id, created_at, priority, queue, \
         progress, fingerprint, params, undelegated, state, attempts) ",
    );
    builder.push_values(chunk, |mut row, test| {
        row.push_bind(&test.hash_id)
            .push_bind(&test.domain)
            .push_bind(batch_id)
            .push_bind(time_text(test.created_at))
            .push_bind(test.priority)
            .push_bind(test.queue)
            .push("0")
            .push_bind(&test.fingerprint)
            .push_bind(&test.params)
            .push_bind(i64::from(test.undelegated))
            .push("'waiting'")
            .push("0");
    });
    builder.push(" ON CONFLICT DO NOTHING RETURNING hash_id");
    let rows: Vec<String> = builder.build_query_scalar().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().collect())
}

/// Binds a list as `(?, ?, …)` after `prefix`.
fn in_list<'a>(prefix: &str, values: impl IntoIterator<Item = &'a str>) -> QueryBuilder<Sqlite> {
    let mut builder = QueryBuilder::<Sqlite>::new(prefix);
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
    pool: &SqlitePool,
    queue: Option<i64>,
    overdue_before: &str,
    dead_before: &str,
) -> Result<Vec<ReapCandidate>, StoreError> {
    let sql = "SELECT hash_id, agent, started_at, attempts, started_at < ?1 FROM test_results \
               WHERE progress > 0 AND progress < 100 \
               AND (started_at < ?1 OR COALESCE(heartbeat_at, started_at) < ?2) \
               AND (?3 IS NULL OR queue = ?3) ORDER BY id";
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
                is_overdue: row.opt_int(4)?.unwrap_or(0) != 0,
            })
        })
        .collect()
}

impl SqliteStore {
    /// Reaps one test in its own transaction; `None` when another reaper
    /// (or the agent finishing it) got there first.
    async fn reap_one(
        &self,
        candidate: &ReapCandidate,
        times: &ReapTimes,
        max_execution_time: u32,
    ) -> Result<Option<ReapOutcome>, StoreError> {
        let mut tx = self.immediate().await?;
        let elapsed = common::seconds_since(candidate.started_at, times.now);
        let outcome = if candidate.is_overdue {
            let reason = common::overdue_reason(max_execution_time);
            let done = sqlx::query(
                "UPDATE test_results SET progress = 100, state = 'failed', ended_at = ?1, \
                 reason = ?2 WHERE hash_id = ?3 AND progress > 0 AND progress < 100 \
                 AND started_at < ?4",
            )
            .bind(&times.now_text)
            .bind(reason)
            .bind(&candidate.hash_id)
            .bind(&times.overdue_before)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            let entry = common::overdue_entry(max_execution_time, elapsed);
            insert_entries(&mut tx, &candidate.hash_id, &[entry]).await?;
            ReapOutcome::Overdue
        } else if candidate.attempts < common::MAX_ATTEMPTS_BEFORE_DEATH {
            let reason = common::dead_agent_reason(candidate.agent.as_deref());
            let done = sqlx::query(
                "UPDATE test_results SET progress = 0, state = 'waiting', started_at = NULL, \
                 heartbeat_at = NULL, agent = NULL, reason = ?1 \
                 WHERE hash_id = ?2 AND progress > 0 AND progress < 100 \
                 AND COALESCE(heartbeat_at, started_at) < ?3 AND attempts < ?4",
            )
            .bind(reason)
            .bind(&candidate.hash_id)
            .bind(&times.dead_before)
            .bind(common::MAX_ATTEMPTS_BEFORE_DEATH)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(None);
            }
            sqlx::query("DELETE FROM result_entries WHERE hash_id = ?1")
                .bind(&candidate.hash_id)
                .execute(&mut *tx)
                .await?;
            ReapOutcome::Requeued
        } else {
            let reason = common::dead_agent_reason(candidate.agent.as_deref());
            let done = sqlx::query(
                "UPDATE test_results SET progress = 100, state = 'failed', ended_at = ?1, \
                 reason = ?2 WHERE hash_id = ?3 AND progress > 0 AND progress < 100 \
                 AND COALESCE(heartbeat_at, started_at) < ?4 AND attempts >= ?5",
            )
            .bind(&times.now_text)
            .bind(reason)
            .bind(&candidate.hash_id)
            .bind(&times.dead_before)
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

/// The reaper's times, formatted once.
struct ReapTimes {
    now: Timestamp,
    now_text: String,
    overdue_before: String,
    dead_before: String,
}

/// The `get_test_history` statement for `filter`.
fn history_sql(filter: HistoryFilter) -> &'static str {
    macro_rules! history {
        ($condition:literal) => {
            concat!(
                "SELECT page.hash_id, page.created_at, page.undelegated, ",
                "(SELECT MAX(r.level) FROM result_entries r WHERE r.hash_id = page.hash_id) ",
                "FROM (SELECT id, hash_id, created_at, undelegated FROM test_results ",
                "WHERE domain = ?1 AND progress = 100",
                $condition,
                " ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3) AS page ",
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
impl Store for SqliteStore {
    fn engine_name(&self) -> &'static str {
        "SQLite"
    }

    async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        let engine = migrate::SQLITE;
        let mut tx = self.immediate().await?;
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
        let mut conn = self.reader.acquire().await?;
        read_version(&mut conn).await
    }

    /// One statement inserts unless a reusable test exists (a single
    /// statement holds the write lock throughout, like `BEGIN IMMEDIATE`);
    /// when it inserts nothing, a second looks the reusable test up, and
    /// if there is none the id collided and a fresh one is tried.
    async fn create_test(
        &self,
        test: &NewTest,
        reuse_since: Timestamp,
    ) -> Result<(String, bool), StoreError> {
        let reuse_since = time_text(reuse_since);
        let mut hash_id = test.hash_id.clone();
        for _ in 0..ID_TRIES {
            let inserted: Option<String> = sqlx::query_scalar(
                "INSERT INTO test_results (hash_id, domain, batch_id, created_at, priority, \
                 queue, progress, fingerprint, params, undelegated, state, attempts) \
                 SELECT ?1, ?2, NULL, ?3, ?4, ?5, 0, ?6, ?7, ?8, 'waiting', 0 \
                 WHERE NOT EXISTS (SELECT 1 FROM test_results WHERE fingerprint = ?6 \
                     AND batch_id IS NULL AND (started_at IS NULL OR started_at >= ?9)) \
                 ON CONFLICT DO NOTHING RETURNING hash_id",
            )
            .bind(&hash_id)
            .bind(&test.domain)
            .bind(time_text(test.created_at))
            .bind(test.priority)
            .bind(test.queue)
            .bind(&test.fingerprint)
            .bind(&test.params)
            .bind(i64::from(test.undelegated))
            .bind(&reuse_since)
            .fetch_optional(&self.writer)
            .await?;
            if let Some(hash_id) = inserted {
                return Ok((hash_id, true));
            }
            let reusable: Option<String> = sqlx::query_scalar(
                "SELECT hash_id FROM test_results WHERE fingerprint = ?1 AND batch_id IS NULL \
                 AND (started_at IS NULL OR started_at >= ?2) ORDER BY id DESC LIMIT 1",
            )
            .bind(&test.fingerprint)
            .bind(&reuse_since)
            .fetch_optional(&self.writer)
            .await?;
            if let Some(hash_id) = reusable {
                return Ok((hash_id, false));
            }
            hash_id = common::random_hash_id();
        }
        Err(StoreError::Duplicate { what: "test id" })
    }

    async fn test(&self, hash_id: &str) -> Result<Option<TestRow>, StoreError> {
        let sql = concat!(select_test!(), " WHERE hash_id = ?1");
        let row = sqlx::query(sql)
            .bind(hash_id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(decode_test).transpose()
    }

    async fn progress(&self, hash_id: &str) -> Result<Option<u8>, StoreError> {
        let progress: Option<Option<i64>> =
            sqlx::query_scalar("SELECT progress FROM test_results WHERE hash_id = ?1")
                .bind(hash_id)
                .fetch_optional(&self.reader)
                .await?;
        progress
            .map(|progress| common::narrow(progress.unwrap_or(0), "progress"))
            .transpose()
    }

    async fn results(&self, hash_id: &str) -> Result<Vec<ResultEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT level, module, testcase, tag, timestamp, CAST(args AS TEXT) \
             FROM result_entries WHERE hash_id = ?1 ORDER BY id",
        )
        .bind(hash_id)
        .fetch_all(&self.reader)
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
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(HistoryEntry {
                    hash_id: row.text(0)?,
                    created_at: row.time(1)?,
                    undelegated: row.int(2)? != 0,
                    max_level: row
                        .opt_int(3)?
                        .map(|level| common::narrow(level, "level"))
                        .transpose()?,
                })
            })
            .collect()
    }

    async fn add_user(&self, username: &str, api_key_hash: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO users (username, api_key) VALUES (?1, ?2)")
            .bind(username)
            .bind(api_key_hash)
            .execute(&self.writer)
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
            sqlx::query_scalar("SELECT api_key FROM users WHERE username = ?1")
                .bind(username)
                .fetch_optional(&self.reader)
                .await?;
        let Some(Some(stored)) = stored else {
            return Ok(ApiKeyCheck::Invalid);
        };
        let matched = common::compare_key(&stored, api_key);
        if matched == common::KeyMatch::Plaintext {
            sqlx::query("UPDATE users SET api_key = ?1 WHERE username = ?2 AND api_key = ?3")
                .bind(super::types::Api::hash_key(api_key))
                .bind(username)
                .bind(&stored)
                .execute(&self.writer)
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
        let mut tx = self.immediate().await?;
        let batch_id: i64 = sqlx::query_scalar(
            "INSERT INTO batch_jobs (username, created_at) VALUES (?1, ?2) RETURNING id",
        )
        .bind(username)
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        insert_batch_tests(&mut tx, batch_id, tests).await?;
        tx.commit().await?;
        Ok(batch_id)
    }

    async fn batch_status(&self, batch_id: i64) -> Result<Option<BatchStatus>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.hash_id, t.progress, t.state FROM batch_jobs b \
             LEFT JOIN test_results t ON t.batch_id = b.id WHERE b.id = ?1 ORDER BY t.id",
        )
        .bind(batch_id)
        .fetch_all(&self.reader)
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
        let mut tx = self.immediate().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM batch_jobs WHERE id = ?1")
            .bind(batch_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let cancelled = sqlx::query(
            "UPDATE test_results SET progress = 100, state = 'cancelled', ended_at = ?1, \
             reason = ?2 WHERE batch_id = ?3 AND progress = 0",
        )
        .bind(time_text(now))
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
            "UPDATE test_results SET progress = 1, state = 'running', started_at = ?3, \
             heartbeat_at = ?3, agent = ?2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM test_results WHERE queue = ?1 AND progress = 0 \
                         ORDER BY priority DESC, id ASC LIMIT 1) \
             AND progress = 0 \
             RETURNING hash_id, domain, CAST(params AS TEXT), batch_id, attempts",
        )
        .bind(queue)
        .bind(agent)
        .bind(time_text(now))
        .fetch_optional(&self.writer)
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
        for chunk in hash_ids.chunks(500) {
            let mut builder =
                QueryBuilder::<Sqlite>::new("UPDATE test_results SET heartbeat_at = ");
            builder
                .push_bind(time_text(now))
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
                .execute(&self.writer)
                .await?;
        }
        Ok(())
    }

    async fn set_progress(&self, hash_id: &str, progress: u8) -> Result<(), StoreError> {
        let progress = i64::from(progress.min(99));
        sqlx::query(
            "UPDATE test_results SET progress = ?1 \
             WHERE hash_id = ?2 AND progress > 0 AND progress < ?1",
        )
        .bind(progress)
        .bind(hash_id)
        .execute(&self.writer)
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
        let mut tx = self.immediate().await?;
        let done = sqlx::query(
            "UPDATE test_results SET progress = 100, state = ?1, ended_at = ?2, reason = ?3 \
             WHERE hash_id = ?4 AND agent = ?5 AND progress > 0 AND progress < 100",
        )
        .bind(state.as_str())
        .bind(time_text(now))
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
        let mut tx = self.immediate().await?;
        let done = sqlx::query(
            "UPDATE test_results SET progress = 0, state = 'waiting', started_at = NULL, \
             heartbeat_at = NULL, agent = NULL, attempts = MAX(attempts - 1, 0) \
             WHERE hash_id = ?1 AND agent = ?2 AND progress > 0 AND progress < 100",
        )
        .bind(hash_id)
        .bind(agent)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM result_entries WHERE hash_id = ?1")
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
            now_text: time_text(now),
            overdue_before: time_text(overdue_before),
            dead_before: time_text(dead_before),
        };
        let candidates = reap_candidates(
            &self.reader,
            queue,
            &times.overdue_before,
            &times.dead_before,
        )
        .await?;
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
        let before = time_text(before);
        let mut report = PurgeReport::default();
        loop {
            let mut tx = self.immediate().await?;
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT hash_id FROM test_results WHERE progress = 100 AND created_at < ?1 \
                 ORDER BY id LIMIT ?2",
            )
            .bind(&before)
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
            "DELETE FROM batch_jobs WHERE created_at < ?1 AND NOT EXISTS \
             (SELECT 1 FROM test_results t WHERE t.batch_id = batch_jobs.id)",
        )
        .bind(&before)
        .execute(&self.writer)
        .await?;
        report.batches = batches.rows_affected();
        Ok(report)
    }

    async fn queue_counts(&self) -> Result<Vec<(TestState, u64)>, StoreError> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM test_results GROUP BY state")
            .fetch_all(&self.reader)
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
