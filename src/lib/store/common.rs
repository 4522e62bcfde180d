//! What the three backends share: time and id formats, the entries the
//! store itself writes, chunk sizes, and turning rows into values.
//!
//! Every backend selects test rows with the columns `id, hash_id, domain,
//! batch_id, created_at, started_at, ended_at, priority, queue, progress,
//! fingerprint, params, undelegated, state, reason, agent, attempts` in
//! that order, so one decoder ([`decode_test`]) serves all three.

use std::collections::HashSet;

use chrono::{NaiveDateTime, SubsecRound, TimeZone, Utc};
use serde_json::{Map, Value};

use super::types::{
    ApiKeyCheck, BatchStatus, ClaimedTest, NewTest, ResultEntry, StoreError, TestCaseTally,
    TestRow, TestState, Timestamp, new_test_id,
};

/// The stored time format (spec §6.1); SQLite keeps it as text.
pub(crate) const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Multi-row statement sizes: a run of rows is cut into chunks of these
/// sizes (largest first), so a handful of statement texts serve every row
/// count and stay in sqlx's prepared-statement cache.
pub(crate) const CHUNK_LADDER: [usize; 5] = [256, 64, 16, 4, 1];

/// Fresh ids tried before a collision is reported (each try has a 2^-64
/// chance per existing test, so more than one retry means a broken RNG).
pub(crate) const ID_TRIES: usize = 8;

/// A test that runs this often without completing is failed instead of
/// re-queued when its agent dies again (attempts count claims).
pub(crate) const MAX_ATTEMPTS_BEFORE_DEATH: i64 = 2;

/// Cuts `items` into consecutive chunks sized from [`CHUNK_LADDER`].
pub(crate) fn ladder_chunks<T>(items: &[T]) -> Vec<&[T]> {
    let mut chunks = Vec::new();
    let mut rest = items;
    while !rest.is_empty() {
        let size = CHUNK_LADDER
            .into_iter()
            .find(|size| *size <= rest.len())
            .unwrap_or(1);
        let (chunk, tail) = rest.split_at(size);
        chunks.push(chunk);
        rest = tail;
    }
    chunks
}

/// `now` without its fraction of a second (the database keeps seconds).
pub(crate) fn whole_seconds(time: Timestamp) -> Timestamp {
    time.trunc_subsecs(0)
}

/// A time as PostgreSQL and MySQL columns take it (UTC, no zone).
pub(crate) fn naive(time: Timestamp) -> NaiveDateTime {
    whole_seconds(time).naive_utc()
}

/// A time as SQLite stores it: `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn time_text(time: Timestamp) -> String {
    whole_seconds(time).format(TIME_FORMAT).to_string()
}

/// A UTC time from a zone-less database value.
pub(crate) fn from_naive(time: NaiveDateTime) -> Timestamp {
    Utc.from_utc_datetime(&time)
}

/// Reads a stored SQLite time; tolerates fractions and a `T` separator
/// that other writers may have left.
pub(crate) fn parse_time_text(text: &str) -> Result<Timestamp, StoreError> {
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .into_iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), format).ok())
        .map(from_naive)
        .ok_or_else(|| StoreError::Corrupt(format!("unreadable time `{text}`")))
}

/// Gives every test of `ids` that repeats an earlier one a fresh id, so
/// the ids of one batch are distinct before they meet the database.
pub(crate) fn make_distinct(ids: &mut [String]) {
    let mut seen = HashSet::with_capacity(ids.len());
    for id in ids.iter_mut() {
        while !seen.insert(id.clone()) {
            *id = new_test_id();
        }
    }
}

/// `tests` with the ids that repeat an earlier one redrawn.
pub(crate) fn with_distinct_ids(tests: &[NewTest]) -> Vec<NewTest> {
    let mut pending = tests.to_vec();
    let mut ids: Vec<String> = pending.iter().map(|test| test.hash_id.clone()).collect();
    make_distinct(&mut ids);
    for (test, id) in pending.iter_mut().zip(ids) {
        test.hash_id = id;
    }
    pending
}

/// Seconds from `started` to `now`, the `timestamp` of an entry the store
/// writes itself.
pub(crate) fn seconds_since(started: Option<Timestamp>, now: Timestamp) -> f64 {
    started
        .map(|started| (now - started).num_milliseconds() as f64 / 1000.0)
        .unwrap_or(0.0)
        .max(0.0)
}

/// The `reason` of a test whose agent stopped heart-beating.
pub(crate) fn dead_agent_reason(agent: Option<&str>) -> String {
    format!(
        "agent {} stopped heart-beating",
        agent.unwrap_or("(unknown)")
    )
}

/// The `reason` of a cancelled batch test.
pub(crate) const CANCELLED_REASON: &str = "batch cancelled";

/// Stored JSON text of an entry's arguments.
pub(crate) fn args_text(args: &Map<String, Value>) -> String {
    Value::Object(args.clone()).to_string()
}

/// Parses stored JSON.
pub(crate) fn parse_json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|err| StoreError::Corrupt(format!("stored JSON: {err}")))
}

/// Parses an entry's stored arguments; an empty or non-object value
/// becomes `{}` as the reference would show it.
pub(crate) fn parse_args(text: &str) -> Result<Map<String, Value>, StoreError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match parse_json(text)? {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(StoreError::Corrupt(format!(
            "entry arguments are not an object: {other}"
        ))),
    }
}

/// A stored number as `u8`/`u32` without silent wrapping.
pub(crate) fn narrow<T: TryFrom<i64>>(value: i64, what: &str) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} out of range: {value}")))
}

/// The state a reference database's row had, from its progress alone.
pub(crate) fn state_of_progress(progress: i64) -> TestState {
    match progress {
        0 => TestState::Waiting,
        100 => TestState::Completed,
        _ => TestState::Running,
    }
}

/// Typed access to a row's columns by position, implemented per engine
/// (integers, texts and times are stored differently).
pub(crate) trait Columns {
    /// A non-null text column.
    fn text(&self, index: usize) -> Result<String, StoreError>;
    /// A nullable text column.
    fn opt_text(&self, index: usize) -> Result<Option<String>, StoreError>;
    /// A non-null integer column.
    fn int(&self, index: usize) -> Result<i64, StoreError>;
    /// A nullable integer column.
    fn opt_int(&self, index: usize) -> Result<Option<i64>, StoreError>;
    /// A non-null floating-point column.
    fn float(&self, index: usize) -> Result<f64, StoreError>;
    /// A nullable time column.
    fn opt_time(&self, index: usize) -> Result<Option<Timestamp>, StoreError>;

    /// A non-null time column.
    fn time(&self, index: usize) -> Result<Timestamp, StoreError> {
        self.opt_time(index)?
            .ok_or_else(|| StoreError::Corrupt(format!("time column {index} is NULL")))
    }
}

/// Implements [`Columns`] for an sqlx row type whose integer and text
/// decoding is plain `try_get`.
macro_rules! plain_columns {
    ($row:ty, $time:expr) => {
        impl $crate::store::common::Columns for $row {
            fn text(&self, index: usize) -> Result<String, StoreError> {
                Ok(sqlx::Row::try_get::<String, _>(self, index)?)
            }
            fn opt_text(&self, index: usize) -> Result<Option<String>, StoreError> {
                Ok(sqlx::Row::try_get::<Option<String>, _>(self, index)?)
            }
            fn int(&self, index: usize) -> Result<i64, StoreError> {
                Ok(sqlx::Row::try_get::<i64, _>(self, index)?)
            }
            fn opt_int(&self, index: usize) -> Result<Option<i64>, StoreError> {
                Ok(sqlx::Row::try_get::<Option<i64>, _>(self, index)?)
            }
            fn float(&self, index: usize) -> Result<f64, StoreError> {
                Ok(sqlx::Row::try_get::<f64, _>(self, index)?)
            }
            fn opt_time(&self, index: usize) -> Result<Option<Timestamp>, StoreError> {
                let read: fn(&Self, usize) -> Result<Option<Timestamp>, StoreError> = $time;
                read(self, index)
            }
        }
    };
}
pub(crate) use plain_columns;

/// A [`QueuedTest`](super::QueuedTest) from a row with the columns of
/// `statements::queued_columns!`.
pub(crate) fn decode_queued(row: &impl Columns) -> Result<super::QueuedTest, StoreError> {
    let progress = row.opt_int(3)?.unwrap_or(0);
    Ok(super::QueuedTest {
        hash_id: row.text(0)?,
        domain: row.text(1)?,
        state: match row.opt_text(2)? {
            Some(state) => state.parse()?,
            None => state_of_progress(progress),
        },
        progress: narrow(progress, "progress")?,
        created_at: row.time(4)?,
        started_at: row.opt_time(5)?,
        batch_id: row.opt_int(6)?,
        queue: row.opt_int(7)?.unwrap_or(0),
        priority: row.opt_int(8)?.unwrap_or(10),
        agent: row.opt_text(9)?,
    })
}

/// A [`TestRow`] from a row with the test columns in the module doc's order.
pub(crate) fn decode_test(row: &impl Columns) -> Result<TestRow, StoreError> {
    let progress = row.opt_int(9)?.unwrap_or(0);
    let state = match row.opt_text(13)? {
        Some(state) => state.parse()?,
        None => state_of_progress(progress),
    };
    Ok(TestRow {
        id: row.int(0)?,
        hash_id: row.text(1)?,
        domain: row.text(2)?,
        batch_id: row.opt_int(3)?,
        created_at: row.time(4)?,
        started_at: row.opt_time(5)?,
        ended_at: row.opt_time(6)?,
        priority: row.opt_int(7)?.unwrap_or(10),
        queue: row.opt_int(8)?.unwrap_or(0),
        progress: narrow(progress, "progress")?,
        fingerprint: row.opt_text(10)?.unwrap_or_default(),
        params: parse_json(&row.text(11)?)?,
        undelegated: row.int(12)? != 0,
        state,
        reason: row.opt_text(14)?,
        agent: row.opt_text(15)?,
        attempts: narrow(row.opt_int(16)?.unwrap_or(0), "attempts")?,
        testcases: match (row.opt_int(17)?, row.opt_int(18)?) {
            (Some(ran), Some(enabled)) => Some(TestCaseTally {
                ran: narrow(ran, "testcases_ran")?,
                enabled: narrow(enabled, "testcases_enabled")?,
            }),
            _ => None,
        },
    })
}

/// A [`ClaimedTest`] from `hash_id, domain, params, batch_id, attempts`
/// (attempts counting this claim), claimed at `now`.
pub(crate) fn decode_claim(row: &impl Columns, now: Timestamp) -> Result<ClaimedTest, StoreError> {
    Ok(ClaimedTest {
        hash_id: row.text(0)?,
        domain: row.text(1)?,
        params: parse_json(&row.text(2)?)?,
        batch_id: row.opt_int(3)?,
        started_at: whole_seconds(now),
        attempts: narrow(row.int(4)?, "attempts")?,
    })
}

/// A [`ClaimedTest`] found again by its claim token, from `hash_id,
/// domain, params, batch_id, attempts, started_at`.
pub(crate) fn decode_recovered(row: &impl Columns) -> Result<ClaimedTest, StoreError> {
    let started_at = row.time(5)?;
    decode_claim(row, started_at)
}

/// A [`ResultEntry`] from `level, module, testcase, tag, timestamp, args`.
pub(crate) fn decode_entry(row: &impl Columns) -> Result<ResultEntry, StoreError> {
    Ok(ResultEntry {
        level: narrow(row.int(0)?, "level")?,
        module: row.text(1)?,
        testcase: row.text(2)?,
        tag: row.text(3)?,
        timestamp: row.float(4)?,
        args: parse_args(&row.text(5)?)?,
    })
}

/// Sorts a batch's `(hash_id, progress, state)` rows (in id order) into a
/// [`BatchStatus`].
pub(crate) fn batch_status_of(rows: Vec<(String, i64, Option<String>)>) -> BatchStatus {
    let mut status = BatchStatus::default();
    for (hash_id, progress, state) in rows {
        match progress {
            0 => status.waiting.push(hash_id),
            100 => {
                if state.as_deref() == Some(TestState::Cancelled.as_str()) {
                    status.cancelled += 1;
                }
                status.finished.push(hash_id);
            }
            _ => status.running.push(hash_id),
        }
    }
    status
}

/// How a stored API key compares with a presented one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeyMatch {
    /// The stored hash matches.
    Hashed,
    /// A plaintext key (reference backend) matches: store its hash now.
    Plaintext,
    /// No match.
    No,
}

/// Compares `stored` (hashed or plaintext) with `presented`.
pub(crate) fn compare_key(stored: &str, presented: &str) -> KeyMatch {
    if stored.starts_with("sha256:") {
        if equal_in_constant_time(stored, &super::types::Api::hash_key(presented)) {
            KeyMatch::Hashed
        } else {
            KeyMatch::No
        }
    } else if equal_in_constant_time(stored, presented) {
        KeyMatch::Plaintext
    } else {
        KeyMatch::No
    }
}

/// What [`compare_key`] means to the caller.
pub(crate) fn key_check(matched: &KeyMatch) -> ApiKeyCheck {
    match matched {
        KeyMatch::No => ApiKeyCheck::Invalid,
        KeyMatch::Hashed | KeyMatch::Plaintext => ApiKeyCheck::Valid,
    }
}

/// String equality whose time depends on neither the contents nor the
/// lengths of the two (keys are secrets). Both sides are first reduced to
/// SHA-256 digests, 32 bytes whatever they were, so a presented key of
/// another length is compared as long as one of the right length (a plain
/// length check would return early and tell an attacker the length of a
/// legacy plaintext key); the digests are compared with `subtle`, whose
/// comparison is built so that the optimiser cannot turn it into an early
/// exit. Hashing takes time by 64-byte block of each side's own length;
/// that reveals nothing about where the two differ.
fn equal_in_constant_time(left: &str, right: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let digest = |text: &str| Sha256::digest(text.as_bytes());
    bool::from(digest(left).as_slice().ct_eq(digest(right).as_slice()))
}

/// Maps a unique-key violation to [`StoreError::Duplicate`].
pub(crate) fn duplicate_or(err: sqlx::Error, what: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate { what },
        _ => StoreError::Database(err),
    }
}

/// True for a unique-key violation.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// What the reaper decides for one running test.
#[derive(Debug, Clone)]
pub(crate) struct ReapCandidate {
    /// The test.
    pub hash_id: String,
    /// Its holder.
    pub agent: Option<String>,
    /// Claim time.
    pub started_at: Option<Timestamp>,
    /// Claims so far.
    pub attempts: i64,
    /// True when over the time limit (takes precedence over a dead agent).
    pub is_overdue: bool,
    /// Its batch, for the counts.
    pub batch_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_covers_every_row_once() {
        let rows: Vec<usize> = (0..343).collect();
        let chunks = ladder_chunks(&rows);
        let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [256, 64, 16, 4, 1, 1, 1]);
        assert_eq!(chunks.concat(), rows);
        assert!(ladder_chunks::<u8>(&[]).is_empty());
    }

    #[test]
    fn times_round_trip_as_text() {
        let time = Utc
            .with_ymd_and_hms(2024, 2, 29, 23, 59, 58)
            .single()
            .expect("valid date");
        assert_eq!(time_text(time), "2024-02-29 23:59:58");
        assert_eq!(parse_time_text("2024-02-29 23:59:58").ok(), Some(time));
        assert_eq!(
            parse_time_text("2024-02-29T23:59:58.25Z")
                .map(whole_seconds)
                .ok(),
            Some(time)
        );
        assert!(parse_time_text("yesterday").is_err());
    }

    #[test]
    fn distinct_ids() {
        let mut ids = vec!["a".to_owned(), "b".to_owned(), "a".to_owned()];
        make_distinct(&mut ids);
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 3);
        assert_eq!(ids[..2], ["a", "b"]);
    }

    #[test]
    fn keys() {
        let hashed = super::super::types::Api::hash_key("secret");
        assert_eq!(compare_key(&hashed, "secret"), KeyMatch::Hashed);
        assert_eq!(compare_key(&hashed, "other"), KeyMatch::No);
        assert_eq!(compare_key("secret", "secret"), KeyMatch::Plaintext);
        assert_eq!(compare_key("secret", "secreT"), KeyMatch::No);
        assert_eq!(compare_key("secret", "secret2"), KeyMatch::No);
    }

    /// Issue 16, item 5: equal and unequal keys of every length relation
    /// go through the same fixed-length comparison (its time is argued in
    /// the doc comment; tests do not time).
    #[test]
    fn keys_of_other_lengths_and_prefixes_do_not_match() {
        let stored = "0123456789abcdef0123456789abcdef";
        for presented in [
            "",
            "0",
            &stored[..31],
            &format!("{stored}0"),
            &stored.repeat(3),
        ] {
            assert!(!equal_in_constant_time(stored, presented), "{presented}");
            assert_eq!(compare_key(stored, presented), KeyMatch::No);
        }
        assert!(equal_in_constant_time(stored, stored));
        assert!(equal_in_constant_time("", ""));
        let hashed = super::super::types::Api::hash_key(stored);
        assert_eq!(compare_key(&hashed, &stored[..31]), KeyMatch::No);
        assert_eq!(compare_key(&hashed, stored), KeyMatch::Hashed);
    }

    #[test]
    fn batch_status_counts() {
        let rows = vec![
            ("a".to_owned(), 0, Some("waiting".to_owned())),
            ("b".to_owned(), 40, Some("running".to_owned())),
            ("c".to_owned(), 100, Some("cancelled".to_owned())),
            ("d".to_owned(), 100, None),
        ];
        let status = batch_status_of(rows);
        assert_eq!(status.waiting, ["a"]);
        assert_eq!(status.running, ["b"]);
        assert_eq!(status.finished, ["c", "d"]);
        assert_eq!(status.cancelled, 1);
    }
}
