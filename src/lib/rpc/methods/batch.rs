//! Batches: `add_batch_job` / `batch_create`, `batch_status` and our
//! `batch_cancel` (backend spec §4.13, §4.14, §5.6).

use serde_json::{Map, Value};

use super::jobs::{new_test, test_param_properties};
use super::{flag, integer, text};
use crate::api_types::{BatchCancelled, BatchStatus};
use crate::job::TestParams;
use crate::rpc::api::{Api, ApiOptions};
use crate::rpc::error::RpcError;
use crate::rpc::types::{API_KEY, USERNAME};
use crate::rpc::validate::{Property, Schema};
use crate::store::ApiKeyCheck;

/// Priority of batch tests (spec §4.13).
const BATCH_PRIORITY: i64 = 5;

/// The two credentials.
fn credentials() -> [Property; 2] {
    [
        Property::required("username", Schema::String(Some(USERNAME))),
        Property::required("api_key", Schema::String(Some(API_KEY))),
    ]
}

/// A batch id: an integer from 1.
fn batch_id() -> Property {
    Property::required("batch_id", Schema::Integer(Some(1)))
}

/// `{username, api_key, domains, <params_name>?}`, at most
/// `max_batch_domains` domains.
pub(super) fn create_schema(params_name: &'static str, options: &ApiOptions) -> Schema {
    let mut properties = Vec::from(credentials());
    properties.push(Property::required(
        "domains",
        Schema::Array {
            items: Box::new(Schema::Domain),
            min_items: 1,
            max_items: Some(options.max_batch_domains),
        },
    ));
    properties.push(Property::optional(
        params_name,
        Schema::Object(test_param_properties(options)),
    ));
    Schema::Object(properties)
}

/// `{batch_id, list_*_tests?}`.
pub(super) fn status_schema() -> Schema {
    Schema::Object(vec![
        batch_id(),
        Property::optional("list_waiting_tests", Schema::Boolean),
        Property::optional("list_running_tests", Schema::Boolean),
        Property::optional("list_finished_tests", Schema::Boolean),
    ])
}

/// `{batch_id, username, api_key}`.
pub(super) fn cancel_schema() -> Schema {
    let mut properties = vec![batch_id()];
    properties.extend(credentials());
    Schema::Object(properties)
}

/// Refuses wrong credentials.
async fn authenticate(api: &Api, params: &Map<String, Value>) -> Result<(), RpcError> {
    let username = text(params, "username");
    match api
        .store
        .check_api_key(username, text(params, "api_key"))
        .await?
    {
        ApiKeyCheck::Valid => Ok(()),
        ApiKeyCheck::Invalid => Err(RpcError::NotAuthorized {
            username: username.to_owned(),
        }),
    }
}

/// Creates a batch: one test per domain (duplicates included, in order),
/// never reusing, all or nothing.
pub(super) async fn create(
    api: &Api,
    params: &Map<String, Value>,
    params_name: &str,
) -> Result<i64, RpcError> {
    authenticate(api, params).await?;
    let shared = params
        .get(params_name)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let now = api.now();
    let domains = params
        .get("domains")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut tests = Vec::with_capacity(domains.len());
    for domain in domains {
        let test = TestParams::from_request(
            &shared,
            domain.as_str().unwrap_or_default(),
            BATCH_PRIORITY,
            &api.profiles,
        )?;
        // Ids repeated within the batch are redrawn by the store.
        tests.push(new_test(&test, now));
    }
    let username = text(params, "username");
    let batch_id = api.store.create_batch(username, &tests, now).await?;
    tracing::info!(batch_id, username, tests = tests.len(), "batch created");
    Ok(batch_id)
}

/// Counts per state, and the ids of the states asked for (an empty list
/// is left out of the answer).
pub(super) async fn status(
    api: &Api,
    params: &Map<String, Value>,
) -> Result<BatchStatus, RpcError> {
    let batch_id = integer(params, "batch_id", 0);
    let status = api
        .store
        .batch_status(batch_id)
        .await?
        .ok_or(RpcError::UnknownBatch { batch_id })?;
    let count = |ids: &[String]| u64::try_from(ids.len()).unwrap_or(u64::MAX);
    let listed = |asked: &str, ids: Vec<String>| if flag(params, asked) { ids } else { Vec::new() };
    Ok(BatchStatus {
        waiting_count: count(&status.waiting),
        running_count: count(&status.running),
        finished_count: count(&status.finished),
        waiting_tests: listed("list_waiting_tests", status.waiting),
        running_tests: listed("list_running_tests", status.running),
        finished_tests: listed("list_finished_tests", status.finished),
    })
}

/// Cancels the waiting tests of a batch.
pub(super) async fn cancel(
    api: &Api,
    params: &Map<String, Value>,
) -> Result<BatchCancelled, RpcError> {
    authenticate(api, params).await?;
    let batch_id = integer(params, "batch_id", 0);
    let cancelled = api
        .store
        .cancel_batch(batch_id, api.now())
        .await?
        .ok_or(RpcError::UnknownBatch { batch_id })?;
    tracing::info!(
        batch_id,
        cancelled,
        username = text(params, "username"),
        "batch cancelled"
    );
    Ok(BatchCancelled { cancelled })
}
