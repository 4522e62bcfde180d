//! `version_info`, `profile_names`, `get_language_tags` and their aliases
//! (backend spec §4.2–§4.4).

//!
//! `version_info` answers [`crate::api_types::VersionInfo::ours`].

use serde_json::Value;

use crate::rpc::api::Api;

/// The public profile names, sorted, `default` always among them.
pub(super) fn profile_names(api: &Api) -> Value {
    Value::from(api.profiles.public_names())
}

/// The configured language codes, sorted.
pub(super) fn language_tags(api: &Api) -> Value {
    // A BTreeMap's keys come sorted.
    Value::from(
        api.config
            .language
            .locales
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
    )
}
