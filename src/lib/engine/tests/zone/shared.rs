//! What several Zone test cases share (engine spec §3.9): the SOA that
//! ZONE02–ZONE07 judge, the zones that are not mail domains, and servers
//! taken once per address.

use hickory_proto::rr::rdata::SOA;

use crate::engine::tests::prelude::*;

/// The SOA of the first child server (Method5, in order) that answers
/// the zone's SOA query with AA set and an SOA in the answer section: the
/// one record ZONE02–ZONE07 judge. Every server is asked at once; the
/// choice is the same as asking them in turn, and the queries are shared
/// with the other test cases through the run's cache.
pub async fn authoritative_soa(ctx: &Context, report: &mut Report) -> Option<SOA> {
    let servers = ctx.zone_v1.child_servers().await;
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, servers, &query).await;
    asked
        .replies()
        .filter(|(_, packet)| packet.aa)
        .find_map(|(_, packet)| {
            packet
                .answers_of(RecordType::SOA)
                .find_map(|record| match &record.data {
                    RData::SOA(soa) => Some(soa.clone()),
                    _ => None,
                })
        })
}

/// The records of `rtype` owned by `owner` in any section of `packet`,
/// as the reference's record look-ups read a reply.
pub fn records_anywhere<'a>(
    packet: &'a Packet,
    owner: &'a Name,
    rtype: RecordType,
) -> impl Iterator<Item = &'a Record> + 'a {
    [&packet.answer, &packet.authority, &packet.additional]
        .into_iter()
        .flat_map(move |section| Packet::records(section, owner, rtype))
}

/// True for zones that receive no mail by nature: the root, a TLD, or a
/// zone under `.arpa` (ZONE09, ZONE11).
pub fn is_non_mail_domain(zone: &Name) -> bool {
    zone.num_labels() <= 1 || is_under_arpa(zone)
}

/// True for a name strictly below `arpa.`.
fn is_under_arpa(zone: &Name) -> bool {
    zone.num_labels() > 1
        && zone
            .iter()
            .next_back()
            .is_some_and(|label| label.eq_ignore_ascii_case(b"arpa"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    #[test]
    fn non_mail_domains() {
        assert!(is_non_mail_domain(&Name::root()));
        assert!(is_non_mail_domain(&name("se.")));
        assert!(is_non_mail_domain(&name("arpa.")));
        assert!(is_non_mail_domain(&name("in-addr.arpa.")));
        assert!(is_non_mail_domain(&name("2.0.192.IN-ADDR.ARPA.")));
        assert!(!is_non_mail_domain(&name("example.se.")));
        assert!(!is_non_mail_domain(&name("arpa.example.")));
        assert!(!is_non_mail_domain(&name("myarpa.se.")));
    }

    #[test]
    fn addresses_are_listed_once_in_order() {
        let a: IpAddr = "192.0.2.2".parse().unwrap();
        let b: IpAddr = "192.0.2.10".parse().unwrap();
        let c: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(
            ns_ip_list([&c, &b, &a, &b]),
            "192.0.2.10;192.0.2.2;2001:db8::1"
        );
    }
}
