//! A root hints file (`ZONEMASTER.root_hints`, engine spec §1.5).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonemaster::engine::RootHints;

fuzz_target!(|text: &str| {
    if let Ok(hints) = RootHints::parse(text) {
        assert!(
            !hints.servers().is_empty(),
            "hints without servers accepted"
        );
    }
});
