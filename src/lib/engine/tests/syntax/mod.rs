//! Module Syntax (engine spec §3.8): is the zone's name, and are the names
//! of its name servers, its SOA MNAME and RNAME and its mail exchanges,
//! well formed? The name rules are pure functions in [`rules`]; the few
//! questions the test cases share are in [`shared`].

pub mod rules;
pub mod shared;
pub mod syntax01;
pub mod syntax02;
pub mod syntax03;
#[cfg(test)]
mod unit_tests;
