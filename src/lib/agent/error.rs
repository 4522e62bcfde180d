//! What can stop the agent from starting.
//!
//! Once the loop runs, nothing stops it but the shutdown future: a failed
//! claim, heartbeat or write is logged and retried (spec §9.2: database
//! outages are survived), so these errors are all about set-up.

use std::path::PathBuf;

use crate::engine::HintsError;

/// Why the agent cannot start.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// The concurrency limit is zero, so the agent could never run a test.
    #[error(
        "the agent may run no test at once: number_of_processes_for_frontend_testing + \
         number_of_processes_for_batch_testing must be at least 1"
    )]
    NoCapacity,
    /// `[ZONEMASTER] root_hints` names a file that is not usable hints.
    #[error("cannot use the root hints in {}", .path.display())]
    RootHints {
        /// The configured file.
        path: PathBuf,
        /// Why it is unusable.
        #[source]
        source: HintsError,
    },
}
