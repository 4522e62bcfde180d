//! The store suite: every scenario runs against SQLite, PostgreSQL and
//! MariaDB, each on a fresh scratch database (`dbs`).
//!
//! Times are fixed instants handed to the store, never the clock, so the
//! reuse window, reaping and purging are exercised without sleeping.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Map, Value, json};
use sqlx::Connection;
use zonemaster::config::DbEngine;
use zonemaster::store::{
    self, Api, ApiKeyCheck, ClaimToken, ClaimedTest, Ending, HistoryFilter, NewTest, ReapOutcome,
    ResultEntry, Store, StoreError, TestCaseTally, TestRow, TestState, Timestamp,
};

use crate::dbs::{self, Scratch};

/// The newest schema version.
const NEWEST: i64 = 8;

/// The engines every scenario runs on.
pub(crate) const ENGINES: [DbEngine; 3] = [DbEngine::Sqlite, DbEngine::Postgresql, DbEngine::Mysql];

/// One engine's scratch database and a migrated store on it.
pub(crate) struct Ctx {
    pub(crate) scratch: Scratch,
    pub(crate) store: Arc<dyn Store>,
}

impl Ctx {
    /// A fresh, migrated database.
    pub(crate) async fn new(engine: DbEngine) -> Ctx {
        let ctx = Ctx::empty(engine).await;
        ctx.store.migrate().await.unwrap();
        ctx
    }

    /// A fresh database without schema.
    async fn empty(engine: DbEngine) -> Ctx {
        let scratch = dbs::scratch(engine);
        let store = store::open(&scratch.config.store_settings()).await.unwrap();
        Ctx { scratch, store }
    }

    /// The engine, for assertion messages.
    pub(crate) fn name(&self) -> &'static str {
        self.scratch.engine.name()
    }

    /// A second, independent pool on the same database.
    async fn another_store(&self) -> Arc<dyn Store> {
        store::open(&self.scratch.config.store_settings())
            .await
            .unwrap()
    }

    /// The stored API key of `username`, read outside the store.
    async fn stored_key(&self, username: &str) -> Option<String> {
        let sql = format!("SELECT api_key FROM users WHERE username = '{username}'");
        raw_text(&self.scratch, &sql).await
    }
}

/// 2024-01-01 00:00:00 UTC plus `seconds`.
pub(crate) fn at(seconds: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap() + Duration::seconds(seconds)
}

/// A non-batch test of `domain` with fingerprint `fingerprint`.
pub(crate) fn new_test(domain: &str, fingerprint: &str, created_at: Timestamp) -> NewTest {
    NewTest {
        hash_id: format!("{:016x}", rand::random::<u64>()),
        domain: domain.to_owned(),
        fingerprint: fingerprint.to_owned(),
        params: json!({"domain": domain, "ipv4": true, "ipv6": true, "profile": "default"})
            .to_string(),
        undelegated: false,
        priority: 10,
        queue: 0,
        created_at,
    }
}

/// `count` tests of `<prefix><n>.example`, each with its own fingerprint
/// `<prefix><n>` unless `fingerprint` names a common one.
pub(crate) fn new_tests(
    prefix: &str,
    fingerprint: Option<&str>,
    count: usize,
    at_time: Timestamp,
) -> Vec<NewTest> {
    (0..count)
        .map(|n| {
            let own = format!("{prefix}{n}");
            new_test(
                &format!("{own}.example"),
                fingerprint.unwrap_or(&own),
                at_time,
            )
        })
        .collect()
}

/// An entry with `level`, `tag` and one argument.
pub(crate) fn entry(level: i32, tag: &str, n: usize) -> ResultEntry {
    let mut args = Map::new();
    args.insert("n".to_owned(), Value::from(n));
    ResultEntry {
        level,
        module: "Basic".to_owned(),
        testcase: "Basic01".to_owned(),
        tag: tag.to_owned(),
        timestamp: n as f64 / 4.0,
        args,
    }
}

/// A test that must exist.
async fn row(store: &dyn Store, hash_id: &str) -> TestRow {
    store.test(hash_id).await.unwrap().unwrap()
}

/// Claims a test that must be there.
pub(crate) async fn claim(
    store: &dyn Store,
    queue: i64,
    agent: &str,
    now: Timestamp,
) -> ClaimedTest {
    store.claim(queue, agent, now).await.unwrap().unwrap()
}

/// Whether `agent` could finish `hash_id` as `state` with `entries`.
pub(crate) async fn finish(
    store: &dyn Store,
    hash_id: &str,
    agent: &str,
    entries: &[ResultEntry],
    (state, reason): (TestState, Option<&str>),
    now: Timestamp,
) -> bool {
    let ending = Ending {
        entries,
        state,
        reason,
        testcases: None,
    };
    store.finish(hash_id, agent, ending, now).await.unwrap()
}

/// Completed, no reason.
pub(crate) const COMPLETED: (TestState, Option<&str>) = (TestState::Completed, None);

/// The ids a history page lists.
async fn history_ids(
    store: &dyn Store,
    domain: &str,
    filter: HistoryFilter,
    (offset, limit): (u64, u64),
) -> Vec<String> {
    let page = store.history(domain, filter, offset, limit).await.unwrap();
    page.into_iter().map(|entry| entry.hash_id).collect()
}

/// The total of the per-state counts.
async fn total_tests(store: &dyn Store) -> u64 {
    let counts = store.queue_counts().await.unwrap();
    counts.iter().map(|(_, count)| count).sum()
}

/// Creates a test and runs it to completion with `entries` (at a priority
/// above every other test, so the claim takes it).
async fn finished_test(
    store: &dyn Store,
    test: &NewTest,
    entries: &[ResultEntry],
    at_time: Timestamp,
) -> String {
    let test = NewTest {
        priority: 1000,
        ..test.clone()
    };
    let (hash_id, is_new) = store.create_test(&test, at_time).await.unwrap();
    assert!(is_new);
    let claimed = claim(store, test.queue, "agent-a", at_time).await;
    assert_eq!(claimed.hash_id, hash_id);
    assert!(finish(store, &hash_id, "agent-a", entries, COMPLETED, at_time).await);
    hash_id
}

/// Declares each `test` as running `scenario` on a fresh migrated
/// database of every engine; after each, the counts the store keeps
/// agree with the tests.
macro_rules! on_every_engine {
    ($($test:ident => $scenario:ident,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                for engine in ENGINES {
                    let ctx = Ctx::new(engine).await;
                    $scenario(&ctx).await;
                    assert_counts_agree(&ctx).await;
                }
            }
        )*
    };
}

/// A number that `sql` (one row, one column) counts, outside the store.
async fn raw_count(scratch: &Scratch, sql: &str) -> u64 {
    let sql = format!("SELECT CAST(({sql}) AS CHAR(20))");
    let text = raw_text(scratch, &sql).await.unwrap_or_default();
    text.trim().parse().unwrap()
}

/// Issue 16: the waiting and running totals of `queue_status` and the
/// counts of every batch in `batch_list` (kept by the store as tests
/// move, schema version 7) are the tests' own, before and after the
/// changes are folded in.
async fn assert_counts_agree(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    for round in ["recorded", "folded"] {
        let overview = store.queue_overview(1, at(0)).await.unwrap();
        let count = |condition: &str| {
            let sql = format!("SELECT COUNT(*) FROM test_results WHERE {condition}");
            async move { raw_count(&ctx.scratch, &sql).await }
        };
        let totals = (
            count("progress = 0").await,
            count("progress > 0 AND progress < 100").await,
        );
        assert_eq!(
            (overview.waiting, overview.running),
            totals,
            "{name}, {round}"
        );
        for batch in store.batch_list(1000, 0).await.unwrap() {
            let id = batch.batch_id;
            let expected = (
                count(&format!("batch_id = {id} AND progress = 0")).await,
                count(&format!(
                    "batch_id = {id} AND progress > 0 AND progress < 100"
                ))
                .await,
                count(&format!("batch_id = {id} AND progress = 100")).await,
            );
            let found = (batch.waiting, batch.running, batch.finished);
            assert_eq!(found, expected, "{name}, {round}: batch {id}");
        }
        store.compact_counts().await.unwrap();
    }
}

on_every_engine! {
    create_test_reuse_rules => reuse_rules,
    hash_id_collisions_draw_a_new_id => hash_collision,
    concurrent_creations_share_only_equal_requests => concurrent_creations,
    a_refused_creation_fails_alone => refused_creation,
    claim_by_priority_then_fifo_per_queue => claim_order,
    concurrent_claims_hand_out_each_test_once => concurrent_claims,
    claim_many_takes_tests_in_claim_order => claim_many_order,
    concurrent_claim_many_hands_out_each_test_once => concurrent_claim_many,
    set_progress_is_monotonic_and_below_100 => progress_rules,
    finish_only_by_the_owner_and_once => finish_rules,
    results_keep_their_order => results_order,
    overdue_tests_are_reaped_exactly_once => racing_reapers,
    dead_agent_tests_are_requeued_then_die => dead_agents,
    requeue_gives_a_test_back => voluntary_requeue,
    a_claim_whose_reply_was_lost_is_found_by_its_token => lost_claim_reply,
    batches_are_atomic_and_cancellable => batches,
    users_are_unique_and_keys_hashed => users,
    history_filters_orders_and_pages => history,
    history_tells_how_each_test_ended => history_states,
    history_reads_the_level_stored_at_the_end => history_levels,
    purge_removes_only_old_finished_tests => purge,
}

// ---- raw access for fixtures ----------------------------------------------

/// Runs one statement on the scratch database outside the store.
pub(crate) async fn raw(scratch: &Scratch, sql: &str) {
    raw_text(scratch, sql).await;
}

/// The first column of the first row of `sql` (text), outside the store.
pub(crate) async fn raw_text(scratch: &Scratch, sql: &str) -> Option<String> {
    use sqlx::Row;
    /// Runs `sql` on a fresh connection of `$conn`'s type with `$options`.
    macro_rules! first_text {
        ($conn:ty, $options:expr) => {{
            let mut conn = <$conn>::connect_with(&$options).await.unwrap();
            let sql = sqlx::AssertSqlSafe(sql.to_owned());
            let row = sqlx::raw_sql(sql).fetch_optional(&mut conn).await.unwrap();
            row.and_then(|row| row.try_get::<Option<String>, _>(0).unwrap())
        }};
    }
    let text: Option<String> = match scratch.engine {
        DbEngine::Sqlite => first_text!(
            sqlx::SqliteConnection,
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&scratch.name)
                .create_if_missing(true)
                // As the reference used it: foreign keys not enforced.
                .foreign_keys(false)
        ),
        DbEngine::Postgresql => first_text!(
            sqlx::PgConnection,
            sqlx::postgres::PgConnectOptions::new()
                .host("127.0.0.1")
                .username("root")
                .database(&scratch.name)
        ),
        DbEngine::Mysql => first_text!(
            sqlx::MySqlConnection,
            sqlx::mysql::MySqlConnectOptions::new()
                .host("127.0.0.1")
                .username("root")
                .database(&scratch.name)
        ),
    };
    text.map(|text| text.trim_end().to_owned())
}

// ---- migrations -------------------------------------------------------------

/// Whether table `test_results` has index `index`.
async fn has_index(ctx: &Ctx, index: &str) -> bool {
    let sql = match ctx.scratch.engine {
        DbEngine::Sqlite => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'")
        }
        DbEngine::Postgresql => format!(
            "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'test_results' \
             AND indexname = '{index}'"
        ),
        DbEngine::Mysql => format!(
            "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() \
             AND table_name = 'test_results' AND index_name = '{index}'"
        ),
    };
    raw_count(&ctx.scratch, &sql).await > 0
}

/// Schema version 8 dropped the indexes that wider ones begin with,
/// except PostgreSQL's (progress): its other progress indexes are partial.
async fn assert_no_redundant_indexes(ctx: &Ctx) {
    let progress_kept = ctx.scratch.engine == DbEngine::Postgresql;
    for (index, kept) in [
        ("test_results__fingerprint", false),
        ("test_results__domain_undelegated", false),
        ("test_results__progress", progress_kept),
        ("test_results__fingerprint_id", true),
        ("test_results__domain_progress_created_at", true),
    ] {
        let found = has_index(ctx, index).await;
        assert_eq!(found, kept, "{}: {index}", ctx.name());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_is_idempotent_and_versioned() {
    for engine in ENGINES {
        let ctx = Ctx::empty(engine).await;
        let (store, name) = (&ctx.store, ctx.name());
        assert_eq!(store.schema_version().await.unwrap(), None, "{name}");
        let first = store.migrate().await.unwrap();
        assert_eq!((first.from, first.to), (None, NEWEST), "{name}");
        assert!(!first.adopted_reference_schema);
        let again = store.migrate().await.unwrap();
        assert_eq!((again.from, again.to), (Some(NEWEST), NEWEST), "{name}");
        assert!(!again.adopted_reference_schema);
        assert_eq!(store.schema_version().await.unwrap(), Some(NEWEST));
        assert_no_redundant_indexes(&ctx).await;
        for (sql, expected) in [
            ("SELECT CAST(COUNT(*) AS CHAR(8)) FROM log_level", "8"),
            ("SELECT level FROM log_level WHERE value = -2", "DEBUG3"),
            ("SELECT level FROM log_level WHERE value = 5", "CRITICAL"),
        ] {
            let found = raw_text(&ctx.scratch, sql).await;
            assert_eq!(found.as_deref(), Some(expected), "{name}: {sql}");
        }
        // A second process migrating the same database changes nothing.
        let other = ctx.another_store().await.migrate().await.unwrap();
        assert_eq!((other.from, other.to), (Some(NEWEST), NEWEST), "{name}");
        assert_eq!(total_tests(&**store).await, 0);
    }
}

/// Version 5 (claim tokens) and the later ones applied to a version-4
/// database with tests in it, and applied again after being cut off
/// between its column and its stamp (MySQL commits DDL one statement at
/// a time): both succeed, and the counts made again agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_5_upgrades_version_4_and_survives_a_cut_off_run() {
    for engine in ENGINES {
        let ctx = Ctx::new(engine).await;
        let (store, name) = (&*ctx.store, ctx.name());
        let test = new_test("old.example", "o", at(0));
        store.create_test(&test, at(0)).await.unwrap();
        // Back to version 4.
        raw(
            &ctx.scratch,
            "ALTER TABLE test_results DROP COLUMN claim_token",
        )
        .await;
        raw(
            &ctx.scratch,
            "DELETE FROM schema_version WHERE version >= 5",
        )
        .await;
        // A fresh store: SQLite prepares with the schema it cached.
        let store = ctx.another_store().await;
        let report = store.migrate().await.unwrap();
        assert_eq!((report.from, report.to), (Some(4), NEWEST), "{name}");
        let token = ClaimToken::new();
        let claimed = store.claim_many(0, "a", &token, at(1), 1).await.unwrap();
        assert_eq!(claimed[0].hash_id, test.hash_id, "{name}");
        // Cut off after the column, before the stamp.
        raw(
            &ctx.scratch,
            "DELETE FROM schema_version WHERE version >= 5",
        )
        .await;
        let report = ctx.another_store().await.migrate().await.unwrap();
        assert_eq!((report.from, report.to), (Some(4), NEWEST), "{name}");
        let found = store.recover_claim("a", &token, at(2)).await.unwrap();
        assert_eq!(found.len(), 1, "{name}");
        assert_counts_agree(&ctx).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_schema_is_refused() {
    for engine in ENGINES {
        let ctx = Ctx::new(engine).await;
        raw(
            &ctx.scratch,
            "INSERT INTO schema_version (version, description, applied_at) \
             VALUES (99, 'future', '2030-01-01 00:00:00')",
        )
        .await;
        let err = ctx.store.migrate().await.unwrap_err();
        let too_new = matches!(
            err,
            StoreError::TooNew {
                found: 99,
                known: NEWEST
            }
        );
        assert!(too_new, "{}: {err:?}", ctx.name());
    }
}

/// The reference 12.x schema (spec §6.1) as its `create_db` made it, with
/// one finished, one waiting and one running test and a plaintext user.
fn reference_schema(engine: DbEngine) -> Vec<&'static str> {
    let tables: &[&str] = match engine {
        DbEngine::Sqlite => &[
            "CREATE TABLE test_results (id integer PRIMARY KEY AUTOINCREMENT, \
             hash_id VARCHAR(16) NOT NULL, domain VARCHAR(255) NOT NULL, batch_id integer NULL, \
             created_at DATETIME NOT NULL, started_at DATETIME DEFAULT NULL, \
             ended_at DATETIME DEFAULT NULL, priority integer DEFAULT 10, queue integer DEFAULT 0, \
             progress integer DEFAULT 0, fingerprint varchar(32), params text NOT NULL, \
             results text DEFAULT NULL, undelegated boolean NOT NULL DEFAULT false)",
            // Not unique: the reference never enforced the foreign key.
            "CREATE INDEX test_results__hash_id ON test_results (hash_id)",
            "CREATE INDEX test_results__fingerprint ON test_results (fingerprint)",
            "CREATE INDEX test_results__batch_id_progress ON test_results (batch_id, progress)",
            "CREATE INDEX test_results__progress ON test_results (progress)",
            "CREATE INDEX test_results__domain_undelegated ON test_results (domain, undelegated)",
            "CREATE TABLE log_level (value INT UNIQUE, level VARCHAR(15))",
            "CREATE TABLE result_entries (hash_id VARCHAR(16) NOT NULL, level INT NOT NULL, \
             module VARCHAR(255) NOT NULL, testcase VARCHAR(255) NOT NULL, \
             tag VARCHAR(255) NOT NULL, timestamp REAL NOT NULL, args BLOB NOT NULL, \
             CONSTRAINT fk_hash_id FOREIGN KEY (hash_id) REFERENCES test_results(hash_id), \
             CONSTRAINT fk_level FOREIGN KEY(level) REFERENCES log_level(value))",
            "CREATE INDEX result_entries__hash_id ON result_entries (hash_id)",
            "CREATE INDEX result_entries__level ON result_entries (level)",
            "CREATE TABLE batch_jobs (id integer PRIMARY KEY, username varchar(50) NOT NULL, \
             created_at DATETIME NOT NULL)",
            "CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT, \
             username varchar(128) UNIQUE, api_key varchar(512))",
        ],
        DbEngine::Postgresql => &[
            "CREATE TABLE test_results (id BIGSERIAL PRIMARY KEY, hash_id VARCHAR(16) NOT NULL, \
             domain VARCHAR(255) NOT NULL, batch_id integer, created_at TIMESTAMP NOT NULL, \
             started_at TIMESTAMP, ended_at TIMESTAMP, priority integer DEFAULT 10, \
             queue integer DEFAULT 0, progress integer DEFAULT 0, fingerprint varchar(32), \
             params json NOT NULL, results json, undelegated integer NOT NULL DEFAULT 0, \
             UNIQUE (hash_id))",
            "CREATE INDEX test_results__hash_id ON test_results (hash_id)",
            "CREATE INDEX test_results__fingerprint ON test_results (fingerprint)",
            "CREATE INDEX test_results__batch_id_progress ON test_results (batch_id, progress)",
            "CREATE INDEX test_results__progress ON test_results (progress)",
            "CREATE INDEX test_results__domain_undelegated ON test_results (domain, undelegated)",
            "CREATE INDEX test_results__progress_priority_id ON test_results \
             (progress, priority DESC, id) WHERE progress = 0",
            "CREATE TABLE log_level (value INT UNIQUE, level VARCHAR(15))",
            "CREATE TABLE result_entries (hash_id VARCHAR(16) NOT NULL, level INT NOT NULL, \
             module VARCHAR(255) NOT NULL, testcase VARCHAR(255) NOT NULL, \
             tag VARCHAR(255) NOT NULL, timestamp REAL NOT NULL, args JSONB NOT NULL, \
             CONSTRAINT fk_hash_id FOREIGN KEY (hash_id) REFERENCES test_results(hash_id), \
             CONSTRAINT fk_level FOREIGN KEY(level) REFERENCES log_level(value))",
            "CREATE INDEX result_entries__hash_id ON result_entries (hash_id)",
            "CREATE INDEX result_entries__level ON result_entries (level)",
            "CREATE TABLE batch_jobs (id serial PRIMARY KEY, username varchar(50) NOT NULL, \
             created_at TIMESTAMP NOT NULL)",
            "CREATE TABLE users (id serial PRIMARY KEY, username varchar(128), \
             api_key varchar(512), UNIQUE (username))",
        ],
        DbEngine::Mysql => &[
            "CREATE TABLE test_results (id BIGINT AUTO_INCREMENT PRIMARY KEY, \
             hash_id VARCHAR(16) NOT NULL, domain VARCHAR(255) NOT NULL, batch_id integer NULL, \
             created_at DATETIME NOT NULL, started_at DATETIME DEFAULT NULL, \
             ended_at DATETIME DEFAULT NULL, priority integer DEFAULT 10, queue integer DEFAULT 0, \
             progress integer DEFAULT 0, fingerprint varchar(32), params blob NOT NULL, \
             results mediumblob NULL, undelegated integer NOT NULL DEFAULT 0, \
             UNIQUE (hash_id)) ENGINE=InnoDB",
            "CREATE INDEX test_results__hash_id ON test_results (hash_id)",
            "CREATE INDEX test_results__fingerprint ON test_results (fingerprint)",
            "CREATE INDEX test_results__batch_id_progress ON test_results (batch_id, progress)",
            "CREATE INDEX test_results__progress ON test_results (progress)",
            "CREATE INDEX test_results__domain_undelegated ON test_results (domain, undelegated)",
            "CREATE TABLE log_level (value INT, level VARCHAR(15), UNIQUE (value)) ENGINE=InnoDB",
            "CREATE TABLE result_entries (hash_id VARCHAR(16) NOT NULL, level INT NOT NULL, \
             module VARCHAR(255) NOT NULL, testcase VARCHAR(255) NOT NULL, \
             tag VARCHAR(255) NOT NULL, timestamp REAL NOT NULL, args blob NOT NULL, \
             CONSTRAINT fk_hash_id FOREIGN KEY (hash_id) REFERENCES test_results(hash_id), \
             CONSTRAINT fk_level FOREIGN KEY(level) REFERENCES log_level(value)) ENGINE=InnoDB",
            "CREATE INDEX result_entries__hash_id ON result_entries (hash_id)",
            "CREATE INDEX result_entries__level ON result_entries (level)",
            "CREATE TABLE batch_jobs (id integer AUTO_INCREMENT PRIMARY KEY, \
             username varchar(50) NOT NULL, created_at DATETIME NOT NULL) ENGINE=InnoDB",
            "CREATE TABLE users (id integer AUTO_INCREMENT PRIMARY KEY, username varchar(128), \
             api_key varchar(512), UNIQUE (username)) ENGINE=InnoDB",
        ],
    };
    let data: &[&str] = &[
        "INSERT INTO log_level (value, level) VALUES (-2, 'DEBUG3'), (-1, 'DEBUG2'), \
         (0, 'DEBUG'), (1, 'INFO'), (2, 'NOTICE'), (3, 'WARNING'), (4, 'ERROR'), (5, 'CRITICAL')",
        "INSERT INTO test_results (hash_id, domain, batch_id, created_at, started_at, ended_at, \
         priority, queue, progress, fingerprint, params, undelegated) VALUES \
         ('aaaaaaaaaaaaaaaa', 'old.example', NULL, '2023-05-01 10:00:00', \
          '2023-05-01 10:00:01', '2023-05-01 10:00:09', 10, 0, 100, \
          '0123456789abcdef0123456789abcdef', '{\"domain\":\"old.example\"}', 0), \
         ('bbbbbbbbbbbbbbbb', 'waiting.example', NULL, '2023-05-01 11:00:00', NULL, NULL, \
          10, 0, 0, 'fedcba9876543210fedcba9876543210', '{\"domain\":\"waiting.example\"}', 1), \
         ('cccccccccccccccc', 'running.example', NULL, '2023-05-01 12:00:00', \
          '2023-05-01 12:00:01', NULL, 10, 0, 40, 'ffffffffffffffffffffffffffffffff', \
          '{\"domain\":\"running.example\"}', 0)",
        "INSERT INTO result_entries (hash_id, level, module, testcase, tag, timestamp, args) \
         VALUES ('aaaaaaaaaaaaaaaa', 1, 'System', 'Unspecified', 'GLOBAL_VERSION', 0.01, \
                 '{\"version\":\"v5.0.0\"}'), \
                ('aaaaaaaaaaaaaaaa', 4, 'Basic', 'Basic01', 'B01_NO_CHILD', 1.5, '{}'), \
                ('aaaaaaaaaaaaaaaa', 2, 'Basic', 'Basic02', 'B02_AUTH_RESPONSE_SOA', 2.25, \
                 '{\"ns\":\"ns1.old.example\"}')",
        "INSERT INTO users (username, api_key) VALUES ('legacy', 'plain-secret')",
        "INSERT INTO batch_jobs (username, created_at) VALUES ('legacy', '2023-05-01 09:00:00')",
    ];
    tables.iter().chain(data).copied().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adopts_a_reference_database() {
    for engine in ENGINES {
        let ctx = Ctx::empty(engine).await;
        for sql in reference_schema(engine) {
            raw(&ctx.scratch, sql).await;
        }
        let (store, name) = (&*ctx.store, ctx.name());
        assert_eq!(store.schema_version().await.unwrap(), None, "{name}");
        let report = store.migrate().await.unwrap();
        assert!(report.adopted_reference_schema, "{name}");
        assert_eq!((report.from, report.to), (None, NEWEST), "{name}");
        let again = store.migrate().await.unwrap();
        assert!(!again.adopted_reference_schema, "{name}");
        assert_eq!(again.from, Some(NEWEST));
        assert_no_redundant_indexes(&ctx).await;

        let old = row(store, "aaaaaaaaaaaaaaaa").await;
        assert_eq!(old.state, TestState::Completed, "{name}");
        assert_eq!(old.progress, 100);
        let created = Utc.with_ymd_and_hms(2023, 5, 1, 10, 0, 0).unwrap();
        assert_eq!(old.created_at, created);
        assert_eq!(old.params, json!({"domain": "old.example"}));
        let results = store.results("aaaaaaaaaaaaaaaa").await.unwrap();
        let tags: Vec<&str> = results.iter().map(|entry| entry.tag.as_str()).collect();
        let expected = ["GLOBAL_VERSION", "B01_NO_CHILD", "B02_AUTH_RESPONSE_SOA"];
        assert_eq!(tags, expected, "{name}");
        assert_eq!(results[2].args.get("ns"), Some(&json!("ns1.old.example")));
        assert_eq!(results[2].timestamp, 2.25);
        assert!(results[1].args.is_empty());
        let history = store
            .history("old.example", HistoryFilter::All, 0, 10)
            .await
            .unwrap();
        assert_eq!(history.len(), 1, "{name}");
        assert_eq!(history[0].max_level, Some(4));

        let waiting = row(store, "bbbbbbbbbbbbbbbb").await;
        let (state, undelegated) = (waiting.state, waiting.undelegated);
        assert_eq!((state, undelegated), (TestState::Waiting, true), "{name}");
        let running = row(store, "cccccccccccccccc").await;
        let (state, progress) = (running.state, running.progress);
        assert_eq!((state, progress), (TestState::Running, 40), "{name}");

        // The plaintext key authenticates once and is then stored hashed.
        let check = |key| store.check_api_key("legacy", key);
        assert_eq!(check("wrong").await.unwrap(), ApiKeyCheck::Invalid);
        assert_eq!(
            check("plain-secret").await.unwrap(),
            ApiKeyCheck::Valid,
            "{name}"
        );
        let stored = ctx.stored_key("legacy").await.unwrap();
        assert_eq!(stored, Api::hash_key("plain-secret"), "{name}");
        assert_eq!(check("plain-secret").await.unwrap(), ApiKeyCheck::Valid);

        // The queue works on the adopted tables.
        let claimed = claim(store, 0, "agent-a", at(0)).await;
        assert_eq!(claimed.hash_id, "bbbbbbbbbbbbbbbb", "{name}");
        let reaped = store
            .reap(None, at(-600), at(-3600), 600, at(0))
            .await
            .unwrap();
        assert_eq!(reaped.len(), 1, "{name}");
        assert_eq!(reaped[0].hash_id, "cccccccccccccccc");
        assert_eq!(reaped[0].outcome, ReapOutcome::Overdue);
        let entries = [entry(1, "FIRST", 0)];
        let done = finish(
            store,
            "bbbbbbbbbbbbbbbb",
            "agent-a",
            &entries,
            COMPLETED,
            at(5),
        );
        assert!(done.await, "{name}");
        let fresh = new_test("new.example", "1111", at(6));
        let (hash_id, is_new) = store.create_test(&fresh, at(0)).await.unwrap();
        assert!(is_new);
        assert_eq!(row(store, &hash_id).await.state, TestState::Waiting);
        // The counts made by the migration, and kept since.
        assert_counts_agree(&ctx).await;
    }
}

// ---- creating tests ---------------------------------------------------------

async fn reuse_rules(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let first = new_test("reuse.example", "f1", at(0));
    let (id1, is_new) = store.create_test(&first, at(-600)).await.unwrap();
    assert!(is_new, "{name}");
    assert_eq!(id1, first.hash_id);
    let reused = (id1.clone(), false);

    // Waiting: reused whatever the window.
    let again = new_test("reuse.example", "f1", at(5000));
    let outcome = store.create_test(&again, at(4400)).await.unwrap();
    assert_eq!(outcome, reused, "{name}");

    // Started at 100: reused while the window reaches back to it.
    assert_eq!(claim(store, 0, "agent-a", at(100)).await.hash_id, id1);
    let within = new_test("reuse.example", "f1", at(700));
    let outcome = store.create_test(&within, at(100)).await.unwrap();
    assert_eq!(outcome, reused, "{name}");

    // Started before the window: a new test.
    let after = new_test("reuse.example", "f1", at(701));
    let (id2, is_new) = store.create_test(&after, at(101)).await.unwrap();
    assert!(is_new, "{name}");
    assert_ne!(id2, id1);

    // Another fingerprint is another test.
    let other = new_test("reuse.example", "f2", at(702));
    assert!(store.create_test(&other, at(0)).await.unwrap().1, "{name}");

    // Batch tests are never reused.
    let batch_test = new_test("batch.example", "fb", at(0));
    let batch = std::slice::from_ref(&batch_test);
    store.create_batch("user", batch, at(0)).await.unwrap();
    let single = new_test("batch.example", "fb", at(1));
    let (id3, is_new) = store.create_test(&single, at(-600)).await.unwrap();
    assert!(is_new, "{name}");
    assert_ne!(id3, batch_test.hash_id);

    let row = row(store, &id2).await;
    assert_eq!(row.state, TestState::Waiting);
    assert_eq!((row.progress, row.attempts, row.batch_id), (0, 0, None));
    assert_eq!(row.created_at, at(701));
    assert_eq!(row.fingerprint, "f1");
    let params: Value = serde_json::from_str(&after.params).unwrap();
    assert_eq!(row.params, params);
}

async fn hash_collision(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let first = new_test("a.example", "fa", at(0));
    store.create_test(&first, at(0)).await.unwrap();
    let mut clash = new_test("b.example", "fb", at(0));
    clash.hash_id = first.hash_id.clone();
    let (id, is_new) = store.create_test(&clash, at(0)).await.unwrap();
    assert!(is_new, "{name}");
    assert_ne!(id, first.hash_id, "{name}");
    assert_eq!(id.len(), 16);
    let lower_hex = |b: u8| b.is_ascii_hexdigit() && !b.is_ascii_uppercase();
    assert!(id.bytes().all(lower_hex));
    assert_eq!(row(store, &id).await.domain, "b.example");
    assert_eq!(row(store, &first.hash_id).await.domain, "a.example");

    // In a batch too, against stored tests and within the batch.
    let mut batch = new_tests("c", Some("fc"), 3, at(0));
    batch[0].hash_id = first.hash_id.clone();
    batch[2].hash_id = batch[1].hash_id.clone();
    let batch_id = store.create_batch("user", &batch, at(0)).await.unwrap();
    let status = store.batch_status(batch_id).await.unwrap().unwrap();
    assert_eq!(status.waiting.len(), 3, "{name}");
    assert_eq!(status.waiting.iter().collect::<HashSet<_>>().len(), 3);
    assert!(!status.waiting.contains(&first.hash_id));
}

/// `create_test` of each of `tests` from its own task, all at once (on
/// SQLite the writer commits them in groups); the outcomes in order.
async fn create_all_at_once(
    store: &Arc<dyn Store>,
    tests: &[NewTest],
) -> Vec<Result<(String, bool), StoreError>> {
    let handles: Vec<_> = tests
        .iter()
        .map(|test| {
            let (store, test) = (store.clone(), test.clone());
            tokio::spawn(async move { store.create_test(&test, at(0)).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.unwrap());
    }
    outcomes
}

/// 120 distinct requests and 8 requests asked 10 times each, all at once
/// (SQLite commits them in groups, PostgreSQL and MariaDB serialise equal
/// ones with a lock per fingerprint; MariaDB once made two tests here):
/// the distinct ones get tests of their own, each set of equal ones one
/// test (new for exactly one of them), and every test can be read through
/// another pool once the calls have returned.
async fn concurrent_creations(ctx: &Ctx) {
    let name = ctx.name();
    let mut tests = new_tests("solo", None, 120, at(0));
    for n in 0..80 {
        let fingerprint = format!("equal{}", n % 8);
        tests.push(new_test(
            &format!("{fingerprint}.example"),
            &fingerprint,
            at(0),
        ));
    }
    let outcomes: Vec<(String, bool)> = create_all_at_once(&ctx.store, &tests)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let (solo, equal) = outcomes.split_at(120);
    assert!(solo.iter().all(|(_, is_new)| *is_new), "{name}");
    for set in 0..8 {
        let members: Vec<&(String, bool)> = equal.iter().skip(set).step_by(8).collect();
        let ids: HashSet<&String> = members.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 1, "{name}: equal{set}");
        let new = members.iter().filter(|(_, is_new)| *is_new).count();
        assert_eq!(new, 1, "{name}: equal{set}");
    }
    let ids: HashSet<&String> = outcomes.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), 128, "{name}");
    let other = ctx.another_store().await;
    for (test, (id, _)) in tests.iter().zip(&outcomes) {
        let stored = row(&*other, id).await;
        assert_eq!(stored.domain, test.domain, "{name}");
        assert_eq!(stored.fingerprint, test.fingerprint, "{name}");
        assert_eq!(stored.state, TestState::Waiting, "{name}");
    }
    assert_eq!(total_tests(&*other).await, 128, "{name}");
}

/// A request the database refuses (a trigger) fails, and only it: the
/// requests created with it are stored.
async fn refused_creation(ctx: &Ctx) {
    let name = ctx.name();
    for sql in failing_trigger(ctx.scratch.engine) {
        raw(&ctx.scratch, sql).await;
    }
    let mut tests = new_tests("ok", None, 60, at(0));
    for test in tests.iter_mut().step_by(10) {
        test.domain = "fail.example".to_owned();
    }
    let outcomes = create_all_at_once(&ctx.store, &tests).await;
    for (n, outcome) in outcomes.iter().enumerate() {
        if n % 10 == 0 {
            assert!(
                matches!(outcome, Err(StoreError::Database(_))),
                "{name}: {n}"
            );
        } else {
            let (id, is_new) = outcome.as_ref().unwrap();
            assert!(is_new, "{name}: {n}");
            assert_eq!(row(&*ctx.store, id).await.domain, tests[n].domain);
        }
    }
    assert_eq!(total_tests(&*ctx.store).await, 54, "{name}");
}

// ---- claiming -----------------------------------------------------------------

async fn claim_order(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let mut low = new_test("low.example", "l", at(0));
    low.priority = 5;
    let first = new_test("first.example", "1", at(1));
    let second = new_test("second.example", "2", at(2));
    let mut other_queue = new_test("q7.example", "q", at(0));
    other_queue.queue = 7;
    other_queue.priority = 100;
    for test in [&low, &first, &second, &other_queue] {
        store.create_test(test, at(0)).await.unwrap();
    }
    let mut order = Vec::new();
    for now in 10..13 {
        order.push(claim(store, 0, "agent-a", at(now)).await.hash_id);
    }
    let expected = [first.hash_id.clone(), second.hash_id, low.hash_id];
    assert_eq!(order, expected, "{name}");
    for queue in [0, 3] {
        let none = store.claim(queue, "agent-a", at(13)).await.unwrap();
        assert!(none.is_none(), "{name}: queue {queue}");
    }

    let claimed = claim(store, 7, "agent-b", at(14)).await;
    assert_eq!(claimed.hash_id, other_queue.hash_id, "{name}");
    assert_eq!(claimed.domain, "q7.example");
    assert_eq!(claimed.started_at, at(14));
    assert_eq!(claimed.attempts, 1);
    assert_eq!(claimed.batch_id, None);
    assert_eq!(claimed.params["domain"], "q7.example");
    let row = row(store, &first.hash_id).await;
    assert_eq!((row.progress, row.state), (1, TestState::Running), "{name}");
    assert_eq!(row.started_at, Some(at(10)));
    assert_eq!(row.agent.as_deref(), Some("agent-a"));
    assert_eq!(store.progress(&first.hash_id).await.unwrap(), Some(1));
    assert_eq!(store.progress("0000000000000000").await.unwrap(), None);
    assert!(store.test("0000000000000000").await.unwrap().is_none());
}

/// 200 tests claimed by four workers on each of two pools at once,
/// `per_claim` at a time (`None`: one `claim` at a time, otherwise
/// `claim_many`); every worker's claims, together.
async fn claimed_by_eight_workers(
    ctx: &Ctx,
    prefix: &str,
    per_claim: Option<usize>,
) -> Vec<String> {
    for test in &new_tests(prefix, None, 200, at(0)) {
        ctx.store.create_test(test, at(0)).await.unwrap();
    }
    let stores = [ctx.store.clone(), ctx.another_store().await];
    let mut tasks = Vec::new();
    for (pool, store) in stores.iter().enumerate() {
        for worker in 0..4 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let agent = format!("agent-{pool}-{worker}");
                let mut mine = Vec::new();
                loop {
                    let claimed = match per_claim {
                        None => store
                            .claim(0, &agent, at(1))
                            .await
                            .unwrap()
                            .into_iter()
                            .collect(),
                        Some(limit) => store
                            .claim_many(0, &agent, &ClaimToken::new(), at(1), limit)
                            .await
                            .unwrap(),
                    };
                    if claimed.is_empty() {
                        return mine;
                    }
                    mine.extend(claimed.into_iter().map(|test| test.hash_id));
                }
            }));
        }
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all
}

async fn concurrent_claims(ctx: &Ctx) {
    let name = ctx.name();
    let all = claimed_by_eight_workers(ctx, "t", None).await;
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 200, "{name}: claims");
    assert_eq!(distinct.len(), 200, "{name}: a test was claimed twice");
    let counts = ctx.store.queue_counts().await.unwrap();
    assert!(
        counts.contains(&(TestState::Running, 200)),
        "{name}: {counts:?}"
    );
    assert!(counts.contains(&(TestState::Waiting, 0)));
}

async fn claim_many_order(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let mut low = new_test("low.example", "l", at(0));
    low.priority = 5;
    let first = new_test("first.example", "1", at(1));
    let second = new_test("second.example", "2", at(2));
    let mut other_queue = new_test("q7.example", "q", at(0));
    other_queue.queue = 7;
    for test in [&low, &first, &second, &other_queue] {
        store.create_test(test, at(0)).await.unwrap();
    }
    let ids = |tests: Vec<ClaimedTest>| -> Vec<String> {
        tests.into_iter().map(|test| test.hash_id).collect()
    };
    assert!(
        store
            .claim_many(0, "agent-a", &ClaimToken::new(), at(9), 0)
            .await
            .unwrap()
            .is_empty()
    );
    let two = store
        .claim_many(0, "agent-a", &ClaimToken::new(), at(10), 2)
        .await
        .unwrap();
    assert_eq!((two[0].started_at, two[0].attempts), (at(10), 1), "{name}");
    assert_eq!(two[1].params["domain"], "second.example", "{name}");
    assert_eq!(ids(two), [first.hash_id.clone(), second.hash_id], "{name}");
    let rest = store
        .claim_many(0, "agent-b", &ClaimToken::new(), at(11), 5)
        .await
        .unwrap();
    assert_eq!(ids(rest), [low.hash_id.clone()], "{name}");
    assert!(
        store
            .claim_many(0, "agent-b", &ClaimToken::new(), at(12), 5)
            .await
            .unwrap()
            .is_empty()
    );
    let row = row(store, &first.hash_id).await;
    assert_eq!((row.progress, row.state), (1, TestState::Running), "{name}");
    assert_eq!(row.agent.as_deref(), Some("agent-a"));
    let row = self::row(store, &low.hash_id).await;
    assert_eq!(row.agent.as_deref(), Some("agent-b"), "{name}");
    let queued = store
        .claim_many(7, "agent-c", &ClaimToken::new(), at(13), 5)
        .await
        .unwrap();
    assert_eq!(ids(queued), [other_queue.hash_id], "{name}");
}

async fn concurrent_claim_many(ctx: &Ctx) {
    let name = ctx.name();
    let all = claimed_by_eight_workers(ctx, "m", Some(7)).await;
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 200, "{name}: claims");
    assert_eq!(distinct.len(), 200, "{name}: a test was claimed twice");
}

// ---- running and finishing ------------------------------------------------------

async fn progress_rules(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let test = new_test("p.example", "p", at(0));
    store.create_test(&test, at(0)).await.unwrap();
    let id = &test.hash_id;
    let set_and_read = |progress| async move {
        store.set_progress(id, progress).await.unwrap();
        store.progress(id).await.unwrap()
    };
    assert_eq!(set_and_read(50).await, Some(0), "{name}: waiting stays 0");
    claim(store, 0, "agent-a", at(1)).await;
    assert_eq!(set_and_read(40).await, Some(40), "{name}");
    assert_eq!(set_and_read(30).await, Some(40), "{name}: never lowered");
    assert_eq!(set_and_read(100).await, Some(99), "{name}: never 100");
    finish(store, id, "agent-a", &[], COMPLETED, at(2)).await;
    assert_eq!(set_and_read(60).await, Some(100), "{name}: finished stays");
}

async fn finish_rules(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let test = new_test("f.example", "f", at(0));
    store.create_test(&test, at(0)).await.unwrap();
    let id = &test.hash_id;
    let entries = vec![entry(1, "A", 0)];
    let done = finish(store, id, "agent-a", &entries, COMPLETED, at(1)).await;
    assert!(!done, "{name}: a waiting test cannot finish");
    claim(store, 0, "agent-a", at(1)).await;
    let done = finish(store, id, "agent-b", &entries, COMPLETED, at(2)).await;
    assert!(!done, "{name}: another agent's test");
    let written = store.results(id).await.unwrap();
    assert!(written.is_empty(), "{name}: nothing written");
    let failed = (TestState::Failed, Some("engine died"));
    assert!(
        finish(store, id, "agent-a", &entries, failed, at(3)).await,
        "{name}"
    );
    let done = finish(store, id, "agent-a", &entries, COMPLETED, at(4)).await;
    assert!(!done, "{name}: only once");
    let row = row(store, id).await;
    assert_eq!(
        (row.progress, row.state),
        (100, TestState::Failed),
        "{name}"
    );
    assert_eq!(row.reason.as_deref(), Some("engine died"));
    assert_eq!(row.ended_at, Some(at(3)));
    assert_eq!(row.testcases, None, "{name}: a failed run covered nothing");
    assert_eq!(store.results(id).await.unwrap(), entries, "{name}");

    // Issue 8, point 3: a completed run keeps how much it covered.
    let test = new_test("g.example", "g", at(5));
    store.create_test(&test, at(5)).await.unwrap();
    claim(store, 0, "agent-a", at(5)).await;
    let tally = TestCaseTally {
        ran: 2,
        enabled: 73,
    };
    let ending = Ending {
        entries: &entries,
        state: TestState::Completed,
        reason: None,
        testcases: Some(tally),
    };
    let done = store.finish(&test.hash_id, "agent-a", ending, at(6)).await;
    assert!(done.unwrap(), "{name}");
    let row = self::row(store, &test.hash_id).await;
    assert_eq!(row.testcases, Some(tally), "{name}");
}

async fn results_order(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let entries: Vec<ResultEntry> = (0..343)
        .map(|n| entry(1 + (n % 5) as i32, &format!("TAG_{n}"), n))
        .collect();
    let test = new_test("r.example", "r", at(0));
    let id = finished_test(store, &test, &entries, at(1)).await;
    let stored = store.results(&id).await.unwrap();
    assert_eq!(stored.len(), 343, "{name}");
    assert_eq!(stored, entries, "{name}: order and content");
    let mut unicode = entry(3, "UNICODE", 1);
    let text = json!("åäö ☃ \"quoted\"");
    unicode.args.insert("text".to_owned(), text);
    unicode
        .args
        .insert("list".to_owned(), json!(["a", 1, null]));
    let other = new_test("u.example", "u", at(0));
    let id = finished_test(store, &other, std::slice::from_ref(&unicode), at(1)).await;
    assert_eq!(store.results(&id).await.unwrap(), [unicode], "{name}");
}

// ---- reaping ----------------------------------------------------------------

async fn racing_reapers(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let tests = new_tests("o", None, 20, at(0));
    for test in &tests {
        store.create_test(test, at(0)).await.unwrap();
        claim(store, 0, "agent-a", at(0)).await;
    }
    let fresh = new_test("fresh.example", "fresh", at(0));
    store.create_test(&fresh, at(0)).await.unwrap();
    claim(store, 0, "agent-a", at(500)).await;

    let other = ctx.another_store().await;
    let (left, right) = tokio::join!(
        store.reap(None, at(100), at(-1000), 600, at(700)),
        other.reap(None, at(100), at(-1000), 600, at(700)),
    );
    let reaped = left.unwrap().len() + right.unwrap().len();
    assert_eq!(reaped, 20, "{name}: each test reaped once");
    for test in &tests {
        let entries = store.results(&test.hash_id).await.unwrap();
        assert_eq!(entries.len(), 1, "{name}: one entry for {}", test.hash_id);
        let entry = &entries[0];
        assert_eq!(entry.tag, "UNABLE_TO_FINISH_TEST");
        assert_eq!(
            (entry.module.as_str(), entry.testcase.as_str()),
            ("Backend", "")
        );
        assert_eq!(entry.level, 5);
        assert_eq!(entry.args.get("max_execution_time"), Some(&json!(600)));
        let row = row(store, &test.hash_id).await;
        assert_eq!(
            (row.progress, row.state),
            (100, TestState::Failed),
            "{name}"
        );
        assert_eq!(row.ended_at, Some(at(700)));
        let reason = "exceeded max_zonemaster_execution_time (600 s)";
        assert_eq!(row.reason.as_deref(), Some(reason));
    }
    let state = row(store, &fresh.hash_id).await.state;
    assert_eq!(
        state,
        TestState::Running,
        "{name}: started after the cutoff"
    );
    // A queue filter only reaps that queue.
    let reaped = store.reap(Some(3), at(1000), at(1000), 600, at(1000));
    assert!(reaped.await.unwrap().is_empty());
}

async fn dead_agents(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let test = new_test("d.example", "d", at(0));
    let id = &test.hash_id;
    store.create_test(&test, at(0)).await.unwrap();
    let alive = new_test("alive.example", "alive", at(0));
    store.create_test(&alive, at(0)).await.unwrap();
    claim(store, 0, "agent-dead", at(10)).await;
    claim(store, 0, "agent-alive", at(10)).await;
    let mine = std::slice::from_ref(&alive.hash_id);
    store.heartbeat("agent-alive", mine, at(100)).await.unwrap();
    store.heartbeat("agent-dead", &[], at(100)).await.unwrap();

    let reaped = store.reap(None, at(-10_000), at(50), 600, at(110));
    let reaped = reaped.await.unwrap();
    assert_eq!(reaped.len(), 1, "{name}: {reaped:?}");
    let outcome = (reaped[0].hash_id.as_str(), reaped[0].outcome);
    assert_eq!(outcome, (id.as_str(), ReapOutcome::Requeued));
    let row_now = row(store, id).await;
    let (progress, state) = (row_now.progress, row_now.state);
    assert_eq!((progress, state), (0, TestState::Waiting), "{name}");
    assert_eq!((row_now.started_at, row_now.agent.as_deref()), (None, None));
    let reason = "agent agent-dead stopped heart-beating";
    assert_eq!(row_now.reason.as_deref(), Some(reason));
    assert_eq!(row(store, &alive.hash_id).await.state, TestState::Running);

    // Second attempt, and its agent dies too: TEST_DIED.
    let claimed = claim(store, 0, "agent-dead-2", at(200)).await;
    let attempt = (claimed.hash_id.as_str(), claimed.attempts);
    assert_eq!(attempt, (id.as_str(), 2), "{name}");
    let reaped = store.reap(None, at(-10_000), at(300), 600, at(310));
    let reaped = reaped.await.unwrap();
    let mine: Vec<_> = reaped.iter().filter(|r| r.hash_id == *id).collect();
    assert_eq!(mine.len(), 1, "{name}");
    assert_eq!(mine[0].outcome, ReapOutcome::Died);
    let row_now = row(store, id).await;
    let (progress, state) = (row_now.progress, row_now.state);
    assert_eq!((progress, state), (100, TestState::Failed), "{name}");
    let reason = "agent agent-dead-2 stopped heart-beating";
    assert_eq!(row_now.reason.as_deref(), Some(reason));
    let entries = store.results(id).await.unwrap();
    assert_eq!(entries.len(), 1, "{name}");
    let entry = &entries[0];
    assert_eq!(entry.tag, "TEST_DIED");
    assert_eq!((entry.level, entry.module.as_str()), (5, "Backend"));
    assert!(entry.args.is_empty());
    assert_eq!(entry.timestamp, 110.0);
}

async fn voluntary_requeue(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let test = new_test("v.example", "v", at(0));
    let id = &test.hash_id;
    store.create_test(&test, at(0)).await.unwrap();
    claim(store, 0, "agent-a", at(1)).await;
    let requeue = |agent| store.requeue(id, agent);
    assert!(!requeue("agent-b").await.unwrap(), "{name}: not the owner");
    assert!(requeue("agent-a").await.unwrap(), "{name}");
    let row = row(store, id).await;
    let (progress, state, attempts) = (row.progress, row.state, row.attempts);
    assert_eq!(
        (progress, state, attempts),
        (0, TestState::Waiting, 0),
        "{name}"
    );
    assert_eq!(row.started_at, None);
    assert!(!requeue("agent-a").await.unwrap(), "{name}: waiting");
    assert_eq!(claim(store, 0, "agent-c", at(2)).await.attempts, 1);
}

/// Issue 16: a claim commits but its reply never arrives (the server
/// died, the connection dropped). The tests it took are found again by
/// its token, with their heartbeat renewed, by their agent only, and
/// handed back without counting an attempt.
async fn lost_claim_reply(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let tests = new_tests("lost", None, 3, at(0));
    for test in &tests {
        store.create_test(test, at(0)).await.unwrap();
    }
    let token = ClaimToken::new();
    // The reply is dropped unread: the agent saw an error.
    let _ = store
        .claim_many(0, "agent-a", &token, at(10), 2)
        .await
        .unwrap();
    assert!(
        store
            .recover_claim("agent-b", &token, at(20))
            .await
            .unwrap()
            .is_empty()
    );
    let other = ClaimToken::new();
    assert!(
        store
            .recover_claim("agent-a", &other, at(20))
            .await
            .unwrap()
            .is_empty()
    );

    let found = store
        .recover_claim("agent-a", &token, at(20))
        .await
        .unwrap();
    let ids: Vec<&str> = found.iter().map(|test| test.hash_id.as_str()).collect();
    assert_eq!(ids, [&tests[0].hash_id, &tests[1].hash_id], "{name}");
    assert_eq!(
        (found[0].started_at, found[0].attempts),
        (at(10), 1),
        "{name}"
    );
    assert_eq!(
        found[1].params,
        serde_json::from_str::<Value>(&tests[1].params).unwrap()
    );
    // The heartbeat is the recovery's: a reaper counting agents silent
    // since 15 s as dead leaves them alone.
    let reaped = store.reap(None, at(0), at(15), 600, at(21)).await.unwrap();
    assert!(reaped.is_empty(), "{name}: {reaped:?}");

    // Run one, hand the other back: neither counts a second attempt.
    assert!(finish(store, &found[0].hash_id, "agent-a", &[], COMPLETED, at(30)).await);
    assert_eq!(row(store, &found[0].hash_id).await.attempts, 1, "{name}");
    let left = store
        .recover_claim("agent-a", &token, at(31))
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "{name}");
    assert!(store.requeue(&left[0].hash_id, "agent-a").await.unwrap());
    let back = row(store, &left[0].hash_id).await;
    assert_eq!(
        (back.state, back.attempts),
        (TestState::Waiting, 0),
        "{name}"
    );
    assert!(
        store
            .recover_claim("agent-a", &token, at(32))
            .await
            .unwrap()
            .is_empty()
    );
    let again = store
        .claim_many(0, "agent-c", &ClaimToken::new(), at(40), 5)
        .await
        .unwrap();
    assert_eq!(again.len(), 2, "{name}");
    assert!(again.iter().all(|test| test.attempts == 1), "{name}");
}

// ---- batches and users ------------------------------------------------------

/// Makes inserting a test of `fail.example` fail inside the database.
fn failing_trigger(engine: DbEngine) -> Vec<&'static str> {
    match engine {
        DbEngine::Sqlite => vec![
            "CREATE TRIGGER boom BEFORE INSERT ON test_results WHEN NEW.domain = 'fail.example' \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        ],
        DbEngine::Postgresql => vec![
            "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN \
             IF NEW.domain = 'fail.example' THEN RAISE EXCEPTION 'boom'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER boom BEFORE INSERT ON test_results FOR EACH ROW EXECUTE FUNCTION boom()",
        ],
        DbEngine::Mysql => vec![
            "CREATE TRIGGER boom BEFORE INSERT ON test_results FOR EACH ROW BEGIN \
             IF NEW.domain = 'fail.example' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; \
             END IF; END",
        ],
    }
}

async fn batches(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let mut tests = new_tests("b", Some("same"), 1000, at(0));
    for test in &mut tests {
        test.priority = 5;
    }
    let batch_id = store.create_batch("batcher", &tests, at(0)).await.unwrap();
    let status = store.batch_status(batch_id).await.unwrap().unwrap();
    let ids: Vec<String> = tests.iter().map(|test| test.hash_id.clone()).collect();
    assert_eq!(status.waiting, ids, "{name}: creation order");
    assert!(status.running.is_empty() && status.finished.is_empty());
    let first = row(store, &ids[0]).await;
    assert_eq!(
        (first.batch_id, first.priority),
        (Some(batch_id), 5),
        "{name}"
    );

    let entries = vec![entry(1, "X", 0)];
    for _ in 0..2 {
        let claimed = claim(store, 0, "agent-a", at(1)).await;
        assert_eq!(claimed.batch_id, Some(batch_id));
    }
    finish(store, &ids[0], "agent-a", &entries, COMPLETED, at(2)).await;
    let cancelled = store.cancel_batch(batch_id, at(3)).await.unwrap();
    assert_eq!(cancelled, Some(998), "{name}");
    let status = store.batch_status(batch_id).await.unwrap().unwrap();
    assert_eq!(
        status.running,
        [ids[1].clone()],
        "{name}: running tests go on"
    );
    let counts = (
        status.waiting.len(),
        status.finished.len(),
        status.cancelled,
    );
    assert_eq!(counts, (0, 999, 998));
    let middle = row(store, &ids[500]).await;
    let (progress, state, ended_at) = (middle.progress, middle.state, middle.ended_at);
    assert_eq!(
        (progress, state, ended_at),
        (100, TestState::Cancelled, Some(at(3)))
    );
    let none = store.claim(0, "agent-a", at(4)).await.unwrap();
    assert!(none.is_none(), "{name}");
    assert_eq!(store.batch_status(batch_id + 1000).await.unwrap(), None);
    let unknown = store.cancel_batch(batch_id + 1000, at(4)).await.unwrap();
    assert_eq!(unknown, None);

    // All or nothing: a failure at test 300 leaves no batch and no test.
    for sql in failing_trigger(ctx.scratch.engine) {
        raw(&ctx.scratch, sql).await;
    }
    let mut doomed = new_tests("d", Some("doomed"), 400, at(10));
    doomed[300].domain = "fail.example".to_owned();
    let created = store.create_batch("batcher", &doomed, at(10)).await;
    assert!(created.is_err(), "{name}");
    let first_doomed = store.test(&doomed[0].hash_id).await.unwrap();
    assert!(first_doomed.is_none(), "{name}: rolled back");
    let no_batch = store.batch_status(batch_id + 1).await.unwrap();
    assert_eq!(no_batch, None, "{name}: no batch row");
    assert_eq!(total_tests(store).await, 1000, "{name}");
}

async fn users(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    store.add_user("alice", &Api::hash_key("k1")).await.unwrap();
    let err = store.add_user("alice", &Api::hash_key("k2")).await;
    let err = err.unwrap_err();
    let duplicate = matches!(err, StoreError::Duplicate { what: "user" });
    assert!(duplicate, "{name}: {err:?}");
    let check = |username, key| store.check_api_key(username, key);
    for (username, key, expected) in [
        ("alice", "k1", ApiKeyCheck::Valid),
        ("alice", "k2", ApiKeyCheck::Invalid),
        ("bob", "k1", ApiKeyCheck::Invalid),
    ] {
        let found = check(username, key).await.unwrap();
        assert_eq!(found, expected, "{name}: {username} with {key}");
    }
    let stored = ctx.stored_key("alice").await.unwrap();
    assert!(stored.starts_with("sha256:"), "{name}: stored hashed");
    // A plaintext key left by the reference is upgraded on first use.
    let carol = "INSERT INTO users (username, api_key) VALUES ('carol', 'open')";
    raw(&ctx.scratch, carol).await;
    assert_eq!(check("carol", "opeN").await.unwrap(), ApiKeyCheck::Invalid);
    let stored = ctx.stored_key("carol").await;
    assert_eq!(
        stored.as_deref(),
        Some("open"),
        "{name}: not upgraded by a wrong key"
    );
    assert_eq!(
        check("carol", "open").await.unwrap(),
        ApiKeyCheck::Valid,
        "{name}"
    );
    let stored = ctx.stored_key("carol").await;
    assert_eq!(stored, Some(Api::hash_key("open")), "{name}");
    assert_eq!(check("carol", "open").await.unwrap(), ApiKeyCheck::Valid);
}

// ---- history and purge ------------------------------------------------------

async fn history(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let mut ids = Vec::new();
    let levels = [(1, false), (3, true), (5, false), (4, true), (2, false)];
    for (n, (level, undelegated)) in levels.into_iter().enumerate() {
        let when = at(100 * n as i64);
        let mut test = new_test("h.example", &format!("h{n}"), when);
        test.undelegated = undelegated;
        let entries = vec![entry(1, "LOW", 0), entry(level, "TOP", 1)];
        ids.push(finished_test(store, &test, &entries, when).await);
    }
    // Same created_at as the last one: the later id comes first.
    let tie = new_test("h.example", "tie", at(400));
    ids.push(finished_test(store, &tie, &[], at(400)).await);
    // Not finished, and another domain: never listed.
    let waiting = new_test("h.example", "waiting", at(900));
    store.create_test(&waiting, at(0)).await.unwrap();
    let elsewhere = new_test("other.example", "o", at(50));
    finished_test(store, &elsewhere, &[], at(50)).await;

    let all = store
        .history("h.example", HistoryFilter::All, 0, 100)
        .await
        .unwrap();
    let listed: Vec<&str> = all.iter().map(|entry| entry.hash_id.as_str()).collect();
    let expected: Vec<&str> = [5, 4, 3, 2, 1, 0].map(|n| ids[n].as_str()).to_vec();
    assert_eq!(listed, expected, "{name}: newest first, ties by id");
    assert_eq!(all[0].max_level, None, "{name}: no entries");
    assert_eq!(all[1].max_level, Some(2));
    assert_eq!(all[3].max_level, Some(5));
    assert_eq!(all[1].created_at, at(400));
    assert!(all[2].undelegated && !all[1].undelegated);

    let delegated = store
        .history("h.example", HistoryFilter::Delegated, 0, 100)
        .await
        .unwrap();
    assert_eq!(delegated.len(), 4, "{name}");
    assert!(delegated.iter().all(|entry| !entry.undelegated));
    for (domain, filter, page, expected, why) in [
        (
            "h.example",
            HistoryFilter::Undelegated,
            (0, 100),
            vec![3, 1],
            "undelegated",
        ),
        (
            "h.example",
            HistoryFilter::All,
            (2, 2),
            vec![3, 2],
            "offset and limit",
        ),
        ("h.example", HistoryFilter::All, (0, 0), vec![], "limit 0"),
        (
            "h.example",
            HistoryFilter::All,
            (6, 10),
            vec![],
            "past the end",
        ),
        (
            "nowhere.example",
            HistoryFilter::All,
            (0, 10),
            vec![],
            "another domain",
        ),
    ] {
        let listed = history_ids(store, domain, filter, page).await;
        let expected: Vec<&String> = expected.into_iter().map(|n: usize| &ids[n]).collect();
        assert_eq!(listed.iter().collect::<Vec<_>>(), expected, "{name}: {why}");
    }
}

/// Issue 4/13, point 4: history entries carry the state, so a cancelled or
/// failed test is not mistaken for a clean run.
async fn history_states(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let completed = finished_test(store, &new_test("s.example", "s1", at(0)), &[], at(0)).await;

    let failing = new_test("s.example", "s2", at(10));
    store.create_test(&failing, at(10)).await.unwrap();
    let claimed = claim(store, 0, "agent-a", at(10)).await;
    assert_eq!(claimed.hash_id, failing.hash_id);
    let died = (TestState::Failed, Some("engine died"));
    assert!(finish(store, &failing.hash_id, "agent-a", &[], died, at(11)).await);

    let never_ran = new_test("s.example", "s3", at(20));
    let batch = store.create_batch("u", &[never_ran], at(20)).await.unwrap();
    assert_eq!(store.cancel_batch(batch, at(21)).await.unwrap(), Some(1));

    let history = store
        .history("s.example", HistoryFilter::All, 0, 10)
        .await
        .unwrap();
    let states: Vec<TestState> = history.iter().map(|entry| entry.state).collect();
    assert_eq!(
        states,
        [
            TestState::Cancelled,
            TestState::Failed,
            TestState::Completed
        ],
        "{name}"
    );
    assert_eq!(history[1].hash_id, failing.hash_id, "{name}");
    assert_eq!(history[2].hash_id, completed, "{name}");
    assert!(history.iter().all(|entry| entry.max_level.is_none()));
}

/// Issue 16: a domain's history reads the level each test stored when it
/// ended (finished or reaped), not its entries, which a long history
/// would make a read of thousands of rows. A test that ended before the
/// level was stored (schema version 6) still gets it from its entries.
async fn history_levels(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let entries = [entry(1, "A", 0), entry(3, "B", 1), entry(2, "C", 2)];
    let warned = finished_test(store, &new_test("l.example", "l1", at(0)), &entries, at(0)).await;
    let before = finished_test(store, &new_test("l.example", "l2", at(5)), &entries, at(5)).await;
    raw(
        &ctx.scratch,
        &format!("UPDATE test_results SET max_level = NULL WHERE hash_id = '{before}'"),
    )
    .await;
    // Entries the stored level does not know of: read only without it.
    for hash_id in [&warned, &before] {
        raw(
            &ctx.scratch,
            &format!(
                "INSERT INTO result_entries (hash_id, level, module, testcase, tag, timestamp, \
                 args) VALUES ('{hash_id}', 4, 'X', 'x', 'LATE', 9.0, '{{}}')"
            ),
        )
        .await;
    }
    let dead = new_test("l.example", "l3", at(10));
    store.create_test(&dead, at(10)).await.unwrap();
    claim(store, 0, "agent-a", at(10)).await;
    let reaped = store.reap(None, at(15), at(0), 600, at(20)).await.unwrap();
    assert_eq!(reaped.len(), 1, "{name}");
    let history = store
        .history("l.example", HistoryFilter::All, 0, 10)
        .await
        .unwrap();
    let levels: Vec<(&str, Option<i32>)> = history
        .iter()
        .map(|entry| (entry.hash_id.as_str(), entry.max_level))
        .collect();
    let expected = [
        (dead.hash_id.as_str(), Some(5)),
        (before.as_str(), Some(4)),
        (warned.as_str(), Some(3)),
    ];
    assert_eq!(levels, expected, "{name}");
}

async fn purge(ctx: &Ctx) {
    let (store, name) = (&*ctx.store, ctx.name());
    let entries = vec![entry(1, "A", 0), entry(2, "B", 1)];
    let mut old_finished = Vec::new();
    for (n, test) in new_tests("old", None, 25, at(0)).into_iter().enumerate() {
        let when = at(n as i64);
        let test = NewTest {
            created_at: when,
            ..test
        };
        old_finished.push(finished_test(store, &test, &entries, when).await);
    }
    let old_waiting = new_test("oldwait.example", "ow", at(0));
    store.create_test(&old_waiting, at(0)).await.unwrap();
    let mut old_running = new_test("oldrun.example", "or", at(0));
    old_running.priority = 20;
    store.create_test(&old_running, at(0)).await.unwrap();
    let claimed = claim(store, 0, "agent-a", at(1)).await;
    assert_eq!(claimed.hash_id, old_running.hash_id);
    let new_finished = new_test("new.example", "new", at(5000));
    let new_id = finished_test(store, &new_finished, &entries, at(5000)).await;

    // A batch all of whose tests are old and finished goes too; one with a
    // waiting test stays.
    let mut gone_test = new_test("gb.example", "gb", at(0));
    gone_test.queue = 5;
    let gone_batch = store.create_batch("u", &[gone_test], at(0)).await.unwrap();
    let batch_test = claim(store, 5, "agent-a", at(1)).await;
    finish(
        store,
        &batch_test.hash_id,
        "agent-a",
        &entries,
        COMPLETED,
        at(2),
    )
    .await;
    let kept = [new_test("kb.example", "kb", at(0))];
    let kept_batch = store.create_batch("u", &kept, at(0)).await.unwrap();

    let report = store.purge(at(1000), 7).await.unwrap();
    assert_eq!(report.tests, 26, "{name}: {report:?}");
    assert_eq!(report.entries, 52, "{name}");
    assert_eq!(report.batches, 1, "{name}");
    for id in &old_finished {
        assert!(store.test(id).await.unwrap().is_none(), "{name}");
        assert!(store.results(id).await.unwrap().is_empty());
    }
    assert_eq!(
        row(store, &old_waiting.hash_id).await.state,
        TestState::Waiting
    );
    assert_eq!(
        row(store, &old_running.hash_id).await.state,
        TestState::Running
    );
    assert_eq!(store.results(&new_id).await.unwrap().len(), 2, "{name}");
    let gone = store.batch_status(gone_batch).await.unwrap();
    assert_eq!(gone, None, "{name}");
    let kept = store.batch_status(kept_batch).await.unwrap();
    assert!(kept.is_some(), "{name}");
    let again = store.purge(at(1000), 7).await.unwrap();
    let counts = (again.tests, again.entries, again.batches);
    assert_eq!(counts, (0, 0, 0), "{name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_unreachable_server_says_why() {
    let text = "[DB]\nengine = PostgreSQL\n[POSTGRESQL]\nhost = 127.0.0.1\nport = 1\n\
                user = root\npassword = s3cret-pw\ndatabase = nowhere\n";
    let config = zonemaster::config::BackendConfig::parse(text, "x.ini").unwrap();
    let err = match store::open(&config.store_settings()).await {
        Ok(_) => panic!("opened a closed port"),
        Err(err) => err,
    };
    let message = format!("{err}");
    assert!(
        matches!(
            err,
            StoreError::Open {
                engine: "PostgreSQL",
                ..
            }
        ),
        "{message}"
    );
    assert!(message.contains("127.0.0.1:1"), "{message}");
    assert!(!message.contains("s3cret-pw"), "{message}");
}

/// Creates `count` distinct tests from `tasks` concurrent tasks; returns
/// tests per second (printed, not asserted: no timing limits in tests).
async fn create_rate(store: &Arc<dyn Store>, count: usize, tasks: usize) -> f64 {
    let started = std::time::Instant::now();
    let mut handles = Vec::new();
    for task in 0..tasks {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for n in (task..count).step_by(tasks) {
                let test = new_test(&format!("rate{n}.example"), &format!("rate{n}"), at(0));
                let (_, is_new) = store.create_test(&test, at(0)).await.unwrap();
                assert!(is_new);
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    count as f64 / started.elapsed().as_secs_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_test_throughput() {
    for engine in ENGINES {
        let ctx = Ctx::new(engine).await;
        let rate = create_rate(&ctx.store, 3000, 32).await;
        let counts = ctx.store.queue_counts().await.unwrap();
        assert!(
            counts.contains(&(TestState::Waiting, 3000)),
            "{}: {counts:?}",
            ctx.name()
        );
        println!(
            "{}: create_test {rate:.0}/s (3000 tests, 32 tasks)",
            ctx.name()
        );
        let started = std::time::Instant::now();
        let entries: Vec<ResultEntry> = (0..200).map(|n| entry(1, "T", n)).collect();
        let mut claimed = 0;
        while let Some(test) = ctx.store.claim(0, "agent-a", at(1)).await.unwrap() {
            finish(
                &*ctx.store,
                &test.hash_id,
                "agent-a",
                &entries,
                COMPLETED,
                at(2),
            )
            .await;
            claimed += 1;
            if claimed == 300 {
                break;
            }
        }
        let rate = f64::from(claimed) / started.elapsed().as_secs_f64();
        println!(
            "{}: claim + finish with 200 entries {rate:.0}/s (one task)",
            ctx.name()
        );
        let batch = new_tests("batch", Some("batch"), 10_000, at(3));
        let started = std::time::Instant::now();
        let batch_id = ctx
            .store
            .create_batch("bench", &batch, at(3))
            .await
            .unwrap();
        let elapsed = started.elapsed().as_secs_f64();
        let status = ctx.store.batch_status(batch_id).await.unwrap().unwrap();
        assert_eq!(status.waiting.len(), 10_000, "{}", ctx.name());
        println!(
            "{}: create_batch of 10000 domains in {elapsed:.2} s",
            ctx.name()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_are_reachable_through_unix_sockets() {
    for engine in [DbEngine::Postgresql, DbEngine::Mysql] {
        let scratch = dbs::scratch(engine);
        let ini = scratch.ini("", true);
        assert!(ini.contains("host = /"), "{ini}");
        let config = zonemaster::config::BackendConfig::parse(&ini, "socket.ini").unwrap();
        let store = store::open(&config.store_settings()).await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(
            store.schema_version().await.unwrap(),
            Some(NEWEST),
            "{}",
            engine.name()
        );
    }
}

/// Creating tests on a PostgreSQL table not yet analysed reads none of
/// the tests already there. Without statistics, the reuse look-up's
/// generic plan ANDed the batch index (`batch_id IS NULL`: every test
/// outside a batch) with the fingerprint index, so each creation read the
/// whole table's index entries: 726 `start_domain_test`/s in the API
/// benchmark, falling as the table grew. Statistics are read once the
/// store's connections have closed and reported them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creations_on_an_unanalysed_postgresql_table_walk_no_other_test() {
    const STORED: u64 = 20_000;
    const CLIENTS: u64 = 8;
    const TESTS: u64 = CLIENTS * 25;
    let ctx = Ctx::new(DbEngine::Postgresql).await;
    // As a new database filling up between two autovacuum rounds.
    raw(
        &ctx.scratch,
        "ALTER TABLE test_results SET (autovacuum_enabled = false)",
    )
    .await;
    let stored = format!(
        "INSERT INTO test_results (hash_id, domain, created_at, priority, queue, progress, \
         fingerprint, params, undelegated, state, attempts) SELECT substr(md5(i::text), 1, 16), \
         'stored' || i || '.example', now(), 10, 0, 0, md5('f' || i), '{{}}'::json, 0, 'waiting', 0 \
         FROM generate_series(1, {STORED}) AS i"
    );
    raw(&ctx.scratch, &stored).await;
    // Many clients at once, as the API makes them, each connection past
    // the executions after which PostgreSQL caches a generic plan.
    let clients = (0..CLIENTS).map(|client| {
        let store = Arc::clone(&ctx.store);
        let tests = new_tests(
            &format!("new{client}-"),
            None,
            (TESTS / CLIENTS) as usize,
            at(0),
        );
        tokio::spawn(async move {
            for test in tests {
                store.create_test(&test, at(-600)).await.unwrap();
            }
        })
    });
    for client in futures::future::join_all(clients).await {
        client.unwrap();
    }
    let Ctx { scratch, store } = ctx;
    drop(store);
    let inserted = "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'test_results'";
    for _ in 0..100 {
        if raw_count(&scratch, inserted).await >= STORED + TESTS {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        raw_count(&scratch, inserted).await,
        STORED + TESTS,
        "statistics not reported"
    );
    let read = raw_count(
        &scratch,
        "SELECT COALESCE(SUM(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = \
         'test_results' AND indexrelname NOT IN ('test_results_pkey', 'test_results__hash_id', \
         'test_results__fingerprint', 'test_results__fingerprint_id')",
    )
    .await;
    assert!(
        read < TESTS,
        "{read} index entries read for {TESTS} creations"
    );
}
