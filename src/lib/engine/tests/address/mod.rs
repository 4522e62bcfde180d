//! Module Address (engine spec §3.2): are the name servers' addresses
//! globally reachable, and does their reverse DNS exist and point back to
//! the servers' names? The special-purpose registries are a table of ours
//! in [`registry`]; the reverse look-ups the test cases share are in
//! [`shared`]. Address asks only the recursor, never a server directly.

pub mod address01;
pub mod address02;
pub mod address03;
pub mod registry;
pub mod shared;
#[cfg(test)]
mod unit_tests;
