//! The API's data types as checks: string patterns and the messages of
//! domain-name normalisation (backend spec §3.2, §3.3). IP addresses are
//! [`crate::job::parse_ip`], shared with the agent.
//!
//! Patterns are small hand-written predicates with the regular expression
//! they implement as text: the text goes into `String does not match …`
//! messages, which clients must not parse.

use crate::engine::name::NameError;
use crate::i18n::ApiText;

/// A string rule: what it checks and how the message names it.
#[derive(Clone, Copy)]
pub struct Pattern {
    /// The equivalent regular expression, for messages.
    pub text: &'static str,
    /// The check.
    pub matches: fn(&str) -> bool,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text)
    }
}

/// True when `text` has `min..=max` characters, each accepted by `allowed`.
fn chars_within(text: &str, min: usize, max: usize, allowed: fn(char) -> bool) -> bool {
    let count = text.chars().count();
    (min..=max).contains(&count) && text.chars().all(allowed)
}

/// `client_id` and `client_version`.
pub const CLIENT: Pattern = Pattern {
    text: "^[a-zA-Z0-9-+~_.: ]{1,50}$",
    matches: |text| {
        chars_within(text, 1, 50, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '~' | '_' | '.' | ':' | ' ')
        })
    },
};

/// API user names.
pub const USERNAME: Pattern = Pattern {
    text: "^[a-zA-Z0-9-.@]{1,50}$",
    matches: |text| {
        chars_within(text, 1, 50, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '@')
        })
    },
};

/// API keys.
pub const API_KEY: Pattern = Pattern {
    text: "^[a-zA-Z0-9-_]{1,512}$",
    matches: |text| {
        chars_within(text, 1, 512, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_')
        })
    },
};

/// Test ids: 16 lower-case hex digits.
pub const TEST_ID: Pattern = Pattern {
    text: "^[0-9a-f]{16}$",
    matches: |text| chars_within(text, 16, 16, |c| matches!(c, '0'..='9' | 'a'..='f')),
};

/// The `filter` of `get_test_history`.
pub const FILTER: Pattern = Pattern {
    text: "^(?:all|delegated|undelegated)$",
    matches: |text| matches!(text, "all" | "delegated" | "undelegated"),
};

/// A DS digest: 40, 64 or 96 hex digits, any case.
pub const DIGEST: Pattern = Pattern {
    text: "^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96})$",
    matches: |text| {
        matches!(text.len(), 40 | 64 | 96) && text.chars().all(|c| c.is_ascii_hexdigit())
    },
};

/// The envelope's `method`.
pub const METHOD_NAME: Pattern = Pattern {
    text: "^[a-zA-Z0-9_-]*$",
    matches: |text| {
        text.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    },
};

/// A profile name, compared case-insensitively:
/// `^[a-z0-9]$` or `^[a-z0-9][a-z0-9_-]{0,30}[a-z0-9]$`.
pub fn is_profile_name(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let is_end = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let is_middle = |b: &u8| is_end(b) || matches!(b, b'_' | b'-');
    match bytes {
        [only] => is_end(only),
        [first, middle @ .., last] => {
            bytes.len() <= 32 && is_end(first) && is_end(last) && middle.iter().all(is_middle)
        }
        [] => false,
    }
}

/// A language tag: `^[a-z]{2}$`.
pub fn is_language_tag(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|b| b.is_ascii_lowercase())
}

/// The message for a domain name that does not normalise, with its
/// arguments (spec §3.2).
pub fn name_error_text(error: &NameError) -> (ApiText, Option<String>) {
    match error {
        NameError::Empty => (ApiText::DomainEmpty, None),
        NameError::AmbiguousDowncasing(_) => (ApiText::DomainAmbiguousDowncasing, None),
        NameError::InitialDot => (ApiText::DomainInitialDot, None),
        NameError::RepeatedDots => (ApiText::DomainRepeatedDots, None),
        NameError::InvalidAscii(label) => (ApiText::DomainInvalidAscii, Some(label.clone())),
        NameError::InvalidULabel(label) => (ApiText::DomainInvalidULabel, Some(label.clone())),
        NameError::LabelTooLong(label) => (ApiText::DomainLabelTooLong, Some(label.clone())),
        NameError::TooLong => (ApiText::DomainTooLong, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_accept_and_refuse() {
        assert!((TEST_ID.matches)("0123456789abcdef"));
        assert!(!(TEST_ID.matches)("0123456789ABCDEF"));
        assert!(!(TEST_ID.matches)("0123456789abcde"));
        assert!((CLIENT.matches)("GUI 4.0.0+deb~1:x_y"));
        assert!(!(CLIENT.matches)(""));
        assert!(!(CLIENT.matches)(&"a".repeat(51)));
        assert!(!(CLIENT.matches)("é"));
        assert!((USERNAME.matches)("ops@example.se"));
        assert!(!(USERNAME.matches)("ops user"));
        assert!((API_KEY.matches)("k3y-_X"));
        assert!(!(API_KEY.matches)("key!"));
        assert!((FILTER.matches)("undelegated") && !(FILTER.matches)("All"));
        assert!((DIGEST.matches)(&"aB".repeat(20)) && !(DIGEST.matches)(&"a".repeat(41)));
        assert!((METHOD_NAME.matches)("job_create-2") && (METHOD_NAME.matches)(""));
        assert!(!(METHOD_NAME.matches)("system.versions"));
    }

    #[test]
    fn profile_names_follow_the_rule_in_any_case() {
        for good in ["a", "7", "default", "Batch-Light", "a_b", &"x".repeat(32)] {
            assert!(is_profile_name(good), "{good}");
        }
        for bad in ["", "-a", "a-", "_", "a b", &"x".repeat(33), "é"] {
            assert!(!is_profile_name(bad), "{bad}");
        }
    }

    #[test]
    fn language_tags_are_two_lower_case_letters() {
        assert!(is_language_tag("sv"));
        assert!(!is_language_tag("SV") && !is_language_tag("sv_SE") && !is_language_tag("s"));
    }
}
