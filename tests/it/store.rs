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
    self, Api, ApiKeyCheck, HistoryFilter, NewTest, ReapOutcome, ResultEntry, Store, StoreError,
    TestState, Timestamp,
};

use crate::dbs::{self, Scratch};

/// The engines every scenario runs on.
const ENGINES: [DbEngine; 3] = [DbEngine::Sqlite, DbEngine::Postgresql, DbEngine::Mysql];

/// One engine's scratch database and a migrated store on it.
struct Ctx {
    scratch: Scratch,
    store: Arc<dyn Store>,
}

impl Ctx {
    /// A fresh, migrated database.
    async fn new(engine: DbEngine) -> Ctx {
        let ctx = Ctx::empty(engine).await;
        ctx.store.migrate().await.unwrap();
        ctx
    }

    /// A fresh database without schema.
    async fn empty(engine: DbEngine) -> Ctx {
        let scratch = dbs::scratch(engine);
        let store = store::open(&scratch.config).await.unwrap();
        Ctx { scratch, store }
    }

    /// The engine, for assertion messages.
    fn name(&self) -> &'static str {
        self.scratch.engine.name()
    }

    /// A second, independent pool on the same database.
    async fn another_store(&self) -> Arc<dyn Store> {
        store::open(&self.scratch.config).await.unwrap()
    }
}

/// 2024-01-01 00:00:00 UTC plus `seconds`.
fn at(seconds: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap() + Duration::seconds(seconds)
}

/// A non-batch test of `domain` with fingerprint `fingerprint`.
fn new_test(domain: &str, fingerprint: &str, created_at: Timestamp) -> NewTest {
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

/// An entry with `level`, `tag` and one argument.
fn entry(level: i32, tag: &str, n: usize) -> ResultEntry {
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
    let claimed = store
        .claim(test.queue, "agent-a", at_time)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.hash_id, hash_id);
    let done = store
        .finish(
            &hash_id,
            "agent-a",
            entries,
            TestState::Completed,
            None,
            at_time,
        )
        .await
        .unwrap();
    assert!(done);
    hash_id
}

/// Runs `scenario` on a fresh migrated database of every engine.
macro_rules! on_every_engine {
    ($scenario:ident) => {
        for engine in ENGINES {
            let ctx = Ctx::new(engine).await;
            $scenario(&ctx).await;
        }
    };
}

// ---- raw access for fixtures ----------------------------------------------

/// Runs one statement on the scratch database outside the store.
async fn raw(scratch: &Scratch, sql: &str) {
    raw_text(scratch, sql).await;
}

/// The first column of the first row of `sql` (text), outside the store.
async fn raw_text(scratch: &Scratch, sql: &str) -> Option<String> {
    use sqlx::Row;
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    let text: Option<String> = match scratch.engine {
        DbEngine::Sqlite => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&scratch.name)
                .create_if_missing(true)
                // As the reference used it: foreign keys not enforced.
                .foreign_keys(false);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .unwrap();
            let row = sqlx::raw_sql(sql).fetch_optional(&mut conn).await.unwrap();
            row.and_then(|row| row.try_get::<Option<String>, _>(0).unwrap())
        }
        DbEngine::Postgresql => {
            let options = sqlx::postgres::PgConnectOptions::new()
                .host("127.0.0.1")
                .username("root")
                .database(&scratch.name);
            let mut conn = sqlx::PgConnection::connect_with(&options).await.unwrap();
            let row = sqlx::raw_sql(sql).fetch_optional(&mut conn).await.unwrap();
            row.and_then(|row| row.try_get::<Option<String>, _>(0).unwrap())
        }
        DbEngine::Mysql => {
            let options = sqlx::mysql::MySqlConnectOptions::new()
                .host("127.0.0.1")
                .username("root")
                .database(&scratch.name);
            let mut conn = sqlx::MySqlConnection::connect_with(&options).await.unwrap();
            let row = sqlx::raw_sql(sql).fetch_optional(&mut conn).await.unwrap();
            row.and_then(|row| row.try_get::<Option<String>, _>(0).unwrap())
        }
    };
    text.map(|text| text.trim_end().to_owned())
}

// ---- migrations -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_is_idempotent_and_versioned() {
    for engine in ENGINES {
        let ctx = Ctx::empty(engine).await;
        let store = &ctx.store;
        assert_eq!(
            store.schema_version().await.unwrap(),
            None,
            "{}",
            ctx.name()
        );
        let first = store.migrate().await.unwrap();
        assert_eq!((first.from, first.to), (None, 1), "{}", ctx.name());
        assert!(!first.adopted_reference_schema);
        let again = store.migrate().await.unwrap();
        assert_eq!((again.from, again.to), (Some(1), 1), "{}", ctx.name());
        assert!(!again.adopted_reference_schema);
        assert_eq!(store.schema_version().await.unwrap(), Some(1));
        let levels = raw_text(
            &ctx.scratch,
            "SELECT CAST(COUNT(*) AS CHAR(8)) FROM log_level",
        )
        .await;
        assert_eq!(levels.as_deref(), Some("8"), "{}", ctx.name());
        let debug3 = raw_text(&ctx.scratch, "SELECT level FROM log_level WHERE value = -2").await;
        assert_eq!(debug3.as_deref(), Some("DEBUG3"));
        let critical = raw_text(&ctx.scratch, "SELECT level FROM log_level WHERE value = 5").await;
        assert_eq!(critical.as_deref(), Some("CRITICAL"));
        // A second process migrating the same database changes nothing.
        let other = ctx.another_store().await.migrate().await.unwrap();
        assert_eq!((other.from, other.to), (Some(1), 1), "{}", ctx.name());
        assert_eq!(
            ctx.store
                .queue_counts()
                .await
                .unwrap()
                .iter()
                .map(|c| c.1)
                .sum::<u64>(),
            0
        );
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
        assert!(
            matches!(
                err,
                StoreError::TooNew {
                    found: 99,
                    known: 1
                }
            ),
            "{}: {err:?}",
            ctx.name()
        );
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
        let name = ctx.name();
        let store = &ctx.store;
        assert_eq!(store.schema_version().await.unwrap(), None, "{name}");
        let report = store.migrate().await.unwrap();
        assert!(report.adopted_reference_schema, "{name}");
        assert_eq!((report.from, report.to), (None, 1), "{name}");
        let again = store.migrate().await.unwrap();
        assert!(!again.adopted_reference_schema, "{name}");
        assert_eq!(again.from, Some(1));

        let old = store.test("aaaaaaaaaaaaaaaa").await.unwrap().unwrap();
        assert_eq!(old.state, TestState::Completed, "{name}");
        assert_eq!(old.progress, 100);
        assert_eq!(
            old.created_at,
            Utc.with_ymd_and_hms(2023, 5, 1, 10, 0, 0).unwrap()
        );
        assert_eq!(old.params, json!({"domain": "old.example"}));
        let tags: Vec<String> = store
            .results("aaaaaaaaaaaaaaaa")
            .await
            .unwrap()
            .into_iter()
            .map(|entry| entry.tag)
            .collect();
        assert_eq!(
            tags,
            ["GLOBAL_VERSION", "B01_NO_CHILD", "B02_AUTH_RESPONSE_SOA"],
            "{name}"
        );
        let results = store.results("aaaaaaaaaaaaaaaa").await.unwrap();
        assert_eq!(results[2].args.get("ns"), Some(&json!("ns1.old.example")));
        assert_eq!(results[2].timestamp, 2.25);
        assert!(results[1].args.is_empty());
        let history = store
            .history("old.example", HistoryFilter::All, 0, 10)
            .await
            .unwrap();
        assert_eq!(history.len(), 1, "{name}");
        assert_eq!(history[0].max_level, Some(4));

        let waiting = store.test("bbbbbbbbbbbbbbbb").await.unwrap().unwrap();
        assert_eq!(
            (waiting.state, waiting.undelegated),
            (TestState::Waiting, true),
            "{name}"
        );
        let running = store.test("cccccccccccccccc").await.unwrap().unwrap();
        assert_eq!(
            (running.state, running.progress),
            (TestState::Running, 40),
            "{name}"
        );

        // The plaintext key authenticates once and is then stored hashed.
        assert_eq!(
            store.check_api_key("legacy", "wrong").await.unwrap(),
            ApiKeyCheck::Invalid
        );
        assert_eq!(
            store.check_api_key("legacy", "plain-secret").await.unwrap(),
            ApiKeyCheck::Valid,
            "{name}"
        );
        let stored = raw_text(
            &ctx.scratch,
            "SELECT api_key FROM users WHERE username = 'legacy'",
        )
        .await
        .unwrap();
        assert_eq!(stored, Api::hash_key("plain-secret"), "{name}");
        assert_eq!(
            store.check_api_key("legacy", "plain-secret").await.unwrap(),
            ApiKeyCheck::Valid
        );

        // The queue works on the adopted tables.
        let claimed = store.claim(0, "agent-a", at(0)).await.unwrap().unwrap();
        assert_eq!(claimed.hash_id, "bbbbbbbbbbbbbbbb", "{name}");
        let reaped = store
            .reap(None, at(-600), at(-3600), 600, at(0))
            .await
            .unwrap();
        assert_eq!(reaped.len(), 1, "{name}");
        assert_eq!(reaped[0].hash_id, "cccccccccccccccc");
        assert_eq!(reaped[0].outcome, ReapOutcome::Overdue);
        let entries = vec![entry(1, "FIRST", 0)];
        assert!(
            store
                .finish(
                    "bbbbbbbbbbbbbbbb",
                    "agent-a",
                    &entries,
                    TestState::Completed,
                    None,
                    at(5)
                )
                .await
                .unwrap(),
            "{name}"
        );
        let (hash_id, is_new) = store
            .create_test(&new_test("new.example", "1111", at(6)), at(0))
            .await
            .unwrap();
        assert!(is_new);
        assert_eq!(
            store.test(&hash_id).await.unwrap().unwrap().state,
            TestState::Waiting
        );
    }
}

// ---- creating tests ---------------------------------------------------------

async fn reuse_rules(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let first = new_test("reuse.example", "f1", at(0));
    let (id1, is_new) = store.create_test(&first, at(-600)).await.unwrap();
    assert!(is_new, "{name}");
    assert_eq!(id1, first.hash_id);

    // Waiting: reused whatever the window.
    let again = new_test("reuse.example", "f1", at(5000));
    assert_eq!(
        store.create_test(&again, at(4400)).await.unwrap(),
        (id1.clone(), false),
        "{name}"
    );

    // Started at 100: reused while the window reaches back to it.
    let claimed = store.claim(0, "agent-a", at(100)).await.unwrap().unwrap();
    assert_eq!(claimed.hash_id, id1);
    let within = new_test("reuse.example", "f1", at(700));
    assert_eq!(
        store.create_test(&within, at(100)).await.unwrap(),
        (id1.clone(), false),
        "{name}"
    );

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
    store
        .create_batch("user", std::slice::from_ref(&batch_test), at(0))
        .await
        .unwrap();
    let single = new_test("batch.example", "fb", at(1));
    let (id3, is_new) = store.create_test(&single, at(-600)).await.unwrap();
    assert!(is_new, "{name}");
    assert_ne!(id3, batch_test.hash_id);

    let row = store.test(&id2).await.unwrap().unwrap();
    assert_eq!(row.state, TestState::Waiting);
    assert_eq!((row.progress, row.attempts, row.batch_id), (0, 0, None));
    assert_eq!(row.created_at, at(701));
    assert_eq!(row.fingerprint, "f1");
    assert_eq!(
        row.params,
        serde_json::from_str::<Value>(&after.params).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_test_reuse_rules() {
    on_every_engine!(reuse_rules);
}

async fn hash_collision(ctx: &Ctx) {
    let store = &*ctx.store;
    let first = new_test("a.example", "fa", at(0));
    store.create_test(&first, at(0)).await.unwrap();
    let mut clash = new_test("b.example", "fb", at(0));
    clash.hash_id = first.hash_id.clone();
    let (id, is_new) = store.create_test(&clash, at(0)).await.unwrap();
    assert!(is_new, "{}", ctx.name());
    assert_ne!(id, first.hash_id, "{}", ctx.name());
    assert_eq!(id.len(), 16);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(store.test(&id).await.unwrap().unwrap().domain, "b.example");
    assert_eq!(
        store.test(&first.hash_id).await.unwrap().unwrap().domain,
        "a.example"
    );

    // In a batch too, against stored tests and within the batch.
    let mut batch: Vec<NewTest> = (0..3)
        .map(|n| new_test(&format!("c{n}.example"), "fc", at(0)))
        .collect();
    batch[0].hash_id = first.hash_id.clone();
    batch[2].hash_id = batch[1].hash_id.clone();
    let batch_id = store.create_batch("user", &batch, at(0)).await.unwrap();
    let status = store.batch_status(batch_id).await.unwrap().unwrap();
    assert_eq!(status.waiting.len(), 3, "{}", ctx.name());
    assert_eq!(status.waiting.iter().collect::<HashSet<_>>().len(), 3);
    assert!(!status.waiting.contains(&first.hash_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hash_id_collisions_draw_a_new_id() {
    on_every_engine!(hash_collision);
}

// ---- claiming -----------------------------------------------------------------

async fn claim_order(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
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
    let order: Vec<String> = [
        store.claim(0, "agent-a", at(10)).await.unwrap(),
        store.claim(0, "agent-a", at(11)).await.unwrap(),
        store.claim(0, "agent-a", at(12)).await.unwrap(),
    ]
    .into_iter()
    .map(|claimed| claimed.unwrap().hash_id)
    .collect();
    assert_eq!(
        order,
        [first.hash_id.clone(), second.hash_id, low.hash_id],
        "{name}"
    );
    assert!(
        store.claim(0, "agent-a", at(13)).await.unwrap().is_none(),
        "{name}"
    );
    assert!(
        store.claim(3, "agent-a", at(13)).await.unwrap().is_none(),
        "{name}"
    );

    let claimed = store.claim(7, "agent-b", at(14)).await.unwrap().unwrap();
    assert_eq!(claimed.hash_id, other_queue.hash_id, "{name}");
    assert_eq!(claimed.domain, "q7.example");
    assert_eq!(claimed.started_at, at(14));
    assert_eq!(claimed.attempts, 1);
    assert_eq!(claimed.batch_id, None);
    assert_eq!(claimed.params["domain"], "q7.example");
    let row = store.test(&first.hash_id).await.unwrap().unwrap();
    assert_eq!((row.progress, row.state), (1, TestState::Running), "{name}");
    assert_eq!(row.started_at, Some(at(10)));
    assert_eq!(row.agent.as_deref(), Some("agent-a"));
    assert_eq!(store.progress(&first.hash_id).await.unwrap(), Some(1));
    assert_eq!(store.progress("0000000000000000").await.unwrap(), None);
    assert!(store.test("0000000000000000").await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_by_priority_then_fifo_per_queue() {
    on_every_engine!(claim_order);
}

async fn concurrent_claims(ctx: &Ctx) {
    let tests: Vec<NewTest> = (0..200)
        .map(|n| new_test(&format!("t{n}.example"), &format!("f{n}"), at(0)))
        .collect();
    for test in &tests {
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
                while let Some(claimed) = store.claim(0, &agent, at(1)).await.unwrap() {
                    mine.push(claimed.hash_id);
                }
                mine
            }));
        }
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 200, "{}: claims", ctx.name());
    assert_eq!(
        distinct.len(),
        200,
        "{}: a test was claimed twice",
        ctx.name()
    );
    let counts = ctx.store.queue_counts().await.unwrap();
    assert!(
        counts.contains(&(TestState::Running, 200)),
        "{}: {counts:?}",
        ctx.name()
    );
    assert!(counts.contains(&(TestState::Waiting, 0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_claims_hand_out_each_test_once() {
    on_every_engine!(concurrent_claims);
}

// ---- running and finishing ------------------------------------------------------

async fn progress_rules(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let test = new_test("p.example", "p", at(0));
    store.create_test(&test, at(0)).await.unwrap();
    let id = &test.hash_id;
    store.set_progress(id, 50).await.unwrap();
    assert_eq!(
        store.progress(id).await.unwrap(),
        Some(0),
        "{name}: waiting stays 0"
    );
    store.claim(0, "agent-a", at(1)).await.unwrap().unwrap();
    store.set_progress(id, 40).await.unwrap();
    assert_eq!(store.progress(id).await.unwrap(), Some(40), "{name}");
    store.set_progress(id, 30).await.unwrap();
    assert_eq!(
        store.progress(id).await.unwrap(),
        Some(40),
        "{name}: never lowered"
    );
    store.set_progress(id, 100).await.unwrap();
    assert_eq!(
        store.progress(id).await.unwrap(),
        Some(99),
        "{name}: never 100"
    );
    store
        .finish(id, "agent-a", &[], TestState::Completed, None, at(2))
        .await
        .unwrap();
    store.set_progress(id, 60).await.unwrap();
    assert_eq!(
        store.progress(id).await.unwrap(),
        Some(100),
        "{name}: finished stays"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_progress_is_monotonic_and_below_100() {
    on_every_engine!(progress_rules);
}

async fn finish_rules(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let test = new_test("f.example", "f", at(0));
    store.create_test(&test, at(0)).await.unwrap();
    let id = &test.hash_id;
    let entries = vec![entry(1, "A", 0)];
    assert!(
        !store
            .finish(id, "agent-a", &entries, TestState::Completed, None, at(1))
            .await
            .unwrap(),
        "{name}: a waiting test cannot finish"
    );
    store.claim(0, "agent-a", at(1)).await.unwrap().unwrap();
    assert!(
        !store
            .finish(id, "agent-b", &entries, TestState::Completed, None, at(2))
            .await
            .unwrap(),
        "{name}: another agent's test"
    );
    assert!(
        store.results(id).await.unwrap().is_empty(),
        "{name}: nothing written"
    );
    assert!(
        store
            .finish(
                id,
                "agent-a",
                &entries,
                TestState::Failed,
                Some("engine died"),
                at(3)
            )
            .await
            .unwrap(),
        "{name}"
    );
    assert!(
        !store
            .finish(id, "agent-a", &entries, TestState::Completed, None, at(4))
            .await
            .unwrap(),
        "{name}: only once"
    );
    let row = store.test(id).await.unwrap().unwrap();
    assert_eq!(
        (row.progress, row.state),
        (100, TestState::Failed),
        "{name}"
    );
    assert_eq!(row.reason.as_deref(), Some("engine died"));
    assert_eq!(row.ended_at, Some(at(3)));
    assert_eq!(store.results(id).await.unwrap(), entries, "{name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_only_by_the_owner_and_once() {
    on_every_engine!(finish_rules);
}

async fn results_order(ctx: &Ctx) {
    let entries: Vec<ResultEntry> = (0..343)
        .map(|n| entry(1 + (n % 5) as i32, &format!("TAG_{n}"), n))
        .collect();
    let test = new_test("r.example", "r", at(0));
    let id = finished_test(&*ctx.store, &test, &entries, at(1)).await;
    let stored = ctx.store.results(&id).await.unwrap();
    assert_eq!(stored.len(), 343, "{}", ctx.name());
    assert_eq!(stored, entries, "{}: order and content", ctx.name());
    let mut unicode = entry(3, "UNICODE", 1);
    unicode
        .args
        .insert("text".to_owned(), json!("åäö ☃ \"quoted\""));
    unicode
        .args
        .insert("list".to_owned(), json!(["a", 1, null]));
    let other = new_test("u.example", "u", at(0));
    let id = finished_test(&*ctx.store, &other, std::slice::from_ref(&unicode), at(1)).await;
    assert_eq!(
        ctx.store.results(&id).await.unwrap(),
        [unicode],
        "{}",
        ctx.name()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_keep_their_order() {
    on_every_engine!(results_order);
}

// ---- reaping ----------------------------------------------------------------

async fn racing_reapers(ctx: &Ctx) {
    let name = ctx.name();
    let tests: Vec<NewTest> = (0..20)
        .map(|n| new_test(&format!("o{n}.example"), &format!("o{n}"), at(0)))
        .collect();
    for test in &tests {
        ctx.store.create_test(test, at(0)).await.unwrap();
        ctx.store.claim(0, "agent-a", at(0)).await.unwrap().unwrap();
    }
    let fresh = new_test("fresh.example", "fresh", at(0));
    ctx.store.create_test(&fresh, at(0)).await.unwrap();
    ctx.store
        .claim(0, "agent-a", at(500))
        .await
        .unwrap()
        .unwrap();

    let other = ctx.another_store().await;
    let (left, right) = tokio::join!(
        ctx.store.reap(None, at(100), at(-1000), 600, at(700)),
        other.reap(None, at(100), at(-1000), 600, at(700)),
    );
    let (left, right) = (left.unwrap(), right.unwrap());
    assert_eq!(
        left.len() + right.len(),
        20,
        "{name}: each test reaped once"
    );
    for test in &tests {
        let entries = ctx.store.results(&test.hash_id).await.unwrap();
        assert_eq!(entries.len(), 1, "{name}: one entry for {}", test.hash_id);
        assert_eq!(entries[0].tag, "UNABLE_TO_FINISH_TEST");
        assert_eq!(entries[0].module, "Backend");
        assert_eq!(entries[0].testcase, "");
        assert_eq!(entries[0].level, 5);
        assert_eq!(entries[0].args.get("max_execution_time"), Some(&json!(600)));
        let row = ctx.store.test(&test.hash_id).await.unwrap().unwrap();
        assert_eq!(
            (row.progress, row.state),
            (100, TestState::Failed),
            "{name}"
        );
        assert_eq!(row.ended_at, Some(at(700)));
        assert_eq!(
            row.reason.as_deref(),
            Some("exceeded max_zonemaster_execution_time (600 s)")
        );
    }
    let row = ctx.store.test(&fresh.hash_id).await.unwrap().unwrap();
    assert_eq!(
        row.state,
        TestState::Running,
        "{name}: started after the cutoff"
    );
    // A queue filter only reaps that queue.
    assert!(
        ctx.store
            .reap(Some(3), at(1000), at(1000), 600, at(1000))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_tests_are_reaped_exactly_once() {
    on_every_engine!(racing_reapers);
}

async fn dead_agents(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let test = new_test("d.example", "d", at(0));
    let id = &test.hash_id;
    store.create_test(&test, at(0)).await.unwrap();
    let alive = new_test("alive.example", "alive", at(0));
    store.create_test(&alive, at(0)).await.unwrap();
    store.claim(0, "agent-dead", at(10)).await.unwrap().unwrap();
    store
        .claim(0, "agent-alive", at(10))
        .await
        .unwrap()
        .unwrap();
    store
        .heartbeat("agent-alive", std::slice::from_ref(&alive.hash_id), at(100))
        .await
        .unwrap();
    store.heartbeat("agent-dead", &[], at(100)).await.unwrap();

    let reaped = store
        .reap(None, at(-10_000), at(50), 600, at(110))
        .await
        .unwrap();
    assert_eq!(reaped.len(), 1, "{name}: {reaped:?}");
    assert_eq!(
        (reaped[0].hash_id.as_str(), reaped[0].outcome),
        (id.as_str(), ReapOutcome::Requeued)
    );
    let row = store.test(id).await.unwrap().unwrap();
    assert_eq!((row.progress, row.state), (0, TestState::Waiting), "{name}");
    assert_eq!((row.started_at, row.agent.as_deref()), (None, None));
    assert_eq!(
        row.reason.as_deref(),
        Some("agent agent-dead stopped heart-beating")
    );
    assert_eq!(
        store.test(&alive.hash_id).await.unwrap().unwrap().state,
        TestState::Running
    );

    // Second attempt, and its agent dies too: TEST_DIED.
    let claimed = store
        .claim(0, "agent-dead-2", at(200))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (claimed.hash_id.as_str(), claimed.attempts),
        (id.as_str(), 2),
        "{name}"
    );
    let reaped = store
        .reap(None, at(-10_000), at(300), 600, at(310))
        .await
        .unwrap();
    let mine: Vec<_> = reaped.iter().filter(|r| r.hash_id == *id).collect();
    assert_eq!(mine.len(), 1, "{name}");
    assert_eq!(mine[0].outcome, ReapOutcome::Died);
    let row = store.test(id).await.unwrap().unwrap();
    assert_eq!(
        (row.progress, row.state),
        (100, TestState::Failed),
        "{name}"
    );
    assert_eq!(
        row.reason.as_deref(),
        Some("agent agent-dead-2 stopped heart-beating")
    );
    let entries = store.results(id).await.unwrap();
    assert_eq!(entries.len(), 1, "{name}");
    assert_eq!(entries[0].tag, "TEST_DIED");
    assert_eq!(
        (entries[0].level, entries[0].module.as_str()),
        (5, "Backend")
    );
    assert!(entries[0].args.is_empty());
    assert_eq!(entries[0].timestamp, 110.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_agent_tests_are_requeued_then_die() {
    on_every_engine!(dead_agents);
}

async fn voluntary_requeue(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let test = new_test("v.example", "v", at(0));
    store.create_test(&test, at(0)).await.unwrap();
    store.claim(0, "agent-a", at(1)).await.unwrap().unwrap();
    assert!(
        !store.requeue(&test.hash_id, "agent-b").await.unwrap(),
        "{name}: not the owner"
    );
    assert!(
        store.requeue(&test.hash_id, "agent-a").await.unwrap(),
        "{name}"
    );
    let row = store.test(&test.hash_id).await.unwrap().unwrap();
    assert_eq!(
        (row.progress, row.state, row.attempts),
        (0, TestState::Waiting, 0),
        "{name}"
    );
    assert_eq!(row.started_at, None);
    assert!(
        !store.requeue(&test.hash_id, "agent-a").await.unwrap(),
        "{name}: waiting"
    );
    assert_eq!(
        store
            .claim(0, "agent-c", at(2))
            .await
            .unwrap()
            .unwrap()
            .attempts,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requeue_gives_a_test_back() {
    on_every_engine!(voluntary_requeue);
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
    let name = ctx.name();
    let store = &*ctx.store;
    let tests: Vec<NewTest> = (0..1000)
        .map(|n| {
            let mut test = new_test(&format!("b{n}.example"), "same", at(0));
            test.priority = 5;
            test
        })
        .collect();
    let batch_id = store.create_batch("batcher", &tests, at(0)).await.unwrap();
    let status = store.batch_status(batch_id).await.unwrap().unwrap();
    let ids: Vec<String> = tests.iter().map(|test| test.hash_id.clone()).collect();
    assert_eq!(status.waiting, ids, "{name}: creation order");
    assert!(status.running.is_empty() && status.finished.is_empty());
    let row = store.test(&ids[0]).await.unwrap().unwrap();
    assert_eq!((row.batch_id, row.priority), (Some(batch_id), 5), "{name}");

    let entries = vec![entry(1, "X", 0)];
    for _ in 0..2 {
        let claimed = store.claim(0, "agent-a", at(1)).await.unwrap().unwrap();
        assert_eq!(claimed.batch_id, Some(batch_id));
    }
    store
        .finish(
            &ids[0],
            "agent-a",
            &entries,
            TestState::Completed,
            None,
            at(2),
        )
        .await
        .unwrap();
    let cancelled = store.cancel_batch(batch_id, at(3)).await.unwrap();
    assert_eq!(cancelled, Some(998), "{name}");
    let status = store.batch_status(batch_id).await.unwrap().unwrap();
    assert_eq!(
        status.running,
        [ids[1].clone()],
        "{name}: running tests go on"
    );
    assert_eq!(
        (
            status.waiting.len(),
            status.finished.len(),
            status.cancelled
        ),
        (0, 999, 998)
    );
    let row = store.test(&ids[500]).await.unwrap().unwrap();
    assert_eq!(
        (row.progress, row.state, row.ended_at),
        (100, TestState::Cancelled, Some(at(3)))
    );
    assert!(
        store.claim(0, "agent-a", at(4)).await.unwrap().is_none(),
        "{name}"
    );
    assert_eq!(store.batch_status(batch_id + 1000).await.unwrap(), None);
    assert_eq!(
        store.cancel_batch(batch_id + 1000, at(4)).await.unwrap(),
        None
    );

    // All or nothing: a failure at test 300 leaves no batch and no test.
    for sql in failing_trigger(ctx.scratch.engine) {
        raw(&ctx.scratch, sql).await;
    }
    let mut doomed: Vec<NewTest> = (0..400)
        .map(|n| new_test(&format!("d{n}.example"), "doomed", at(10)))
        .collect();
    doomed[300].domain = "fail.example".to_owned();
    assert!(
        store
            .create_batch("batcher", &doomed, at(10))
            .await
            .is_err(),
        "{name}"
    );
    assert!(
        store.test(&doomed[0].hash_id).await.unwrap().is_none(),
        "{name}: rolled back"
    );
    assert_eq!(
        store.batch_status(batch_id + 1).await.unwrap(),
        None,
        "{name}: no batch row"
    );
    let counts = store.queue_counts().await.unwrap();
    let total: u64 = counts.iter().map(|(_, count)| count).sum();
    assert_eq!(total, 1000, "{name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_are_atomic_and_cancellable() {
    on_every_engine!(batches);
}

async fn users(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    store.add_user("alice", &Api::hash_key("k1")).await.unwrap();
    let err = store
        .add_user("alice", &Api::hash_key("k2"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Duplicate { what: "user" }),
        "{name}: {err:?}"
    );
    assert_eq!(
        store.check_api_key("alice", "k1").await.unwrap(),
        ApiKeyCheck::Valid,
        "{name}"
    );
    assert_eq!(
        store.check_api_key("alice", "k2").await.unwrap(),
        ApiKeyCheck::Invalid
    );
    assert_eq!(
        store.check_api_key("bob", "k1").await.unwrap(),
        ApiKeyCheck::Invalid
    );
    let stored = raw_text(
        &ctx.scratch,
        "SELECT api_key FROM users WHERE username = 'alice'",
    )
    .await
    .unwrap();
    assert!(stored.starts_with("sha256:"), "{name}: stored hashed");
    // A plaintext key left by the reference is upgraded on first use.
    raw(
        &ctx.scratch,
        "INSERT INTO users (username, api_key) VALUES ('carol', 'open')",
    )
    .await;
    assert_eq!(
        store.check_api_key("carol", "opeN").await.unwrap(),
        ApiKeyCheck::Invalid
    );
    let stored = raw_text(
        &ctx.scratch,
        "SELECT api_key FROM users WHERE username = 'carol'",
    )
    .await;
    assert_eq!(
        stored.as_deref(),
        Some("open"),
        "{name}: not upgraded by a wrong key"
    );
    assert_eq!(
        store.check_api_key("carol", "open").await.unwrap(),
        ApiKeyCheck::Valid,
        "{name}"
    );
    let stored = raw_text(
        &ctx.scratch,
        "SELECT api_key FROM users WHERE username = 'carol'",
    )
    .await;
    assert_eq!(stored, Some(Api::hash_key("open")), "{name}");
    assert_eq!(
        store.check_api_key("carol", "open").await.unwrap(),
        ApiKeyCheck::Valid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_unique_and_keys_hashed() {
    on_every_engine!(users);
}

// ---- history and purge ------------------------------------------------------

async fn history(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let mut ids = Vec::new();
    for (n, (level, undelegated)) in [(1, false), (3, true), (5, false), (4, true), (2, false)]
        .into_iter()
        .enumerate()
    {
        let mut test = new_test("h.example", &format!("h{n}"), at(100 * n as i64));
        test.undelegated = undelegated;
        let entries = vec![entry(1, "LOW", 0), entry(level, "TOP", 1)];
        ids.push(finished_test(store, &test, &entries, at(100 * n as i64)).await);
    }
    // Same created_at as the last one: the later id comes first.
    let tie = new_test("h.example", "tie", at(400));
    ids.push(finished_test(store, &tie, &[], at(400)).await);
    // Not finished, and another domain: never listed.
    store
        .create_test(&new_test("h.example", "waiting", at(900)), at(0))
        .await
        .unwrap();
    finished_test(store, &new_test("other.example", "o", at(50)), &[], at(50)).await;

    let all = store
        .history("h.example", HistoryFilter::All, 0, 100)
        .await
        .unwrap();
    let listed: Vec<&str> = all.iter().map(|entry| entry.hash_id.as_str()).collect();
    let expected: Vec<&str> = [5, 4, 3, 2, 1, 0]
        .iter()
        .map(|&n| ids[n].as_str())
        .collect();
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
    let undelegated = store
        .history("h.example", HistoryFilter::Undelegated, 0, 100)
        .await
        .unwrap();
    let listed: Vec<&str> = undelegated
        .iter()
        .map(|entry| entry.hash_id.as_str())
        .collect();
    assert_eq!(listed, [ids[3].as_str(), ids[1].as_str()], "{name}");

    let page = store
        .history("h.example", HistoryFilter::All, 2, 2)
        .await
        .unwrap();
    let listed: Vec<&str> = page.iter().map(|entry| entry.hash_id.as_str()).collect();
    assert_eq!(
        listed,
        [ids[3].as_str(), ids[2].as_str()],
        "{name}: offset and limit"
    );
    assert!(
        store
            .history("h.example", HistoryFilter::All, 0, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .history("h.example", HistoryFilter::All, 6, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .history("nowhere.example", HistoryFilter::All, 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_filters_orders_and_pages() {
    on_every_engine!(history);
}

async fn purge(ctx: &Ctx) {
    let name = ctx.name();
    let store = &*ctx.store;
    let entries = vec![entry(1, "A", 0), entry(2, "B", 1)];
    let mut old_finished = Vec::new();
    for n in 0..25 {
        let test = new_test(&format!("old{n}.example"), &format!("old{n}"), at(n));
        old_finished.push(finished_test(store, &test, &entries, at(n)).await);
    }
    let old_waiting = new_test("oldwait.example", "ow", at(0));
    store.create_test(&old_waiting, at(0)).await.unwrap();
    let mut old_running = new_test("oldrun.example", "or", at(0));
    old_running.priority = 20;
    store.create_test(&old_running, at(0)).await.unwrap();
    let claimed = store.claim(0, "agent-a", at(1)).await.unwrap().unwrap();
    assert_eq!(claimed.hash_id, old_running.hash_id);
    let new_finished = new_test("new.example", "new", at(5000));
    let new_id = finished_test(store, &new_finished, &entries, at(5000)).await;

    // A batch all of whose tests are old and finished goes too; one with a
    // waiting test stays.
    let mut gone_test = new_test("gb.example", "gb", at(0));
    gone_test.queue = 5;
    let gone_batch = store.create_batch("u", &[gone_test], at(0)).await.unwrap();
    let batch_test = store.claim(5, "agent-a", at(1)).await.unwrap().unwrap();
    store
        .finish(
            &batch_test.hash_id,
            "agent-a",
            &entries,
            TestState::Completed,
            None,
            at(2),
        )
        .await
        .unwrap();
    let kept_batch = store
        .create_batch("u", &[new_test("kb.example", "kb", at(0))], at(0))
        .await
        .unwrap();

    let report = store.purge(at(1000), 7).await.unwrap();
    assert_eq!(report.tests, 26, "{name}: {report:?}");
    assert_eq!(report.entries, 52, "{name}");
    assert_eq!(report.batches, 1, "{name}");
    for id in &old_finished {
        assert!(store.test(id).await.unwrap().is_none(), "{name}");
        assert!(store.results(id).await.unwrap().is_empty());
    }
    assert_eq!(
        store
            .test(&old_waiting.hash_id)
            .await
            .unwrap()
            .unwrap()
            .state,
        TestState::Waiting
    );
    assert_eq!(
        store
            .test(&old_running.hash_id)
            .await
            .unwrap()
            .unwrap()
            .state,
        TestState::Running
    );
    assert_eq!(store.results(&new_id).await.unwrap().len(), 2, "{name}");
    assert_eq!(
        store.batch_status(gone_batch).await.unwrap(),
        None,
        "{name}"
    );
    assert!(
        store.batch_status(kept_batch).await.unwrap().is_some(),
        "{name}"
    );
    let again = store.purge(at(1000), 7).await.unwrap();
    assert_eq!(
        (again.tests, again.entries, again.batches),
        (0, 0, 0),
        "{name}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_removes_only_old_finished_tests() {
    on_every_engine!(purge);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_unreachable_server_says_why() {
    let text = "[DB]\nengine = PostgreSQL\n[POSTGRESQL]\nhost = 127.0.0.1\nport = 1\n\
                user = root\npassword = s3cret-pw\ndatabase = nowhere\n";
    let config = zonemaster::config::BackendConfig::parse(text, "x.ini").unwrap();
    let err = match store::open(&config).await {
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
            ctx.store
                .finish(
                    &test.hash_id,
                    "agent-a",
                    &entries,
                    TestState::Completed,
                    None,
                    at(2),
                )
                .await
                .unwrap();
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
        let batch: Vec<NewTest> = (0..10_000)
            .map(|n| new_test(&format!("batch{n}.example"), "batch", at(3)))
            .collect();
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
        let store = store::open(&config).await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(
            store.schema_version().await.unwrap(),
            Some(1),
            "{}",
            engine.name()
        );
    }
}
