//! Recordings for `zmctl check --restore`: Zonemaster's `.data` file with
//! and without its `.index.jsonl`, and our own JSON lines. The input is
//! split at the first NUL into data and index.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonemaster::fuzzing::{zmctl_recording, zonemaster_recording};

fuzz_target!(|text: &str| {
    let (data, index) = match text.split_once('\0') {
        Some((data, index)) => (data, Some(index)),
        None => (text, None),
    };
    if let Ok((replayer, _report)) = zonemaster_recording(data, index) {
        let _ = replayer.entries().count();
    }
    if let Ok(replayer) = zmctl_recording(text) {
        let _ = replayer.entries().count();
    }
});
