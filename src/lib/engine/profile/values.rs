//! Reading single JSON values of a profile with the format's rules
//! (engine spec §1.4): booleans are `true`/`false` only, numbers are
//! non-negative integers or strings of digits, levels are level names.

use serde_json::{Map, Value};

use super::error::ProfileError;
use crate::engine::level::Level;

/// `parent.key`, or `key` at the top.
pub(super) fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `parent[index]`, for list entries.
pub(super) fn item(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// The value as compact JSON, for error messages.
pub(super) fn shown(value: &Value) -> String {
    value.to_string()
}

fn wrong_type(path: &str, expected: &'static str, value: &Value) -> ProfileError {
    ProfileError::WrongType {
        path: path.to_owned(),
        expected,
        value: shown(value),
    }
}

/// A JSON object.
pub(super) fn object<'a>(
    path: &str,
    value: &'a Value,
) -> Result<&'a Map<String, Value>, ProfileError> {
    value
        .as_object()
        .ok_or_else(|| wrong_type(path, "an object", value))
}

/// A JSON list.
pub(super) fn list<'a>(path: &str, value: &'a Value) -> Result<&'a [Value], ProfileError> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| wrong_type(path, "a list", value))
}

/// A JSON string.
pub(super) fn string<'a>(path: &str, value: &'a Value) -> Result<&'a str, ProfileError> {
    value
        .as_str()
        .ok_or_else(|| wrong_type(path, "a string", value))
}

/// `true` or `false`; the reference's Perl would take 0 and 1 too, but the
/// JSON profile format says booleans.
pub(super) fn boolean(path: &str, value: &Value) -> Result<bool, ProfileError> {
    value
        .as_bool()
        .ok_or_else(|| wrong_type(path, "true or false", value))
}

/// A non-negative integer within `min..=max`; `"30"` counts as 30.
pub(super) fn integer(path: &str, value: &Value, min: u64, max: u64) -> Result<u64, ProfileError> {
    let number = match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    };
    let number = number.ok_or_else(|| wrong_type(path, "a non-negative integer", value))?;
    if (min..=max).contains(&number) {
        Ok(number)
    } else {
        Err(ProfileError::OutOfRange {
            path: path.to_owned(),
            value: number,
            allowed: range_in_words(min, max),
        })
    }
}

fn range_in_words(min: u64, max: u64) -> String {
    if max == u64::MAX {
        format!("at least {min}")
    } else {
        format!("between {min} and {max}")
    }
}

/// A level name, any case.
pub(super) fn level(path: &str, value: &Value) -> Result<Level, ProfileError> {
    let text = value
        .as_str()
        .ok_or_else(|| wrong_type(path, "a level name", value))?;
    text.parse().map_err(|_| ProfileError::UnknownLevel {
        path: path.to_owned(),
        value: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn booleans_are_only_true_and_false() {
        assert!(boolean("net.ipv4", &json!(true)).unwrap());
        let error = boolean("net.ipv4", &json!(1)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "profile property `net.ipv4` must be true or false, not `1`"
        );
        assert!(boolean("net.ipv4", &json!("true")).is_err());
    }

    #[test]
    fn integers_accept_digit_strings_and_check_the_range() {
        assert_eq!(integer("x", &json!(7), 1, 255).unwrap(), 7);
        assert_eq!(integer("x", &json!("30"), 0, u64::MAX).unwrap(), 30);
        for bad in [
            json!(-1),
            json!(1.5),
            json!(""),
            json!("1e3"),
            json!(" 3"),
            json!(null),
        ] {
            assert!(
                matches!(
                    integer("x", &bad, 0, 9),
                    Err(ProfileError::WrongType { .. })
                ),
                "{bad}"
            );
        }
        let error = integer("resolver.defaults.retry", &json!(0), 1, 255).unwrap_err();
        assert_eq!(
            error.to_string(),
            "profile property `resolver.defaults.retry` is 0, but must be between 1 and 255"
        );
        let error = integer("x", &json!(0), 1, u64::MAX).unwrap_err();
        assert!(error.to_string().ends_with("must be at least 1"));
    }

    #[test]
    fn levels_are_names_in_any_case() {
        assert_eq!(level("x", &json!("notice")).unwrap(), Level::Notice);
        let error = level("test_levels.BASIC.B01_CHILD_FOUND", &json!("LOUD")).unwrap_err();
        assert!(error.to_string().contains("`LOUD`"));
        assert!(
            error
                .to_string()
                .contains("test_levels.BASIC.B01_CHILD_FOUND")
        );
        assert!(matches!(
            level("x", &json!(3)),
            Err(ProfileError::WrongType { .. })
        ));
    }

    #[test]
    fn paths_are_dotted_with_list_positions() {
        assert_eq!(child("", "net"), "net");
        assert_eq!(child("net", "ipv4"), "net.ipv4");
        assert_eq!(item("test_cases", 2), "test_cases[2]");
    }
}
