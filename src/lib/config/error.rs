//! Everything that can be wrong with a `backend_config.ini`.
//!
//! Every message starts with `FILE:LINE:` (or `FILE:` when the fault is an
//! absence) so an operator can jump straight to it, then names the section,
//! key and bad value. The spec's wording (section 7) is kept where it gives
//! one.

use std::path::PathBuf;

/// Why a configuration file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read at all.
    #[error("cannot read {}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line that is neither blank, comment, `[SECTION]` nor `key = value`.
    #[error("{file}:{line}: cannot parse line `{text}`: expected `[SECTION]` or `key = value`")]
    Syntax {
        file: String,
        line: usize,
        text: String,
    },
    /// A `key = value` line before the first section header.
    #[error("{file}:{line}: key `{key}` appears before any [SECTION] header")]
    KeyOutsideSection {
        file: String,
        line: usize,
        key: String,
    },
    /// A section name the spec does not define.
    #[error("{file}:{line}: config: unrecognized section: {section}")]
    UnknownSection {
        file: String,
        line: usize,
        section: String,
    },
    /// A key the section does not define.
    #[error("{file}:{line}: unknown key `{key}` in [{section}]")]
    UnknownKey {
        file: String,
        line: usize,
        section: String,
        key: String,
    },
    /// The same key twice in one section (spec: `Property not unique`).
    #[error("{file}:{line}: Property not unique: {section}.{key} (first set on line {first_line})")]
    DuplicateKey {
        file: String,
        line: usize,
        first_line: usize,
        section: String,
        key: String,
    },
    /// A value that fails the key's type or bounds.
    #[error("{file}:{line}: Invalid value for {section}.{key}: `{value}` (expected {expected})")]
    InvalidValue {
        file: String,
        line: usize,
        section: String,
        key: String,
        value: String,
        /// The accepted form, with the bounds of a range (a `Box<str>`,
        /// not a `String`, keeps every `Result<_, ConfigError>` small).
        expected: Box<str>,
    },
    /// A key that must be present, absolutely or for the chosen engine.
    #[error("{file}: config: missing required property {section}.{key}{}", required_when(.engine))]
    MissingRequired {
        file: String,
        section: &'static str,
        key: &'static str,
        /// The `DB.engine` value that makes the key required, if any.
        engine: Option<&'static str>,
    },
    /// Both a key and its deprecated alias are set.
    #[error("{file}:{line}: Error: cannot specify both {section}.{key} and {section}.{alias}")]
    AliasConflict {
        file: String,
        line: usize,
        section: &'static str,
        key: &'static str,
        alias: &'static str,
    },
    /// A `LANGUAGE.locale` entry that is not `xx_YY`.
    #[error("{file}:{line}: Illegal locale tag in LANGUAGE.locale: `{tag}` (expected e.g. sv_SE)")]
    IllegalLocale {
        file: String,
        line: usize,
        tag: String,
    },
    /// Two `LANGUAGE.locale` entries for one language code.
    #[error("{file}:{line}: Repeated language code in LANGUAGE.locale: {code}")]
    RepeatedLanguage {
        file: String,
        line: usize,
        code: String,
    },
    /// A profile name outside the spec 3.3 rule.
    #[error("{file}:{line}: Invalid profile name in {section} section: `{name}`")]
    InvalidProfileName {
        file: String,
        line: usize,
        section: String,
        name: String,
    },
    /// A profile path that is not absolute.
    #[error("{file}:{line}: Path must be absolute for profile: {name} in [{section}]: `{value}`")]
    ProfilePathNotAbsolute {
        file: String,
        line: usize,
        section: String,
        name: String,
        value: String,
    },
    /// A profile name defined twice (names are compared lower-cased).
    #[error("{file}:{line}: Profile name not unique: {name} in [{section}]")]
    ProfileNotUnique {
        file: String,
        line: usize,
        section: String,
        name: String,
    },
    /// `default` in `[PRIVATE PROFILES]`; it is always public.
    #[error("{file}:{line}: Profile name must not be present in PRIVATE PROFILES section: default")]
    DefaultProfileInPrivate { file: String, line: usize },
    /// `ZONEMASTER.root_hints` names a file we cannot open.
    #[error("{file}:{line}: cannot read ZONEMASTER.root_hints file `{value}`")]
    RootHintsUnreadable {
        file: String,
        line: usize,
        value: String,
        #[source]
        source: std::io::Error,
    },
    /// A profile file that cannot be read or is not a valid profile
    /// (spec §8 wording). The reason is the source, so an error chain
    /// prints it once.
    #[error("Error loading profile '{name}' at '{}'", .path.display())]
    Profile {
        name: String,
        path: PathBuf,
        #[source]
        source: crate::engine::profile::ProfileError,
    },
    /// No configuration file was given and none exists where the spec
    /// says to look.
    #[error(
        "no configuration file: $ZONEMASTER_BACKEND_CONFIG_FILE is not set and neither {} exists; pass --config FILE",
        .searched.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(" nor ")
    )]
    NotFound { searched: Vec<PathBuf> },
}

/// The spec's suffix for keys that only the chosen engine requires.
fn required_when(engine: &Option<&'static str>) -> String {
    engine
        .map(|name| format!(" (required when DB.engine = {name})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_engine_key_names_the_engine() {
        let err = ConfigError::MissingRequired {
            file: "b.ini".into(),
            section: "MYSQL",
            key: "host",
            engine: Some("MySQL"),
        };
        assert_eq!(
            err.to_string(),
            "b.ini: config: missing required property MYSQL.host \
             (required when DB.engine = MySQL)"
        );
    }

    #[test]
    fn unknown_key_names_file_line_section_and_key() {
        let err = ConfigError::UnknownKey {
            file: "backend_config.ini".into(),
            line: 12,
            section: "DB".into(),
            key: "foo".into(),
        };
        assert_eq!(
            err.to_string(),
            "backend_config.ini:12: unknown key `foo` in [DB]"
        );
    }
}
