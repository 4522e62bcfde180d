//! The walk from the root towards the child that Get-Parent-NS-Names-and-IPs
//! and BASIC01 share (spec §1.10, §3.1).
//!
//! Unlike the recursor, which follows one path, this walk asks every
//! server of every zone on the way, so that an inconsistent parent side
//! (servers disagreeing on where the child is delegated) shows up as the
//! union of all answers. Which servers it takes up, and in which order,
//! follows one of two disciplines (`walk_queue`).
//!
//! Every server's visit runs as soon as the server is queued, so the walk
//! waits about one chain of questions per zone level rather than one per
//! server; the visits' records are applied in queue order (`walk_order`),
//! so what the walk reports does not depend on timing.
//!
//! The walk only records what it saw: where each server's descent ended
//! ([`DescentEnd`]), which questions failed ([`ZoneFault`]), whom it asked.
//! The two users read that record their own way: the parent list keeps the
//! servers that reached the child, BASIC01 classifies every ending.

use std::net::IpAddr;
use std::sync::Arc;

use crate::dns::chain::{join, join_all, join3};
use hickory_proto::rr::{Name, Record, RecordType};

use super::methods_v2::MethodsV2;
use super::query::{addresses_owned_by, is_authoritative, ns_targets};
use super::walk_order::{VisitEvent, VisitLog};
use crate::dns::{Classification, Packet, Rcode};
use crate::engine::ns::Ns;
use crate::engine::recursor::{SystemEvent, address_of};

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
    pub server: Ns,
    /// The name asked last: the child, or a name above it for `NxDomain`.
    pub name: Name,
    /// How the reply read.
    pub step: Step,
    /// The reply itself.
    pub reply: Arc<Packet>,
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
    pub server: Ns,
}

/// A server the walk took up for a zone, in the order it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVisit {
    /// The zone the server was expected to serve.
    pub zone: Name,
    /// The server.
    pub server: Ns,
    /// False when the profile disables the server's IP family; such a
    /// server is skipped without a question.
    pub is_enabled: bool,
}

/// One question the walk sent straight to a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskedQuery {
    /// The server asked.
    pub server: Ns,
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

/// What to do after one SOA question while descending.
enum Descent {
    /// Go one label further down, now inside `zone`.
    Continue { zone: Name },
    /// Done with this server.
    Stop,
}

impl MethodsV2 {
    /// Takes up `server` for `zone`: checks that it serves the zone, queues
    /// its colleagues, then descends towards the child asking the same
    /// server. Touches nothing shared but the caches, so visits may run
    /// at the same time.
    pub(super) async fn visit(&self, zone: Name, server: Ns) -> VisitLog {
        let mut log = VisitLog::default();
        let is_enabled = self.recursor.families().allows(server.address);
        log.0.push(VisitEvent::Visited(ServerVisit {
            zone: zone.clone(),
            server: server.clone(),
            is_enabled,
        }));
        if !is_enabled {
            return log;
        }
        self.ask_ahead(&zone, &server).await;
        let Some(servers) = self.authoritative_servers(&mut log, &server, &zone).await else {
            return log;
        };
        log.queue(&zone, servers);
        let mut zone = zone;
        let mut current = zone.clone();
        while current.num_labels() < self.zone.num_labels() {
            log.0.push(VisitEvent::Step {
                zone: zone.clone(),
                current: current.clone(),
            });
            current = self.zone.trim_to(usize::from(current.num_labels()) + 1);
            match self.descend(&mut log, &zone, &server, &current).await {
                Descent::Continue { zone: inner } => zone = inner,
                Descent::Stop => break,
            }
        }
        log
    }

    /// Sends the first three questions of a visit together: SOA and NS for
    /// `zone`, and SOA for the next name towards the child.
    ///
    /// The reference asks them one after another, each only if the one
    /// before passed (spec §1.10); a server that serves the zone is asked
    /// all three, so asking them at once saves two round trips per zone
    /// level. The walk then reads them from the client's cache in the
    /// reference's order, so its record is unchanged; a server that fails
    /// the SOA or NS check gets a question or two the reference would not
    /// send.
    async fn ask_ahead(&self, zone: &Name, server: &Ns) {
        let next = (zone.num_labels() < self.zone.num_labels())
            .then(|| self.zone.trim_to(usize::from(zone.num_labels()) + 1));
        let next_soa = async {
            if let Some(next) = &next {
                self.ask(server.address, next, RecordType::SOA).await;
            }
        };
        join3(
            self.ask(server.address, zone, RecordType::SOA),
            self.ask(server.address, zone, RecordType::NS),
            next_soa,
        )
        .await;
    }

    /// One SOA question for `current` (one label closer to the child) to a
    /// server of `zone`.
    async fn descend(
        &self,
        log: &mut VisitLog,
        zone: &Name,
        server: &Ns,
        current: &Name,
    ) -> Descent {
        let Some(reply) = self
            .ask_walking(log, server, current, RecordType::SOA)
            .await
        else {
            log.fault(server, current, RecordType::SOA);
            return Descent::Stop;
        };
        let reached_child = *current == self.zone;
        let Some(step) = read_step(&reply, current, &self.zone) else {
            log.fault(server, current, RecordType::SOA);
            return Descent::Stop;
        };
        match step {
            Step::OwnSoa if !reached_child => {
                let Some(servers) = self.zone_servers_from_ns(log, server, current).await else {
                    return Descent::Stop;
                };
                log.queue(current, servers);
                Descent::Continue {
                    zone: current.clone(),
                }
            }
            Step::Delegation if !reached_child => {
                let servers = self
                    .servers_for(&reply.authority, &reply.additional, current)
                    .await;
                log.queue(current, servers);
                Descent::Stop
            }
            // An empty non-terminal of this server's zone: go on down.
            Step::AaNoError if !reached_child => Descent::Continue { zone: zone.clone() },
            step => {
                log.0.push(VisitEvent::End(Box::new(DescentEnd {
                    zone: zone.clone(),
                    server: server.clone(),
                    name: current.clone(),
                    step,
                    reply,
                })));
                Descent::Stop
            }
        }
    }

    /// The servers of `zone` if `server` is authoritative for it (SOA and
    /// NS checks of spec §1.10), else `None`.
    async fn authoritative_servers(
        &self,
        log: &mut VisitLog,
        server: &Ns,
        zone: &Name,
    ) -> Option<Vec<Ns>> {
        let soa = self.ask_walking(log, server, zone, RecordType::SOA).await;
        if !soa.is_some_and(|soa| has_own_soa(&soa, zone)) {
            log.fault(server, zone, RecordType::SOA);
            return None;
        }
        self.zone_servers_from_ns(log, server, zone).await
    }

    /// Asks `server` NS for `zone`; an authoritative NS set owned by the
    /// zone gives its servers.
    async fn zone_servers_from_ns(
        &self,
        log: &mut VisitLog,
        server: &Ns,
        zone: &Name,
    ) -> Option<Vec<Ns>> {
        let reply = self.ask_walking(log, server, zone, RecordType::NS).await;
        let Some(reply) = reply.filter(|reply| is_own_ns_set(reply, zone)) else {
            log.fault(server, zone, RecordType::NS);
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
        log: &mut VisitLog,
        server: &Ns,
        name: &Name,
        rtype: RecordType,
    ) -> Option<Arc<Packet>> {
        log.0.push(VisitEvent::Asked(AskedQuery {
            server: server.clone(),
            name: name.clone(),
            rtype,
        }));
        self.ask(server.address, name, rtype).await
    }

    /// The NS targets owned by `zone` in `section`, each with its addresses
    /// from `additional`, or else looked up (A and AAAA) from the root.
    /// The look-ups run at once; the list keeps the targets' order.
    async fn servers_for(&self, section: &[Record], additional: &[Record], zone: &Name) -> Vec<Ns> {
        let names = ns_targets(section, zone);
        let found = join_all(names.iter().map(|name| async move {
            let glue = addresses_owned_by(additional, name);
            if glue.is_empty() {
                self.looked_up_addresses(name).await
            } else {
                glue
            }
        }))
        .await;
        names
            .into_iter()
            .zip(found)
            .flat_map(|(name, addresses)| {
                addresses.into_iter().map(move |address| Ns {
                    name: name.clone(),
                    address,
                })
            })
            .collect()
    }

    /// A and AAAA of `name` from the root (both at once), from NOERROR
    /// replies, records owned by the name itself (the parent walk does not
    /// follow CNAMEs).
    async fn looked_up_addresses(&self, name: &Name) -> Vec<IpAddr> {
        let (a, aaaa) = join(
            self.recursor.recurse(name, RecordType::A),
            self.recursor.recurse(name, RecordType::AAAA),
        )
        .await;
        let mut addresses = Vec::new();
        for (resolution, rtype) in [(a, RecordType::A), (aaaa, RecordType::AAAA)] {
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
