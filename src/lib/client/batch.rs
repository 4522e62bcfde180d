//! What became of each domain of a batch: its test, the test's state and
//! its worst level. `zmctl batch results|wait` and the TUI's batch view
//! read the same list.

use futures::{StreamExt, TryStreamExt};
use serde::Serialize;

use super::{Client, ClientError};
use crate::api_types::BatchStatusParams;
use crate::engine::level::Level;

/// Results fetched at once; the server answers them side by side.
const CONCURRENT_FETCHES: usize = 8;

/// One domain of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DomainOutcome {
    /// The domain as the server stored it.
    pub domain: String,
    /// The highest level among its results; none while it has none
    /// (before it ends, and for a cancelled test).
    pub level: Option<Level>,
    /// `waiting`, `running`, `completed`, `failed` or `cancelled` (a
    /// server without states: `waiting`, `running` or `finished`).
    pub state: String,
    /// Its test.
    pub test_id: String,
}

impl Client {
    /// Every domain of batch `batch_id` with its test's state and worst
    /// level, sorted by domain, then test id: `batch_status` for the ids,
    /// then each test's results, a few at once.
    pub async fn batch_outcomes(&self, batch_id: i64) -> Result<Vec<DomainOutcome>, ClientError> {
        let params = BatchStatusParams {
            batch_id,
            list_waiting_tests: true,
            list_running_tests: true,
            list_finished_tests: true,
        };
        let status = self.batch_status(&params).await?;
        // Collected first: a lazy map here makes the future not `Send`
        // for every lifetime, which `tokio::spawn` needs.
        let fetches: Vec<_> = [
            ("waiting", status.waiting_tests),
            ("running", status.running_tests),
            ("finished", status.finished_tests),
        ]
        .into_iter()
        .flat_map(|(state, ids)| ids.into_iter().map(move |id| (state, id)))
        .map(|(listed, id)| self.outcome(listed, id))
        .collect();
        let mut outcomes: Vec<DomainOutcome> = futures::stream::iter(fetches)
            .buffer_unordered(CONCURRENT_FETCHES)
            .try_collect()
            .await?;
        outcomes.sort_by(|a, b| {
            a.domain
                .cmp(&b.domain)
                .then_with(|| a.test_id.cmp(&b.test_id))
        });
        Ok(outcomes)
    }

    /// The outcome of one test, listed by `batch_status` as `listed`.
    async fn outcome(&self, listed: &str, test_id: String) -> Result<DomainOutcome, ClientError> {
        let results = self.test_results(&test_id, "en").await?;
        Ok(DomainOutcome {
            domain: results.params.domain.clone(),
            level: results.worst_level(),
            state: results.state.clone().unwrap_or_else(|| listed.to_owned()),
            test_id,
        })
    }
}
