//! What the Delegation test cases share (engine spec §1.9): Method3 (the
//! NS names the child's own servers publish), the Method4-then-Method5
//! server list and the `;`-joined name lists of the messages.

use std::collections::BTreeSet;

use crate::engine::tests::prelude::*;

/// Names as one `nsname_list`-style argument: displayed, sorted, unique,
/// joined with `;`.
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a Name>) -> String {
    let names: BTreeSet<String> = names.into_iter().map(display).collect();
    names.into_iter().collect::<Vec<_>>().join(";")
}
