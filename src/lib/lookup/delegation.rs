//! The delegation of a zone as its parent publishes it.

use hickory_proto::rr::Name;

use super::{LookupError, LookupSetup};
use crate::api_types::{DelegationData, DsInfo, NameServer};
use crate::engine::methods::MethodsV2;
use crate::engine::name::display;

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
        .map(|ns| NameServer {
            ns: display(&ns.name),
            ip: ns.address.map(|address| address.to_string()),
        })
        .collect();
    let ds_list = methods
        .parent_ds()
        .await
        .unwrap_or_default()
        .iter()
        .map(|ds| DsInfo {
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
