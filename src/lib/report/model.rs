//! The report itself: a test's identity, what it was asked, and its
//! result entries in emission order.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::format::Format;
use super::text::TextColumns;
use super::{csv, html, json, markdown, text};
use crate::engine::level::Level;
use crate::engine::message::Message;
use crate::i18n::{Language, render_json};

/// One test's results, ready to render or compare.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// The test id (`hash_id` or `job_id`); none for a local check.
    pub id: Option<String>,
    /// The zone tested, as the API normalised it.
    pub domain: String,
    /// When the test was created (RFC 3339, as the API writes it).
    pub created_at: Option<String>,
    /// When it finished (our `ended_at`), if known.
    pub finished_at: Option<String>,
    /// What the test was asked to do, if known.
    pub params: Option<ParamsSummary>,
    /// How many test cases ran of those the profile enables, if known:
    /// a short run must not pass for a complete one.
    pub testcases: Option<Coverage>,
    /// The result entries, in emission order.
    pub entries: Vec<Entry>,
}

/// One result entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// `Basic`, …, `System`; `Backend` for the backend's own entries.
    pub module: String,
    /// `Basic01`, `Unspecified`, or empty for Backend entries.
    pub testcase: String,
    /// Severity.
    pub level: Level,
    /// The message tag, when the source carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The tag's arguments, when the source carries them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub args: Option<Map<String, Value>>,
    /// The translated text, without the API's final newline.
    pub message: String,
    /// Seconds since the run started; only local runs know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<f64>,
}

/// The parts of a test's params that say what was tested and how.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ParamsSummary {
    /// The profile name.
    pub profile: Option<String>,
    /// Whether IPv4 was used.
    pub ipv4: Option<bool>,
    /// Whether IPv6 was used.
    pub ipv6: Option<bool>,
    /// Supplied name servers, `NAME` or `NAME/IP`: an undelegated test.
    pub nameservers: Vec<String>,
    /// Supplied DS records, `KEYTAG,ALGORITHM,DIGTYPE,DIGEST`.
    pub ds: Vec<String>,
}

/// Test cases run, against those the profile enables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Test cases that ran to their end.
    pub ran: usize,
    /// Test cases the profile enables.
    pub enabled: usize,
}

/// The levels a summary always counts, highest first; DEBUG levels are
/// counted only when a report holds them.
const SUMMARY_LEVELS: &[Level] = &[
    Level::Critical,
    Level::Error,
    Level::Warning,
    Level::Notice,
    Level::Info,
];

impl Report {
    /// A report of the engine's own messages (a local `zmctl check`),
    /// their texts rendered in `language`.
    pub fn from_messages<'a>(
        domain: impl Into<String>,
        messages: impl IntoIterator<Item = &'a Message>,
        language: Language,
    ) -> Self {
        let entries = messages
            .into_iter()
            .map(|message| Entry {
                module: message.module().name().to_owned(),
                testcase: message.testcase().to_owned(),
                level: message.level,
                tag: Some(message.tag_name().to_owned()),
                args: Some(message.args.clone()),
                message: render_json(message.tag, &message.args, language).text,
                timestamp: Some(message.timestamp),
            })
            .collect();
        Self {
            domain: domain.into(),
            entries,
            ..Self::default()
        }
    }

    /// Renders the whole report; text with the default columns.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::report(self, &TextColumns::default()),
            Format::Json => json::report(self),
            Format::Csv => csv::report(self),
            Format::Html => html::report(self),
            Format::Markdown => markdown::report(self),
        }
    }

    /// Renders as text with the chosen columns (`zmctl check`'s
    /// `--show-*` and `--raw`).
    pub fn render_text(&self, columns: &TextColumns) -> String {
        text::report(self, columns)
    }

    /// Drops the entries below `level` (`--level`).
    pub fn retain_at_least(&mut self, level: Level) {
        self.entries.retain(|entry| entry.level >= level);
    }

    /// The highest level of any entry.
    pub fn worst_level(&self) -> Option<Level> {
        self.entries.iter().map(|entry| entry.level).max()
    }

    /// Entries per level, highest first: INFO to CRITICAL always, lower
    /// levels when present.
    pub fn counts(&self) -> Vec<(Level, usize)> {
        let count = |level: Level| self.entries.iter().filter(|e| e.level == level).count();
        let mut counts: Vec<(Level, usize)> = SUMMARY_LEVELS
            .iter()
            .map(|level| (*level, count(*level)))
            .collect();
        for level in Level::ALL.iter().rev().filter(|l| **l < Level::Info) {
            match count(*level) {
                0 => {}
                found => counts.push((*level, found)),
            }
        }
        counts
    }

    /// True when every entry carries its tag: entries can then be
    /// matched by tag and arguments rather than by their texts.
    pub fn has_tags(&self) -> bool {
        self.entries.iter().all(|entry| entry.tag.is_some())
    }

    /// The entries grouped by module, then by test case, each group in
    /// order of first appearance and entries in emission order.
    pub(super) fn groups(&self) -> Vec<ModuleGroup<'_>> {
        let mut modules: Vec<ModuleGroup<'_>> = Vec::new();
        for entry in &self.entries {
            let index = match modules.iter().position(|m| m.module == entry.module) {
                Some(index) => index,
                None => {
                    modules.push(ModuleGroup {
                        module: &entry.module,
                        testcases: Vec::new(),
                    });
                    modules.len() - 1
                }
            };
            let Some(module) = modules.get_mut(index) else {
                continue;
            };
            match module
                .testcases
                .iter_mut()
                .find(|(testcase, _)| *testcase == entry.testcase)
            {
                Some((_, entries)) => entries.push(entry),
                None => module.testcases.push((&entry.testcase, vec![entry])),
            }
        }
        modules
    }
}

/// The entries of one module, by test case.
pub(super) struct ModuleGroup<'a> {
    /// The module name.
    pub module: &'a str,
    /// Test case name and its entries.
    pub testcases: Vec<(&'a str, Vec<&'a Entry>)>,
}

impl Entry {
    /// The arguments as `name=value; name=value` in name order, as
    /// zonemaster-cli's `--raw` writes them; strings bare, other values
    /// as JSON.
    pub fn args_text(&self) -> String {
        args_text(self.args.as_ref())
    }

    /// The arguments as compact JSON, empty when there are none.
    pub(super) fn args_json(&self) -> String {
        self.args
            .as_ref()
            .map(|args| Value::Object(args.clone()).to_string())
            .unwrap_or_default()
    }

    /// The test case as headings show it (`(no test case)` for Backend
    /// entries, whose test case is empty).
    pub(super) fn testcase_label(testcase: &str) -> &str {
        if testcase.is_empty() {
            "(no test case)"
        } else {
            testcase
        }
    }
}

/// Arguments as `name=value; name=value` in name order; strings bare,
/// other values as JSON.
pub(super) fn args_text(args: Option<&Map<String, Value>>) -> String {
    let Some(args) = args else {
        return String::new();
    };
    args.iter()
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            other => format!("{name}={other}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for ParamsSummary {
    /// `profile default; IPv4 on; IPv6 off; undelegated: ns1.example/192.0.2.1; DS 1,8,2,ab…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on = |allowed: bool| if allowed { "on" } else { "off" };
        let mut parts = Vec::new();
        if let Some(profile) = &self.profile {
            parts.push(format!("profile {profile}"));
        }
        if let Some(ipv4) = self.ipv4 {
            parts.push(format!("IPv4 {}", on(ipv4)));
        }
        if let Some(ipv6) = self.ipv6 {
            parts.push(format!("IPv6 {}", on(ipv6)));
        }
        if !self.nameservers.is_empty() {
            parts.push(format!("undelegated: {}", self.nameservers.join(", ")));
        }
        if !self.ds.is_empty() {
            parts.push(format!("DS {}", self.ds.join(", ")));
        }
        f.write_str(&parts.join("; "))
    }
}

impl fmt::Display for Coverage {
    /// `56 of the 73 test cases the profile enables ran`, the wording of
    /// `zmctl check`'s last line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.enabled == 1 {
            "test case"
        } else {
            "test cases"
        };
        write!(
            f,
            "{} of the {} {noun} the profile enables ran",
            self.ran, self.enabled
        )
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::engine::tags;
    use crate::engine::testcases::find_test_case;
    use serde_json::json;

    /// An entry with a tag and arguments.
    pub fn entry(module: &str, testcase: &str, level: Level, tag: &str, message: &str) -> Entry {
        Entry {
            module: module.into(),
            testcase: testcase.into(),
            level,
            tag: Some(tag.into()),
            args: Some(Map::new()),
            message: message.into(),
            timestamp: None,
        }
    }

    /// A report of `entries` for example.se.
    pub fn report_of(entries: Vec<Entry>) -> Report {
        Report {
            id: Some("0123456789abcdef".into()),
            domain: "example.se".into(),
            created_at: Some("2026-01-01T10:00:00Z".into()),
            entries,
            ..Report::default()
        }
    }

    #[test]
    fn engine_messages_keep_tag_arguments_and_time_and_get_their_text() {
        let case = find_test_case("basic02").unwrap();
        let message = Message {
            timestamp: 1.25,
            level: Level::Error,
            tag: &tags::basic::B02_NO_DELEGATION,
            test_case: Some(case),
            args: json!({"domain": "example.se"}).as_object().unwrap().clone(),
        };
        let report = Report::from_messages("example.se", &[message], Language::En);
        let entry = &report.entries[0];
        assert_eq!(
            (entry.module.as_str(), entry.testcase.as_str()),
            ("Basic", "Basic02")
        );
        assert_eq!(entry.tag.as_deref(), Some("B02_NO_DELEGATION"));
        assert_eq!(entry.args.as_ref().unwrap()["domain"], "example.se");
        assert_eq!(entry.timestamp, Some(1.25));
        assert!(entry.message.contains("example.se"), "{}", entry.message);
        assert!(report.has_tags());
        assert_eq!(report.domain, "example.se");
    }

    #[test]
    fn counts_list_the_five_levels_and_debug_only_when_present() {
        let mut report = report_of(vec![
            entry("Basic", "Basic01", Level::Error, "A", "a"),
            entry("Basic", "Basic01", Level::Error, "B", "b"),
            entry("Basic", "Basic01", Level::Info, "C", "c"),
        ]);
        let counts = report.counts();
        assert_eq!(
            counts,
            [
                (Level::Critical, 0),
                (Level::Error, 2),
                (Level::Warning, 0),
                (Level::Notice, 0),
                (Level::Info, 1)
            ]
        );
        report
            .entries
            .push(entry("System", "Unspecified", Level::Debug, "D", "d"));
        assert_eq!(report.counts().last(), Some(&(Level::Debug, 1)));
        assert_eq!(report.worst_level(), Some(Level::Error));
        report.retain_at_least(Level::Warning);
        assert_eq!(report.entries.len(), 2);
    }

    #[test]
    fn groups_follow_first_appearance_and_keep_emission_order() {
        let report = report_of(vec![
            entry("Basic", "Basic01", Level::Info, "A", "a"),
            entry("Zone", "Zone01", Level::Info, "B", "b"),
            entry("Basic", "Basic02", Level::Info, "C", "c"),
            entry("Basic", "Basic01", Level::Info, "D", "d"),
        ]);
        let groups = report.groups();
        let modules: Vec<&str> = groups.iter().map(|g| g.module).collect();
        assert_eq!(modules, ["Basic", "Zone"]);
        let basic: Vec<(&str, Vec<&str>)> = groups[0]
            .testcases
            .iter()
            .map(|(case, entries)| (*case, entries.iter().map(|e| e.message.as_str()).collect()))
            .collect();
        assert_eq!(basic, [("Basic01", vec!["a", "d"]), ("Basic02", vec!["c"])]);
    }

    #[test]
    fn arguments_read_as_zonemaster_cli_raw_writes_them() {
        let mut entry = entry("Basic", "Basic01", Level::Info, "A", "a");
        entry.args = Some(
            json!({"ns": "ns1.example/192.0.2.1", "count": 2})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(entry.args_text(), "count=2; ns=ns1.example/192.0.2.1");
        assert_eq!(
            entry.args_json(),
            r#"{"count":2,"ns":"ns1.example/192.0.2.1"}"#
        );
    }

    #[test]
    fn params_read_as_one_line() {
        let params = ParamsSummary {
            profile: Some("default".into()),
            ipv4: Some(true),
            ipv6: Some(false),
            nameservers: vec!["ns1.example/192.0.2.1".into()],
            ds: vec![],
        };
        assert_eq!(
            params.to_string(),
            "profile default; IPv4 on; IPv6 off; undelegated: ns1.example/192.0.2.1"
        );
        let coverage = Coverage {
            ran: 56,
            enabled: 73,
        };
        assert_eq!(
            coverage.to_string(),
            "56 of the 73 test cases the profile enables ran"
        );
    }
}
