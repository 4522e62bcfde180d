//! `test_levels`: the level of each tag, keyed by upper-case module and tag
//! (engine spec §1.3 step 1).
//!
//! Module and tag names are not checked against the catalog: profiles
//! written for other versions of the reference name tags we do not have
//! (its own test profiles even carry an `EXAMPLE` module), and the
//! reference accepts them. Such entries simply never match;
//! [`super::Profile::unknown_test_levels`] lists them for a warning.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::ProfileError;
use super::values;
use crate::engine::level::Level;

/// MODULE → TAG → LEVEL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestLevels {
    modules: BTreeMap<String, BTreeMap<String, Level>>,
}

impl TestLevels {
    /// Reads a `test_levels` object; every value must be a level name.
    pub(super) fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let mut modules = BTreeMap::new();
        for (module, tags) in values::object(path, value)? {
            let module_path = values::child(path, module);
            let mut levels = BTreeMap::new();
            for (tag, level) in values::object(&module_path, tags)? {
                levels.insert(
                    tag.clone(),
                    values::level(&values::child(&module_path, tag), level)?,
                );
            }
            modules.insert(module.clone(), levels);
        }
        Ok(Self { modules })
    }

    /// The level set for `tag` under `module_key` (`BASIC`), if any.
    pub fn get(&self, module_key: &str, tag: &str) -> Option<Level> {
        self.modules.get(module_key)?.get(tag).copied()
    }

    /// Every (module key, tag, level), sorted.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, Level)> {
        self.modules.iter().flat_map(|(module, tags)| {
            tags.iter()
                .map(move |(tag, level)| (module.as_str(), tag.as_str(), *level))
        })
    }

    /// The JSON form, as in a profile file.
    pub(super) fn to_json(&self) -> Value {
        let modules: Map<String, Value> = self
            .modules
            .iter()
            .map(|(module, tags)| {
                let tags: Map<String, Value> = tags
                    .iter()
                    .map(|(tag, level)| (tag.clone(), Value::from(level.as_str())))
                    .collect();
                (module.clone(), Value::Object(tags))
            })
            .collect();
        Value::Object(modules)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn levels_are_found_by_module_key_and_tag() {
        let levels = TestLevels::parse(
            "test_levels",
            &json!({"BASIC": {"B01_CHILD_FOUND": "info"}}),
        )
        .unwrap();
        assert_eq!(levels.get("BASIC", "B01_CHILD_FOUND"), Some(Level::Info));
        assert_eq!(levels.get("Basic", "B01_CHILD_FOUND"), None);
        assert_eq!(levels.get("BASIC", "B02_NO_DELEGATION"), None);
    }

    #[test]
    fn unknown_modules_and_tags_are_kept() {
        let levels = TestLevels::parse(
            "test_levels",
            &json!({"EXAMPLE": {"EXAMPLE_TAG": "WARNING"}}),
        )
        .unwrap();
        assert_eq!(levels.get("EXAMPLE", "EXAMPLE_TAG"), Some(Level::Warning));
    }

    #[test]
    fn a_bad_level_is_named_with_its_path() {
        let error =
            TestLevels::parse("test_levels", &json!({"ZONE": {"ONE_SOA": "GOOD"}})).unwrap_err();
        assert!(matches!(&error, ProfileError::UnknownLevel { path, value }
            if path == "test_levels.ZONE.ONE_SOA" && value == "GOOD"));
        assert!(TestLevels::parse("test_levels", &json!({"ZONE": ["ONE_SOA"]})).is_err());
        assert!(TestLevels::parse("test_levels", &json!([])).is_err());
    }

    #[test]
    fn json_round_trips() {
        let json = json!({"BASIC": {"B01_CHILD_FOUND": "INFO"}, "ZONE": {"ONE_SOA": "DEBUG3"}});
        assert_eq!(
            TestLevels::parse("test_levels", &json).unwrap().to_json(),
            json
        );
    }
}
