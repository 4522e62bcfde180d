//! The HTML format: one self-contained page per report or diff.
//!
//! Inline CSS, no scripts, no fonts, images or anything else to fetch, so
//! a page saved to disk or mailed reads the same offline and prints well.
//! A report is grouped by module, then test case, under a count per
//! level; a diff is one table, the worst change first. Levels are
//! coloured for a light background and also written out, so a
//! black-and-white print loses nothing. Every text from the results is
//! escaped.

use std::fmt::Write as _;

use super::diff::{Change, ChangeKind, Diff};
use super::model::{Entry, Report, args_text};
use crate::engine::level::Level;

/// The page's style: light background, a badge per level, print rules.
const STYLE: &str = "\
:root{color-scheme:light}\
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;\
background:#fff;margin:2rem auto;max-width:72rem;padding:0 1rem}\
h1{font-size:1.6rem;margin:0 0 .3rem}\
h2{font-size:1.25rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:2px solid #ccc}\
h3{font-size:1rem;margin:1.2rem 0 .4rem}\
p.meta{color:#444;margin:.2rem 0}\
table{border-collapse:collapse;width:100%}\
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}\
th{font-size:.85rem;color:#444}\
td.message{white-space:pre-wrap;overflow-wrap:anywhere;width:60%}\
code,.args{font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}\
.args{display:block;color:#555}\
.level{display:inline-block;min-width:5.5em;padding:.05rem .4rem;border:1px solid;\
border-radius:3px;font-weight:600;font-size:.8rem;text-align:center;white-space:nowrap}\
.critical{background:#7a0010;color:#fff;border-color:#7a0010}\
.error{background:#fde2e4;color:#a4001d}\
.warning{background:#fff1cc;color:#7a4d00}\
.notice{background:#e3eefc;color:#0b4a8b}\
.info{background:#e6f4ea;color:#1d6b34}\
.debug{background:#f1f1f1;color:#555}\
ul.summary{list-style:none;padding:0;margin:1rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}\
.worse{color:#a4001d;font-weight:600}.better{color:#1d6b34;font-weight:600}\
footer{margin-top:2.5rem;color:#666;font-size:.85rem}\
@media print{body{margin:0;max-width:none;font-size:10.5pt}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
tr,h3{break-inside:avoid}h2,h3{break-after:avoid}}";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe in element text
/// and in quoted attributes.
pub(super) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The badge of a level: its name, coloured by its class.
fn badge(level: Level) -> String {
    let class = match level {
        Level::Critical => "critical",
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Notice => "notice",
        Level::Info => "info",
        Level::Debug | Level::Debug2 | Level::Debug3 => "debug",
    };
    format!("<span class=\"level {class}\">{}</span>", level.as_str())
}

/// The page around `body`, titled `title`.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\
         <footer>Written by zonemaster-rs {}.</footer>\n</body>\n</html>\n",
        escape(title),
        env!("CARGO_PKG_VERSION")
    )
}

/// `Test ID · created TIME · finished TIME`, the parts that are known.
fn identity(id: Option<&str>, created: Option<&str>, finished: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(id) = id {
        parts.push(format!("Test <code>{}</code>", escape(id)));
    }
    if let Some(created) = created {
        parts.push(format!("Created {}", escape(created)));
    }
    if let Some(finished) = finished {
        parts.push(format!("Finished {}", escape(finished)));
    }
    parts.join(" · ")
}

/// The report as a page.
pub(super) fn report(report: &Report) -> String {
    let mut body = format!(
        "<header>\n<h1>Zonemaster results for {}</h1>\n",
        escape(&report.domain)
    );
    let known = identity(
        report.id.as_deref(),
        report.created_at.as_deref(),
        report.finished_at.as_deref(),
    );
    if !known.is_empty() {
        let _ = writeln!(body, "<p class=\"meta\">{known}</p>");
    }
    if let Some(params) = report.params.as_ref().map(ToString::to_string)
        && !params.is_empty()
    {
        let _ = writeln!(body, "<p class=\"meta\">{}</p>", escape(&params));
    }
    if let Some(coverage) = &report.testcases {
        let _ = writeln!(body, "<p class=\"meta\">{coverage}.</p>");
    }
    body.push_str("<ul class=\"summary\">\n");
    for (level, count) in report.counts() {
        let _ = writeln!(body, "<li>{} {count}</li>", badge(level));
    }
    body.push_str("</ul>\n</header>\n<main>\n");
    if report.entries.is_empty() {
        body.push_str("<p>No messages.</p>\n");
    }
    let tagged = report.entries.iter().any(|entry| entry.tag.is_some());
    for group in report.groups() {
        let _ = writeln!(body, "<section>\n<h2>{}</h2>", escape(group.module));
        for (testcase, entries) in &group.testcases {
            let _ = writeln!(body, "<h3>{}</h3>", escape(Entry::testcase_label(testcase)));
            body.push_str(&entries_table(entries, tagged));
        }
        body.push_str("</section>\n");
    }
    body.push_str("</main>\n");
    page(&format!("Zonemaster results for {}", report.domain), &body)
}

/// One test case's entries: level, message and (when known) tag and
/// arguments.
fn entries_table(entries: &[&Entry], tagged: bool) -> String {
    let mut table = String::from("<table>\n<thead><tr><th>Level</th><th>Message</th>");
    if tagged {
        table.push_str("<th>Tag</th>");
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    for entry in entries {
        let _ = write!(
            table,
            "<tr><td>{}</td><td class=\"message\">{}</td>",
            badge(entry.level),
            escape(&entry.message)
        );
        if tagged {
            let _ = write!(
                table,
                "<td>{}</td>",
                tag_cell(entry.tag.as_deref(), &entry.args_text())
            );
        }
        table.push_str("</tr>\n");
    }
    table.push_str("</tbody>\n</table>\n");
    table
}

/// The tag in code type, its arguments below it.
fn tag_cell(tag: Option<&str>, args: &str) -> String {
    let mut cell = tag.map_or_else(String::new, |tag| format!("<code>{}</code>", escape(tag)));
    if !args.is_empty() {
        let _ = write!(cell, "<span class=\"args\">{}</span>", escape(args));
    }
    cell
}

/// The diff as a page.
pub(super) fn diff(diff: &Diff) -> String {
    let mut body = format!("<header>\n<h1>Changes in {}</h1>\n", escape(&diff.title()));
    for (name, side) in [("From", &diff.old), ("To", &diff.new)] {
        let known = identity(
            side.id.as_deref(),
            side.created_at.as_deref(),
            side.finished_at.as_deref(),
        );
        let known = if known.is_empty() {
            "a local run".to_owned()
        } else {
            known
        };
        let _ = writeln!(body, "<p class=\"meta\">{name}: {known}</p>");
    }
    let _ = writeln!(
        body,
        "<p class=\"meta\">{}</p>\n</header>\n<main>",
        escape(&diff.summary())
    );
    if diff.is_empty() {
        body.push_str("<p>No changes.</p>\n");
    } else {
        body.push_str(&changes_table(&diff.changes));
    }
    body.push_str("</main>\n");
    page(&format!("Changes in {}", diff.title()), &body)
}

/// All changes in one table, in the diff's order (worst first).
fn changes_table(changes: &[Change]) -> String {
    let mut table = String::from(
        "<table>\n<thead><tr><th>Change</th><th>Level</th><th>Module</th>\
         <th>Test case</th><th>Message</th><th>Tag</th></tr></thead>\n<tbody>\n",
    );
    for change in changes {
        let class = if change.is_worse() { "worse" } else { "better" };
        let levels = match (change.kind, change.old_level, change.new_level) {
            (ChangeKind::LevelChanged, Some(old), Some(new)) => {
                format!("{} → {}", badge(old), badge(new))
            }
            (_, _, Some(level)) | (_, Some(level), None) => badge(level),
            (_, None, None) => String::new(),
        };
        let args = args_text(change.args.as_ref());
        let _ = writeln!(
            table,
            "<tr><td class=\"{class}\">{}</td><td>{levels}</td><td>{}</td><td>{}</td>\
             <td class=\"message\">{}</td><td>{}</td></tr>",
            change.kind.as_str(),
            escape(&change.module),
            escape(Entry::testcase_label(&change.testcase)),
            escape(&change.message),
            tag_cell(change.tag.as_deref(), &args)
        );
    }
    table.push_str("</tbody>\n</table>\n");
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Format;
    use crate::report::diff::diff as compare;
    use crate::report::model::tests::{entry, report_of};
    use serde_json::json;

    const HOSTILE: &str = "<script>alert('x')</script> & \"quotes\" | a,b\nline";

    fn hostile_report() -> Report {
        let mut bad = entry("Zone<b>", "Zone01", Level::Error, "<T>", HOSTILE);
        bad.args = Some(json!({"ns": "<img src=x>"}).as_object().unwrap().clone());
        let mut report = report_of(vec![
            entry("Basic", "Basic01", Level::Info, "B01_CHILD_FOUND", "found"),
            bad,
            entry(
                "Basic",
                "Basic02",
                Level::Critical,
                "B02_NO_DELEGATION",
                "none",
            ),
        ]);
        report.domain = "<i>example</i>.se".into();
        report
    }

    #[test]
    fn the_page_is_self_contained() {
        let page = hostile_report().render(Format::Html);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.ends_with("</html>\n"));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(page.contains("<style>"));
        let outside = [
            "<script", "<link", "<img", "<iframe", "<object", "href=", "url(", "@import", "http:",
            "https:",
        ];
        for outside in outside {
            assert!(!page.contains(outside), "the page holds `{outside}`");
        }
    }

    #[test]
    fn every_text_is_escaped() {
        let page = hostile_report().render(Format::Html);
        assert!(page.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot; | a,b\nline"
        ));
        assert!(page.contains("<h2>Zone&lt;b&gt;</h2>"));
        assert!(page.contains("<code>&lt;T&gt;</code>"));
        assert!(page.contains("ns=&lt;img src=x&gt;"));
        assert!(
            page.contains("<title>Zonemaster results for &lt;i&gt;example&lt;/i&gt;.se</title>")
        );
        assert!(!page.contains("<i>") && !page.contains("<b>"));
    }

    #[test]
    fn entries_are_grouped_by_module_then_test_case_under_a_summary() {
        let page = hostile_report().render(Format::Html);
        let at = |needle: &str| {
            page.find(needle)
                .unwrap_or_else(|| panic!("{needle} missing"))
        };
        assert!(at("<ul class=\"summary\">") < at("<h2>Basic</h2>"));
        assert!(at("<h2>Basic</h2>") < at("<h3>Basic01</h3>"));
        assert!(at("<h3>Basic01</h3>") < at("<h3>Basic02</h3>"));
        assert!(at("<h3>Basic02</h3>") < at("<h2>Zone&lt;b&gt;</h2>"));
        assert!(page.contains("<li><span class=\"level critical\">CRITICAL</span> 1</li>"));
        assert!(page.contains("<li><span class=\"level warning\">WARNING</span> 0</li>"));
        assert!(page.contains("Test <code>0123456789abcdef</code> · Created 2026-01-01T10:00:00Z"));
        assert_eq!(page.matches("<section>").count(), 2);
    }

    #[test]
    fn an_empty_report_says_so() {
        let page = report_of(vec![]).render(Format::Html);
        assert!(page.contains("<p>No messages.</p>"));
    }

    #[test]
    fn a_diff_page_shows_both_tests_and_the_changes_escaped() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Warning, "A", "a")]);
        let mut new = hostile_report();
        new.id = Some("fedcba9876543210".into());
        let page = compare(&old, &new).render(Format::Html);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("From: Test <code>0123456789abcdef</code>"));
        assert!(page.contains("To: Test <code>fedcba9876543210</code>"));
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script"));
        let critical = page.find("none").unwrap();
        let gone = page.find(">disappeared<").unwrap();
        assert!(critical < gone, "the worst change comes first");
        let same = compare(&old, &old).render(Format::Html);
        assert!(same.contains("<p>No changes.</p>"));
    }
}
