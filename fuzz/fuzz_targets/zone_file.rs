//! A master file as zm-testns loads it. The server is a test tool, but
//! its zone files are hand-written fixtures; a parse must end in records
//! or an error. Its source is compiled in here (zm-testns has no library).
#![no_main]

use std::sync::Once;

use hickory_proto::rr::Name;
use libfuzzer_sys::fuzz_target;

#[allow(dead_code, reason = "only the parser is exercised")]
#[path = "../../testns/src/zone.rs"]
mod zone;

static QUIET_PANICS: Once = Once::new();

fuzz_target!(|text: &str| {
    // The parser catches panics of the `domain` scanner on purpose (see
    // `parse_records`); libfuzzer-sys still aborts on any panic that
    // escapes, so only the printing is turned off.
    QUIET_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let origin = Name::from_ascii("example.").expect("a valid origin");
    if let Ok(records) = zone::parse_records(text, &origin) {
        let zone = zone::Zone::from_records(origin, records);
        for record in zone.records() {
            let _ = record.covered_type();
            let _ = record.target(0);
            let _ = zone.exists(&record.name);
        }
    }
    let _ = zone::convert_time_units(text);
});
