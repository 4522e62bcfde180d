//! Module Nameserver (engine spec §3.7): how each of the zone's name
//! servers behaves as a server, whatever the zone holds: recursion,
//! EDNS (versions, unknown flags and options, truncation), zone
//! transfers, the source address of replies, AAAA queries, upward
//! referrals, the case of the query name and revealed versions.
//!
//! Every test case asks the Method4and5 servers ([`shared::servers`]),
//! each `name/ip` once. The probes are ordinary [`Query`] values (EDNS
//! fields, class, `keeps_truncated`, `accepts_other_source`), so a probe
//! two test cases share is sent once and different probes never share
//! a cached reply.
//!
//! [`Query`]: crate::dns::Query

pub mod nameserver01;
pub mod nameserver02;
pub mod nameserver03;
pub mod nameserver04;
pub mod nameserver05;
pub mod nameserver06;
pub mod nameserver07;
pub mod nameserver08;
pub mod nameserver09;
pub mod nameserver10;
pub mod nameserver11;
pub mod nameserver12;
pub mod nameserver13;
pub mod nameserver15;
pub mod shared;
#[cfg(test)]
mod unit_tests;
