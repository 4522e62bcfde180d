//! The Zonemaster project's recordings load completely into our replayer.

use std::path::Path;

use zonemaster::dns::{
    LoadReport, Name, Outcome, Query, RecordType, Request, Transport, load_zonemaster_recording,
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
