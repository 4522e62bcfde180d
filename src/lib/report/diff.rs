//! Two reports of a zone compared: what an operator wants to see after
//! changing it.
//!
//! Entries are matched by what they say, never by position: by module,
//! test case, tag and arguments when both reports carry tags (texts can
//! change with the language or a new release), else by module, test case
//! and text. A matched pair is unchanged or changed level; the rest
//! appeared or disappeared. Repeated entries (the same finding twice) are
//! counted, so one of three copies going away shows as one disappearance.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::format::Format;
use super::model::{Entry, Report};
use super::{csv, html, json, markdown, text};
use crate::engine::level::Level;

/// The comparison of an old and a new report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// The earlier test.
    pub old: Side,
    /// The later test.
    pub new: Side,
    /// True when entries were matched by tag and arguments, false when
    /// by text (a report without tags, from an older server).
    pub matched_by_tag: bool,
    /// What changed, the worst first.
    pub changes: Vec<Change>,
    /// Entries found in both at the same level.
    pub unchanged: usize,
    /// Changes left out by [`Diff::at_least`].
    pub hidden: usize,
}

/// Which test one side of a diff is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The test id; none for a local check.
    pub id: Option<String>,
    /// The zone.
    pub domain: String,
    /// When the test was created.
    pub created_at: Option<String>,
    /// When it finished, if known.
    pub finished_at: Option<String>,
}

/// What happened to one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new report.
    Appeared,
    /// Only in the old report.
    Disappeared,
    /// In both, at another level.
    LevelChanged,
}

/// One changed entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What happened.
    #[serde(rename = "change")]
    pub kind: ChangeKind,
    /// The level in the old report (none when it appeared).
    pub old_level: Option<Level>,
    /// The level in the new report (none when it disappeared).
    pub new_level: Option<Level>,
    /// The module.
    pub module: String,
    /// The test case.
    pub testcase: String,
    /// The tag, when known.
    pub tag: Option<String>,
    /// The arguments, when known.
    pub args: Option<Map<String, Value>>,
    /// The text: the new one, or the old one of a disappeared entry.
    pub message: String,
}

impl ChangeKind {
    /// `appeared`, `disappeared` or `level changed`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Appeared => "appeared",
            ChangeKind::Disappeared => "disappeared",
            ChangeKind::LevelChanged => "level changed",
        }
    }

    /// `+`, `-` or `~`, the text format's marker.
    pub(super) const fn sign(self) -> char {
        match self {
            ChangeKind::Appeared => '+',
            ChangeKind::Disappeared => '-',
            ChangeKind::LevelChanged => '~',
        }
    }
}

impl Change {
    /// The higher of the two levels: how much the change matters.
    pub fn worst_level(&self) -> Level {
        self.old_level.max(self.new_level).unwrap_or(Level::Debug3)
    }

    /// True when the zone got worse here: a finding appeared or rose.
    pub fn is_worse(&self) -> bool {
        match self.kind {
            ChangeKind::Appeared => true,
            ChangeKind::Disappeared => false,
            ChangeKind::LevelChanged => self.new_level > self.old_level,
        }
    }

    /// `ERROR`, or `WARNING → ERROR` for a level change.
    pub fn levels_text(&self) -> String {
        let name = |level: Option<Level>| level.map_or("", Level::as_str);
        match self.kind {
            ChangeKind::Appeared => name(self.new_level).to_owned(),
            ChangeKind::Disappeared => name(self.old_level).to_owned(),
            ChangeKind::LevelChanged => {
                format!("{} → {}", name(self.old_level), name(self.new_level))
            }
        }
    }

    /// The arguments as compact JSON, empty when there are none.
    pub(super) fn args_json(&self) -> String {
        self.args
            .as_ref()
            .map(|args| Value::Object(args.clone()).to_string())
            .unwrap_or_default()
    }
}

impl Side {
    fn of(report: &Report) -> Self {
        Self {
            id: report.id.clone(),
            domain: report.domain.clone(),
            created_at: report.created_at.clone(),
            finished_at: report.finished_at.clone(),
        }
    }

    /// `test 0123456789abcdef (2026-01-01T10:00:00Z)`, or `local run`.
    pub fn label(&self) -> String {
        let mut label = match &self.id {
            Some(id) => format!("test {id}"),
            None => "local run".to_owned(),
        };
        if let Some(time) = self.created_at.as_ref().or(self.finished_at.as_ref()) {
            label.push_str(&format!(" ({time})"));
        }
        label
    }
}

impl Diff {
    /// Keeps the changes whose worse level is `level` or above (INFO and
    /// DEBUG changes are mostly noise: serials, timings); counts the rest
    /// in [`Diff::hidden`].
    pub fn at_least(mut self, level: Level) -> Self {
        let before = self.changes.len();
        self.changes.retain(|change| change.worst_level() >= level);
        self.hidden += before - self.changes.len();
        self
    }

    /// True when nothing (shown) changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes of `kind` are shown.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    /// The zone, or `old.se → new.se` when the two tests are of different
    /// zones.
    pub fn title(&self) -> String {
        if self.old.domain == self.new.domain {
            self.new.domain.clone()
        } else {
            format!("{} → {}", self.old.domain, self.new.domain)
        }
    }

    /// `2 appeared, 1 disappeared, 1 changed level, 40 unchanged`, and how
    /// many changes [`Diff::at_least`] left out.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} appeared, {} disappeared, {} changed level, {} unchanged",
            self.count(ChangeKind::Appeared),
            self.count(ChangeKind::Disappeared),
            self.count(ChangeKind::LevelChanged),
            self.unchanged
        );
        if self.hidden > 0 {
            text.push_str(&format!(" ({} lower-level changes not shown)", self.hidden));
        }
        text
    }

    /// Renders the diff.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::diff(self),
            Format::Json => json::diff(self),
            Format::Csv => csv::diff(self),
            Format::Html => html::diff(self),
            Format::Markdown => markdown::diff(self),
        }
    }
}

/// What matches two entries: module, test case and either tag and
/// arguments or the text.
type Key = (String, String, String);

fn key_of(entry: &Entry, by_tag: bool) -> Key {
    let what = if by_tag {
        format!(
            "{}\u{0}{}",
            entry.tag.as_deref().unwrap_or_default(),
            entry.args_json()
        )
    } else {
        entry.message.clone()
    };
    (entry.module.clone(), entry.testcase.clone(), what)
}

/// Compares `old` with `new`; the changes come worst first: by the higher
/// of their levels, then what got worse before what got better, then in
/// report order.
pub fn diff(old: &Report, new: &Report) -> Diff {
    let by_tag = old.has_tags() && new.has_tags();
    let mut groups: BTreeMap<Key, (Vec<&Entry>, Vec<&Entry>)> = BTreeMap::new();
    // The first position of each key, so that equal ranks keep report order.
    let mut first_seen: BTreeMap<Key, usize> = BTreeMap::new();
    let mut position = 0;
    for (entries, is_new) in [(&new.entries, true), (&old.entries, false)] {
        for entry in entries {
            let key = key_of(entry, by_tag);
            first_seen.entry(key.clone()).or_insert(position);
            position += 1;
            let (olds, news) = groups.entry(key).or_default();
            if is_new {
                news.push(entry);
            } else {
                olds.push(entry);
            }
        }
    }
    let mut unchanged = 0;
    let mut ranked: Vec<(usize, Change)> = Vec::new();
    for (key, (olds, news)) in groups {
        let position = first_seen.get(&key).copied().unwrap_or_default();
        let (changes, same) = compare_group(olds, news);
        unchanged += same;
        ranked.extend(changes.into_iter().map(|change| (position, change)));
    }
    ranked.sort_by_key(|(position, change)| {
        (Reverse(change.worst_level()), !change.is_worse(), *position)
    });
    Diff {
        old: Side::of(old),
        new: Side::of(new),
        matched_by_tag: by_tag,
        changes: ranked.into_iter().map(|(_, change)| change).collect(),
        unchanged,
        hidden: 0,
    }
}

/// The changes among entries with one key, and how many are unchanged:
/// equal levels pair first, then the rest pair in order as level changes;
/// what is left appeared or disappeared.
fn compare_group(mut olds: Vec<&Entry>, news: Vec<&Entry>) -> (Vec<Change>, usize) {
    let mut unmatched_news = Vec::new();
    let mut unchanged = 0;
    for entry in news {
        match olds.iter().position(|old| old.level == entry.level) {
            Some(index) => {
                olds.remove(index);
                unchanged += 1;
            }
            None => unmatched_news.push(entry),
        }
    }
    let mut changes = Vec::new();
    let mut olds = olds.into_iter();
    for entry in unmatched_news {
        match olds.next() {
            Some(old) => changes.push(change(ChangeKind::LevelChanged, Some(old), entry)),
            None => changes.push(change(ChangeKind::Appeared, None, entry)),
        }
    }
    for old in olds {
        changes.push(Change {
            new_level: None,
            ..change(ChangeKind::Disappeared, Some(old), old)
        });
    }
    (changes, unchanged)
}

/// A change shown with `shown`'s texts.
fn change(kind: ChangeKind, old: Option<&Entry>, shown: &Entry) -> Change {
    Change {
        kind,
        old_level: old.map(|old| old.level),
        new_level: Some(shown.level),
        module: shown.module.clone(),
        testcase: shown.testcase.clone(),
        tag: shown.tag.clone(),
        args: shown.args.clone(),
        message: shown.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::tests::{entry, report_of};
    use serde_json::json;

    fn kinds(diff: &Diff) -> Vec<(ChangeKind, String, String)> {
        diff.changes
            .iter()
            .map(|c| (c.kind, c.levels_text(), c.message.clone()))
            .collect()
    }

    #[test]
    fn appeared_disappeared_and_changed_come_worst_first() {
        let old = report_of(vec![
            entry("Basic", "Basic01", Level::Info, "SAME", "same"),
            entry("Delegation", "Delegation01", Level::Warning, "GONE", "gone"),
            entry("Zone", "Zone01", Level::Notice, "RAISED", "raised"),
            entry("Zone", "Zone02", Level::Error, "LOWERED", "lowered"),
        ]);
        let new = report_of(vec![
            entry("Basic", "Basic01", Level::Info, "SAME", "same"),
            entry("Zone", "Zone01", Level::Error, "RAISED", "raised"),
            entry("Zone", "Zone02", Level::Warning, "LOWERED", "lowered"),
            entry("Nameserver", "Nameserver01", Level::Critical, "NEW", "new"),
            entry("Nameserver", "Nameserver02", Level::Info, "NOISE", "noise"),
        ]);
        let diff = diff(&old, &new);
        assert!(diff.matched_by_tag);
        assert_eq!(diff.unchanged, 1);
        let expected = [
            (ChangeKind::Appeared, "CRITICAL", "new"),
            (ChangeKind::LevelChanged, "NOTICE → ERROR", "raised"),
            (ChangeKind::LevelChanged, "ERROR → WARNING", "lowered"),
            (ChangeKind::Disappeared, "WARNING", "gone"),
            (ChangeKind::Appeared, "INFO", "noise"),
        ];
        let expected: Vec<(ChangeKind, String, String)> = expected
            .iter()
            .map(|(kind, levels, text)| (*kind, (*levels).to_owned(), (*text).to_owned()))
            .collect();
        assert_eq!(kinds(&diff), expected);
        let gone = &diff.changes[3];
        assert_eq!(
            (gone.old_level, gone.new_level),
            (Some(Level::Warning), None)
        );
        assert_eq!(
            diff.summary(),
            "2 appeared, 1 disappeared, 2 changed level, 1 unchanged"
        );
        assert_eq!(diff.old.id.as_deref(), Some("0123456789abcdef"));
    }

    #[test]
    fn identical_reports_have_no_changes() {
        let report = report_of(vec![
            entry("Basic", "Basic01", Level::Info, "A", "a"),
            entry("Basic", "Basic01", Level::Error, "B", "b"),
        ]);
        let diff = diff(&report, &report);
        assert!(diff.is_empty());
        assert_eq!(diff.unchanged, 2);
    }

    #[test]
    fn the_title_names_both_zones_when_they_differ() {
        let old = report_of(vec![]);
        let mut new = report_of(vec![]);
        assert_eq!(diff(&old, &new).title(), "example.se");
        new.domain = "example.net".into();
        assert_eq!(diff(&old, &new).title(), "example.se → example.net");
        let text = diff(&old, &new).render(Format::Text);
        assert!(text.starts_with("example.se → example.net: "), "{text}");
    }

    #[test]
    fn duplicates_are_counted_not_merged() {
        let three = vec![entry("Zone", "Zone01", Level::Warning, "DUP", "dup"); 3];
        let old = report_of(three);
        let new = report_of(vec![
            entry("Zone", "Zone01", Level::Warning, "DUP", "dup"),
            entry("Zone", "Zone01", Level::Error, "DUP", "dup"),
        ]);
        let diff = diff(&old, &new);
        assert_eq!(diff.unchanged, 1);
        assert_eq!(
            kinds(&diff)
                .into_iter()
                .map(|(kind, levels, _)| (kind, levels))
                .collect::<Vec<_>>(),
            [
                (ChangeKind::LevelChanged, "WARNING → ERROR".to_owned()),
                (ChangeKind::Disappeared, "WARNING".to_owned())
            ]
        );
    }

    #[test]
    fn tags_match_by_arguments_and_ignore_texts() {
        let with = |ns: &str, text: &str| {
            let mut entry = entry("Nameserver", "Nameserver01", Level::Warning, "T", text);
            entry.args = Some(json!({"ns": ns}).as_object().unwrap().clone());
            entry
        };
        let old = report_of(vec![with("ns1", "Server ns1."), with("ns2", "Server ns2.")]);
        // New wording in another release, and ns2 fixed while ns3 broke.
        let new = report_of(vec![with("ns1", "ns1 is bad."), with("ns3", "ns3 is bad.")]);
        let diff = diff(&old, &new);
        assert_eq!(diff.unchanged, 1);
        let args: Vec<(ChangeKind, Value)> = diff
            .changes
            .iter()
            .map(|c| (c.kind, c.args.as_ref().unwrap()["ns"].clone()))
            .collect();
        assert_eq!(
            args,
            [
                (ChangeKind::Appeared, json!("ns3")),
                (ChangeKind::Disappeared, json!("ns2"))
            ]
        );
    }

    #[test]
    fn without_tags_on_either_side_texts_are_matched() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Warning, "T", "same")]);
        let mut new = report_of(vec![
            entry("Zone", "Zone01", Level::Warning, "OTHER", "same"),
            entry("Zone", "Zone01", Level::Notice, "T", "new text"),
        ]);
        new.entries[0].tag = None;
        let diff = diff(&old, &new);
        assert!(!diff.matched_by_tag);
        assert_eq!(diff.unchanged, 1);
        assert_eq!(diff.changes.len(), 1);
        assert_eq!(diff.changes[0].message, "new text");
    }

    #[test]
    fn low_levels_can_be_left_out_and_are_counted() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Info, "SERIAL", "1")]);
        let new = report_of(vec![
            entry("Zone", "Zone01", Level::Info, "SERIAL", "2"),
            entry("Zone", "Zone02", Level::Notice, "X", "x"),
        ]);
        let mut new_args = new;
        new_args.entries[0].args = Some(json!({"serial": 2}).as_object().unwrap().clone());
        let diff = diff(&old, &new_args).at_least(Level::Notice);
        assert_eq!(diff.changes.len(), 1);
        assert_eq!(diff.hidden, 2, "the serial's appearance and disappearance");
        assert!(
            diff.summary()
                .ends_with("(2 lower-level changes not shown)")
        );
    }
}
