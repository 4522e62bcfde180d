//! zm-testns against the reference: every query recorded by the Zonemaster
//! project's test suite for the conformance zones is sent to our server,
//! and its reply compared with the recorded one.

use std::collections::BTreeSet;
use std::time::Duration;

use zonemaster::dns::{
    LiveTransport, Name, Outcome, Packet, Protocol, Query, QueryOptions, Record, RecordType,
    Request, Transport,
};

use crate::netns::{conformance_dir, in_world, received};

/// Comparable content of a reply: flags, rcode and the record sets.
fn shape(packet: &Packet) -> String {
    let section = |records: &[Record]| -> BTreeSet<String> {
        records
            .iter()
            .map(|r| match &r.data {
                // Serials differ where zones were edited after the recording.
                zonemaster::dns::RData::SOA(soa) => format!(
                    "{} SOA {} {} {} {} {} {}",
                    r.name.to_lowercase(),
                    soa.mname,
                    soa.rname,
                    soa.refresh,
                    soa.retry,
                    soa.expire,
                    soa.minimum
                ),
                data => format!("{} {} {data:?}", r.name.to_lowercase(), r.record_type()),
            })
            .collect()
    };
    format!(
        "rcode={} aa={} answer={:?} authority={:?} additional={:?}",
        packet.rcode,
        packet.aa,
        section(&packet.answer),
        section(&packet.authority),
        section(&packet.additional)
    )
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Response(response) => shape(&response.packet()),
        Outcome::Timeout { .. } | Outcome::NetworkError { .. } => "no response".to_owned(),
        other => format!("{other:?}"),
    }
}

fn is_world_address(address: std::net::IpAddr) -> bool {
    match address {
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
        std::net::IpAddr::V6(v6) => v6.segments()[..3] == [0xfda1, 0xb2, 0xc3],
    }
}

#[test]
fn replies_match_the_recorded_reference_traffic() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: zm-testns reference comparison skipped");
        return;
    };
    let recorded = conformance.join("recorded");
    let zones = conformance.join("test-zone-data");
    let mut cases = Vec::new();
    let mut stems: Vec<String> = std::fs::read_dir(recorded.join("data"))
        .unwrap()
        .map(|entry| {
            entry
                .unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    stems.sort();
    for stem in &stems {
        let (replayer, _) = zonemaster::dns::load_zonemaster_recording(
            &recorded.join(format!("data/{stem}.data")),
            &recorded.join(format!("index/{stem}.index.jsonl")),
        )
        .unwrap();
        // Queries to real internet addresses cannot be reproduced here.
        for (server, query, outcome) in replayer
            .entries()
            .filter(|(server, ..)| is_world_address(*server))
        {
            cases.push((stem.clone(), server, query.clone(), describe(outcome)));
        }
    }
    let total = cases.len();
    let mismatches: Vec<String> = in_world(&zones, None, &[], move || async move {
        let transport = LiveTransport::new();
        let options = QueryOptions {
            timeout: Duration::from_millis(300),
            retry: 1,
            retrans: Duration::from_millis(300),
            fallback: true,
        };
        let mut mismatches = Vec::new();
        for chunk in cases.chunks(64) {
            let asks = chunk.iter().map(|(stem, server, query, expected)| {
                let transport = &transport;
                async move {
                    let request = Request {
                        server: *server,
                        query: query.clone(),
                        options,
                    };
                    let ours = describe(&transport.exchange(&request).await);
                    (ours != *expected).then(|| {
                        format!(
                            "{stem} {server} {} {}:\n  reference {expected}\n  ours      {ours}",
                            query.name, query.rtype
                        )
                    })
                }
            });
            mismatches.extend(futures::future::join_all(asks).await.into_iter().flatten());
        }
        mismatches
    });
    let matched = total - mismatches.len();
    eprintln!("zm-testns vs reference: {matched}/{total} recorded replies identical");
    let mut shown = std::collections::BTreeSet::new();
    for mismatch in &mismatches {
        let kind: String = mismatch
            .split_whitespace()
            .take(1)
            .chain(mismatch.split_whitespace().nth(3))
            .collect();
        if shown.insert(kind) && shown.len() <= 12 {
            eprintln!("{mismatch}");
        }
    }
    let ratio = matched as f64 / total.max(1) as f64;
    assert!(
        total > 500,
        "expected hundreds of recorded queries, found {total}"
    );
    assert!(
        ratio >= 0.99,
        "only {matched}/{total} replies match the reference"
    );
}

#[test]
fn it_tells_how_many_queries_it_received_over_both_transports() {
    let world = crate::netns::fixture_world();
    in_world(&world, None, &[], || async {
        let transport = LiveTransport::new();
        let root: std::net::IpAddr = "127.53.0.1".parse().unwrap();
        let before = received(&transport, root).await;
        let ask = |server: &str, protocol| Request {
            server: server.parse().unwrap(),
            query: Query::new(Name::from_ascii("test.").unwrap(), RecordType::NS).over(protocol),
            options: QueryOptions::default(),
        };
        // Three over UDP to two addresses, one over TCP; asking the count
        // is not counted.
        for request in [
            ask("127.53.0.1", Protocol::Udp),
            ask("127.53.0.2", Protocol::Udp),
            ask("fd53::1", Protocol::Udp),
            ask("127.53.0.2", Protocol::Tcp),
        ] {
            assert!(transport.exchange(&request).await.packet().is_some());
        }
        let after = received(&transport, "127.53.0.2".parse().unwrap()).await;
        assert_eq!(after - before, 4);
    });
}
