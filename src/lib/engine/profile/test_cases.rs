//! The profile's `test_cases` set: which of the test-case table's 73 ids
//! may run ([`crate::engine::testcases::TEST_CASES`] is what a profile may
//! name).

use std::collections::BTreeSet;

use serde_json::Value;

use super::error::ProfileError;
use super::values;
use crate::engine::module::Module;
use crate::engine::testcases::{TEST_CASES, find_test_case};

/// The canonical (lower-case) id for `id` in any case, if it is known.
pub fn canonical_test_case_id(id: &str) -> Option<&'static str> {
    find_test_case(id).map(|case| case.id)
}

/// The module of test case `id` (any case).
pub fn test_case_module(id: &str) -> Option<Module> {
    find_test_case(id).map(|case| case.module)
}

/// The test cases a profile allows to run.
pub type TestCaseSet = BTreeSet<&'static str>;

/// Every known test case: the code default of `test_cases`.
pub(super) fn all_test_cases() -> TestCaseSet {
    TEST_CASES.iter().map(|case| case.id).collect()
}

/// Reads `test_cases`: a list of known ids, any case, stored lower-case.
pub(super) fn parse_test_cases(path: &str, value: &Value) -> Result<TestCaseSet, ProfileError> {
    let mut set = TestCaseSet::new();
    for (index, entry) in values::list(path, value)?.iter().enumerate() {
        let entry_path = values::item(path, index);
        let id = values::string(&entry_path, entry)?;
        let known = canonical_test_case_id(id).ok_or_else(|| ProfileError::UnknownTestCase {
            path: entry_path.clone(),
            value: id.to_owned(),
        })?;
        set.insert(known);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn there_are_73_distinct_ids() {
        assert_eq!(all_test_cases().len(), 73);
        assert!(canonical_test_case_id("dnssec12").is_none());
        assert!(canonical_test_case_id("nameserver14").is_none());
    }

    #[test]
    fn test_cases_are_read_in_any_case() {
        let set = parse_test_cases("test_cases", &json!(["Basic01", "zone11", "basic01"])).unwrap();
        assert_eq!(set.into_iter().collect::<Vec<_>>(), ["basic01", "zone11"]);
        assert_eq!(test_case_module("DNSSEC05"), Some(Module::Dnssec));
    }

    #[test]
    fn unknown_ids_are_named_with_their_position() {
        let error = parse_test_cases("test_cases", &json!(["basic01", "basic04"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "profile property `test_cases[1]` names unknown test case `basic04`"
        );
        assert!(parse_test_cases("test_cases", &json!("basic01")).is_err());
        assert!(parse_test_cases("test_cases", &json!([1])).is_err());
    }
}
