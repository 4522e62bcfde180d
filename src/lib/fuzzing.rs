//! Entry points for the fuzz targets in `fuzz/` that the public API does
//! not offer: parsers that normally read files, fed from memory instead.
//!
//! Not part of the library's interface; nothing else should call these.

use std::io::Cursor;
use std::path::Path;

use crate::dns::zonemaster_format::{keyed, match_index, parse_data, parse_index};
use crate::dns::{LoadReport, RecordingError, Replayer};

/// The name the in-memory recordings have in errors.
const MEMORY: &str = "<fuzz input>";

/// Loads a Zonemaster `.data` recording, matched through `index` (the
/// text of an `.index.jsonl`) when given, as `zmctl check --restore` does.
pub fn zonemaster_recording(
    data: &str,
    index: Option<&str>,
) -> Result<(Replayer, LoadReport), RecordingError> {
    let path = Path::new(MEMORY);
    let packets = parse_data(data, path)?;
    Ok(match index {
        Some(index) => match_index(packets, parse_index(index, path)?),
        None => keyed(packets),
    })
}

/// Loads one of our own recordings (`zmctl check --save`).
pub fn zmctl_recording(text: &str) -> Result<Replayer, RecordingError> {
    Replayer::from_reader(Cursor::new(text), Path::new(MEMORY))
}
