//! What can be wrong with a profile. Every variant names the property (as
//! a dotted path, list positions in brackets) and the value it rejects.

use std::path::PathBuf;

/// A profile that cannot be read or does not validate (engine spec §1.4).
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be read.
    #[error("cannot read profile {}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The text is not JSON.
    #[error("profile is not valid JSON")]
    Json(#[from] serde_json::Error),
    /// A property name the profile format does not have.
    #[error("unknown profile property `{path}`")]
    UnknownProperty {
        /// The dotted path of the property.
        path: String,
    },
    /// A value of the wrong JSON type (an object where a list belongs …).
    #[error("profile property `{path}` must be {expected}, not `{value}`")]
    WrongType {
        /// The dotted path of the property.
        path: String,
        /// What the property takes, in words.
        expected: &'static str,
        /// The rejected value, as JSON.
        value: String,
    },
    /// A number outside the property's range.
    #[error("profile property `{path}` is {value}, but must be {allowed}")]
    OutOfRange {
        /// The dotted path of the property.
        path: String,
        /// The rejected number.
        value: u64,
        /// The range in words (`between 1 and 255`).
        allowed: String,
    },
    /// A level name that is none of DEBUG3 … CRITICAL.
    #[error(
        "profile property `{path}` has unknown level `{value}` (expected one of DEBUG3, DEBUG2, DEBUG, INFO, \
         NOTICE, WARNING, ERROR, CRITICAL)"
    )]
    UnknownLevel {
        /// The dotted path of the property.
        path: String,
        /// The rejected level name.
        value: String,
    },
    /// A `test_cases` entry that is not one of the 73 test case ids.
    #[error("profile property `{path}` names unknown test case `{value}`")]
    UnknownTestCase {
        /// The dotted path of the entry.
        path: String,
        /// The rejected id.
        value: String,
    },
    /// A source address that is neither empty nor of the right family.
    #[error("profile property `{path}` must be \"\" or an IPv{family} address, not `{value}`")]
    BadSourceAddress {
        /// The dotted path of the property.
        path: String,
        /// 4 or 6.
        family: u8,
        /// The rejected text.
        value: String,
    },
    /// An ASN lookup style other than Cymru and RIPE.
    #[error("profile property `{path}` must be `Cymru` or `RIPE`, not `{value}`")]
    UnknownAsnStyle {
        /// The dotted path of the property.
        path: String,
        /// The rejected style.
        value: String,
    },
    /// An empty list of ASN lookup sources.
    #[error("profile property `{path}` must list at least one source")]
    NoAsnSources {
        /// The dotted path of the property.
        path: String,
    },
    /// An ASN lookup source that is not a host name.
    #[error(
        "profile property `{path}` holds `{value}`, which is not a host name (at most 255 characters; labels of \
         a-z, 0-9 and inner hyphens, at most 63 characters each)"
    )]
    BadAsnSource {
        /// The dotted path of the entry.
        path: String,
        /// The rejected name.
        value: String,
    },
    /// A Redis server that is not `host:port`.
    #[error("profile property `{path}` must be `host:port`, not `{value}`")]
    BadCacheServer {
        /// The dotted path of the property.
        path: String,
        /// The rejected text.
        value: String,
    },
}
