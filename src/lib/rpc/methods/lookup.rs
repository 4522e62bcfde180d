//! `get_host_by_name` and `get_data_from_parent_zone` (backend spec §4.5,
//! §4.6): iterative look-ups from the root hints.

use serde_json::{Map, Value, json};

use super::text;
use crate::engine::name::parse_domain;
use crate::lookup::{LookupError, lookup_addresses, lookup_delegation};
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
pub(super) async fn host_by_name(api: &Api, params: &Map<String, Value>) -> Value {
    let hostname = text(params, "hostname");
    let addresses = match parse_domain(hostname) {
        Ok(name) => lookup_addresses(&name, &api.lookup).await.addresses,
        // The schema normalised it already; a name hickory refuses has no
        // addresses.
        Err(_) => Vec::new(),
    };
    if addresses.is_empty() {
        return json!([{ hostname: "0.0.0.0" }]);
    }
    let pairs: Vec<Value> = addresses
        .iter()
        .map(|address| json!({ hostname: address.to_string() }))
        .collect();
    Value::Array(pairs)
}

/// The delegation of `domain` in its parent: both lists empty when it
/// cannot be determined.
pub(super) async fn delegation(api: &Api, params: &Map<String, Value>) -> Value {
    let empty = || json!({"ns_list": [], "ds_list": []});
    let Ok(zone) = parse_domain(text(params, "domain")) else {
        return empty();
    };
    match lookup_delegation(&zone, &api.lookup).await {
        Ok(data) => serde_json::to_value(&data).unwrap_or_else(|_| empty()),
        Err(LookupError::Undetermined { zone }) => {
            tracing::debug!(zone, "delegation undetermined; empty lists returned");
            empty()
        }
    }
}
