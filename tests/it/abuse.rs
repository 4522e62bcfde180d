//! Issue 16, item 4: the agents' abuse limits below every query
//! (`docs/abuse-limits.md`): the per-address rate limit shared by all
//! tests of a process, and no packets to special-purpose addresses.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;
use zonemaster::agent::guarded_transport;
use zonemaster::config::ZonemasterConfig;
use zonemaster::dns::{
    Client, ClientConfig, LiveTransport, Name, Outcome, Pacer, Query, QueryOptions, RecordType,
    Request, Transport,
};

use crate::netns::{fixture_world, in_world, received};

/// The fixture world's root server.
fn root() -> IpAddr {
    "127.53.0.1".parse().unwrap()
}

/// `count` different questions from one test (its own client, cache and
/// in-flight cap, as a run has) to `server`, all at once.
async fn one_test(transport: Arc<dyn Transport>, test: usize, count: usize, server: IpAddr) {
    let client = Client::new(transport, ClientConfig::default());
    let questions = (0..count).map(|index| {
        let name = Name::from_ascii(format!("q{index}.t{test}.test.")).unwrap();
        Query::new(name, RecordType::A)
    });
    let asked = questions.map(|query| {
        let client = client.clone();
        async move { client.query(server, &query).await }
    });
    for outcome in join_all(asked).await {
        assert!(outcome.packet().is_some(), "{outcome:?}");
    }
}

#[test]
fn many_tests_naming_one_address_share_its_rate() {
    const RATE: u32 = 40;
    const TESTS: usize = 12;
    const QUERIES: usize = 10;
    in_world(&fixture_world(), None, &[], || async {
        let counter = LiveTransport::new();
        let paced: Arc<dyn Transport> =
            Arc::new(LiveTransport::new().with_pacer(Arc::new(Pacer::new(RATE))));
        let before = received(&counter, root()).await;
        let started = Instant::now();
        let tests = (0..TESTS).map(|test| one_test(Arc::clone(&paced), test, QUERIES, root()));
        join_all(tests).await;
        let elapsed = started.elapsed().as_secs_f64();
        let sent = received(&counter, root()).await - before;
        // Every query was sent (waited for, not dropped)…
        assert_eq!(sent, (TESTS * QUERIES) as u64);
        // …and no faster than the rate: the burst (a quarter) plus RATE a
        // second over a span that can only be longer than the sending.
        let allowed = f64::from(RATE / 4) + f64::from(RATE) * elapsed;
        assert!(
            (sent as f64) <= allowed,
            "{sent} queries in {elapsed:.3} s to one address; at most {allowed:.1} allowed"
        );
    });
}

/// Queries held back by the pacer longer than their time to be answered
/// are still sent, and answered: waiting for our own turn is not the
/// server's silence. (Dropping them made a loaded agent fail tests with
/// "no name server answered" for root servers it had not asked.)
#[test]
fn a_query_held_back_longer_than_its_timeout_is_still_answered() {
    const RATE: u32 = 20;
    const QUERIES: usize = 15;
    in_world(&fixture_world(), None, &[], || async {
        let counter = LiveTransport::new();
        let paced = LiveTransport::new().with_pacer(Arc::new(Pacer::new(RATE)));
        // One attempt, 150 ms to answer; the burst is 5 and then one turn
        // every 50 ms, so the last query waits 500 ms for its turn.
        let options = QueryOptions {
            timeout: Duration::from_millis(150),
            retry: 1,
            retrans: Duration::from_millis(150),
            ..QueryOptions::default()
        };
        let before = received(&counter, root()).await;
        let started = Instant::now();
        let asked = (0..QUERIES).map(|index| {
            let request = Request {
                server: root(),
                query: Query::new(
                    Name::from_ascii(format!("held{index}.test.")).unwrap(),
                    RecordType::A,
                ),
                options,
            };
            let paced = &paced;
            async move { paced.exchange(&request).await }
        });
        let outcomes = join_all(asked).await;
        let waited = started.elapsed();
        let unanswered: Vec<_> = outcomes
            .iter()
            .filter(|outcome| outcome.packet().is_none())
            .collect();
        assert!(unanswered.is_empty(), "{unanswered:?}");
        assert_eq!(received(&counter, root()).await - before, QUERIES as u64);
        // The pacer did hold them back beyond the timeout.
        assert!(waited >= Duration::from_millis(450), "{waited:?}");
    });
}

#[test]
fn refusing_agents_send_nothing_to_special_purpose_addresses() {
    in_world(&fixture_world(), None, &[], || async {
        let counter = LiveTransport::new();
        let request = Request {
            server: root(),
            query: Query::new(Name::from_ascii("test.").unwrap(), RecordType::NS),
            options: QueryOptions::default(),
        };
        let before = received(&counter, root()).await;
        // As the shipped configuration says.
        let refusing = ZonemasterConfig {
            allow_private_addresses: false,
            ..ZonemasterConfig::default()
        };
        let guarded = guarded_transport(&refusing);
        match guarded.exchange(&request).await {
            Outcome::NetworkError { message, .. } => {
                assert!(message.contains("special-purpose"), "{message}");
            }
            other => panic!("sent to loopback: {other:?}"),
        }
        assert_eq!(received(&counter, root()).await, before);
        // Unset, as the reference behaves: sent.
        let open = guarded_transport(&ZonemasterConfig::default());
        assert!(open.exchange(&request).await.packet().is_some());
        assert_eq!(received(&counter, root()).await, before + 1);
    });
}
