//! The walk from the root towards the child that Get-Parent-NS-Names-and-IPs
//! and BASIC01 share (spec §1.10, §3.1).
//!
//! Unlike the recursor, which follows one path, this walk asks every
//! server of every zone on the way, so that an inconsistent parent side
//! (servers disagreeing on where the child is delegated) shows up as the
//! union of all answers. Which servers it takes up, and in which order,
//! follows one of two disciplines (`walk_queue`).
//!
//! The walk only records what it saw: where each server's descent ended
//! ([`DescentEnd`]), which questions failed ([`ZoneFault`]), whom it asked.
//! The two users read that record their own way: the parent list keeps the
//! servers that reached the child, BASIC01 classifies every ending.

use std::net::IpAddr;

use hickory_proto::rr::{Name, Record, RecordType};

use super::methods_v2::MethodsV2;
use super::query::{addresses_owned_by, is_authoritative, ns_targets};
use super::walk_queue::{Discipline, WalkQueue};
use crate::dns::{Classification, Packet, Rcode};
use crate::engine::recursor::{Server, SystemEvent, address_of};

/// Steps (SOA questions while descending) one walk may take before
/// `LOOP_PROTECTION` ends it. A real walk takes a few per server.
const STEP_LIMIT: usize = 1000;

/// How a server's reply to SOA for a name on the way down reads, in the
/// order the reference tests it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// AA NOERROR with exactly one SOA owned by the name: a zone cut.
    OwnSoa,
    /// AA NXDOMAIN: the name does not exist on this server.
    NxDomain,
    /// A referral with NS records owned by the name.
    Delegation,
    /// Any other AA NOERROR (an empty non-terminal, or data without SOA).
    AaNoError,
    /// A referral with a CNAME for the child in the answer. Under the §1.7
    /// classification a referral has an empty answer, so this never occurs;
    /// it is kept because BASIC01 names it as a class.
    ReferralCname,
}

/// Where one server's descent stopped with a reply worth classifying.
#[derive(Clone, Debug)]
pub(super) struct DescentEnd {
    /// The zone the server was last found authoritative for.
    pub zone: Name,
    /// The server asked.
    pub server: Server,
    /// The name asked last: the child, or a name above it for `NxDomain`.
    pub name: Name,
    /// How the reply read.
    pub step: Step,
    /// The reply itself.
    pub reply: Packet,
}

/// A question whose reply made the walk drop a server (spec §3.1
/// `B01_SERVER_ZONE_ERROR`): a failed SOA or NS check, silence, or a reply
/// that fits no [`Step`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneFault {
    /// The name asked.
    pub query_name: Name,
    /// The type asked: SOA or NS.
    pub rrtype: RecordType,
    /// The server asked.
    pub server: Server,
}

/// A server the walk took up for a zone, in the order it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVisit {
    /// The zone the server was expected to serve.
    pub zone: Name,
    /// The server.
    pub server: Server,
    /// False when the profile disables the server's IP family; such a
    /// server is skipped without a question.
    pub is_enabled: bool,
}

/// One question the walk sent straight to a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskedQuery {
    /// The server asked.
    pub server: Server,
    /// The name asked.
    pub name: Name,
    /// The type asked.
    pub rtype: RecordType,
}

/// Everything one walk saw.
#[derive(Clone, Debug, Default)]
pub(super) struct WalkRecord {
    /// Descents that ended with a classifiable reply.
    pub ends: Vec<DescentEnd>,
    /// Questions that made the walk drop a server.
    pub faults: Vec<ZoneFault>,
    /// Servers taken up, per zone.
    pub visits: Vec<ServerVisit>,
    /// Questions sent to those servers.
    pub queries: Vec<AskedQuery>,
    /// Set when the step limit ended the walk early.
    pub loop_protection: Option<SystemEvent>,
}

/// One walk in progress.
struct Walk {
    queue: WalkQueue,
    discipline: Discipline,
    /// Descending steps so far.
    steps: usize,
    record: WalkRecord,
}

impl Walk {
    fn fault(&mut self, server: &Server, query_name: &Name, rrtype: RecordType) {
        self.record.faults.push(ZoneFault {
            query_name: query_name.clone(),
            rrtype,
            server: server.clone(),
        });
    }
}

/// The walk gave up (step limit).
struct LoopProtection;

/// What to do after one SOA question while descending.
enum Descent {
    /// Go one label further down, now inside `zone`.
    Continue { zone: Name },
    /// Done with this server.
    Stop,
}

impl MethodsV2 {
    /// Walks from the root towards the child, asking every server met.
    pub(super) async fn walk_from_root(&self, discipline: Discipline) -> WalkRecord {
        let mut walk = Walk {
            queue: WalkQueue::new(discipline),
            discipline,
            steps: 0,
            record: WalkRecord::default(),
        };
        for server in self.recursor.root_servers() {
            walk.queue.push(&Name::root(), server);
        }
        while let Some((zone, server)) = walk.queue.next() {
            if self.visit(&mut walk, zone, server).await.is_err() {
                break;
            }
        }
        walk.record
    }

    /// Checks that `server` serves `zone`, queues its colleagues, then
    /// descends towards the child asking the same server.
    async fn visit(
        &self,
        walk: &mut Walk,
        mut zone: Name,
        server: Server,
    ) -> Result<(), LoopProtection> {
        let is_enabled = self.recursor.families().allows(server.address);
        walk.record.visits.push(ServerVisit {
            zone: zone.clone(),
            server: server.clone(),
            is_enabled,
        });
        if !is_enabled {
            return Ok(());
        }
        let Some(servers) = self.authoritative_servers(walk, &server, &zone).await else {
            return Ok(());
        };
        for colleague in servers {
            walk.queue.push(&zone, colleague);
        }
        let mut current = zone.clone();
        while current.num_labels() < self.zone.num_labels() {
            walk.steps += 1;
            if walk.steps > STEP_LIMIT {
                walk.record.loop_protection = Some(SystemEvent::LoopProtection {
                    caller: walk.discipline.caller(),
                    child_zone_name: self.zone.clone(),
                    name: zone,
                    intermediate_query_name: Some(current),
                });
                return Err(LoopProtection);
            }
            current = self.zone.trim_to(usize::from(current.num_labels()) + 1);
            match self.descend(walk, &zone, &server, &current).await {
                Descent::Continue { zone: inner } => zone = inner,
                Descent::Stop => break,
            }
        }
        Ok(())
    }

    /// One SOA question for `current` (one label closer to the child) to a
    /// server of `zone`.
    async fn descend(
        &self,
        walk: &mut Walk,
        zone: &Name,
        server: &Server,
        current: &Name,
    ) -> Descent {
        let Some(reply) = self
            .ask_walking(walk, server, current, RecordType::SOA)
            .await
        else {
            walk.fault(server, current, RecordType::SOA);
            return Descent::Stop;
        };
        let reached_child = *current == self.zone;
        let Some(step) = read_step(&reply, current, &self.zone) else {
            walk.fault(server, current, RecordType::SOA);
            return Descent::Stop;
        };
        match step {
            Step::OwnSoa if !reached_child => {
                let Some(servers) = self.zone_servers_from_ns(walk, server, current).await else {
                    return Descent::Stop;
                };
                for next in servers {
                    walk.queue.push(current, next);
                }
                Descent::Continue {
                    zone: current.clone(),
                }
            }
            Step::Delegation if !reached_child => {
                for next in self
                    .servers_for(&reply.authority, &reply.additional, current)
                    .await
                {
                    walk.queue.push(current, next);
                }
                Descent::Stop
            }
            // An empty non-terminal of this server's zone: go on down.
            Step::AaNoError if !reached_child => Descent::Continue { zone: zone.clone() },
            step => {
                walk.record.ends.push(DescentEnd {
                    zone: zone.clone(),
                    server: server.clone(),
                    name: current.clone(),
                    step,
                    reply,
                });
                Descent::Stop
            }
        }
    }

    /// The servers of `zone` if `server` is authoritative for it (SOA and
    /// NS checks of spec §1.10), else `None`.
    async fn authoritative_servers(
        &self,
        walk: &mut Walk,
        server: &Server,
        zone: &Name,
    ) -> Option<Vec<Server>> {
        let soa = self.ask_walking(walk, server, zone, RecordType::SOA).await;
        if !soa.is_some_and(|soa| has_own_soa(&soa, zone)) {
            walk.fault(server, zone, RecordType::SOA);
            return None;
        }
        self.zone_servers_from_ns(walk, server, zone).await
    }

    /// Asks `server` NS for `zone`; an authoritative NS set owned by the
    /// zone gives its servers.
    async fn zone_servers_from_ns(
        &self,
        walk: &mut Walk,
        server: &Server,
        zone: &Name,
    ) -> Option<Vec<Server>> {
        let reply = self.ask_walking(walk, server, zone, RecordType::NS).await;
        let Some(reply) = reply.filter(|reply| is_own_ns_set(reply, zone)) else {
            walk.fault(server, zone, RecordType::NS);
            return None;
        };
        Some(
            self.servers_for(&reply.answer, &reply.additional, zone)
                .await,
        )
    }

    /// Asks `server` and notes the question.
    async fn ask_walking(
        &self,
        walk: &mut Walk,
        server: &Server,
        name: &Name,
        rtype: RecordType,
    ) -> Option<Packet> {
        walk.record.queries.push(AskedQuery {
            server: server.clone(),
            name: name.clone(),
            rtype,
        });
        self.ask(server.address, name, rtype).await
    }

    /// The NS targets owned by `zone` in `section`, each with its addresses
    /// from `additional`, or else looked up (A and AAAA) from the root.
    async fn servers_for(
        &self,
        section: &[Record],
        additional: &[Record],
        zone: &Name,
    ) -> Vec<Server> {
        let mut servers = Vec::new();
        for name in ns_targets(section, zone) {
            let mut addresses = addresses_owned_by(additional, &name);
            if addresses.is_empty() {
                addresses = self.looked_up_addresses(&name).await;
            }
            servers.extend(addresses.into_iter().map(|address| Server {
                name: name.clone(),
                address,
            }));
        }
        servers
    }

    /// A and AAAA of `name` from the root, from NOERROR replies, records
    /// owned by the name itself (the parent walk does not follow CNAMEs).
    async fn looked_up_addresses(&self, name: &Name) -> Vec<IpAddr> {
        let mut addresses = Vec::new();
        for rtype in [RecordType::A, RecordType::AAAA] {
            let resolution = self.recursor.recurse(name, rtype).await;
            if let Some(packet) = resolution.packet()
                && packet.rcode == Rcode::NOERROR
            {
                addresses.extend(owned_addresses(packet, name, rtype));
            }
        }
        addresses
    }
}

/// Reads a reply to SOA for `name` on the way to `child`; `None` for a
/// reply that fits no [`Step`] (an error rcode, a non-AA answer, …).
pub(super) fn read_step(reply: &Packet, name: &Name, child: &Name) -> Option<Step> {
    let is_referral = reply.classify() == Classification::Referral;
    if has_own_soa(reply, name) {
        Some(Step::OwnSoa)
    } else if reply.rcode == Rcode::NXDOMAIN && reply.aa {
        Some(Step::NxDomain)
    } else if is_referral && !ns_targets(&reply.authority, name).is_empty() {
        Some(Step::Delegation)
    } else if is_authoritative(reply) {
        Some(Step::AaNoError)
    } else if is_referral && has_cname_for(reply, child) {
        Some(Step::ReferralCname)
    } else {
        None
    }
}

/// True when the answer has a CNAME owned by `name`.
pub(super) fn has_cname_for(reply: &Packet, name: &Name) -> bool {
    Packet::records(&reply.answer, name, RecordType::CNAME)
        .next()
        .is_some()
}

/// NOERROR, AA and exactly one SOA owned by `zone` in the answer.
fn has_own_soa(packet: &Packet, zone: &Name) -> bool {
    is_authoritative(packet) && Packet::records(&packet.answer, zone, RecordType::SOA).count() == 1
}

/// NOERROR, AA and at least one NS in the answer, all owned by `zone`.
fn is_own_ns_set(packet: &Packet, zone: &Name) -> bool {
    let all_ns = packet.answers_of(RecordType::NS).count();
    is_authoritative(packet) && all_ns > 0 && all_ns == ns_targets(&packet.answer, zone).len()
}

/// Addresses of type `rtype` owned by `name` anywhere in the reply.
fn owned_addresses(packet: &Packet, name: &Name, rtype: RecordType) -> Vec<IpAddr> {
    [&packet.answer, &packet.authority, &packet.additional]
        .iter()
        .flat_map(|section| Packet::records(section, name, rtype))
        .filter_map(address_of)
        .collect()
}
