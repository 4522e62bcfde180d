//! The world as a [`Transport`]: a scripted reply goes to wire bytes and
//! back through our own decoder, so a test case sees exactly the
//! [`Outcome`] a live run would build from the same bytes.
//!
//! Silence is an immediate [`Outcome::Timeout`]: the profile's timeouts
//! and retries are never waited out, so a bad-zone test is as fast as a
//! good one.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::{Name, RecordType};

use super::answer::answer_as;
use super::world::{Asked, Behaviour, WhoisReply, World};
use crate::dns::{
    AxfrOutcome, Decoded, Outcome, Packet, Rcode, Request, Response, Stray, StrayReason, Transport,
    WhoisOutcome,
};

/// The round-trip time every scripted reply reports.
const SCRIPTED_RTT: Duration = Duration::from_millis(1);

impl World {
    /// What asking `request` of this world comes to.
    pub fn outcome(&self, request: &Request) -> Outcome {
        let silence = Outcome::Timeout { strays: Vec::new() };
        let Some(server) = self.server_at(request.server) else {
            return silence;
        };
        let query = &request.query;
        let behaviour = match server.behaviour_for(query.rtype) {
            Behaviour::OtherSpellings(rcode)
                if !self.is_first_spelling(server.address, &query.name) =>
            {
                match rcode {
                    Some(rcode) => Behaviour::Rcode(rcode),
                    None => Behaviour::Silent,
                }
            }
            other => other,
        };
        let Some(message) = answer_as(server, query, behaviour) else {
            return silence;
        };
        let wire = message
            .to_vec()
            .expect("a scripted reply holds only records hickory parsed, so it encodes");
        let from = match behaviour {
            Behaviour::AnswersFrom(other) => SocketAddr::new(other, 53),
            _ => SocketAddr::new(request.server, 53),
        };
        if from.ip() != request.server && !query.accepts_other_source {
            let stray = Stray {
                from,
                reason: StrayReason::ForeignSource,
                raw: Arc::from(wire),
            };
            return Outcome::Timeout {
                strays: vec![stray],
            };
        }
        let packet = Packet::decode(&wire).expect("an encoded reply is longer than a header");
        Outcome::Response(Response {
            decoded: Decoded::from_raw(packet),
            raw: Arc::from(wire),
            from,
            rtt: SCRIPTED_RTT,
            received_at: SystemTime::now(),
            protocol: request.query.protocol,
            fell_back: false,
            has_question_mismatch: false,
            strays: Vec::new(),
        })
    }

    /// The zone transfer `server` would give of `zone`.
    pub fn transfer(&self, server: IpAddr, zone: &Name) -> AxfrOutcome {
        let Some(server) = self.server_at(server) else {
            return AxfrOutcome::NoResponse("no server at this address".to_owned());
        };
        let refused = AxfrOutcome::Refused(Rcode::REFUSED);
        match server.behaviour {
            Behaviour::Silent | Behaviour::Hangs | Behaviour::NoTcp => {
                return AxfrOutcome::NoResponse("silent server".to_owned());
            }
            Behaviour::Rcode(rcode) => return AxfrOutcome::Refused(rcode),
            Behaviour::Lame | Behaviour::RefusesTransfers => return refused,
            _ => {}
        }
        let Some(held) = server.zone_for(zone).filter(|held| held.apex == *zone) else {
            return refused;
        };
        let is_soa = |record: &&hickory_proto::rr::Record| record.record_type() == RecordType::SOA;
        let Some(soa) = held.records.iter().find(is_soa) else {
            return refused;
        };
        let mut records = vec![soa.clone()];
        records.extend(held.records.iter().filter(|r| !is_soa(r)).cloned());
        records.push(soa.clone());
        AxfrOutcome::Complete(records)
    }
}

impl Transport for World {
    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
        self.note(Asked::Dns {
            server: request.server,
            name: request.query.name.clone(),
            rtype: request.query.rtype,
        });
        let outcome = self.outcome(request);
        let hangs = self
            .server_at(request.server)
            .is_some_and(|server| server.behaviour == Behaviour::Hangs);
        let options = request.options;
        async move {
            if hangs {
                let attempts = u32::from(options.retry.max(1));
                tokio::time::sleep(options.retrans * (attempts - 1) + options.timeout).await;
            }
            outcome
        }
        .boxed()
    }

    fn whois<'a>(
        &'a self,
        server: IpAddr,
        question: &'a str,
        _timeout: Duration,
    ) -> BoxFuture<'a, WhoisOutcome> {
        self.note(Asked::Whois {
            server,
            question: question.to_owned(),
        });
        let reply = self
            .whois
            .iter()
            .find(|(address, _)| *address == server.to_canonical())
            .map(|(_, reply)| reply.clone());
        async move {
            match reply {
                Some(WhoisReply::Text(text)) => WhoisOutcome::Reply(text),
                Some(WhoisReply::Hangs) => std::future::pending().await,
                None => WhoisOutcome::NoResponse("connection refused".to_owned()),
            }
        }
        .boxed()
    }

    fn axfr<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        _timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        let outcome = self.transfer(server, zone);
        async move { outcome }.boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Classification, Query, RData};

    const ZONE: &str = "example.com.";
    const NS1: &str = "192.0.2.1";

    fn world() -> World {
        World::with_delegation(ZONE, &[("ns1.example.com.", NS1)]).add(
            ZONE,
            &[
                "www.example.com. A 192.0.2.80",
                "alias.example.com. CNAME www.example.com.",
                "a.b.example.com. TXT \"deep\"",
            ],
        )
    }

    fn ask(world: &World, server: &str, name: &str, rtype: RecordType) -> Outcome {
        world.outcome(&Request {
            server: server.parse().unwrap(),
            query: Query::new(Name::from_ascii(name).unwrap(), rtype),
            options: Default::default(),
        })
    }

    fn packet(outcome: &Outcome) -> Arc<Packet> {
        outcome.packet().expect("a reply")
    }

    #[test]
    fn answers_are_authoritative() {
        let outcome = ask(&world(), NS1, "www.example.com.", RecordType::A);
        let reply = packet(&outcome);
        assert!(reply.aa);
        assert_eq!(reply.rcode, Rcode::NOERROR);
        assert_eq!(reply.answer.len(), 1);
        assert_eq!(reply.question.len(), 1);
    }

    #[test]
    fn a_cname_is_followed_inside_the_zone() {
        let outcome = ask(&world(), NS1, "alias.example.com.", RecordType::A);
        let types: Vec<RecordType> = packet(&outcome)
            .answer
            .iter()
            .map(|r| r.record_type())
            .collect();
        assert_eq!(types, [RecordType::CNAME, RecordType::A]);
    }

    #[test]
    fn the_parent_refers_with_glue() {
        let outcome = ask(&world(), "198.51.100.2", "www.example.com.", RecordType::A);
        let reply = packet(&outcome);
        assert!(!reply.aa);
        assert_eq!(reply.classify(), Classification::Referral);
        assert_eq!(reply.additional.len(), 1);
        assert!(matches!(reply.additional[0].data, RData::A(_)));
    }

    #[test]
    fn the_parent_answers_ds_itself() {
        let outcome = ask(&world(), "198.51.100.2", ZONE, RecordType::DS);
        let reply = packet(&outcome);
        assert!(reply.aa);
        assert_eq!(reply.classify(), Classification::NoData);
    }

    #[test]
    fn missing_names_and_types_carry_the_soa() {
        let world = world();
        let outcome = ask(&world, NS1, "nope.example.com.", RecordType::A);
        assert_eq!(packet(&outcome).classify(), Classification::NxDomain);
        assert_eq!(packet(&outcome).authority.len(), 1);
        let outcome = ask(&world, NS1, "www.example.com.", RecordType::MX);
        assert_eq!(packet(&outcome).classify(), Classification::NoData);
        let outcome = ask(&world, NS1, "b.example.com.", RecordType::A);
        assert_eq!(
            packet(&outcome).classify(),
            Classification::NoData,
            "empty non-terminal"
        );
    }

    #[test]
    fn other_zones_are_refused() {
        let outcome = ask(&world(), NS1, "example.org.", RecordType::SOA);
        assert_eq!(packet(&outcome).rcode, Rcode::REFUSED);
        assert!(!packet(&outcome).aa);
    }

    #[test]
    fn behaviours_change_the_reply() {
        let silent = world().behave(NS1, Behaviour::Silent);
        assert!(matches!(
            ask(&silent, NS1, ZONE, RecordType::SOA),
            Outcome::Timeout { .. }
        ));
        let failing = world().behave(NS1, Behaviour::Rcode(Rcode::SERVFAIL));
        let outcome = ask(&failing, NS1, ZONE, RecordType::SOA);
        assert_eq!(packet(&outcome).rcode, Rcode::SERVFAIL);
        let not_auth = world().behave(NS1, Behaviour::NotAuthoritative);
        let outcome = ask(&not_auth, NS1, ZONE, RecordType::SOA);
        assert!(!packet(&outcome).aa);
        assert_eq!(packet(&outcome).answer.len(), 1);
        let dropping = world().behave(NS1, Behaviour::Drops(RecordType::SOA));
        let outcome = ask(&dropping, NS1, ZONE, RecordType::SOA);
        assert!(packet(&outcome).aa);
        assert!(packet(&outcome).answer.is_empty());
        let lame = world().behave(NS1, Behaviour::Lame);
        let outcome = ask(&lame, NS1, ZONE, RecordType::SOA);
        assert_eq!(packet(&outcome).rcode, Rcode::REFUSED);
    }

    #[test]
    fn edns_queries_get_an_opt_record() {
        let outcome = world().outcome(&Request {
            server: NS1.parse().unwrap(),
            query: Query::new(Name::from_ascii(ZONE).unwrap(), RecordType::SOA).with_dnssec(),
            options: Default::default(),
        });
        let opt = packet(&outcome).opt.clone().expect("an OPT record");
        assert!(opt.dnssec_ok);
    }

    #[test]
    fn a_transfer_starts_and_ends_with_the_soa() {
        let world = world();
        let zone = Name::from_ascii(ZONE).unwrap();
        let AxfrOutcome::Complete(records) = world.transfer(NS1.parse().unwrap(), &zone) else {
            panic!("a complete transfer");
        };
        assert_eq!(
            records.first().map(|r| r.record_type()),
            Some(RecordType::SOA)
        );
        assert_eq!(
            records.last().map(|r| r.record_type()),
            Some(RecordType::SOA)
        );
        let lame = world.behave(NS1, Behaviour::Lame);
        assert!(matches!(
            lame.transfer(NS1.parse().unwrap(), &zone),
            AxfrOutcome::Refused(_)
        ));
    }
}
