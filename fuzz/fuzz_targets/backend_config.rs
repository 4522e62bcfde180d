//! `backend_config.ini`: the ini reader and every section's validation.
//! The profile files it names are not opened: the input could name any
//! file of the machine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonemaster::config::BackendConfig;

fuzz_target!(|text: &str| {
    if let Ok(config) = BackendConfig::parse(text, "fuzz.ini") {
        let _ = config.store_settings();
    }
});
