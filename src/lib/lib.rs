//! zonemaster-rs: DNS zone health checks.
//!
//! The library holds everything the binaries share. Module boundaries follow
//! `ARCHITECTURE.md`: `dns` knows nothing of tests; `engine` knows nothing of
//! databases.

pub mod agent;
pub mod config;
pub mod dns;
pub mod engine;
pub mod i18n;
pub mod logging;
pub mod lookup;
pub mod metrics;
pub mod rpc;
pub mod store;
