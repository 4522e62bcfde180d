//! The recursor against zm-testns serving the fixture world, inside a
//! private network namespace.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zonemaster::dns::{
    Client, ClientConfig, LiveTransport, Name, QueryOptions, RData, Rcode, RecordType,
};
use zonemaster::engine::recursor::{Ending, Failure, Recursor, Resolution};
use zonemaster::engine::{IpFamilies, RootHints};

use crate::netns::{fixture_world, in_world};

/// Short timings: the world is local, and silence should cost little.
const OPTIONS: QueryOptions = QueryOptions {
    timeout: Duration::from_millis(300),
    retry: 2,
    retrans: Duration::from_millis(150),
    fallback: true,
};

fn name(text: &str) -> Name {
    Name::from_ascii(text).unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn recursor(families: IpFamilies) -> Recursor {
    let hints = RootHints::from_file(&fixture_world().join("hints.zone")).unwrap();
    let config = ClientConfig {
        options: OPTIONS,
        max_in_flight_per_server: 8,
    };
    let client = Client::new(Arc::new(LiveTransport::new()), config);
    Recursor::new(client, hints, families)
}

/// Runs `body` with a fresh recursor (both families) in the fixture world.
fn with_recursor<F, Fut>(body: F)
where
    F: FnOnce(Recursor) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    in_world(&fixture_world(), None, &[], move || {
        body(recursor(IpFamilies::default()))
    });
}

fn zones(resolution: &Resolution) -> Vec<String> {
    resolution
        .trace
        .iter()
        .map(|referral| referral.zone.to_string())
        .collect()
}

fn tags(resolution: &Resolution) -> Vec<&'static str> {
    resolution.events.iter().map(|event| event.tag()).collect()
}

/// The A addresses in the answer section of the resolution's reply.
fn answer_addresses(resolution: &Resolution) -> Vec<IpAddr> {
    let packet = resolution.packet().expect("a reply");
    packet
        .answer
        .iter()
        .filter_map(|record| match &record.data {
            RData::A(a) => Some(IpAddr::V4(a.0)),
            _ => None,
        })
        .collect()
}

#[test]
fn follows_the_referral_chain_down_to_good_test() {
    with_recursor(|recursor| async move {
        let resolution = recursor
            .recurse(&name("www.good.test."), RecordType::A)
            .await;
        assert!(
            matches!(resolution.ending, Ending::Answered(_)),
            "{:?}",
            resolution.ending
        );
        assert_eq!(zones(&resolution), ["test.", "good.test."]);
        let reply = resolution.reply().unwrap();
        assert!(reply.packet.aa);
        assert!(reply.server.name.to_string().ends_with("good.test."));
        assert!(
            ["127.53.1.1", "127.53.1.2", "fd53::1:1", "fd53::1:2"]
                .contains(&resolution.trace[1].address.to_string().as_str())
        );
        assert_eq!(answer_addresses(&resolution), [ip("192.0.2.10")]);
    });
}

#[test]
fn a_glueless_delegation_is_resolved_when_reached() {
    with_recursor(|recursor| async move {
        let resolution = recursor
            .recurse(&name("www.glueless.test."), RecordType::A)
            .await;
        assert_eq!(answer_addresses(&resolution), [ip("192.0.2.30")]);
        let server = &resolution.reply().unwrap().server;
        assert_eq!(server.name, name("ns.other.test."));
        assert!([ip("127.53.5.1"), ip("fd53::5:1")].contains(&server.address));
        assert_eq!(zones(&resolution), ["test.", "glueless.test."]);
    });
}

#[test]
fn an_out_of_zone_cname_is_followed_from_the_root() {
    with_recursor(|recursor| async move {
        let resolution = recursor
            .recurse(&name("out.good.test."), RecordType::A)
            .await;
        let packet = resolution.packet().expect("a reply");
        assert_eq!(packet.question[0].name(), &name("www.other.test."));
        assert_eq!(answer_addresses(&resolution), [ip("192.0.2.20")]);
        assert_eq!(
            tags(&resolution),
            ["CNAME_START", "CNAME_FOLLOWED_OUT_OF_ZONE"]
        );
        let args = resolution.events[1].args();
        assert_eq!(
            args,
            [
                ("name", "out.good.test".to_owned()),
                ("target", "www.other.test".to_owned())
            ]
        );
        assert_eq!(
            zones(&resolution),
            ["test.", "other.test."],
            "the trace of the restart"
        );
    });
}

#[test]
fn an_in_zone_cname_chain_is_answered_from_one_reply() {
    with_recursor(|recursor| async move {
        for alias in ["chain1.good.test.", "alias.good.test."] {
            let resolution = recursor.recurse(&name(alias), RecordType::A).await;
            assert!(matches!(resolution.ending, Ending::Answered(_)), "{alias}");
            assert_eq!(answer_addresses(&resolution), [ip("192.0.2.10")], "{alias}");
            assert_eq!(
                tags(&resolution),
                ["CNAME_START", "CNAME_FOLLOWED_IN_ZONE"],
                "{alias}"
            );
        }
        let addresses = recursor.addresses_for(&name("chain1.good.test.")).await;
        assert!(
            addresses.is_empty(),
            "only a direct CNAME target counts: {addresses:?}"
        );
        let addresses = recursor.addresses_for(&name("alias.good.test.")).await;
        assert_eq!(addresses, [ip("192.0.2.10"), ip("2001:db8::10")]);
    });
}

#[test]
fn a_missing_name_is_nxdomain_and_has_no_addresses() {
    with_recursor(|recursor| async move {
        let resolution = recursor
            .recurse(&name("nope.good.test."), RecordType::A)
            .await;
        assert!(matches!(resolution.ending, Ending::Answered(_)));
        assert_eq!(resolution.packet().unwrap().rcode, Rcode::NXDOMAIN);
        assert!(
            recursor
                .addresses_for(&name("nope.good.test."))
                .await
                .is_empty()
        );
    });
}

#[test]
fn a_lame_delegation_ends_with_the_refused_fallback() {
    with_recursor(|recursor| async move {
        let resolution = recursor
            .recurse(&name("www.lame.test."), RecordType::A)
            .await;
        let Ending::Fallback(reply) = &resolution.ending else {
            panic!("expected the REFUSED fallback, got {:?}", resolution.ending);
        };
        assert_eq!(reply.packet.rcode, Rcode::REFUSED);
        assert_eq!(reply.server.name, name("ns.lame.test."));
    });
}

#[test]
fn a_silent_delegation_gives_no_answer_within_the_timeouts() {
    with_recursor(|recursor| async move {
        let started = Instant::now();
        let resolution = recursor
            .recurse(&name("www.silent.test."), RecordType::A)
            .await;
        let elapsed = started.elapsed();
        assert_eq!(resolution.failure(), Some(Failure::NoAnswer));
        // Two silent addresses, each costing (retry − 1) × retrans + timeout;
        // a wide margin for slow machines, but far below the 5 s defaults.
        let per_address = OPTIONS.retrans + OPTIONS.timeout;
        assert!(elapsed < per_address * 2 * 4, "took {elapsed:?}");
    });
}

#[test]
fn parents_and_addresses() {
    with_recursor(|recursor| async move {
        assert_eq!(recursor.parent(&name("good.test.")).await, name("test."));
        assert_eq!(
            recursor.parent(&name("www.good.test.")).await,
            name("good.test.")
        );
        assert_eq!(recursor.parent(&name("test.")).await, Name::root());
        assert_eq!(
            recursor.parent(&name("glueless.test.")).await,
            name("test.")
        );
        let addresses = recursor.addresses_for(&name("ns1.good.test.")).await;
        assert_eq!(addresses, [ip("127.53.2.1"), ip("fd53::2:1")]);
    });
}

#[test]
fn a_disabled_family_is_never_used() {
    in_world(&fixture_world(), None, &[], || async {
        let v6_only = recursor(IpFamilies {
            ipv4: false,
            ipv6: true,
        });
        let resolution = v6_only
            .recurse(&name("www.good.test."), RecordType::A)
            .await;
        assert!(resolution.reply().unwrap().server.address.is_ipv6());
        assert!(
            resolution
                .trace
                .iter()
                .all(|referral| referral.address.is_ipv6())
        );
        let stats = v6_only.client().stats();
        assert!(
            stats.iter().all(|server| server.server.is_ipv6()),
            "{stats:?}"
        );
    });
}

#[test]
fn concurrent_askers_share_one_resolution() {
    with_recursor(|recursor| async move {
        let recursor = Arc::new(recursor);
        let asks = (0..8).map(|_| {
            let recursor = Arc::clone(&recursor);
            tokio::spawn(async move {
                recursor
                    .recurse(&name("www.good.test."), RecordType::AAAA)
                    .await
            })
        });
        let results: Vec<Arc<Resolution>> = futures::future::join_all(asks)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(
            results
                .iter()
                .all(|result| Arc::ptr_eq(result, &results[0]))
        );
    });
}
