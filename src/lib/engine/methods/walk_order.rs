//! The walk from the root, run concurrently but reported in queue order.
//!
//! The reference visits one server at a time (spec §1.10, §3.1), so a
//! walk costs one round trip per question. Here a server's visit starts
//! the moment it is queued and runs beside the others; the walk then takes
//! servers from the queue as before and applies each visit's events —
//! the record, the servers it queues, the steps counted against the
//! limit — in that order. A visit depends only on the servers' answers
//! (the caches make a question asked twice cost nothing), so the record,
//! and every verdict read from it, is the one a one-at-a-time walk keeps.

use std::collections::{HashMap, HashSet};

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use hickory_proto::rr::{Name, RecordType};

use super::methods_v2::MethodsV2;
use super::walk_queue::{Discipline, WalkQueue};
use super::zone_walk::{AskedQuery, DescentEnd, ServerVisit, WalkRecord, ZoneFault};
use crate::engine::name::display;
use crate::engine::ns::Ns;
use crate::engine::recursor::SystemEvent;

/// Steps (SOA questions while descending) one walk may take before
/// `LOOP_PROTECTION` ends it. A real walk takes a few per server.
const STEP_LIMIT: usize = 1000;

/// One thing a visit did, in the order it did it.
///
/// Visits run concurrently; what each one did is kept as a
/// list and applied to the [`WalkRecord`] and the queue in queue order, so
/// the record is the one a walk visiting servers one by one would keep.
#[derive(Clone, Debug)]
pub(super) enum VisitEvent {
    /// The server was taken up.
    Visited(ServerVisit),
    /// A question was sent.
    Asked(AskedQuery),
    /// A question made the walk drop the server.
    Fault(ZoneFault),
    /// A server to queue for a zone.
    Queue {
        /// The zone it serves.
        zone: Name,
        /// The server.
        server: Ns,
    },
    /// One step down towards the child, counted against [`STEP_LIMIT`].
    Step {
        /// The zone the server was last found authoritative for.
        zone: Name,
        /// The name reached so far.
        current: Name,
    },
    /// The descent ended with a reply worth classifying (boxed: it holds
    /// a whole reply, the other events are small).
    End(Box<DescentEnd>),
}

/// The events of one visit.
#[derive(Debug, Default)]
pub(super) struct VisitLog(pub Vec<VisitEvent>);

impl VisitLog {
    pub(super) fn fault(&mut self, server: &Ns, query_name: &Name, rrtype: RecordType) {
        self.0.push(VisitEvent::Fault(ZoneFault {
            query_name: query_name.clone(),
            rrtype,
            server: server.clone(),
        }));
    }

    pub(super) fn queue(&mut self, zone: &Name, servers: Vec<Ns>) {
        self.0
            .extend(servers.into_iter().map(|server| VisitEvent::Queue {
                zone: zone.clone(),
                server,
            }));
    }
}

impl WalkRecord {
    /// Applies one visit's events; the servers to queue are handed to
    /// `queue` in order. Counts steps in `steps`; past [`STEP_LIMIT`] the
    /// rest is dropped and `LOOP_PROTECTION` set (for `caller`, walking
    /// to `child`), and `false` returned.
    pub(super) fn apply(
        &mut self,
        log: VisitLog,
        steps: &mut usize,
        child: &Name,
        caller: &'static str,
        mut queue: impl FnMut(&Name, Ns),
    ) -> bool {
        for event in log.0 {
            match event {
                VisitEvent::Visited(visit) => self.visits.push(visit),
                VisitEvent::Asked(query) => self.queries.push(query),
                VisitEvent::Fault(fault) => self.faults.push(fault),
                VisitEvent::Queue { zone, server } => queue(&zone, server),
                VisitEvent::End(end) => self.ends.push(*end),
                VisitEvent::Step { zone, current } => {
                    *steps += 1;
                    if *steps > STEP_LIMIT {
                        self.loop_protection = Some(SystemEvent::LoopProtection {
                            caller,
                            child_zone_name: child.clone(),
                            name: zone,
                            intermediate_query_name: Some(current),
                        });
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// A visit: the zone (display form) and the server taken up for it.
type VisitKey = (String, Ns);

/// Visits started ahead of their turn.
struct Visits<'a> {
    methods: &'a MethodsV2,
    running: FuturesUnordered<BoxFuture<'a, (VisitKey, VisitLog)>>,
    finished: HashMap<VisitKey, VisitLog>,
    started: HashSet<VisitKey>,
}

impl<'a> Visits<'a> {
    fn new(methods: &'a MethodsV2) -> Self {
        Self {
            methods,
            running: FuturesUnordered::new(),
            finished: HashMap::new(),
            started: HashSet::new(),
        }
    }

    /// Starts visiting `server` for `zone`, once.
    fn start(&mut self, zone: &Name, server: Ns) {
        let key = (display(zone), server.clone());
        if !self.started.insert(key.clone()) {
            return;
        }
        let methods = self.methods;
        let zone = zone.clone();
        self.running
            .push(Box::pin(crate::dns::chain::branch(async move {
                let log = methods.visit(zone, server).await;
                (key, log)
            })));
    }

    /// The events of the visit of `server` for `zone`, waiting for it (and
    /// letting the others run meanwhile) when it has not finished.
    async fn take(&mut self, zone: &Name, server: &Ns) -> VisitLog {
        self.start(zone, server.clone());
        let key = (display(zone), server.clone());
        loop {
            if let Some(log) = self.finished.remove(&key) {
                return log;
            }
            let Some((done, log)) = self.running.next().await else {
                // Unreachable: the visit was started above and not taken.
                return VisitLog::default();
            };
            self.finished.insert(done, log);
        }
    }

    /// Lets visits that were started but never taken (a second name of an
    /// address BASIC01 already asked, or a walk cut short) finish, so no
    /// question is abandoned half-way in the shared client.
    async fn drain(&mut self) {
        while self.running.next().await.is_some() {}
    }
}

impl MethodsV2 {
    /// Walks from the root towards the child, asking every server met.
    pub(super) async fn walk_from_root(&self, discipline: Discipline) -> WalkRecord {
        let mut queue = WalkQueue::new(discipline);
        let mut visits = Visits::new(self);
        for server in self.recursor.root_servers() {
            if queue.push(&Name::root(), server.clone()) {
                visits.start(&Name::root(), server);
            }
        }
        let mut record = WalkRecord::default();
        let mut steps = 0;
        while let Some((zone, server)) = queue.next() {
            let log = visits.take(&zone, &server).await;
            let is_whole = record.apply(
                log,
                &mut steps,
                &self.zone,
                discipline.caller(),
                |zone, next| {
                    if queue.push(zone, next.clone()) {
                        visits.start(zone, next);
                    }
                },
            );
            if !is_whole {
                break;
            }
        }
        visits.drain().await;
        record
    }
}
