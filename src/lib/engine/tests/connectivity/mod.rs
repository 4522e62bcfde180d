//! Module Connectivity (engine spec §3.3): do the zone's name servers
//! answer over UDP (CONNECTIVITY01) and TCP (02), and are they spread
//! over several autonomous systems (03) and IP prefixes (04)? The
//! transport checks 01 and 02 share are in [`transport`]; the AS-number
//! look-ups of 03 and 04 are the run's ([`crate::engine::asn`]), reported
//! through [`shared`].

pub mod connectivity01;
pub mod connectivity02;
pub mod connectivity03;
pub mod connectivity04;
pub mod shared;
pub mod transport;
#[cfg(test)]
mod unit_tests;
