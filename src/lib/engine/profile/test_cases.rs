//! The 73 test case ids and the profile's `test_cases` set.
//!
//! [`TEST_CASE_IDS`] is every test case the engine knows, in run order
//! (spec §2.1 and §3: modules in their fixed order, DNSSEC07 and DNSSEC11
//! before the other DNSSEC cases). Which of them are implemented is the
//! business of the test-case table; this list is what a profile may name.

use std::collections::BTreeSet;

use serde_json::Value;

use super::error::ProfileError;
use super::values;
use crate::engine::module::Module;

/// Every test case id with its module, in run order. DNSSEC12 and
/// NAMESERVER14 do not exist (spec §4).
pub const TEST_CASE_IDS: &[(&str, Module)] = &[
    ("basic01", Module::Basic),
    ("basic02", Module::Basic),
    ("basic03", Module::Basic),
    ("address01", Module::Address),
    ("address02", Module::Address),
    ("address03", Module::Address),
    ("connectivity01", Module::Connectivity),
    ("connectivity02", Module::Connectivity),
    ("connectivity03", Module::Connectivity),
    ("connectivity04", Module::Connectivity),
    ("consistency01", Module::Consistency),
    ("consistency02", Module::Consistency),
    ("consistency03", Module::Consistency),
    ("consistency04", Module::Consistency),
    ("consistency05", Module::Consistency),
    ("consistency06", Module::Consistency),
    ("delegation01", Module::Delegation),
    ("delegation02", Module::Delegation),
    ("delegation03", Module::Delegation),
    ("delegation04", Module::Delegation),
    ("delegation05", Module::Delegation),
    ("delegation06", Module::Delegation),
    ("delegation07", Module::Delegation),
    ("dnssec07", Module::Dnssec),
    ("dnssec11", Module::Dnssec),
    ("dnssec01", Module::Dnssec),
    ("dnssec02", Module::Dnssec),
    ("dnssec03", Module::Dnssec),
    ("dnssec04", Module::Dnssec),
    ("dnssec05", Module::Dnssec),
    ("dnssec06", Module::Dnssec),
    ("dnssec08", Module::Dnssec),
    ("dnssec09", Module::Dnssec),
    ("dnssec10", Module::Dnssec),
    ("dnssec13", Module::Dnssec),
    ("dnssec14", Module::Dnssec),
    ("dnssec15", Module::Dnssec),
    ("dnssec16", Module::Dnssec),
    ("dnssec17", Module::Dnssec),
    ("dnssec18", Module::Dnssec),
    ("nameserver01", Module::Nameserver),
    ("nameserver02", Module::Nameserver),
    ("nameserver03", Module::Nameserver),
    ("nameserver04", Module::Nameserver),
    ("nameserver05", Module::Nameserver),
    ("nameserver06", Module::Nameserver),
    ("nameserver07", Module::Nameserver),
    ("nameserver08", Module::Nameserver),
    ("nameserver09", Module::Nameserver),
    ("nameserver10", Module::Nameserver),
    ("nameserver11", Module::Nameserver),
    ("nameserver12", Module::Nameserver),
    ("nameserver13", Module::Nameserver),
    ("nameserver15", Module::Nameserver),
    ("syntax01", Module::Syntax),
    ("syntax02", Module::Syntax),
    ("syntax03", Module::Syntax),
    ("syntax04", Module::Syntax),
    ("syntax05", Module::Syntax),
    ("syntax06", Module::Syntax),
    ("syntax07", Module::Syntax),
    ("syntax08", Module::Syntax),
    ("zone01", Module::Zone),
    ("zone02", Module::Zone),
    ("zone03", Module::Zone),
    ("zone04", Module::Zone),
    ("zone05", Module::Zone),
    ("zone06", Module::Zone),
    ("zone07", Module::Zone),
    ("zone08", Module::Zone),
    ("zone09", Module::Zone),
    ("zone10", Module::Zone),
    ("zone11", Module::Zone),
];

/// The canonical (lower-case) id for `id` in any case, if it is known.
pub fn canonical_test_case_id(id: &str) -> Option<&'static str> {
    TEST_CASE_IDS
        .iter()
        .map(|(known, _)| *known)
        .find(|known| known.eq_ignore_ascii_case(id))
}

/// The module of test case `id` (any case).
pub fn test_case_module(id: &str) -> Option<Module> {
    TEST_CASE_IDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(id))
        .map(|(_, module)| *module)
}

/// The test cases a profile allows to run.
pub type TestCaseSet = BTreeSet<&'static str>;

/// Every known test case: the code default of `test_cases`.
pub(super) fn all_test_cases() -> TestCaseSet {
    TEST_CASE_IDS.iter().map(|(id, _)| *id).collect()
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
        assert_eq!(TEST_CASE_IDS.len(), 73);
        assert_eq!(all_test_cases().len(), 73);
        assert!(canonical_test_case_id("dnssec12").is_none());
        assert!(canonical_test_case_id("nameserver14").is_none());
    }

    #[test]
    fn ids_are_grouped_by_module_in_run_order() {
        let mut modules: Vec<Module> = TEST_CASE_IDS.iter().map(|(_, module)| *module).collect();
        modules.dedup();
        assert_eq!(modules, Module::RUN_ORDER);
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
