//! Reading a `get_test_results` (or `job_results`) answer into a
//! [`Report`] (backend spec §4.10).
//!
//! The reference's keys are required where every answer has them
//! (`params.domain`, `results` and each entry's `module`, `testcase`,
//! `level`, `message`); our additions (`tag`, `args`, `ended_at`,
//! `testcases`) are read when present, so answers of the reference
//! backend read too.

use serde_json::{Map, Value};

use super::error::{ReportError, json_type};
use super::model::{Coverage, Entry, ParamsSummary, Report};
use crate::engine::level::Level;

impl Report {
    /// Reads the result object of `get_test_results`/`job_results`.
    ///
    /// # Errors
    ///
    /// [`ReportError`] naming the member (by JSON pointer) that is
    /// missing or of the wrong type, or the level that is unknown.
    pub fn from_results(value: &Value) -> Result<Self, ReportError> {
        let object = object_at(value, "")?;
        let params = object_at(required(object, "", "params")?, "/params")?;
        let domain = string_at(required(params, "/params", "domain")?, "/params/domain")?;
        let results = required(object, "", "results")?;
        let list = results
            .as_array()
            .ok_or_else(|| wrong(results, "/results", "an array"))?;
        let entries = list
            .iter()
            .enumerate()
            .map(|(index, item)| entry(item, &format!("/results/{index}")))
            .collect::<Result<Vec<_>, _>>()?;
        let id = match optional_string(object, "", "hash_id")? {
            Some(id) => Some(id),
            None => optional_string(object, "", "job_id")?,
        };
        Ok(Self {
            id,
            domain,
            created_at: optional_string(object, "", "created_at")?,
            finished_at: optional_string(object, "", "ended_at")?,
            params: Some(params_summary(params)?),
            testcases: coverage(object)?,
            entries,
        })
    }
}

/// One result entry.
fn entry(value: &Value, path: &str) -> Result<Entry, ReportError> {
    let object = object_at(value, path)?;
    let text = |key: &str| string_at(required(object, path, key)?, &format!("{path}/{key}"));
    let level_text = text("level")?;
    let level: Level = level_text.parse().map_err(|source| ReportError::Level {
        path: format!("{path}/level"),
        source,
    })?;
    let mut message = text("message")?;
    if message.ends_with('\n') {
        message.pop();
    }
    let args = match object.get("args") {
        None | Some(Value::Null) => None,
        Some(args) => Some(object_at(args, &format!("{path}/args"))?.clone()),
    };
    Ok(Entry {
        module: text("module")?,
        testcase: text("testcase")?,
        level,
        tag: optional_string(object, path, "tag")?,
        args,
        message,
        timestamp: None,
    })
}

/// The stored params as a summary: profile, IP families, supplied name
/// servers and DS records.
fn params_summary(params: &Map<String, Value>) -> Result<ParamsSummary, ReportError> {
    let nameservers = list_of(params, "nameservers", |item, path| {
        let server = object_at(item, path)?;
        let name = string_at(required(server, path, "ns")?, &format!("{path}/ns"))?;
        Ok(match optional_string(server, path, "ip")? {
            Some(ip) if !ip.is_empty() => format!("{name}/{ip}"),
            _ => name,
        })
    })?;
    let ds = list_of(params, "ds_info", |item, path| {
        let record = object_at(item, path)?;
        let field = |key: &str| match record.get(key) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(Value::Number(number)) => Ok(number.to_string()),
            Some(other) => Err(wrong(
                other,
                &format!("{path}/{key}"),
                "a number or a string",
            )),
            None => Err(ReportError::Missing {
                path: format!("{path}/{key}"),
            }),
        };
        Ok(format!(
            "{},{},{},{}",
            field("keytag")?,
            field("algorithm")?,
            field("digtype")?,
            field("digest")?
        ))
    })?;
    Ok(ParamsSummary {
        profile: optional_string(params, "/params", "profile")?,
        ipv4: optional_bool(params, "/params", "ipv4")?,
        ipv6: optional_bool(params, "/params", "ipv6")?,
        nameservers,
        ds,
    })
}

/// Our `testcases` member, `{"ran": N, "enabled": M}` or null.
fn coverage(object: &Map<String, Value>) -> Result<Option<Coverage>, ReportError> {
    let tally = match object.get("testcases") {
        None | Some(Value::Null) => return Ok(None),
        Some(tally) => object_at(tally, "/testcases")?,
    };
    let count = |key: &str| {
        let path = format!("/testcases/{key}");
        let value = required(tally, "/testcases", key)?;
        value
            .as_u64()
            .and_then(|count| usize::try_from(count).ok())
            .ok_or_else(|| wrong(value, &path, "a count"))
    };
    Ok(Some(Coverage {
        ran: count("ran")?,
        enabled: count("enabled")?,
    }))
}

/// The items of the array `key` of `params` (absent or null: none).
fn list_of(
    params: &Map<String, Value>,
    key: &str,
    read: impl Fn(&Value, &str) -> Result<String, ReportError>,
) -> Result<Vec<String>, ReportError> {
    let path = format!("/params/{key}");
    match params.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| read(item, &format!("{path}/{index}")))
            .collect(),
        Some(other) => Err(wrong(other, &path, "an array")),
    }
}

fn required<'a>(
    object: &'a Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<&'a Value, ReportError> {
    object.get(key).ok_or_else(|| ReportError::Missing {
        path: format!("{path}/{key}"),
    })
}

fn object_at<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ReportError> {
    value
        .as_object()
        .ok_or_else(|| wrong(value, path, "an object"))
}

fn string_at(value: &Value, path: &str) -> Result<String, ReportError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong(value, path, "a string"))
}

/// A string member that may be absent or null.
fn optional_string(
    object: &Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<Option<String>, ReportError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => string_at(value, &format!("{path}/{key}")).map(Some),
    }
}

/// A boolean member that may be absent or null.
fn optional_bool(
    object: &Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<Option<bool>, ReportError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(other) => Err(wrong(other, &format!("{path}/{key}"), "a boolean")),
    }
}

fn wrong(value: &Value, path: &str, expected: &'static str) -> ReportError {
    ReportError::WrongType {
        path: if path.is_empty() { "/" } else { path }.to_owned(),
        expected,
        found: json_type(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The reference example of spec §4.10, with our additions on the
    /// second entry.
    fn answer() -> Value {
        json!({
            "hash_id": "879d13569db70fde",
            "created_at": "2024-10-25T09:28:38Z",
            "ended_at": "2024-10-25T09:29:01Z",
            "testcases": {"ran": 56, "enabled": 73},
            "params": {"domain": "zonemaster.net", "ipv4": true, "ipv6": false,
                       "profile": "default",
                       "nameservers": [{"ns": "ns1.zonemaster.net", "ip": "192.0.2.1"},
                                       {"ns": "ns2.zonemaster.net"}],
                       "ds_info": [{"keytag": 1, "algorithm": 13, "digtype": 2, "digest": "ab"}]},
            "testcase_descriptions": {"Basic01": "…"},
            "results": [
                {"module": "System", "testcase": "Unspecified", "level": "INFO",
                 "message": "Using version v8.1.0 of the Zonemaster engine.\n"},
                {"module": "Nameserver", "testcase": "Nameserver01", "level": "NOTICE",
                 "ns": "ns1.example", "tag": "IS_A_RECURSOR", "args": {"ns": "ns1.example"},
                 "message": "Two\nlines\n"}
            ]
        })
    }

    #[test]
    fn the_reference_shape_reads_with_our_additions() {
        let report = Report::from_results(&answer()).unwrap();
        assert_eq!(report.id.as_deref(), Some("879d13569db70fde"));
        assert_eq!(report.domain, "zonemaster.net");
        assert_eq!(report.created_at.as_deref(), Some("2024-10-25T09:28:38Z"));
        assert_eq!(report.finished_at.as_deref(), Some("2024-10-25T09:29:01Z"));
        assert_eq!(
            report.testcases,
            Some(Coverage {
                ran: 56,
                enabled: 73
            })
        );
        let params = report.params.as_ref().unwrap();
        assert_eq!(
            params.nameservers,
            ["ns1.zonemaster.net/192.0.2.1", "ns2.zonemaster.net"]
        );
        assert_eq!(params.ds, ["1,13,2,ab"]);
        assert_eq!((params.ipv4, params.ipv6), (Some(true), Some(false)));
        let [first, second] = report.entries.as_slice() else {
            panic!("two entries: {:?}", report.entries);
        };
        assert_eq!(
            first.message,
            "Using version v8.1.0 of the Zonemaster engine."
        );
        assert_eq!((first.tag.as_ref(), first.args.as_ref()), (None, None));
        assert_eq!(first.level, Level::Info);
        assert_eq!(second.tag.as_deref(), Some("IS_A_RECURSOR"));
        assert_eq!(second.args.as_ref().unwrap()["ns"], "ns1.example");
        assert_eq!(second.message, "Two\nlines", "one final newline goes");
        assert!(!report.has_tags());
    }

    #[test]
    fn job_results_name_the_test_job_id_and_an_unfinished_test_has_no_entries() {
        let value = json!({"job_id": "879d13569db70fde", "params": {"domain": "x.se"},
                           "results": [], "ended_at": null, "testcases": null});
        let report = Report::from_results(&value).unwrap();
        assert_eq!(report.id.as_deref(), Some("879d13569db70fde"));
        assert!(report.entries.is_empty() && report.testcases.is_none());
    }

    fn error_of(value: Value) -> String {
        Report::from_results(&value).unwrap_err().to_string()
    }

    #[test]
    fn malformed_answers_name_the_bad_member() {
        assert_eq!(
            error_of(json!([])),
            "`/` in the test's results is an array, expected an object"
        );
        assert_eq!(
            error_of(json!({"results": []})),
            "the test's results lack `/params`"
        );
        assert_eq!(
            error_of(json!({"params": {}, "results": []})),
            "the test's results lack `/params/domain`"
        );
        assert_eq!(
            error_of(json!({"params": {"domain": "x"}, "results": {}})),
            "`/results` in the test's results is an object, expected an array"
        );
        let mut bad = answer();
        bad["results"][1]["level"] = json!("LOUD");
        let error = Report::from_results(&bad).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`/results/1/level` in the test's results"
        );
        let cause = std::error::Error::source(&error).unwrap().to_string();
        assert!(cause.contains("unknown level `LOUD`"), "{cause}");
        let mut bad = answer();
        bad["results"][0]["args"] = json!("x");
        assert!(error_of(bad).contains("`/results/0/args`"));
        let mut bad = answer();
        bad["results"][0].as_object_mut().unwrap().remove("message");
        assert_eq!(
            error_of(bad),
            "the test's results lack `/results/0/message`"
        );
        let mut bad = answer();
        bad["params"]["nameservers"][1] = json!({"ip": "192.0.2.2"});
        assert_eq!(
            error_of(bad),
            "the test's results lack `/params/nameservers/1/ns`"
        );
        let mut bad = answer();
        bad["testcases"]["ran"] = json!(-1);
        assert!(error_of(bad).contains("`/testcases/ran`"));
    }
}
