//! The Zonemaster project's recordings load completely into our replayer,
//! through their index or by their query keys.

use std::path::Path;

use zonemaster::dns::{
    LoadReport, Name, Outcome, Query, RecordType, Request, Transport, load_zonemaster_data,
    load_zonemaster_recording, read_index, zonemaster_keys,
};

use crate::netns::conformance_dir;

fn load(recorded: &Path, stem: &str) -> (zonemaster::dns::Replayer, LoadReport) {
    let data = recorded.join("data").join(format!("{stem}.data"));
    let index = recorded.join("index").join(format!("{stem}.index.jsonl"));
    load_zonemaster_recording(&data, &index).unwrap_or_else(|error| panic!("{stem}: {error}"))
}

#[test]
fn every_recording_loads_with_all_its_packets() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: recorded-traffic check skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let mut total = LoadReport::default();
    let mut files = 0;
    for entry in std::fs::read_dir(recorded.join("data")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (replayer, report) = load(&recorded, &stem);
        assert_eq!(replayer.len(), report.queries, "{stem}");
        assert_eq!(report.missing_packets, 0, "{stem}: {report:?}");
        total.queries += report.queries;
        total.with_response += report.with_response;
        total.undecodable += report.undecodable;
        files += 1;
    }
    eprintln!("recordings: {files} files, {total:?}");
    assert_eq!(
        total.queries, 32_325,
        "the README counts 32,325 recorded queries"
    );
    assert!(total.with_response > total.queries / 2);
}

#[test]
fn a_recorded_query_is_answered_and_an_unrecorded_one_misses() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: replay check skipped");
        return;
    };
    let (replayer, _) = load(&conformance.join("recorded"), "Test-basic02");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ask = |name: &str, rtype| Request {
        server: "127.12.2.31".parse().unwrap(),
        query: Query::new(Name::from_ascii(name).unwrap(), rtype),
        options: Default::default(),
    };
    let answered = runtime.block_on(replayer.exchange(&ask("GOOD-1.basic02.xa.", RecordType::SOA)));
    let packet = answered.packet().expect("recorded reply");
    assert_eq!(packet.answers_of(RecordType::SOA).count(), 1);
    let silent =
        runtime.block_on(replayer.exchange(&ask("good-undel-8.basic02.xa.", RecordType::SOA)));
    assert!(
        matches!(silent, Outcome::Timeout { .. }),
        "recorded as no response"
    );
    let missing = runtime.block_on(replayer.exchange(&ask("good-1.basic02.xa.", RecordType::CAA)));
    assert!(matches!(missing, Outcome::ReplayMiss));
}

/// Every stem of `recorded/data`, sorted.
fn stems(recorded: &Path) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(recorded.join("data"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            path.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    stems.sort();
    stems
}

/// The README's key formula, checked on every decoded index line: from
/// the index's own fields exactly, and from the query we rebuild of them
/// among the keys the replayer tries.
#[test]
fn every_recorded_key_is_computed_from_its_query() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: key check skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let (mut lines, mut from_fields, mut from_query) = (0, 0, 0);
    let mut wrong = Vec::new();
    for stem in stems(&recorded) {
        let index = recorded.join("index").join(format!("{stem}.index.jsonl"));
        for entry in read_index(&index).unwrap() {
            lines += 1;
            let exact = entry.key_fields.digest() == entry.key;
            let tried = zonemaster_keys(&entry.query).contains(&entry.key);
            from_fields += usize::from(exact);
            from_query += usize::from(tried);
            if !(exact && tried) {
                wrong.push(format!("{stem}: {} {:?}", entry.key, entry.key_fields));
            }
        }
    }
    eprintln!(
        "query keys: {from_fields}/{lines} computed from the index fields, \
         {from_query}/{lines} among the keys tried for the rebuilt query"
    );
    assert_eq!(lines, 32_325, "the README counts 32,325 recorded queries");
    assert!(
        wrong.is_empty(),
        "{} keys not reproduced: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
}

/// What a replayer answers, comparable: the reply's bytes or the kind.
fn answer_of(outcome: Option<&Outcome>) -> String {
    match outcome {
        Some(Outcome::Response(response)) => format!("response {:?}", response.raw),
        Some(Outcome::Malformed { raw, .. }) => format!("malformed {raw:?}"),
        Some(Outcome::Timeout { .. }) => "timeout".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "miss".to_owned(),
    }
}

/// For every query an index lists, the recording read without its index
/// answers as it does through the index.
#[test]
fn without_the_index_every_indexed_query_gets_the_same_answer() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: replay without index skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let (mut asked, mut same) = (0, 0);
    let mut different = Vec::new();
    for stem in stems(&recorded) {
        let data = recorded.join("data").join(format!("{stem}.data"));
        let index = recorded.join("index").join(format!("{stem}.index.jsonl"));
        let (through_index, _) = load_zonemaster_recording(&data, &index).unwrap();
        let (by_key, report) = load_zonemaster_data(&data).unwrap();
        assert_eq!(report.missing_packets, 0);
        for entry in read_index(&index).unwrap() {
            asked += 1;
            let expected = answer_of(through_index.find(entry.server, &entry.query));
            let answer = answer_of(by_key.find(entry.server, &entry.query));
            if answer == expected {
                same += 1;
            } else {
                different.push(format!("{stem} {} {:?}", entry.server, entry.key_fields));
            }
        }
    }
    eprintln!("replay without index: {same}/{asked} indexed queries answered alike");
    assert_eq!(asked, 32_325);
    assert!(
        different.is_empty(),
        "{} differ: {:?}",
        different.len(),
        &different[..different.len().min(5)]
    );
}
