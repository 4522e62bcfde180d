//! One claimed test from start to stored outcome: the runner in a task of
//! its own, bounded by `max_zonemaster_execution_time` and by the agent's
//! shutdown, then one conditional write of the result (spec §5.4, §5.5).
//!
//! Exactly-once: every ending goes through [`Store::finish`] or
//! [`Store::requeue`], which only act on a test that is still running and
//! owned by this agent, in one transaction; the reapers of other agents
//! use the same condition. Whoever comes first writes; the others write
//! nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, watch};
use tokio::task::{JoinError, JoinHandle};
use tracing::Instrument;

use super::heartbeat::RunningSet;
use super::progress::{ProgressSink, spawn_writer};
use super::runner::{RunError, RunReport, TestRunner};
use crate::error_chain;
use crate::metrics::Metrics;
use crate::store::{
    ClaimedTest, Ending, ResultEntry, Store, StoreError, TestState, overdue_reason,
};
use crate::telemetry::{Telemetry, TestEnding};

/// Attempts at writing an outcome before leaving the test to a reaper,
/// when the database fails for a reason of its own. While it is merely
/// unavailable (down, restarting, disk full, read-only) the agent keeps
/// trying without limit: the outcome is in hand, and giving up would have
/// a reaper run the test again.
const WRITE_ATTEMPTS: u32 = 5;

/// The longest pause between two attempts at writing an outcome.
const MAX_WRITE_PAUSE: Duration = Duration::from_secs(5);

/// What every job of one agent shares.
pub(crate) struct JobContext {
    /// Where outcomes go.
    pub store: Arc<dyn Store>,
    /// Does the work.
    pub runner: Arc<dyn TestRunner>,
    /// This agent's id, the owner of its claims.
    pub agent: String,
    /// Seconds a test may run.
    pub max_execution_time: u32,
    /// StatsD, or nothing.
    pub metrics: Metrics,
    /// Prometheus, or nothing.
    pub telemetry: Telemetry,
    /// The tests heartbeats are sent for.
    pub running: RunningSet,
}

/// How a run ended.
#[derive(Debug)]
enum Outcome {
    /// The runner returned this report.
    Ran(RunReport),
    /// The runner failed or panicked.
    Died(String),
    /// Stopped at `max_zonemaster_execution_time`.
    Overdue,
    /// Stopped because the agent shuts down.
    Stopped,
}

/// Runs `test` and stores its outcome. `stop` turns true when the
/// shutdown's grace period is over; `permit` is the concurrency slot,
/// released when the outcome is stored.
///
/// Everything logged for the test, the engine's task and the progress
/// writer included, is inside one `test` span naming it, so the lines of
/// tests running side by side in one agent can be told apart.
#[tracing::instrument(name = "test", skip_all, fields(test_id = %test.hash_id, domain = %test.domain))]
pub(crate) async fn run_job(
    context: Arc<JobContext>,
    test: ClaimedTest,
    stop: watch::Receiver<bool>,
    permit: OwnedSemaphorePermit,
) {
    let _running = context.running.enter(&test.hash_id);
    let started = Instant::now();
    tracing::info!(attempt = test.attempts, "test started");
    context.metrics.count("testagent.tests_started");
    context.telemetry.test_started();
    let outcome = execute(&context, &test, stop).await;
    let ending = store_outcome(&context, &test, outcome, started).await;
    context.telemetry.test_ended(ending, started.elapsed());
    let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    context
        .metrics
        .timing_ms("testagent.tests_duration_seconds", elapsed);
    drop(permit);
}

/// Runs the runner in its own task until it ends, runs out of time or is
/// stopped; then no task of the test (runner, progress writer) is left.
async fn execute(
    context: &JobContext,
    test: &ClaimedTest,
    mut stop: watch::Receiver<bool>,
) -> Outcome {
    let (sink, writer) = if test.batch_id.is_none() {
        let (sink, receiver) = ProgressSink::channel();
        let writer = spawn_writer(Arc::clone(&context.store), test.hash_id.clone(), receiver);
        (sink, Some(writer))
    } else {
        (ProgressSink::disabled(), None)
    };
    let runner: Arc<dyn TestRunner> = Arc::clone(&context.runner);
    let claimed = test.clone();
    // A spawned task starts outside every span; it is put in the test's.
    let mut engine = EngineTask(tokio::spawn(
        async move { runner.run(&claimed, sink).await }.instrument(tracing::Span::current()),
    ));
    let limit = time_left(test, context.max_execution_time);
    let stopped = async move {
        if stop.wait_for(|is_stopped| *is_stopped).await.is_err() {
            // The agent dropped the switch: it will never say stop.
            std::future::pending::<()>().await;
        }
    };
    let outcome = tokio::select! {
        // A run that has ended wins over a limit reached at the same time.
        biased;
        joined = &mut engine.0 => outcome_of(joined),
        () = tokio::time::sleep(limit) => Outcome::Overdue,
        () = stopped => Outcome::Stopped,
    };
    if matches!(outcome, Outcome::Overdue | Outcome::Stopped) {
        engine.0.abort();
        // Wait until the task is gone: it holds the progress sink.
        let _ = (&mut engine.0).await;
    }
    if let Some(writer) = writer {
        // The sink is dropped, so the writer ends after its last write.
        let _ = writer.await;
    }
    outcome
}

/// The runner's task, aborted when dropped: if the job itself is aborted
/// (see `shutdown`), the engine must not run on unowned.
struct EngineTask(JoinHandle<Result<RunReport, RunError>>);

impl Drop for EngineTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Time until the test is `max_execution_time` seconds past its claim,
/// the moment the reapers also see it overdue.
fn time_left(test: &ClaimedTest, max_execution_time: u32) -> Duration {
    let end = test.started_at + chrono::Duration::seconds(i64::from(max_execution_time));
    (end - chrono::Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO)
}

/// The outcome of the runner's task.
fn outcome_of(joined: Result<Result<RunReport, RunError>, JoinError>) -> Outcome {
    match joined {
        Ok(Ok(report)) => Outcome::Ran(report),
        Ok(Err(error)) => Outcome::Died(error_chain(&error)),
        Err(error) if error.is_panic() => {
            Outcome::Died(format!("the engine panicked: {}", panic_text(error)))
        }
        Err(_) => Outcome::Died("the engine task was cancelled".to_owned()),
    }
}

/// The message of a panic, if it has a text one.
fn panic_text(error: JoinError) -> String {
    let payload = error.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

/// Writes the outcome: completed, failed with a Backend entry, or back in
/// the queue; returns how the test ended, for the metrics.
async fn store_outcome(
    context: &JobContext,
    test: &ClaimedTest,
    outcome: Outcome,
    started: Instant,
) -> TestEnding {
    let seconds = started.elapsed().as_secs_f64();
    match outcome {
        Outcome::Ran(report) => {
            let worst = report.entries.iter().map(|entry| entry.level).max();
            let ending = Ending {
                entries: &report.entries,
                state: TestState::Completed,
                reason: None,
                testcases: report.testcases,
            };
            if finish(context, test, ending).await {
                context.metrics.count("testagent.tests_completed");
                let entries = report.entries.len();
                tracing::info!(entries, seconds, "test completed");
            }
            TestEnding::Completed(worst)
        }
        Outcome::Died(reason) => {
            tracing::error!(reason = %reason, "test died");
            let entries = [ResultEntry::test_died(seconds)];
            if finish(context, test, failure(&entries, &reason)).await {
                context.metrics.count("testagent.tests_died");
            }
            TestEnding::Died
        }
        Outcome::Overdue => {
            let limit = context.max_execution_time;
            tracing::warn!(limit_seconds = limit, "test ran out of time");
            let entries = [ResultEntry::unable_to_finish(limit, seconds)];
            let reason = overdue_reason(limit);
            if finish(context, test, failure(&entries, &reason)).await {
                context.metrics.count("testagent.tests_died");
            }
            TestEnding::Overdue
        }
        Outcome::Stopped => {
            requeue(context, test).await;
            TestEnding::Requeued
        }
    }
}

/// A failed test's ending: its Backend entry and the reason.
fn failure<'a>(entries: &'a [ResultEntry], reason: &'a str) -> Ending<'a> {
    Ending {
        entries,
        state: TestState::Failed,
        reason: Some(reason),
        testcases: None,
    }
}

/// [`Store::finish`], retried through short outages; true when this call
/// ended the test.
async fn finish(context: &JobContext, test: &ClaimedTest, ending: Ending<'_>) -> bool {
    let id = test.hash_id.as_str();
    let mut attempt = 0;
    loop {
        let now = chrono::Utc::now();
        let written = context.store.finish(id, &context.agent, ending, now).await;
        match written {
            Ok(true) => return true,
            Ok(false) => {
                tracing::warn!("test was no longer ours (reaped?); its outcome is dropped");
                return false;
            }
            Err(error) => {
                if !write_failed(context, "finish", &mut attempt, &error).await {
                    return false;
                }
            }
        }
    }
}

/// [`Store::requeue`], retried through short outages.
async fn requeue(context: &JobContext, test: &ClaimedTest) {
    let id = test.hash_id.as_str();
    let mut attempt = 0;
    loop {
        match context.store.requeue(id, &context.agent).await {
            Ok(true) => {
                tracing::info!("test stopped by shutdown and queued again");
                return;
            }
            Ok(false) => {
                tracing::warn!("test was no longer ours; not queued again");
                return;
            }
            Err(error) => {
                if !write_failed(context, "requeue", &mut attempt, &error).await {
                    return;
                }
            }
        }
    }
}

/// Logs a failed write and waits before the next attempt (0.5 s, 1 s, 2 s,
/// … up to [`MAX_WRITE_PAUSE`]); false when there is to be none: the
/// database failed [`WRITE_ATTEMPTS`] times for a reason other than being
/// unavailable, and the test is left to a reaper.
async fn write_failed(
    context: &JobContext,
    what: &str,
    attempt: &mut u32,
    error: &StoreError,
) -> bool {
    context.telemetry.database_error(what);
    let condition = error.unavailable();
    *attempt += 1;
    if condition.is_none() && *attempt >= WRITE_ATTEMPTS {
        let error = error_chain(error);
        tracing::error!(error = %error, what, "cannot store the test's outcome; a reaper will end it");
        return false;
    }
    let reason = condition.map_or("database error", |condition| condition.as_str());
    let error = error_chain(error);
    tracing::warn!(error = %error, reason, what, attempt = *attempt, "cannot store the test's outcome; retrying");
    let pause = Duration::from_millis(250).saturating_mul(2u32.saturating_pow(*attempt));
    tokio::time::sleep(pause.min(MAX_WRITE_PAUSE)).await;
    true
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;
    use tokio::sync::Semaphore;

    use super::*;
    use crate::agent::progress::ProgressSink;
    use crate::config::BackendConfig;
    use crate::store::NewTest;

    /// A runner with a bug.
    struct Crashing;

    #[async_trait]
    impl TestRunner for Crashing {
        async fn run(&self, _: &ClaimedTest, _: ProgressSink) -> Result<RunReport, RunError> {
            panic!("engine bug")
        }
    }

    /// A runner that logs from inside the engine's task.
    struct Chatty;

    #[async_trait]
    impl TestRunner for Chatty {
        async fn run(&self, _: &ClaimedTest, _: ProgressSink) -> Result<RunReport, RunError> {
            tracing::info!("engine at work");
            Ok(RunReport::from(Vec::new()))
        }
    }

    /// A migrated SQLite store in `dir` holding one test claimed by
    /// `agent-a`, and that test's id.
    async fn store_with_claimed_test(
        dir: &tempfile::TempDir,
    ) -> (Arc<dyn Store>, ClaimedTest, String) {
        let mut config = BackendConfig::default();
        config.sqlite.database_file = Some(dir.path().join("agent.sqlite"));
        let store = crate::store::open(&config.store_settings()).await.unwrap();
        store.migrate().await.unwrap();
        let now = chrono::Utc::now();
        let test = NewTest {
            hash_id: "00000000000000aa".to_owned(),
            domain: "example.se".to_owned(),
            fingerprint: "f".repeat(32),
            params: r#"{"domain":"example.se"}"#.to_owned(),
            undelegated: false,
            priority: 10,
            queue: 0,
            created_at: now,
        };
        let (id, _) = store.create_test(&test, now).await.unwrap();
        let claimed = store.claim(0, "agent-a", now).await.unwrap().unwrap();
        (store, claimed, id)
    }

    /// Held by every test here while it runs a job. tracing caches per
    /// call site whether anyone listens; a job run on another thread while
    /// the capturing test installs its subscriber can leave the cache at
    /// "nobody" and lose its lines, so the jobs of this file take turns.
    static ONE_JOB_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    /// Runs `test` with `runner` as agent `agent-a` until its outcome is
    /// stored.
    async fn run_with(store: &Arc<dyn Store>, test: ClaimedTest, runner: Arc<dyn TestRunner>) {
        let context = Arc::new(JobContext {
            store: Arc::clone(store),
            runner,
            agent: "agent-a".to_owned(),
            max_execution_time: 600,
            metrics: Metrics::disabled(),
            telemetry: Telemetry::disabled(),
            running: RunningSet::default(),
        });
        let (_stop, stopped) = watch::channel(false);
        let permit = Arc::new(Semaphore::new(1)).acquire_owned().await.unwrap();
        run_job(context, test, stopped, permit).await;
    }

    #[tokio::test]
    async fn a_panicking_run_fails_the_test_with_one_test_died_entry() {
        let _turn = ONE_JOB_AT_A_TIME.lock().await;
        let dir = tempfile::tempdir().unwrap();
        let (store, claimed, id) = store_with_claimed_test(&dir).await;
        run_with(&store, claimed, Arc::new(Crashing)).await;

        let row = store.test(&id).await.unwrap().unwrap();
        assert_eq!((row.state, row.progress), (TestState::Failed, 100));
        assert!(row.reason.unwrap().contains("engine bug"));
        let entries = store.results(&id).await.unwrap();
        let summary: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e.level,
                    e.module.as_str(),
                    e.testcase.as_str(),
                    e.tag.as_str(),
                )
            })
            .collect();
        assert_eq!(summary, [(5, "Backend", "", "TEST_DIED")]);
        assert!(entries[0].args.is_empty());
    }

    /// Log output kept in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // Current-thread runtime: the engine's task runs on this thread, under
    // the thread's default subscriber, so only the span can be missing.
    #[tokio::test]
    async fn every_line_of_a_test_names_it_the_engine_task_included() {
        let _turn = ONE_JOB_AT_A_TIME.lock().await;
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let dir = tempfile::tempdir().unwrap();
        let (store, claimed, _) = store_with_claimed_test(&dir).await;
        run_with(&store, claimed, Arc::new(Chatty)).await;

        let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let span = "test{test_id=00000000000000aa domain=example.se}";
        for message in ["test started", "engine at work", "test completed"] {
            let line = output
                .lines()
                .find(|line| line.contains(message))
                .unwrap_or_else(|| panic!("no `{message}` in {output}"));
            assert!(line.contains(span), "{line}");
        }
    }
}
