//! Why a `get_test_results` answer could not be read as a [`Report`].
//!
//! [`Report`]: super::Report

use crate::engine::level::UnknownLevel;

/// A result value that is not the shape of backend spec §4.10. Each
/// variant names the member by its JSON pointer (`/results/3/level`), as
/// the API's own parameter errors do.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A required member is absent.
    #[error("the test's results lack `{path}`")]
    Missing {
        /// JSON pointer of the member.
        path: String,
    },
    /// A member has the wrong JSON type.
    #[error("`{path}` in the test's results is {found}, expected {expected}")]
    WrongType {
        /// JSON pointer of the member (`/` for the whole value).
        path: String,
        /// What it should be (`an object`, `a string`, …).
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// A result entry's level is none of ours.
    #[error("`{path}` in the test's results")]
    Level {
        /// JSON pointer of the level.
        path: String,
        /// The level text that was not recognised.
        #[source]
        source: UnknownLevel,
    },
}

/// The JSON type of `value`, with its article, for messages.
pub(super) fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
