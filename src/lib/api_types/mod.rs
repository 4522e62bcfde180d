//! The JSON-RPC API's shapes as Rust types (backend spec §4): the params a
//! client sends and the results the server answers, one file per group of
//! methods, as under `rpc/methods/`.
//!
//! `zm-rpcapi` builds its answers from these types and [`crate::client`]
//! reads them back, so the two sides cannot drift apart. Serde only: knows
//! nothing of HTTP, the store or DNS. The server turns a result into a
//! `serde_json::Value` before it is written, and a `Value`'s objects keep
//! their members sorted, so the wire order of members is alphabetical
//! whatever the field order here.
//!
//! Our additions to the reference's shapes are optional when read, so the
//! client reads the Perl backend's answers too.

mod batch;
mod lookup;
mod params;
mod queue;
mod results;
mod system;

pub use batch::{
    BatchCancelParams, BatchCancelled, BatchCreateParams, BatchStatus, BatchStatusParams,
};
pub use lookup::{DelegationData, DelegationParams, HostAddresses, HostParams};
pub use params::{DsInfo, NameServer, StartTestParams, StoredParams, TestOptions};
pub use queue::{
    AgentSeen, BatchListParams, BatchSummary, QueueStatus, QueueStatusParams, QueuedTest,
};
pub use results::{
    HistoryDomain, HistoryEntry, HistoryParams, ResultEntry, ResultsParams, TestCaseTally,
    TestIdParams, TestResults,
};
pub use system::{AddUserParams, VersionInfo};
