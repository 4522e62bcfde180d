//! `add_api_user` / `user_create` (backend spec §4.12, §6.5): an
//! administrative method, callable only from `RPCAPI.allow_add_api_user_from`
//! (loopback by default), directly or through a trusted proxy.

use serde_json::{Map, Value};

use super::text;
use crate::rpc::api::{Api, Caller};
use crate::rpc::error::RpcError;
use crate::rpc::types::{API_KEY, USERNAME};
use crate::rpc::validate::{Property, Schema};
use crate::store::{self, StoreError};

/// `{username, api_key}`.
pub(super) fn schema() -> Schema {
    Schema::Object(vec![
        Property::required("username", Schema::String(Some(USERNAME))),
        Property::required("api_key", Schema::String(Some(API_KEY))),
    ])
}

/// Adds a user with the hash of the key; refused from remote addresses
/// and for a name already taken.
pub(super) async fn add(
    api: &Api,
    params: &Map<String, Value>,
    caller: &Caller,
) -> Result<(), RpcError> {
    if caller.is_forwarded_by_untrusted_peer {
        tracing::warn!(
            peer = caller.remote_ip,
            "add_api_user refused: the peer sent X-Forwarded-For but is not in \
             RPCAPI.trusted_proxies; list the proxy there if it is one"
        );
    }
    if !caller.may_administer(&api.config.rpcapi.allow_add_api_user_from) {
        return Err(RpcError::RemoteNotPermitted {
            remote_ip: caller.remote_ip.clone(),
        });
    }
    let username = text(params, "username");
    let hash = store::Api::hash_key(text(params, "api_key"));
    match api.store.add_user(username, &hash).await {
        Ok(()) => {
            tracing::info!(username, "API user added");
            Ok(())
        }
        Err(StoreError::Duplicate { .. }) => Err(RpcError::UserExists {
            username: username.to_owned(),
        }),
        Err(other) => Err(other.into()),
    }
}
