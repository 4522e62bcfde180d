//! The per-run DNS client: cache, in-flight coalescing, per-server caps.
//!
//! One run asks many test cases' questions; the same question to the same
//! server with the same options is sent once (engine spec §1.7 "Cache"), and
//! a second asker arriving while the first is still waiting shares its
//! answer instead of sending a duplicate. A semaphore per server address
//! keeps us from hammering any one server, while different servers are
//! asked concurrently.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use hickory_proto::rr::{Name, RecordType};
use tokio::sync::Semaphore;

use super::chain::{self, Chain};
use super::departure::Departure;
use super::fake::FakeReferral;
use super::outcome::Outcome;
use super::query::{Protocol, Query, QueryKey};
use super::stats::{ServerStats, StatsSnapshot};
use super::transport::{AxfrOutcome, QueryOptions, Request, Transport};
use super::whois::WhoisOutcome;

/// Settings of a [`Client`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Timing and fallback for every query.
    pub options: QueryOptions,
    /// Queries in flight to one server address at most.
    pub max_in_flight_per_server: usize,
}

/// The default of [`ClientConfig::max_in_flight_per_server`]. A full test
/// of a zone with 13 name servers asks one server up to about 60
/// questions, many of them at once (A and AAAA of every name server from
/// the same root or TLD server): with 8 at a time and a 30 ms round trip
/// that queue alone cost four round trips on the critical path. 32 lets a
/// lone test send them together and stays under the process-wide pacer's
/// default burst of 500 (`dns::pacing`), which still bounds what many
/// tests send to one address.
pub const MAX_IN_FLIGHT_PER_SERVER: usize = 32;

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            options: QueryOptions::default(),
            max_in_flight_per_server: MAX_IN_FLIGHT_PER_SERVER,
        }
    }
}

type SharedOutcome = Shared<BoxFuture<'static, Answered>>;

/// A query's outcome, with where it stands in the run's chains.
#[derive(Clone)]
struct Answered {
    outcome: Arc<Outcome>,
    /// The chain of the asker that sent it, this query included.
    at: Chain,
    /// How long the exchange took; `None` when nothing was sent.
    took: Option<Duration>,
}

/// A cheap-to-clone handle; clones share cache, limits and statistics.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<dyn Transport>,
    config: ClientConfig,
    cache: Mutex<HashMap<QueryKey, SharedOutcome>>,
    /// When each query sent (or about to be) left: see [`Client::departure`].
    departures: Mutex<HashMap<QueryKey, Departure>>,
    limits: Mutex<HashMap<IpAddr, Arc<Semaphore>>>,
    stats: ServerStats,
    sent: AtomicU64,
    asked: AtomicU64,
    fake: std::sync::RwLock<Option<Arc<FakeReferral>>>,
    blacklist: Mutex<HashSet<(IpAddr, Protocol)>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client over `transport` with an empty cache.
    pub fn new(transport: Arc<dyn Transport>, config: ClientConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                transport,
                config,
                cache: Mutex::new(HashMap::new()),
                departures: Mutex::new(HashMap::new()),
                limits: Mutex::new(HashMap::new()),
                stats: ServerStats::default(),
                sent: AtomicU64::new(0),
                asked: AtomicU64::new(0),
                fake: std::sync::RwLock::new(None),
                blacklist: Mutex::new(HashSet::new()),
            }),
        }
    }

    /// The settings this client was made with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Whether its transport waits on a network (not a replay).
    pub fn waits_on_the_network(&self) -> bool {
        self.inner.transport.waits_on_the_network()
    }

    /// From now on, the parent servers of `fake` answer for its zone
    /// locally (an undelegated test, spec §1.11), before any cache.
    pub fn set_fake_referral(&self, fake: FakeReferral) {
        *self
            .inner
            .fake
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(fake));
    }

    /// Asks `server` the `query`, from cache when it was asked before.
    pub async fn query(&self, server: IpAddr, query: &Query) -> Arc<Outcome> {
        self.inner.asked.fetch_add(1, Ordering::Relaxed);
        let fake = self
            .inner
            .fake
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(outcome) = fake.and_then(|fake| fake.answer(server, query)) {
            return Arc::new(outcome);
        }
        let before = chain::current();
        let key = query.key(server);
        let (pending, borrowed) = {
            let mut cache = self
                .inner
                .cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let sibling = || {
                query.siblings().find_map(|sibling| {
                    let pending = cache.get(&sibling.key(server)).cloned()?;
                    Some((pending, sibling))
                })
            };
            match cache.get(&key).cloned() {
                Some(pending) => (pending, None),
                None => match sibling() {
                    Some((pending, lender)) => (pending, Some(lender)),
                    None => {
                        let pending = self.send(server, query.clone(), before);
                        cache.insert(key.clone(), pending.clone());
                        (pending, None)
                    }
                },
            }
        };
        let mut answered = pending.await;
        let unusable =
            borrowed.is_some_and(|lender| !reads_alike(&lender, query, &answered.outcome));
        if unusable {
            // The same packet asked with other flags got an answer whose
            // reading depends on them: ask with ours.
            let pending = {
                let mut cache = self
                    .inner
                    .cache
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                cache
                    .entry(key)
                    .or_insert_with(|| self.send(server, query.clone(), before))
                    .clone()
            };
            answered = pending.await;
        }
        // Asked again, from the cache or while in flight: the answer was
        // there no later than when its first asker got it, nor than when
        // this asker would have had it by sending the query itself.
        let mine = answered.took.map_or(before, |took| {
            before.then_exchange(answered.outcome.round_trips(), took)
        });
        chain::reached(answered.at.shortest(mine));
        answered.outcome
    }

    /// Where `query` to `server` stands on its way out (see [`Departure`]):
    /// it counts as gone from when it is sent for, a wait for one of the
    /// run's slots for the server included, except while the pacer holds
    /// it back. The same for every caller, asked before the query is or
    /// after.
    pub fn departure(&self, server: IpAddr, query: &Query) -> Departure {
        self.inner.departure(&query.key(server))
    }

    fn send(&self, server: IpAddr, query: Query, before: Chain) -> SharedOutcome {
        let inner = Arc::clone(&self.inner);
        let departure = inner.departure(&query.key(server));
        async move {
            // Waiting for one of the run's slots for this server counts as
            // the server's time: its slots are taken by questions it has
            // not answered yet. The pacer's wait, inside the exchange, does
            // not (see `departure`).
            departure.leave();
            let limit = inner.limit_for(server);
            // The semaphore is never closed, so acquiring cannot fail.
            let _permit = limit.acquire_owned().await.ok();
            if inner.is_blacklisted(server, query.protocol) {
                tracing::trace!(%server, name = %query.name, rtype = %query.rtype, "not sent: the server is blacklisted");
                return Answered {
                    outcome: Arc::new(Outcome::Timeout { strays: Vec::new() }),
                    at: before,
                    took: None,
                };
            }
            let request = Request {
                server,
                query,
                options: inner.config.options,
            };
            inner.sent.fetch_add(1, Ordering::Relaxed);
            let started = Instant::now();
            let outcome = departure.scope(inner.transport.exchange(&request)).await;
            let took = started.elapsed();
            inner.blacklist_if_silent(&request, &outcome);
            inner.stats.record(server, outcome.rtt());
            tracing::trace!(%server, name = %request.query.name, rtype = %request.query.rtype, class = %request.query.class, flags = %request.query.describe_flags(), edns = %request.query.describe_edns(), outcome = %outcome.summary(), chain = before.queries + outcome.round_trips(), ms = took.as_millis(), "query answered");
            Answered {
                at: before.then_exchange(outcome.round_trips(), took),
                outcome: Arc::new(outcome),
                took: Some(took),
            }
        }
        .boxed()
        .shared()
    }

    /// Transfers `zone` from `server` (never cached).
    pub async fn axfr(&self, server: IpAddr, zone: &Name, timeout: Duration) -> AxfrOutcome {
        let limit = self.inner.limit_for(server);
        let _permit = limit.acquire_owned().await.ok();
        timed(self.inner.transport.axfr(server, zone, timeout)).await
    }

    /// Asks the WHOIS server at `server` `question` (never cached: the
    /// AS-number look-ups memoise their own results).
    pub async fn whois(&self, server: IpAddr, question: &str, timeout: Duration) -> WhoisOutcome {
        timed(self.inner.transport.whois(server, question, timeout)).await
    }

    /// Starts a transfer of `zone` from `server`, reading only its first
    /// message (never cached).
    pub async fn axfr_first(&self, server: IpAddr, zone: &Name, timeout: Duration) -> AxfrOutcome {
        let limit = self.inner.limit_for(server);
        let _permit = limit.acquire_owned().await.ok();
        timed(self.inner.transport.axfr_first(server, zone, timeout)).await
    }

    /// Per-server statistics of the queries actually sent.
    pub fn stats(&self) -> Vec<StatsSnapshot> {
        self.inner.stats.snapshot()
    }

    /// Queries put on the wire (or to the replay file) so far.
    pub fn sent_count(&self) -> u64 {
        self.inner.sent.load(Ordering::Relaxed)
    }

    /// Queries asked of this client so far, cache hits included.
    pub fn asked_count(&self) -> u64 {
        self.inner.asked.load(Ordering::Relaxed)
    }
}

/// Runs an exchange that is never cached as one link of the asking
/// branch's chain.
async fn timed<T>(exchange: impl std::future::Future<Output = T>) -> T {
    let before = chain::current();
    let started = Instant::now();
    let output = exchange.await;
    chain::reached(before.then(started.elapsed()));
    output
}

impl Inner {
    fn departure(&self, key: &QueryKey) -> Departure {
        let mut departures = self
            .departures
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        departures.entry(key.clone()).or_default().clone()
    }

    /// Blacklisting (spec §1.7): a server that gave no response to a plain
    /// SOA query (no EDNS) is taken as down over that transport for the
    /// rest of the run, and later queries over it fail at once, unsent, as
    /// in the reference. A replay miss is not a silence.
    fn blacklist_if_silent(&self, request: &Request, outcome: &Outcome) {
        let query = &request.query;
        // A reply that came back from another address (or was otherwise
        // set aside) is not silence: the server is up.
        let is_silent = match outcome {
            Outcome::Timeout { strays } => strays.is_empty(),
            Outcome::NetworkError { .. } => true,
            _ => false,
        };
        if is_silent && query.rtype == RecordType::SOA && query.edns.is_none() {
            tracing::debug!(server = %request.server, protocol = ?query.protocol, "blacklisted: no response to a plain SOA query");
            self.blacklist
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert((request.server, query.protocol));
        }
    }

    fn is_blacklisted(&self, server: IpAddr, protocol: Protocol) -> bool {
        self.blacklist
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&(server, protocol))
    }

    fn limit_for(&self, server: IpAddr) -> Arc<Semaphore> {
        let mut limits = self.limits.lock().unwrap_or_else(PoisonError::into_inner);
        let permits = self.config.max_in_flight_per_server.max(1);
        Arc::clone(
            limits
                .entry(server)
                .or_insert_with(|| Arc::new(Semaphore::new(permits))),
        )
    }
}

/// True when `outcome`, got by `lender`, is what `asker` would have got:
/// the two go on the wire alike (see [`Query::siblings`]) and differ only
/// in how a reply is read, and nothing in this outcome reads differently
/// for them. Then the same packet is not sent a second time (one query
/// is never sent twice in a run).
///
/// - `keeps_truncated` matters only for a truncated reply (kept as it
///   came, or re-asked over EDNS 4096 or TCP).
/// - `accepts_other_source` matters only when a reply came from another
///   address than the one asked: a lender that refused such replies and
///   saw none serves an asker that would have taken one; the other way
///   round the source cannot be told from the outcome alone, so not.
fn reads_alike(lender: &Query, asker: &Query, outcome: &Outcome) -> bool {
    let (strays, truncated) = match outcome {
        Outcome::Response(response) => (
            response.strays.as_slice(),
            response.is_truncated() || response.fell_back,
        ),
        Outcome::Timeout { strays } => (strays.as_slice(), false),
        _ => return false,
    };
    let truncation = lender.keeps_truncated == asker.keeps_truncated || !truncated;
    let source = lender.accepts_other_source == asker.accepts_other_source
        || (asker.accepts_other_source && strays.is_empty());
    truncation && source
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::outcome::Outcome;
    use hickory_proto::rr::RecordType;
    use std::sync::atomic::AtomicUsize;

    /// Counts exchanges and the highest concurrency seen; never answers.
    #[derive(Default)]
    struct CountingTransport {
        calls: AtomicUsize,
        in_flight: AtomicUsize,
        peak: AtomicUsize,
    }

    impl Transport for CountingTransport {
        fn exchange<'a>(&'a self, _request: &'a Request) -> BoxFuture<'a, Outcome> {
            async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                self.peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                self.in_flight.fetch_sub(1, Ordering::SeqCst);
                Outcome::Timeout { strays: Vec::new() }
            }
            .boxed()
        }

        fn axfr<'a>(&'a self, _: IpAddr, _: &'a Name, _: Duration) -> BoxFuture<'a, AxfrOutcome> {
            async { AxfrOutcome::NoResponse("test".into()) }.boxed()
        }
    }

    fn client(transport: &Arc<CountingTransport>, cap: usize) -> Client {
        let config = ClientConfig {
            max_in_flight_per_server: cap,
            ..ClientConfig::default()
        };
        Client::new(Arc::clone(transport) as Arc<dyn Transport>, config)
    }

    #[tokio::test]
    async fn identical_queries_in_flight_are_sent_once() {
        let transport = Arc::new(CountingTransport::default());
        let client = client(&transport, 8);
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let query = Query::new(Name::root(), RecordType::SOA);
        let asks = (0..10).map(|_| client.query(server, &query));
        crate::dns::chain::join_all(asks).await;
        client.query(server, &query).await;
        assert_eq!(transport.calls.load(Ordering::SeqCst), 1);
        assert_eq!(client.asked_count(), 11);
        assert_eq!(client.stats()[0].no_response, 1);
    }

    /// Answers every query with an empty reply that came over TCP after
    /// a truncated one (`fell_back`) when told so.
    struct FallingBack(bool);

    impl Transport for FallingBack {
        fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
            let wire = [0, 1, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            let outcome = Outcome::Response(crate::dns::Response {
                decoded: crate::dns::Decoded::from_raw(crate::dns::Packet::decode(&wire).unwrap()),
                raw: Arc::from(wire.to_vec()),
                from: std::net::SocketAddr::new(request.server, 53),
                rtt: Duration::from_millis(1),
                received_at: std::time::SystemTime::now(),
                protocol: crate::dns::Protocol::Tcp,
                fell_back: self.0,
                has_question_mismatch: false,
                strays: Vec::new(),
            });
            async move { outcome }.boxed()
        }

        fn axfr<'a>(&'a self, _: IpAddr, _: &'a Name, _: Duration) -> BoxFuture<'a, AxfrOutcome> {
            async { AxfrOutcome::NoResponse("test".into()) }.boxed()
        }
    }

    #[tokio::test]
    async fn a_truncated_reply_asked_again_is_two_links_of_the_chain() {
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let query = Query::new(Name::root(), RecordType::DNSKEY);
        for (fell_back, links) in [(false, 1), (true, 2)] {
            let client = Client::new(Arc::new(FallingBack(fell_back)), ClientConfig::default());
            let (_, chain) = crate::dns::chain::root(async {
                client.query(server, &query).await;
                // From the cache: the same links, none added.
                client.query(server, &query).await;
            })
            .await;
            assert_eq!(chain.queries, links, "fell back: {fell_back}");
        }
    }

    #[tokio::test]
    async fn different_options_are_different_questions() {
        let transport = Arc::new(CountingTransport::default());
        let client = client(&transport, 8);
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let query = Query::new(Name::root(), RecordType::SOA);
        // The DNSSEC one first: a plain SOA without response blacklists.
        client.query(server, &query.clone().with_dnssec()).await;
        client.query(server, &query).await;
        client.query("192.0.2.2".parse().unwrap(), &query).await;
        assert_eq!(transport.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn silence_to_a_plain_soa_query_blacklists_the_server_for_that_transport() {
        let transport = Arc::new(CountingTransport::default());
        let client = client(&transport, 8);
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let a = Query::new(Name::from_ascii("www.").unwrap(), RecordType::A);
        // Silence to anything else, or to an SOA query with EDNS, does not.
        client.query(server, &a).await;
        let soa = Query::new(Name::root(), RecordType::SOA);
        client.query(server, &soa.clone().with_dnssec()).await;
        assert_eq!(transport.calls.load(Ordering::SeqCst), 2);
        client.query(server, &soa).await;
        assert_eq!(transport.calls.load(Ordering::SeqCst), 3);
        // Now every new question over UDP fails at once, unsent ...
        let mx = Query::new(Name::root(), RecordType::MX);
        let outcome = client.query(server, &mx).await;
        assert!(matches!(*outcome, Outcome::Timeout { .. }));
        assert_eq!(transport.calls.load(Ordering::SeqCst), 3);
        // ... but TCP and other servers are still asked.
        client.query(server, &mx.clone().over(Protocol::Tcp)).await;
        client.query("192.0.2.2".parse().unwrap(), &mx).await;
        assert_eq!(transport.calls.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn per_server_cap_is_respected() {
        let transport = Arc::new(CountingTransport::default());
        let client = client(&transport, 2);
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let queries: Vec<Query> = (0..6)
            .map(|i| Query::new(Name::from_ascii(format!("n{i}.")).unwrap(), RecordType::A))
            .collect();
        crate::dns::chain::join_all(queries.iter().map(|q| client.query(server, q))).await;
        assert_eq!(transport.calls.load(Ordering::SeqCst), 6);
        assert_eq!(transport.peak.load(Ordering::SeqCst), 2);
    }
}
