//! What became of each domain of a batch: its test, the test's state and
//! its worst level; the per-level summary; CSV for spreadsheets and grep.

use std::collections::BTreeMap;

use zonemaster::client::Client;
pub use zonemaster::client::DomainOutcome;
use zonemaster::engine::level::Level;

use crate::Failure;
use crate::output::Rows;

/// Every domain of batch `batch_id`, sorted by domain, then test id.
pub async fn fetch_outcomes(client: &Client, batch_id: i64) -> Result<Vec<DomainOutcome>, Failure> {
    Ok(client.batch_outcomes(batch_id).await?)
}

/// The rows of `batch results`: domain, worst level, state, test id.
pub fn outcome_rows(outcomes: &[DomainOutcome]) -> Rows {
    let mut rows = Rows::new(&["Domain", "Level", "State", "Test id"]).with_levels_in(1);
    for outcome in outcomes {
        rows.push(vec![
            outcome.domain.clone(),
            level_text(outcome.level),
            outcome.state.clone(),
            outcome.test_id.clone(),
        ]);
    }
    rows
}

/// The same as CSV (RFC 4180) with a header line.
pub fn outcomes_csv(outcomes: &[DomainOutcome]) -> String {
    let rows = outcomes.iter().map(|outcome| {
        vec![
            outcome.domain.clone(),
            level_text(outcome.level),
            outcome.state.clone(),
            outcome.test_id.clone(),
        ]
    });
    zonemaster::report::csv_table(&["domain", "level", "state", "test_id"], rows)
}

fn level_text(level: Option<Level>) -> String {
    level.map_or_else(|| "-".to_owned(), |level| level.as_str().to_owned())
}

/// How many domains ended at each worst level (completed tests, CRITICAL
/// down to INFO, every level listed), then how many tests failed or were
/// cancelled, and how many did not finish.
pub fn summary(outcomes: &[DomainOutcome]) -> BTreeMap<&'static str, u64> {
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    for key in SUMMARY_KEYS {
        counts.insert(key, 0);
    }
    for outcome in outcomes {
        let key = match (outcome.state.as_str(), outcome.level) {
            ("failed", _) => "failed",
            ("cancelled", _) => "cancelled",
            ("waiting" | "running", _) => "unfinished",
            (_, Some(level)) if level >= Level::Info => level.as_str(),
            _ => "INFO",
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// The summary's rows in the order people read them.
const SUMMARY_KEYS: [&str; 8] = [
    "CRITICAL",
    "ERROR",
    "WARNING",
    "NOTICE",
    "INFO",
    "failed",
    "cancelled",
    "unfinished",
];

/// The summary as rows: worst level (or state) and how many domains.
pub fn summary_rows(summary: &BTreeMap<&'static str, u64>) -> Rows {
    let mut rows = Rows::new(&["Worst level", "Domains"]).with_levels_in(0);
    for key in SUMMARY_KEYS {
        let count = summary.get(key).copied().unwrap_or_default();
        if count > 0 || key.chars().all(|c| c.is_ascii_uppercase()) {
            rows.push(vec![key.to_owned(), count.to_string()]);
        }
    }
    rows
}

/// True when some domain's worst level reaches `fail_level`.
pub fn reaches(outcomes: &[DomainOutcome], fail_level: Level) -> bool {
    outcomes
        .iter()
        .any(|outcome| outcome.level.is_some_and(|level| level >= fail_level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Layout, Style};

    fn outcome(domain: &str, level: Option<Level>, state: &str) -> DomainOutcome {
        DomainOutcome {
            domain: domain.into(),
            level,
            state: state.into(),
            test_id: format!("{:0>16}", domain.len()),
        }
    }

    fn sample() -> Vec<DomainOutcome> {
        vec![
            outcome("a.test", Some(Level::Error), "completed"),
            outcome("b.test", Some(Level::Info), "completed"),
            outcome("c.test", Some(Level::Critical), "failed"),
            outcome("d.test", None, "cancelled"),
        ]
    }

    #[test]
    fn csv_has_a_header_and_one_line_per_domain() {
        assert_eq!(
            outcomes_csv(&sample()),
            "domain,level,state,test_id\r\na.test,ERROR,completed,0000000000000006\r\n\
             b.test,INFO,completed,0000000000000006\r\nc.test,CRITICAL,failed,0000000000000006\r\n\
             d.test,-,cancelled,0000000000000006\r\n"
        );
        let hostile = [outcome("a,\"b\"", None, "cancelled")];
        let text = outcomes_csv(&hostile);
        assert!(text.contains("\r\n\"a,\"\"b\"\"\",-,"), "{text:?}");
    }

    #[test]
    fn the_summary_counts_worst_levels_and_endings() {
        let counts = summary(&sample());
        assert_eq!(counts["ERROR"], 1);
        assert_eq!(counts["INFO"], 1);
        assert_eq!(counts["CRITICAL"], 0, "a failed test counts as failed");
        assert_eq!((counts["failed"], counts["cancelled"]), (1, 1));
        let plain = Style {
            layout: Layout::Plain,
            is_coloured: false,
        };
        assert_eq!(
            summary_rows(&counts).render(plain),
            "CRITICAL\t0\nERROR\t1\nWARNING\t0\nNOTICE\t0\nINFO\t1\nfailed\t1\ncancelled\t1\n"
        );
        assert!(reaches(&sample(), Level::Error));
        assert!(!reaches(&sample()[1..2], Level::Warning));
    }
}
