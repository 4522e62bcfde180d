//! The test modules, one folder each, one file per test case.

pub mod basic;
