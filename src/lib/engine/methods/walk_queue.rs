//! The order in which the walk from the root takes up zones and servers.
//!
//! The reference engine has two copies of the walk, and they queue
//! differently; the difference shows in verdicts, so both are kept:
//!
//! * Get-Parent-NS-Names-and-IPs (spec §1.10) takes zones in sorted order
//!   (the root first) and keeps a zone's queue open while working on it,
//!   so servers that the zone's own NS set names are visited too. A server
//!   is a name and an address.
//! * BASIC01 takes zones in the order they were found, with the servers
//!   known at that moment: those the zones above named. Servers learnt
//!   later for a zone already taken up are not visited (a parent whose NS
//!   set names servers that do not serve it is not reported for them). A
//!   server is an address: a second name for it is not asked again.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::net::IpAddr;

use hickory_proto::rr::Name;

use crate::engine::name::display;
use crate::engine::ns::Ns;

/// Which of the two queueing rules a walk follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Discipline {
    /// Get-Parent-NS-Names-and-IPs: sorted zones, open queues, servers by
    /// name and address.
    ParentList,
    /// BASIC01: zones in the order found, queues closed once taken up,
    /// servers by address.
    Basic01,
}

impl Discipline {
    /// The reference engine's name for the routine, for `LOOP_PROTECTION`.
    pub(super) fn caller(self) -> &'static str {
        match self {
            Self::ParentList => "Zonemaster::Engine::TestMethodsV2->get_parent_ns_ips",
            Self::Basic01 => "Zonemaster::Engine::Test::Basic->basic01",
        }
    }
}

/// A server as the "already handled" check sees it.
type Handled = (String, IpAddr, Option<Name>);

/// Zones and their servers still to visit.
pub(super) struct WalkQueue {
    discipline: Discipline,
    /// Zone (display form, for the sort order) → its name and servers.
    queues: BTreeMap<String, (Name, VecDeque<Ns>)>,
    /// Zones in the order first met (used by [`Discipline::Basic01`]).
    found_order: VecDeque<String>,
    /// Zones taken up so far.
    taken_up: HashSet<String>,
    /// Servers already visited, per zone.
    handled: HashSet<Handled>,
}

impl WalkQueue {
    /// An empty queue following `discipline`.
    pub(super) fn new(discipline: Discipline) -> Self {
        Self {
            discipline,
            queues: BTreeMap::new(),
            found_order: VecDeque::new(),
            taken_up: HashSet::new(),
            handled: HashSet::new(),
        }
    }

    /// Queues `server` for `zone` unless it was handled, is queued, or
    /// (BASIC01) the zone was already taken up; true when it was queued
    /// now, so the walk can start visiting it ahead of its turn.
    pub(super) fn push(&mut self, zone: &Name, server: Ns) -> bool {
        let key = display(zone);
        let is_closed = self.discipline == Discipline::Basic01 && self.taken_up.contains(&key);
        if is_closed || self.handled.contains(&self.handled_key(&key, &server)) {
            return false;
        }
        if !self.queues.contains_key(&key) {
            self.found_order.push_back(key.clone());
        }
        let (_, queue) = self
            .queues
            .entry(key)
            .or_insert_with(|| (zone.clone(), VecDeque::new()));
        if queue.contains(&server) {
            return false;
        }
        queue.push_back(server);
        true
    }

    /// The next zone and server to visit; marks the server handled.
    pub(super) fn next(&mut self) -> Option<(Name, Ns)> {
        loop {
            let key = self.current_zone()?;
            self.taken_up.insert(key.clone());
            let (zone, queue) = self.queues.get_mut(&key)?;
            let zone = zone.clone();
            let Some(server) = queue.pop_front() else {
                self.queues.remove(&key);
                self.found_order.retain(|found| *found != key);
                continue;
            };
            if self.handled.insert(self.handled_key(&key, &server)) {
                return Some((zone, server));
            }
        }
    }

    /// The zone to work on now.
    fn current_zone(&self) -> Option<String> {
        match self.discipline {
            Discipline::ParentList => self.queues.keys().next().cloned(),
            Discipline::Basic01 => self.found_order.front().cloned(),
        }
    }

    fn handled_key(&self, zone: &str, server: &Ns) -> Handled {
        let name = match self.discipline {
            Discipline::ParentList => Some(server.name.clone()),
            Discipline::Basic01 => None,
        };
        (zone.to_owned(), server.address, name)
    }
}

#[cfg(test)]
mod tests {
    use hickory_proto::rr::Name;

    use super::{Discipline, WalkQueue};
    use crate::engine::ns::Ns;

    fn server(name: &str, address: &str) -> Ns {
        Ns {
            name: Name::from_ascii(name).unwrap(),
            address: address.parse().unwrap(),
        }
    }

    fn zone(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    /// Drains a queue that starts with `b.test.` (two names on one
    /// address) and `a.b.test.`; taking up `b.test.` teaches a third server.
    fn drain(discipline: Discipline) -> Vec<String> {
        let mut queue = WalkQueue::new(discipline);
        queue.push(&zone("b.test."), server("ns1.b.test.", "192.0.2.1"));
        queue.push(&zone("b.test."), server("alias.b.test.", "192.0.2.1"));
        queue.push(&zone("a.b.test."), server("ns.a.b.test.", "192.0.2.9"));
        let mut visited = Vec::new();
        while let Some((zone_name, next)) = queue.next() {
            if zone_name == zone("b.test.") {
                queue.push(&zone_name, server("ns2.b.test.", "192.0.2.2"));
            }
            visited.push(format!("{zone_name} {} {}", next.name, next.address));
        }
        visited
    }

    #[test]
    fn the_parent_list_sorts_zones_and_keeps_queues_open() {
        assert_eq!(
            drain(Discipline::ParentList),
            vec![
                "a.b.test. ns.a.b.test. 192.0.2.9",
                "b.test. ns1.b.test. 192.0.2.1",
                "b.test. alias.b.test. 192.0.2.1",
                "b.test. ns2.b.test. 192.0.2.2",
            ]
        );
    }

    #[test]
    fn basic01_takes_zones_as_found_with_the_servers_known_then() {
        assert_eq!(
            drain(Discipline::Basic01),
            vec![
                "b.test. ns1.b.test. 192.0.2.1",
                "a.b.test. ns.a.b.test. 192.0.2.9",
            ]
        );
    }
}
