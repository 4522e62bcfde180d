//! Local answers for an undelegated test (engine spec §1.7 "Fake answers",
//! §1.11): the parent zone's servers are made to delegate the zone under
//! test to the supplied name servers, whatever they publish themselves.
//!
//! A question at or below the zone sent to one of the parent's addresses is
//! answered here, never sent: NS for the zone itself gets the supplied NS
//! set in the answer (AA), DS for the zone an empty authoritative answer,
//! anything else a referral (NS in authority, AA clear). Every supplied
//! address rides along as glue. Everything else goes to the network as
//! usual.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use hickory_proto::op::{Message, OpCode, Query as Question};
use hickory_proto::rr::rdata::{A, AAAA, NS};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::outcome::{Decoded, Outcome, Response};
use super::packet::Packet;
use super::query::Query;

/// The TTL of the records answered locally.
const FAKE_TTL: u32 = 3600;

/// A supplied delegation and the parent servers that hand it out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeReferral {
    /// The zone under test.
    pub zone: Name,
    /// Its supplied name servers with their addresses (possibly none).
    pub servers: Vec<(Name, Vec<IpAddr>)>,
    /// The parent zone's server addresses that answer with it.
    pub parents: BTreeSet<IpAddr>,
}

impl FakeReferral {
    /// The local answer of `server` to `query`, when it gives one.
    pub fn answer(&self, server: IpAddr, query: &Query) -> Option<Outcome> {
        if !self.parents.contains(&server) || !self.zone.zone_of(&query.name) {
            return None;
        }
        let mut message = Message::response(0, OpCode::Query);
        message.metadata.recursion_desired = query.rd;
        message.metadata.checking_disabled = query.cd;
        let mut question = Question::query(query.name.clone(), query.rtype);
        question.set_query_class(query.class);
        message.add_query(question);
        let at_apex = query.name.eq_ignore_root(&self.zone);
        match query.rtype {
            RecordType::DS if at_apex => {
                message.metadata.authoritative = true;
            }
            RecordType::NS if at_apex => {
                message.metadata.authoritative = true;
                message.add_answers(self.ns_records());
                message.add_additionals(self.glue());
            }
            _ => {
                message.add_authorities(self.ns_records());
                message.add_additionals(self.glue());
            }
        }
        let wire = message.to_vec().ok()?;
        let packet = Packet::decode(&wire).ok()?;
        let from = SocketAddr::new(server, 53);
        let response = Response::new(
            Decoded::from_raw(packet),
            Arc::from(wire),
            from,
            query.protocol,
        );
        Some(Outcome::Response(response))
    }

    fn ns_records(&self) -> Vec<Record> {
        self.servers
            .iter()
            .map(|(name, _)| {
                Record::from_rdata(self.zone.clone(), FAKE_TTL, RData::NS(NS(name.clone())))
            })
            .collect()
    }

    fn glue(&self) -> Vec<Record> {
        self.servers
            .iter()
            .flat_map(|(name, addresses)| {
                addresses.iter().map(move |address| {
                    let data = match address {
                        IpAddr::V4(v4) => RData::A(A(*v4)),
                        IpAddr::V6(v6) => RData::AAAA(AAAA(*v6)),
                    };
                    Record::from_rdata(name.clone(), FAKE_TTL, data)
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Classification;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn referral() -> FakeReferral {
        FakeReferral {
            zone: name("child.test."),
            servers: vec![
                (name("ns1.child.test."), vec!["192.0.2.1".parse().unwrap()]),
                (name("ns.elsewhere.example."), vec![]),
            ],
            parents: ["198.51.100.1".parse().unwrap()].into_iter().collect(),
        }
    }

    fn packet(outcome: Outcome) -> Arc<Packet> {
        match outcome {
            Outcome::Response(response) => response.packet(),
            other => panic!("expected a response, got {other:?}"),
        }
    }

    #[test]
    fn names_below_the_zone_get_a_referral_to_the_supplied_servers() {
        let parent: IpAddr = "198.51.100.1".parse().unwrap();
        let query = Query::new(name("www.child.test."), RecordType::A);
        let reply = packet(referral().answer(parent, &query).expect("answered locally"));
        assert_eq!(reply.classify(), Classification::Referral);
        assert!(!reply.aa);
        assert_eq!(reply.authority.len(), 2);
        assert_eq!(reply.additional.len(), 1, "glue for the address given");
    }

    #[test]
    fn ns_and_ds_of_the_zone_are_answered_with_authority() {
        let parent: IpAddr = "198.51.100.1".parse().unwrap();
        let ns = packet(
            referral()
                .answer(parent, &Query::new(name("CHILD.test"), RecordType::NS))
                .unwrap(),
        );
        assert!(ns.aa);
        assert_eq!(ns.answer.len(), 2);
        let ds = packet(
            referral()
                .answer(parent, &Query::new(name("child.test."), RecordType::DS))
                .unwrap(),
        );
        assert!(ds.aa);
        assert!(ds.answer.is_empty() && ds.authority.is_empty());
    }

    #[test]
    fn other_servers_and_names_go_to_the_network() {
        let parent: IpAddr = "198.51.100.1".parse().unwrap();
        let other: IpAddr = "198.51.100.2".parse().unwrap();
        let below = Query::new(name("www.child.test."), RecordType::A);
        assert!(referral().answer(other, &below).is_none());
        let outside = Query::new(name("www.other.test."), RecordType::A);
        assert!(referral().answer(parent, &outside).is_none());
        assert!(
            referral()
                .answer(parent, &Query::new(name("test."), RecordType::NS))
                .is_none()
        );
    }
}
