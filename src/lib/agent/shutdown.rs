//! The end of an agent's life: no more claims, in-flight tests get a grace
//! period, then the rest are stopped and queued again, so no finished
//! result is lost and no test stays running (spec §5.5 re-queueing).

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

/// How long stopped jobs get to write their re-queueing before they are
/// abandoned to a reaper (a job retries its write for about 8 s).
const REQUEUE_LIMIT: Duration = Duration::from_secs(15);

/// Waits up to `grace` for `jobs`; then turns `stop` on so the rest
/// re-queue their tests, and waits for that.
pub(crate) async fn drain(jobs: &mut JoinSet<()>, grace: Duration, stop: &watch::Sender<bool>) {
    if jobs.is_empty() {
        return;
    }
    tracing::info!(
        running = jobs.len(),
        grace_seconds = grace.as_secs_f64(),
        "shutting down: waiting for running tests"
    );
    if tokio::time::timeout(grace, join_all(jobs)).await.is_ok() {
        return;
    }
    tracing::warn!(
        running = jobs.len(),
        "grace period over: stopping the remaining tests and queueing them again"
    );
    let _ = stop.send(true);
    if tokio::time::timeout(REQUEUE_LIMIT, join_all(jobs))
        .await
        .is_err()
    {
        tracing::error!(
            running = jobs.len(),
            "tests could not be queued again; a reaper will end them"
        );
        jobs.abort_all();
        join_all(jobs).await;
    }
}

/// Waits for every job; a job that panicked is logged.
async fn join_all(jobs: &mut JoinSet<()>) {
    while let Some(joined) = jobs.join_next().await {
        log_join(joined);
    }
}

/// Logs a job that did not end normally (its own code panicked; the
/// runner's panics are caught inside it).
pub(crate) fn log_join(joined: Result<(), tokio::task::JoinError>) {
    if let Err(error) = joined
        && error.is_panic()
    {
        tracing::error!(error = %error, "a test job crashed");
    }
}
