//! Creating and reading tests: `start_domain_test`, `test_progress`,
//! `get_test_params`, `get_test_results`, `get_test_history` and their
//! aliases (backend spec §4.7–§4.11, §5.1).

use serde_json::{Map, Value};

use super::{integer, text};
use crate::api_types::{HistoryEntry, StoredParams, TestCaseTally, TestResults};
use crate::engine::name::normalize;
use crate::i18n::ApiText;
use crate::job::TestParams;
use crate::rpc::api::{Api, ApiOptions};
use crate::rpc::error::RpcError;
use crate::rpc::results::render_results;
use crate::rpc::types::{CLIENT, DIGEST, FILTER, TEST_ID};
use crate::rpc::validate::{Property, Schema};
use crate::store::{HistoryFilter, NewTest, TestRow, TestState, Timestamp, new_test_id};

/// A request's params.
type Params = Map<String, Value>;

/// Priority of an interactive test (spec §5.1.1).
const DEFAULT_PRIORITY: i64 = 10;

/// One `ds_info` item: the four members, each with its own message.
fn ds_info_schema() -> Schema {
    let number = |name, text| Property::required(name, Schema::Integer(Some(0))).on_error(text);
    Schema::Object(vec![
        number("keytag", ApiText::KeytagNotPositive),
        number("algorithm", ApiText::AlgorithmNotPositive),
        number("digtype", ApiText::DigtypeNotPositive),
        Property::required("digest", Schema::String(Some(DIGEST))).on_error(ApiText::InvalidDigest),
    ])
}

/// One `nameservers` item.
fn nameserver_schema() -> Schema {
    Schema::Object(vec![
        Property::required("ns", Schema::Domain),
        Property::optional("ip", Schema::Ip),
    ])
}

/// An array of at most `max_items` `items` (`RPCAPI.max_nameservers`,
/// `max_ds_info`: the spec sets no limit, a public service needs one).
fn list_of(items: Schema, max_items: usize) -> Schema {
    Schema::Array {
        items: Box::new(items),
        min_items: 0,
        max_items: Some(max_items),
    }
}

/// The members of `start_domain_test` shared with a batch's
/// `test_params`: all but `domain` and `language`.
pub(super) fn test_param_properties(options: &ApiOptions) -> Vec<Property> {
    let nameservers = list_of(nameserver_schema(), options.max_nameservers);
    vec![
        Property::optional("ipv4", Schema::Boolean),
        Property::optional("ipv6", Schema::Boolean),
        Property::optional("nameservers", nameservers),
        Property::optional("ds_info", list_of(ds_info_schema(), options.max_ds_info)),
        Property::optional("profile", Schema::Profile),
        Property::optional("client_id", Schema::String(Some(CLIENT))),
        Property::optional("client_version", Schema::String(Some(CLIENT))),
        Property::optional("config", Schema::String(None)),
        Property::optional("priority", Schema::Integer(None)),
        Property::optional("queue", Schema::Integer(None)),
    ]
}

/// `start_domain_test` / `job_create`.
pub(super) fn start_schema(options: &ApiOptions) -> Schema {
    let mut properties = vec![
        Property::required("domain", Schema::Domain),
        Property::optional("language", Schema::Language),
    ];
    properties.extend(test_param_properties(options));
    Schema::Object(properties)
}

/// A single test id under `name`.
pub(super) fn id_schema(name: &'static str) -> Schema {
    Schema::Object(vec![Property::required(
        name,
        Schema::String(Some(TEST_ID)),
    )])
}

/// A test id under `name` plus the required `language`.
pub(super) fn results_schema(name: &'static str) -> Schema {
    Schema::Object(vec![
        Property::required(name, Schema::String(Some(TEST_ID))),
        Property::required("language", Schema::Language),
    ])
}

/// The domain object under `name`, offset, limit, filter.
pub(super) fn history_schema(name: &'static str) -> Schema {
    Schema::Object(vec![
        Property::required(
            name,
            Schema::Object(vec![Property::required("domain", Schema::Domain)]),
        ),
        Property::optional("offset", Schema::Integer(Some(0))),
        Property::optional("limit", Schema::Integer(Some(0))),
        Property::optional("filter", Schema::String(Some(FILTER))),
    ])
}

/// The row to insert for `params`.
pub(crate) fn new_test(params: &TestParams, now: Timestamp) -> NewTest {
    NewTest {
        hash_id: new_test_id(),
        domain: params.domain.clone(),
        fingerprint: params.fingerprint(),
        params: params.to_stored_json(),
        undelegated: params.is_undelegated(),
        priority: params.priority,
        queue: params.queue,
        created_at: now,
    }
}

/// Creates a test, or reuses an equal one started within
/// `age_reuse_previous_test` seconds or not started yet (spec §5.1.3).
pub(super) async fn start(api: &Api, params: &Map<String, Value>) -> Result<String, RpcError> {
    let test = TestParams::from_request(
        params,
        text(params, "domain"),
        DEFAULT_PRIORITY,
        &api.profiles,
    )?;
    let now = api.now();
    let (hash_id, is_new) = api
        .store
        .create_test(&new_test(&test, now), now - reuse_age(api))
        .await?;
    tracing::info!(
        test_id = hash_id,
        domain = test.domain,
        is_new,
        "test requested"
    );
    Ok(hash_id)
}

/// `age_reuse_previous_test`: how long after its start a test is reused.
fn reuse_age(api: &Api) -> chrono::Duration {
    chrono::Duration::seconds(i64::from(api.config.zonemaster.age_reuse_previous_test))
}

/// The progress of a test; an unknown id is "Test not found", as for
/// `get_test_results` (the reference answers -32603 here; see
/// docs/rpc-errors.md).
pub(super) async fn progress(api: &Api, test_id: &str) -> Result<u8, RpcError> {
    api.store
        .progress(test_id)
        .await?
        .ok_or_else(|| RpcError::TestNotFound {
            test_id: test_id.to_owned(),
        })
}

/// The stored row of a test; an unknown id is "Test not found".
async fn find_test(api: &Api, test_id: &str) -> Result<TestRow, RpcError> {
    let row = api.store.test(test_id).await?;
    row.ok_or_else(|| RpcError::TestNotFound {
        test_id: test_id.to_owned(),
    })
}

/// The stored params of a test, read back as the agent reads them (stored
/// params no backend version could have written are an internal error).
pub(super) async fn stored_params(api: &Api, test_id: &str) -> Result<StoredParams, RpcError> {
    params_of(&find_test(api, test_id).await?)
}

/// The params of a stored row.
fn params_of(row: &TestRow) -> Result<StoredParams, RpcError> {
    Ok(StoredParams::from(&TestParams::from_stored(&row.params)?))
}

/// Which member of a method pair is called: the classic method or its
/// job-style alias.
pub(super) enum Naming {
    /// `get_test_results` and `get_test_history`.
    Classic,
    /// `job_results` and `domain_history`.
    Job,
}

impl Naming {
    /// The results param naming the test: `id` or `job_id`.
    fn results_param(&self) -> &'static str {
        match self {
            Self::Classic => "id",
            Self::Job => "job_id",
        }
    }

    /// The history param holding the domain: `frontend_params` or
    /// `params`.
    fn history_param(&self) -> &'static str {
        match self {
            Self::Classic => "frontend_params",
            Self::Job => "params",
        }
    }

    /// A test id placed under the classic name (`hash_id` in results, `id`
    /// in history: the first of the pair) or under `job_id` (the second).
    fn place(&self, test_id: String) -> (Option<String>, Option<String>) {
        match self {
            Self::Classic => (Some(test_id), None),
            Self::Job => (None, Some(test_id)),
        }
    }
}

/// A time as the API writes it.
pub(super) fn api_time(time: Timestamp) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The results of a test in a language; `[]` until it is finished.
pub(super) async fn results(
    api: &Api,
    params: &Params,
    naming: Naming,
) -> Result<TestResults, RpcError> {
    let test_id = text(params, naming.results_param());
    let row = find_test(api, test_id).await?;
    let entries = if row.progress == 100 {
        api.store.results(test_id).await?
    } else {
        Vec::new()
    };
    let language = api.catalog_language(text(params, "language"));
    let (results, testcase_descriptions) = render_results(&entries, language);
    let (hash_id, job_id) = naming.place(row.hash_id.clone());
    let mut answer = TestResults {
        hash_id,
        job_id,
        created_at: api_time(row.created_at),
        params: params_of(&row)?,
        results,
        testcase_descriptions,
        state: None,
        started_at: None,
        ended_at: None,
        reusable_until: None,
        testcases: None,
        reason: None,
    };
    add_lifecycle(api, &row, &mut answer);
    Ok(answer)
}

/// Our additions to a test's results, what operators asked the reference
/// for: the explicit `state`, `started_at`/`ended_at` (null until then),
/// the `reason` of a failed or cancelled test, and `reusable_until`, the
/// end of the window in which an identical `start_domain_test` returns
/// this test (null while it waits — a waiting test is always reused — and
/// for batch tests, which are never reused), and `testcases`, how many
/// test cases the run covered of those its profile enables (`{"ran": N,
/// "enabled": M}`, null until it completes).
fn add_lifecycle(api: &Api, row: &TestRow, answer: &mut TestResults) {
    let age = reuse_age(api);
    let reusable_until = match row.batch_id {
        Some(_) => None,
        None => row.started_at.map(|started| started + age),
    };
    answer.state = Some(row.state.as_str().to_owned());
    answer.started_at = row.started_at.map(api_time);
    answer.ended_at = row.ended_at.map(api_time);
    answer.reusable_until = reusable_until.map(api_time);
    answer.testcases = row.testcases.map(|tally| TestCaseTally {
        ran: tally.ran,
        enabled: tally.enabled,
    });
    answer.reason.clone_from(&row.reason);
}

/// `critical`, `error`, `warning` or `ok` from the highest level stored
/// (spec §4.11). A failed or cancelled test is never `ok`: it did not
/// check the zone, so it reports at least `error` (`critical` when it has
/// a CRITICAL entry, as `TEST_DIED`); its `state` says why.
fn overall_result(state: TestState, max_level: Option<i32>) -> &'static str {
    let did_not_check = matches!(state, TestState::Failed | TestState::Cancelled);
    match max_level.unwrap_or(0) {
        5.. => "critical",
        4 => "error",
        _ if did_not_check => "error",
        3 => "warning",
        _ => "ok",
    }
}

/// Finished tests of a domain, newest first: a bare list (classic) or
/// `{"history": …}` (job naming). Each entry also carries our `state`
/// (`completed`, `failed` or `cancelled`: unfinished tests are not listed).
pub(super) async fn history(
    api: &Api,
    params: &Params,
    naming: Naming,
) -> Result<Vec<HistoryEntry>, RpcError> {
    let raw_domain = params
        .get(naming.history_param())
        .and_then(|inner| inner.get("domain"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let domain = normalize(raw_domain).unwrap_or_default();
    let filter = match text(params, "filter") {
        "delegated" => HistoryFilter::Delegated,
        "undelegated" => HistoryFilter::Undelegated,
        _ => HistoryFilter::All,
    };
    let offset = u64::try_from(integer(params, "offset", 0)).unwrap_or_default();
    let limit = u64::try_from(integer(params, "limit", 200)).unwrap_or_default();
    let entries = api.store.history(&domain, filter, offset, limit).await?;
    let list = entries
        .into_iter()
        .map(|entry| {
            let (id, job_id) = naming.place(entry.hash_id);
            HistoryEntry {
                id,
                job_id,
                created_at: api_time(entry.created_at),
                undelegated: entry.undelegated,
                overall_result: overall_result(entry.state, entry.max_level).to_owned(),
                state: Some(entry.state.as_str().to_owned()),
            }
        })
        .collect();
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_ids_match_the_api_rule() {
        let id = new_test_id();
        assert!((TEST_ID.matches)(&id), "{id}");
        assert_ne!(new_test_id(), new_test_id());
    }

    #[test]
    fn overall_result_follows_the_highest_level() {
        let completed = |level| overall_result(TestState::Completed, level);
        assert_eq!(completed(Some(5)), "critical");
        assert_eq!(completed(Some(4)), "error");
        assert_eq!(completed(Some(3)), "warning");
        assert_eq!(completed(Some(2)), "ok");
        assert_eq!(completed(None), "ok");
    }

    /// Issue 4/13, point 4: a cancelled batch test that never ran was `ok`.
    #[test]
    fn failed_and_cancelled_tests_are_never_ok() {
        for state in [TestState::Failed, TestState::Cancelled] {
            assert_eq!(overall_result(state, None), "error", "{state}");
            assert_eq!(overall_result(state, Some(3)), "error", "{state}");
            assert_eq!(overall_result(state, Some(4)), "error", "{state}");
            assert_eq!(overall_result(state, Some(5)), "critical", "{state}");
        }
    }
}
