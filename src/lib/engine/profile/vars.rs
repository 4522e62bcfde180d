//! `test_cases_vars`: thresholds some test cases read from the profile
//! (engine spec §1.4). Each is an integer of at least 1.

use serde_json::Value;

/// One threshold under `test_cases_vars.<test case>.<NAME>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TestCaseVar {
    /// DNSSEC04: a signature with less time left than this (s) is short.
    RemainingShort,
    /// DNSSEC04: a signature with more time left than this (s) is long.
    RemainingLong,
    /// DNSSEC04: a signature valid for longer than this (s) is long.
    DurationLong,
    /// ZONE02: lowest acceptable SOA refresh (s).
    SoaRefreshMinimumValue,
    /// ZONE04: lowest acceptable SOA retry (s).
    SoaRetryMinimumValue,
    /// ZONE05: lowest acceptable SOA expire (s).
    SoaExpireMinimumValue,
    /// ZONE06: highest acceptable SOA minimum (s).
    SoaDefaultTtlMaximumValue,
    /// ZONE06: lowest acceptable SOA minimum (s).
    SoaDefaultTtlMinimumValue,
}

impl TestCaseVar {
    /// Every variable, in the order of the spec's table.
    pub const ALL: &'static [TestCaseVar] = &[
        TestCaseVar::RemainingShort,
        TestCaseVar::RemainingLong,
        TestCaseVar::DurationLong,
        TestCaseVar::SoaRefreshMinimumValue,
        TestCaseVar::SoaRetryMinimumValue,
        TestCaseVar::SoaExpireMinimumValue,
        TestCaseVar::SoaDefaultTtlMaximumValue,
        TestCaseVar::SoaDefaultTtlMinimumValue,
    ];

    /// The test case that reads it (`dnssec04`).
    pub const fn test_case(self) -> &'static str {
        match self {
            TestCaseVar::RemainingShort
            | TestCaseVar::RemainingLong
            | TestCaseVar::DurationLong => "dnssec04",
            TestCaseVar::SoaRefreshMinimumValue => "zone02",
            TestCaseVar::SoaRetryMinimumValue => "zone04",
            TestCaseVar::SoaExpireMinimumValue => "zone05",
            TestCaseVar::SoaDefaultTtlMaximumValue | TestCaseVar::SoaDefaultTtlMinimumValue => {
                "zone06"
            }
        }
    }

    /// Its name in the profile (`REMAINING_SHORT`).
    pub const fn name(self) -> &'static str {
        match self {
            TestCaseVar::RemainingShort => "REMAINING_SHORT",
            TestCaseVar::RemainingLong => "REMAINING_LONG",
            TestCaseVar::DurationLong => "DURATION_LONG",
            TestCaseVar::SoaRefreshMinimumValue => "SOA_REFRESH_MINIMUM_VALUE",
            TestCaseVar::SoaRetryMinimumValue => "SOA_RETRY_MINIMUM_VALUE",
            TestCaseVar::SoaExpireMinimumValue => "SOA_EXPIRE_MINIMUM_VALUE",
            TestCaseVar::SoaDefaultTtlMaximumValue => "SOA_DEFAULT_TTL_MAXIMUM_VALUE",
            TestCaseVar::SoaDefaultTtlMinimumValue => "SOA_DEFAULT_TTL_MINIMUM_VALUE",
        }
    }

    /// The code default: 12 h, 180 d, 180 d, 4 h, 1 h, 7 d, 1 d, 5 min.
    pub const fn default_value(self) -> u64 {
        match self {
            TestCaseVar::RemainingShort => 43_200,
            TestCaseVar::RemainingLong | TestCaseVar::DurationLong => 15_552_000,
            TestCaseVar::SoaRefreshMinimumValue => 14_400,
            TestCaseVar::SoaRetryMinimumValue => 3_600,
            TestCaseVar::SoaExpireMinimumValue => 604_800,
            TestCaseVar::SoaDefaultTtlMaximumValue => 86_400,
            TestCaseVar::SoaDefaultTtlMinimumValue => 300,
        }
    }

    /// The variable `test_case`.`name` (exact spelling), if it exists.
    pub fn find(test_case: &str, name: &str) -> Option<TestCaseVar> {
        TestCaseVar::ALL
            .iter()
            .copied()
            .find(|var| var.test_case() == test_case && var.name() == name)
    }

    /// True when `test_case` has variables.
    pub(super) fn is_test_case_with_vars(test_case: &str) -> bool {
        TestCaseVar::ALL
            .iter()
            .any(|var| var.test_case() == test_case)
    }
}

/// Nested JSON `{test case: {NAME: value}}` for the given values.
pub(super) fn to_json(values: impl Iterator<Item = (TestCaseVar, u64)>) -> Value {
    let mut root = serde_json::Map::new();
    for (var, value) in values {
        let entry = root
            .entry(var.test_case())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Value::Object(map) = entry {
            map.insert(var.name().to_owned(), Value::from(value));
        }
    }
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_by_test_case_and_name() {
        assert_eq!(
            TestCaseVar::find("zone06", "SOA_DEFAULT_TTL_MINIMUM_VALUE"),
            Some(TestCaseVar::SoaDefaultTtlMinimumValue)
        );
        assert_eq!(TestCaseVar::find("zone02", "SOA_RETRY_MINIMUM_VALUE"), None);
        assert_eq!(TestCaseVar::find("dnssec04", "remaining_short"), None);
        assert!(TestCaseVar::is_test_case_with_vars("zone05"));
        assert!(!TestCaseVar::is_test_case_with_vars("zone03"));
    }

    #[test]
    fn defaults_follow_the_spec() {
        let defaults: Vec<u64> = TestCaseVar::ALL
            .iter()
            .map(|var| var.default_value())
            .collect();
        assert_eq!(
            defaults,
            [
                43_200, 15_552_000, 15_552_000, 14_400, 3_600, 604_800, 86_400, 300
            ]
        );
    }

    #[test]
    fn json_nests_by_test_case() {
        let json = to_json(
            TestCaseVar::ALL
                .iter()
                .map(|var| (*var, var.default_value())),
        );
        assert_eq!(json["dnssec04"]["REMAINING_SHORT"], 43_200);
        assert_eq!(json["zone06"].as_object().unwrap().len(), 2);
    }
}
