//! The delegation of a zone as its parent publishes it.

use hickory_proto::rr::Name;
use serde::Serialize;

use super::{LookupError, LookupSetup};
use crate::engine::DsData;
use crate::engine::methods::MethodsV2;
use crate::engine::name::display;

/// One (name server, address) pair; `ip` absent when none was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NsEntry {
    /// Lower-case name without the final dot.
    pub ns: String,
    /// Canonical address text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

/// The result shape of `get_data_from_parent_zone`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DelegationData {
    /// Name servers of the delegation with their addresses.
    pub ns_list: Vec<NsEntry>,
    /// DS records the parent publishes.
    pub ds_list: Vec<DsData>,
}

/// Finds the NS names/addresses and DS records the parent has for `zone`.
pub async fn lookup_delegation(
    zone: &Name,
    setup: &LookupSetup,
) -> Result<DelegationData, LookupError> {
    let methods = MethodsV2::new(setup.recursor(), zone.clone(), None);
    let undetermined = || LookupError::Undetermined {
        zone: display(zone),
    };
    let delegation = methods.del_ns().await.ok_or_else(undetermined)?;
    if delegation.is_empty() && !zone.is_root() {
        return Err(undetermined());
    }
    let ns_list = delegation
        .iter()
        .map(|ns| NsEntry {
            ns: display(&ns.name),
            ip: ns.address.map(|address| address.to_string()),
        })
        .collect();
    let ds_list = methods
        .parent_ds()
        .await
        .unwrap_or_default()
        .iter()
        .map(|ds| DsData {
            keytag: u64::from(ds.key_tag()),
            algorithm: u64::from(u8::from(ds.algorithm())),
            digtype: u64::from(u8::from(ds.digest_type())),
            digest: ds
                .digest()
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect(),
        })
        .collect();
    Ok(DelegationData { ns_list, ds_list })
}
