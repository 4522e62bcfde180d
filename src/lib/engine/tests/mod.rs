//! The test modules, one folder each, one file per test case; `prelude`
//! brings what a test case needs.

pub mod address;
pub mod basic;
pub mod connectivity;
pub mod consistency;
pub mod delegation;
pub mod dnssec;
pub mod nameserver;
pub mod prelude;
pub mod shared;
pub mod syntax;
pub mod zone;
