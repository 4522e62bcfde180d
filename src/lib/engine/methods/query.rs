//! Direct questions to one server, and how the helpers read the replies.

use std::net::IpAddr;
use std::sync::Arc;

use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::methods_v2::MethodsV2;
use crate::dns::{Packet, Query, Rcode};
use crate::engine::recursor::address_of;

impl MethodsV2 {
    /// Asks `address` a plain question (no RD, no EDNS, UDP); `None` for no
    /// reply or an IP family the profile disables.
    pub(super) async fn ask(
        &self,
        address: IpAddr,
        name: &Name,
        rtype: RecordType,
    ) -> Option<Arc<Packet>> {
        self.ask_with(address, Query::new(name.clone(), rtype))
            .await
    }

    /// Asks `address` the given query, with the same family gate.
    pub(super) async fn ask_with(&self, address: IpAddr, query: Query) -> Option<Arc<Packet>> {
        if !self.recursor.families().allows(address) {
            return None;
        }
        let outcome = self.recursor.client().query(address, &query).await;
        outcome.packet()
    }
}

/// True for NOERROR with AA set.
pub fn is_authoritative(packet: &Packet) -> bool {
    packet.rcode == Rcode::NOERROR && packet.aa
}

/// Targets of the NS records owned by `owner` in `section`, lower-cased.
pub fn ns_targets(section: &[Record], owner: &Name) -> Vec<Name> {
    Packet::records(section, owner, RecordType::NS)
        .filter_map(|record| match &record.data {
            RData::NS(ns) => Some(ns.0.to_lowercase()),
            _ => None,
        })
        .collect()
}

/// The addresses of the A/AAAA records owned by `owner` in `section`.
pub fn addresses_owned_by(section: &[Record], owner: &Name) -> Vec<IpAddr> {
    section
        .iter()
        .filter(|record| record.name.eq_ignore_root(owner))
        .filter_map(address_of)
        .collect()
}

/// The addresses of type `rtype` a reply gives for `name`, following CNAMEs
/// (the extraction MethodsV2 applies to every look-up result):
///
/// * a CNAME for `name` in the answer: follow the answer's CNAMEs to the
///   end of the chain and take its records;
/// * a reply for another name (the recursor restarted on a CNAME target
///   outside `name`): start from the reply's question instead;
/// * otherwise the records owned by `name`.
pub fn reply_addresses(packet: &Packet, name: &Name, rtype: RecordType) -> Vec<IpAddr> {
    let start = match packet.question.first() {
        Some(question) if !question.name().eq_ignore_root(name) => question.name().clone(),
        _ => name.clone(),
    };
    let target = chain_end(&packet.answer, &start);
    let sections = [&packet.answer, &packet.authority, &packet.additional];
    sections
        .iter()
        .flat_map(|section| Packet::records(section, &target, rtype))
        .filter_map(address_of)
        .collect()
}

/// The end of the CNAME chain from `name` in `answer` (at most as many
/// steps as there are records, so a loop ends).
fn chain_end(answer: &[Record], name: &Name) -> Name {
    let mut target = name.clone();
    for _ in 0..answer.len() {
        let next = Packet::records(answer, &target, RecordType::CNAME).find_map(|record| {
            match &record.data {
                RData::CNAME(cname) => Some(cname.0.clone()),
                _ => None,
            }
        });
        match next {
            Some(next) => target = next,
            None => break,
        }
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::Query as Question;
    use hickory_proto::rr::rdata::{A, CNAME};

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn reply(question: &str, answer: Vec<Record>) -> Packet {
        let mut packet = Packet::decode(&[0, 1, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        packet.question = vec![Question::query(name(question), RecordType::A)];
        packet.answer = answer;
        packet
    }

    fn cname(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::CNAME(CNAME(name(target))))
    }

    fn a(owner: &str, address: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::A(A(address.parse().unwrap())))
    }

    #[test]
    fn follows_an_in_reply_chain() {
        let packet = reply(
            "ns.test.",
            vec![
                cname("ns.test.", "b.test."),
                cname("b.test.", "c.test."),
                a("c.test.", "192.0.2.3"),
                a("ns.test.", "192.0.2.9"),
            ],
        );
        let found = reply_addresses(&packet, &name("NS.test."), RecordType::A);
        assert_eq!(found, vec!["192.0.2.3".parse::<IpAddr>().unwrap()]);
    }

    #[test]
    fn a_restarted_reply_is_read_from_its_question() {
        let packet = reply("far.other.", vec![a("far.other.", "192.0.2.7")]);
        let found = reply_addresses(&packet, &name("ns.test."), RecordType::A);
        assert_eq!(found, vec!["192.0.2.7".parse::<IpAddr>().unwrap()]);
    }

    #[test]
    fn a_looping_chain_ends() {
        let packet = reply(
            "a.test.",
            vec![cname("a.test.", "b.test."), cname("b.test.", "a.test.")],
        );
        assert!(reply_addresses(&packet, &name("a.test."), RecordType::A).is_empty());
    }
}
