//! WAL checkpoints off the write path.
//!
//! SQLite's automatic checkpoint runs inside the COMMIT that grows the log
//! past 1000 pages, on the committing connection: it copies the log into
//! the database and syncs both files while that connection's caller
//! waits. With one writer per process, every `start_domain_test` queued
//! behind that commit waited too (perf of the API under load: 11 % of the
//! daemon's samples in `sqlite3WalDefaultHook`, the commit cycle, and so
//! the throughput, set by it). The writer therefore has automatic
//! checkpoints off, and this task checkpoints from a connection of the
//! reader pool instead: a PASSIVE checkpoint takes no lock a writer needs,
//! so commits go on while it copies and syncs.
//!
//! Every process that opens the file runs one; checkpoints of two
//! processes do not collide (SQLite lets one run and the other returns at
//! once). A short-lived process (`zmctl db …`) leaves its log to the next
//! checkpoint or to the last connection to close, which checkpoints.

use std::time::Duration;

use sqlx::sqlite::SqlitePool;
use tokio::sync::oneshot;

/// How often the log is checkpointed. The log grows by what the writers
/// commit meanwhile, a few MB at the API's fastest; with nothing new to
/// copy, a checkpoint only reads the log's shared index.
const EVERY: Duration = Duration::from_millis(200);

/// Stops the checkpoint task when dropped (with the store).
#[derive(Debug)]
pub(crate) struct Checkpoints {
    _stop: oneshot::Sender<()>,
}

impl Checkpoints {
    /// Starts checkpointing the database of `pool` every [`EVERY`].
    pub(crate) fn start(pool: SqlitePool) -> Self {
        let (stop, mut stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = ticks.tick() => checkpoint(&pool).await,
                }
            }
        });
        Self { _stop: stop }
    }
}

/// One PASSIVE checkpoint; a failure (a read-only file, a full disk) is
/// logged and the next tick tries again.
async fn checkpoint(pool: &SqlitePool) {
    let done: Result<(i64, i64, i64), sqlx::Error> =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(pool)
            .await;
    match done {
        Ok((_busy, log, copied)) => {
            tracing::trace!(log, copied, "WAL checkpoint");
        }
        Err(error) => tracing::debug!(%error, "WAL checkpoint failed; trying again later"),
    }
}
