//! Prometheus metrics and a health check, on a listener of their own
//! (`--metrics-listen ADDR:PORT` of `zm-rpcapi`, `zm-agent` and
//! `zmctl serve`).
//!
//! This sits beside the StatsD sink of [`crate::metrics`] (spec §9.5),
//! which it does not replace or change: StatsD is pushed when the
//! configuration names a server, this is pulled when an operator asks for
//! a listener. Counters and histograms are kept in memory by
//! [`Telemetry`]; the queue's waiting and running counts are read from the
//! store at each scrape, so every API and agent process reports the same
//! queue whichever one Prometheus asks.
//!
//! Knows the store only through the [`Store`](crate::store::Store) trait;
//! knows nothing of DNS or of JSON-RPC beyond method names and codes.

mod endpoint;
mod recorder;

pub use endpoint::{Endpoint, EndpointError, HEALTH_TIMEOUT, bind};
pub use recorder::{Telemetry, TestEnding};
