//! The statements whose text is the same on every engine but for the
//! placeholders, written once.
//!
//! Each is written with numbered placeholders (`$1`, `$2`, … in order, each
//! used once), which PostgreSQL and SQLite (sqlx reads `$NNN` there too)
//! take as they are. MySQL knows only `?`: [`question_marks!`] rewrites the
//! text at compile time, so every engine gets a `&'static str` and sqlx's
//! prepared-statement cache keeps working; a text that breaks the
//! "in order, each once" rule fails to compile. A backend imports the set
//! for its placeholder style (`numbered` or `positional`) into its own
//! `sql` module and adds (or shadows) the statements whose SQL really
//! differs there.

/// What [`positional_len`] and [`positional_bytes`] check and do: the
/// length of `sql` with every `$N` replaced by `?`, writing the result
/// into `out` when there is one.
const fn rewrite(sql: &str, mut out: Option<&mut [u8]>) -> usize {
    let bytes = sql.as_bytes();
    let (mut read, mut written, mut expected) = (0, 0, 1);
    while read < bytes.len() {
        let mut byte = bytes[read];
        read += 1;
        if byte == b'$' {
            let mut number = 0;
            while read < bytes.len() && bytes[read].is_ascii_digit() {
                number = number * 10 + (bytes[read] - b'0') as usize;
                read += 1;
            }
            assert!(
                number == expected,
                "placeholders must be $1, $2, … in order, each once"
            );
            expected += 1;
            byte = b'?';
        }
        if let Some(out) = &mut out {
            out[written] = byte;
        }
        written += 1;
    }
    written
}

/// The length of `sql` once its `$N` placeholders are `?`.
pub(crate) const fn positional_len(sql: &str) -> usize {
    rewrite(sql, None)
}

/// `sql` with its `$N` placeholders as `?`, as bytes.
pub(crate) const fn positional_bytes<const LEN: usize>(sql: &str) -> [u8; LEN] {
    let mut out = [0; LEN];
    rewrite(sql, Some(&mut out));
    out
}

/// `sql` (a constant with `$1`, `$2`, … placeholders) with `?` ones, as a
/// `&'static str` computed at compile time.
macro_rules! question_marks {
    ($sql:expr) => {{
        const LEN: usize = $crate::store::statements::positional_len($sql);
        const BYTES: [u8; LEN] = $crate::store::statements::positional_bytes::<LEN>($sql);
        match ::std::str::from_utf8(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("a placeholder rewrite split a character"),
        }
    }};
}

/// Declares each statement in a `numbered` and a `positional` module;
/// those after `@numbered_only` (SQL MySQL lacks) in `numbered` alone.
macro_rules! shared_statements {
    (
        $($(#[$doc:meta])* $name:ident = $sql:expr;)*
        @numbered_only $($(#[$only_doc:meta])* $only:ident = $only_sql:expr;)*
    ) => {
        /// The shared statements with `$N` placeholders (SQLite, PostgreSQL).
        pub(crate) mod numbered {
            $($(#[$doc])* pub(crate) const $name: &str = $sql;)*
            $($(#[$only_doc])* pub(crate) const $only: &str = $only_sql;)*
        }
        /// The shared statements with `?` placeholders (MySQL).
        pub(crate) mod positional {
            $($(#[$doc])* pub(crate) const $name: &str = question_marks!($sql);)*
        }
    };
}

/// The `get_test_history` statement with `$condition` on the tests. The
/// overall level is the one stored when the test ended (schema version
/// 6); only a test that ended before, or without entries, has its
/// entries read (`CASE` evaluates the subquery only then).
macro_rules! history {
    ($condition:literal) => {
        concat!(
            "SELECT page.hash_id, page.created_at, page.undelegated, ",
            "CASE WHEN page.max_level IS NOT NULL THEN page.max_level ELSE ",
            "(SELECT MAX(r.level) FROM result_entries r WHERE r.hash_id = page.hash_id) END, ",
            "page.state ",
            "FROM (SELECT id, hash_id, created_at, undelegated, state, max_level FROM test_results ",
            "WHERE domain = $1 AND progress = 100",
            $condition,
            " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3) AS page ",
            "ORDER BY page.created_at DESC, page.id DESC"
        )
    };
}

/// `QUEUE_TOTALS`, each sum wrapped in `$open` … `$close`.
macro_rules! queue_totals {
    ($open:literal, $close:literal) => {
        concat!(
            "SELECT ",
            $open,
            "COALESCE(SUM(c.waiting), 0)",
            $close,
            ", ",
            $open,
            "COALESCE(SUM(c.running), 0)",
            $close,
            ", COUNT(*) FROM (",
            "SELECT waiting, running FROM test_counts WHERE scope = 0 UNION ALL ",
            "SELECT waiting, running FROM test_count_changes WHERE scope = 0) AS c"
        )
    };
}
pub(crate) use queue_totals;

/// `BATCH_LIST` with `$limit` and `$offset` as its placeholders, each
/// count wrapped in `$open` … `$close`.
macro_rules! batch_list {
    ($open:literal, $close:literal, $limit:literal, $offset:literal) => {
        concat!(
            "SELECT b.id, b.created_at, b.username, ",
            $open,
            "COALESCE(c.waiting, 0) + COALESCE(d.waiting, 0)",
            $close,
            ", ",
            $open,
            "COALESCE(c.running, 0) + COALESCE(d.running, 0)",
            $close,
            ", ",
            $open,
            "COALESCE(c.finished, 0) + COALESCE(d.finished, 0)",
            $close,
            " ",
            "FROM (SELECT id, created_at, username FROM batch_jobs ",
            "ORDER BY id DESC LIMIT ",
            $limit,
            " OFFSET ",
            $offset,
            ") b ",
            "LEFT JOIN test_counts c ON c.scope = b.id ",
            "LEFT JOIN (SELECT scope, SUM(waiting) AS waiting, SUM(running) AS running, ",
            "SUM(finished) AS finished FROM test_count_changes WHERE scope > 0 ",
            "GROUP BY scope) d ON d.scope = b.id ORDER BY b.id DESC"
        )
    };
}
pub(crate) use batch_list;

/// The columns of a test in the queue overview, up to `WHERE`.
macro_rules! queued_columns {
    () => {
        "SELECT hash_id, domain, state, progress, created_at, started_at, batch_id, queue, \
         priority, agent FROM test_results "
    };
}

shared_statements! {
    /// The schema version (NULL in an empty table).
    MAX_VERSION = "SELECT MAX(version) FROM schema_version";
    /// Records an applied version.
    STAMP = "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)";
    /// A test's progress.
    PROGRESS = "SELECT progress FROM test_results WHERE hash_id = $1";
    /// History of every finished test of a domain.
    HISTORY_ALL = history!("");
    /// History of the delegated tests.
    HISTORY_DELEGATED = history!(" AND undelegated = 0");
    /// History of the undelegated tests.
    HISTORY_UNDELEGATED = history!(" AND undelegated <> 0");
    /// Adds a user.
    ADD_USER = "INSERT INTO users (username, api_key) VALUES ($1, $2)";
    /// A user's stored key.
    API_KEY = "SELECT api_key FROM users WHERE username = $1";
    /// Replaces a plaintext key by its hash, unless it changed meanwhile.
    UPGRADE_KEY = "UPDATE users SET api_key = $1 WHERE username = $2 AND api_key = $3";
    /// A batch's tests, one NULL row for an empty batch, none for no batch.
    BATCH_STATUS = "SELECT t.hash_id, t.progress, t.state FROM batch_jobs b \
                    LEFT JOIN test_results t ON t.batch_id = b.id WHERE b.id = $1 ORDER BY t.id";
    /// Whether a batch exists.
    BATCH_EXISTS = "SELECT id FROM batch_jobs WHERE id = $1";
    /// Cancels the waiting tests of a batch.
    CANCEL_BATCH = "UPDATE test_results SET progress = 100, state = 'cancelled', ended_at = $1, \
                    reason = $2 WHERE batch_id = $3 AND progress = 0";
    /// Raises the progress of a running test.
    SET_PROGRESS = "UPDATE test_results SET progress = $1 \
                    WHERE hash_id = $2 AND progress > 0 AND progress < $3";
    /// Completes a running test of an agent, with the highest level of
    /// its entries.
    FINISH = "UPDATE test_results SET progress = 100, state = $1, ended_at = $2, reason = $3, \
              testcases_ran = $4, testcases_enabled = $5, max_level = $6 \
              WHERE hash_id = $7 AND agent = $8 AND progress > 0 AND progress < 100";
    /// Gives a running test of an agent back to the queue.
    REQUEUE = "UPDATE test_results SET progress = 0, state = 'waiting', started_at = NULL, \
               heartbeat_at = NULL, agent = NULL, \
               attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
               WHERE hash_id = $1 AND agent = $2 AND progress > 0 AND progress < 100";
    /// Renews the heartbeat of the running tests of a claim token (see
    /// `Store::recover_claim`); the running tests are found on the
    /// progress index, then checked for the token.
    RECOVER_TOUCH = "UPDATE test_results SET heartbeat_at = $1 WHERE claim_token = $2 \
                     AND agent = $3 AND progress > 0 AND progress < 100";
    /// Deletes a test's entries.
    DELETE_ENTRIES = "DELETE FROM result_entries WHERE hash_id = $1";
    /// Running tests that are overdue or whose agent is silent.
    REAP_CANDIDATES = "SELECT hash_id, agent, started_at, attempts, \
                       CASE WHEN started_at < $1 THEN 1 ELSE 0 END, batch_id FROM test_results \
                       WHERE progress > 0 AND progress < 100 \
                       AND (started_at < $2 OR COALESCE(heartbeat_at, started_at) < $3) \
                       AND ($4 IS NULL OR queue = $5) ORDER BY id";
    /// Fails a test that is still overdue.
    REAP_OVERDUE = "UPDATE test_results SET progress = 100, state = 'failed', ended_at = $1, \
                    reason = $2, max_level = $3 WHERE hash_id = $4 AND progress > 0 \
                    AND progress < 100 AND started_at < $5";
    /// Re-queues a test of a dead agent not tried often enough yet.
    REAP_REQUEUE = "UPDATE test_results SET progress = 0, state = 'waiting', started_at = NULL, \
                    heartbeat_at = NULL, agent = NULL, reason = $1 \
                    WHERE hash_id = $2 AND progress > 0 AND progress < 100 \
                    AND COALESCE(heartbeat_at, started_at) < $3 AND attempts < $4";
    /// Fails a test of a dead agent tried often enough.
    REAP_DIED = "UPDATE test_results SET progress = 100, state = 'failed', ended_at = $1, \
                 reason = $2, max_level = $3 WHERE hash_id = $4 AND progress > 0 \
                 AND progress < 100 AND COALESCE(heartbeat_at, started_at) < $5 \
                 AND attempts >= $6";
    /// The next chunk of purgeable tests, oldest first: in the order of
    /// the `(progress, created_at)` index (SQLite, MySQL) or of the
    /// `created_at` one, so a chunk reads its own rows, not every old
    /// test to sort them by id.
    PURGE_SELECT = "SELECT hash_id FROM test_results WHERE progress = 100 AND created_at < $1 \
                    ORDER BY created_at LIMIT $2";
    /// Deletes old batches left without tests.
    PURGE_BATCHES = "DELETE FROM batch_jobs WHERE created_at < $1 AND NOT EXISTS \
                     (SELECT 1 FROM test_results t WHERE t.batch_id = batch_jobs.id)";
    /// Tests per state.
    QUEUE_COUNTS = "SELECT state, COUNT(*) FROM test_results GROUP BY state";
    /// When the oldest waiting test was created (one seek on the
    /// `(progress, created_at)` index; no row when nothing waits).
    OLDEST_WAITING = "SELECT created_at FROM test_results WHERE progress = 0 \
                      ORDER BY created_at LIMIT 1";
    /// Running tests, oldest start first.
    RUNNING_TESTS = concat!(queued_columns!(), "WHERE progress > 0 AND progress < 100 \
                     ORDER BY started_at, id LIMIT $1");
    /// Waiting tests in claim order (highest priority, oldest first).
    WAITING_TESTS = concat!(queued_columns!(), "WHERE progress = 0 \
                     ORDER BY priority DESC, id LIMIT $1");
    /// Agents seen since a time, newest first.
    AGENTS_SEEN = "SELECT name, last_seen FROM agents WHERE last_seen >= $1 \
                   ORDER BY last_seen DESC, name";
    /// Running tests per agent.
    RUNNING_PER_AGENT = "SELECT agent, COUNT(*) FROM test_results \
                         WHERE progress > 0 AND progress < 100 AND agent IS NOT NULL GROUP BY agent";
    /// How many tests ended at each second after a time.
    ENDED_SINCE = "SELECT ended_at, COUNT(*) FROM test_results WHERE ended_at > $1 \
                   GROUP BY ended_at";
    /// Forgets agents not seen since a time.
    PURGE_AGENTS = "DELETE FROM agents WHERE last_seen < $1";
    /// Inserts new tests (`VALUES` follow).
    INSERT_TESTS = "INSERT INTO test_results (hash_id, domain, batch_id, created_at, priority, \
                    queue, progress, fingerprint, params, undelegated, state, attempts) ";
    /// A test's batch.
    BATCH_OF = "SELECT batch_id FROM test_results WHERE hash_id = $1";
    /// Appends changes of the test counts (`VALUES` follow).
    INSERT_COUNT_CHANGES =
        "INSERT INTO test_count_changes (scope, waiting, running, finished) ";
    /// The oldest count changes, taken by this compaction alone (SQLite
    /// shadows it: its write lock already excludes every other).
    COUNT_CHANGES = "SELECT id, scope, waiting, running, finished FROM test_count_changes \
                     ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED";
    /// Whether there are count changes to fold.
    ANY_COUNT_CHANGE = "SELECT id FROM test_count_changes LIMIT 1";
    /// Forgets the counts of a scope that has no test left.
    DELETE_ZERO_COUNT = "DELETE FROM test_counts WHERE scope = $1 AND waiting = 0 \
                         AND running = 0 AND finished = 0";
    /// Appends result entries (`VALUES` follow).
    INSERT_ENTRIES =
        "INSERT INTO result_entries (hash_id, level, module, testcase, tag, timestamp, args) ";
    /// What follows a bound `params` value (PostgreSQL shadows it: `::json`).
    PARAMS_CAST = "";
    /// What follows a bound `args` value (PostgreSQL shadows it: `::jsonb`).
    ARGS_CAST = "";
@numbered_only
    /// Creates a batch, returning its id.
    INSERT_BATCH = "INSERT INTO batch_jobs (username, created_at) VALUES ($1, $2) RETURNING id";
    /// Records an agent's heartbeat.
    UPSERT_AGENT = "INSERT INTO agents (name, last_seen) VALUES ($1, $2) \
                    ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen";
    /// Folds changes into the counts of a scope.
    UPSERT_COUNT = "INSERT INTO test_counts (scope, waiting, running, finished) \
                    VALUES ($1, $2, $3, $4) ON CONFLICT (scope) DO UPDATE SET \
                    waiting = test_counts.waiting + excluded.waiting, \
                    running = test_counts.running + excluded.running, \
                    finished = test_counts.finished + excluded.finished";
    /// Waiting and running tests: their counts and the changes not folded
    /// in yet, and how many rows that was (schema version 7; MySQL casts
    /// its sums, which it makes decimals).
    QUEUE_TOTALS = queue_totals!("", "");
    /// A page of batches, newest first, with their tests counted by
    /// progress: each batch's counts and its changes not folded in yet.
    BATCH_LIST = batch_list!("", "", "$1", "$2");
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_question_marks() {
        const TEXT: &str = question_marks!("a = $1 AND b < $2 OR c IN ($3)");
        assert_eq!(TEXT, "a = ? AND b < ? OR c IN (?)");
        assert_eq!(
            super::positional::PROGRESS,
            super::numbered::PROGRESS.replace("$1", "?")
        );
        assert!(!super::positional::REAP_CANDIDATES.contains('$'));
        assert_eq!(super::positional::REAP_CANDIDATES.matches('?').count(), 5);
    }

    #[test]
    fn texts_without_placeholders_stay() {
        assert_eq!(
            super::positional::QUEUE_COUNTS,
            super::numbered::QUEUE_COUNTS
        );
        assert_eq!(super::positional::ARGS_CAST, "");
    }
}
