//! Module DNSSEC (engine spec §3.6): is the zone signed, consistently and
//! validly, from the DS in the parent through the DNSKEY set to the SOA,
//! the NSEC/NSEC3 chain and the CDS/CDNSKEY records?
//!
//! DNSSEC07 and DNSSEC11 run first; `DS07_NOT_SIGNED` stops the module
//! (the runner's skip rule). What the test cases share — the DNSSEC
//! query, the server sets, keys and signatures, the clock signatures are
//! judged by — is in [`shared`]; the IANA tables are in [`algorithms`];
//! the cryptography is `crate::dnssec`'s.

pub mod algorithms;
pub mod cds_shared;
pub mod dnssec01;
pub mod dnssec02;
pub mod dnssec03;
pub mod dnssec04;
pub mod dnssec05;
pub mod dnssec06;
pub mod dnssec07;
pub mod dnssec08;
pub mod dnssec09;
pub mod dnssec10;
pub mod dnssec11;
pub mod dnssec13;
pub mod dnssec14;
pub mod dnssec15;
pub mod dnssec16;
pub mod dnssec17;
pub mod dnssec18;
pub mod shared;
#[cfg(test)]
mod unit_tests_cds;
#[cfg(test)]
mod unit_tests_ds;
#[cfg(test)]
mod unit_tests_nsec;
#[cfg(test)]
mod unit_tests_sigs;
