//! The values that cross the [`Store`](super::Store) boundary.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

/// A UTC time, second precision in the database.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// The explicit state of a test. `progress` stays authoritative for the
/// API (0 waiting, 1–99 running, 100 finished); the state says how a
/// finished test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TestState {
    /// Queued, not claimed (progress 0).
    Waiting,
    /// Claimed by an agent (progress 1–99).
    Running,
    /// Finished normally (progress 100).
    Completed,
    /// Ended by a fault: the engine died, the test ran over time, its agent
    /// vanished (progress 100, reason recorded).
    Failed,
    /// Withdrawn before it ran (progress 100).
    Cancelled,
}

impl TestState {
    /// Every state, in lifecycle order.
    pub const ALL: [TestState; 5] = [
        TestState::Waiting,
        TestState::Running,
        TestState::Completed,
        TestState::Failed,
        TestState::Cancelled,
    ];

    /// The name stored in the `state` column.
    pub const fn as_str(self) -> &'static str {
        match self {
            TestState::Waiting => "waiting",
            TestState::Running => "running",
            TestState::Completed => "completed",
            TestState::Failed => "failed",
            TestState::Cancelled => "cancelled",
        }
    }

    /// True for the three end states.
    pub const fn is_finished(self) -> bool {
        matches!(
            self,
            TestState::Completed | TestState::Failed | TestState::Cancelled
        )
    }
}

impl fmt::Display for TestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TestState {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        TestState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown test state `{text}`")))
    }
}

/// A test to insert (spec §5.1.4).
#[derive(Clone, Debug, PartialEq)]
pub struct NewTest {
    /// 16 lower-case hex digits. `create_test` draws a fresh one on a
    /// collision.
    pub hash_id: String,
    /// Normalised domain.
    pub domain: String,
    /// Lower-case hex MD5 of the fingerprint projection (spec §5.1.3).
    pub fingerprint: String,
    /// The stored params, canonical JSON text (sorted keys).
    pub params: String,
    /// True when name servers or DS records were supplied.
    pub undelegated: bool,
    /// Higher runs first.
    pub priority: i64,
    /// The queue an agent serves.
    pub queue: i64,
    /// When the request arrived.
    pub created_at: Timestamp,
}

/// A stored test.
#[derive(Clone, Debug, PartialEq)]
pub struct TestRow {
    /// Insertion order.
    pub id: i64,
    /// The test id clients see.
    pub hash_id: String,
    /// Normalised domain.
    pub domain: String,
    /// The batch it belongs to.
    pub batch_id: Option<i64>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Claim time.
    pub started_at: Option<Timestamp>,
    /// Completion time.
    pub ended_at: Option<Timestamp>,
    /// Higher runs first.
    pub priority: i64,
    /// Queue number.
    pub queue: i64,
    /// 0–100.
    pub progress: u8,
    /// Fingerprint for reuse.
    pub fingerprint: String,
    /// The stored params.
    pub params: Value,
    /// Name servers or DS supplied.
    pub undelegated: bool,
    /// Explicit state.
    pub state: TestState,
    /// Why a test failed or was cancelled.
    pub reason: Option<String>,
    /// The agent that holds or held it.
    pub agent: Option<String>,
    /// How many times it was claimed; a run given back by
    /// [`Store::requeue`](super::Store::requeue) does not count.
    pub attempts: u32,
    /// Test cases run of those the profile enabled; `None` until a run
    /// completes (and for tests stored before schema version 2).
    pub testcases: Option<TestCaseTally>,
}

/// How many test cases a run covered (schema version 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestCaseTally {
    /// Test cases that ran.
    pub ran: u32,
    /// Test cases the profile enabled.
    pub enabled: u32,
}

/// How a test ended, as [`Store::finish`](super::Store::finish) writes it.
#[derive(Clone, Copy, Debug)]
pub struct Ending<'a> {
    /// Entries to append, in order.
    pub entries: &'a [ResultEntry],
    /// `completed`, `failed` or `cancelled`.
    pub state: TestState,
    /// Why it failed.
    pub reason: Option<&'a str>,
    /// What the run covered, when it ran.
    pub testcases: Option<TestCaseTally>,
}

/// One stored result entry (spec §6.1 `result_entries`).
#[derive(Clone, Debug, PartialEq)]
pub struct ResultEntry {
    /// Numeric level (1 INFO … 5 CRITICAL, `log_level` table).
    pub level: i32,
    /// `Basic`, `System`, `Backend`, …
    pub module: String,
    /// `Basic01`, `Unspecified`, `""` for Backend entries.
    pub testcase: String,
    /// Message tag.
    pub tag: String,
    /// Seconds since the test started.
    pub timestamp: f64,
    /// Arguments, `{}` when none.
    pub args: Map<String, Value>,
}

impl ResultEntry {
    /// A CRITICAL `Backend` entry (spec §5.5); the backend's own entries
    /// have an empty test case.
    fn backend(tag: &str, args: Map<String, Value>, timestamp: f64) -> Self {
        Self {
            level: 5,
            module: "Backend".to_owned(),
            testcase: String::new(),
            tag: tag.to_owned(),
            timestamp,
            args,
        }
    }

    /// `TEST_DIED`: the engine or its agent died.
    pub fn test_died(timestamp: f64) -> Self {
        Self::backend("TEST_DIED", Map::new(), timestamp)
    }

    /// `UNABLE_TO_FINISH_TEST`: over `max_zonemaster_execution_time`.
    pub fn unable_to_finish(max_execution_time: u32, timestamp: f64) -> Self {
        let mut args = Map::new();
        args.insert(
            "max_execution_time".to_owned(),
            Value::from(max_execution_time),
        );
        Self::backend("UNABLE_TO_FINISH_TEST", args, timestamp)
    }
}

/// The `reason` recorded for a test over its time limit.
pub fn overdue_reason(max_execution_time: u32) -> String {
    format!("exceeded max_zonemaster_execution_time ({max_execution_time} s)")
}

/// A fresh test id: 16 random lower-case hex digits (spec §5.1.4).
pub fn new_test_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Marks the rows one claim call takes (written into them by the same
/// statement), so that the caller can find them again when the call
/// failed: a claim may commit on the server while its reply is lost with
/// the connection, and then nobody but the token's holder knows the
/// tests are taken ([`Store::recover_claim`](super::Store::recover_claim)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimToken(String);

impl ClaimToken {
    /// A fresh token: 32 random hex digits, so no two claims share one.
    pub fn new() -> Self {
        Self(format!("{:032x}", rand::random::<u128>()))
    }

    /// The token as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ClaimToken {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for ClaimToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A test handed to an agent by [`Store::claim`](super::Store::claim).
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimedTest {
    /// The test id.
    pub hash_id: String,
    /// Normalised domain.
    pub domain: String,
    /// Stored params.
    pub params: Value,
    /// Batch tests report no intermediate progress.
    pub batch_id: Option<i64>,
    /// When it was claimed.
    pub started_at: Timestamp,
    /// Including this one.
    pub attempts: u32,
}

/// `get_test_history` filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFilter {
    /// Every finished test.
    All,
    /// Only `undelegated = 0`.
    Delegated,
    /// Only `undelegated = 1`.
    Undelegated,
}

/// One row of a domain's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// Test id.
    pub hash_id: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Supplied NS/DS.
    pub undelegated: bool,
    /// Highest stored level (1–5), `None` without entries.
    pub max_level: Option<i32>,
    /// How the test ended (`Completed` for a reference database's rows,
    /// which have no state).
    pub state: TestState,
}

/// Result of `batch_status`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BatchStatus {
    /// Progress 0, in creation order.
    pub waiting: Vec<String>,
    /// Progress 1–99.
    pub running: Vec<String>,
    /// Progress 100 (completed, failed or cancelled).
    pub finished: Vec<String>,
    /// How many of `finished` were cancelled.
    pub cancelled: u64,
}

/// Result of presenting an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyCheck {
    /// Name and key match.
    Valid,
    /// No such user or wrong key.
    Invalid,
}

/// What a reaper did to one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReapOutcome {
    /// Over `max_zonemaster_execution_time`: failed, `UNABLE_TO_FINISH_TEST`.
    Overdue,
    /// Its agent stopped heart-beating: failed, `TEST_DIED`.
    Died,
    /// Its agent stopped heart-beating on its first attempt: queued again.
    Requeued,
}

/// One reaped test.
#[derive(Clone, Debug, PartialEq)]
pub struct ReapedTest {
    /// The test id.
    pub hash_id: String,
    /// What happened to it.
    pub outcome: ReapOutcome,
}

/// What `migrate` did.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MigrationReport {
    /// Version before (`None`: no version table, i.e. an empty or a
    /// reference-backend database).
    pub from: Option<i64>,
    /// Version after.
    pub to: i64,
    /// True when a reference-backend database was found and stamped.
    pub adopted_reference_schema: bool,
}

/// What `purge` removed.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PurgeReport {
    /// Tests deleted.
    pub tests: u64,
    /// Result entries deleted.
    pub entries: u64,
    /// Batches deleted.
    pub batches: u64,
    /// Transactions that deleted tests (each at most `chunk` of them).
    pub chunks: u64,
    /// The longest of those transactions, begin to commit: how long the
    /// purge held its locks at most (on SQLite, the write lock).
    pub longest_chunk: std::time::Duration,
}

/// API key hashing shared by every backend.
pub struct Api;

impl Api {
    /// The stored form of an API key: `sha256:` and the lower-case hex
    /// SHA-256 of the key. A stored value without the prefix is a
    /// plaintext key from the reference backend.
    pub fn hash_key(api_key: &str) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(api_key.as_bytes());
        let mut text = String::with_capacity(7 + 64);
        text.push_str("sha256:");
        for byte in digest {
            text.push_str(&format!("{byte:02x}"));
        }
        text
    }
}

/// What can go wrong in the store. Database details stay in the source
/// for logs; API clients see only the class.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The unique key is taken (user name, test id).
    #[error("duplicate {what}")]
    Duplicate {
        /// What was duplicated.
        what: &'static str,
    },
    /// The database refused or failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The task doing the work is gone (the runtime is shutting down).
    #[error("the database work was interrupted")]
    Interrupted,
    /// A lock the operation needs stayed taken too long.
    #[error("timed out waiting for the lock of {what}")]
    LockTimeout {
        /// What the lock protects.
        what: &'static str,
    },
    /// A migration failed.
    #[error("migration to schema version {version} failed")]
    Migration {
        /// The version being applied.
        version: i64,
        /// Why.
        #[source]
        source: sqlx::Error,
    },
    /// The database is newer than this program.
    #[error(
        "database schema version {found} is newer than this program's {known}; upgrade zonemaster-rs"
    )]
    TooNew {
        /// Version in the database.
        found: i64,
        /// Newest version this program knows.
        known: i64,
    },
    /// Stored data that cannot be read back (bad JSON, unknown state).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database is not set up: no SQLite file, or no schema (the
    /// caller says how to set it up: `zmctl db init`, `--migrate`).
    #[error("the {engine} database {location} {problem}")]
    NotInitialised {
        /// Engine name.
        engine: &'static str,
        /// The file, or `user@host:port/database`.
        location: String,
        /// `does not exist` or `has no schema`.
        problem: &'static str,
    },
    /// The configuration does not describe a reachable database.
    #[error("cannot open the {engine} database: {reason}")]
    Open {
        /// Engine name.
        engine: &'static str,
        /// Why.
        reason: String,
    },
}

/// Why the database cannot do its work right now, when the cause lies
/// outside this program and goes away by itself or by an operator's hand:
/// the server is down or restarting, the disk is full, the file is
/// read-only. The daemons report it to clients and keep retrying; nothing
/// needs a restart once the condition clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// No connection could be made or kept (server down, restarting,
    /// unreachable, or every connection busy for the acquire timeout).
    Unreachable,
    /// The database refuses writes: a read-only file or file system.
    ReadOnly,
    /// The disk or file system is full.
    DiskFull,
}

impl Unavailable {
    /// A short text for logs and for the `reason` of the JSON-RPC error.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unavailable::Unreachable => "database unavailable",
            Unavailable::ReadOnly => "database is read-only",
            Unavailable::DiskFull => "database disk is full",
        }
    }
}

impl StoreError {
    /// The passing condition behind this error, if that is what it is.
    pub fn unavailable(&self) -> Option<Unavailable> {
        match self {
            StoreError::Database(error) | StoreError::Migration { source: error, .. } => {
                unavailable(error)
            }
            _ => None,
        }
    }
}

/// Classifies a driver error (see [`StoreError::unavailable`]).
fn unavailable(error: &sqlx::Error) -> Option<Unavailable> {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(Unavailable::Unreachable),
        sqlx::Error::Database(error) => database_condition(error.as_ref()),
        _ => None,
    }
}

/// The condition an engine's error code stands for: PostgreSQL SQLSTATEs,
/// MariaDB error numbers, SQLite (extended) result codes.
fn database_condition(error: &dyn sqlx::error::DatabaseError) -> Option<Unavailable> {
    let code = error.code()?;
    if error
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .is_some()
    {
        // The primary code is the low byte of the extended one.
        return match code.parse::<u32>().ok()? & 0xff {
            8 => Some(Unavailable::ReadOnly),
            13 => Some(Unavailable::DiskFull),
            _ => None,
        };
    }
    if error
        .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
        .is_some()
    {
        // 1053 server shutdown in progress, 1021 disk full, 1036 read-only
        // table, 1290 a `--read-only` server.
        return match code.as_ref() {
            "1053" => Some(Unavailable::Unreachable),
            "1021" => Some(Unavailable::DiskFull),
            "1036" | "1290" => Some(Unavailable::ReadOnly),
            _ => None,
        };
    }
    // PostgreSQL: class 08 (connection exception), 57P01–57P03 (admin or
    // crash shutdown, cannot connect now), 53100 (disk full), 25006
    // (read-only transaction, a hot standby).
    match code.as_ref() {
        "57P01" | "57P02" | "57P03" => Some(Unavailable::Unreachable),
        "53100" => Some(Unavailable::DiskFull),
        "25006" => Some(Unavailable::ReadOnly),
        code if code.starts_with("08") => Some(Unavailable::Unreachable),
        _ => None,
    }
}
