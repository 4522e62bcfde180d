//! Batches: `add_batch_job`, `batch_status` (spec §4.13, §4.14) and our
//! `batch_cancel`.

use serde::{Deserialize, Serialize};

use super::params::TestOptions;

/// The params of `add_batch_job`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchCreateParams {
    /// An API user.
    pub username: String,
    /// Its key.
    pub api_key: String,
    /// One test per domain, duplicates included.
    pub domains: Vec<String>,
    /// Params shared by every test (priority defaults to 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_params: Option<TestOptions>,
}

/// The params of `batch_status`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchStatusParams {
    /// The batch.
    pub batch_id: i64,
    /// List the ids of waiting tests.
    #[serde(default, skip_serializing_if = "is_false")]
    pub list_waiting_tests: bool,
    /// List the ids of running tests.
    #[serde(default, skip_serializing_if = "is_false")]
    pub list_running_tests: bool,
    /// List the ids of finished tests.
    #[serde(default, skip_serializing_if = "is_false")]
    pub list_finished_tests: bool,
}

/// The result of `batch_status`: counts by progress (0, 1–99, 100), and
/// the ids of the states asked for that have any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchStatus {
    /// Tests not claimed yet.
    pub waiting_count: u64,
    /// Tests an agent runs.
    pub running_count: u64,
    /// Tests that ended (completed, failed or cancelled).
    pub finished_count: u64,
    /// Waiting test ids, when asked for and any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting_tests: Vec<String>,
    /// Running test ids, when asked for and any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub running_tests: Vec<String>,
    /// Finished test ids, when asked for and any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub finished_tests: Vec<String>,
}

impl BatchStatus {
    /// Every test of the batch.
    pub fn total(&self) -> u64 {
        self.waiting_count + self.running_count + self.finished_count
    }
}

/// The params of `batch_cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCancelParams {
    /// The batch.
    pub batch_id: i64,
    /// An API user.
    pub username: String,
    /// Its key.
    pub api_key: String,
}

/// The result of `batch_cancel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCancelled {
    /// Waiting tests withdrawn.
    pub cancelled: u64,
}

fn is_false(flag: &bool) -> bool {
    !flag
}
