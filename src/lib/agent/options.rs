//! What one agent needs to know: its identity, its queue and limits from
//! the configuration (spec §5.3, §5.5, §5.7), and the timings that the
//! configuration file has no key for (heartbeats, the shutdown grace).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::runner::TestRunner;
use crate::config::BackendConfig;
use crate::metrics::Metrics;
use crate::telemetry::Telemetry;

/// How often a live agent says so, unless told otherwise.
pub const DEFAULT_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);

/// Missed heartbeats after which an agent counts as dead: three, so one
/// slow database round trip does not get a live agent's tests reaped.
const HEARTBEATS_TO_DEATH: u32 = 3;

/// How long in-flight tests may go on after a shutdown request.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);

/// Everything [`run`](super::run) needs besides the store.
#[derive(Clone)]
pub struct AgentOptions {
    /// Unique per process; the store records it as the owner of claims.
    pub agent_id: String,
    /// `ZONEMASTER.lock_on_queue`: the only queue claimed from; 0 also
    /// means "reap every queue" (spec §5.5).
    pub queue: i64,
    /// Tests run at once at most: frontend + batch processes (spec §5.7).
    pub max_running: usize,
    /// `DB.polling_interval`: the pause when nothing is claimable.
    pub polling_interval: Duration,
    /// `ZONEMASTER.max_zonemaster_execution_time`, in seconds.
    pub max_execution_time: u32,
    /// Pause between heartbeats.
    pub heartbeat_interval: Duration,
    /// Silence after which another agent's tests are reaped.
    pub heartbeat_timeout: Duration,
    /// How long a shutdown waits for in-flight tests before re-queueing
    /// them.
    pub grace: Duration,
    /// Does the work of each test.
    pub runner: Arc<dyn TestRunner>,
    /// StatsD, or nothing.
    pub metrics: Metrics,
    /// Prometheus (`--metrics-listen`), or nothing.
    pub telemetry: Telemetry,
}

impl AgentOptions {
    /// Options from the configuration, a fresh [`agent_id`], default
    /// heartbeat and grace timings and no metrics (StatsD or Prometheus).
    pub fn new(config: &BackendConfig, runner: Arc<dyn TestRunner>) -> Self {
        let zonemaster = &config.zonemaster;
        let max_running = zonemaster
            .number_of_processes_for_frontend_testing
            .saturating_add(zonemaster.number_of_processes_for_batch_testing);
        Self {
            agent_id: agent_id(),
            queue: i64::from(zonemaster.lock_on_queue),
            max_running: usize::try_from(max_running).unwrap_or(usize::MAX),
            polling_interval: config.db.polling_interval,
            max_execution_time: zonemaster.max_zonemaster_execution_time,
            heartbeat_interval: DEFAULT_HEARTBEAT_INTERVAL,
            heartbeat_timeout: DEFAULT_HEARTBEAT_INTERVAL * HEARTBEATS_TO_DEATH,
            grace: DEFAULT_GRACE,
            runner,
            metrics: Metrics::disabled(),
            telemetry: Telemetry::disabled(),
        }
    }

    /// Sets the heartbeat interval and, with it, the timeout after which
    /// an agent counts as dead (three intervals).
    pub fn with_heartbeat_interval(mut self, interval: Duration) -> Self {
        self.heartbeat_interval = interval;
        self.heartbeat_timeout = interval * HEARTBEATS_TO_DEATH;
        self
    }

    /// The queue to reap: `None` (every queue) for an agent of queue 0.
    pub(crate) fn reap_queue(&self) -> Option<i64> {
        (self.queue != 0).then_some(self.queue)
    }
}

impl fmt::Debug for AgentOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentOptions")
            .field("agent_id", &self.agent_id)
            .field("queue", &self.queue)
            .field("max_running", &self.max_running)
            .field("polling_interval", &self.polling_interval)
            .field("max_execution_time", &self.max_execution_time)
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("heartbeat_timeout", &self.heartbeat_timeout)
            .field("grace", &self.grace)
            .finish_non_exhaustive()
    }
}

/// `zm-agent@<hostname>:<pid>-<random>`: the host and process for people
/// reading the database, the random part so that a restarted process that
/// reuses a pid is still another agent.
pub fn agent_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let suffix: u32 = rand::random();
    format!("zm-agent@{host}:{}-{suffix:08x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_ids_name_the_process_and_differ() {
        let first = agent_id();
        assert!(first.starts_with("zm-agent@"), "{first}");
        assert!(
            first.contains(&format!(":{}-", std::process::id())),
            "{first}"
        );
        assert_ne!(first, agent_id());
    }
}
