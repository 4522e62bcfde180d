//! The shared name-server helpers, version 2 (engine spec §1.10).
//!
//! Several test cases need the same three lists for a child zone: the
//! parent zone's servers, the delegation as the parent publishes it, and
//! the NS set the zone publishes itself — each with addresses. They are
//! computed here once per zone and run, from what the servers answer, with
//! the reference engine's rules (including the quirks that decide its
//! verdicts, marked as such). A list is `None` when the parent cannot be
//! determined; callers treat that as empty.
//!
//! The walk from the root that finds the parent also serves BASIC01: its
//! [`ChildSurvey`] classifies what every parent-side server says about the
//! child, leaving the verdict and its messages to the test case.
//!
//! Built on the [`crate::engine::recursor::Recursor`] and direct queries
//! through its client; knows nothing of messages.

mod child_survey;
mod delegation;
mod methods_v2;
mod ns_address;
mod oob;
mod parent_ds;
mod parent_walk;
mod query;
mod walk_order;
mod walk_queue;
mod zone_ns;
mod zone_walk;

pub use child_survey::{ChildClass, ChildSurvey, NameServers, ParentReply, SURVEY_RRTYPES};
pub use methods_v2::MethodsV2;
pub use ns_address::{NsAddress, NsAddressError, sorted_unique};
pub use zone_walk::{AskedQuery, ServerVisit, ZoneFault};
