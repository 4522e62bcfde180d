//! Domain-name input as the API and `zmctl check` take it (spec §1.6).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonemaster::engine::name::{display, normalize, parse_domain};

fuzz_target!(|text: &str| {
    if let Ok(normal) = normalize(text) {
        assert_eq!(normalize(&normal).as_ref(), Ok(&normal), "not idempotent");
        assert!(normal.len() <= 253, "{normal} is too long");
        let name = parse_domain(text).expect("a normal name is a name");
        assert_eq!(display(&name), normal);
    }
});
