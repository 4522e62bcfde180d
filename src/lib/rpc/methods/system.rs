//! `version_info`, `profile_names`, `get_language_tags` and their aliases
//! (backend spec §4.2–§4.4).

use serde_json::{Value, json};

use crate::rpc::api::Api;

/// Our version in the three keys clients read, plus our own name.
pub(super) fn version_info() -> Value {
    let version = env!("CARGO_PKG_VERSION");
    json!({
        "zonemaster_backend": version,
        "zonemaster_engine": format!("v{version}"),
        "zonemaster_ldns": version,
        "zonemaster_rs": version,
    })
}

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
