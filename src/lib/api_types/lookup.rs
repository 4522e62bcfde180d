//! `get_host_by_name` and `get_data_from_parent_zone` (spec §4.5, §4.6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{DsInfo, NameServer};

/// The params of `get_host_by_name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostParams {
    /// The host name.
    pub hostname: String,
}

/// The result of `get_host_by_name`: one-member objects mapping the host
/// name as given to an address; `0.0.0.0` alone when there is none.
pub type HostAddresses = Vec<BTreeMap<String, String>>;

/// The params of `get_data_from_parent_zone`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationParams {
    /// The zone.
    pub domain: String,
    /// Language of error messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The result of `get_data_from_parent_zone`: the delegation of a zone as
/// its parent publishes it; both lists empty when it cannot be determined.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationData {
    /// One entry per (name server, address) pair; an NS without an
    /// address has no `ip`.
    pub ns_list: Vec<NameServer>,
    /// The DS records the parent publishes, digests in lower-case hex.
    pub ds_list: Vec<DsInfo>,
}
