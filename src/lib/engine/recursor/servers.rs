//! Which servers the recursor asks next, in which order (spec §1.8).
//!
//! The order is part of the result: lame and broken servers answer
//! differently, so a different order gives a different verdict. The
//! reference engine keeps a list — servers with known addresses sorted by
//! name then address, then glueless names sorted by name — and takes from
//! its end. We keep the same list and also take from the end
//! ([`Vec::pop`]), so a glueless name is tried before any server with glue.
//! Addresses sort as text, as the reference's do: `212.85.74.18` comes
//! after `2001:470:28:5a0::53` (a recorded reference run asks the IPv4
//! address of such a pair first), where IP order would put every IPv6
//! address last.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::dns::Packet;
use crate::engine::hints::RootHints;
use crate::engine::name::display;
use crate::engine::ns::Ns;

/// One entry of the list of servers still to ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Candidate {
    /// A server whose address we know.
    Known(Ns),
    /// A name server name without glue; resolved when its turn comes.
    Glueless(Name),
}

impl Candidate {
    /// The address, when known.
    pub fn address(&self) -> Option<std::net::IpAddr> {
        match self {
            Self::Known(server) => Some(server.address),
            Self::Glueless(_) => None,
        }
    }
}

/// Addresses learnt during one resolution ("glue" in the reference): from
/// referrals and from any A/AAAA record seen in an answer or additional
/// section. An entry with no addresses means "looked up, found nothing" and
/// stops the same name from being looked up again.
#[derive(Clone, Debug, Default)]
pub struct GlueBook {
    addresses: BTreeMap<Name, BTreeSet<IpAddr>>,
}

impl GlueBook {
    /// Remembers `address` for `name`.
    pub fn add(&mut self, name: &Name, address: IpAddr) {
        self.addresses
            .entry(name.to_lowercase())
            .or_default()
            .insert(address);
    }

    /// Notes that `name` is being looked up, so it is not looked up twice.
    pub fn mark_looked_up(&mut self, name: &Name) {
        self.addresses.entry(name.to_lowercase()).or_default();
    }

    /// The addresses known for `name`; `None` when it was never seen.
    pub fn get(&self, name: &Name) -> Option<Vec<IpAddr>> {
        let known = self.addresses.get(&name.to_lowercase())?;
        Some(known.iter().copied().collect())
    }

    /// Adds everything `other` knows (or knows to be looked up).
    pub fn merge(&mut self, other: Self) {
        for (name, addresses) in other.addresses {
            self.addresses.entry(name).or_default().extend(addresses);
        }
    }

    /// Remembers every A/AAAA record of `records`.
    pub fn learn_from(&mut self, records: &[Record]) {
        for record in records {
            if let Some(address) = address_of(record) {
                self.add(&record.name, address);
            }
        }
    }
}

/// The address in an A or AAAA record.
pub fn address_of(record: &Record) -> Option<IpAddr> {
    match &record.data {
        RData::A(a) => Some(IpAddr::V4(a.0)),
        RData::AAAA(aaaa) => Some(IpAddr::V6(aaaa.0)),
        _ => None,
    }
}

/// The root servers in list order: by name, each name's addresses as the
/// hints give them.
pub fn root_candidates(hints: &RootHints) -> Vec<Candidate> {
    let mut servers: Vec<&crate::engine::hints::HintServer> = hints.servers().iter().collect();
    servers.sort_by_cached_key(|server| display(&server.name));
    servers
        .into_iter()
        .flat_map(|server| {
            let name = server.name.to_lowercase();
            server.addresses.iter().map(move |&address| {
                Candidate::Known(Ns {
                    name: name.clone(),
                    address,
                })
            })
        })
        .collect()
}

/// The servers a referral points to, in list order, learning its glue.
///
/// Like the reference, every NS record of the reply counts and every A/AAAA
/// record is taken as glue, whatever its section or owner.
pub fn referral_candidates(packet: &Packet, glue: &mut GlueBook) -> Vec<Candidate> {
    let sections = [&packet.answer, &packet.authority, &packet.additional];
    for section in sections {
        glue.learn_from(section);
    }
    let mut names: Vec<Name> = sections
        .iter()
        .flat_map(|section| section.iter())
        .filter(|record| record.record_type() == RecordType::NS)
        .filter_map(|record| match &record.data {
            RData::NS(ns) => Some(ns.0.to_lowercase()),
            _ => None,
        })
        .collect();
    names.sort_by_cached_key(display);
    names.dedup();
    let mut known = Vec::new();
    let mut glueless = Vec::new();
    for name in names {
        match glue.get(&name) {
            Some(addresses) => known.extend(addresses.into_iter().map(|address| Ns {
                name: name.clone(),
                address,
            })),
            None => glueless.push(Candidate::Glueless(name)),
        }
    }
    known.sort_by_cached_key(|server| (display(&server.name), server.address.to_string()));
    known
        .into_iter()
        .map(Candidate::Known)
        .chain(glueless)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::hints::HintServer;
    use hickory_proto::rr::rdata::{A, NS};

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn ns(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::NS(NS(name(target))))
    }

    fn a(owner: &str, address: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::A(A(address.parse().unwrap())))
    }

    fn referral(authority: Vec<Record>, additional: Vec<Record>) -> Packet {
        let mut packet = Packet::decode(&[0, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        packet.authority = authority;
        packet.additional = additional;
        packet
    }

    fn names_in_pop_order(mut list: Vec<Candidate>) -> Vec<String> {
        let mut order = Vec::new();
        while let Some(candidate) = list.pop() {
            order.push(match candidate {
                Candidate::Known(server) => format!("{}/{}", display(&server.name), server.address),
                Candidate::Glueless(name) => display(&name),
            });
        }
        order
    }

    #[test]
    fn addresses_of_one_name_sort_as_text() {
        let mut packet = referral(
            vec![ns("x.test.", "bull.x.test.")],
            vec![a("bull.x.test.", "212.85.74.18")],
        );
        packet.additional.push(Record::from_rdata(
            name("bull.x.test."),
            60,
            RData::AAAA(hickory_proto::rr::rdata::AAAA(
                "2001:470:28:5a0::53".parse().unwrap(),
            )),
        ));
        let mut glue = GlueBook::default();
        let order = names_in_pop_order(referral_candidates(&packet, &mut glue));
        assert_eq!(
            order,
            [
                "bull.x.test/212.85.74.18",
                "bull.x.test/2001:470:28:5a0::53"
            ]
        );
    }

    #[test]
    fn glueless_names_are_tried_first_then_known_servers_from_the_end() {
        let packet = referral(
            vec![
                ns("x.test.", "b.x.test."),
                ns("x.test.", "NS.OTHER.test."),
                ns("x.test.", "a.x.test."),
                ns("x.test.", "c.elsewhere.test."),
            ],
            vec![
                a("a.x.test.", "192.0.2.2"),
                a("b.x.test.", "192.0.2.1"),
                a("a.x.test.", "192.0.2.1"),
            ],
        );
        let mut glue = GlueBook::default();
        let order = names_in_pop_order(referral_candidates(&packet, &mut glue));
        assert_eq!(
            order,
            [
                "ns.other.test",
                "c.elsewhere.test",
                "b.x.test/192.0.2.1",
                "a.x.test/192.0.2.2",
                "a.x.test/192.0.2.1",
            ]
        );
        assert_eq!(glue.get(&name("A.x.test.")).unwrap().len(), 2);
    }

    #[test]
    fn a_name_looked_up_without_result_is_dropped() {
        let mut glue = GlueBook::default();
        glue.mark_looked_up(&name("gone.test."));
        let packet = referral(vec![ns("x.test.", "gone.test.")], vec![]);
        assert!(referral_candidates(&packet, &mut glue).is_empty());
    }

    #[test]
    fn root_servers_are_sorted_by_name_keeping_address_order() {
        let hints = RootHints::from_servers(vec![
            HintServer {
                name: name("b.root."),
                addresses: vec!["192.0.2.2".parse().unwrap()],
            },
            HintServer {
                name: name("a.root."),
                addresses: vec!["2001:db8::1".parse().unwrap(), "192.0.2.1".parse().unwrap()],
            },
        ]);
        let order = names_in_pop_order(root_candidates(&hints));
        assert_eq!(
            order,
            ["b.root/192.0.2.2", "a.root/192.0.2.1", "a.root/2001:db8::1"]
        );
    }
}
