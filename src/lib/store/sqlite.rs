//! The SQLite backend: one file, WAL, one writer.
//!
//! Two pools share the file: `reader` (several connections; WAL readers
//! never block) and `writer` (one connection), so this process never
//! competes with itself for the write lock and a busy database costs no
//! `SQLITE_BUSY` retries. Writes that read first in several statements
//! (`finish`, the reaper, batches, purge) run in `BEGIN IMMEDIATE`
//! transactions, taking the write lock before reading, so they stay
//! correct when another process (the agent beside the API daemon) writes
//! too; `busy_timeout` makes that process wait. So do `claim` (one
//! statement, then the count changes) and `create_test` (committed in
//! groups, see [`group_commit`]).
//! `synchronous = NORMAL`: a commit survives a crash of the program, the
//! last ones may be lost on a power failure (the usual WAL trade-off).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};

use super::ExplainMode;
use super::common::{Columns, parse_time_text, plain_columns, time_text};
use super::migrate;
use super::shared::backend;
use super::types::{NewTest, StoreError, Timestamp};

mod checkpoint;
mod group_commit;

use checkpoint::Checkpoints;
use group_commit::Creations;

/// Connections reading in parallel.
const READERS: u32 = 8;
/// How long a writer waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// The writer's page cache, in KiB (SQLite's default is 2000): each
/// insert touches every one of the tests table's nine indexes, and a
/// missed page is a read under the write lock.
const WRITER_CACHE_KIB: u32 = 16 * 1024;

/// The engine, for the shared code.
type Db = Sqlite;
/// SQLite keeps times as `YYYY-MM-DD HH:MM:SS` text.
type DbTime = String;

/// A time as this engine binds it.
fn time(time: Timestamp) -> DbTime {
    time_text(time)
}

plain_columns!(SqliteRow, |row, index| {
    Columns::opt_text(row, index)?
        .as_deref()
        .map(parse_time_text)
        .transpose()
});

/// The statements: the shared ones and SQLite's own.
mod sql {
    pub(super) use super::super::statements::numbered::*;

    /// True when a table exists.
    pub(super) const TABLE_EXISTS: &str =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1";
    /// `unless-column`.
    pub(super) const GUARD_COLUMN: &str =
        "SELECT COUNT(*) FROM pragma_table_info($1) WHERE name = $2";
    /// `unless-index`.
    pub(super) const GUARD_INDEX: &str =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND name = $2";
    /// `unless-unique`.
    pub(super) const GUARD_UNIQUE: &str = "SELECT COUNT(*) FROM pragma_index_list($1) AS il WHERE \
         il.\"unique\" = 1 AND (SELECT COUNT(*) FROM pragma_index_info(il.name)) = 1 AND (SELECT \
         name FROM pragma_index_info(il.name)) = $2";
    /// A test's row, columns in [`common`](super::common)'s order.
    pub(super) const SELECT_TEST_BY_ID: &str = "SELECT id, hash_id, domain, batch_id, created_at, \
         started_at, ended_at, priority, queue, progress, fingerprint, CAST(params AS TEXT), \
         undelegated, state, reason, agent, attempts, testcases_ran, testcases_enabled FROM test_results WHERE hash_id = $1";
    /// A test's entries.
    pub(super) const RESULTS: &str = "SELECT level, module, testcase, tag, timestamp, CAST(args AS \
         TEXT) FROM result_entries WHERE hash_id = $1 ORDER BY id";
    /// Inserts a test unless a reusable one exists.
    pub(super) const CREATE_TEST: &str = "INSERT INTO test_results (hash_id, domain, batch_id, \
         created_at, priority, queue, progress, fingerprint, params, undelegated, state, attempts) \
         SELECT $1, $2, NULL, $3, $4, $5, 0, $6, $7, $8, 'waiting', 0 WHERE NOT EXISTS (SELECT 1 \
         FROM test_results WHERE fingerprint = $6 AND batch_id IS NULL AND (started_at IS NULL OR \
         started_at >= $9)) ON CONFLICT DO NOTHING RETURNING hash_id";
    /// The tests reusable since `$1` (a list of fingerprints follows,
    /// added per call). `+batch_id` keeps the planner on the fingerprint
    /// index: without statistics it prefers `(batch_id, progress)` for an
    /// `IN` list, and scans every test outside a batch.
    pub(super) const REUSABLE_SINCE: &str = "SELECT id, hash_id, fingerprint, started_at FROM \
         test_results WHERE +batch_id IS NULL AND (started_at IS NULL OR started_at >= ";
    /// The newest reusable test of a fingerprint.
    pub(super) const REUSABLE: &str = "SELECT hash_id FROM test_results WHERE fingerprint = $1 AND \
         batch_id IS NULL AND (started_at IS NULL OR started_at >= $2) ORDER BY id DESC LIMIT 1";
    /// Claims the next test in one statement.
    pub(super) const CLAIM: &str = "UPDATE test_results SET progress = 1, state = 'running', \
         started_at = $3, heartbeat_at = $3, agent = $2, claim_token = $4, \
         attempts = attempts + 1 WHERE id = \
         (SELECT id FROM test_results WHERE queue = $1 AND progress = 0 ORDER BY priority DESC, id \
         ASC LIMIT 1) AND progress = 0 RETURNING hash_id, domain, CAST(params AS TEXT), batch_id, \
         attempts";
    /// Claims up to $4 tests in one statement, returning `priority, id`
    /// too (RETURNING keeps no order).
    pub(super) const CLAIM_MANY: &str = "UPDATE test_results SET progress = 1, state = 'running', \
         started_at = $3, heartbeat_at = $3, agent = $2, claim_token = $5, \
         attempts = attempts + 1 WHERE id IN \
         (SELECT id FROM test_results WHERE queue = $1 AND progress = 0 ORDER BY priority DESC, id \
         ASC LIMIT $4) AND progress = 0 RETURNING hash_id, domain, CAST(params AS TEXT), batch_id, \
         attempts, priority, id";
    /// The oldest count changes (the write lock keeps other writers out).
    pub(super) const COUNT_CHANGES: &str = "SELECT id, scope, waiting, running, finished FROM \
         test_count_changes ORDER BY id LIMIT $1";
    /// The running tests of a claim token.
    pub(super) const RECOVERED: &str = "SELECT hash_id, domain, CAST(params AS TEXT), batch_id, \
         attempts, started_at FROM test_results WHERE claim_token = $1 AND agent = $2 AND \
         progress > 0 AND progress < 100 ORDER BY priority DESC, id";
}

/// True when `conn` may write: SQLite opens a file it cannot write
/// read-only without a word, and refuses only the first write. A header
/// write that changes nothing, rolled back, tells.
async fn can_write(conn: &mut sqlx::SqliteConnection) -> bool {
    let probe = async {
        let version: i64 = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        // An integer we just read: nothing to inject.
        let rewrite = format!("PRAGMA user_version = {version}");
        let written = sqlx::query(sqlx::AssertSqlSafe(rewrite))
            .execute(&mut *conn)
            .await;
        sqlx::query("ROLLBACK").execute(&mut *conn).await?;
        written.map(|_| ())
    };
    match probe.await {
        Ok(()) => true,
        Err(error) => {
            let condition = StoreError::from(error).unavailable();
            if condition == Some(super::Unavailable::ReadOnly) {
                tracing::warn!("the SQLite database is read-only; writes fail until it is not");
                false
            } else {
                true
            }
        }
    }
}

/// True when this process may write the database file and its
/// write-ahead log now (a log not made yet counts as writable). Asked
/// with `access(2)`, without opening them: closing any descriptor of the
/// database file would drop the POSIX locks SQLite's connections in this
/// process hold on it. Root is refused only what root is refused too (an
/// immutable file, a read-only file system), as SQLite's own `open` is.
fn is_writable(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path, Path::new(&wal)].into_iter().all(|file| {
        match nix::unistd::access(file, nix::unistd::AccessFlags::W_OK) {
            Ok(()) | Err(nix::errno::Errno::ENOENT) => true,
            Err(_) => false,
        }
    })
}

/// What precedes a statement to plan it (SQLite plans only).
async fn explain_prefix(
    _conn: &mut sqlx::SqliteConnection,
    _mode: ExplainMode,
) -> Result<&'static str, StoreError> {
    Ok("EXPLAIN QUERY PLAN ")
}

/// `EXPLAIN QUERY PLAN` rows: `id, parent, notused, detail`.
fn plan_lines(rows: &[SqliteRow]) -> Result<Vec<String>, StoreError> {
    rows.iter().map(|row| row.text(3)).collect()
}

/// A [`Store`](super::Store) on an SQLite file.
pub(crate) struct SqliteStore {
    /// Readers, WAL snapshots.
    reader: SqlitePool,
    /// The single writer of this process.
    writer: SqlitePool,
    /// The writer task committing `create_test` calls in groups.
    creations: Creations,
    /// The task checkpointing the log (the writer does not).
    _checkpoints: Checkpoints,
}

backend!(
    SqliteStore,
    name: "SQLite",
    migrations: migrate::SQLITE,
    pools: reader_writer,
    migrates: in_transaction,
    creates: own,
    claims: update_returning_then_count,
    lists: in_list,
    batch_ids: returning,
    collisions: on_conflict,
);

impl SqliteStore {
    /// Opens the database file; only with `create` is a missing file
    /// made (for migrations: an empty file would pass for a database).
    pub(crate) async fn open(path: &Path, create: bool) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Statement journals (a multi-row insert's) in memory, not in
            // a temporary file written under the write lock.
            .pragma("temp_store", "MEMORY");
        let open_error = |err: sqlx::Error| StoreError::Open {
            engine: "SQLite",
            reason: format!("{}: {err}", path.display()),
        };
        let read_only = Arc::new(AtomicBool::new(false));
        let probed = Arc::clone(&read_only);
        let checked = Arc::clone(&read_only);
        let file = path.to_path_buf();
        let opened_file = path.to_path_buf();
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .after_connect(move |conn, _| {
                let probed = Arc::clone(&probed);
                let is_refused = !is_writable(&opened_file);
                Box::pin(async move {
                    if is_refused {
                        // SQLite may hand this connection a read-write
                        // descriptor kept from a closed one (its POSIX
                        // locks pin them): writes are refused here instead.
                        sqlx::query("PRAGMA query_only = ON")
                            .execute(&mut *conn)
                            .await?;
                    }
                    probed.store(!can_write(conn).await, Ordering::SeqCst);
                    Ok(())
                })
            })
            // A read-only connection stays read-only: while the last one
            // opened was, each write opens a new one, which sees the file
            // writable again once it is. A connection opened while the
            // file was writable would go on writing it after it is made
            // read-only (through its log, whose descriptor is open): it is
            // replaced at its next write, and the new one refuses writes
            // (`query_only`) and says so. A connection still counted in a
            // transaction is replaced too:
            // when a COMMIT fails (a full disk), SQLite has rolled back
            // already, sqlx's ROLLBACK then fails and leaves its count at
            // one, and every later `BEGIN IMMEDIATE` on the connection
            // would be refused.
            .before_acquire(move |conn, _| {
                let is_stale = checked.load(Ordering::SeqCst) || !is_writable(&file);
                let is_stuck = sqlx::Connection::is_in_transaction(conn);
                Box::pin(async move { Ok(!is_stale && !is_stuck) })
            })
            .connect_with(
                options
                    .clone()
                    // Checkpoints run beside the writer ([`checkpoint`]).
                    .pragma("wal_autocheckpoint", "0")
                    .pragma("cache_size", format!("-{WRITER_CACHE_KIB}")),
            )
            .await
            .map_err(open_error)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        let creations = Creations::start(writer.clone());
        let checkpoints = Checkpoints::start(reader.clone());
        Ok(Self {
            reader,
            writer,
            creations,
            _checkpoints: checkpoints,
        })
    }

    /// The pool for reads.
    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// The pool for single-statement writes.
    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// Starts a write transaction holding the write lock from the start.
    async fn begin(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Queues the creation to the writer task, which commits it with the
    /// others waiting ([`group_commit`]).
    async fn engine_create_test(
        &self,
        test: &NewTest,
        reuse_since: Timestamp,
    ) -> Result<(String, bool), StoreError> {
        self.creations.create(test, reuse_since).await
    }
}
