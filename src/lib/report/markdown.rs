//! The Markdown format (GitHub-flavoured tables), for tickets, wikis and
//! change logs.
//!
//! A report: a heading per module, a table per test case. A diff: one
//! table, the worst change first. Texts from the results are escaped with
//! backslashes (CommonMark allows one before any ASCII punctuation), so a
//! `|` cannot split a cell and `<script>` stays text; line breaks inside a
//! cell become `<br>`.

use std::fmt::Write as _;

use super::diff::Diff;
use super::model::{Entry, Report, args_text};

/// `text` safe inside a table cell or a heading.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\n' => escaped.push_str("<br>"),
            '\r' => {}
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// `text` safe in a heading: one line.
fn heading(text: &str) -> String {
    escape(&text.replace('\n', " "))
}

/// A tag in code type when it is a plain word, escaped text otherwise;
/// then its arguments.
fn tag_cell(tag: Option<&str>, args: &str) -> String {
    let mut cell = match tag {
        Some(tag)
            if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            format!("`{tag}`")
        }
        Some(tag) => escape(tag),
        None => String::new(),
    };
    if !args.is_empty() {
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(&escape(args));
    }
    cell
}

/// The report as Markdown.
pub(super) fn report(report: &Report) -> String {
    let mut out = format!("# Zonemaster results for {}\n\n", heading(&report.domain));
    let mut facts = Vec::new();
    if let Some(id) = &report.id {
        facts.push(format!("Test: {}", escape(id)));
    }
    if let Some(created) = &report.created_at {
        facts.push(format!("Created: {}", escape(created)));
    }
    if let Some(finished) = &report.finished_at {
        facts.push(format!("Finished: {}", escape(finished)));
    }
    if let Some(params) = report.params.as_ref().map(ToString::to_string)
        && !params.is_empty()
    {
        facts.push(format!("Parameters: {}", escape(&params)));
    }
    if let Some(coverage) = &report.testcases {
        facts.push(format!("Test cases: {coverage}"));
    }
    for fact in &facts {
        let _ = writeln!(out, "- {fact}");
    }
    if !facts.is_empty() {
        out.push('\n');
    }
    out.push_str("| Level | Messages |\n| --- | ---: |\n");
    for (level, count) in report.counts() {
        let _ = writeln!(out, "| {level} | {count} |");
    }
    if report.entries.is_empty() {
        out.push_str("\nNo messages.\n");
    }
    let tagged = report.entries.iter().any(|entry| entry.tag.is_some());
    for group in report.groups() {
        let _ = write!(out, "\n## {}\n", heading(group.module));
        for (testcase, entries) in &group.testcases {
            let _ = write!(
                out,
                "\n### {}\n\n",
                heading(Entry::testcase_label(testcase))
            );
            out.push_str(&entries_table(entries, tagged));
        }
    }
    out
}

/// One test case's entries as a table.
fn entries_table(entries: &[&Entry], tagged: bool) -> String {
    let mut table = if tagged {
        String::from("| Level | Message | Tag |\n| --- | --- | --- |\n")
    } else {
        String::from("| Level | Message |\n| --- | --- |\n")
    };
    for entry in entries {
        let _ = write!(table, "| {} | {} |", entry.level, escape(&entry.message));
        if tagged {
            let _ = write!(
                table,
                " {} |",
                tag_cell(entry.tag.as_deref(), &entry.args_text())
            );
        }
        table.push('\n');
    }
    table
}

/// The diff as Markdown.
pub(super) fn diff(diff: &Diff) -> String {
    let mut out = format!("# Changes in {}\n\n", heading(&diff.title()));
    let _ = writeln!(out, "- From: {}", escape(&diff.old.label()));
    let _ = writeln!(out, "- To: {}", escape(&diff.new.label()));
    let _ = writeln!(out, "- {}", escape(&diff.summary()));
    if diff.is_empty() {
        out.push_str("\nNo changes.\n");
        return out;
    }
    out.push_str(
        "\n| Change | Level | Module | Test case | Message | Tag |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for change in &diff.changes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            change.kind.as_str(),
            change.levels_text(),
            escape(&change.module),
            escape(Entry::testcase_label(&change.testcase)),
            escape(&change.message),
            tag_cell(change.tag.as_deref(), &args_text(change.args.as_ref()))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::engine::level::Level;
    use crate::report::Format;
    use crate::report::diff::diff as compare;
    use crate::report::model::tests::{entry, report_of};
    use serde_json::json;

    #[test]
    fn a_heading_per_module_and_a_table_per_test_case() {
        let report = report_of(vec![
            entry("Basic", "Basic01", Level::Info, "B01_CHILD_FOUND", "Found."),
            entry("Zone", "Zone01", Level::Warning, "Z01_X", "Odd."),
        ]);
        let markdown = report.render(Format::Markdown);
        assert_eq!(
            markdown,
            "# Zonemaster results for example.se\n\n\
             - Test: 0123456789abcdef\n\
             - Created: 2026-01-01T10:00:00Z\n\n\
             | Level | Messages |\n| --- | ---: |\n\
             | CRITICAL | 0 |\n| ERROR | 0 |\n| WARNING | 1 |\n| NOTICE | 0 |\n| INFO | 1 |\n\
             \n## Basic\n\n### Basic01\n\n\
             | Level | Message | Tag |\n| --- | --- | --- |\n\
             | INFO | Found. | `B01_CHILD_FOUND` |\n\
             \n## Zone\n\n### Zone01\n\n\
             | Level | Message | Tag |\n| --- | --- | --- |\n\
             | WARNING | Odd. | `Z01_X` |\n"
        );
    }

    #[test]
    fn pipes_markup_and_line_breaks_cannot_break_out_of_a_cell() {
        let mut bad = entry(
            "Zone|x",
            "Zone01",
            Level::Error,
            "`T|`",
            "<script>a|b</script> *x* \\| [l](u)\nnext",
        );
        bad.args = Some(json!({"ns": "a|b"}).as_object().unwrap().clone());
        let markdown = report_of(vec![bad]).render(Format::Markdown);
        let row = markdown
            .lines()
            .find(|line| line.starts_with("| ERROR | \\<"))
            .unwrap();
        assert_eq!(
            row,
            "| ERROR | \\<script\\>a\\|b\\</script\\> \\*x\\* \\\\\\| \\[l\\](u)<br>next \
             | \\`T\\|\\` ns=a\\|b |"
        );
        // Exactly the four cell separators are unescaped pipes.
        let bare = row.replace("\\|", "");
        assert_eq!(bare.matches('|').count(), 4);
        assert!(markdown.contains("\n## Zone\\|x\n"));
    }

    #[test]
    fn a_diff_is_one_table_worst_first() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Warning, "A", "a")]);
        let new = report_of(vec![entry("Zone", "Zone01", Level::Error, "A", "a")]);
        let markdown = compare(&old, &new).render(Format::Markdown);
        assert!(markdown.contains("- From: test 0123456789abcdef (2026-01-01T10:00:00Z)\n"));
        assert!(
            markdown.contains("| level changed | WARNING → ERROR | Zone | Zone01 | a | `A` |\n")
        );
        let same = compare(&old, &old).render(Format::Markdown);
        assert!(same.ends_with("\nNo changes.\n"));
    }
}
