//! The `dns` layer against zm-testns serving the fixture world, inside a
//! private network namespace.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use zonemaster::dns::{
    AxfrOutcome, Classification, Client, ClientConfig, Edns, LiveTransport, Name, Outcome,
    Protocol, Query, QueryOptions, Rcode, RecordType, Recorder, Replayer, Request, Transport,
};

use crate::netns::{fixture_world, in_world};

const NS1_GOOD: &str = "127.53.2.1";
const NS1_GOOD_V6: &str = "fd53::2:1";
const NS1_TEST: &str = "127.53.1.1";

fn name(text: &str) -> Name {
    Name::from_ascii(text).unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// Short timings: the world is local, and silence should cost little.
fn quick() -> QueryOptions {
    QueryOptions {
        timeout: Duration::from_millis(400),
        retry: 2,
        retrans: Duration::from_millis(200),
        fallback: true,
    }
}

async fn ask(server: &str, query: Query) -> Outcome {
    ask_with(server, query, quick()).await
}

async fn ask_with(server: &str, query: Query, options: QueryOptions) -> Outcome {
    let request = Request {
        server: ip(server),
        query,
        options,
    };
    LiveTransport::new().exchange(&request).await
}

fn in_fixture_world<F, Fut>(body: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    in_world(&fixture_world(), None, &[], body);
}

#[test]
fn authoritative_answer_over_ipv4_and_ipv6() {
    in_fixture_world(|| async {
        for server in [NS1_GOOD, NS1_GOOD_V6] {
            let outcome = ask(server, Query::new(name("www.good.test."), RecordType::A)).await;
            let response = outcome.response().expect("a reply");
            assert!(response.packet().aa, "{server}: AA");
            assert_eq!(response.packet().rcode, Rcode::NOERROR);
            assert_eq!(response.packet().answers_of(RecordType::A).count(), 1);
            assert_eq!(response.from.ip(), ip(server));
            assert_eq!(response.protocol, Protocol::Udp);
            assert!(!response.has_question_mismatch);
            assert_eq!(response.raw.len(), response.raw.len().max(12));
        }
    });
}

#[test]
fn nxdomain_and_nodata_are_classified() {
    in_fixture_world(|| async {
        let nx = ask(NS1_GOOD, Query::new(name("nope.good.test."), RecordType::A)).await;
        let nx = nx.packet().expect("a reply");
        assert_eq!(nx.classify(), Classification::NxDomain);
        assert_eq!(nx.authority[0].record_type(), RecordType::SOA);
        let nodata = ask(
            NS1_GOOD,
            Query::new(name("nodata.good.test."), RecordType::AAAA),
        )
        .await;
        assert_eq!(
            nodata.packet().expect("a reply").classify(),
            Classification::NoData
        );
    });
}

#[test]
fn parent_answers_with_a_referral_and_glue() {
    in_fixture_world(|| async {
        let outcome = ask(NS1_TEST, Query::new(name("www.good.test."), RecordType::A)).await;
        let packet = outcome.packet().expect("a reply");
        assert_eq!(packet.classify(), Classification::Referral);
        assert!(!packet.aa);
        let glue: Vec<_> = packet
            .additional
            .iter()
            .filter(|r| r.record_type() == RecordType::A)
            .collect();
        assert_eq!(glue.len(), 2, "glue for ns1 and ns2: {packet:?}");
    });
}

#[test]
fn truncation_falls_back_to_big_edns_then_tcp() {
    in_fixture_world(|| async {
        let big = || Query::new(name("big.good.test."), RecordType::TXT);
        let no_fallback = QueryOptions {
            fallback: false,
            ..quick()
        };
        let truncated = ask_with(NS1_GOOD, big(), no_fallback).await;
        assert!(
            truncated.packet().expect("a reply").tc,
            "plain UDP reply must be truncated"
        );

        let plain = ask(NS1_GOOD, big()).await;
        let plain = plain.response().expect("a reply");
        assert!(plain.fell_back && !plain.packet().tc);
        assert_eq!(
            plain.protocol,
            Protocol::Udp,
            "EDNS 4096 over UDP is enough"
        );
        assert!(plain.packet().opt.is_some());

        let with_edns = ask(NS1_GOOD, big().with_edns(Edns::with_size(1232))).await;
        let with_edns = with_edns.response().expect("a reply");
        assert!(with_edns.fell_back && !with_edns.packet().tc);
        assert_eq!(
            with_edns.protocol,
            Protocol::Tcp,
            "an EDNS query goes straight to TCP"
        );
        assert_eq!(with_edns.packet().answer.len(), plain.packet().answer.len());

        let tcp = ask(NS1_GOOD, big().over(Protocol::Tcp)).await;
        assert_eq!(tcp.response().expect("a reply").protocol, Protocol::Tcp);
    });
}

#[test]
fn dropped_query_times_out_after_all_attempts() {
    in_fixture_world(|| async {
        let query = Query::new(name("_sip._udp.good.test."), RecordType::SRV);
        let outcome = ask(NS1_GOOD, query.clone()).await;
        assert!(matches!(outcome, Outcome::Timeout { .. }), "{outcome:?}");
        let tcp = ask(NS1_GOOD, query.clone().over(Protocol::Tcp)).await;
        assert!(tcp.is_no_response(), "{tcp:?}");
        let other_server = ask("127.53.2.2", query).await;
        assert!(other_server.response().is_some(), "only ns1 drops SRV");
    });
}

#[test]
fn edns_version_one_gets_badvers() {
    in_fixture_world(|| async {
        let edns = Edns {
            version: 1,
            ..Edns::with_size(512)
        };
        let outcome = ask(
            NS1_GOOD,
            Query::new(name("good.test."), RecordType::SOA).with_edns(edns),
        )
        .await;
        let packet = outcome.packet().expect("a reply");
        assert_eq!(packet.rcode, Rcode::BADVERS);
        assert_eq!(packet.opt.as_ref().expect("OPT in reply").version, 0);

        let dnssec = ask(
            NS1_GOOD,
            Query::new(name("good.test."), RecordType::SOA).with_dnssec(),
        )
        .await;
        assert!(
            dnssec
                .packet()
                .and_then(|p| p.opt.clone())
                .expect("OPT")
                .dnssec_ok,
            "DO echoed"
        );
    });
}

#[test]
fn malformed_record_keeps_the_rest_of_the_reply() {
    in_fixture_world(|| async {
        let outcome = ask(
            NS1_GOOD,
            Query::new(name("mixed.good.test."), RecordType::TXT),
        )
        .await;
        let packet = outcome.packet().expect("a reply");
        assert_eq!(packet.answers_of(RecordType::TXT).count(), 1);
        assert_eq!(packet.malformed.len(), 1, "{packet:?}");
        assert_eq!(packet.malformed[0].rtype, RecordType::NSEC3);
    });
}

#[test]
fn chaos_class_version_query() {
    in_fixture_world(|| async {
        let query = Query::new(name("version.bind."), RecordType::TXT)
            .in_class(zonemaster::dns::DNSClass::CH);
        let outcome = ask(NS1_GOOD, query).await;
        let packet = outcome.packet().expect("a reply");
        assert_eq!(packet.rcode, Rcode::NOERROR);
        assert_eq!(packet.answers_of(RecordType::TXT).count(), 1);
    });
}

#[test]
fn axfr_returns_the_whole_zone() {
    in_fixture_world(|| async {
        let transport = LiveTransport::new();
        let outcome = transport
            .axfr(ip(NS1_GOOD), &name("good.test."), Duration::from_secs(2))
            .await;
        let AxfrOutcome::Complete(records) = outcome else {
            panic!("expected a complete transfer, got {outcome:?}");
        };
        assert_eq!(
            records.first().map(|r| r.record_type()),
            Some(RecordType::SOA)
        );
        assert_eq!(
            records.last().map(|r| r.record_type()),
            Some(RecordType::SOA)
        );
        assert!(records.iter().any(|r| r.name == name("www.good.test.")));
        let refused = transport
            .axfr(ip(NS1_GOOD), &name("test."), Duration::from_secs(2))
            .await;
        assert!(!matches!(refused, AxfrOutcome::Complete(_)), "{refused:?}");
    });
}

#[test]
fn axfr_first_reads_only_the_first_message() {
    in_fixture_world(|| async {
        let transport = LiveTransport::new();
        let outcome = transport
            .axfr_first(ip(NS1_GOOD), &name("good.test."), Duration::from_secs(2))
            .await;
        let AxfrOutcome::Started(records) = outcome else {
            panic!("expected a started transfer, got {outcome:?}");
        };
        assert_eq!(
            records.first().map(|r| r.record_type()),
            Some(RecordType::SOA)
        );
        let refused = transport
            .axfr_first(ip(NS1_GOOD), &name("test."), Duration::from_secs(2))
            .await;
        assert!(matches!(refused, AxfrOutcome::Refused(_)), "{refused:?}");
    });
}

#[test]
fn client_caches_and_counts_per_server() {
    in_fixture_world(|| async {
        let config = ClientConfig {
            options: quick(),
            max_in_flight_per_server: 4,
        };
        let client = Client::new(Arc::new(LiveTransport::new()), config);
        let query = Query::new(name("www.good.test."), RecordType::A);
        let asks = (0..5).map(|_| client.query(ip(NS1_GOOD), &query));
        futures::future::join_all(asks).await;
        client.query(ip("127.53.2.2"), &query).await;
        assert_eq!(client.sent_count(), 2);
        let stats = client.stats();
        assert_eq!(stats.len(), 2);
        assert!(
            stats
                .iter()
                .all(|row| row.queries == 1 && row.min.is_some())
        );
    });
}

/// Recording live traffic and replaying it gives the same outcomes, and the
/// replay never needs the network (it runs after the world is gone).
#[test]
fn record_then_replay_gives_identical_results() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("run.jsonl");
    let recorded_path = path.clone();
    let queries = vec![
        (NS1_GOOD, Query::new(name("www.good.test."), RecordType::A)),
        (NS1_GOOD, Query::new(name("nope.good.test."), RecordType::A)),
        (
            NS1_GOOD,
            Query::new(name("big.good.test."), RecordType::TXT),
        ),
        (
            NS1_GOOD,
            Query::new(name("mixed.good.test."), RecordType::TXT),
        ),
        (
            NS1_GOOD,
            Query::new(name("_sip._udp.good.test."), RecordType::SRV),
        ),
        (
            NS1_TEST,
            Query::new(name("good.test."), RecordType::NS).with_dnssec(),
        ),
    ];
    let live_queries = queries.clone();
    let live: Vec<String> = in_world(&fixture_world(), None, &[], move || async move {
        let recorder = Recorder::create(Arc::new(LiveTransport::new()), &recorded_path).unwrap();
        let seen = ask_all(&recorder, live_queries).await;
        recorder.flush().unwrap();
        seen
    });
    let replayer = Replayer::from_file(&path).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let replayed = runtime.block_on(ask_all(&replayer, queries));
    assert_eq!(live, replayed);
    assert!(replayer.misses().is_empty());
    let unknown = runtime.block_on(replayer.exchange(&Request {
        server: ip(NS1_GOOD),
        query: Query::new(name("www.good.test."), RecordType::MX),
        options: quick(),
    }));
    assert!(matches!(unknown, Outcome::ReplayMiss));
}

/// Asks every query and transfers good.test through `transport`, returning
/// what came back in comparable form.
async fn ask_all(transport: &dyn Transport, queries: Vec<(&str, Query)>) -> Vec<String> {
    let mut seen = Vec::new();
    for (server, query) in queries {
        let request = Request {
            server: ip(server),
            query,
            options: quick(),
        };
        seen.push(fingerprint(&transport.exchange(&request).await));
    }
    let axfr = transport
        .axfr(ip(NS1_GOOD), &name("good.test."), Duration::from_secs(2))
        .await;
    seen.push(format!("{axfr:?}"));
    seen
}

/// Everything observable about an outcome except timing.
fn fingerprint(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Response(response) => format!(
            "{:?} {} {:?} {} {:?}",
            response.raw,
            response.from,
            response.protocol,
            response.fell_back,
            response.packet()
        ),
        other => format!("{other:?}"),
    }
}

/// Issue 13: a packet asked again with flags that only change how its
/// reply is read (NAMESERVER04's, NAMESERVER13's) is not sent again when
/// the reply reads alike for both; it is when it does not.
#[test]
fn one_packet_is_sent_once_whatever_reads_its_reply() {
    in_fixture_world(|| async {
        let transport = LiveTransport::new();
        let server = ip(NS1_GOOD);
        let count = || crate::netns::received(&transport, server);
        let client = Client::new(
            Arc::new(LiveTransport::new()),
            ClientConfig {
                options: quick(),
                max_in_flight_per_server: 4,
            },
        );
        let soa = Query::new(name("good.test."), RecordType::SOA);
        let other_source = soa.clone().from_any_source();
        let before = count().await;
        client.query(server, &soa).await;
        client.query(server, &soa.clone().keeping_truncated()).await;
        client.query(server, &other_source).await;
        assert_eq!(
            count().await - before,
            1,
            "one SOA packet for three readers"
        );

        // A truncated reply reads differently: kept as it came, or re-asked.
        let big = Query::new(name("big.good.test."), RecordType::TXT);
        let before = count().await;
        let kept = client.query(server, &big.clone().keeping_truncated()).await;
        assert!(kept.packet().expect("a reply").tc);
        let whole = client.query(server, &big).await;
        let whole = whole.response().expect("a reply");
        assert!(whole.fell_back && !whole.packet().tc);
        // The kept truncated reply, then the plain query's UDP try and its
        // re-asks: never fewer than two packets more, the kept one first.
        assert!(count().await - before >= 3, "{}", count().await - before);

        // A reader that takes replies from elsewhere may use a reply from
        // the server itself; the reverse is not known from the outcome.
        let ns = Query::new(name("good.test."), RecordType::NS);
        let ns_other = ns.clone().from_any_source();
        let before = count().await;
        client.query(server, &ns).await;
        client.query(server, &ns_other).await;
        assert_eq!(count().await - before, 1);
        let mx = Query::new(name("good.test."), RecordType::MX);
        let mx_other = mx.clone().from_any_source();
        let before = count().await;
        client.query(server, &mx_other).await;
        client.query(server, &mx).await;
        assert_eq!(count().await - before, 2);
    });
}

/// A TCP query takes no ephemeral port of its own: with two local ports
/// in this namespace, four connections open at once to four servers all
/// get through, sharing ports. (Bound to port 0 before connecting, each
/// socket needed a port nobody else held, in use or in TIME_WAIT: the
/// third failed here, and a loaded agent spent 6 % of its time in the
/// kernel's search for a free port.)
#[test]
fn tcp_queries_share_local_ports_between_servers() {
    in_fixture_world(|| async {
        std::fs::write("/proc/sys/net/ipv4/ip_local_port_range", "50000 50001")
            .expect("this namespace's port range");
        let servers = [NS1_GOOD, "127.53.2.2", NS1_TEST, "127.53.55.1"];
        let query = Query::new(name("good.test."), RecordType::SOA).over(Protocol::Tcp);
        let asked = servers.map(|server| ask(server, query.clone()));
        for (server, outcome) in servers.iter().zip(futures::future::join_all(asked).await) {
            let response = outcome
                .response()
                .unwrap_or_else(|| panic!("{server}: {outcome:?}"));
            assert_eq!(response.protocol, Protocol::Tcp, "{server}");
        }
    });
}
