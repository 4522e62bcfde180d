//! The test agent: claims queued tests, runs them, writes their progress
//! and results, keeps its claims alive with heartbeats, reaps tests whose
//! agent died or ran out of time, and stops gracefully (backend spec §5.3
//! to §5.7, §9.2, §9.5).
//!
//! The agent wires the engine to the store and owns neither: it knows the
//! [`Store`](crate::store::Store) trait, not which database is behind it,
//! and it reaches the engine only through a [`TestRunner`], so tests can
//! put a fast, network-free runner in its place. It must not know HTTP,
//! the JSON-RPC API or how a daemon is started (signals, systemd, pid
//! files): the binary passes the shutdown in as a future.

mod daemon;
mod engine_runner;
mod error;
mod heartbeat;
mod job;
mod options;
mod progress;
mod runner;
mod shutdown;

pub use daemon::run;
pub use engine_runner::{EngineRunner, guarded_transport};
pub use error::AgentError;
pub use options::{AgentOptions, agent_id};
pub use progress::ProgressSink;
pub use runner::{RunError, RunReport, TestRunner};
