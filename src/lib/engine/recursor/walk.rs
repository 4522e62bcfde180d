//! One resolution, server by server (spec §1.8): ask, classify, follow
//! referrals, resolve glueless names when their turn comes, follow CNAMEs.
//!
//! Nested work — a glueless name's addresses, a CNAME target outside the
//! asked name — runs as a nested walk sharing the [`Tree`]: one query
//! budget, one event log, one set of questions in progress. The futures
//! are boxed because the walk calls itself.

use std::collections::HashSet;

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::{DNSClass, Name, RecordType};

use super::cname::{ChainVerdict, check_chain, join_names, needs_processing};
use super::event::{CNAME_MAX_CHAIN_LENGTH, SystemEvent};
use super::iterative::{DEPTH_LIMIT, MAX_REFERRALS, Recursor};
use super::resolution::{CnameFailure, Ending, Failure, Referral, Reply};
use super::servers::{Candidate, GlueBook, referral_candidates, root_candidates};
use crate::dns::{Classification, Packet, Query, Rcode};

/// The reference engine's name for the routine that guards referrals.
const RECURSE_CALLER: &str = "Zonemaster::Engine::Recursor->_recurse";

/// A question to resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ask {
    /// Lower-case, fully qualified.
    pub name: Name,
    /// The type asked.
    pub rtype: RecordType,
    /// The class asked.
    pub class: DNSClass,
}

impl Ask {
    /// The query a server is sent for this question. Every sender builds
    /// it here, so early and speculative questions land in the run's
    /// cache under the key the walk reads (and the early questions find
    /// the walk's [`crate::dns::departure::Departure`]).
    pub fn query(&self) -> Query {
        Query::new(self.name.clone(), self.rtype).in_class(self.class)
    }
}

/// State shared by a resolution and everything nested in it.
#[derive(Debug, Default)]
pub struct Tree {
    /// Queries asked so far.
    pub queries: usize,
    /// `System` events, in order.
    pub events: Vec<SystemEvent>,
    /// Questions started in this resolution; never cleared, as in the
    /// reference, so a question cannot be asked twice in one resolution.
    pub in_progress: HashSet<(Name, RecordType)>,
    /// CNAME targets followed, for `CNAME_LOOP_OUTER`.
    pub targets_seen: Vec<Name>,
    /// CNAME look-ups chained so far.
    pub chain_length: usize,
}

impl Tree {
    /// A copy for a walk run beside the one using `self`: same budget
    /// spent, questions in progress and CNAME state, no events yet.
    pub fn fork(&self) -> Self {
        Self {
            queries: self.queries,
            events: Vec::new(),
            in_progress: self.in_progress.clone(),
            targets_seen: self.targets_seen.clone(),
            chain_length: self.chain_length,
        }
    }

    /// Takes back what a [`Tree::fork`] made when `forked_at` queries
    /// were spent did: its queries, its events after ours, its questions
    /// and CNAME targets.
    pub fn merge(&mut self, forked: Self, forked_at: usize) {
        self.queries += forked.queries.saturating_sub(forked_at);
        self.events.extend(forked.events);
        self.in_progress.extend(forked.in_progress);
        for target in forked.targets_seen {
            if !self.targets_seen.contains(&target) {
                self.targets_seen.push(target);
            }
        }
        self.chain_length = self.chain_length.max(forked.chain_length);
    }
}

/// Where a walk starts: a server list (taken from the end) and, when
/// known, the zone those servers serve.
#[derive(Clone, Debug)]
pub struct Start {
    servers: Vec<Candidate>,
    zone: Option<Name>,
}

impl Start {
    /// At the root hints.
    pub fn root(hints: &crate::engine::hints::RootHints) -> Self {
        Self {
            servers: root_candidates(hints),
            zone: Some(Name::root()),
        }
    }

    /// At `servers`, of a zone not named.
    pub fn servers(servers: Vec<Candidate>) -> Self {
        Self {
            servers,
            zone: None,
        }
    }
}

/// What one walk produced.
#[derive(Debug)]
pub struct Walked {
    /// How it ended.
    pub ending: Ending,
    /// Referrals followed, oldest first.
    pub trace: Vec<Referral>,
}

impl Walked {
    fn failed(failure: Failure, trace: Vec<Referral>) -> Self {
        Self {
            ending: Ending::Failed(failure),
            trace,
        }
    }

    /// The reply, answered or fallback.
    pub fn packet(&self) -> Option<&Packet> {
        match &self.ending {
            Ending::Answered(reply) | Ending::Fallback(reply) => Some(&reply.packet),
            Ending::Failed(_) => None,
        }
    }
}

/// What the walk does with the reply of one server.
enum Step {
    /// Stop with this result (boxed: a reply is large, `Next` is not).
    Finish(Box<Walked>),
    /// Ask the next server.
    Next,
}

/// Mutable state of one walk (the reference's per-call `state`).
/// How long the server being asked may stay quiet before the next one is
/// asked early (well above a round trip, well below a timeout).
const HEDGE_AFTER: std::time::Duration = std::time::Duration::from_millis(400);

/// How many servers beyond the current one may be asked early.
const HEDGED_SERVERS: usize = 3;

struct Walk {
    servers: Vec<Candidate>,
    /// The zone whose servers `servers` are, when known.
    zone: Option<Name>,
    seen_zones: HashSet<Name>,
    referrals: usize,
    trace: Vec<Referral>,
    fallback: Option<Reply>,
}

impl Recursor {
    /// Resolves `ask` starting from `start` (taken from the end), with
    /// `referrals` already counted against the limit.
    pub(super) fn walk<'a>(
        &'a self,
        ask: &'a Ask,
        start: Start,
        referrals: usize,
        tree: &'a mut Tree,
        glue: &'a mut GlueBook,
        depth: usize,
    ) -> BoxFuture<'a, Walked> {
        async move {
            if depth > DEPTH_LIMIT {
                return Walked::failed(Failure::DepthLimit, Vec::new());
            }
            if !tree
                .in_progress
                .insert((ask.name.to_lowercase(), ask.rtype))
            {
                return Walked::failed(Failure::Reentered, Vec::new());
            }
            if start.zone.as_ref().is_some_and(Name::is_root) {
                self.ask_ahead(ask);
            }
            let mut walk = Walk {
                servers: start.servers,
                zone: start.zone,
                seen_zones: HashSet::new(),
                referrals,
                trace: Vec::new(),
                fallback: None,
            };
            while let Some(candidate) = walk.servers.pop() {
                let hedges = self.hedge(ask, &candidate, &walk.servers);
                let asked = self
                    .ask_candidate(&candidate, ask, walk.referrals, tree, glue, depth)
                    .await;
                for hedge in hedges {
                    hedge.abort();
                }
                let reply = match asked {
                    Ok(Some(reply)) => reply,
                    Ok(None) => continue,
                    Err(failure) => return Walked::failed(failure, walk.trace),
                };
                match self.judge(ask, reply, &mut walk, tree, glue, depth).await {
                    Step::Finish(walked) => return *walked,
                    Step::Next => {}
                }
            }
            let ending = match walk.fallback {
                Some(reply) => Ending::Fallback(reply),
                None => Ending::Failed(Failure::NoAnswer),
            };
            Walked {
                ending,
                trace: walk.trace,
            }
        }
        .boxed()
    }

    /// Servers are asked one at a time and the first useful reply in list
    /// order decides (spec §1.8), so a silent server costs a whole timeout
    /// before the next is asked. To keep that order without paying one
    /// timeout per silent server, the next few servers with a known
    /// address are asked early, in the background, once the `current` one
    /// has been quiet for [`HEDGE_AFTER`] (one more per further interval).
    /// Their outcomes wait in the run's cache, so the walk still reads them
    /// in list order and decides exactly as before; a server that answers
    /// in time costs nothing extra (the early questions are cancelled
    /// before they are sent).
    fn hedge(
        &self,
        ask: &Ask,
        current: &Candidate,
        waiting: &[Candidate],
    ) -> Vec<tokio::task::JoinHandle<()>> {
        let addresses = waiting.iter().rev().filter_map(Candidate::address);
        self.hedge_addresses(ask, current.address(), addresses)
    }

    /// Asks `ask` of the first few of `addresses` early, [`HEDGE_AFTER`]
    /// apart, in the background (see [`Recursor::hedge`]).
    ///
    /// Quiet means quiet on the wire: with the `current` server's address
    /// known, the intervals do not count the time our question to it was
    /// held back by the pacer of a busy agent. That is no silence of the
    /// server's, and asking other servers then only adds queries to the
    /// queue that held it: in the agent bench, 256 tests in flight behind
    /// the pacer sent 11 % more queries each. Without an address (a
    /// glueless server still being looked up) they count from now.
    pub(super) fn hedge_addresses(
        &self,
        ask: &Ask,
        current: Option<std::net::IpAddr>,
        addresses: impl Iterator<Item = std::net::IpAddr>,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        let families = self.families();
        let query = ask.query();
        let departure = current.map(|server| self.client().departure(server, &query));
        addresses
            .filter(|address| families.allows(*address))
            .take(HEDGED_SERVERS)
            .zip(1u32..)
            .map(|(address, step)| {
                let client = self.client().clone();
                let query = query.clone();
                let departure = departure.clone();
                tokio::spawn(crate::dns::chain::detached(async move {
                    match departure {
                        Some(departure) => departure.quiet_for(HEDGE_AFTER * step).await,
                        None => tokio::time::sleep(HEDGE_AFTER * step).await,
                    }
                    client.query(address, &query).await;
                }))
            })
            .collect()
    }

    /// Decides what a reply means for the walk.
    async fn judge(
        &self,
        ask: &Ask,
        reply: Reply,
        walk: &mut Walk,
        tree: &mut Tree,
        glue: &mut GlueBook,
        depth: usize,
    ) -> Step {
        let rcode = reply.packet.rcode;
        if rcode == Rcode::REFUSED || rcode == Rcode::SERVFAIL {
            walk.fallback = Some(reply);
            return Step::Next;
        }
        let (zone, server) = (walk.zone.clone(), reply.server.address);
        let step = self.settle(ask, reply, walk, tree, glue, depth).await;
        // The server the walk went on with (an answer, or a referral it
        // followed) is the one a later walk will go on with too.
        if let Some(zone) = zone
            && (matches!(step, Step::Finish(_)) || walk.zone.as_ref() != Some(&zone))
        {
            self.cuts().learn(&zone, server);
        }
        step
    }

    /// [`Recursor::judge`] for a reply that is neither REFUSED nor
    /// SERVFAIL.
    async fn settle(
        &self,
        ask: &Ask,
        reply: Reply,
        walk: &mut Walk,
        tree: &mut Tree,
        glue: &mut GlueBook,
        depth: usize,
    ) -> Step {
        match reply.packet.classify() {
            Classification::NoData | Classification::NxDomain => Step::Finish(Box::new(Walked {
                ending: Ending::Answered(reply),
                trace: std::mem::take(&mut walk.trace),
            })),
            Classification::Answer => {
                let trace = std::mem::take(&mut walk.trace);
                Step::Finish(Box::new(
                    self.finish_answer(ask, reply, trace, tree, depth).await,
                ))
            }
            Classification::Referral => follow_referral(ask, reply, walk, tree, glue),
        }
    }

    /// An answer: returned as is unless it needs CNAME processing.
    async fn finish_answer(
        &self,
        ask: &Ask,
        reply: Reply,
        trace: Vec<Referral>,
        tree: &mut Tree,
        depth: usize,
    ) -> Walked {
        if !needs_processing(&reply.packet, &ask.name, ask.rtype) {
            return Walked {
                ending: Ending::Answered(reply),
                trace,
            };
        }
        let verdict = check_chain(
            &reply.packet,
            &ask.name,
            ask.rtype,
            ask.class,
            &mut tree.events,
        );
        let target = match verdict {
            ChainVerdict::Failed(failure) => return Walked::failed(Failure::Cname(failure), trace),
            ChainVerdict::Complete => {
                return Walked {
                    ending: Ending::Answered(reply),
                    trace,
                };
            }
            ChainVerdict::Follow(target) => target,
        };
        if let Err(failure) = guard_chain(ask, &target, tree) {
            return Walked::failed(Failure::Cname(failure), trace);
        }
        if ask.name.zone_of(&target) {
            // In the asked name's subtree: the reference returns the reply
            // as it is and does not look further.
            return Walked {
                ending: Ending::Answered(reply),
                trace,
            };
        }
        tree.events.push(SystemEvent::CnameFollowedOutOfZone {
            name: ask.name.clone(),
            target: target.clone(),
        });
        let restart = Ask {
            name: target,
            ..ask.clone()
        };
        let mut fresh_glue = GlueBook::default();
        let start = Start::root(self.hints());
        self.walk(&restart, start, 0, tree, &mut fresh_glue, depth + 1)
            .await
    }
}

/// Follows a referral unless it points to the root or to a zone already
/// followed; more than [`MAX_REFERRALS`] ends the walk.
fn follow_referral(
    ask: &Ask,
    reply: Reply,
    walk: &mut Walk,
    tree: &mut Tree,
    glue: &mut GlueBook,
) -> Step {
    let Some(zone) = referral_zone(&reply.packet) else {
        return Step::Next;
    };
    if zone.is_root() || !walk.seen_zones.insert(zone.clone()) {
        return Step::Next;
    }
    walk.servers = referral_candidates(&reply.packet, glue);
    walk.zone = Some(zone.clone());
    walk.referrals += 1;
    if walk.referrals > MAX_REFERRALS {
        tree.events.push(SystemEvent::LoopProtection {
            caller: RECURSE_CALLER,
            child_zone_name: ask.name.clone(),
            name: zone,
            intermediate_query_name: None,
        });
        let trace = std::mem::take(&mut walk.trace);
        return Step::Finish(Box::new(Walked::failed(Failure::LoopProtection, trace)));
    }
    let mut servers = Vec::new();
    let mut glueless = Vec::new();
    for candidate in &walk.servers {
        match candidate {
            Candidate::Known(server) => servers.push(server.clone()),
            Candidate::Glueless(name) => glueless.push(name.clone()),
        }
    }
    walk.trace.push(Referral {
        zone,
        server: reply.server.name,
        address: reply.server.address,
        servers,
        glueless,
    });
    Step::Next
}

/// The zone a referral points to: the owner of its first NS record.
fn referral_zone(packet: &Packet) -> Option<Name> {
    [&packet.answer, &packet.authority, &packet.additional]
        .into_iter()
        .flat_map(|section| section.iter())
        .find(|record| record.record_type() == RecordType::NS)
        .map(|record| record.name.to_lowercase())
}

/// CNAME step 7: no target asked before, no chain over the limit.
fn guard_chain(ask: &Ask, target: &Name, tree: &mut Tree) -> Result<(), CnameFailure> {
    if tree
        .in_progress
        .contains(&(target.to_lowercase(), ask.rtype))
    {
        tree.events.push(SystemEvent::CnameLoopOuter {
            name: ask.name.clone(),
            target: target.clone(),
            targets_seen: join_names(tree.targets_seen.iter()),
        });
        return Err(CnameFailure::LoopOuter);
    }
    tree.targets_seen.push(target.to_lowercase());
    tree.chain_length += 1;
    if tree.chain_length > CNAME_MAX_CHAIN_LENGTH {
        tree.events.push(SystemEvent::CnameChainTooLong {
            count: tree.chain_length,
        });
        return Err(CnameFailure::ChainTooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;
    use std::sync::atomic::Ordering;

    use super::super::script::{
        ROOT, a_record, answer, cname_record, error, ip, name, nxdomain, recursor, referral,
        slow_recursor, soa_record,
    };
    use super::*;
    use crate::engine::families::IpFamilies;
    use crate::engine::recursor::QUERY_BUDGET;

    const BOTH: IpFamilies = IpFamilies {
        ipv4: true,
        ipv6: true,
    };

    fn tags(resolution: &super::super::Resolution) -> Vec<&'static str> {
        resolution.events.iter().map(SystemEvent::tag).collect()
    }

    #[tokio::test]
    async fn follows_referrals_and_keeps_the_trace() {
        let (recursor, _) = recursor(BOTH, |server, qname, _| match server.to_string().as_str() {
            ROOT => Some(referral("test.", &[("ns.test.", Some("192.0.2.10"))])),
            "192.0.2.10" => Some(referral("x.test.", &[("ns.x.test.", Some("192.0.2.20"))])),
            "192.0.2.20" if *qname == name("www.x.test.") => {
                Some(answer(vec![a_record("www.x.test.", "192.0.2.99")]))
            }
            _ => None,
        });
        let resolution = recursor.recurse(&name("WWW.x.test."), RecordType::A).await;
        let reply = resolution.reply().expect("answered");
        assert_eq!(reply.server.address, ip("192.0.2.20"));
        let zones: Vec<String> = resolution
            .trace
            .iter()
            .map(|r| r.zone.to_string())
            .collect();
        assert_eq!(zones, ["test.", "x.test."]);
        assert_eq!(resolution.trace[1].address, ip("192.0.2.10"));
    }

    #[tokio::test]
    async fn glueless_servers_are_resolved_when_reached() {
        let (recursor, _) = recursor(BOTH, |server, qname, rtype| {
            let qname = qname.to_string();
            match (server.to_string().as_str(), qname.as_str(), rtype) {
                (ROOT, "www.x.test.", _) => Some(referral("x.test.", &[("ns.y.test.", None)])),
                (ROOT, "ns.y.test.", RecordType::A) => {
                    Some(answer(vec![a_record("ns.y.test.", "192.0.2.30")]))
                }
                (ROOT, "ns.y.test.", _) => Some(answer(vec![])),
                ("192.0.2.30", "www.x.test.", _) => {
                    Some(answer(vec![a_record("www.x.test.", "192.0.2.99")]))
                }
                _ => None,
            }
        });
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert_eq!(resolution.reply().unwrap().server.address, ip("192.0.2.30"));
    }

    #[tokio::test]
    async fn refused_is_kept_as_fallback_and_silence_skipped() {
        let (recursor, _) = recursor(BOTH, |server, _, _| match server.to_string().as_str() {
            ROOT => Some(referral(
                "x.test.",
                &[
                    ("a.x.test.", Some("192.0.2.11")),
                    ("b.x.test.", Some("192.0.2.12")),
                ],
            )),
            "192.0.2.12" => Some(error(Rcode::REFUSED)),
            _ => None,
        });
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert!(matches!(resolution.ending, Ending::Fallback(_)));
        assert_eq!(resolution.packet().unwrap().rcode, Rcode::REFUSED);
    }

    #[tokio::test]
    async fn an_answer_after_a_lame_server_wins_over_the_fallback() {
        let (recursor, _) = recursor(BOTH, |server, _, _| match server.to_string().as_str() {
            ROOT => Some(referral(
                "x.test.",
                &[
                    ("a.x.test.", Some("192.0.2.11")),
                    ("b.x.test.", Some("192.0.2.12")),
                ],
            )),
            "192.0.2.12" => Some(error(Rcode::SERVFAIL)),
            _ => Some(nxdomain("x.test.")),
        });
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert!(matches!(resolution.ending, Ending::Answered(_)));
        assert_eq!(resolution.packet().unwrap().rcode, Rcode::NXDOMAIN);
    }

    #[tokio::test]
    async fn endless_referrals_trip_loop_protection() {
        // Ns 10.0.0.n refers to zone zn.test. served by 10.0.0.(n+1).
        let (recursor, _) = recursor(BOTH, |server, _, _| {
            let next = match server {
                IpAddr::V4(v4) if server != ip(ROOT) => v4.octets()[3] + 1,
                _ => 1,
            };
            let zone = format!("z{next}.test.");
            let ns = format!("ns.{zone}");
            let address = format!("10.0.0.{next}");
            Some(referral(&zone, &[(&ns, Some(&address))]))
        });
        let resolution = recursor.recurse(&name("deep.test."), RecordType::A).await;
        assert_eq!(resolution.failure(), Some(Failure::LoopProtection));
        assert_eq!(tags(&resolution), ["LOOP_PROTECTION"]);
        assert_eq!(resolution.trace.len(), MAX_REFERRALS);
    }

    #[tokio::test]
    async fn a_referral_to_the_root_is_ignored() {
        let (recursor, _) = recursor(BOTH, |_, _, _| {
            Some(referral(".", &[("root.test.", Some(ROOT))]))
        });
        let resolution = recursor.recurse(&name("x.test."), RecordType::A).await;
        assert_eq!(resolution.failure(), Some(Failure::NoAnswer));
        assert_eq!(resolution.queries, 1);
    }

    #[tokio::test]
    async fn a_wall_of_dead_servers_spends_the_budget_and_stops() {
        let (recursor, transport) = recursor(BOTH, |server, _, _| {
            let servers: Vec<(String, String)> = (0..250u16)
                .map(|i| {
                    (
                        format!("ns{i}.x.test."),
                        format!("10.0.{}.{}", i / 200, i % 200 + 1),
                    )
                })
                .collect();
            let borrowed: Vec<(&str, Option<&str>)> = servers
                .iter()
                .map(|(n, a)| (n.as_str(), Some(a.as_str())))
                .collect();
            (server == ip(ROOT)).then(|| referral("x.test.", &borrowed))
        });
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert_eq!(resolution.failure(), Some(Failure::QueryBudget));
        assert_eq!(transport.sent.load(Ordering::SeqCst), QUERY_BUDGET);
    }

    #[tokio::test]
    async fn a_disabled_family_is_never_asked() {
        let v4_off = IpFamilies {
            ipv4: false,
            ipv6: true,
        };
        let (recursor, transport) = recursor(v4_off, |_, _, _| Some(answer(vec![])));
        let resolution = recursor.recurse(&name("x.test."), RecordType::A).await;
        assert_eq!(resolution.failure(), Some(Failure::NoAnswer));
        assert_eq!(transport.sent.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn an_out_of_zone_cname_restarts_from_the_root() {
        let (recursor, _) = recursor(BOTH, |_, qname, _| {
            if *qname == name("alias.x.test.") {
                Some(answer(vec![cname_record("alias.x.test.", "host.y.test.")]))
            } else {
                Some(answer(vec![a_record("host.y.test.", "192.0.2.50")]))
            }
        });
        let resolution = recursor
            .recurse(&name("alias.x.test."), RecordType::A)
            .await;
        let packet = resolution.packet().expect("answered");
        assert_eq!(packet.question[0].name(), &name("host.y.test."));
        assert_eq!(
            tags(&resolution),
            ["CNAME_START", "CNAME_FOLLOWED_OUT_OF_ZONE"]
        );
    }

    #[tokio::test]
    async fn a_cname_loop_across_replies_is_caught() {
        let (recursor, _) = recursor(BOTH, |_, qname, _| {
            let (owner, target) = if *qname == name("a.x.test.") {
                ("a.x.test.", "b.y.test.")
            } else {
                ("b.y.test.", "a.x.test.")
            };
            Some(answer(vec![cname_record(owner, target)]))
        });
        let resolution = recursor.recurse(&name("a.x.test."), RecordType::A).await;
        assert_eq!(
            resolution.failure(),
            Some(Failure::Cname(CnameFailure::LoopOuter))
        );
        assert!(tags(&resolution).contains(&"CNAME_LOOP_OUTER"));
    }

    #[tokio::test]
    async fn results_are_cached_per_question() {
        let (recursor, transport) =
            recursor(BOTH, |_, _, _| Some(answer(vec![soa_record("x.test.")])));
        let first = recursor.recurse(&name("x.test."), RecordType::SOA).await;
        let second = recursor.recurse(&name("X.TEST."), RecordType::SOA).await;
        assert!(std::sync::Arc::ptr_eq(&first, &second));
        assert_eq!(transport.sent.load(Ordering::SeqCst), 1);
    }

    /// Four servers for x.test., asked from the end of the sorted list
    /// (ns4 first); those in `silent` take `SILENT_FOR` to say nothing.
    fn four_servers(
        silent: &'static [&'static str],
    ) -> (
        super::super::Recursor,
        std::sync::Arc<super::super::script::Scripted>,
    ) {
        const SILENT_FOR: std::time::Duration = std::time::Duration::from_secs(8);
        slow_recursor(
            BOTH,
            move |server| {
                if silent.contains(&server.to_string().as_str()) {
                    SILENT_FOR
                } else {
                    std::time::Duration::ZERO
                }
            },
            move |server, qname, _| match server.to_string().as_str() {
                ROOT => Some(referral(
                    "x.test.",
                    &[
                        ("ns1.x.test.", Some("192.0.2.11")),
                        ("ns2.x.test.", Some("192.0.2.12")),
                        ("ns3.x.test.", Some("192.0.2.13")),
                        ("ns4.x.test.", Some("192.0.2.14")),
                    ],
                )),
                address if silent.contains(&address) => None,
                address => Some(answer(vec![a_record(
                    &qname.to_string(),
                    &address.replace("192.0.2.1", "198.51.100."),
                )])),
            },
        )
    }

    /// Root → `test.` (192.0.2.10) → `x.test.` (192.0.2.20), 30 ms a
    /// round trip; `gone.x.test.` is denied one level early, by `test.`'s
    /// server, as a broken parent would.
    fn three_levels() -> (Recursor, std::sync::Arc<super::super::script::Scripted>) {
        slow_recursor(
            BOTH,
            |_| std::time::Duration::from_millis(30),
            |server, qname, _| match server.to_string().as_str() {
                ROOT => Some(referral("test.", &[("ns.test.", Some("192.0.2.10"))])),
                "192.0.2.10" if *qname == name("gone.x.test.") => Some(nxdomain("test.")),
                "192.0.2.10" => Some(referral("x.test.", &[("ns.x.test.", Some("192.0.2.20"))])),
                "192.0.2.20" => Some(answer(vec![a_record(&qname.to_string(), "192.0.2.99")])),
                _ => None,
            },
        )
    }

    #[tokio::test(start_paused = true)]
    async fn a_second_walk_asks_along_known_cuts_at_once_and_decides_alike() {
        let (recursor, transport) = three_levels();
        let first = recursor.recurse(&name("x.test."), RecordType::A).await;
        assert_eq!(transport.sent.load(Ordering::SeqCst), 3);
        let started = tokio::time::Instant::now();
        let (second, chain) =
            crate::dns::chain::root(recursor.recurse(&name("www.x.test."), RecordType::A)).await;
        // Three levels in one round trip, with the three queries a walk
        // from the root sends anyway, and the same referrals followed.
        assert_eq!(started.elapsed(), std::time::Duration::from_millis(30));
        assert_eq!(chain.queries, 1);
        assert_eq!(transport.sent.load(Ordering::SeqCst), 6);
        assert_eq!(second.trace, first.trace);
        assert_eq!(second.reply().unwrap().server.address, ip("192.0.2.20"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wrong_guess_costs_a_query_never_a_different_verdict() {
        let (recursor, transport) = three_levels();
        recursor.recurse(&name("x.test."), RecordType::A).await;
        let gone = recursor.recurse(&name("gone.x.test."), RecordType::A).await;
        let reply = gone.reply().unwrap();
        assert_eq!(
            reply.packet.rcode,
            Rcode::NXDOMAIN,
            "test.'s denial, as walked"
        );
        assert_eq!(reply.server.address, ip("192.0.2.10"));
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        // Root and test. as the walk asks them, plus x.test.'s server,
        // asked ahead and never read.
        assert_eq!(transport.sent.load(Ordering::SeqCst), 3 + 3);
    }

    #[tokio::test(start_paused = true)]
    async fn over_a_replay_nothing_is_asked_ahead() {
        // A replay answers at once, and a guess it has no answer for would
        // count as a miss (how many depends on the tasks' timing).
        let (recursor, transport) = three_levels();
        transport.replaying.store(true, Ordering::SeqCst);
        recursor.recurse(&name("x.test."), RecordType::A).await;
        let gone = recursor.recurse(&name("gone.x.test."), RecordType::A).await;
        assert_eq!(gone.reply().unwrap().packet.rcode, Rcode::NXDOMAIN);
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        // Root and test. as the walk asks them, and no guess at x.test.'s
        // server.
        assert_eq!(transport.sent.load(Ordering::SeqCst), 3 + 2);
    }

    #[tokio::test(start_paused = true)]
    async fn clearing_the_cache_forgets_the_cuts() {
        let (recursor, transport) = three_levels();
        recursor.recurse(&name("x.test."), RecordType::A).await;
        recursor.clear_cache();
        let started = tokio::time::Instant::now();
        recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert_eq!(started.elapsed(), std::time::Duration::from_millis(90));
        assert_eq!(transport.sent.load(Ordering::SeqCst), 6);
    }

    #[tokio::test(start_paused = true)]
    async fn silent_servers_overlap_but_list_order_still_decides() {
        // ns4, ns3 and ns2 are silent; ns2 answers only after ns3 and ns4
        // gave up, and ns1's early answer must not win over list order.
        let (recursor, transport) = four_servers(&["192.0.2.14", "192.0.2.13", "192.0.2.12"]);
        let started = tokio::time::Instant::now();
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        let waited = started.elapsed();
        let reply = resolution.reply().expect("ns1 answered");
        assert_eq!(reply.server.address, ip("192.0.2.11"));
        // ns3 and ns2 were asked HEDGE_AFTER and twice that after ns4, so
        // their silences end that much after ns4's; ns1's answer was
        // waiting. Under the paused clock: 8 s and two steps, where asking
        // one at a time takes 24 s.
        assert_eq!(waited, std::time::Duration::from_secs(8) + HEDGE_AFTER * 2);
        assert_eq!(
            transport.sent.load(Ordering::SeqCst),
            5,
            "root and four servers"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_that_answers_in_time_costs_no_early_questions() {
        let (recursor, transport) = four_servers(&[]);
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert_eq!(resolution.reply().unwrap().server.address, ip("192.0.2.14"));
        tokio::time::sleep(HEDGE_AFTER * 10).await;
        assert_eq!(
            transport.sent.load(Ordering::SeqCst),
            2,
            "the root and ns4 only"
        );
    }

    /// Resolves `www.x.test.` over [`four_servers`] with ns4's question
    /// held back 2 s on our side first (a busy agent's pacer): the server
    /// that decided, the time it took and the queries sent by
    /// `HEDGE_AFTER × 10` later.
    async fn resolve_with_ns4_held(
        silent: &'static [&'static str],
    ) -> (std::net::IpAddr, std::time::Duration, usize) {
        let (recursor, transport) = four_servers(silent);
        transport
            .held
            .lock()
            .unwrap()
            .insert(ip("192.0.2.14"), std::time::Duration::from_secs(2));
        let started = tokio::time::Instant::now();
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        let took = started.elapsed();
        tokio::time::sleep(HEDGE_AFTER * 10).await;
        let server = resolution.reply().unwrap().server.address;
        (server, took, transport.sent.load(Ordering::SeqCst))
    }

    #[tokio::test(start_paused = true)]
    async fn a_question_held_back_on_our_side_is_not_a_silent_server() {
        // ns4 answers as soon as its question leaves: it was never quiet,
        // so nobody else is asked.
        let (server, took, sent) = resolve_with_ns4_held(&[]).await;
        assert_eq!(server, ip("192.0.2.14"));
        assert_eq!(took, std::time::Duration::from_secs(2));
        assert_eq!(sent, 2, "the root and ns4 only");
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_silent_after_a_wait_on_our_side_is_hedged_from_its_departure() {
        // ns4 stays silent once its question has left: the next servers
        // are still asked early, and ns3's answer waits in the cache until
        // ns4's 8 s of silence end.
        let (server, took, sent) = resolve_with_ns4_held(&["192.0.2.14"]).await;
        assert_eq!(server, ip("192.0.2.13"));
        assert_eq!(took, std::time::Duration::from_secs(2 + 8));
        assert_eq!(sent, 2 + 3, "the root, ns4, and ns3, ns2 and ns1 early");
    }

    #[tokio::test(start_paused = true)]
    async fn the_addresses_of_a_glueless_server_are_asked_early_too() {
        const SILENT: [&str; 2] = ["192.0.2.31", "192.0.2.32"];
        let (recursor, _) = slow_recursor(
            BOTH,
            |server| {
                if SILENT.contains(&server.to_string().as_str()) {
                    std::time::Duration::from_secs(8)
                } else {
                    std::time::Duration::ZERO
                }
            },
            |server, qname, rtype| {
                let qname = qname.to_string();
                match (server.to_string().as_str(), qname.as_str(), rtype) {
                    (ROOT, "www.x.test.", _) => Some(referral("x.test.", &[("ns.y.test.", None)])),
                    (ROOT, "ns.y.test.", RecordType::A) => Some(answer(vec![
                        a_record("ns.y.test.", "192.0.2.31"),
                        a_record("ns.y.test.", "192.0.2.32"),
                        a_record("ns.y.test.", "192.0.2.33"),
                    ])),
                    (ROOT, "ns.y.test.", _) => Some(answer(vec![])),
                    ("192.0.2.33", "www.x.test.", _) => {
                        Some(answer(vec![a_record("www.x.test.", "192.0.2.99")]))
                    }
                    _ => None,
                }
            },
        );
        let started = tokio::time::Instant::now();
        let resolution = recursor.recurse(&name("www.x.test."), RecordType::A).await;
        assert_eq!(resolution.reply().unwrap().server.address, ip("192.0.2.33"));
        // .32 was asked HEDGE_AFTER after .31, so its silence ends that much
        // later; .33's answer was waiting. One at a time: 16 s.
        assert_eq!(
            started.elapsed(),
            std::time::Duration::from_secs(8) + HEDGE_AFTER
        );
    }
}
