//! A test's results as `test results` and `test start --wait` print them:
//! the state and coverage lines, then one row per message; and what they
//! mean for the exit code.

use std::io::Write;

use clap::Args;
use serde::Serialize;
use zonemaster::api_types::TestResults;
use zonemaster::engine::level::Level;

use crate::Failure;
use crate::output::{Rows, Style};

/// How results are printed.
#[derive(Args, Clone, Debug)]
pub struct ResultsFormat {
    /// Language of the message texts.
    #[arg(
        long = "lang",
        visible_alias = "language",
        value_name = "LANG",
        default_value = "en"
    )]
    pub language: String,
    /// Print the server's result object as JSON (the same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// text (the default table), json (the server's result object), csv,
    /// html (one self-contained page) or markdown.
    #[arg(long, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<zonemaster::report::Format>,
}

impl ResultsFormat {
    /// The export format asked for, when it is one the report module
    /// writes (csv, html, markdown); text and json keep their own forms.
    pub fn export(&self) -> Option<zonemaster::report::Format> {
        use zonemaster::report::Format;
        self.format
            .filter(|format| matches!(format, Format::Csv | Format::Html | Format::Markdown))
    }

    /// True for the server's JSON object.
    pub fn wants_json(&self) -> bool {
        self.json || self.format == Some(zonemaster::report::Format::Json)
    }
}

/// `results` as a [`zonemaster::report::Report`] (what exports and diffs
/// read).
pub fn report_of(results: &TestResults) -> Result<zonemaster::report::Report, Failure> {
    let value = serde_json::to_value(results)
        .map_err(|error| Failure::failed(format!("cannot read the results: {error}")))?;
    zonemaster::report::Report::from_results(&value)
        .map_err(|error| Failure::failed(format!("cannot read the results: {error}")))
}

/// Writes `value` as one line of JSON with its object members sorted, as
/// the server writes them.
pub fn print_json(value: &impl Serialize, out: &mut dyn Write) -> Result<(), Failure> {
    let value = serde_json::to_value(value)
        .map_err(|error| Failure::failed(format!("cannot write JSON: {error}")))?;
    let _ = writeln!(out, "{value}");
    Ok(())
}

/// Prints `results`: JSON, or for people the state and coverage lines and
/// a table, or for scripts one tab-separated line per message.
pub fn print_results(
    results: &TestResults,
    as_json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if as_json {
        return print_json(results, out);
    }
    if style.is_human() {
        if let Some(state) = &results.state {
            let _ = writeln!(out, "{}", state_line(state, results));
        }
        if let Some(tally) = results.testcases {
            let enabled = usize::try_from(tally.enabled).unwrap_or(usize::MAX);
            let _ = writeln!(out, "{}", crate::testcase_summary(tally.ran, enabled));
        }
    }
    let mut rows = Rows::new(&["Level", "Module", "Testcase", "Message"]).with_levels_in(0);
    for entry in &results.results {
        rows.push(vec![
            entry.level.clone(),
            entry.module.clone(),
            entry.testcase.clone(),
            entry.message.trim_end().to_owned(),
        ]);
    }
    let _ = write!(out, "{}", rows.render(style));
    Ok(())
}

/// `State: completed; started …; ended …; reason …`.
fn state_line(state: &str, results: &TestResults) -> String {
    let mut line = format!("State: {state}");
    let parts = [
        ("started", &results.started_at),
        ("ended", &results.ended_at),
        ("reason", &results.reason),
    ];
    for (label, value) in parts {
        if let Some(value) = value.as_deref().filter(|value| !value.is_empty()) {
            line.push_str(&format!("; {label} {value}"));
        }
    }
    line
}

/// How a test that did not complete ended, for the user: `failed: REASON`
/// or `was cancelled`. A completed test (or a server that does not say its
/// state) gives `None`.
pub fn unsuccessful(results: &TestResults) -> Option<String> {
    let reason = results
        .reason
        .as_deref()
        .filter(|reason| !reason.is_empty());
    let with_reason = |what: &str| match reason {
        Some(reason) => format!("{what}: {reason}"),
        None => what.to_owned(),
    };
    match results.state.as_deref()? {
        "failed" => Some(with_reason("failed")),
        "cancelled" => Some(with_reason("was cancelled")),
        _ => None,
    }
}

/// 3 when a result reaches `fail_level`, else 0.
pub fn exit_for(results: &TestResults, fail_level: Option<Level>) -> u8 {
    match (fail_level, results.worst_level()) {
        (Some(fail_level), Some(worst)) if worst >= fail_level => crate::EXIT_FAIL_LEVEL,
        _ => crate::EXIT_OK,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::output::Layout;

    fn results(value: serde_json::Value) -> TestResults {
        serde_json::from_value(value).unwrap()
    }

    fn sample() -> TestResults {
        results(json!({
            "hash_id": "00000000000000a1", "created_at": "2024-01-01T00:00:00Z",
            "params": {"domain": "good.test"}, "state": "completed",
            "started_at": "2024-01-01T00:00:01Z", "ended_at": "2024-01-01T00:00:02Z",
            "testcases": {"ran": 2, "enabled": 73},
            "results": [
                {"module": "Basic", "testcase": "Basic01", "level": "INFO", "message": "fine\n"},
                {"module": "Address", "testcase": "Address01", "level": "ERROR", "message": "bad, worse\n"}]}))
    }

    /// Issue 8 (4/13), point 8: a test that did not complete is no success.
    #[test]
    fn failed_and_cancelled_tests_are_unsuccessful() {
        let base = json!({"created_at": "t", "params": {"domain": "a.se"}, "results": []});
        let with = |state: serde_json::Value, reason: serde_json::Value| {
            let mut value = base.clone();
            value["state"] = state;
            value["reason"] = reason;
            results(value)
        };
        let failed = with(json!("failed"), json!("no name server answered"));
        assert_eq!(
            unsuccessful(&failed).as_deref(),
            Some("failed: no name server answered")
        );
        let cancelled = with(json!("cancelled"), json!(null));
        assert_eq!(unsuccessful(&cancelled).as_deref(), Some("was cancelled"));
        assert_eq!(unsuccessful(&with(json!("completed"), json!(null))), None);
        assert_eq!(unsuccessful(&results(base)), None);
    }

    #[test]
    fn fail_level_counts_only_results_at_or_above_it() {
        assert_eq!(exit_for(&sample(), Some(Level::Error)), 3);
        assert_eq!(exit_for(&sample(), Some(Level::Critical)), 0);
        assert_eq!(exit_for(&sample(), None), 0);
    }

    #[test]
    fn people_get_the_state_and_scripts_only_rows() {
        let mut human = Vec::new();
        print_results(&sample(), false, Style::legacy(), &mut human).unwrap();
        let human = String::from_utf8(human).unwrap();
        assert!(
            human.starts_with(
                "State: completed; started 2024-01-01T00:00:01Z; ended 2024-01-01T00:00:02Z\n\
                 2 of the 73 test cases the profile enables ran.\n"
            ),
            "{human}"
        );
        let mut plain = Vec::new();
        let style = Style {
            layout: Layout::Plain,
            is_coloured: false,
        };
        print_results(&sample(), false, style, &mut plain).unwrap();
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            "INFO\tBasic\tBasic01\tfine\nERROR\tAddress\tAddress01\tbad, worse\n"
        );
    }
}
