//! The work done for one claimed test, behind a trait so that tests can
//! replace the engine with something fast and network-free.

use async_trait::async_trait;

use super::progress::ProgressSink;
use crate::job::ParamsError;
use crate::store::{ClaimedTest, ResultEntry, TestCaseTally};

/// Runs one claimed test and returns the entries to store.
///
/// The agent runs each call in its own task: a panic becomes `TEST_DIED`
/// and the task is aborted when the test runs out of time or the agent
/// stops, so an implementation needs no time limit of its own.
#[async_trait]
pub trait TestRunner: Send + Sync {
    /// Runs `test`, reporting finished steps to `progress`.
    async fn run(&self, test: &ClaimedTest, progress: ProgressSink) -> Result<RunReport, RunError>;
}

/// What a run produced: the entries to store and how many test cases it
/// covered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunReport {
    /// Result entries, in order.
    pub entries: Vec<ResultEntry>,
    /// Test cases run of those the profile enabled, when known.
    pub testcases: Option<TestCaseTally>,
}

impl From<Vec<ResultEntry>> for RunReport {
    fn from(entries: Vec<ResultEntry>) -> Self {
        Self {
            entries,
            testcases: None,
        }
    }
}

/// Why a claimed test could not be run; the test dies with this reason
/// (spec §5.4: an unknown profile at run time).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The stored params cannot be turned into an engine request.
    #[error("unusable test params")]
    Params(#[from] ParamsError),
    /// The run says nothing about the zone (no name server answered):
    /// the test fails instead of storing a verdict (issue 8, point 1).
    #[error("{0}")]
    NoVerdict(String),
}
