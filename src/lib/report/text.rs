//! The text format: aligned columns for a terminal, as `zmctl check`
//! prints them (and zonemaster-cli before it).
//!
//! A text that spans lines continues under its own column, so a message
//! never passes for a row of its own; control characters are shown
//! escaped, so a hostile argument cannot move the cursor.

use std::fmt::Write as _;

use super::diff::Diff;
use super::model::{Entry, Report};

/// Which columns the text format shows: zonemaster-cli's `--time`,
/// `--show-level`, `--show-module`, `--show-testcase` and `--raw`, and our
/// `--show-tag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextColumns {
    /// Seconds since the start (only when every entry has them).
    pub time: bool,
    /// The level.
    pub level: bool,
    /// The module.
    pub module: bool,
    /// The test case.
    pub testcase: bool,
    /// The tag, before the message.
    pub tag: bool,
    /// The tag and its arguments instead of the message, no header.
    pub raw: bool,
}

impl Default for TextColumns {
    /// Everything but the tag, and texts rather than raw arguments.
    fn default() -> Self {
        Self {
            time: true,
            level: true,
            module: true,
            testcase: true,
            tag: false,
            raw: false,
        }
    }
}

/// One column before the last: its header, its minimum width and whether
/// it is right-aligned.
struct Column {
    header: &'static str,
    width: usize,
    right: bool,
}

/// A table whose last column is free text.
struct Table {
    columns: Vec<Column>,
    rows: Vec<(Vec<String>, String)>,
}

impl Table {
    fn new() -> Self {
        Self {
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn column(&mut self, header: &'static str, width: usize, right: bool) {
        self.columns.push(Column {
            header,
            width: width.max(header.chars().count()),
            right,
        });
    }

    fn row(&mut self, cells: Vec<String>, last: String) {
        for (column, cell) in self.columns.iter_mut().zip(&cells) {
            column.width = column.width.max(cell.chars().count());
        }
        self.rows.push((cells, last));
    }

    /// The table, with a header line naming the last column `last` unless
    /// `last` is `None`.
    fn render(&self, last: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(last) = last {
            let headers: Vec<String> = self.columns.iter().map(|c| c.header.to_owned()).collect();
            self.line(&mut out, &headers, last);
        }
        for (cells, text) in &self.rows {
            self.line(&mut out, cells, text);
        }
        out
    }

    fn line(&self, out: &mut String, cells: &[String], last: &str) {
        let mut prefix = String::new();
        for (column, cell) in self.columns.iter().zip(cells) {
            let width = column.width;
            if column.right {
                let _ = write!(prefix, "{cell:>width$} ");
            } else {
                let _ = write!(prefix, "{cell:<width$} ");
            }
        }
        let indent = " ".repeat(prefix.chars().count());
        let mut lines = last.split('\n');
        let first = lines.next().unwrap_or_default();
        let _ = writeln!(out, "{prefix}{first}");
        for line in lines {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
}

/// `text` with control characters other than newlines escaped.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => c.to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// `visible`, on one line.
fn one_line(text: &str) -> String {
    visible(text).replace('\n', "\\n")
}

/// The report as a table (no title: callers add their own lines).
pub(super) fn report(report: &Report, columns: &TextColumns) -> String {
    let timed = report.entries.iter().all(|entry| entry.timestamp.is_some());
    let mut table = Table::new();
    if columns.time && timed {
        table.column("Seconds", 8, true);
    }
    if columns.level {
        table.column("Level", 8, false);
    }
    if columns.module {
        table.column("Module", 12, false);
    }
    if columns.testcase {
        table.column("Testcase", 14, false);
    }
    if columns.tag && !columns.raw {
        table.column("Tag", 0, false);
    }
    for entry in &report.entries {
        let mut cells = Vec::new();
        if columns.time && timed {
            cells.push(format!("{:.2}", entry.timestamp.unwrap_or_default()));
        }
        if columns.level {
            cells.push(entry.level.as_str().to_owned());
        }
        if columns.module {
            cells.push(one_line(&entry.module));
        }
        if columns.testcase {
            cells.push(one_line(&entry.testcase));
        }
        if columns.tag && !columns.raw {
            cells.push(one_line(entry.tag.as_deref().unwrap_or("-")));
        }
        table.row(cells, last_cell(entry, columns.raw));
    }
    table.render((!columns.raw).then_some("Message"))
}

/// The message, or with `raw` the tag and its arguments (the message when
/// the entry has no tag).
fn last_cell(entry: &Entry, raw: bool) -> String {
    match (&entry.tag, raw) {
        (Some(tag), true) => {
            let args = entry.args_text();
            let raw = if args.is_empty() {
                tag.clone()
            } else {
                format!("{tag} {args}")
            };
            visible(&raw)
        }
        _ => visible(&entry.message),
    }
}

/// The diff: which tests, a summary line, then one row per change.
pub(super) fn diff(diff: &Diff) -> String {
    let mut out = format!(
        "{}: {} → {}\n{}\n",
        one_line(&diff.title()),
        one_line(&diff.old.label()),
        one_line(&diff.new.label()),
        diff.summary()
    );
    if diff.is_empty() {
        return out;
    }
    let mut table = Table::new();
    table.column("", 1, false);
    table.column("Level", 8, false);
    table.column("Module", 12, false);
    table.column("Testcase", 14, false);
    for change in &diff.changes {
        let cells = vec![
            change.kind.sign().to_string(),
            change.levels_text(),
            one_line(&change.module),
            one_line(&change.testcase),
        ];
        table.row(cells, visible(&change.message));
    }
    out.push('\n');
    out.push_str(&table.render(Some("Message")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::level::Level;
    use crate::report::diff::diff as compare;
    use crate::report::model::tests::{entry, report_of};
    use serde_json::json;

    fn timed(seconds: f64, level: Level, message: &str) -> Entry {
        let mut entry = entry("Basic", "Basic02", level, "B02_NO_DELEGATION", message);
        entry.timestamp = Some(seconds);
        entry.args = Some(json!({"domain": "example.se"}).as_object().unwrap().clone());
        entry
    }

    #[test]
    fn the_default_columns_are_zmctl_checks() {
        let report = report_of(vec![timed(0.5, Level::Error, "No delegation.")]);
        assert_eq!(
            report.render_text(&TextColumns::default()),
            " Seconds Level    Module       Testcase       Message\n\
            \x20   0.50 ERROR    Basic        Basic02        No delegation.\n"
        );
    }

    #[test]
    fn columns_can_be_hidden_and_the_tag_shown() {
        let report = report_of(vec![timed(0.5, Level::Error, "No delegation.")]);
        let columns = TextColumns {
            time: false,
            module: false,
            testcase: false,
            tag: true,
            ..TextColumns::default()
        };
        assert_eq!(
            report.render_text(&columns),
            "Level    Tag               Message\n\
             ERROR    B02_NO_DELEGATION No delegation.\n"
        );
    }

    #[test]
    fn raw_shows_tag_and_arguments_without_a_header() {
        let report = report_of(vec![timed(0.5, Level::Error, "No delegation.")]);
        let columns = TextColumns {
            raw: true,
            time: false,
            ..TextColumns::default()
        };
        assert_eq!(
            report.render_text(&columns),
            "ERROR    Basic        Basic02        B02_NO_DELEGATION domain=example.se\n"
        );
    }

    #[test]
    fn entries_without_times_leave_the_seconds_out() {
        let report = report_of(vec![entry("Zone", "Zone01", Level::Notice, "T", "x")]);
        let text = report.render(crate::report::Format::Text);
        assert!(text.starts_with("Level    Module"), "{text}");
    }

    #[test]
    fn hostile_texts_cannot_forge_rows_or_move_the_cursor() {
        let mut entry = timed(1.0, Level::Info, "first\nERROR forged\u{1b}[2J");
        entry.module = "Ba\nsic".into();
        let text = report_of(vec![entry]).render(crate::report::Format::Text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].contains("Ba\\nsic") && lines[1].ends_with("first"));
        assert!(lines[2].starts_with("    "), "continued under its column");
        assert!(lines[2].trim_start().starts_with("ERROR forged\\u{1b}[2J"));
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn a_diff_names_both_tests_and_marks_each_change() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Warning, "A", "gone")]);
        let mut new = report_of(vec![entry("Zone", "Zone02", Level::Error, "B", "new")]);
        new.id = Some("fedcba9876543210".into());
        new.created_at = None;
        let text = compare(&old, &new).render(crate::report::Format::Text);
        assert_eq!(
            text,
            "example.se: test 0123456789abcdef (2026-01-01T10:00:00Z) → test fedcba9876543210\n\
             1 appeared, 1 disappeared, 0 changed level, 0 unchanged\n\
             \n\
             \x20 Level    Module       Testcase       Message\n\
             + ERROR    Zone         Zone02         new\n\
             - WARNING  Zone         Zone01         gone\n"
        );
        let same = compare(&old, &old).render(crate::report::Format::Text);
        assert!(same.ends_with("0 appeared, 0 disappeared, 0 changed level, 1 unchanged\n"));
    }
}
