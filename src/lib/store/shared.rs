//! The code the three backends share, stamped into each by [`backend!`].
//!
//! Why a `macro_rules!` and not generic functions over `sqlx::Database`:
//! the shared bodies bind `&str`, `i64`, `f64`, `Option<…>`, times and
//! lists, run on pools, connections and transactions, and must give
//! `Send` futures to `async_trait`. Written generically, every function
//! needs the same pile of higher-ranked bounds
//! (`for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>`, an
//! `Encode + Type` bound per bound type, `Send` on the arguments …),
//! which sqlx 0.9 does not bundle and the compiler checks poorly through
//! `async_trait`. Stamped per engine, the code is plain monomorphic sqlx
//! code, exactly what a hand-written backend would be, so the hot paths
//! (`progress`, `finish`, the reaper) cost nothing extra, and every
//! statement text stays a `&'static str` constant, so sqlx's
//! prepared-statement cache keeps working.
//!
//! The statements whose text is the same but for placeholders are written
//! once in [`super::statements`]; MySQL's `?` form is derived at compile
//! time. What stays per engine, in the backend's own file, is what really
//! differs: opening, the statements whose SQL differs (its `sql` module),
//! how times are bound, SQLite's group-committed `create_test` and MySQL's
//! lock-then-update `claim`, lock-held migrations and `create_test`. The choices whose
//! SQL semantics differ are named when stamping, each variant written
//! once below:
//! - `pools`: `one` pool, or `reader_writer` (the backend gives
//!   `reader()`, `writer()` and `begin()` itself);
//! - `migrates`: `in_transaction`, `in_locked_transaction` (runs
//!   `sql::LOCK_MIGRATIONS` bound with `MIGRATION_LOCK` first), or `own`
//!   (`engine_migrate`);
//! - `creates`: `lookup_locked_then_insert` (`sql::LOCK_FINGERPRINT`
//!   first, a transaction-level lock) or `own` (`engine_create_test`);
//! - `claims`: `update_returning` (one `sql::CLAIM` statement returning the
//!   claimed row, one `sql::CLAIM_MANY` returning several, each writing
//!   the claim token and recording its count changes itself),
//!   `update_returning_then_count` (the same statements in a transaction
//!   that then records the count changes) or `own` (`engine_claim`,
//!   called once per test for `claim_many`, all with its token);
//! - `lists`: `in_list` (`IN (?, …)` built per call, unprepared) or
//!   `any_array` (PostgreSQL `= ANY($1)`);
//! - `batch_ids`: `returning` (`RETURNING id`) or `last_insert_id`;
//! - `collisions`: `on_conflict` (`ON CONFLICT DO NOTHING`, the ids that
//!   went in are returned) or `duplicate_key` (MySQL rolls the failing
//!   statement back alone and it is retried with fresh ids).
//!
//! The backend module must have in scope, before invoking [`backend!`]:
//! - `Db`, the sqlx database type, and `DbTime`, how a time is bound;
//! - `fn time(Timestamp) -> DbTime`;
//! - a module `sql` with every statement constant used below (the shared
//!   ones imported from [`super::statements`], which it may shadow;
//!   `TABLE_EXISTS`, `GUARD_COLUMN`, `GUARD_INDEX`, `GUARD_UNIQUE`,
//!   `SELECT_TEST_BY_ID`, `RESULTS` are always the engine's own, and the
//!   variants above name the others they need);
//! - [`Columns`](super::common::Columns) implemented for its row type;
//! - a `pool` field (`pools: one`), and the `engine_*` methods its `own`
//!   choices name, with the [`Store`](super::Store) methods' signatures.

/// Stamps the shared helpers and the `Store` implementation into a
/// backend module (see the module doc for what it needs).
macro_rules! backend {
    (
        $store:ident,
        name: $name:literal,
        migrations: $migrations:expr,
        pools: $pools:ident,
        migrates: $migrates:ident,
        creates: $creates:ident,
        claims: $claims:ident,
        lists: $lists:ident,
        batch_ids: $batch_ids:ident,
        collisions: $collisions:ident $(,)?
    ) => {
        $crate::store::shared::backend!(@migrations $migrations);
        $crate::store::shared::backend!(@writes);
        $crate::store::shared::backend!(@pools $pools $store);
        $crate::store::shared::backend!(@lists $lists);
        $crate::store::shared::backend!(@batch_ids $batch_ids);
        $crate::store::shared::backend!(@collisions $collisions);
        $crate::store::shared::backend!(@reaper $store);
        $crate::store::plans::explainer!($claims);
        $crate::store::shared::backend!(
            @store $store, $name, $migrates, $creates, $collisions, $claims
        );
    };

    // ---- pools -------------------------------------------------------------
    (@pools reader_writer $store:ident) => {};
    (@pools one $store:ident) => {
        impl $store {
            /// The pool for reads.
            fn reader(&self) -> &::sqlx::Pool<Db> {
                &self.pool
            }

            /// The pool for single-statement writes.
            fn writer(&self) -> &::sqlx::Pool<Db> {
                &self.pool
            }

            /// Starts a write transaction.
            async fn begin(
                &self,
            ) -> Result<::sqlx::Transaction<'static, Db>, $crate::store::StoreError> {
                Ok(self.pool.begin().await?)
            }
        }
    };

    // ---- migrations' transaction -------------------------------------------
    // A schema already at the newest version is read, not locked: a
    // read-only database (which refuses `BEGIN IMMEDIATE`) still opens.
    (@migrate in_transaction, $self:ident) => {{
        let found = read_version(&mut *$self.reader().acquire().await?).await?;
        let newest = newest_version();
        if found == Some(newest) {
            return Ok($crate::store::MigrationReport {
                from: found,
                to: newest,
                adopted_reference_schema: false,
            });
        }
        let mut tx = $self.begin().await?;
        let report = migrate_on(&mut tx).await?;
        tx.commit().await?;
        Ok(report)
    }};
    (@migrate in_locked_transaction, $self:ident) => {{
        let mut tx = $self.begin().await?;
        ::sqlx::query(sql::LOCK_MIGRATIONS)
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await?;
        let report = migrate_on(&mut tx).await?;
        tx.commit().await?;
        Ok(report)
    }};
    (@migrate own, $self:ident) => {
        $self.engine_migrate().await
    };

    // ---- creating a test ---------------------------------------------------
    (@create own, $collisions:ident, $self:ident, $test:ident, $reuse_since:ident) => {
        $self.engine_create_test($test, $reuse_since).await
    };
    (@create $lock:ident, $collisions:ident, $self:ident, $test:ident, $reuse_since:ident) => {{
        use $crate::store::{StoreError, common};
        let mut tx = $self.begin().await?;
        $crate::store::shared::backend!(@lock_fingerprint $lock, tx, $test);
        let reusable: Option<String> = ::sqlx::query_scalar(sql::REUSABLE)
            .bind(&$test.fingerprint)
            .bind(time($reuse_since))
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(hash_id) = reusable {
            tx.commit().await?;
            return Ok((hash_id, false));
        }
        let mut hash_id = $test.hash_id.clone();
        for _ in 0..common::ID_TRIES {
            let inserted = bind_new_test(::sqlx::query(sql::INSERT_TEST), &hash_id, $test)
                .execute(&mut *tx)
                .await;
            if $crate::store::shared::backend!(@inserted $collisions, inserted) {
                record_counts(&mut tx, &created_count(None, 1)).await?;
                tx.commit().await?;
                return Ok((hash_id, true));
            }
            hash_id = $crate::store::new_test_id();
        }
        Err(StoreError::Duplicate { what: "test id" })
    }};
    (@lock_fingerprint lookup_locked_then_insert, $tx:ident, $test:ident) => {
        ::sqlx::query(sql::LOCK_FINGERPRINT)
            .bind(&$test.fingerprint)
            .execute(&mut *$tx)
            .await?;
    };
    // Whether an insert went in (false: its id is taken).
    (@inserted on_conflict, $result:ident) => {
        $result?.rows_affected() == 1
    };
    (@inserted duplicate_key, $result:ident) => {
        match $result {
            Ok(_) => true,
            Err(err) if $crate::store::common::is_unique_violation(&err) => false,
            Err(err) => return Err(err.into()),
        }
    };

    // ---- claims ------------------------------------------------------------
    (@claim update_returning, $self:ident, $queue:ident, $agent:ident, $now:ident) => {{
        // `fetch_all`, not `fetch_optional`: a statement that commits by
        // itself commits when it is stepped to its end, and only then does
        // a failed commit (a full disk) show; stopping at the first
        // returned row would drop that error and the claim with it.
        let token = $crate::store::ClaimToken::new();
        let row = ::sqlx::query(sql::CLAIM)
            .bind($queue)
            .bind($agent)
            .bind(time($now))
            .bind(token.as_str())
            .fetch_all($self.writer())
            .await?
            .into_iter()
            .next();
        row.map(|row| $crate::store::common::decode_claim(&row, $now))
            .transpose()
    }};
    // The claim in a transaction that records its count changes.
    (@claim update_returning_then_count, $self:ident, $queue:ident, $agent:ident, $now:ident) => {{
        let token = $crate::store::ClaimToken::new();
        let mut tx = $self.begin().await?;
        let rows = ::sqlx::query(sql::CLAIM)
            .bind($queue)
            .bind($agent)
            .bind(time($now))
            .bind(token.as_str())
            .fetch_all(&mut *tx)
            .await?;
        record_counts(&mut tx, &claimed_count(&rows)?).await?;
        tx.commit().await?;
        rows.first()
            .map(|row| $crate::store::common::decode_claim(row, $now))
            .transpose()
    }};
    (@claim own, $self:ident, $queue:ident, $agent:ident, $now:ident) => {
        $self.engine_claim($queue, $agent, &$crate::store::ClaimToken::new(), $now).await
    };
    // One statement claims the batch (`sql::CLAIM_MANY`, which returns
    // `priority, id` after the claim's columns, to restore the order).
    (@claim_many update_returning, $self:ident, $queue:ident, $agent:ident, $token:ident, $now:ident, $limit:ident) => {{
        let rows = $crate::store::shared::backend!(@claim_many_query $queue, $agent, $token, $now, $limit)
            .fetch_all($self.writer())
            .await?;
        claimed_in_order(&rows, $now)
    }};
    (@claim_many update_returning_then_count, $self:ident, $queue:ident, $agent:ident, $token:ident, $now:ident, $limit:ident) => {{
        let mut tx = $self.begin().await?;
        let rows = $crate::store::shared::backend!(@claim_many_query $queue, $agent, $token, $now, $limit)
            .fetch_all(&mut *tx)
            .await?;
        record_counts(&mut tx, &claimed_count(&rows)?).await?;
        tx.commit().await?;
        claimed_in_order(&rows, $now)
    }};
    // `sql::CLAIM_MANY` with its arguments bound.
    (@claim_many_query $queue:ident, $agent:ident, $token:ident, $now:ident, $limit:ident) => {
        ::sqlx::query(sql::CLAIM_MANY)
            .bind($queue)
            .bind($agent)
            .bind(time($now))
            .bind(i64::try_from($limit).unwrap_or(i64::MAX))
            .bind($token.as_str())
    };
    // `claim_many`'s rows (`sql::CLAIM_MANY` returns `priority, id` after
    // the claim's columns) in claim order.
    (@claimed_in_order) => {
        /// The claimed tests of `rows` in claim order.
        #[allow(dead_code, reason = "MySQL claims one test at a time")]
        fn claimed_in_order(
            rows: &[<Db as ::sqlx::Database>::Row],
            now: $crate::store::Timestamp,
        ) -> Result<Vec<$crate::store::ClaimedTest>, $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            let mut claimed = Vec::with_capacity(rows.len());
            for row in rows {
                let order = (::std::cmp::Reverse(row.opt_int(5)?), row.int(6)?);
                claimed.push((order, $crate::store::common::decode_claim(row, now)?));
            }
            claimed.sort_by_key(|(order, _)| *order);
            Ok(claimed.into_iter().map(|(_, test)| test).collect())
        }
    };
    // Claim by claim: the engine has no multi-row claim. Every claim
    // holds the token, so when one fails, those committed before it are
    // found again with the one that may have committed as it failed.
    (@claim_many own, $self:ident, $queue:ident, $agent:ident, $token:ident, $now:ident, $limit:ident) => {{
        let mut claimed = Vec::new();
        while claimed.len() < $limit {
            match $self.engine_claim($queue, $agent, $token, $now).await? {
                Some(test) => claimed.push(test),
                None => break,
            }
        }
        Ok(claimed)
    }};

    // ---- migrations --------------------------------------------------------
    (@migrations $migrations:expr) => {
        /// A connection of this engine.
        type DbConnection = <Db as ::sqlx::Database>::Connection;

        /// The newest schema version this program knows.
        #[allow(dead_code, reason = "read before locking only by some engines")]
        fn newest_version() -> i64 {
            $migrations.newest()
        }

        /// True when `table` exists.
        async fn table_exists(
            conn: &mut DbConnection,
            table: &str,
        ) -> Result<bool, $crate::store::StoreError> {
            let count: i64 = ::sqlx::query_scalar(sql::TABLE_EXISTS)
                .bind(table)
                .fetch_one(&mut *conn)
                .await?;
            Ok(count > 0)
        }

        /// The version recorded in `schema_version`, `None` without that
        /// table.
        async fn read_version(
            conn: &mut DbConnection,
        ) -> Result<Option<i64>, $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            if !table_exists(conn, "schema_version").await? {
                return Ok(None);
            }
            let row = ::sqlx::query(sql::MAX_VERSION)
                .fetch_one(&mut *conn)
                .await?;
            row.opt_int(0)
        }

        /// True when the statement `guard` guards is to be skipped: the
        /// database already has what it names (lacks it, for `if-index`).
        async fn guard_met(
            conn: &mut DbConnection,
            guard: &$crate::store::migrate::Guard,
        ) -> Result<bool, ::sqlx::Error> {
            use $crate::store::migrate::Guard;
            let (statement, table, name, present) = match guard {
                Guard::Column { table, column } => (sql::GUARD_COLUMN, table, column, true),
                Guard::Index { table, index } => (sql::GUARD_INDEX, table, index, true),
                Guard::Unique { table, column } => (sql::GUARD_UNIQUE, table, column, true),
                Guard::NoIndex { table, index } => (sql::GUARD_INDEX, table, index, false),
            };
            let count: i64 = ::sqlx::query_scalar(statement)
                .bind(table)
                .bind(name)
                .fetch_one(&mut *conn)
                .await?;
            Ok((count > 0) == present)
        }

        /// Runs one migration file's statements (unprepared: DDL, run once,
        /// and some of it cannot be prepared on MySQL).
        async fn run_file(
            conn: &mut DbConnection,
            version: i64,
            file: &str,
        ) -> Result<(), $crate::store::StoreError> {
            let failed = |source| $crate::store::StoreError::Migration { version, source };
            for statement in $crate::store::migrate::statements(file)? {
                if let Some(guard) = &statement.guard
                    && guard_met(conn, guard).await.map_err(failed)?
                {
                    continue;
                }
                ::sqlx::raw_sql(::sqlx::AssertSqlSafe(statement.sql))
                    .execute(&mut *conn)
                    .await
                    .map_err(failed)?;
            }
            Ok(())
        }

        /// Records that `version` is applied.
        async fn stamp(
            conn: &mut DbConnection,
            version: i64,
            description: &str,
        ) -> Result<(), $crate::store::StoreError> {
            ::sqlx::query(sql::STAMP)
                .bind(version)
                .bind(description)
                .bind(time(::chrono::Utc::now()))
                .execute(&mut *conn)
                .await
                .map_err(|source| $crate::store::StoreError::Migration { version, source })?;
            Ok(())
        }

        /// Adopts a reference database or migrates, on a connection the
        /// caller has made exclusive (transaction, lock).
        async fn migrate_on(
            conn: &mut DbConnection,
        ) -> Result<$crate::store::MigrationReport, $crate::store::StoreError> {
            use $crate::store::{MigrationReport, StoreError};
            let engine = $migrations;
            let from = read_version(conn).await?;
            let mut current = from;
            let mut adopted = false;
            if from.is_none() && table_exists(conn, "result_entries").await? {
                run_file(conn, 1, engine.adopt_reference).await?;
                stamp(conn, 1, $crate::store::migrate::ADOPTED_DESCRIPTION).await?;
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
    };

    // ---- multi-row writes --------------------------------------------------
    (@writes) => {
        $crate::store::shared::backend!(@claimed_in_order);

        /// Appends `changes` to the count changes (see [`counts`]).
        ///
        /// [`counts`]: crate::store::counts
        async fn record_counts(
            conn: &mut DbConnection,
            changes: &$crate::store::counts::CountChanges,
        ) -> Result<(), $crate::store::StoreError> {
            let rows = changes.rows();
            for chunk in $crate::store::common::ladder_chunks(&rows) {
                let mut builder = ::sqlx::QueryBuilder::<Db>::new(sql::INSERT_COUNT_CHANGES);
                builder.push_values(chunk, |mut row, (scope, [waiting, running, finished])| {
                    row.push_bind(*scope)
                        .push_bind(*waiting)
                        .push_bind(*running)
                        .push_bind(*finished);
                });
                builder.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        /// `count` tests created waiting, in `batch_id`.
        fn created_count(
            batch_id: Option<i64>,
            count: i64,
        ) -> $crate::store::counts::CountChanges {
            use $crate::store::counts::{Category, CountChanges};
            let mut changes = CountChanges::default();
            changes.moved(batch_id, None, Some(Category::Waiting), count);
            changes
        }

        /// The claimed tests of `rows` (their batch id in column 3) gone
        /// from waiting to running.
        #[allow(dead_code, reason = "PostgreSQL's claim records its counts in SQL")]
        fn claimed_count(
            rows: &[<Db as ::sqlx::Database>::Row],
        ) -> Result<$crate::store::counts::CountChanges, $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            use $crate::store::counts::{Category, CountChanges};
            let mut changes = CountChanges::default();
            for row in rows {
                let (from, to) = (Some(Category::Waiting), Some(Category::Running));
                changes.moved(row.opt_int(3)?, from, to, 1);
            }
            Ok(changes)
        }

        /// Records that the running test `hash_id` (whose update `conn`
        /// holds) went to `to`.
        async fn record_ended(
            conn: &mut DbConnection,
            hash_id: &str,
            to: $crate::store::counts::Category,
        ) -> Result<(), $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            use $crate::store::counts::{Category, CountChanges};
            let row = ::sqlx::query(sql::BATCH_OF)
                .bind(hash_id)
                .fetch_one(&mut *conn)
                .await?;
            let mut changes = CountChanges::default();
            changes.moved(row.opt_int(0)?, Some(Category::Running), Some(to), 1);
            record_counts(conn, &changes).await
        }

        /// Appends `entries` to a test, in order, in multi-row statements.
        async fn insert_entries(
            conn: &mut DbConnection,
            hash_id: &str,
            entries: &[$crate::store::ResultEntry],
        ) -> Result<(), $crate::store::StoreError> {
            for chunk in $crate::store::common::ladder_chunks(entries) {
                let mut builder = ::sqlx::QueryBuilder::<Db>::new(sql::INSERT_ENTRIES);
                builder.push_values(chunk, |mut row, entry| {
                    row.push_bind(hash_id)
                        .push_bind(entry.level)
                        .push_bind(&entry.module)
                        .push_bind(&entry.testcase)
                        .push_bind(&entry.tag)
                        .push_bind(entry.timestamp)
                        .push_bind($crate::store::common::args_text(&entry.args))
                        .push_unseparated(sql::ARGS_CAST);
                });
                builder.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        /// `query` with the values of a non-batch test bound, in the order
        /// `hash_id, domain, created_at, priority, queue, fingerprint,
        /// params, undelegated`.
        fn bind_new_test(
            query: ::sqlx::query::Query<'static, Db, <Db as ::sqlx::Database>::Arguments>,
            hash_id: &str,
            test: &$crate::store::NewTest,
        ) -> ::sqlx::query::Query<'static, Db, <Db as ::sqlx::Database>::Arguments> {
            query
                .bind(hash_id)
                .bind(&test.domain)
                .bind(time(test.created_at))
                .bind(test.priority)
                .bind(test.queue)
                .bind(&test.fingerprint)
                .bind(&test.params)
                .bind(i64::from(test.undelegated))
        }

        /// The multi-row insert of `chunk` into batch `batch_id`, without
        /// what follows `VALUES`.
        fn test_rows(batch_id: i64, chunk: &[$crate::store::NewTest]) -> ::sqlx::QueryBuilder<Db> {
            let mut builder = ::sqlx::QueryBuilder::<Db>::new(sql::INSERT_TESTS);
            builder.push_values(chunk, |mut row, test| {
                row.push_bind(&test.hash_id)
                    .push_bind(&test.domain)
                    .push_bind(batch_id)
                    .push_bind(time(test.created_at))
                    .push_bind(test.priority)
                    .push_bind(test.queue)
                    .push("0")
                    .push_bind(&test.fingerprint)
                    .push_bind(&test.params)
                    .push_unseparated(sql::PARAMS_CAST)
                    .push_bind(i64::from(test.undelegated))
                    .push("'waiting'")
                    .push("0");
            });
            builder
        }
    };

    // ---- lists of ids --------------------------------------------------------
    (@lists $lists:ident) => {
        /// Sets the heartbeat of `agent`'s running tests among `hash_ids`.
        async fn touch(
            pool: &::sqlx::Pool<Db>,
            agent: &str,
            hash_ids: &[String],
            now: $crate::store::Timestamp,
        ) -> Result<(), $crate::store::StoreError> {
            $crate::store::shared::backend!(@touch $lists, pool, agent, hash_ids, now)
        }

        /// Deletes the entries, then the finished tests, of `ids` (and
        /// records that they are gone from the counts); returns how many
        /// entries and tests went.
        async fn delete_tests(
            conn: &mut DbConnection,
            ids: &[String],
        ) -> Result<(u64, u64), $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            use $crate::store::counts::{Category, CountChanges};
            let rows = $crate::store::shared::backend!(@finished_per_batch $lists, conn, ids);
            let mut changes = CountChanges::default();
            for row in &rows {
                changes.moved(row.opt_int(0)?, Some(Category::Finished), None, row.int(1)?);
            }
            record_counts(conn, &changes).await?;
            let mut deleted = [0; 2];
            $crate::store::shared::backend!(@delete $lists, conn, ids, deleted);
            Ok((deleted[0], deleted[1]))
        }

        /// Deletes the count changes `ids` (folded by a compaction).
        async fn delete_count_changes(
            conn: &mut DbConnection,
            ids: &[i64],
        ) -> Result<(), $crate::store::StoreError> {
            $crate::store::shared::backend!(@delete_changes $lists, conn, ids);
            Ok(())
        }
    };
    (@finished_per_batch in_list, $conn:ident, $ids:ident) => {{
        let mut builder = ::sqlx::QueryBuilder::<Db>::new(
            "SELECT batch_id, COUNT(*) FROM test_results WHERE progress = 100 AND hash_id IN ",
        );
        $crate::store::shared::backend!(@push_list builder, $ids);
        builder.push(" GROUP BY batch_id");
        builder.build().persistent(false).fetch_all(&mut *$conn).await?
    }};
    (@finished_per_batch any_array, $conn:ident, $ids:ident) => {
        ::sqlx::query(sql::PURGE_COUNTS)
            .bind($ids)
            .fetch_all(&mut *$conn)
            .await?
    };
    (@delete_changes in_list, $conn:ident, $ids:ident) => {
        for chunk in $ids.chunks(500) {
            let mut builder =
                ::sqlx::QueryBuilder::<Db>::new("DELETE FROM test_count_changes WHERE id IN ");
            $crate::store::shared::backend!(@push_list builder, chunk);
            builder.build().persistent(false).execute(&mut *$conn).await?;
        }
    };
    (@delete_changes any_array, $conn:ident, $ids:ident) => {
        ::sqlx::query(sql::DELETE_COUNT_CHANGES)
            .bind($ids)
            .execute(&mut *$conn)
            .await?;
    };
    (@touch in_list, $pool:ident, $agent:ident, $hash_ids:ident, $now:ident) => {{
        for chunk in $hash_ids.chunks(500) {
            let mut builder =
                ::sqlx::QueryBuilder::<Db>::new("UPDATE test_results SET heartbeat_at = ");
            builder
                .push_bind(time($now))
                .push(" WHERE agent = ")
                .push_bind($agent.to_owned())
                .push(" AND progress > 0 AND progress < 100 AND hash_id IN ");
            $crate::store::shared::backend!(@push_list builder, chunk);
            builder.build().persistent(false).execute($pool).await?;
        }
        Ok(())
    }};
    (@touch any_array, $pool:ident, $agent:ident, $hash_ids:ident, $now:ident) => {{
        if !$hash_ids.is_empty() {
            ::sqlx::query(sql::HEARTBEAT)
                .bind(time($now))
                .bind($agent)
                .bind($hash_ids)
                .execute($pool)
                .await?;
        }
        Ok(())
    }};
    (@delete in_list, $conn:ident, $ids:ident, $deleted:ident) => {
        let prefixes = [
            "DELETE FROM result_entries WHERE hash_id IN ",
            "DELETE FROM test_results WHERE progress = 100 AND hash_id IN ",
        ];
        for (count, prefix) in $deleted.iter_mut().zip(prefixes) {
            let mut builder = ::sqlx::QueryBuilder::<Db>::new(prefix);
            $crate::store::shared::backend!(@push_list builder, $ids);
            *count = builder
                .build()
                .persistent(false)
                .execute(&mut *$conn)
                .await?
                .rows_affected();
        }
    };
    (@delete any_array, $conn:ident, $ids:ident, $deleted:ident) => {
        for (count, statement) in $deleted.iter_mut().zip([sql::PURGE_ENTRIES, sql::PURGE_TESTS]) {
            *count = ::sqlx::query(statement)
                .bind($ids)
                .execute(&mut *$conn)
                .await?
                .rows_affected();
        }
    };
    // Appends `(?, ?, …)` binding `$values` (one text per list length:
    // such statements run unprepared).
    (@push_list $builder:ident, $values:expr) => {{
        $builder.push("(");
        let mut separated = $builder.separated(", ");
        for value in $values {
            separated.push_bind(value.clone());
        }
        separated.push_unseparated(")");
    }};

    // ---- the id of a new batch ---------------------------------------------------
    (@batch_ids returning) => {
        /// Inserts the batch row; returns its id.
        async fn insert_batch(
            conn: &mut DbConnection,
            username: &str,
            now: $crate::store::Timestamp,
        ) -> Result<i64, $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            let row = ::sqlx::query(sql::INSERT_BATCH)
                .bind(username)
                .bind(time(now))
                .fetch_one(&mut *conn)
                .await?;
            row.int(0)
        }
    };
    (@batch_ids last_insert_id) => {
        /// Inserts the batch row; returns its id.
        async fn insert_batch(
            conn: &mut DbConnection,
            username: &str,
            now: $crate::store::Timestamp,
        ) -> Result<i64, $crate::store::StoreError> {
            let inserted = ::sqlx::query(sql::INSERT_BATCH)
                .bind(username)
                .bind(time(now))
                .execute(&mut *conn)
                .await?;
            i64::try_from(inserted.last_insert_id()).map_err(|_| {
                $crate::store::StoreError::Corrupt("batch id out of range".to_owned())
            })
        }
    };

    // ---- ids that collide in a batch ----------------------------------------------
    (@collisions on_conflict) => {
        /// Inserts `tests` of batch `batch_id`; ids that collide are redrawn.
        async fn insert_batch_tests(
            conn: &mut DbConnection,
            batch_id: i64,
            tests: &[$crate::store::NewTest],
        ) -> Result<(), $crate::store::StoreError> {
            use $crate::store::common;
            let mut pending = common::with_distinct_ids(tests);
            for _ in 0..common::ID_TRIES {
                let mut collided = Vec::new();
                for chunk in common::ladder_chunks(&pending) {
                    let mut builder = test_rows(batch_id, chunk);
                    builder.push(" ON CONFLICT DO NOTHING RETURNING hash_id");
                    let inserted: ::std::collections::HashSet<String> = builder
                        .build_query_scalar()
                        .fetch_all(&mut *conn)
                        .await?
                        .into_iter()
                        .collect();
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
                    test.hash_id = $crate::store::new_test_id();
                }
                pending = collided;
            }
            Err($crate::store::StoreError::Duplicate { what: "test id" })
        }
    };
    (@collisions duplicate_key) => {
        /// Inserts `tests` of batch `batch_id`. A chunk that hits a stored
        /// id is rolled back alone by InnoDB and retried with fresh ids.
        async fn insert_batch_tests(
            conn: &mut DbConnection,
            batch_id: i64,
            tests: &[$crate::store::NewTest],
        ) -> Result<(), $crate::store::StoreError> {
            use $crate::store::common;
            let pending = common::with_distinct_ids(tests);
            for chunk in common::ladder_chunks(&pending) {
                let mut chunk = chunk.to_vec();
                let mut tries = 0;
                loop {
                    match test_rows(batch_id, &chunk).build().execute(&mut *conn).await {
                        Ok(_) => break,
                        Err(err)
                            if common::is_unique_violation(&err) && tries < common::ID_TRIES =>
                        {
                            tries += 1;
                            for test in &mut chunk {
                                test.hash_id = $crate::store::new_test_id();
                            }
                        }
                        Err(err) => return Err(common::duplicate_or(err, "test id")),
                    }
                }
            }
            Ok(())
        }
    };

    // ---- the reaper ------------------------------------------------------------------
    (@reaper $store:ident) => {
        /// The reaper's times, converted once.
        struct ReapTimes {
            /// Now, whole seconds.
            now: $crate::store::Timestamp,
            /// Now, as bound.
            now_db: DbTime,
            /// Tests started before this are overdue.
            overdue_before: DbTime,
            /// Agents silent since before this are dead.
            dead_before: DbTime,
        }

        /// Running tests that are overdue or whose agent is silent.
        async fn reap_candidates(
            pool: &::sqlx::Pool<Db>,
            queue: Option<i64>,
            times: &ReapTimes,
        ) -> Result<Vec<$crate::store::common::ReapCandidate>, $crate::store::StoreError> {
            use $crate::store::common::Columns as _;
            let rows = ::sqlx::query(sql::REAP_CANDIDATES)
                .bind(&times.overdue_before)
                .bind(&times.overdue_before)
                .bind(&times.dead_before)
                .bind(queue)
                .bind(queue)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok($crate::store::common::ReapCandidate {
                        hash_id: row.text(0)?,
                        agent: row.opt_text(1)?,
                        started_at: row.opt_time(2)?,
                        attempts: row.opt_int(3)?.unwrap_or(0),
                        is_overdue: row.opt_int(4)?.unwrap_or(0) != 0,
                        batch_id: row.opt_int(5)?,
                    })
                })
                .collect()
        }

        impl $store {
            /// Reaps one test in its own transaction; `None` when another
            /// reaper (or the agent finishing it) got there first.
            async fn reap_one(
                &self,
                candidate: &$crate::store::common::ReapCandidate,
                times: &ReapTimes,
                max_execution_time: u32,
            ) -> Result<Option<$crate::store::ReapOutcome>, $crate::store::StoreError> {
                use $crate::store::{ReapOutcome, common};
                use $crate::store::counts::{Category, CountChanges};
                let mut tx = self.begin().await?;
                let elapsed = common::seconds_since(candidate.started_at, times.now);
                let reason = common::dead_agent_reason(candidate.agent.as_deref());
                let outcome = if candidate.is_overdue {
                    let entry = $crate::store::ResultEntry::unable_to_finish(max_execution_time, elapsed);
                    let done = ::sqlx::query(sql::REAP_OVERDUE)
                        .bind(&times.now_db)
                        .bind($crate::store::overdue_reason(max_execution_time))
                        .bind(entry.level)
                        .bind(&candidate.hash_id)
                        .bind(&times.overdue_before)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Ok(None);
                    }
                    insert_entries(&mut tx, &candidate.hash_id, &[entry]).await?;
                    ReapOutcome::Overdue
                } else if candidate.attempts < common::MAX_ATTEMPTS_BEFORE_DEATH {
                    let done = ::sqlx::query(sql::REAP_REQUEUE)
                        .bind(reason)
                        .bind(&candidate.hash_id)
                        .bind(&times.dead_before)
                        .bind(common::MAX_ATTEMPTS_BEFORE_DEATH)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Ok(None);
                    }
                    ::sqlx::query(sql::DELETE_ENTRIES)
                        .bind(&candidate.hash_id)
                        .execute(&mut *tx)
                        .await?;
                    ReapOutcome::Requeued
                } else {
                    let entry = $crate::store::ResultEntry::test_died(elapsed);
                    let done = ::sqlx::query(sql::REAP_DIED)
                        .bind(&times.now_db)
                        .bind(reason)
                        .bind(entry.level)
                        .bind(&candidate.hash_id)
                        .bind(&times.dead_before)
                        .bind(common::MAX_ATTEMPTS_BEFORE_DEATH)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Ok(None);
                    }
                    insert_entries(&mut tx, &candidate.hash_id, &[entry]).await?;
                    ReapOutcome::Died
                };
                let to = match outcome {
                    ReapOutcome::Requeued => Category::Waiting,
                    ReapOutcome::Overdue | ReapOutcome::Died => Category::Finished,
                };
                let mut changes = CountChanges::default();
                changes.moved(candidate.batch_id, Some(Category::Running), Some(to), 1);
                record_counts(&mut tx, &changes).await?;
                tx.commit().await?;
                Ok(Some(outcome))
            }
        }
    };

    // ---- the trait -----------------------------------------------------------------
    (
        @store $store:ident,
        $name:literal,
        $migrates:ident,
        $creates:ident,
        $collisions:ident,
        $claims:ident
    ) => {
        #[::async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn engine_name(&self) -> &'static str {
                $name
            }

            async fn migrate(
                &self,
            ) -> Result<$crate::store::MigrationReport, $crate::store::StoreError> {
                $crate::store::shared::backend!(@migrate $migrates, self)
            }

            async fn schema_version(&self) -> Result<Option<i64>, $crate::store::StoreError> {
                let mut conn = self.reader().acquire().await?;
                read_version(&mut conn).await
            }

            async fn create_test(
                &self,
                test: &$crate::store::NewTest,
                reuse_since: $crate::store::Timestamp,
            ) -> Result<(String, bool), $crate::store::StoreError> {
                $crate::store::shared::backend!(
                    @create $creates, $collisions, self, test, reuse_since
                )
            }

            async fn test(
                &self,
                hash_id: &str,
            ) -> Result<Option<$crate::store::TestRow>, $crate::store::StoreError> {
                let row = ::sqlx::query(sql::SELECT_TEST_BY_ID)
                    .bind(hash_id)
                    .fetch_optional(self.reader())
                    .await?;
                row.as_ref().map($crate::store::common::decode_test).transpose()
            }

            async fn progress(
                &self,
                hash_id: &str,
            ) -> Result<Option<u8>, $crate::store::StoreError> {
                use $crate::store::common::{self, Columns as _};
                let row = ::sqlx::query(sql::PROGRESS)
                    .bind(hash_id)
                    .fetch_optional(self.reader())
                    .await?;
                row.map(|row| common::narrow(row.opt_int(0)?.unwrap_or(0), "progress"))
                    .transpose()
            }

            async fn results(
                &self,
                hash_id: &str,
            ) -> Result<Vec<$crate::store::ResultEntry>, $crate::store::StoreError> {
                let rows = ::sqlx::query(sql::RESULTS)
                    .bind(hash_id)
                    .fetch_all(self.reader())
                    .await?;
                rows.iter().map($crate::store::common::decode_entry).collect()
            }

            async fn history(
                &self,
                domain: &str,
                filter: $crate::store::HistoryFilter,
                offset: u64,
                limit: u64,
            ) -> Result<Vec<$crate::store::HistoryEntry>, $crate::store::StoreError> {
                use $crate::store::{HistoryEntry, HistoryFilter, common::{self, Columns as _}};
                let statement = match filter {
                    HistoryFilter::All => sql::HISTORY_ALL,
                    HistoryFilter::Delegated => sql::HISTORY_DELEGATED,
                    HistoryFilter::Undelegated => sql::HISTORY_UNDELEGATED,
                };
                let rows = ::sqlx::query(statement)
                    .bind(domain)
                    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                    .fetch_all(self.reader())
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
                            state: match row.opt_text(4)? {
                                Some(state) => state.parse()?,
                                None => common::state_of_progress(100),
                            },
                        })
                    })
                    .collect()
            }

            async fn add_user(
                &self,
                username: &str,
                api_key_hash: &str,
            ) -> Result<(), $crate::store::StoreError> {
                ::sqlx::query(sql::ADD_USER)
                    .bind(username)
                    .bind(api_key_hash)
                    .execute(self.writer())
                    .await
                    .map_err(|err| $crate::store::common::duplicate_or(err, "user"))?;
                Ok(())
            }

            async fn check_api_key(
                &self,
                username: &str,
                api_key: &str,
            ) -> Result<$crate::store::ApiKeyCheck, $crate::store::StoreError> {
                use $crate::store::{Api, ApiKeyCheck, common};
                let stored: Option<Option<String>> = ::sqlx::query_scalar(sql::API_KEY)
                    .bind(username)
                    .fetch_optional(self.reader())
                    .await?;
                let Some(Some(stored)) = stored else {
                    return Ok(ApiKeyCheck::Invalid);
                };
                let matched = common::compare_key(&stored, api_key);
                if matched == common::KeyMatch::Plaintext {
                    ::sqlx::query(sql::UPGRADE_KEY)
                        .bind(Api::hash_key(api_key))
                        .bind(username)
                        .bind(&stored)
                        .execute(self.writer())
                        .await?;
                }
                Ok(common::key_check(&matched))
            }

            async fn create_batch(
                &self,
                username: &str,
                tests: &[$crate::store::NewTest],
                now: $crate::store::Timestamp,
            ) -> Result<i64, $crate::store::StoreError> {
                let mut tx = self.begin().await?;
                let batch_id = insert_batch(&mut tx, username, now).await?;
                insert_batch_tests(&mut tx, batch_id, tests).await?;
                let count = i64::try_from(tests.len()).unwrap_or(i64::MAX);
                record_counts(&mut tx, &created_count(Some(batch_id), count)).await?;
                tx.commit().await?;
                Ok(batch_id)
            }

            async fn batch_status(
                &self,
                batch_id: i64,
            ) -> Result<Option<$crate::store::BatchStatus>, $crate::store::StoreError> {
                use $crate::store::common::{self, Columns as _};
                let rows = ::sqlx::query(sql::BATCH_STATUS)
                    .bind(batch_id)
                    .fetch_all(self.reader())
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
                Ok(Some(common::batch_status_of(tests)))
            }

            async fn cancel_batch(
                &self,
                batch_id: i64,
                now: $crate::store::Timestamp,
            ) -> Result<Option<u64>, $crate::store::StoreError> {
                use $crate::store::counts::{Category, CountChanges};
                let mut tx = self.begin().await?;
                let exists = ::sqlx::query(sql::BATCH_EXISTS)
                    .bind(batch_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Ok(None);
                }
                let cancelled = ::sqlx::query(sql::CANCEL_BATCH)
                    .bind(time(now))
                    .bind($crate::store::common::CANCELLED_REASON)
                    .bind(batch_id)
                    .execute(&mut *tx)
                    .await?;
                let mut changes = CountChanges::default();
                let count = i64::try_from(cancelled.rows_affected()).unwrap_or(i64::MAX);
                changes.moved(Some(batch_id), Some(Category::Waiting), Some(Category::Finished), count);
                record_counts(&mut tx, &changes).await?;
                tx.commit().await?;
                Ok(Some(cancelled.rows_affected()))
            }

            async fn claim(
                &self,
                queue: i64,
                agent: &str,
                now: $crate::store::Timestamp,
            ) -> Result<Option<$crate::store::ClaimedTest>, $crate::store::StoreError> {
                $crate::store::shared::backend!(@claim $claims, self, queue, agent, now)
            }

            async fn claim_many(
                &self,
                queue: i64,
                agent: &str,
                token: &$crate::store::ClaimToken,
                now: $crate::store::Timestamp,
                limit: usize,
            ) -> Result<Vec<$crate::store::ClaimedTest>, $crate::store::StoreError> {
                if limit == 0 {
                    return Ok(Vec::new());
                }
                $crate::store::shared::backend!(
                    @claim_many $claims, self, queue, agent, token, now, limit
                )
            }

            async fn recover_claim(
                &self,
                agent: &str,
                token: &$crate::store::ClaimToken,
                now: $crate::store::Timestamp,
            ) -> Result<Vec<$crate::store::ClaimedTest>, $crate::store::StoreError> {
                // The update locks the rows (SQLite: the write lock), so a
                // reaper's re-check waits and then sees the new heartbeat.
                // Its count is not used: MySQL counts only changed rows.
                let mut tx = self.begin().await?;
                ::sqlx::query(sql::RECOVER_TOUCH)
                    .bind(time(now))
                    .bind(token.as_str())
                    .bind(agent)
                    .execute(&mut *tx)
                    .await?;
                let rows = ::sqlx::query(sql::RECOVERED)
                    .bind(token.as_str())
                    .bind(agent)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                rows.iter().map($crate::store::common::decode_recovered).collect()
            }

            async fn heartbeat(
                &self,
                agent: &str,
                hash_ids: &[String],
                now: $crate::store::Timestamp,
            ) -> Result<(), $crate::store::StoreError> {
                ::sqlx::query(sql::UPSERT_AGENT)
                    .bind(agent)
                    .bind(time(now))
                    .execute(self.writer())
                    .await?;
                touch(self.writer(), agent, hash_ids, now).await
            }

            async fn set_progress(
                &self,
                hash_id: &str,
                progress: u8,
            ) -> Result<(), $crate::store::StoreError> {
                let progress = i64::from(progress.min(99));
                ::sqlx::query(sql::SET_PROGRESS)
                    .bind(progress)
                    .bind(hash_id)
                    .bind(progress)
                    .execute(self.writer())
                    .await?;
                Ok(())
            }

            async fn finish(
                &self,
                hash_id: &str,
                agent: &str,
                ending: $crate::store::Ending<'_>,
                now: $crate::store::Timestamp,
            ) -> Result<bool, $crate::store::StoreError> {
                let state = ending.state;
                if !state.is_finished() {
                    debug_assert!(false, "finish with the unfinished state {state}");
                    return Ok(false);
                }
                let mut tx = self.begin().await?;
                let done = ::sqlx::query(sql::FINISH)
                    .bind(state.as_str())
                    .bind(time(now))
                    .bind(ending.reason)
                    .bind(ending.testcases.map(|tally| i64::from(tally.ran)))
                    .bind(ending.testcases.map(|tally| i64::from(tally.enabled)))
                    .bind(ending.entries.iter().map(|entry| entry.level).max())
                    .bind(hash_id)
                    .bind(agent)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                record_ended(&mut tx, hash_id, $crate::store::counts::Category::Finished).await?;
                insert_entries(&mut tx, hash_id, ending.entries).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn requeue(
                &self,
                hash_id: &str,
                agent: &str,
            ) -> Result<bool, $crate::store::StoreError> {
                let mut tx = self.begin().await?;
                let done = ::sqlx::query(sql::REQUEUE)
                    .bind(hash_id)
                    .bind(agent)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                record_ended(&mut tx, hash_id, $crate::store::counts::Category::Waiting).await?;
                ::sqlx::query(sql::DELETE_ENTRIES)
                    .bind(hash_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn reap(
                &self,
                queue: Option<i64>,
                overdue_before: $crate::store::Timestamp,
                dead_before: $crate::store::Timestamp,
                max_execution_time: u32,
                now: $crate::store::Timestamp,
            ) -> Result<Vec<$crate::store::ReapedTest>, $crate::store::StoreError> {
                let times = ReapTimes {
                    now: $crate::store::common::whole_seconds(now),
                    now_db: time(now),
                    overdue_before: time(overdue_before),
                    dead_before: time(dead_before),
                };
                let candidates = reap_candidates(self.reader(), queue, &times).await?;
                let mut reaped = Vec::new();
                for candidate in candidates {
                    if let Some(outcome) = self
                        .reap_one(&candidate, &times, max_execution_time)
                        .await?
                    {
                        reaped.push($crate::store::ReapedTest {
                            hash_id: candidate.hash_id,
                            outcome,
                        });
                    }
                }
                Ok(reaped)
            }

            async fn purge(
                &self,
                before: $crate::store::Timestamp,
                chunk: u32,
            ) -> Result<$crate::store::PurgeReport, $crate::store::StoreError> {
                let chunk = i64::from(chunk.clamp(1, 5000));
                let before = time(before);
                let mut report = $crate::store::PurgeReport::default();
                loop {
                    let mut tx = self.begin().await?;
                    let started = ::std::time::Instant::now();
                    let ids: Vec<String> = ::sqlx::query_scalar(sql::PURGE_SELECT)
                        .bind(&before)
                        .bind(chunk)
                        .fetch_all(&mut *tx)
                        .await?;
                    if ids.is_empty() {
                        break;
                    }
                    let (entries, tests) = delete_tests(&mut tx, &ids).await?;
                    report.entries += entries;
                    report.tests += tests;
                    tx.commit().await?;
                    report.chunks += 1;
                    report.longest_chunk = report.longest_chunk.max(started.elapsed());
                }
                let batches = ::sqlx::query(sql::PURGE_BATCHES)
                    .bind(&before)
                    .execute(self.writer())
                    .await?;
                report.batches = batches.rows_affected();
                ::sqlx::query(sql::PURGE_AGENTS)
                    .bind(&before)
                    .execute(self.writer())
                    .await?;
                Ok(report)
            }

            async fn queue_counts(
                &self,
            ) -> Result<Vec<($crate::store::TestState, u64)>, $crate::store::StoreError> {
                use $crate::store::{TestState, common::{self, Columns as _}};
                let rows = ::sqlx::query(sql::QUEUE_COUNTS)
                    .fetch_all(self.reader())
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

            async fn queue_overview(
                &self,
                limit: u64,
                now: $crate::store::Timestamp,
            ) -> Result<$crate::store::QueueOverview, $crate::store::StoreError> {
                use $crate::store::{AGENT_WINDOW, QueueOverview, common::{self, Columns as _}};
                let reader = self.reader();
                let totals = ::sqlx::query(sql::QUEUE_TOTALS).fetch_one(reader).await?;
                if totals.int(2)? > $crate::store::counts::COMPACT_AFTER {
                    // No agent folds the changes in (or not often enough):
                    // this read does, so the next one stays short. A store
                    // that cannot write (read-only) still answers.
                    if let Err(error) = self.compact_counts().await {
                        ::tracing::debug!(error = %error, "cannot fold the test count changes");
                    }
                }
                let oldest = ::sqlx::query(sql::OLDEST_WAITING).fetch_optional(reader).await?;
                let limit = i64::try_from(limit).unwrap_or(i64::MAX);
                let mut tests = queued_tests(reader, sql::RUNNING_TESTS, limit).await?;
                let left = limit.saturating_sub(i64::try_from(tests.len()).unwrap_or(i64::MAX));
                if left > 0 {
                    tests.extend(queued_tests(reader, sql::WAITING_TESTS, left).await?);
                }
                let seen = ::sqlx::query(sql::AGENTS_SEEN)
                    .bind(time(now - AGENT_WINDOW))
                    .fetch_all(reader)
                    .await?;
                let running = ::sqlx::query(sql::RUNNING_PER_AGENT).fetch_all(reader).await?;
                let ended = ::sqlx::query(sql::ENDED_SINCE)
                    .bind(time($crate::store::overview::throughput_since(now)))
                    .fetch_all(reader)
                    .await?;
                let mut running_by_agent = ::std::collections::HashMap::new();
                for row in &running {
                    let count: u64 = common::narrow(row.int(1)?, "count")?;
                    running_by_agent.insert(row.text(0)?, count);
                }
                let mut agents = Vec::with_capacity(seen.len());
                for row in &seen {
                    let name = row.text(0)?;
                    agents.push($crate::store::AgentSeen {
                        running: running_by_agent.get(&name).copied().unwrap_or(0),
                        last_seen: row.time(1)?,
                        name,
                    });
                }
                let mut ended_at = Vec::with_capacity(ended.len());
                for row in &ended {
                    ended_at.push((row.time(0)?, common::narrow(row.int(1)?, "count")?));
                }
                Ok(QueueOverview {
                    waiting: common::narrow(totals.int(0)?, "count")?,
                    running: common::narrow(totals.int(1)?, "count")?,
                    oldest_waiting: oldest.map(|row| row.time(0)).transpose()?,
                    tests,
                    agents,
                    finished_per_minute: $crate::store::overview::per_minute(&ended_at, now),
                })
            }

            async fn batch_list(
                &self,
                limit: u64,
                offset: u64,
            ) -> Result<Vec<$crate::store::BatchSummary>, $crate::store::StoreError> {
                use $crate::store::common::{self, Columns as _};
                let rows = ::sqlx::query(sql::BATCH_LIST)
                    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                    .fetch_all(self.reader())
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok($crate::store::BatchSummary {
                            batch_id: row.int(0)?,
                            created_at: row.time(1)?,
                            username: row.text(2)?,
                            waiting: common::narrow(row.int(3)?, "count")?,
                            running: common::narrow(row.int(4)?, "count")?,
                            finished: common::narrow(row.int(5)?, "count")?,
                        })
                    })
                    .collect()
            }

            async fn compact_counts(&self) -> Result<u64, $crate::store::StoreError> {
                use $crate::store::common::Columns as _;
                use $crate::store::counts::{COMPACT_CHUNK, CountChanges};
                // Looked for first, so an idle agent takes no write lock
                // (SQLite's is the whole file's) every polling interval.
                let pending = ::sqlx::query(sql::ANY_COUNT_CHANGE)
                    .fetch_optional(self.reader())
                    .await?;
                if pending.is_none() {
                    return Ok(0);
                }
                let mut tx = self.begin().await?;
                let rows = ::sqlx::query(sql::COUNT_CHANGES)
                    .bind(COMPACT_CHUNK)
                    .fetch_all(&mut *tx)
                    .await?;
                if rows.is_empty() {
                    return Ok(0);
                }
                let mut folded = CountChanges::default();
                let mut ids = Vec::with_capacity(rows.len());
                for row in &rows {
                    ids.push(row.int(0)?);
                    folded.add(row.int(1)?, [row.int(2)?, row.int(3)?, row.int(4)?]);
                }
                for (scope, [waiting, running, finished]) in folded.rows() {
                    ::sqlx::query(sql::UPSERT_COUNT)
                        .bind(scope)
                        .bind(waiting)
                        .bind(running)
                        .bind(finished)
                        .execute(&mut *tx)
                        .await?;
                    ::sqlx::query(sql::DELETE_ZERO_COUNT)
                        .bind(scope)
                        .execute(&mut *tx)
                        .await?;
                }
                delete_count_changes(&mut tx, &ids).await?;
                tx.commit().await?;
                Ok(u64::try_from(ids.len()).unwrap_or(u64::MAX))
            }

            async fn query_plans(
                &self,
                sample: &$crate::store::PlanSample,
                mode: $crate::store::ExplainMode,
            ) -> Result<Vec<$crate::store::QueryPlan>, $crate::store::StoreError> {
                let mut tx = self.begin().await?;
                let plans = explain_hot(&mut tx, sample, mode).await;
                tx.rollback().await?;
                plans
            }
        }

        /// The tests `statement` (one of the queue overview's, bound with
        /// `limit`) lists.
        async fn queued_tests(
            pool: &::sqlx::Pool<Db>,
            statement: &'static str,
            limit: i64,
        ) -> Result<Vec<$crate::store::QueuedTest>, $crate::store::StoreError> {
            let rows = ::sqlx::query(statement).bind(limit).fetch_all(pool).await?;
            rows.iter().map($crate::store::common::decode_queued).collect()
        }
    };
}
pub(crate) use backend;
