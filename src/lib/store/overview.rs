//! The values of the queue overview and the batch listing (our
//! `queue_status` and `batch_list`), and how the overview's throughput is
//! counted per minute.

use super::types::{TestState, Timestamp};

/// How long an agent counts as seen after its last heartbeat.
pub const AGENT_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// How many minutes the throughput covers, one count each.
pub const THROUGHPUT_MINUTES: usize = 60;

/// A waiting or running test, as the overview lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuedTest {
    /// The test id.
    pub hash_id: String,
    /// Normalised domain.
    pub domain: String,
    /// `Waiting` or `Running`.
    pub state: TestState,
    /// 0–99.
    pub progress: u8,
    /// Creation time.
    pub created_at: Timestamp,
    /// Claim time, `None` while waiting.
    pub started_at: Option<Timestamp>,
    /// The batch it belongs to.
    pub batch_id: Option<i64>,
    /// The queue an agent serves.
    pub queue: i64,
    /// Higher runs first.
    pub priority: i64,
    /// The agent running it.
    pub agent: Option<String>,
}

/// An agent that sent a heartbeat within [`AGENT_WINDOW`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentSeen {
    /// Its name (`zm-agent@host:pid-…`).
    pub name: String,
    /// Its last heartbeat.
    pub last_seen: Timestamp,
    /// Tests it runs now.
    pub running: u64,
}

/// What waits and runs now, who runs it, and how fast tests end.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueOverview {
    /// Tests not claimed yet.
    pub waiting: u64,
    /// Tests an agent runs.
    pub running: u64,
    /// Creation time of the oldest waiting test.
    pub oldest_waiting: Option<Timestamp>,
    /// Running tests (oldest start first), then waiting ones in claim
    /// order, at most the limit asked for.
    pub tests: Vec<QueuedTest>,
    /// Agents seen recently, newest heartbeat first.
    pub agents: Vec<AgentSeen>,
    /// Tests that ended in each of the last [`THROUGHPUT_MINUTES`]
    /// minutes, oldest minute first.
    pub finished_per_minute: Vec<u64>,
}

/// One batch with its tests counted by progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchSummary {
    /// The batch id.
    pub batch_id: i64,
    /// Creation time.
    pub created_at: Timestamp,
    /// The API user that created it.
    pub username: String,
    /// Tests not claimed yet (progress 0).
    pub waiting: u64,
    /// Tests an agent runs (progress 1–99).
    pub running: u64,
    /// Tests that ended (progress 100).
    pub finished: u64,
}

impl BatchSummary {
    /// Every test of the batch.
    pub fn total(&self) -> u64 {
        self.waiting + self.running + self.finished
    }
}

/// Where the throughput window starts: tests that ended after this count.
pub(crate) fn throughput_since(now: Timestamp) -> Timestamp {
    let minutes = i64::try_from(THROUGHPUT_MINUTES).unwrap_or(i64::MAX);
    now - chrono::TimeDelta::minutes(minutes)
}

/// Counts `ended` (end times with how many tests ended then) per minute
/// before `now`, oldest minute first. A time in the future (another
/// host's clock) counts in the newest minute; one before the window not
/// at all.
pub(crate) fn per_minute(ended: &[(Timestamp, u64)], now: Timestamp) -> Vec<u64> {
    let mut counts = vec![0; THROUGHPUT_MINUTES];
    for (time, count) in ended {
        let minutes_ago = (now - *time).num_seconds().max(0) / 60;
        let Ok(minutes_ago) = usize::try_from(minutes_ago) else {
            continue;
        };
        if let Some(index) = (THROUGHPUT_MINUTES - 1).checked_sub(minutes_ago)
            && let Some(slot) = counts.get_mut(index)
        {
            *slot += count;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn counts_land_in_their_minute() {
        let now = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 30).unwrap();
        let ago = |seconds| now - chrono::TimeDelta::seconds(seconds);
        let counts = per_minute(
            &[
                (ago(0), 2),
                (ago(59), 1),
                (ago(60), 4),
                (ago(3599), 5),
                (ago(3600), 100),
                (now + chrono::TimeDelta::seconds(5), 7),
            ],
            now,
        );
        assert_eq!(counts.len(), 60);
        assert_eq!(counts[59], 10);
        assert_eq!(counts[58], 4);
        assert_eq!(counts[0], 5);
        assert_eq!(counts.iter().sum::<u64>(), 19);
    }
}
