//! Severity levels of engine messages (engine spec §1.1).
//!
//! A level is a *result* of a test, not a log level: it says how bad a
//! finding is for the zone. Levels compare numerically, so
//! `level >= Level::Warning` reads as it says. The profile maps every tag to
//! a level; a tag the profile does not mention is [`Level::Debug`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How serious a message is, from packet dumps (DEBUG3) to "the zone cannot
/// be tested" (CRITICAL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// -2: packet dumps, cache hits.
    Debug3,
    /// -1: per-query tracing.
    Debug2,
    /// 0: internal progress; also every tag the profile does not list.
    Debug,
    /// 1: something good or neutral worth showing.
    Info,
    /// 2: unusual, may be intended.
    Notice,
    /// 3: probably a problem.
    Warning,
    /// 4: a definite problem.
    Error,
    /// 5: the zone cannot be tested or is unusable.
    Critical,
}

/// A level name that is none of DEBUG3 … CRITICAL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown level `{text}` (expected one of DEBUG3, DEBUG2, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL)"
)]
pub struct UnknownLevel {
    /// The text as given.
    pub text: String,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: &'static [Level] = &[
        Level::Debug3,
        Level::Debug2,
        Level::Debug,
        Level::Info,
        Level::Notice,
        Level::Warning,
        Level::Error,
        Level::Critical,
    ];

    /// The numeric value the reference uses (-2 … 5); the backend stores it.
    pub const fn numeric(self) -> i8 {
        match self {
            Level::Debug3 => -2,
            Level::Debug2 => -1,
            Level::Debug => 0,
            Level::Info => 1,
            Level::Notice => 2,
            Level::Warning => 3,
            Level::Error => 4,
            Level::Critical => 5,
        }
    }

    /// The level with numeric value `value`, if there is one.
    pub fn from_numeric(value: i64) -> Option<Level> {
        Level::ALL
            .iter()
            .copied()
            .find(|level| i64::from(level.numeric()) == value)
    }

    /// The upper-case name used in profiles, JSON and output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Debug3 => "DEBUG3",
            Level::Debug2 => "DEBUG2",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Notice => "NOTICE",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
            Level::Critical => "CRITICAL",
        }
    }
}

impl fmt::Display for Level {
    /// Pads like a `str`, so `{:<8}` lines up table columns.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Level {
    type Err = UnknownLevel;

    /// Case-insensitive: profiles and command lines write `info` as often
    /// as `INFO`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .iter()
            .copied()
            .find(|level| level.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownLevel {
                text: text.to_owned(),
            })
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_by_severity() {
        assert!(Level::Debug3 < Level::Debug2);
        assert!(Level::Debug < Level::Info);
        assert!(Level::Warning < Level::Error);
        assert!(Level::Error < Level::Critical);
        let mut sorted = Level::ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, Level::ALL);
    }

    #[test]
    fn numeric_values_run_from_minus_two_to_five() {
        let numbers: Vec<i8> = Level::ALL.iter().map(|level| level.numeric()).collect();
        assert_eq!(numbers, [-2, -1, 0, 1, 2, 3, 4, 5]);
        assert_eq!(Level::from_numeric(3), Some(Level::Warning));
        assert_eq!(Level::from_numeric(6), None);
    }

    #[test]
    fn parsing_ignores_case() {
        assert_eq!("notice".parse::<Level>(), Ok(Level::Notice));
        assert_eq!("Debug3".parse::<Level>(), Ok(Level::Debug3));
        assert_eq!("CRITICAL".parse::<Level>(), Ok(Level::Critical));
    }

    #[test]
    fn parsing_rejects_unknown_names_and_says_which() {
        let error = "WARN".parse::<Level>().unwrap_err();
        assert_eq!(error.text, "WARN");
        assert!(error.to_string().contains("`WARN`"));
        assert!(" INFO".parse::<Level>().is_err());
        assert!("".parse::<Level>().is_err());
    }

    #[test]
    fn display_and_serde_use_the_upper_case_name() {
        assert_eq!(Level::Warning.to_string(), "WARNING");
        assert_eq!(format!("{:<8}|", Level::Info), "INFO    |");
        assert_eq!(serde_json::to_string(&Level::Debug2).unwrap(), "\"DEBUG2\"");
        assert_eq!(
            serde_json::from_str::<Level>("\"error\"").unwrap(),
            Level::Error
        );
        assert!(serde_json::from_str::<Level>("\"LOUD\"").is_err());
    }
}
