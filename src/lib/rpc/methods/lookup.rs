//! `get_host_by_name` and `get_data_from_parent_zone` (backend spec §4.5,
//! §4.6): iterative look-ups from the root hints.

use serde_json::{Map, Value};

use super::text;
use crate::api_types::{DelegationData, HostAddresses};
use crate::engine::name::parse_domain;
use crate::lookup::{AddressLookup, LookupError, lookup_addresses, lookup_delegation};
use crate::rpc::api::Api;
use crate::rpc::validate::{Property, Schema};

/// `{hostname}`.
pub(super) fn host_schema() -> Schema {
    Schema::Object(vec![Property::required("hostname", Schema::Domain)])
}

/// `{domain, language?}`.
pub(super) fn delegation_schema() -> Schema {
    Schema::Object(vec![
        Property::required("domain", Schema::Domain),
        Property::optional("language", Schema::Language),
    ])
}

/// The addresses of `hostname`, keyed by the name as given; `0.0.0.0`
/// when there is none.
pub(super) async fn host_by_name(api: &Api, params: &Map<String, Value>) -> HostAddresses {
    let hostname = text(params, "hostname");
    let found = match parse_domain(hostname) {
        Ok(name) => lookup_addresses(&name, &api.lookup).await,
        // The schema normalised it already; a name hickory refuses has no
        // addresses.
        Err(_) => AddressLookup {
            addresses: Vec::new(),
        },
    };
    found.host_addresses(hostname)
}

/// The delegation of `domain` in its parent: both lists empty when it
/// cannot be determined.
pub(super) async fn delegation(api: &Api, params: &Map<String, Value>) -> DelegationData {
    let Ok(zone) = parse_domain(text(params, "domain")) else {
        return DelegationData::default();
    };
    match lookup_delegation(&zone, &api.lookup).await {
        Ok(data) => data,
        Err(LookupError::Undetermined { zone }) => {
            tracing::debug!(zone, "delegation undetermined; empty lists returned");
            DelegationData::default()
        }
    }
}
