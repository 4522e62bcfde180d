//! `version_info` and `add_api_user` (spec §4.2, §4.12). `profile_names`
//! and `get_language_tags` answer plain lists of strings.

use serde::{Deserialize, Serialize};

/// The result of `version_info`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// The backend's version.
    pub zonemaster_backend: String,
    /// The engine's version.
    pub zonemaster_engine: String,
    /// The reference's DNS library; we repeat our version.
    pub zonemaster_ldns: String,
    /// zonemaster-rs (ours; absent from the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zonemaster_rs: Option<String>,
}

impl VersionInfo {
    /// What this build reports.
    pub fn ours() -> Self {
        let version = env!("CARGO_PKG_VERSION");
        Self {
            zonemaster_backend: version.to_owned(),
            zonemaster_engine: format!("v{version}"),
            zonemaster_ldns: version.to_owned(),
            zonemaster_rs: Some(version.to_owned()),
        }
    }
}

/// The params of `add_api_user`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddUserParams {
    /// The new user's name.
    pub username: String,
    /// Its key.
    pub api_key: String,
}
