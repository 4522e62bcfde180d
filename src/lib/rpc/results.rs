//! Stored result entries as `get_test_results` shows them (backend spec
//! §4.10, §10): one object per entry in stored order, the message in the
//! requested language, and the descriptions of the test cases that occur.
//! Each entry also carries its `tag` and `args` (our addition, so clients
//! can work on tags whatever the language).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api_types::ResultEntry as ResultObject;
use crate::engine::level::Level;
use crate::i18n::{Language, render_entry, testcase_description};
use crate::store::ResultEntry;

/// A rendered text finished as the reference finishes it (§10.2 step 4):
/// a space after every `,` and `;` that is not already followed by one,
/// and a final newline.
pub fn finish_message(text: &str) -> String {
    let mut finished = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        finished.push(c);
        if matches!(c, ',' | ';') && chars.peek() != Some(&' ') {
            finished.push(' ');
        }
    }
    finished.push('\n');
    finished
}

/// The level name of a stored numeric level (the number itself if it is
/// none of ours).
fn level_name(level: i32) -> String {
    Level::from_numeric(i64::from(level))
        .map_or_else(|| level.to_string(), |level| level.as_str().to_owned())
}

/// One entry as a result object.
fn entry_object(entry: &ResultEntry, language: Language) -> ResultObject {
    let message = render_entry(
        &entry.module,
        &entry.testcase,
        &entry.tag,
        &entry.args,
        language,
    );
    let ns = (entry.module == "Nameserver").then(|| {
        entry
            .args
            .get("ns")
            .cloned()
            .unwrap_or_else(|| Value::from("All"))
    });
    ResultObject {
        module: entry.module.clone(),
        testcase: entry.testcase.clone(),
        level: level_name(entry.level),
        message: finish_message(&message.text),
        ns,
        tag: Some(entry.tag.clone()),
        args: Some(entry.args.clone()),
    }
}

/// The `results` list and the `testcase_descriptions` map.
pub fn render_results(
    entries: &[ResultEntry],
    language: Language,
) -> (Vec<ResultObject>, BTreeMap<String, String>) {
    let results = entries
        .iter()
        .map(|entry| entry_object(entry, language))
        .collect();
    let mut descriptions = BTreeMap::new();
    for entry in entries {
        if !descriptions.contains_key(&entry.testcase) {
            let description = testcase_description(&entry.testcase, language);
            descriptions.insert(entry.testcase.clone(), description.text);
        }
    }
    (results, descriptions)
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

    use super::*;

    fn entry(level: i32, module: &str, testcase: &str, tag: &str, args: Value) -> ResultEntry {
        ResultEntry {
            level,
            module: module.into(),
            testcase: testcase.into(),
            tag: tag.into(),
            timestamp: 0.0,
            args: args.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn messages_get_spaces_after_separators_and_a_newline() {
        assert_eq!(finish_message("a,b; c,d;e"), "a, b; c, d; e\n");
        assert_eq!(finish_message("ends,"), "ends, \n");
        assert_eq!(finish_message(""), "\n");
    }

    #[test]
    fn entries_keep_their_order_and_nameserver_entries_get_ns() {
        let ns = json!({"ns": "ns1.example"});
        let domain = json!({"domain": "x.se"});
        let entries = [
            entry(5, "Backend", "", "TEST_DIED", json!({})),
            entry(2, "Nameserver", "Nameserver01", "SOMETHING", ns),
            entry(1, "Nameserver", "Nameserver02", "OTHER", json!({})),
            entry(3, "Basic", "Basic02", "B02_NO_DELEGATION", domain),
        ];
        let (results, descriptions) = render_results(&entries, Language::En);
        let results = serde_json::to_value(results).unwrap();
        let levels: Vec<&str> = results
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["CRITICAL", "NOTICE", "INFO", "WARNING"]);
        assert_eq!(results[0]["testcase"], "");
        assert!(results[0].get("ns").is_none());
        assert_eq!(results[1]["ns"], "ns1.example");
        assert_eq!(results[2]["ns"], "All");
        assert!(results[3]["message"].as_str().unwrap().ends_with('\n'));
        assert_eq!(descriptions[""], "");
        assert_eq!(descriptions.len(), 4);
        assert_ne!(descriptions["Basic02"], "Basic02");
    }

    /// Issue 14, item 6: each entry carries its tag and arguments.
    #[test]
    fn entries_carry_their_tag_and_args() {
        let domain = json!({"domain": "x.se"});
        let entries = [entry(3, "Basic", "Basic02", "B02_NO_DELEGATION", domain)];
        let (results, _) = render_results(&entries, Language::En);
        let object = serde_json::to_value(&results[0]).unwrap();
        assert_eq!(object["tag"], "B02_NO_DELEGATION");
        assert_eq!(object["args"], json!({"domain": "x.se"}));
        let keys: Vec<&String> = object.as_object().map(Map::keys).unwrap().collect();
        assert_eq!(
            keys,
            ["args", "level", "message", "module", "tag", "testcase"]
        );
    }
}
