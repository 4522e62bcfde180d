//! Integration tests: one binary, real servers in private network namespaces.

#![allow(
    clippy::unwrap_used,
    reason = "in tests a failed unwrap is a failed test, with its message"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "the tests drive whole runs from outside, where no critical path is kept"
)]

mod abuse;
mod agent;
mod bad_input;
mod basic01_survey;
mod check;
mod config;
mod conformance;
mod connectivity;
mod critical_path;
mod daemons;
mod dbs;
mod dns;
mod dnssec07;
mod dnssec_cds;
mod dnssec_ds;
mod dnssec_nsec;
mod dnssec_sigs;
mod dnssec_time;
mod dnssec_world;
mod e2e;
mod faults_db;
mod faults_dns;
mod faults_sqlite;
mod findings;
mod fixtures;
mod hostile_ns;
mod lookup;
mod lost_claim;
mod methodsv2;
mod netns;
mod not_set_up;
mod plan_check;
mod private_db;
mod properties;
mod recorded;
mod recorded_expectations;
mod recursor;
mod restore;
mod rpc;
#[path = "../../benches/load/seed.rs"]
#[allow(
    dead_code,
    reason = "the load benchmark's loader; the tests use part of it"
)]
mod seed;
mod signed_world;
mod store;
mod store_load;
mod store_overview;
mod telemetry;
mod testns;
mod translations;
mod units;
mod zmctl_backend;
mod zmctl_exports;
mod zmctl_local;
mod zmctl_tui;
