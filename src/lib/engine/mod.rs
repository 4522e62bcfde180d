//! The test engine: root hints, the recursor, the shared name-server
//! helpers (MethodsV2) and, in later issues, the test modules.
//!
//! Knows nothing of databases. Talks to the network only through
//! [`crate::dns::Client`], so every run can be recorded or replayed.

pub mod ask;
pub mod asn;
pub mod check;
pub mod context;
pub mod families;
pub mod hints;
pub mod level;
pub mod message;
pub mod methods;
pub mod module;
pub mod name;
pub mod ns;
pub mod profile;
pub mod recursor;
pub mod runner;
pub mod stop;
pub mod tags;
pub mod testcases;
#[cfg(test)]
pub mod testing;
pub mod tests;
pub mod undelegated;
pub mod undelegated_input;
pub mod zone;

pub use families::IpFamilies;
pub use hints::{HintServer, HintsError, RootHints};
pub use undelegated::{DsData, FakeDelegation, FakeNs};
