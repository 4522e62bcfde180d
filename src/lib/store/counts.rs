//! How many tests wait, run and have finished, in all and per batch
//! (schema version 7), kept so that `queue_status` and `batch_list` read
//! a few rows instead of counting the queue.
//!
//! Every transaction that moves tests between those three (creating,
//! claiming, finishing, re-queueing, reaping, cancelling, purging)
//! appends its [`CountChanges`] to `test_count_changes` in the same
//! transaction: an insert, so concurrent agents never wait on a counter
//! row. A count is its `test_counts` row plus the changes not yet folded
//! into it; [`Store::compact_counts`](super::Store::compact_counts) folds
//! them. Moves inside one of the three (progress 1 → 99) change nothing.

use std::collections::BTreeMap;

/// The scope of every test in `test_counts`; a batch's scope is its id.
pub(crate) const ALL_TESTS: i64 = 0;

/// Changes folded by one [`compact_counts`](super::Store::compact_counts)
/// transaction at most, so it holds its locks briefly.
pub(crate) const COMPACT_CHUNK: i64 = 5000;

/// Changes a count may have to add up before the queue overview folds
/// them itself (agents fold them every polling interval; without agents
/// the API's creations would pile up).
pub(crate) const COMPACT_AFTER: i64 = 1000;

/// Where a test stands, as counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    /// Progress 0.
    Waiting,
    /// Progress 1–99.
    Running,
    /// Progress 100.
    Finished,
}

impl Category {
    /// Its column in `test_counts`' order (waiting, running, finished).
    fn index(self) -> usize {
        match self {
            Self::Waiting => 0,
            Self::Running => 1,
            Self::Finished => 2,
        }
    }
}

/// What one transaction changes in the counts: per scope, the change of
/// each count (waiting, running, finished).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CountChanges(BTreeMap<i64, [i64; 3]>);

impl CountChanges {
    /// `count` tests of `batch_id` went from `from` to `to` (`None`: they
    /// were created or deleted).
    pub(crate) fn moved(
        &mut self,
        batch_id: Option<i64>,
        from: Option<Category>,
        to: Option<Category>,
        count: i64,
    ) {
        let batch = batch_id.filter(|id| *id != ALL_TESTS);
        for scope in std::iter::once(ALL_TESTS).chain(batch) {
            let counts = self.0.entry(scope).or_default();
            if let Some(from) = from {
                counts[from.index()] -= count;
            }
            if let Some(to) = to {
                counts[to.index()] += count;
            }
        }
    }

    /// Adds changes read back from `test_count_changes`.
    pub(crate) fn add(&mut self, scope: i64, changes: [i64; 3]) {
        let counts = self.0.entry(scope).or_default();
        for (count, change) in counts.iter_mut().zip(changes) {
            *count += change;
        }
    }

    /// The scopes whose counts change, in ascending order (the order
    /// compactions lock them in, so two never wait for each other in a
    /// cycle), with their changes.
    pub(crate) fn rows(&self) -> Vec<(i64, [i64; 3])> {
        self.0
            .iter()
            .filter(|(_, changes)| changes.iter().any(|change| *change != 0))
            .map(|(scope, changes)| (*scope, *changes))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_count_in_all_tests_and_in_the_batch() {
        let mut changes = CountChanges::default();
        changes.moved(Some(7), None, Some(Category::Waiting), 3);
        changes.moved(Some(7), Some(Category::Waiting), Some(Category::Running), 1);
        changes.moved(None, Some(Category::Running), Some(Category::Finished), 1);
        assert_eq!(changes.rows(), [(0, [2, 0, 1]), (7, [2, 1, 0])]);
    }

    #[test]
    fn changes_that_cancel_out_are_left_out() {
        let mut changes = CountChanges::default();
        changes.moved(Some(3), None, Some(Category::Waiting), 1);
        changes.moved(Some(3), Some(Category::Waiting), None, 1);
        changes.add(0, [0, 0, 0]);
        assert!(changes.rows().is_empty());
    }

    #[test]
    fn a_batch_id_of_zero_counts_once() {
        let mut changes = CountChanges::default();
        changes.moved(Some(0), None, Some(Category::Finished), 1);
        assert_eq!(changes.rows(), [(0, [0, 0, 1])]);
    }
}
