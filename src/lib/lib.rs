//! zonemaster-rs: DNS zone health checks.
//!
//! The library holds everything the binaries share. Module boundaries follow
//! `ARCHITECTURE.md`: `dns` knows nothing of tests; `engine` knows nothing of
//! databases.

pub mod agent;
pub mod api_types;
pub mod client;
pub mod config;
pub mod dns;
pub mod dnssec;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod job;
pub mod logging;
pub mod lookup;
pub mod metrics;
pub mod pidfile;
pub mod report;
pub mod rpc;
pub mod serve;
pub mod store;
pub mod telemetry;
// ARCHITECTURE.md gives the dashboard its own top folder, `src/tui/`,
// beside `src/lib/`; it is part of the library so tests reach it.
#[path = "../tui/mod.rs"]
pub mod tui;

/// An error and its causes on one line: `error: cause: cause`, as the
/// daemons log it and `zmctl` prints it.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
