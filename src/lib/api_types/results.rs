//! Reading tests: `test_progress`, `get_test_params`, `get_test_results`
//! and `get_test_history` (spec §4.8–§4.11) with our additions.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::params::StoredParams;
use crate::engine::level::Level;

/// `{test_id}`: the params of `test_progress` and `get_test_params`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestIdParams {
    /// The test id.
    pub test_id: String,
}

/// The params of `get_test_results`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsParams {
    /// The test id.
    pub id: String,
    /// Language of the message texts.
    pub language: String,
}

/// How much of the testing a run covered (our addition).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCaseTally {
    /// Test cases that ran.
    pub ran: u32,
    /// Test cases the profile enables.
    pub enabled: u32,
}

/// The result of `get_test_results` (spec §4.10). `job_results` is the
/// same object with the id under `job_id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResults {
    /// The test id (`get_test_results`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_id: Option<String>,
    /// The test id (`job_results`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// When it was requested (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub created_at: String,
    /// Its stored params.
    pub params: StoredParams,
    /// One entry per stored message, in emission order; `[]` until the
    /// test is finished.
    pub results: Vec<ResultEntry>,
    /// The description of each test case occurring in `results` (the
    /// reference's `job_results` sends `null`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub testcase_descriptions: BTreeMap<String, String>,
    /// `waiting`, `running`, `completed`, `failed` or `cancelled` (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// When an agent started it (ours; null until then).
    #[serde(default)]
    pub started_at: Option<String>,
    /// When it ended (ours; null until then).
    #[serde(default)]
    pub ended_at: Option<String>,
    /// Until when an identical `start_domain_test` returns this test
    /// (ours; null while it waits and for batch tests).
    #[serde(default)]
    pub reusable_until: Option<String>,
    /// Test cases run of those enabled (ours; null until it completes).
    #[serde(default)]
    pub testcases: Option<TestCaseTally>,
    /// Why a failed or cancelled test ended so (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl TestResults {
    /// The test id, under whichever name the method used.
    pub fn id(&self) -> &str {
        self.hash_id
            .as_deref()
            .or(self.job_id.as_deref())
            .unwrap_or_default()
    }

    /// The highest level among the entries, if any has a known level.
    pub fn worst_level(&self) -> Option<Level> {
        self.results.iter().filter_map(ResultEntry::severity).max()
    }
}

/// One message of a test's results (spec §4.10), with our `tag` and
/// `args` beside the reference's keys, so clients can work on tags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultEntry {
    /// Module name (`Backend` for the backend's own entries).
    pub module: String,
    /// Test case id (empty for `Backend` entries).
    pub testcase: String,
    /// `INFO` … `CRITICAL`.
    pub level: String,
    /// The text in the requested language, ending in a newline.
    pub message: String,
    /// For module `Nameserver`: the entry's `ns` argument, or `All`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<Value>,
    /// The message tag (ours), e.g. `B02_NO_DELEGATION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The message arguments (ours), as the engine emitted them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Map<String, Value>>,
}

impl ResultEntry {
    /// The level, when it is one of ours.
    pub fn severity(&self) -> Option<Level> {
        self.level.parse().ok()
    }
}

/// `{domain}`: the `frontend_params` of `get_test_history`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryDomain {
    /// The zone.
    pub domain: String,
}

/// The params of `get_test_history` (spec §4.11).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryParams {
    /// The zone.
    pub frontend_params: HistoryDomain,
    /// Tests to skip (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Tests to list at most (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// `all`, `delegated` or `undelegated` (default `all`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// One finished test of `get_test_history`. `domain_history` names the id
/// `job_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The test id (`get_test_history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The test id (`domain_history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// When it was requested.
    pub created_at: String,
    /// Name servers or DS records were supplied.
    pub undelegated: bool,
    /// `ok`, `warning`, `error` or `critical`.
    pub overall_result: String,
    /// `completed`, `failed` or `cancelled` (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

impl HistoryEntry {
    /// The test id, under whichever name the method used.
    pub fn test_id(&self) -> &str {
        self.id
            .as_deref()
            .or(self.job_id.as_deref())
            .unwrap_or_default()
    }
}

/// `null` read as an empty map.
fn null_as_empty<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(Option::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The reference's `job_results`: no additions, null descriptions.
    #[test]
    fn reference_results_are_read() {
        let reference = json!({
            "job_id": "879d13569db70fde", "created_at": "2024-10-25T09:28:38Z",
            "params": {"domain": "zonemaster.net"},
            "testcase_descriptions": null,
            "results": [
                {"module": "System", "testcase": "Unspecified", "level": "INFO", "message": "v\n"},
                {"module": "Nameserver", "testcase": "Nameserver01", "level": "ERROR",
                 "ns": "ns1.example", "message": "x\n"}]});
        let results: TestResults = serde_json::from_value(reference).unwrap();
        assert_eq!(results.id(), "879d13569db70fde");
        assert!(results.testcase_descriptions.is_empty());
        assert_eq!(results.state, None);
        assert_eq!(results.worst_level(), Some(Level::Error));
        assert_eq!(results.results[1].tag, None);
    }

    #[test]
    fn entries_write_tag_and_args_only_when_known() {
        let entry = ResultEntry {
            module: "Basic".into(),
            testcase: "Basic02".into(),
            level: "WARNING".into(),
            message: "m\n".into(),
            ns: None,
            tag: Some("B02_NO_DELEGATION".into()),
            args: Some(Map::from_iter([("domain".to_owned(), json!("a.se"))])),
        };
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            json!({"module": "Basic", "testcase": "Basic02", "level": "WARNING",
                   "message": "m\n", "tag": "B02_NO_DELEGATION", "args": {"domain": "a.se"}})
        );
        let bare = ResultEntry {
            tag: None,
            args: None,
            ..entry
        };
        assert!(serde_json::to_value(&bare).unwrap().get("tag").is_none());
    }

    #[test]
    fn history_entries_answer_either_id_name() {
        let classic: HistoryEntry = serde_json::from_value(json!({"id": "a1", "created_at": "t",
            "undelegated": false, "overall_result": "ok"}))
        .unwrap();
        let job: HistoryEntry = serde_json::from_value(json!({"job_id": "b2", "created_at": "t",
            "undelegated": true, "overall_result": "error", "state": "failed"}))
        .unwrap();
        assert_eq!((classic.test_id(), job.test_id()), ("a1", "b2"));
    }
}
