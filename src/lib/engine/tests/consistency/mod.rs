//! Module Consistency (engine spec §3.4): do all the zone's name servers
//! serve the same SOA (serial, RNAME, timers, MNAME) and NS set, and does
//! the parent's glue agree with the zone's own address records? The
//! questions CONSISTENCY01–04 and 06 share are in [`shared`].

pub mod consistency01;
pub mod consistency02;
pub mod consistency03;
pub mod consistency04;
pub mod consistency05;
pub mod consistency06;
pub mod shared;
#[cfg(test)]
mod unit_tests;
