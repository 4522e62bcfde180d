//! What the dashboard shows, as read from the API: the answers of
//! `queue_status` and `batch_list`, and a batch's domains.
//!
//! The two methods are read as plain JSON through
//! [`Client::call_value`](crate::client::Client::call_value), so a server
//! without them answers "method not found" instead of breaking the build.
//! Members the dashboard does not need may be missing.

use serde::Deserialize;

use crate::engine::level::Level;

/// The answer of `queue_status`: what waits, what runs and who runs it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct QueueStatus {
    /// Tests not claimed yet.
    #[serde(default)]
    pub waiting: u64,
    /// Tests an agent runs.
    #[serde(default)]
    pub running: u64,
    /// Age of the oldest waiting test; null when nothing waits.
    #[serde(default)]
    pub oldest_waiting_seconds: Option<f64>,
    /// Running tests first, then the oldest waiting ones, up to the limit.
    #[serde(default)]
    pub tests: Vec<QueuedTest>,
    /// Agents whose heartbeats the store holds.
    #[serde(default)]
    pub agents: Vec<AgentSeen>,
    /// Tests finished in each of the last 60 minutes, oldest first.
    #[serde(default)]
    pub finished_per_minute: Vec<u64>,
}

/// One waiting or running test of the queue.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct QueuedTest {
    /// The test id.
    pub id: String,
    /// The zone.
    pub domain: String,
    /// `running` or `waiting`.
    pub state: String,
    /// 0–100.
    #[serde(default)]
    pub progress: u8,
    /// When it was requested.
    #[serde(default)]
    pub created_at: String,
    /// When an agent claimed it.
    #[serde(default)]
    pub started_at: Option<String>,
    /// Its batch, if it belongs to one.
    #[serde(default)]
    pub batch_id: Option<i64>,
    /// Its queue.
    #[serde(default)]
    pub queue: i64,
    /// Higher runs first.
    #[serde(default)]
    pub priority: i64,
    /// The agent running it.
    #[serde(default)]
    pub agent: Option<String>,
}

/// An agent seen through its heartbeats.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AgentSeen {
    /// Its name.
    pub agent: String,
    /// Its last heartbeat.
    #[serde(default)]
    pub last_seen: String,
    /// Tests it runs.
    #[serde(default)]
    pub running: u64,
}

/// One batch of `batch_list`, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct BatchSummary {
    /// The batch id.
    pub batch_id: i64,
    /// When it was created.
    #[serde(default)]
    pub created_at: String,
    /// The API user who created it.
    #[serde(default)]
    pub username: String,
    /// Its tests.
    #[serde(default)]
    pub total: u64,
    /// Tests not claimed yet.
    #[serde(default)]
    pub waiting: u64,
    /// Tests an agent runs.
    #[serde(default)]
    pub running: u64,
    /// Tests that ended.
    #[serde(default)]
    pub finished: u64,
}

impl BatchSummary {
    /// The finished share, 0.0–1.0 (1.0 for an empty batch).
    pub fn done_ratio(&self) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        (self.finished as f64 / self.total as f64).clamp(0.0, 1.0)
    }
}

/// One domain of a batch and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchDomain {
    /// The domain as the server stored it.
    pub domain: String,
    /// Its test.
    pub test_id: String,
    /// `waiting`, `running`, `completed`, `failed` or `cancelled`.
    pub state: String,
    /// The highest level of its results, once it completed.
    pub level: Option<Level>,
}
