//! `logfilter`: rules that change a tag's level depending on its arguments
//! (engine spec §1.3 step 2).
//!
//! `logfilter.<MODULE>.<TAG>` is a list of `{ "when": {arg: value |
//! [values]}, "set": LEVEL }`. A rule matches when every `when` argument
//! equals the message's argument of that name, compared as text (so `53`
//! and `"53"` are equal); a list matches if any element does. The first
//! matching rule wins. A rule with an empty `when` never matches, as in
//! the reference.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::ProfileError;
use super::values;
use crate::engine::level::Level;

/// One `{ "when": …, "set": … }` rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterRule {
    /// Argument name → accepted values (a single value is kept as is, so
    /// the profile dumps back as written).
    when: BTreeMap<String, Value>,
    /// The level a match sets.
    set: Level,
}

/// MODULE → TAG → rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logfilter {
    modules: BTreeMap<String, BTreeMap<String, Vec<FilterRule>>>,
}

/// A message argument or `when` value as text; objects, lists and
/// booleans never equal an argument.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// True when `value` is a string or a number: what messages carry.
fn is_scalar(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_))
}

impl FilterRule {
    fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let mut when = None;
        let mut set = None;
        for (key, field) in values::object(path, value)? {
            let field_path = values::child(path, key);
            match key.as_str() {
                "when" => when = Some(Self::parse_when(&field_path, field)?),
                "set" => set = Some(values::level(&field_path, field)?),
                _ => return Err(ProfileError::UnknownProperty { path: field_path }),
            }
        }
        let expected = "an object with `when` and `set`";
        match (when, set) {
            (Some(when), Some(set)) => Ok(Self { when, set }),
            _ => Err(ProfileError::WrongType {
                path: path.to_owned(),
                expected,
                value: values::shown(value),
            }),
        }
    }

    fn parse_when(path: &str, value: &Value) -> Result<BTreeMap<String, Value>, ProfileError> {
        let mut when = BTreeMap::new();
        for (arg, accepted) in values::object(path, value)? {
            let arg_path = values::child(path, arg);
            let is_valid = match accepted {
                Value::Array(items) => items.iter().all(is_scalar),
                other => is_scalar(other),
            };
            if !is_valid {
                let expected = "a string, a number or a list of them";
                return Err(ProfileError::WrongType {
                    path: arg_path,
                    expected,
                    value: values::shown(accepted),
                });
            }
            when.insert(arg.clone(), accepted.clone());
        }
        Ok(when)
    }

    /// True when every `when` argument matches; never for an empty `when`.
    fn matches(&self, args: &Map<String, Value>) -> bool {
        !self.when.is_empty()
            && self.when.iter().all(|(name, accepted)| {
                let Some(actual) = args.get(name).and_then(text_of) else {
                    return false;
                };
                match accepted {
                    Value::Array(items) => items
                        .iter()
                        .any(|item| text_of(item).as_ref() == Some(&actual)),
                    single => text_of(single).as_ref() == Some(&actual),
                }
            })
    }

    fn to_json(&self) -> Value {
        let when: Map<String, Value> = self.when.clone().into_iter().collect();
        serde_json::json!({ "when": when, "set": self.set.as_str() })
    }
}

impl Logfilter {
    /// Reads a `logfilter` object.
    pub(super) fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let mut modules = BTreeMap::new();
        for (module, tags) in values::object(path, value)? {
            let module_path = values::child(path, module);
            let mut rules_by_tag = BTreeMap::new();
            for (tag, rules) in values::object(&module_path, tags)? {
                let tag_path = values::child(&module_path, tag);
                let rules = values::list(&tag_path, rules)?
                    .iter()
                    .enumerate()
                    .map(|(index, rule)| FilterRule::parse(&values::item(&tag_path, index), rule))
                    .collect::<Result<Vec<_>, _>>()?;
                rules_by_tag.insert(tag.clone(), rules);
            }
            modules.insert(module.clone(), rules_by_tag);
        }
        Ok(Self { modules })
    }

    /// The level the first matching rule sets, if any rule matches.
    pub fn level_for(
        &self,
        module_key: &str,
        tag: &str,
        args: &Map<String, Value>,
    ) -> Option<Level> {
        let rules = self.modules.get(module_key)?.get(tag)?;
        rules
            .iter()
            .find(|rule| rule.matches(args))
            .map(|rule| rule.set)
    }

    /// The JSON form, as in a profile file.
    pub(super) fn to_json(&self) -> Value {
        let modules: Map<String, Value> = self
            .modules
            .iter()
            .map(|(module, tags)| {
                let tags: Map<String, Value> = tags
                    .iter()
                    .map(|(tag, rules)| {
                        (tag.clone(), rules.iter().map(FilterRule::to_json).collect())
                    })
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

    fn filter(json: Value) -> Logfilter {
        Logfilter::parse("logfilter", &json).unwrap()
    }

    fn args(json: Value) -> Map<String, Value> {
        json.as_object().unwrap().clone()
    }

    #[test]
    fn every_when_argument_must_match() {
        let filter = filter(json!({"SYSTEM": {"FILTER_THIS": [
            {"when": {"when": 1, "and": ["this", "or"]}, "set": "INFO"}
        ]}}));
        let level = |a: Value| filter.level_for("SYSTEM", "FILTER_THIS", &args(a));
        assert_eq!(level(json!({"when": 1, "and": "this"})), Some(Level::Info));
        assert_eq!(
            level(json!({"when": "1", "and": "or", "other": "x"})),
            Some(Level::Info)
        );
        assert_eq!(level(json!({"when": 1, "and": "that"})), None);
        assert_eq!(level(json!({"when": 1})), None);
        assert_eq!(
            filter.level_for(
                "SYSTEM",
                "OTHER_TAG",
                &args(json!({"when": 1, "and": "or"}))
            ),
            None
        );
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let filter = filter(json!({"BASIC": {"B02_NS_BROKEN": [
            {"when": {"ns": "ns1.example/192.0.2.1"}, "set": "WARNING"},
            {"when": {"ns": ["ns1.example/192.0.2.1", "ns2.example/192.0.2.2"]}, "set": "NOTICE"}
        ]}}));
        let level =
            |ns: &str| filter.level_for("BASIC", "B02_NS_BROKEN", &args(json!({ "ns": ns })));
        assert_eq!(level("ns1.example/192.0.2.1"), Some(Level::Warning));
        assert_eq!(level("ns2.example/192.0.2.2"), Some(Level::Notice));
        assert_eq!(level("ns3.example/192.0.2.3"), None);
    }

    #[test]
    fn an_empty_when_never_matches() {
        let filter = filter(json!({"ZONE": {"ONE_SOA": [{"when": {}, "set": "ERROR"}]}}));
        assert_eq!(filter.level_for("ZONE", "ONE_SOA", &Map::new()), None);
    }

    #[test]
    fn malformed_rules_are_rejected_with_their_path() {
        let bad = |json: Value| {
            Logfilter::parse("logfilter", &json)
                .unwrap_err()
                .to_string()
        };
        assert!(
            bad(json!({"ZONE": {"ONE_SOA": [{"when": {"ns": "x"}, "set": "LOUD"}]}}))
                .contains("`logfilter.ZONE.ONE_SOA[0].set`")
        );
        assert!(
            bad(json!({"ZONE": {"ONE_SOA": [{"when": {"ns": "x"}}]}})).contains("`when` and `set`")
        );
        assert!(
            bad(json!({"ZONE": {"ONE_SOA": [{"when": {}, "set": "INFO", "if": 1}]}}))
                .contains("unknown profile property `logfilter.ZONE.ONE_SOA[0].if`")
        );
        assert!(
            bad(json!({"ZONE": {"ONE_SOA": [{"when": {"ns": {"a": 1}}, "set": "INFO"}]}}))
                .contains("logfilter.ZONE.ONE_SOA[0].when.ns")
        );
        assert!(bad(json!({"ZONE": {"ONE_SOA": {"when": {}, "set": "INFO"}}})).contains("a list"));
    }

    #[test]
    fn json_round_trips() {
        let json = json!({"SYSTEM": {"X": [{"when": {"a": [1, "b"], "c": "d"}, "set": "INFO"}]}});
        assert_eq!(filter(json.clone()).to_json(), json);
    }
}
