//! Our `queue_status` and `batch_list`: what waits and runs, who runs it,
//! and every batch with its counts (for dashboards such as `zmctl tui`;
//! the reference has neither).

use serde::{Deserialize, Serialize};

/// The params of `queue_status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueStatusParams {
    /// How many tests to list (1–1000, default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// The result of `queue_status`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueStatus {
    /// Tests not claimed yet.
    pub waiting: u64,
    /// Tests an agent runs.
    pub running: u64,
    /// Age of the oldest waiting test, `None` when nothing waits.
    pub oldest_waiting_seconds: Option<f64>,
    /// Running tests (oldest start first), then waiting ones in the order
    /// agents claim them, at most `limit`.
    pub tests: Vec<QueuedTest>,
    /// Agents whose last heartbeat is at most 10 minutes old, newest
    /// first, idle ones included.
    pub agents: Vec<AgentSeen>,
    /// Tests that ended in each of the last 60 minutes, oldest first.
    pub finished_per_minute: Vec<u64>,
}

/// A waiting or running test in [`QueueStatus`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedTest {
    /// The test id.
    pub id: String,
    /// The domain tested.
    pub domain: String,
    /// `waiting` or `running`.
    pub state: String,
    /// 0–99.
    pub progress: u8,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
    /// When an agent claimed it.
    pub started_at: Option<String>,
    /// Its batch.
    pub batch_id: Option<i64>,
    /// The queue it waits in.
    pub queue: i64,
    /// Higher runs first.
    pub priority: i64,
    /// The agent running it.
    pub agent: Option<String>,
}

/// An agent in [`QueueStatus`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSeen {
    /// Its name (`zm-agent@host:pid-…`).
    pub agent: String,
    /// Its last heartbeat, `YYYY-MM-DDTHH:MM:SSZ`.
    pub last_seen: String,
    /// Tests it runs now.
    pub running: u64,
}

/// The params of `batch_list`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchListParams {
    /// How many batches (1–1000, default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// How many of the newest to skip (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// One batch in the result of `batch_list` (newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// The batch id.
    pub batch_id: i64,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
    /// The API user that created it.
    pub username: String,
    /// All its tests.
    pub total: u64,
    /// Tests not claimed yet.
    pub waiting: u64,
    /// Tests an agent runs.
    pub running: u64,
    /// Tests that ended (completed, failed or cancelled).
    pub finished: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_status_reads_its_documented_shape() {
        let status: QueueStatus = serde_json::from_value(json!({
            "waiting": 120, "running": 1, "oldest_waiting_seconds": 12.5,
            "tests": [{"id": "0123456789abcdef", "domain": "example.se", "state": "running",
                       "progress": 40, "created_at": "2026-01-01T00:00:00Z",
                       "started_at": null, "batch_id": null, "queue": 0, "priority": 5,
                       "agent": null}],
            "agents": [{"agent": "zm-agent@h:1-a", "last_seen": "2026-01-01T00:00:00Z",
                        "running": 3}],
            "finished_per_minute": [0, 3, 5]
        }))
        .unwrap();
        assert_eq!(status.tests[0].progress, 40);
        assert_eq!(status.agents[0].running, 3);
        let idle: QueueStatus = serde_json::from_value(json!({
            "waiting": 0, "running": 0, "oldest_waiting_seconds": null, "tests": [],
            "agents": [], "finished_per_minute": []
        }))
        .unwrap();
        assert_eq!(idle.oldest_waiting_seconds, None);
        assert_eq!(
            serde_json::to_value(BatchListParams::default()).unwrap(),
            json!({})
        );
    }
}
