//! The agent's loop (spec §9.2): reap, claim while a slot is free, wait;
//! until the shutdown future resolves, then drain.
//!
//! A claim that fails may have committed all the same: the server took
//! it and died (or the connection dropped) before the reply arrived.
//! Those tests are running in the database, owned by this agent, and
//! nobody runs them; the reaper would queue them again after the
//! heartbeat timeout and they would run twice. So every claim carries a
//! fresh [`ClaimToken`], and after a failed one the agent claims nothing
//! (and reaps nothing, its own orphans would look dead) until it has
//! asked the database, once it answers, which tests hold that token. It
//! runs them, as if the reply had arrived: the claim counted one attempt
//! and the test gets it. (Handing them back instead would cost a second
//! round trip and a re-queue for a test that is already ours.) Only at
//! shutdown are they handed back, uncounted, with [`Store::requeue`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::Fuse;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

use super::error::AgentError;
use super::heartbeat::{RunningSet, spawn_heartbeat};
use super::job::{JobContext, run_job};
use super::options::AgentOptions;
use super::shutdown::{drain, log_join};
use crate::error_chain;
use crate::store::{ClaimToken, ClaimedTest, ReapOutcome, Store};

/// The longest pause between claims while the store keeps failing.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Runs the agent until `shutdown` resolves, then stops claiming, lets
/// in-flight tests finish within the grace period, re-queues the rest and
/// returns. Errors of the store inside the loop are logged, never
/// returned: the loop outlives database outages.
pub async fn run(
    options: AgentOptions,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), AgentError> {
    if options.max_running == 0 {
        return Err(AgentError::NoCapacity);
    }
    let mut agent = Agent::new(options, store);
    let (heartbeat_stop, heartbeat_stopped) = watch::channel(false);
    let heartbeat = spawn_heartbeat(
        Arc::clone(&agent.store),
        agent.options.agent_id.clone(),
        agent.context.running.clone(),
        agent.options.heartbeat_interval,
        heartbeat_stopped,
    );
    tracing::info!(
        agent = %agent.options.agent_id,
        queue = agent.options.queue,
        max_running = agent.options.max_running,
        database = agent.store.engine_name(),
        "agent started"
    );
    let shutdown = std::pin::pin!(shutdown.fuse());
    agent.serve(shutdown).await;
    tracing::info!(agent = %agent.options.agent_id, "shutdown requested: no more claims");
    agent.hand_back_lost_claim().await;
    drain(&mut agent.jobs, agent.options.grace, &agent.stop).await;
    let _ = heartbeat_stop.send(true);
    let _ = heartbeat.await;
    tracing::info!(agent = %agent.options.agent_id, "agent stopped");
    Ok(())
}

/// Why claiming paused.
enum ClaimPause {
    /// Every slot is taken.
    Full,
    /// Nothing waiting in the queue.
    Idle,
    /// The store failed: wait longer each time it fails again.
    Failed,
    /// The shutdown future resolved.
    Shutdown,
}

/// One agent's state.
struct Agent {
    /// Limits and timings.
    options: AgentOptions,
    /// The queue.
    store: Arc<dyn Store>,
    /// What jobs share.
    context: Arc<JobContext>,
    /// One permit per test that may run at once.
    slots: Arc<Semaphore>,
    /// Running jobs.
    jobs: JoinSet<()>,
    /// Turned on when the grace period is over.
    stop: watch::Sender<bool>,
    /// When the reaper last ran.
    last_reap: Option<Instant>,
    /// Claims failed in a row, for the back-off.
    failures: u32,
    /// The store failed since this agent last vouched for its own tests:
    /// their heartbeats may have failed too, so before the next reap they
    /// get a fresh one, or the reaper would take this agent's own running
    /// tests for a dead agent's and queue them again.
    must_vouch: bool,
    /// The token of a claim that failed and may have committed: settled
    /// (its tests found and run) before anything else is claimed.
    unsettled: Option<ClaimToken>,
}

impl Agent {
    fn new(options: AgentOptions, store: Arc<dyn Store>) -> Self {
        let context = JobContext {
            store: Arc::clone(&store),
            runner: Arc::clone(&options.runner),
            agent: options.agent_id.clone(),
            max_execution_time: options.max_execution_time,
            metrics: options.metrics.clone(),
            telemetry: options.telemetry.clone(),
            running: RunningSet::default(),
        };
        options.telemetry.set_max_running(options.max_running);
        let (stop, _) = watch::channel(false);
        Self {
            slots: Arc::new(Semaphore::new(options.max_running)),
            options,
            store,
            context: Arc::new(context),
            jobs: JoinSet::new(),
            stop,
            last_reap: None,
            failures: 0,
            must_vouch: false,
            unsettled: None,
        }
    }

    /// The loop proper, until `shutdown` resolves.
    async fn serve<F: Future<Output = ()>>(&mut self, mut shutdown: Pin<&mut Fuse<F>>) {
        loop {
            while let Some(joined) = self.jobs.try_join_next() {
                log_join(joined);
            }
            let pause = if self.settle_lost_claim().await {
                self.reap_if_due().await;
                self.claim_while_free(shutdown.as_mut()).await
            } else {
                ClaimPause::Failed
            };
            self.report_gauges();
            let is_stopping = match pause {
                ClaimPause::Shutdown => true,
                ClaimPause::Full => tokio::select! {
                    () = shutdown.as_mut() => true,
                    // A slot freed: claim again at once.
                    _ = Arc::clone(&self.slots).acquire_owned() => false,
                    () = tokio::time::sleep(self.options.polling_interval) => false,
                },
                ClaimPause::Idle => tokio::select! {
                    () = shutdown.as_mut() => true,
                    () = tokio::time::sleep(self.options.polling_interval) => false,
                },
                ClaimPause::Failed => tokio::select! {
                    () = shutdown.as_mut() => true,
                    () = tokio::time::sleep(self.backoff()) => false,
                },
            };
            if is_stopping {
                return;
            }
        }
    }

    /// Claims tests until every slot is taken, the queue is empty, the
    /// store fails or shutdown is requested: as many tests per round trip
    /// as there are free slots.
    async fn claim_while_free<F: Future<Output = ()>>(
        &mut self,
        mut shutdown: Pin<&mut Fuse<F>>,
    ) -> ClaimPause {
        loop {
            if shutdown.as_mut().now_or_never().is_some() {
                return ClaimPause::Shutdown;
            }
            let mut permits = free_slots(&self.slots);
            if permits.is_empty() {
                return ClaimPause::Full;
            }
            let wanted = permits.len();
            let started = Instant::now();
            let token = ClaimToken::new();
            let claimed = self
                .store
                .claim_many(
                    self.options.queue,
                    &self.options.agent_id,
                    &token,
                    chrono::Utc::now(),
                    wanted,
                )
                .await;
            self.options
                .metrics
                .timing_ms("testagent.fetchtests_duration_seconds", elapsed_ms(started));
            match claimed {
                Ok(tests) => {
                    self.options.telemetry.claimed(tests.len());
                    if self.failures > 0 {
                        tracing::info!(failures = self.failures, "the database answers again");
                        self.failures = 0;
                    }
                    let is_drained = tests.len() < wanted;
                    self.start_jobs(tests, &mut permits);
                    if is_drained {
                        return ClaimPause::Idle;
                    }
                }
                Err(error) => {
                    self.options.telemetry.database_error("claim");
                    self.failures = self.failures.saturating_add(1);
                    self.must_vouch = true;
                    self.unsettled = Some(token);
                    let reason = error
                        .unavailable()
                        .map_or("database error", |condition| condition.as_str());
                    tracing::warn!(
                        error = %error_chain(&error),
                        reason,
                        failures = self.failures,
                        "cannot claim a test"
                    );
                    return ClaimPause::Failed;
                }
            }
        }
    }

    /// Starts a job for each test, each with one of `permits`.
    fn start_jobs(&mut self, tests: Vec<ClaimedTest>, permits: &mut Vec<OwnedSemaphorePermit>) {
        for (test, permit) in tests.into_iter().zip(permits.drain(..)) {
            let job = run_job(
                Arc::clone(&self.context),
                test,
                self.stop.subscribe(),
                permit,
            );
            self.jobs.spawn(job);
        }
    }

    /// Finds the tests of the last failed claim, if any, and runs them;
    /// false while the database cannot tell (nothing else is claimed or
    /// reaped meanwhile). Nothing was started since that claim, so the
    /// slots it asked for are still free.
    async fn settle_lost_claim(&mut self) -> bool {
        let Some(token) = self.unsettled.clone() else {
            return true;
        };
        let agent = &self.options.agent_id;
        let found = match self
            .store
            .recover_claim(agent, &token, chrono::Utc::now())
            .await
        {
            Ok(found) => found,
            Err(error) => {
                self.options.telemetry.database_error("claim");
                self.failures = self.failures.saturating_add(1);
                tracing::warn!(
                    error = %error_chain(&error),
                    failures = self.failures,
                    "cannot look up the tests of a failed claim"
                );
                return false;
            }
        };
        self.unsettled = None;
        if found.is_empty() {
            return true;
        }
        tracing::info!(
            tests = found.len(),
            "a failed claim had taken tests all the same: running them"
        );
        let mut permits = free_slots(&self.slots);
        let extra = found.len().saturating_sub(permits.len());
        let (run, spare) = found.split_at(found.len() - extra);
        self.hand_back(spare).await;
        self.options.telemetry.claimed(run.len());
        self.start_jobs(run.to_vec(), &mut permits);
        true
    }

    /// At shutdown: the tests of a failed claim not settled yet go back
    /// to the queue, one try; if the database still fails, a reaper ends
    /// them.
    async fn hand_back_lost_claim(&mut self) {
        let Some(token) = self.unsettled.take() else {
            return;
        };
        let agent = &self.options.agent_id;
        match self
            .store
            .recover_claim(agent, &token, chrono::Utc::now())
            .await
        {
            Ok(found) => self.hand_back(&found).await,
            Err(error) => tracing::warn!(
                error = %error_chain(&error),
                "cannot look up the tests of a failed claim; a reaper will queue them again"
            ),
        }
    }

    /// Puts `tests`, claimed but not started, back in the queue without
    /// counting the attempt.
    async fn hand_back(&self, tests: &[ClaimedTest]) {
        for test in tests {
            let agent = &self.options.agent_id;
            if let Err(error) = self.store.requeue(&test.hash_id, agent).await {
                tracing::warn!(
                    test_id = %test.hash_id,
                    error = %error_chain(&error),
                    "cannot queue a claimed test again; a reaper will"
                );
            }
        }
    }

    /// The pause after the store failed `failures` times in a row: the
    /// polling interval doubled each time, at most [`MAX_BACKOFF`] (and
    /// never less than the polling interval).
    fn backoff(&self) -> Duration {
        let base = self.options.polling_interval;
        let factor = 2u32.saturating_pow(self.failures.saturating_sub(1).min(16));
        base.saturating_mul(factor).min(MAX_BACKOFF).max(base)
    }

    /// Runs the reaper (spec §5.5), then folds the test count changes, at
    /// most once per polling interval.
    async fn reap_if_due(&mut self) {
        let is_due = self
            .last_reap
            .is_none_or(|last| last.elapsed() >= self.options.polling_interval);
        if !is_due {
            return;
        }
        self.last_reap = Some(Instant::now());
        if self.must_vouch {
            let running = self.context.running.snapshot();
            let agent = &self.options.agent_id;
            match self
                .store
                .heartbeat(agent, &running, chrono::Utc::now())
                .await
            {
                Ok(()) => self.must_vouch = false,
                // Nothing is reaped until this agent's tests are safe.
                Err(_) => return,
            }
        }
        let now = chrono::Utc::now();
        let max = self.options.max_execution_time;
        let overdue_before = now - chrono::Duration::seconds(i64::from(max));
        let dead_before = now
            - chrono::Duration::from_std(self.options.heartbeat_timeout)
                .unwrap_or(chrono::Duration::MAX);
        let started = Instant::now();
        let reaped = self
            .store
            .reap(
                self.options.reap_queue(),
                overdue_before,
                dead_before,
                max,
                now,
            )
            .await;
        self.options
            .metrics
            .timing_ms("testagent.cleanup_duration_seconds", elapsed_ms(started));
        match reaped {
            Ok(reaped) => {
                for test in reaped {
                    tracing::warn!(test_id = %test.hash_id, outcome = ?test.outcome, "reaped a test");
                    if test.outcome != ReapOutcome::Requeued {
                        self.options.metrics.count("testagent.tests_died");
                    }
                }
            }
            Err(error) => {
                self.options.telemetry.database_error("reap");
                self.must_vouch = true;
                tracing::warn!(error = %error_chain(&error), "cannot reap tests");
                return;
            }
        }
        // The test counts queue_status reads stay a few rows each. While
        // the database is unavailable (read-only, full), claims and
        // heartbeats already say so.
        if let Err(error) = self.store.compact_counts().await {
            if error.unavailable().is_some() {
                tracing::debug!(error = %error_chain(&error), "cannot fold the test count changes");
            } else {
                tracing::warn!(error = %error_chain(&error), "cannot fold the test count changes");
            }
        }
    }

    /// The running and maximum test counts (spec §9.5).
    fn report_gauges(&self) {
        let metrics = &self.options.metrics;
        let maximum = self.options.max_running;
        let running = maximum.saturating_sub(self.slots.available_permits());
        metrics.gauge("testagent.running_processes", to_u64(running));
        metrics.gauge("testagent.maximum_processes", to_u64(maximum));
    }
}

/// Every slot free right now, one permit each (unused ones go back when
/// dropped).
fn free_slots(slots: &Arc<Semaphore>) -> Vec<OwnedSemaphorePermit> {
    std::iter::from_fn(|| Arc::clone(slots).try_acquire_owned().ok()).collect()
}

/// Milliseconds since `started`, for StatsD timings.
fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn to_u64(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}
