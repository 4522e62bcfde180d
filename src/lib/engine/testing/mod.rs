//! A scripted in-process DNS world for unit tests of test cases.
//!
//! Each test case gets fast good-zone and bad-zone tests beside the
//! `zm-testns` fixtures: no sockets, no network namespace, no root, no
//! waiting. A [`World`] holds authoritative servers by address, each
//! serving zones written as zone-file lines and misbehaving on request
//! ([`Behaviour`]); it is a [`crate::dns::Transport`], and its replies go
//! through our wire decoder, so the engine sees what a live run would.
//! [`run_test_case`] runs one test case in it through the public engine
//! entry and returns the [`Emitted`] tags and arguments.
//!
//! ```ignore
//! let world = World::with_delegation("example.com.", &[("ns1.example.com.", "192.0.2.1")])
//!     .behave("192.0.2.1", Behaviour::NotAuthoritative);
//! let emitted = run_test_case(&world, "example.com.", "basic02");
//! assert_eq!(emitted.arg("B02_NS_NOT_AUTH", "ns"), ["ns1.example.com/192.0.2.1"]);
//! ```
//!
//! Test-only (`#[cfg(test)]`); integration tests would need a cargo
//! feature to reach it.

mod answer;
mod denial;
mod denial_tests;
mod run;
mod transport;
mod world;
mod zone_text;

pub use run::{Emission, Emitted, TestRun, run_module, run_test_case, test_cases_run};
pub use world::{Asked, Behaviour, EdnsFault, EdnsProbe, WhoisReply, World};
pub use zone_text::{DEFAULT_TTL, ZoneTextError, parse_record, parse_records};
