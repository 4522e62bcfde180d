//! Iterative resolution from the root hints (engine spec §1.8).
//!
//! The engine never trusts a resolver: it walks down from the root itself,
//! one server at a time in a fixed order, so that the same world gives the
//! same verdict every run. What the walk saw on the way — the referrals
//! followed, the CNAME problems met — is part of the result, because test
//! cases and the `parent` look-up read it.
//!
//! Talks to the network only through [`crate::dns::Client`] (cached,
//! recordable); never sends to an IP family the profile disables. Knows
//! nothing of test cases: what it noticed comes back as [`SystemEvent`]s
//! for the engine to turn into messages.
//!
//! Fake delegations of undelegated tests (spec §1.7 "Fake answers") are
//! answered by the query layer ([`crate::dns::FakeReferral`] in the run's
//! client): a walk that reaches the parent's servers is referred to the
//! supplied ones.

mod ahead;
mod ask;
mod cname;
mod event;
mod iterative;
mod lookups;
mod resolution;
#[cfg(test)]
pub(crate) mod script;
mod servers;
mod walk;

pub use event::{CNAME_MAX_CHAIN_LENGTH, CNAME_MAX_RECORDS, SystemEvent};
pub use iterative::{DEPTH_LIMIT, MAX_REFERRALS, QUERY_BUDGET, Recursor};
pub use lookups::addresses_in;
pub use resolution::{CnameFailure, Ending, Failure, Referral, Reply, Resolution};
pub use servers::address_of;
