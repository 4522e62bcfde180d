//! Module Delegation (engine spec §3.5): is the zone delegated to enough
//! distinct, authoritative name servers, do parent and child agree on
//! their names, and does a referral to the zone fit in 512 octets? What
//! several test cases share is in [`shared`].

pub mod delegation01;
pub mod delegation02;
pub mod delegation03;
pub mod delegation04;
pub mod delegation05;
pub mod delegation06;
pub mod delegation07;
pub mod shared;
#[cfg(test)]
mod unit_tests;
