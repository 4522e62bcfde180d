//! Module Syntax (engine spec §3.8): is the zone's name, and are the names
//! of its name servers, its SOA MNAME and RNAME and its mail exchanges,
//! well formed? The name rules are pure functions in [`rules`]; the few
//! questions the test cases share are in [`shared`].

pub mod rules;
pub mod shared;
pub mod syntax01;
pub mod syntax02;
pub mod syntax03;
pub mod syntax04;
pub mod syntax05;
pub mod syntax06;
pub mod syntax07;
pub mod syntax08;
#[cfg(test)]
mod unit_tests;
