//! Module Basic (engine spec §3.1): does the zone exist, and does at least
//! one of its name servers answer for it? When not, testing stops.

pub mod basic01;
pub mod basic02;
pub mod basic03;
#[cfg(test)]
mod unit_tests;
