//! Get-Parent-NS-Names-and-IPs (spec §1.10): every server that serves the
//! child's parent zone, found by walking down from the root.
//!
//! Unlike the recursor, which follows one path, this walk asks every
//! server of every zone on the way, so that an inconsistent parent side
//! (servers disagreeing on where the child is delegated) shows up as the
//! union of all answers. Zones wait in a queue keyed by name — taken in
//! sorted order, which puts the root first — each with its own queue of
//! servers; a server is handled once per zone.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::net::IpAddr;

use hickory_proto::rr::{Name, Record, RecordType};

use super::methods_v2::MethodsV2;
use super::query::{addresses_owned_by, is_authoritative, ns_targets};
use crate::dns::{Classification, Packet, Rcode};
use crate::engine::name::display;
use crate::engine::recursor::{Server, SystemEvent, address_of};

/// Steps (SOA questions while descending) one walk may take before
/// `LOOP_PROTECTION` ends it. A real walk takes a few per server.
const STEP_LIMIT: usize = 1000;

/// The reference engine's name for this routine, for `LOOP_PROTECTION`.
const CALLER: &str = "Zonemaster::Engine::TestMethodsV2->get_parent_ns_ips";

/// The walk gave up; the event says where.
struct LoopProtection(SystemEvent);

/// The state of one walk.
struct Walk {
    /// Zone (display form, for the sort order) → its name and servers to visit.
    queues: BTreeMap<String, (Name, VecDeque<Server>)>,
    /// (zone, server) pairs already visited.
    handled: HashSet<(String, Server)>,
    /// Servers that led to the child: the parent's servers.
    found: Vec<Server>,
    /// Descending steps so far.
    steps: usize,
}

impl Walk {
    /// Queues `server` for `zone` unless it was handled or is queued.
    fn push(&mut self, zone: &Name, server: Server) {
        let key = display(zone);
        if self.handled.contains(&(key.clone(), server.clone())) {
            return;
        }
        let (_, queue) = self
            .queues
            .entry(key)
            .or_insert_with(|| (zone.clone(), VecDeque::new()));
        if !queue.contains(&server) {
            queue.push_back(server);
        }
    }

    /// The next zone and server to visit, lowest zone first.
    fn next(&mut self) -> Option<(Name, Server)> {
        loop {
            let mut entry = self.queues.first_entry()?;
            let (zone, queue) = entry.get_mut();
            match queue.pop_front() {
                Some(server) => return Some((zone.clone(), server)),
                None => {
                    entry.remove();
                }
            }
        }
    }
}

/// What one SOA question while descending told us.
enum Descent {
    /// Go one label further down.
    Continue,
    /// Done with this server.
    Stop,
}

impl MethodsV2 {
    /// Runs the walk; `None` when no server led to the child.
    pub(super) async fn compute_parent_servers(&self) -> Option<Vec<Server>> {
        if self.zone.is_root() || self.is_undelegated() {
            return Some(Vec::new());
        }
        let mut walk = Walk {
            queues: BTreeMap::new(),
            handled: HashSet::new(),
            found: Vec::new(),
            steps: 0,
        };
        for server in self.recursor.root_servers() {
            walk.push(&Name::root(), server);
        }
        while let Some((zone, server)) = walk.next() {
            if let Err(LoopProtection(event)) = self.visit(&mut walk, &zone, server).await {
                self.record(event);
                return None;
            }
        }
        let mut found = walk.found;
        found.sort_by_cached_key(|server| (display(&server.name), server.address));
        found.dedup();
        (!found.is_empty()).then_some(found)
    }

    /// Checks that `server` serves `zone`, queues its colleagues, then
    /// descends towards the child asking the same server.
    async fn visit(
        &self,
        walk: &mut Walk,
        zone: &Name,
        server: Server,
    ) -> Result<(), LoopProtection> {
        let key = display(zone);
        if !walk.handled.insert((key, server.clone())) {
            let shares_address = walk
                .found
                .iter()
                .any(|found| found.address == server.address && *found != server);
            if shares_address {
                walk.found.push(server);
            }
            return Ok(());
        }
        if !self.recursor.families().allows(server.address) {
            return Ok(());
        }
        let Some(servers) = self.authoritative_servers(&server, zone).await else {
            return Ok(());
        };
        for colleague in servers {
            walk.push(zone, colleague);
        }
        let mut current = zone.clone();
        while current.num_labels() < self.zone.num_labels() {
            walk.steps += 1;
            if walk.steps > STEP_LIMIT {
                return Err(LoopProtection(SystemEvent::LoopProtection {
                    caller: CALLER,
                    child_zone_name: self.zone.clone(),
                    name: zone.clone(),
                    intermediate_query_name: Some(current),
                }));
            }
            current = self.zone.trim_to(usize::from(current.num_labels()) + 1);
            match self.descend(walk, &server, &current).await {
                Descent::Continue => {}
                Descent::Stop => break,
            }
        }
        Ok(())
    }

    /// One SOA question for `current` (one label closer to the child).
    async fn descend(&self, walk: &mut Walk, server: &Server, current: &Name) -> Descent {
        let Some(reply) = self.ask(server.address, current, RecordType::SOA).await else {
            return Descent::Stop;
        };
        let reached_child = *current == self.zone;
        if has_own_soa(&reply, current) {
            if reached_child {
                walk.found.push(server.clone());
                return Descent::Stop;
            }
            let Some(servers) = self.zone_servers_from_ns(server, current).await else {
                return Descent::Stop;
            };
            for next in servers {
                walk.push(current, next);
            }
            return Descent::Continue;
        }
        if reply.classify() == Classification::Referral
            && !ns_targets(&reply.authority, current).is_empty()
        {
            if reached_child {
                walk.found.push(server.clone());
            } else {
                for next in self
                    .servers_for(&reply.authority, &reply.additional, current)
                    .await
                {
                    walk.push(current, next);
                }
            }
            return Descent::Stop;
        }
        if is_authoritative(&reply) && !reached_child {
            // An empty non-terminal of this server's zone: go on down.
            return Descent::Continue;
        }
        Descent::Stop
    }

    /// The servers of `zone` if `server` is authoritative for it (SOA and
    /// NS checks of spec §1.10), else `None`.
    async fn authoritative_servers(&self, server: &Server, zone: &Name) -> Option<Vec<Server>> {
        let soa = self.ask(server.address, zone, RecordType::SOA).await?;
        if !has_own_soa(&soa, zone) {
            return None;
        }
        self.zone_servers_from_ns(server, zone).await
    }

    /// Asks `server` NS for `zone`; an authoritative NS set owned by the
    /// zone gives its servers.
    async fn zone_servers_from_ns(&self, server: &Server, zone: &Name) -> Option<Vec<Server>> {
        let reply = self.ask(server.address, zone, RecordType::NS).await?;
        let all_ns = reply.answers_of(RecordType::NS).count();
        let own_ns = ns_targets(&reply.answer, zone).len();
        if !is_authoritative(&reply) || all_ns == 0 || all_ns != own_ns {
            return None;
        }
        Some(
            self.servers_for(&reply.answer, &reply.additional, zone)
                .await,
        )
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

/// NOERROR, AA and exactly one SOA owned by `zone` in the answer.
fn has_own_soa(packet: &Packet, zone: &Name) -> bool {
    is_authoritative(packet) && Packet::records(&packet.answer, zone, RecordType::SOA).count() == 1
}

/// Addresses of type `rtype` owned by `name` anywhere in the reply.
fn owned_addresses(packet: &Packet, name: &Name, rtype: RecordType) -> Vec<IpAddr> {
    [&packet.answer, &packet.authority, &packet.additional]
        .iter()
        .flat_map(|section| Packet::records(section, name, rtype))
        .filter_map(address_of)
        .collect()
}
