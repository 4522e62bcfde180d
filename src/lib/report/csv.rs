//! The CSV format (RFC 4180: CRLF line ends, fields quoted when they hold
//! a comma, a quote or a line break), one header line, one row per entry
//! or change, so `grep ERROR` and spreadsheets both work.
//!
//! Report columns: `module,testcase,level,tag,args,message`; diff
//! columns: `change,old_level,new_level,module,testcase,tag,args,message`.
//! `args` is the arguments as compact JSON. Cells are written as they are:
//! a spreadsheet that evaluates a cell starting with `=` does so on its
//! own account.

use super::diff::Diff;
use super::model::Report;

/// Writes `rows` after `header` as CSV text (RFC 4180: CRLF line ends,
/// fields quoted when they hold a comma, a quote or a line break). Also
/// what other tables of ours use (`zmctl batch results --csv`).
pub fn csv_table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail; a record of the wrong length is a
    // bug of ours that the tests catch.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The report's entries as CSV.
pub(super) fn report(report: &Report) -> String {
    let rows = report.entries.iter().map(|entry| {
        vec![
            entry.module.clone(),
            entry.testcase.clone(),
            entry.level.as_str().to_owned(),
            entry.tag.clone().unwrap_or_default(),
            entry.args_json(),
            entry.message.clone(),
        ]
    });
    csv_table(
        &["module", "testcase", "level", "tag", "args", "message"],
        rows,
    )
}

/// The diff's changes as CSV.
pub(super) fn diff(diff: &Diff) -> String {
    let level = |level: Option<crate::engine::level::Level>| {
        level
            .map(|level| level.as_str().to_owned())
            .unwrap_or_default()
    };
    let rows = diff.changes.iter().map(|change| {
        vec![
            change.kind.as_str().replace(' ', "_"),
            level(change.old_level),
            level(change.new_level),
            change.module.clone(),
            change.testcase.clone(),
            change.tag.clone().unwrap_or_default(),
            change.args_json(),
            change.message.clone(),
        ]
    });
    csv_table(
        &[
            "change",
            "old_level",
            "new_level",
            "module",
            "testcase",
            "tag",
            "args",
            "message",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use crate::engine::level::Level;
    use crate::report::Format;
    use crate::report::diff::diff as compare;
    use crate::report::model::tests::{entry, report_of};
    use serde_json::json;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let mut hostile = entry(
            "Zone",
            "Zone01",
            Level::Error,
            "T",
            "a, \"quoted\"\nsecond line",
        );
        hostile.args = Some(json!({"ns": "x,y"}).as_object().unwrap().clone());
        let plain = entry("Basic", "Basic01", Level::Info, "B", "<script>|");
        let csv = report_of(vec![hostile, plain]).render(Format::Csv);
        assert_eq!(
            csv,
            "module,testcase,level,tag,args,message\r\n\
             Zone,Zone01,ERROR,T,\"{\"\"ns\"\":\"\"x,y\"\"}\",\"a, \"\"quoted\"\"\nsecond line\"\r\n\
             Basic,Basic01,INFO,B,{},<script>|\r\n"
        );
        // And it reads back to the same cells.
        let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
        let first = reader.records().next().unwrap().unwrap();
        assert_eq!(&first[4], r#"{"ns":"x,y"}"#);
        assert_eq!(&first[5], "a, \"quoted\"\nsecond line");
    }

    #[test]
    fn an_empty_report_is_just_the_header() {
        assert_eq!(
            report_of(vec![]).render(Format::Csv),
            "module,testcase,level,tag,args,message\r\n"
        );
    }

    #[test]
    fn a_diff_has_one_row_per_change() {
        let old = report_of(vec![entry("Zone", "Zone01", Level::Warning, "A", "a")]);
        let new = report_of(vec![entry("Zone", "Zone01", Level::Error, "A", "a")]);
        assert_eq!(
            compare(&old, &new).render(Format::Csv),
            "change,old_level,new_level,module,testcase,tag,args,message\r\n\
             level_changed,WARNING,ERROR,Zone,Zone01,A,{},a\r\n"
        );
    }
}
