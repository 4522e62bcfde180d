//! Opening a recording for replay, whatever wrote it.
//!
//! Two formats reach `zmctl check --restore`: our own JSON lines (written
//! by `--save`, see [`super::recording`]) and Zonemaster's `.data` files
//! (`NAME IP {json}` lines, see [`super::zonemaster_format`]). The format is
//! read from the first non-blank line, never from the file name: users
//! rename files, and both formats are plain text.
//!
//! A `.data` file is matched through its `.index.jsonl` when there is one
//! (given, or found where the conformance tree puts it), else by the query
//! keys the replayer computes; the index matches more loosely (name case,
//! EDNS size), so it is preferred when present.

use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::recording::RecordingError;
use super::replay::Replayer;
use super::zonemaster_format::{LoadReport, load_zonemaster_data, load_zonemaster_recording};

/// Which program wrote a recording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordingFormat {
    /// Our JSON lines, from `zmctl check --save` (an empty file too).
    Zmctl,
    /// Zonemaster's `.data`: `NAME IP {json}` per name server.
    Zonemaster,
}

/// A recording loaded for replay.
pub struct Restored {
    /// Answers the run's queries.
    pub replayer: Replayer,
    /// What the file turned out to be.
    pub format: RecordingFormat,
    /// The index a Zonemaster recording was matched through; `None` when
    /// its queries are matched by key (or the recording is ours).
    pub index: Option<PathBuf>,
    /// What loading a Zonemaster recording found.
    pub report: Option<LoadReport>,
}

/// Loads the recording at `path`; `index` is a Zonemaster index to use
/// instead of looking for one with [`find_index`].
pub fn restore(path: &Path, index: Option<&Path>) -> Result<Restored, RecordingError> {
    match detect_format(path)? {
        RecordingFormat::Zmctl => match index {
            Some(_) => Err(RecordingError::IndexNotApplicable {
                path: path.to_owned(),
            }),
            None => Ok(Restored {
                replayer: Replayer::from_file(path)?,
                format: RecordingFormat::Zmctl,
                index: None,
                report: None,
            }),
        },
        RecordingFormat::Zonemaster => {
            let index = index.map(Path::to_owned).or_else(|| find_index(path));
            let (replayer, report) = match &index {
                Some(index) => load_zonemaster_recording(path, index)?,
                None => load_zonemaster_data(path)?,
            };
            Ok(Restored {
                replayer,
                format: RecordingFormat::Zonemaster,
                index,
                report: Some(report),
            })
        }
    }
}

/// Reads the format from the first non-blank line of `path`.
pub fn detect_format(path: &Path) -> Result<RecordingFormat, RecordingError> {
    let io_error = |source| RecordingError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_error)?;
        if line.trim().is_empty() {
            continue;
        }
        return format_of_line(&line).ok_or_else(|| RecordingError::UnknownFormat {
            path: path.to_owned(),
            line: index + 1,
        });
    }
    Ok(RecordingFormat::Zmctl)
}

/// `{…` is ours; `NAME IP {…` is Zonemaster's.
fn format_of_line(line: &str) -> Option<RecordingFormat> {
    let line = line.trim_start();
    if line.starts_with('{') {
        return Some(RecordingFormat::Zmctl);
    }
    let mut fields = line.splitn(3, ' ');
    let (Some(_name), Some(ip), Some(json)) = (fields.next(), fields.next(), fields.next()) else {
        return None;
    };
    (ip.parse::<IpAddr>().is_ok() && json.starts_with('{')).then_some(RecordingFormat::Zonemaster)
}

/// The index of the Zonemaster recording `data`: `STEM.index.jsonl`
/// beside it, else in `../index/` (the conformance tree's
/// `recorded/data/` and `recorded/index/`), where `STEM` is the file name
/// without `.data`.
pub fn find_index(data: &Path) -> Option<PathBuf> {
    let name = data.file_name()?.to_str()?;
    let stem = name.strip_suffix(".data").unwrap_or(name);
    let file = format!("{stem}.index.jsonl");
    let directory = data.parent().unwrap_or(Path::new(""));
    [
        directory.join(&file),
        directory.join("..").join("index").join(&file),
    ]
    .into_iter()
    .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = r#"{"server":"192.0.2.1","query":{"name":"example.","rtype":6,"class":1,"rd":false,"cd":false,"ad":false,"edns":null,"protocol":"udp"},"outcome":{"kind":"timeout"}}"#;
    const THEIRS: &str = "ns.example 192.0.2.1 {\"6mX4k1tezHC5iElg0RYnCw\":null}";

    fn write(directory: &Path, name: &str, text: &str) -> PathBuf {
        let path = directory.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_format_comes_from_the_content_not_the_name() {
        let directory = tempfile::tempdir().unwrap();
        let ours = write(directory.path(), "run.data", &format!("\n{OURS}\n"));
        let theirs = write(directory.path(), "run.jsonl", &format!("  \n{THEIRS}\n"));
        let empty = write(directory.path(), "empty", "");
        assert_eq!(detect_format(&ours).unwrap(), RecordingFormat::Zmctl);
        assert_eq!(detect_format(&theirs).unwrap(), RecordingFormat::Zonemaster);
        assert_eq!(detect_format(&empty).unwrap(), RecordingFormat::Zmctl);
    }

    #[test]
    fn neither_format_is_a_clear_error() {
        let directory = tempfile::tempdir().unwrap();
        for text in [
            "\nhello world\n",
            "ns 192.0.2.300 {}",
            "ns 192.0.2.1 []",
            "zone.example.",
        ] {
            let path = write(directory.path(), "bad", text);
            let error = restore(&path, None).err().expect("neither format");
            let message = error.to_string();
            assert!(message.contains("neither a zmctl recording"), "{message}");
            assert!(message.contains("bad:"), "{message}");
        }
        let missing = restore(&directory.path().join("absent"), None)
            .err()
            .unwrap();
        assert!(matches!(missing, RecordingError::Io { .. }));
    }

    #[test]
    fn a_zonemaster_recording_without_an_index_is_matched_by_key() {
        let directory = tempfile::tempdir().unwrap();
        let data = write(directory.path(), "Test-x.data", THEIRS);
        let restored = restore(&data, None).unwrap();
        assert_eq!(restored.format, RecordingFormat::Zonemaster);
        assert_eq!(restored.index, None);
        assert_eq!(restored.report.unwrap().queries, 1);
        let query = super::super::Query::new(
            hickory_proto::rr::Name::from_ascii("se.").unwrap(),
            hickory_proto::rr::RecordType::SOA,
        );
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(matches!(
            restored.replayer.find(server, &query),
            Some(super::super::Outcome::Timeout { .. })
        ));
    }

    #[test]
    fn the_index_is_found_beside_the_data_or_in_the_conformance_layout() {
        let root = tempfile::tempdir().unwrap();
        let data_dir = root.path().join("data");
        std::fs::create_dir_all(root.path().join("index")).unwrap();
        std::fs::create_dir_all(&data_dir).unwrap();
        let data = write(&data_dir, "Test-x.data", THEIRS);
        assert_eq!(find_index(&data), None);
        let index_line = r#"{"ip":"192.0.2.1","key":"6mX4k1tezHC5iElg0RYnCw","response":false,"query":{"qname":"se","qtype":"SOA","qclass":"IN","dnssec":0,"usevc":0,"recurse":0,"edns_size":0,"edns":null}}"#;
        let apart = write(&root.path().join("index"), "Test-x.index.jsonl", index_line);
        assert_eq!(
            find_index(&data),
            Some(data_dir.join("../index/Test-x.index.jsonl"))
        );
        let beside = write(&data_dir, "Test-x.index.jsonl", index_line);
        assert_eq!(find_index(&data), Some(beside.clone()));
        let restored = restore(&data, None).unwrap();
        assert_eq!(restored.index, Some(beside));
        let given = restore(&data, Some(&apart)).unwrap();
        assert_eq!(given.index, Some(apart));
    }

    #[test]
    fn an_index_for_our_own_recording_is_refused() {
        let directory = tempfile::tempdir().unwrap();
        let ours = write(directory.path(), "run.jsonl", OURS);
        let error = restore(&ours, Some(&ours)).err().expect("refused");
        assert!(matches!(error, RecordingError::IndexNotApplicable { .. }));
        assert_eq!(restore(&ours, None).unwrap().replayer.len(), 1);
    }
}
