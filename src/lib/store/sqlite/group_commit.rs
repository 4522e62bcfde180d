//! Group commit of `create_test` on SQLite.
//!
//! SQLite has one writer, and each commit writes every page the insert
//! touched (the table and its nine indexes) to the WAL, so one commit per
//! `start_domain_test` keeps the API at one commit after another, the
//! caller tasks waiting their turn on the single write connection. Here
//! the creations are queued to one writer task instead; it takes what is
//! waiting (up to [`MAX_GROUP`]) and commits it as one transaction, then
//! answers each caller. A caller gets its id only after the commit that
//! holds its test, as before.
//!
//! Inside a group the outcome is the one of the same requests run one
//! after another in arrival order (spec §5.1.3): a request reuses the
//! newest test of its fingerprint that is not in a batch and not started
//! or started at or after its `reuse_since`, counting the tests created by
//! earlier requests of the group, so two equal requests in one group get
//! one test. When the group's transaction fails (a database fault, a
//! constraint or trigger refusing one row), it is rolled back and each
//! request is run again alone, so each caller gets its own outcome and one
//! bad request does not fail the others.
//!
//! PostgreSQL and MariaDB are left out: there concurrent transactions
//! commit in parallel (and the server batches their log flushes itself).

use std::collections::{HashMap, HashSet};

use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Sqlite};
use tokio::sync::{mpsc, oneshot};

use super::{bind_new_test, created_count, record_counts, sql, time};
use crate::store::common::{self, Columns};
use crate::store::{NewTest, StoreError, Timestamp};

/// Most creations committed together. Bounds the time the write lock is
/// held and the size of one statement's list (a [`common::ladder_chunks`]
/// size, so each statement shape is prepared once).
pub(crate) const MAX_GROUP: usize = 256;

/// Creations waiting for the writer task before callers wait to queue.
const QUEUE: usize = 4 * MAX_GROUP;

/// The outcome of one creation: the test id and whether it is new.
type Outcome = Result<(String, bool), StoreError>;

/// One `create_test` call waiting for its group.
struct Creation {
    test: NewTest,
    reuse_since: Timestamp,
    reply: oneshot::Sender<Outcome>,
}

/// The queue to the writer task that commits creations in groups.
#[derive(Debug)]
pub(crate) struct Creations {
    queue: mpsc::Sender<Creation>,
}

impl Creations {
    /// Starts the writer task on `writer`, the single write connection. The
    /// task ends when the queue is dropped with the store.
    pub(crate) fn start(writer: SqlitePool) -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(write_groups(writer, waiting));
        Self { queue }
    }

    /// Creates `test` or reuses an equal one ([`Store::create_test`]),
    /// committed with whatever other creations are waiting.
    ///
    /// [`Store::create_test`]: crate::store::Store::create_test
    pub(crate) async fn create(&self, test: &NewTest, reuse_since: Timestamp) -> Outcome {
        let (reply, outcome) = oneshot::channel();
        let creation = Creation {
            test: test.clone(),
            reuse_since,
            reply,
        };
        self.queue
            .send(creation)
            .await
            .map_err(|_| StoreError::Interrupted)?;
        outcome.await.map_err(|_| StoreError::Interrupted)?
    }
}

/// The writer task: takes what is queued, commits it, answers, again.
async fn write_groups(writer: SqlitePool, mut waiting: mpsc::Receiver<Creation>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
        commit_group(&writer, std::mem::take(&mut group)).await;
    }
}

/// Commits `group` and answers its callers; alone when the group fails.
async fn commit_group(writer: &SqlitePool, group: Vec<Creation>) {
    if group.len() > 1 {
        let requests: Vec<(&NewTest, Timestamp)> = group
            .iter()
            .map(|creation| (&creation.test, creation.reuse_since))
            .collect();
        match create_together(writer, &requests).await {
            Ok(outcomes) => {
                for (creation, outcome) in group.into_iter().zip(outcomes) {
                    let _ = creation.reply.send(Ok(outcome));
                }
                return;
            }
            Err(error) => {
                tracing::warn!(
                    error = %error,
                    tests = group.len(),
                    "creating tests together failed; creating them one by one"
                );
            }
        }
    }
    for creation in group {
        let outcome = create_alone(writer, &creation.test, creation.reuse_since).await;
        // A caller that went away no longer wants its answer.
        let _ = creation.reply.send(outcome);
    }
}

/// One creation in its own `BEGIN IMMEDIATE` transaction: one statement
/// inserts unless a reusable test exists, and the count change is
/// recorded; when it inserts nothing, a second looks the reusable test
/// up, and if there is none the id collided and a fresh one is tried.
pub(crate) async fn create_alone(
    writer: &SqlitePool,
    test: &NewTest,
    reuse_since: Timestamp,
) -> Outcome {
    let reuse_since = time(reuse_since);
    let mut hash_id = test.hash_id.clone();
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
    for _ in 0..common::ID_TRIES {
        let inserted = bind_new_test(sqlx::query(sql::CREATE_TEST), &hash_id, test)
            .bind(&reuse_since)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .next();
        if let Some(row) = inserted {
            record_counts(&mut tx, &created_count(None, 1)).await?;
            // A commit that fails (a full disk) fails the creation.
            tx.commit().await?;
            return Ok((row.text(0)?, true));
        }
        let reusable: Option<String> = sqlx::query_scalar(sql::REUSABLE)
            .bind(&test.fingerprint)
            .bind(&reuse_since)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(hash_id) = reusable {
            tx.commit().await?;
            return Ok((hash_id, false));
        }
        hash_id = crate::store::new_test_id();
    }
    Err(StoreError::Duplicate { what: "test id" })
}

/// A test a request of the group may reuse.
struct Candidate {
    /// Its row id; tests of this group rank after every stored one, in
    /// their order.
    rank: (bool, i64),
    test: Made,
    /// `started_at` as SQLite stores it (text that sorts as time does).
    started_at: Option<String>,
}

/// Which test a request of the group gets. `Fresh` indexes are
/// positions in the group's list of inserts, so indexing it cannot miss.
#[derive(Clone)]
enum Made {
    /// A stored test, reused.
    Stored(String),
    /// The test the `n`th fresh insert of the group makes.
    Fresh(usize),
}

/// Creates `requests` in one `BEGIN IMMEDIATE` transaction with the
/// outcomes of running them one after another in this order. A handful
/// of statements whatever the group's size: the candidates for reuse,
/// the multi-row inserts, the commit.
pub(crate) async fn create_together(
    writer: &SqlitePool,
    requests: &[(&NewTest, Timestamp)],
) -> Result<Vec<(String, bool)>, StoreError> {
    let Some(oldest) = requests.iter().map(|(_, since)| *since).min() else {
        return Ok(Vec::new());
    };
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
    let mut candidates = reusable_tests(&mut tx, requests, oldest).await?;
    let mut made = Vec::with_capacity(requests.len());
    let mut fresh: Vec<NewTest> = Vec::new();
    for (test, reuse_since) in requests {
        let since = time(*reuse_since);
        let newest = candidates.get(&test.fingerprint).and_then(|list| {
            list.iter()
                .filter(|found| found.started_at.as_ref().is_none_or(|at| *at >= since))
                .max_by_key(|found| found.rank)
        });
        if let Some(found) = newest {
            made.push(found.test.clone());
            continue;
        }
        let index = fresh.len();
        candidates
            .entry(test.fingerprint.clone())
            .or_default()
            .push(Candidate {
                rank: (true, i64::try_from(index).unwrap_or(i64::MAX)),
                test: Made::Fresh(index),
                started_at: None,
            });
        made.push(Made::Fresh(index));
        fresh.push((*test).clone());
    }
    insert_fresh(&mut tx, &mut fresh).await?;
    let count = i64::try_from(fresh.len()).unwrap_or(i64::MAX);
    record_counts(&mut tx, &created_count(None, count)).await?;
    tx.commit().await?;
    let mut is_first = vec![true; fresh.len()];
    Ok(made
        .into_iter()
        .map(|test| match test {
            Made::Stored(hash_id) => (hash_id, false),
            Made::Fresh(index) => {
                let is_new = std::mem::replace(&mut is_first[index], false);
                (fresh[index].hash_id.clone(), is_new)
            }
        })
        .collect())
}

/// The stored tests that some request of the group may reuse: not in a
/// batch, not started or started at or after the oldest `reuse_since`,
/// by fingerprint.
async fn reusable_tests(
    tx: &mut sqlx::SqliteConnection,
    requests: &[(&NewTest, Timestamp)],
    oldest: Timestamp,
) -> Result<HashMap<String, Vec<Candidate>>, StoreError> {
    let mut seen = HashSet::new();
    let fingerprints: Vec<&str> = requests
        .iter()
        .map(|(test, _)| test.fingerprint.as_str())
        .filter(|fingerprint| seen.insert(*fingerprint))
        .collect();
    let oldest = time(oldest);
    let mut candidates: HashMap<String, Vec<Candidate>> = HashMap::new();
    for chunk in common::ladder_chunks(&fingerprints) {
        let mut builder = QueryBuilder::<Sqlite>::new(sql::REUSABLE_SINCE);
        builder
            .push_bind(oldest.clone())
            .push(") AND fingerprint IN (");
        let mut list = builder.separated(", ");
        for fingerprint in chunk {
            list.push_bind(*fingerprint);
        }
        builder.push(")");
        for row in builder.build().fetch_all(&mut *tx).await? {
            candidates.entry(row.text(2)?).or_default().push(Candidate {
                rank: (false, row.int(0)?),
                test: Made::Stored(row.text(1)?),
                started_at: row.opt_text(3)?,
            });
        }
    }
    Ok(candidates)
}

/// Inserts `fresh` in multi-row statements; a row whose id is taken
/// (stored, or drawn twice in the group) gets a fresh id and is tried
/// again.
async fn insert_fresh(
    tx: &mut sqlx::SqliteConnection,
    fresh: &mut [NewTest],
) -> Result<(), StoreError> {
    let mut pending: Vec<&mut NewTest> = fresh.iter_mut().collect();
    for _ in 0..common::ID_TRIES {
        let mut drawn = HashSet::new();
        for test in &mut pending {
            while !drawn.insert(test.hash_id.clone()) {
                test.hash_id = crate::store::new_test_id();
            }
        }
        let mut inserted = HashSet::new();
        for chunk in common::ladder_chunks(&pending) {
            let mut builder = QueryBuilder::<Sqlite>::new(sql::INSERT_TESTS);
            builder.push_values(chunk, |mut row, test| {
                row.push_bind(test.hash_id.clone())
                    .push_bind(test.domain.clone())
                    .push("NULL")
                    .push_bind(time(test.created_at))
                    .push_bind(test.priority)
                    .push_bind(test.queue)
                    .push("0")
                    .push_bind(test.fingerprint.clone())
                    .push_bind(test.params.clone())
                    .push_bind(i64::from(test.undelegated))
                    .push("'waiting'")
                    .push("0");
            });
            builder.push(" ON CONFLICT DO NOTHING RETURNING hash_id");
            for row in builder.build().fetch_all(&mut *tx).await? {
                inserted.insert(row.text(0)?);
            }
        }
        pending.retain(|test| !inserted.contains(&test.hash_id));
        if pending.is_empty() {
            return Ok(());
        }
        for test in &mut pending {
            test.hash_id = crate::store::new_test_id();
        }
    }
    Err(StoreError::Duplicate { what: "test id" })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::Store;
    use crate::store::sqlite::SqliteStore;

    /// A migrated store in a temporary directory.
    async fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("db.sqlite"), true)
            .await
            .unwrap();
        store.migrate().await.unwrap();
        (dir, store)
    }

    /// 2024-01-01 00:00:00 UTC plus `seconds`.
    fn at(seconds: i64) -> Timestamp {
        chrono::Utc
            .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .unwrap()
            + chrono::Duration::seconds(seconds)
    }

    fn new_test(domain: &str, fingerprint: &str) -> NewTest {
        NewTest {
            hash_id: crate::store::new_test_id(),
            domain: domain.to_owned(),
            fingerprint: fingerprint.to_owned(),
            params: format!("{{\"domain\":\"{domain}\"}}"),
            undelegated: false,
            priority: 10,
            queue: 0,
            created_at: at(0),
        }
    }

    async fn count(store: &SqliteStore) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM test_results")
            .fetch_one(&store.reader)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn equal_requests_in_one_group_share_one_test() {
        let (_dir, store) = store().await;
        let (a1, b, a2, a3) = (
            new_test("a.example", "fa"),
            new_test("b.example", "fb"),
            new_test("a.example", "fa"),
            new_test("a.example", "fa"),
        );
        let group = [(&a1, at(0)), (&b, at(0)), (&a2, at(0)), (&a3, at(0))];
        let outcomes = create_together(&store.writer, &group).await.unwrap();
        let (a, b) = (a1.hash_id.clone(), b.hash_id.clone());
        assert_eq!(
            outcomes,
            [(a.clone(), true), (b, true), (a.clone(), false), (a, false)]
        );
        assert_eq!(count(&store).await, 2);
    }

    /// A stored test started at 100: the first request's window reaches it,
    /// the second's does not (a new test), the third's reaches both and
    /// takes the newer, the one the second made.
    #[tokio::test]
    async fn a_group_reuses_as_its_requests_one_after_another_would() {
        let (_dir, store) = store().await;
        let stored = new_test("s.example", "f");
        create_alone(&store.writer, &stored, at(0)).await.unwrap();
        let claimed = store.claim(0, "agent", at(100)).await.unwrap().unwrap();
        assert_eq!(claimed.hash_id, stored.hash_id);
        let (r1, r2, r3) = (
            new_test("s.example", "f"),
            new_test("s.example", "f"),
            new_test("s.example", "f"),
        );
        let group = [(&r1, at(50)), (&r2, at(200)), (&r3, at(50))];
        let outcomes = create_together(&store.writer, &group).await.unwrap();
        assert_eq!(
            outcomes,
            [
                (stored.hash_id.clone(), false),
                (r2.hash_id.clone(), true),
                (r2.hash_id.clone(), false)
            ]
        );
        assert_eq!(count(&store).await, 2);
    }

    #[tokio::test]
    async fn ids_taken_or_drawn_twice_are_drawn_again() {
        let (_dir, store) = store().await;
        let stored = new_test("s.example", "fs");
        create_alone(&store.writer, &stored, at(0)).await.unwrap();
        let mut b = new_test("b.example", "fb");
        b.hash_id = stored.hash_id.clone();
        let mut c = new_test("c.example", "fc");
        let mut d = new_test("d.example", "fd");
        c.hash_id = "00000000000000c0".to_owned();
        d.hash_id = c.hash_id.clone();
        let group = [(&b, at(0)), (&c, at(0)), (&d, at(0))];
        let outcomes = create_together(&store.writer, &group).await.unwrap();
        let ids: HashSet<&String> = outcomes.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 3);
        assert!(!ids.contains(&stored.hash_id));
        assert!(outcomes.iter().all(|(_, is_new)| *is_new));
        for ((id, _), test) in outcomes.iter().zip([&b, &c, &d]) {
            let row = store.test(id).await.unwrap().unwrap();
            assert_eq!(row.domain, test.domain);
        }
    }

    /// A trigger refuses one row: the group's transaction fails, and each
    /// request is run alone, so only that one fails.
    #[tokio::test]
    async fn a_refused_row_fails_only_its_own_request() {
        let (_dir, store) = store().await;
        sqlx::query(
            "CREATE TRIGGER boom BEFORE INSERT ON test_results WHEN NEW.domain = 'fail.example' \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        )
        .execute(&store.writer)
        .await
        .unwrap();
        let tests = [
            new_test("ok1.example", "f1"),
            new_test("fail.example", "f2"),
            new_test("ok2.example", "f3"),
            new_test("ok1.example", "f1"),
        ];
        let mut answers = Vec::new();
        let group = tests
            .iter()
            .map(|test| {
                let (reply, answer) = oneshot::channel();
                answers.push(answer);
                Creation {
                    test: test.clone(),
                    reuse_since: at(0),
                    reply,
                }
            })
            .collect();
        commit_group(&store.writer, group).await;
        let mut outcomes = Vec::new();
        for answer in answers {
            outcomes.push(answer.await.unwrap());
        }
        // Request `index` got the test of request `made_by`.
        let got = |index: usize, made_by: usize, is_new| {
            let outcome = outcomes[index].as_ref().unwrap();
            assert_eq!(outcome, &(tests[made_by].hash_id.clone(), is_new));
        };
        got(0, 0, true);
        assert!(matches!(outcomes[1], Err(StoreError::Database(_))));
        got(2, 2, true);
        got(3, 0, false);
        assert_eq!(count(&store).await, 2);
    }
}
