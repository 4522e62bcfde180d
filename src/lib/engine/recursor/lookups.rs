//! Look-ups built on resolution: the addresses of a name and the parent
//! zone of a name (spec §1.8, `addresses_for` and `parent`).

use std::net::IpAddr;

use crate::dns::chain::join;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::iterative::Recursor;
use super::servers::address_of;
use crate::dns::{Classification, Packet, Query};

impl Recursor {
    /// The addresses of `name`: A (none at all on NXDOMAIN) and AAAA,
    /// keeping records owned by the name or by the direct target of its
    /// CNAME.
    ///
    /// The reference asks AAAA only after A; both are resolved at once
    /// here, which halves the wait, and the AAAA reply is ignored when A
    /// says NXDOMAIN, so the addresses are the reference's (only that one
    /// extra question is sent for a name that does not exist).
    ///
    /// As in the reference, an out-of-zone CNAME (whose reply is the
    /// target's, without the CNAME) yields no addresses.
    pub async fn addresses_for(&self, name: &Name) -> Vec<IpAddr> {
        let (a, aaaa) = join(
            self.recurse(name, RecordType::A),
            self.recurse(name, RecordType::AAAA),
        )
        .await;
        if a.packet()
            .is_some_and(|p| p.classify() == Classification::NxDomain)
        {
            return Vec::new();
        }
        addresses_in(name, a.packet(), aaaa.packet())
    }

    /// The parent zone of `name` (the root for the root).
    ///
    /// Read from the trace of the SOA resolution: the zone of the latest
    /// referral, or of the one before when the latest pointed at `name`
    /// itself. When that is not the immediate superdomain, the server of
    /// the latest referral is asked for the superdomain's SOA, and an SOA
    /// answer settles it.
    pub async fn parent(&self, name: &Name) -> Name {
        if name.is_root() {
            return Name::root();
        }
        let resolution = self.recurse(name, RecordType::SOA).await;
        let trace = &resolution.trace;
        let mut zones = trace.iter().rev().map(|referral| &referral.zone);
        let mut parent = match zones.next() {
            Some(latest) if latest == name => zones.next().cloned().unwrap_or_else(Name::root),
            Some(latest) => latest.clone(),
            None => Name::root(),
        };
        let superdomain = name.base_name();
        if parent != superdomain
            && let Some(latest) = resolution.latest_referral()
        {
            let query = Query::new(superdomain, RecordType::SOA);
            let outcome = self.client().query(latest.address, &query).await;
            if let Some(owner) = outcome.packet().and_then(|packet| first_soa_owner(&packet)) {
                parent = owner;
            }
        }
        parent.to_lowercase()
    }
}

/// Addresses in the replies to A and AAAA for `name`: records anywhere in
/// the reply owned by `name` or by the direct target of a CNAME of `name`;
/// sorted, without duplicates.
pub fn addresses_in(name: &Name, a: Option<&Packet>, aaaa: Option<&Packet>) -> Vec<IpAddr> {
    let mut addresses = Vec::new();
    for (packet, rtype) in [(a, RecordType::A), (aaaa, RecordType::AAAA)] {
        let Some(packet) = packet else { continue };
        let records: Vec<&Record> = all_records(packet).collect();
        let targets: Vec<&Name> = records
            .iter()
            .filter(|record| record.name.eq_ignore_root(name))
            .filter_map(|record| match &record.data {
                RData::CNAME(cname) => Some(&cname.0),
                _ => None,
            })
            .collect();
        addresses.extend(
            records
                .iter()
                .filter(|record| record.record_type() == rtype)
                .filter(|record| {
                    record.name.eq_ignore_root(name)
                        || targets
                            .iter()
                            .any(|target| target.eq_ignore_root(&record.name))
                })
                .filter_map(|record| address_of(record)),
        );
    }
    addresses.sort();
    addresses.dedup();
    addresses
}

/// Every record of the three sections.
fn all_records(packet: &Packet) -> impl Iterator<Item = &Record> {
    packet
        .answer
        .iter()
        .chain(&packet.authority)
        .chain(&packet.additional)
}

/// The owner of the first SOA record of the answer section.
fn first_soa_owner(packet: &Packet) -> Option<Name> {
    packet
        .answers_of(RecordType::SOA)
        .next()
        .map(|record| record.name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{A, AAAA, CNAME};

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn reply(answer: Vec<Record>, additional: Vec<Record>) -> Packet {
        let mut packet = Packet::decode(&[0, 1, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        packet.answer = answer;
        packet.additional = additional;
        packet
    }

    fn a(owner: &str, address: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::A(A(address.parse().unwrap())))
    }

    #[test]
    fn keeps_the_name_and_its_cname_target_only() {
        let ns = name("ns.test.");
        let cname = Record::from_rdata(ns.clone(), 60, RData::CNAME(CNAME(name("host.test."))));
        let a_reply = reply(
            vec![
                cname,
                a("host.test.", "192.0.2.2"),
                a("ns.test.", "192.0.2.1"),
            ],
            vec![a("stranger.test.", "192.0.2.9")],
        );
        let aaaa = Record::from_rdata(
            ns.clone(),
            60,
            RData::AAAA(AAAA("2001:db8::1".parse().unwrap())),
        );
        let aaaa_reply = reply(vec![aaaa], vec![a("ns.test.", "192.0.2.3")]);
        let found = addresses_in(&ns, Some(&a_reply), Some(&aaaa_reply));
        let expected: Vec<IpAddr> = ["192.0.2.1", "192.0.2.2", "2001:db8::1"]
            .iter()
            .map(|text| text.parse().unwrap())
            .collect();
        assert_eq!(found, expected, "A from the AAAA reply is not taken");
    }

    #[test]
    fn no_replies_no_addresses() {
        assert!(addresses_in(&name("x.test."), None, None).is_empty());
    }
}
