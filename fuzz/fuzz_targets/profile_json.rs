//! Profile JSON: a full profile, a partial (custom) profile merged over
//! the default, and the JSON written back out read again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonemaster::engine::profile::{CustomProfile, Profile};

fuzz_target!(|text: &str| {
    if let Ok(profile) = Profile::from_json(text) {
        let again = Profile::from_json(&profile.to_json());
        assert!(again.is_ok(), "a profile's own JSON is refused: {again:?}");
    }
    if let Ok(custom) = CustomProfile::from_json(text) {
        let merged = zonemaster::config::ProfileSet::builtin()
            .get("default")
            .map(|default| (*default).clone().merged(custom));
        if let Some(merged) = merged {
            let _ = merged.to_json();
            let _ = merged.enabled_test_cases().count();
        }
    }
});
