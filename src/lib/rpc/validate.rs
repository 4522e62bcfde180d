//! The lenient, JSON-Schema-like check of `params` (backend spec §3).
//!
//! A [`Schema`] describes one method's params. [`validate`] walks the
//! value, coerces what the reference coerces (numeric strings to integers;
//! `1`, `0`, `"true"`, `"false"` to booleans; numbers to strings) and
//! reports every problem with the JSON pointer of where it is, not only
//! the first. The result is the coerced value, so methods read typed JSON.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use super::types::{Pattern, is_language_tag, is_profile_name, name_error_text};
use crate::config::ProfileSet;
use crate::dns::special_purpose;
use crate::engine::name::{NameError, parse_domain};
use crate::i18n::{ApiText, Language, api_text};
use crate::job::parse_ip;

/// What a params value must look like.
#[derive(Clone, Debug)]
pub enum Schema {
    /// An object with exactly these members (no others allowed).
    Object(Vec<Property>),
    /// An array of `items`, with a length range.
    Array {
        /// Every element's schema.
        items: Box<Schema>,
        /// Fewer is an error.
        min_items: usize,
        /// More is an error (our configurable caps).
        max_items: Option<usize>,
    },
    /// A string, optionally matching a pattern.
    String(Option<Pattern>),
    /// An integer, optionally with a minimum.
    Integer(Option<i64>),
    /// An integer from `min` to `max` (our methods' limits).
    IntegerIn {
        /// Smaller is an error.
        min: i64,
        /// Larger is an error.
        max: i64,
    },
    /// A boolean.
    Boolean,
    /// A domain name that normalises (§3.2).
    Domain,
    /// An IP address; `""` is accepted and means absent (§3.3 fix).
    Ip,
    /// A configured profile name.
    Profile,
    /// A configured language code.
    Language,
}

/// One member of an object schema.
#[derive(Clone, Debug)]
pub struct Property {
    /// Member name.
    pub name: &'static str,
    /// Its schema.
    pub schema: Schema,
    /// Absent is an error.
    pub required: bool,
    /// Replaces every problem at or below this member, except absence,
    /// with one message (the DS info members, §3.3).
    pub on_error: Option<ApiText>,
}

impl Property {
    /// A required member.
    pub fn required(name: &'static str, schema: Schema) -> Self {
        Self {
            name,
            schema,
            required: true,
            on_error: None,
        }
    }

    /// An optional member.
    pub fn optional(name: &'static str, schema: Schema) -> Self {
        Self {
            name,
            schema,
            required: false,
            on_error: None,
        }
    }

    /// The same member with its problems replaced by `text`.
    pub fn on_error(mut self, text: ApiText) -> Self {
        self.on_error = Some(text);
        self
    }
}

/// What is wrong at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required member is absent.
    Missing,
    /// Members not in the schema, sorted.
    NotAllowed(Vec<String>),
    /// Wrong JSON type.
    Expected {
        /// What the schema wants.
        expected: &'static str,
        /// What was given.
        got: &'static str,
    },
    /// A string fails its pattern.
    NoMatch(&'static str),
    /// An array with too few items.
    NotEnoughItems {
        /// Items given.
        count: usize,
        /// Items required.
        min: usize,
    },
    /// An array with too many items.
    TooManyItems {
        /// Items given.
        count: usize,
        /// Items allowed.
        max: usize,
    },
    /// A number below its minimum.
    BelowMinimum {
        /// The value as given.
        value: i64,
        /// The minimum.
        minimum: i64,
    },
    /// A number above its maximum.
    AboveMaximum {
        /// The value as given.
        value: i64,
        /// The maximum.
        maximum: i64,
    },
    /// A fixed message (format checks).
    Text(ApiText),
    /// A domain name that does not normalise.
    Domain(NameError),
}

impl Problem {
    /// The message in `language`.
    pub fn message(&self, language: Language) -> String {
        let (key, args): (ApiText, Vec<(&str, String)>) = match self {
            Problem::Missing => (ApiText::MissingProperty, vec![]),
            Problem::NotAllowed(names) => (
                ApiText::PropertiesNotAllowed,
                vec![("names", names.join(", "))],
            ),
            Problem::Expected { expected, got } => (
                ApiText::ExpectedType,
                vec![
                    ("expected", (*expected).to_owned()),
                    ("got", (*got).to_owned()),
                ],
            ),
            Problem::NoMatch(pattern) => {
                (ApiText::NoMatch, vec![("pattern", (*pattern).to_owned())])
            }
            Problem::NotEnoughItems { count, min } => (
                ApiText::NotEnoughItems,
                vec![("count", count.to_string()), ("min", min.to_string())],
            ),
            Problem::TooManyItems { count, max } => (
                ApiText::TooManyItems,
                vec![("count", count.to_string()), ("max", max.to_string())],
            ),
            Problem::BelowMinimum { value, minimum } => (
                ApiText::BelowMinimum,
                vec![
                    ("value", value.to_string()),
                    ("minimum", minimum.to_string()),
                ],
            ),
            Problem::AboveMaximum { value, maximum } => (
                ApiText::AboveMaximum,
                vec![
                    ("value", value.to_string()),
                    ("maximum", maximum.to_string()),
                ],
            ),
            Problem::Text(text) => (*text, vec![]),
            Problem::Domain(error) => {
                let (text, label) = name_error_text(error);
                (
                    text,
                    label.map(|label| ("label", label)).into_iter().collect(),
                )
            }
        };
        api_text(key, &args, language).text
    }
}

/// A problem and where it is (a JSON pointer into params, `/` for params
/// itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer.
    pub path: String,
    /// What is wrong.
    pub problem: Problem,
}

/// What the format checks need to know about the configuration.
#[derive(Clone, Copy)]
pub struct Known<'a> {
    /// Public and private profiles.
    pub profiles: &'a ProfileSet,
    /// Configured language code → locale.
    pub languages: &'a BTreeMap<String, String>,
    /// `ZONEMASTER.allow_private_addresses`: false refuses special-purpose
    /// addresses in `nameservers[].ip` (`docs/abuse-limits.md`).
    pub allows_private_addresses: bool,
}

/// Checks `value` against `schema`: the coerced value, or every problem
/// sorted by path (array indices numerically).
pub fn validate(schema: &Schema, value: &Value, known: Known<'_>) -> Result<Value, Vec<Violation>> {
    let mut walker = Walker {
        known,
        violations: Vec::new(),
    };
    let coerced = walker.check(schema, value, "");
    if walker.violations.is_empty() {
        return Ok(coerced);
    }
    let mut violations = walker.violations;
    violations.sort_by(|a, b| compare_paths(&a.path, &b.path));
    Err(violations)
}

/// Orders JSON pointers segment by segment, numbers numerically.
fn compare_paths(a: &str, b: &str) -> Ordering {
    let key = |path: &str| -> Vec<(u8, u64, String)> {
        path.split('/')
            .map(|segment| match segment.parse::<u64>() {
                Ok(index) => (0, index, String::new()),
                Err(_) => (1, 0, segment.to_owned()),
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

/// The JSON type name used in messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `value` as an integer, coercing numeric strings; the type it really is
/// otherwise.
fn coerce_integer(value: &Value) -> Result<i64, &'static str> {
    let from_float = |float: f64| {
        let is_whole = float.is_finite() && float.fract() == 0.0 && float.abs() < 9.0e15;
        // In range and whole, so the cast is exact.
        #[expect(
            clippy::cast_possible_truncation,
            reason = "checked whole and within ±9e15"
        )]
        is_whole.then_some(float as i64).ok_or("number")
    };
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(integer) => Ok(integer),
            None => from_float(number.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(text) => match text.parse::<i64>() {
            Ok(integer) => Ok(integer),
            Err(_) => match text.parse::<f64>() {
                Ok(float) if float.is_finite() => from_float(float),
                _ => Err("string"),
            },
        },
        other => Err(type_name(other)),
    }
}

/// `value` as a boolean: JSON booleans, `1`, `0`, `"true"`, `"false"`.
fn coerce_boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(text) => match text.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `value` as a string: strings, and numbers as written.
fn coerce_string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A name that must be well formed and known: `Ok`, else the first of
/// `problems` (malformed, unknown) that applies.
fn known_name(
    is_well_formed: bool,
    is_known: impl FnOnce() -> bool,
    problems: (ApiText, ApiText),
) -> Result<(), Problem> {
    let (malformed, unknown) = problems;
    if !is_well_formed {
        Err(Problem::Text(malformed))
    } else if !is_known() {
        Err(Problem::Text(unknown))
    } else {
        Ok(())
    }
}

/// A `nameservers[].ip`: empty, or an address that is not special-purpose
/// unless the configuration allows those.
fn check_ip(text: &str, known: Known<'_>) -> Result<(), Problem> {
    if text.is_empty() {
        return Ok(());
    }
    let ip = parse_ip(text).ok_or(Problem::Text(ApiText::InvalidIp))?;
    match special_purpose(ip) {
        Some(_) if !known.allows_private_addresses => Err(Problem::Text(ApiText::SpecialPurposeIp)),
        _ => Ok(()),
    }
}

/// One walk over a value, collecting problems.
struct Walker<'a> {
    known: Known<'a>,
    violations: Vec<Violation>,
}

impl Walker<'_> {
    /// Records a problem at `path`.
    fn report(&mut self, path: &str, problem: Problem) {
        let path = if path.is_empty() { "/" } else { path };
        self.violations.push(Violation {
            path: path.to_owned(),
            problem,
        });
    }

    /// Checks and coerces `value`; on a problem the value is returned as
    /// given (it is discarded anyway).
    fn check(&mut self, schema: &Schema, value: &Value, path: &str) -> Value {
        match schema {
            Schema::Object(properties) => self.check_object(properties, value, path),
            Schema::Array {
                items,
                min_items,
                max_items,
            } => self.check_array(items, *min_items, *max_items, value, path),
            Schema::String(pattern) => self.check_string(*pattern, value, path),
            Schema::Integer(minimum) => self.check_integer(*minimum, None, value, path),
            Schema::IntegerIn { min, max } => {
                self.check_integer(Some(*min), Some(*max), value, path)
            }
            Schema::Boolean => match coerce_boolean(value) {
                Some(flag) => Value::Bool(flag),
                None => self.wrong_type("boolean", value, path),
            },
            Schema::Domain => self.check_format(value, path, |text, _| {
                parse_domain(text).map(|_| ()).map_err(Problem::Domain)
            }),
            Schema::Ip => self.check_format(value, path, check_ip),
            Schema::Profile => self.check_format(value, path, |text, known| {
                let is_known = || known.profiles.contains(text);
                let problems = (ApiText::InvalidProfileFormat, ApiText::UnknownProfile);
                known_name(is_profile_name(text), is_known, problems)
            }),
            Schema::Language => self.check_format(value, path, |text, known| {
                let is_known = || known.languages.contains_key(text);
                let problems = (ApiText::InvalidLanguageFormat, ApiText::UnknownLanguage);
                known_name(is_language_tag(text), is_known, problems)
            }),
        }
    }

    /// Reports a type mismatch and hands the value back.
    fn wrong_type(&mut self, expected: &'static str, value: &Value, path: &str) -> Value {
        self.report(
            path,
            Problem::Expected {
                expected,
                got: type_name(value),
            },
        );
        value.clone()
    }

    /// An object: unknown members, then each member in schema order.
    fn check_object(&mut self, properties: &[Property], value: &Value, path: &str) -> Value {
        let Value::Object(members) = value else {
            return self.wrong_type("object", value, path);
        };
        let mut unknown: Vec<String> = members
            .keys()
            .filter(|name| {
                !properties
                    .iter()
                    .any(|property| property.name == name.as_str())
            })
            .cloned()
            .collect();
        if !unknown.is_empty() {
            unknown.sort();
            self.report(path, Problem::NotAllowed(unknown));
        }
        let mut coerced = Map::new();
        for property in properties {
            let member_path = format!("{path}/{}", property.name);
            match members.get(property.name) {
                None if property.required => self.report(&member_path, Problem::Missing),
                None => {}
                Some(member) => {
                    let checked = self.check_member(property, member, &member_path);
                    coerced.insert(property.name.to_owned(), checked);
                }
            }
        }
        Value::Object(coerced)
    }

    /// Checks one member, applying its `on_error` replacement.
    fn check_member(&mut self, property: &Property, member: &Value, path: &str) -> Value {
        let Some(text) = property.on_error else {
            return self.check(&property.schema, member, path);
        };
        let before = self.violations.len();
        let checked = self.check(&property.schema, member, path);
        let found: Vec<Violation> = self.violations.split_off(before);
        let (missing, replaced): (Vec<Violation>, Vec<Violation>) = found
            .into_iter()
            .partition(|violation| violation.problem == Problem::Missing);
        self.violations.extend(missing);
        if !replaced.is_empty() {
            self.report(path, Problem::Text(text));
        }
        checked
    }

    /// An array: its length, then each item.
    fn check_array(
        &mut self,
        items: &Schema,
        min_items: usize,
        max_items: Option<usize>,
        value: &Value,
        path: &str,
    ) -> Value {
        let Value::Array(elements) = value else {
            return self.wrong_type("array", value, path);
        };
        if elements.len() < min_items {
            self.report(
                path,
                Problem::NotEnoughItems {
                    count: elements.len(),
                    min: min_items,
                },
            );
        }
        if let Some(max) = max_items.filter(|max| elements.len() > *max) {
            self.report(
                path,
                Problem::TooManyItems {
                    count: elements.len(),
                    max,
                },
            );
            // Checking a huge list item by item would only add noise.
            return value.clone();
        }
        let coerced = elements
            .iter()
            .enumerate()
            .map(|(index, element)| self.check(items, element, &format!("{path}/{index}")))
            .collect();
        Value::Array(coerced)
    }

    /// A string (numbers coerced), then its pattern.
    fn check_string(&mut self, pattern: Option<Pattern>, value: &Value, path: &str) -> Value {
        let Some(text) = coerce_string(value) else {
            return self.wrong_type("string", value, path);
        };
        if let Some(pattern) = pattern.filter(|pattern| !(pattern.matches)(&text)) {
            self.report(path, Problem::NoMatch(pattern.text));
        }
        Value::String(text)
    }

    /// An integer (numeric strings coerced), then its range.
    fn check_integer(
        &mut self,
        minimum: Option<i64>,
        maximum: Option<i64>,
        value: &Value,
        path: &str,
    ) -> Value {
        let integer = match coerce_integer(value) {
            Ok(integer) => integer,
            Err(got) => {
                self.report(
                    path,
                    Problem::Expected {
                        expected: "integer",
                        got,
                    },
                );
                return value.clone();
            }
        };
        if let Some(minimum) = minimum.filter(|minimum| integer < *minimum) {
            self.report(
                path,
                Problem::BelowMinimum {
                    value: integer,
                    minimum,
                },
            );
        }
        if let Some(maximum) = maximum.filter(|maximum| integer > *maximum) {
            self.report(
                path,
                Problem::AboveMaximum {
                    value: integer,
                    maximum,
                },
            );
        }
        Value::Number(Number::from(integer))
    }

    /// A string with a format check of its own.
    fn check_format(
        &mut self,
        value: &Value,
        path: &str,
        format: impl Fn(&str, Known<'_>) -> Result<(), Problem>,
    ) -> Value {
        let Some(text) = coerce_string(value) else {
            return self.wrong_type("string", value, path);
        };
        if let Err(problem) = format(&text, self.known) {
            self.report(path, problem);
        }
        Value::String(text)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rpc::types::TEST_ID;

    fn known_sets() -> (ProfileSet, BTreeMap<String, String>) {
        let languages = BTreeMap::from([
            ("en".to_owned(), "en_US".to_owned()),
            ("sv".to_owned(), "sv_SE".to_owned()),
        ]);
        (ProfileSet::builtin(), languages)
    }

    fn run(schema: &Schema, value: Value) -> Result<Value, Vec<(String, String)>> {
        run_allowing(schema, value, true)
    }

    fn run_allowing(
        schema: &Schema,
        value: Value,
        allows_private_addresses: bool,
    ) -> Result<Value, Vec<(String, String)>> {
        let (profiles, languages) = known_sets();
        let known = Known {
            profiles: &profiles,
            languages: &languages,
            allows_private_addresses,
        };
        validate(schema, &value, known).map_err(|violations| {
            violations
                .into_iter()
                .map(|violation| (violation.path, violation.problem.message(Language::En)))
                .collect()
        })
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(path, message)| ((*path).to_owned(), (*message).to_owned()))
            .collect()
    }

    fn sample() -> Schema {
        Schema::Object(vec![
            Property::required("id", Schema::String(Some(TEST_ID))),
            Property::optional("count", Schema::Integer(Some(0))),
            Property::optional("flag", Schema::Boolean),
            Property::optional("name", Schema::String(None)),
            Property::optional(
                "list",
                Schema::Array {
                    items: Box::new(Schema::Domain),
                    min_items: 1,
                    max_items: Some(3),
                },
            ),
        ])
    }

    #[test]
    fn lenient_coercion_gives_typed_values() {
        let value = run(
            &sample(),
            json!({"id": "0123456789abcdef", "count": "12", "flag": "false", "name": 42, "list": ["A.se"]}),
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"id": "0123456789abcdef", "count": 12, "flag": false, "name": "42", "list": ["A.se"]})
        );
        let value = run(
            &sample(),
            json!({"id": "0123456789abcdef", "count": 3.0, "flag": 1}),
        )
        .unwrap();
        assert_eq!(value["count"], 3);
        assert_eq!(value["flag"], true);
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let errors = run(
            &sample(),
            json!({"count": -1, "flag": "yes", "name": {}, "list": [".a", "a..b", 5], "zz": 1, "aa": 2}),
        )
        .unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/", "Properties not allowed: aa, zz."),
                ("/count", "-1 < minimum(0)"),
                ("/flag", "Expected boolean - got string."),
                ("/id", "Missing property"),
                ("/list/0", "Domain name starts with dot."),
                ("/list/1", "Domain name has repeated dots."),
                ("/name", "Expected string - got object."),
            ])
        );
    }

    #[test]
    fn wrong_types_and_lengths() {
        let errors = run(&sample(), json!(null)).unwrap_err();
        assert_eq!(errors, pairs(&[("/", "Expected object - got null.")]));
        let errors = run(
            &sample(),
            json!({"id": "X", "count": 1.5, "list": [], "flag": 2}),
        )
        .unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/count", "Expected integer - got number."),
                ("/flag", "Expected boolean - got integer."),
                ("/id", "String does not match ^[0-9a-f]{16}$."),
                ("/list", "Not enough items: 0/1."),
            ])
        );
        let errors = run(
            &sample(),
            json!({"id": "0123456789abcdef", "list": ["a", "b", "c", "d"]}),
        )
        .unwrap_err();
        assert_eq!(errors, pairs(&[("/list", "Too many items: 4/3.")]));
    }

    #[test]
    fn on_error_replaces_all_but_absence() {
        let schema = Schema::Object(vec![
            Property::required("keytag", Schema::Integer(Some(0)))
                .on_error(ApiText::KeytagNotPositive),
            Property::required("digest", Schema::String(None)).on_error(ApiText::InvalidDigest),
        ]);
        let errors = run(&schema, json!({"keytag": -3})).unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/digest", "Missing property"),
                ("/keytag", "Keytag must be a positive integer"),
            ])
        );
        let errors = run(&schema, json!({"keytag": "x", "digest": []})).unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/digest", "Invalid digest format"),
                ("/keytag", "Keytag must be a positive integer"),
            ])
        );
    }

    #[test]
    fn formats_have_their_own_messages() {
        let schema = Schema::Object(vec![
            Property::optional("ip", Schema::Ip),
            Property::optional("profile", Schema::Profile),
            Property::optional("language", Schema::Language),
            Property::optional("domain", Schema::Domain),
        ]);
        assert!(
            run(
                &schema,
                json!({"ip": "", "profile": "DEFAULT", "language": "sv", "domain": "Ä.se"})
            )
            .is_ok()
        );
        let errors = run(
            &schema,
            json!({"ip": "1.2.3", "profile": "-x", "language": "SV", "domain": ""}),
        )
        .unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/domain", "Domain name is empty."),
                ("/ip", "Invalid IP address"),
                ("/language", "Invalid language tag format"),
                ("/profile", "Invalid profile format"),
            ])
        );
        let errors = run(&schema, json!({"profile": "other", "language": "fr"})).unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/language", "Unkown language string"),
                ("/profile", "Unknown profile")
            ])
        );
    }

    /// Issue 16: a stranger must not make the agents probe private
    /// networks through an undelegated test.
    #[test]
    fn special_purpose_addresses_are_refused_unless_allowed() {
        let schema = Schema::Object(vec![Property::optional(
            "nameservers",
            Schema::Array {
                items: Box::new(Schema::Object(vec![Property::optional("ip", Schema::Ip)])),
                min_items: 0,
                max_items: None,
            },
        )]);
        let params = json!({"nameservers": [
            {"ip": "10.0.0.1"}, {"ip": "9.9.9.9"}, {"ip": "::ffff:127.0.0.1"},
            {"ip": "fe80::1"}, {"ip": ""}, {"ip": "2001:db8::1"}, {"ip": "010.1.1.1"}
        ]});
        let message = "IP address not allowed: private, loopback or otherwise reserved";
        let errors = run_allowing(&schema, params.clone(), false).unwrap_err();
        assert_eq!(
            errors,
            pairs(&[
                ("/nameservers/0/ip", message),
                ("/nameservers/2/ip", message),
                ("/nameservers/3/ip", message),
                ("/nameservers/5/ip", message),
                ("/nameservers/6/ip", message),
            ])
        );
        assert!(run_allowing(&schema, params, true).is_ok());
    }

    #[test]
    fn paths_sort_array_indices_numerically() {
        assert_eq!(compare_paths("/a/2/ip", "/a/10/ip"), Ordering::Less);
        assert_eq!(compare_paths("/", "/a"), Ordering::Less);
        assert_eq!(
            compare_paths("/ds_info/0/digest", "/nameservers/0/ip"),
            Ordering::Less
        );
    }
}
