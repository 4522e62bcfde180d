//! The Result view's rows: a test's messages grouped by module, then by
//! test case, filtered by level and search, collapsed groups folded.
//!
//! Computed from the state on demand, so the view and the key handling
//! agree on what row `selected` is.

use crate::engine::level::Level;
use crate::report::{Entry, Report};

use super::app::ResultState;

/// One line of the Result view.
#[derive(Clone, Debug, PartialEq)]
pub enum ResultRow<'a> {
    /// A module heading.
    Module {
        /// The module.
        module: &'a str,
        /// Its shown messages.
        count: usize,
        /// Their highest level.
        worst: Option<Level>,
        /// Folded.
        is_collapsed: bool,
    },
    /// A test case heading.
    Testcase {
        /// Its module.
        module: &'a str,
        /// The test case (empty for Backend entries).
        testcase: &'a str,
        /// Its shown messages.
        count: usize,
        /// Their highest level.
        worst: Option<Level>,
        /// Folded.
        is_collapsed: bool,
    },
    /// A message.
    Message(&'a Entry),
}

impl ResultRow<'_> {
    /// The collapse key of a heading: `Module` or `Module/Testcase`.
    pub fn group_key(&self) -> Option<String> {
        match self {
            ResultRow::Module { module, .. } => Some((*module).to_owned()),
            ResultRow::Testcase {
                module, testcase, ..
            } => Some(format!("{module}/{testcase}")),
            ResultRow::Message(_) => None,
        }
    }
}

/// Whether `entry` passes the level filter and the search.
pub fn is_shown(entry: &Entry, state: &ResultState) -> bool {
    if entry.level < state.min_level {
        return false;
    }
    if state.search.is_empty() {
        return true;
    }
    let needle = state.search.to_lowercase();
    let tag = entry.tag.as_deref().unwrap_or_default();
    [entry.message.as_str(), tag, &entry.args_text()]
        .iter()
        .any(|haystack| haystack.to_lowercase().contains(&needle))
}

/// The rows of `report` as `state` filters and folds them.
pub fn result_rows<'a>(report: &'a Report, state: &ResultState) -> Vec<ResultRow<'a>> {
    let shown: Vec<&Entry> = report
        .entries
        .iter()
        .filter(|entry| is_shown(entry, state))
        .collect();
    let mut rows = Vec::new();
    for module in first_appearances(shown.iter().map(|e| e.module.as_str())) {
        let in_module: Vec<&Entry> = shown
            .iter()
            .copied()
            .filter(|e| e.module == module)
            .collect();
        let is_collapsed = state.collapsed.contains(module);
        rows.push(ResultRow::Module {
            module,
            count: in_module.len(),
            worst: in_module.iter().map(|e| e.level).max(),
            is_collapsed,
        });
        if is_collapsed {
            continue;
        }
        for testcase in first_appearances(in_module.iter().map(|e| e.testcase.as_str())) {
            let in_case: Vec<&Entry> = in_module
                .iter()
                .copied()
                .filter(|e| e.testcase == testcase)
                .collect();
            let is_collapsed = state.collapsed.contains(&format!("{module}/{testcase}"));
            rows.push(ResultRow::Testcase {
                module,
                testcase,
                count: in_case.len(),
                worst: in_case.iter().map(|e| e.level).max(),
                is_collapsed,
            });
            if !is_collapsed {
                rows.extend(in_case.into_iter().map(ResultRow::Message));
            }
        }
    }
    rows
}

/// The distinct names in order of first appearance.
fn first_appearances<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}
