//! The method table: every name and alias (backend spec §4.1), which are
//! enabled, each one's params schema, and the dispatch to the groups.
//!
//! One file per group: `system` (versions, profiles, languages),
//! `lookup` (DNS look-ups), `jobs` (creating and reading tests), `users`,
//! `batch`, and `queue` (our queue and batch overviews). Aliases share the code of their classic method and differ
//! only in param names and result wrapping, which is spelt out here.

mod batch;
mod jobs;
mod lookup;
mod queue;
mod system;
mod users;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::api::{Api, ApiOptions, Caller};
use super::error::RpcError;
use super::validate::Schema;
use crate::api_types::VersionInfo;
use crate::config::RpcapiConfig;

/// Every method the API answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `version_info`.
    VersionInfo,
    /// `system_versions`, alias of `version_info`.
    SystemVersions,
    /// `profile_names`.
    ProfileNames,
    /// `conf_profiles`: `{"profiles": …}`.
    ConfProfiles,
    /// `get_language_tags`.
    GetLanguageTags,
    /// `conf_languages`: `{"languages": …}`.
    ConfLanguages,
    /// `get_host_by_name`.
    GetHostByName,
    /// `lookup_address_records`: `{"address_records": …}`.
    LookupAddressRecords,
    /// `get_data_from_parent_zone`.
    GetDataFromParentZone,
    /// `lookup_delegation_data`, alias.
    LookupDelegationData,
    /// `start_domain_test`.
    StartDomainTest,
    /// `job_create`: `{"job_id": …}`.
    JobCreate,
    /// `test_progress`.
    TestProgress,
    /// `job_status`: param `job_id`, `{"progress": …}`.
    JobStatus,
    /// `get_test_params`.
    GetTestParams,
    /// `job_params`: param `job_id`.
    JobParams,
    /// `get_test_results`.
    GetTestResults,
    /// `job_results`: param `job_id`, key `job_id`.
    JobResults,
    /// `get_test_history`.
    GetTestHistory,
    /// `domain_history`: param `params`, `{"history": …}`.
    DomainHistory,
    /// `add_api_user` (administrative).
    AddApiUser,
    /// `user_create`: `{"success": 1}`.
    UserCreate,
    /// `add_batch_job` (authenticated).
    AddBatchJob,
    /// `batch_create`: param `job_params`, `{"batch_id": …}`.
    BatchCreate,
    /// `batch_status`.
    BatchStatus,
    /// `batch_cancel`, our addition (authenticated).
    BatchCancel,
    /// `queue_status`, our addition: waiting and running tests, agents.
    QueueStatus,
    /// `batch_list`, our addition: batches with their counts.
    BatchList,
}

/// Name → method.
const TABLE: &[(&str, Method)] = &[
    ("version_info", Method::VersionInfo),
    ("system_versions", Method::SystemVersions),
    ("profile_names", Method::ProfileNames),
    ("conf_profiles", Method::ConfProfiles),
    ("get_language_tags", Method::GetLanguageTags),
    ("conf_languages", Method::ConfLanguages),
    ("get_host_by_name", Method::GetHostByName),
    ("lookup_address_records", Method::LookupAddressRecords),
    ("get_data_from_parent_zone", Method::GetDataFromParentZone),
    ("lookup_delegation_data", Method::LookupDelegationData),
    ("start_domain_test", Method::StartDomainTest),
    ("job_create", Method::JobCreate),
    ("test_progress", Method::TestProgress),
    ("job_status", Method::JobStatus),
    ("get_test_params", Method::GetTestParams),
    ("job_params", Method::JobParams),
    ("get_test_results", Method::GetTestResults),
    ("job_results", Method::JobResults),
    ("get_test_history", Method::GetTestHistory),
    ("domain_history", Method::DomainHistory),
    ("add_api_user", Method::AddApiUser),
    ("user_create", Method::UserCreate),
    ("add_batch_job", Method::AddBatchJob),
    ("batch_create", Method::BatchCreate),
    ("batch_status", Method::BatchStatus),
    ("batch_cancel", Method::BatchCancel),
    ("queue_status", Method::QueueStatus),
    ("batch_list", Method::BatchList),
];

/// A method's params schema (always an object schema).
pub struct ParamsSchema(pub Schema);

impl ParamsSchema {
    /// True when some member is required, so absent params are an error.
    pub fn has_required(&self) -> bool {
        matches!(&self.0, Schema::Object(properties) if properties.iter().any(|property| property.required))
    }
}

impl Method {
    /// Every method name, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        TABLE.iter().map(|(name, _)| *name)
    }

    /// The method called `name` (exact, case-sensitive).
    pub fn from_name(name: &str) -> Option<Method> {
        TABLE
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, method)| *method)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(_, method)| *method == self)
            .map_or("unknown", |(name, _)| *name)
    }

    /// False when `[RPCAPI]` switches it off (then it is "not found").
    pub fn is_enabled(self, config: &RpcapiConfig) -> bool {
        match self {
            Method::AddApiUser | Method::UserCreate => config.enable_add_api_user,
            Method::AddBatchJob | Method::BatchCreate | Method::BatchCancel => {
                config.enable_add_batch_job
            }
            _ => true,
        }
    }

    /// Its params schema.
    pub fn schema(self, options: &ApiOptions) -> ParamsSchema {
        use Method as M;
        ParamsSchema(match self {
            M::VersionInfo
            | M::SystemVersions
            | M::ProfileNames
            | M::ConfProfiles
            | M::GetLanguageTags
            | M::ConfLanguages => Schema::Object(Vec::new()),
            M::GetHostByName | M::LookupAddressRecords => lookup::host_schema(),
            M::GetDataFromParentZone | M::LookupDelegationData => lookup::delegation_schema(),
            M::StartDomainTest | M::JobCreate => jobs::start_schema(options),
            M::TestProgress | M::GetTestParams => jobs::id_schema("test_id"),
            M::JobStatus | M::JobParams => jobs::id_schema("job_id"),
            M::GetTestResults => jobs::results_schema("id"),
            M::JobResults => jobs::results_schema("job_id"),
            M::GetTestHistory => jobs::history_schema("frontend_params"),
            M::DomainHistory => jobs::history_schema("params"),
            M::AddApiUser | M::UserCreate => users::schema(),
            M::AddBatchJob => batch::create_schema("test_params", options),
            M::BatchCreate => batch::create_schema("job_params", options),
            M::BatchStatus => batch::status_schema(),
            M::BatchCancel => batch::cancel_schema(),
            M::QueueStatus => queue::status_schema(),
            M::BatchList => queue::list_schema(),
        })
    }
}

/// A string member the schema made sure of.
pub(crate) fn text<'a>(params: &'a Map<String, Value>, name: &str) -> &'a str {
    params.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// An integer member the schema made sure of, or `default`.
pub(crate) fn integer(params: &Map<String, Value>, name: &str, default: i64) -> i64 {
    params.get(name).and_then(Value::as_i64).unwrap_or(default)
}

/// A boolean member the schema made sure of, false when absent.
pub(crate) fn flag(params: &Map<String, Value>, name: &str) -> bool {
    params.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// A typed result as the JSON the envelope writes.
fn encode(result: impl Serialize) -> Result<Value, RpcError> {
    serde_json::to_value(result).map_err(RpcError::Encode)
}

/// Runs `method` with checked `params`.
pub async fn call(
    api: &Api,
    method: Method,
    params: Map<String, Value>,
    caller: &Caller,
) -> Result<Value, RpcError> {
    use Method as M;
    match method {
        M::VersionInfo | M::SystemVersions => encode(VersionInfo::ours()),
        M::ProfileNames => Ok(system::profile_names(api)),
        M::ConfProfiles => Ok(json!({"profiles": system::profile_names(api)})),
        M::GetLanguageTags => Ok(system::language_tags(api)),
        M::ConfLanguages => Ok(json!({"languages": system::language_tags(api)})),
        M::GetHostByName => encode(lookup::host_by_name(api, &params).await),
        M::LookupAddressRecords => {
            Ok(json!({"address_records": encode(lookup::host_by_name(api, &params).await)?}))
        }
        M::GetDataFromParentZone | M::LookupDelegationData => {
            encode(lookup::delegation(api, &params).await)
        }
        M::StartDomainTest => jobs::start(api, &params).await.map(Value::from),
        M::JobCreate => Ok(json!({"job_id": jobs::start(api, &params).await?})),
        M::TestProgress => jobs::progress(api, text(&params, "test_id"))
            .await
            .map(Value::from),
        M::JobStatus => {
            Ok(json!({"progress": jobs::progress(api, text(&params, "job_id")).await?}))
        }
        M::GetTestParams => encode(jobs::stored_params(api, text(&params, "test_id")).await?),
        M::JobParams => encode(jobs::stored_params(api, text(&params, "job_id")).await?),
        M::GetTestResults => encode(jobs::results(api, &params, jobs::Naming::Classic).await?),
        M::JobResults => encode(jobs::results(api, &params, jobs::Naming::Job).await?),
        M::GetTestHistory => encode(jobs::history(api, &params, jobs::Naming::Classic).await?),
        M::DomainHistory => {
            let history = jobs::history(api, &params, jobs::Naming::Job).await?;
            Ok(json!({"history": encode(history)?}))
        }
        M::AddApiUser => users::add(api, &params, caller)
            .await
            .map(|()| Value::from(1)),
        M::UserCreate => users::add(api, &params, caller)
            .await
            .map(|()| json!({"success": 1})),
        M::AddBatchJob => batch::create(api, &params, "test_params")
            .await
            .map(Value::from),
        M::BatchCreate => Ok(json!({"batch_id": batch::create(api, &params, "job_params").await?})),
        M::BatchStatus => encode(batch::status(api, &params).await?),
        M::BatchCancel => encode(batch::cancel(api, &params).await?),
        M::QueueStatus => encode(queue::status(api, &params).await?),
        M::BatchList => encode(queue::list(api, &params).await?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for name in Method::names() {
            let method = Method::from_name(name).unwrap();
            assert_eq!(method.name(), name);
            assert!(seen.insert(name));
        }
        assert_eq!(seen.len(), 28);
        assert_eq!(Method::from_name("Version_Info"), None);
        assert_eq!(Method::from_name("get_batch_job_result"), None);
    }

    #[test]
    fn optional_methods_follow_the_config() {
        let config = RpcapiConfig::default();
        assert!(!Method::AddApiUser.is_enabled(&config));
        assert!(!Method::UserCreate.is_enabled(&config));
        assert!(Method::AddBatchJob.is_enabled(&config));
        assert!(Method::BatchStatus.is_enabled(&config));
        let closed = RpcapiConfig {
            enable_add_api_user: true,
            enable_add_batch_job: false,
            ..RpcapiConfig::default()
        };
        assert!(Method::UserCreate.is_enabled(&closed));
        assert!(!Method::BatchCreate.is_enabled(&closed));
        assert!(!Method::BatchCancel.is_enabled(&closed));
        assert!(Method::BatchStatus.is_enabled(&closed));
    }

    #[test]
    fn only_parameterless_methods_take_absent_params() {
        let options = ApiOptions::default();
        for name in Method::names() {
            let method = Method::from_name(name).unwrap();
            let is_parameterless = matches!(
                method,
                Method::VersionInfo
                    | Method::SystemVersions
                    | Method::ProfileNames
                    | Method::ConfProfiles
                    | Method::GetLanguageTags
                    | Method::ConfLanguages
                    | Method::QueueStatus
                    | Method::BatchList
            );
            assert_eq!(
                method.schema(&options).has_required(),
                !is_parameterless,
                "{name}"
            );
        }
    }
}
