//! The JSON format: one document per report or diff, for scripts.
//!
//! A report: `{id, domain, created_at, finished_at, params, testcases,
//! summary, results}`, `summary` mapping each level to its count and
//! `results` the entries (`module, testcase, level, tag?, args?, message,
//! timestamp?`). A diff: `{old, new, matched_by_tag, summary, changes}`,
//! each change `{change, old_level, new_level, module, testcase, tag,
//! args, message}` with `change` one of `appeared`, `disappeared`,
//! `level_changed`.

use serde_json::{Map, Value, json};

use super::diff::{ChangeKind, Diff};
use super::model::Report;

/// The report as one JSON document.
pub(super) fn report(report: &Report) -> String {
    let summary: Map<String, Value> = report
        .counts()
        .into_iter()
        .map(|(level, count)| (level.as_str().to_owned(), Value::from(count)))
        .collect();
    let document = json!({
        "id": report.id,
        "domain": report.domain,
        "created_at": report.created_at,
        "finished_at": report.finished_at,
        "params": report.params,
        "testcases": report.testcases,
        "summary": summary,
        "results": report.entries,
    });
    format!("{document}\n")
}

/// The diff as one JSON document.
pub(super) fn diff(diff: &Diff) -> String {
    let document = json!({
        "old": diff.old,
        "new": diff.new,
        "matched_by_tag": diff.matched_by_tag,
        "summary": {
            "appeared": diff.count(ChangeKind::Appeared),
            "disappeared": diff.count(ChangeKind::Disappeared),
            "level_changed": diff.count(ChangeKind::LevelChanged),
            "unchanged": diff.unchanged,
            "hidden": diff.hidden,
        },
        "changes": diff.changes,
    });
    format!("{document}\n")
}

#[cfg(test)]
mod tests {
    use crate::engine::level::Level;
    use crate::report::Format;
    use crate::report::diff::diff as compare;
    use crate::report::model::tests::{entry, report_of};
    use serde_json::{Value, json};

    #[test]
    fn a_report_reads_back_with_its_summary_and_entries() {
        let mut hostile = entry("Zone", "Zone01", Level::Error, "T", "<script>\"x\"\n|,");
        hostile.args = Some(json!({"ns": "a\"b"}).as_object().unwrap().clone());
        let report = report_of(vec![hostile]);
        let value: Value = serde_json::from_str(&report.render(Format::Json)).unwrap();
        assert_eq!(value["id"], "0123456789abcdef");
        assert_eq!(value["domain"], "example.se");
        assert_eq!(value["finished_at"], Value::Null);
        assert_eq!(value["summary"]["ERROR"], 1);
        assert_eq!(value["summary"]["INFO"], 0);
        let result = &value["results"][0];
        assert_eq!(result["message"], "<script>\"x\"\n|,");
        assert_eq!(result["args"]["ns"], "a\"b");
        assert_eq!(result["level"], "ERROR");
        assert!(result.get("timestamp").is_none());
    }

    #[test]
    fn a_diff_reads_back_with_both_sides() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Warning, "A", "a")]);
        let new = report_of(vec![entry("Zone", "Zone01", Level::Error, "A", "a")]);
        let value: Value = serde_json::from_str(&compare(&old, &new).render(Format::Json)).unwrap();
        assert_eq!(value["old"]["id"], "0123456789abcdef");
        assert_eq!(value["new"]["created_at"], "2026-01-01T10:00:00Z");
        assert_eq!(value["summary"]["level_changed"], 1);
        let change = &value["changes"][0];
        assert_eq!(change["change"], "level_changed");
        assert_eq!(
            (&change["old_level"], &change["new_level"]),
            (&json!("WARNING"), &json!("ERROR"))
        );
        assert_eq!(change["tag"], "A");
    }
}
