//! Module Zone (engine spec §3.9): what the zone's own data says: the SOA
//! MNAME and timers, the mail exchanges, the number of SOA records, the
//! SPF policy.
//!
//! The rules are pure functions with their own tests: SOA timers in
//! [`timers`], RFC 1982 serial arithmetic in [`serial`], MX sets in
//! [`mx`], the RFC 7208 record syntax in [`spf`]. The questions several
//! test cases share are in [`shared`].

pub mod mx;
pub mod serial;
pub mod shared;
pub mod spf;
pub mod timers;
#[cfg(test)]
mod unit_tests;
pub mod zone01;
pub mod zone02;
pub mod zone03;
pub mod zone04;
pub mod zone05;
pub mod zone06;
pub mod zone07;
pub mod zone08;
pub mod zone09;
pub mod zone10;
pub mod zone11;
