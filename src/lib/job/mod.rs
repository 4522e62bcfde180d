//! A test as a job: its parameters checked, normalised, stored and read
//! back into what the engine runs.
//!
//! The API and the agent both go through [`TestParams`], so a test the API
//! accepts is one the agent can run: [`TestParams::engine_input`] is the
//! one check of the parts the engine needs (the zone, the supplied name
//! servers and DS records), and the API calls it before storing a test.
//! Knows the engine's input types and the profile set; knows nothing of
//! JSON-RPC envelopes, HTTP or SQL.

mod address;
mod params;

pub use address::parse_ip;
pub use params::{DsInfo, EngineInput, NameServer, ParamsError, TestParams, canonical_json};
