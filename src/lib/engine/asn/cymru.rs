//! The Cymru style of AS-number look-up (engine spec §1.12): the TXT
//! record of the reversed address under `origin.<source>` (IPv4) or
//! `origin6.<source>` (IPv6), holding `ASN [ASN…] | prefix | CC |
//! registry | date`.
//!
//! Here: the question's name and the reading of the TXT strings. Asking
//! (through the run's recursor) is in [`super::lookups`].

use std::fmt::Write as _;
use std::net::IpAddr;

use hickory_proto::ProtoError;
use hickory_proto::rr::{Name, RData, Record};

use super::prefix::IpPrefix;
use super::{AsnInfo, AsnOutcome};

/// The name to ask TXT for: `4.3.2.1.origin.<source>` for 1.2.3.4, the
/// 32 nibbles of an IPv6 address reversed under `origin6.<source>`.
///
/// # Errors
///
/// When `source` with the prefix is not a valid name (too long).
pub fn query_name(address: IpAddr, source: &Name) -> Result<Name, ProtoError> {
    let mut text = String::with_capacity(80);
    match address {
        IpAddr::V4(v4) => {
            for octet in v4.octets().iter().rev() {
                let _ = write!(text, "{octet}.");
            }
            text.push_str("origin");
        }
        IpAddr::V6(v6) => {
            for octet in v6.octets().iter().rev() {
                let _ = write!(text, "{:x}.{:x}.", octet & 0x0f, octet >> 4);
            }
            text.push_str("origin6");
        }
    }
    Name::from_ascii(&text)?.append_domain(source)
}

/// The text of a TXT record: its character-strings one after the other.
pub fn txt_text(record: &Record) -> Option<String> {
    match &record.data {
        RData::TXT(txt) => Some(
            txt.txt_data
                .iter()
                .map(|part| String::from_utf8_lossy(part))
                .collect(),
        ),
        _ => None,
    }
}

/// What a NOERROR reply's TXT strings say about `address`: strings
/// without `|` are not AS data and are passed over; none left is the
/// empty set. Of the rest the longest prefix wins (the first of equals);
/// a string that cannot be read, or any prefix that does not hold
/// `address`, means the database is wrong.
pub fn judge_txt<'a>(address: IpAddr, strings: impl IntoIterator<Item = &'a str>) -> AsnOutcome {
    let mut best: Option<AsnInfo> = None;
    for text in strings.into_iter().filter(|text| text.contains('|')) {
        let Some(entry) = parse_entry(text) else {
            return AsnOutcome::DatabaseError;
        };
        if !entry.prefix.contains(address) {
            return AsnOutcome::DatabaseError;
        }
        if best
            .as_ref()
            .is_none_or(|held| entry.prefix.length() > held.prefix.length())
        {
            best = Some(entry);
        }
    }
    best.map_or(AsnOutcome::Empty, AsnOutcome::Found)
}

/// `ASN [ASN…] | prefix | …`: at least one AS number and a prefix.
fn parse_entry(text: &str) -> Option<AsnInfo> {
    let mut fields = text.split('|').map(str::trim);
    let asns = super::parse_asns(fields.next()?.split_whitespace())?;
    let prefix: IpPrefix = fields.next()?.parse().ok()?;
    Some(AsnInfo {
        asns,
        prefix,
        raw: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn source() -> Name {
        Name::from_ascii("asnlookup.zonemaster.net.").unwrap()
    }

    #[test]
    fn ipv4_octets_are_reversed_under_origin() {
        let name = query_name(ip("127.100.113.1"), &source()).unwrap();
        assert_eq!(
            name.to_ascii(),
            "1.113.100.127.origin.asnlookup.zonemaster.net."
        );
    }

    #[test]
    fn ipv6_nibbles_are_reversed_under_origin6() {
        let name = query_name(ip("fda1:b2:c3:0:127:100:110:1"), &source()).unwrap();
        assert_eq!(
            name.to_ascii(),
            "1.0.0.0.0.1.1.0.0.0.1.0.7.2.1.0.0.0.0.0.3.c.0.0.2.b.0.0.1.a.d.f.origin6.asnlookup.zonemaster.net."
        );
        let name = query_name(ip("::1"), &Name::from_ascii("x.").unwrap()).unwrap();
        assert_eq!(name.num_labels(), 34);
    }

    #[test]
    fn a_source_too_long_for_a_name_is_an_error() {
        let long = format!("{}.", vec!["a".repeat(63); 3].join("."));
        let source = Name::from_ascii(&long).unwrap();
        assert!(query_name(ip("::1"), &source).is_err());
    }

    fn found(outcome: AsnOutcome) -> AsnInfo {
        match outcome {
            AsnOutcome::Found(info) => info,
            other => panic!("expected AS data, got {other:?}"),
        }
    }

    #[test]
    fn one_entry_gives_its_asns_prefix_and_text() {
        let text = "64512 | 127.100.100.0/24 | NA | NA | NA";
        let info = found(judge_txt(ip("127.100.100.1"), [text]));
        assert_eq!(info.asns, [64512]);
        assert_eq!(info.prefix.to_string(), "127.100.100.0/24");
        assert_eq!(info.raw, text);
    }

    #[test]
    fn several_asns_are_read_in_order() {
        let info = found(judge_txt(
            ip("192.0.2.1"),
            ["64501 64500  3 | 192.0.2.0/24 | SE | ripencc | 2001-01-01"],
        ));
        assert_eq!(info.asns, [64501, 64500, 3]);
    }

    #[test]
    fn the_longest_prefix_wins_whatever_the_order() {
        let wide = "64512 | 127.100.0.0/16 | NA | NA | NA";
        let narrow = "64513 | 127.100.121.0/24 | NA | NA | NA";
        for order in [[wide, narrow], [narrow, wide]] {
            let info = found(judge_txt(ip("127.100.121.1"), order));
            assert_eq!(info.prefix.to_string(), "127.100.121.0/24");
            assert_eq!(info.asns, [64513]);
        }
        let first = "1 | 192.0.2.0/24 | A";
        let second = "2 | 192.0.2.0/24 | B";
        assert_eq!(
            found(judge_txt(ip("192.0.2.9"), [first, second])).raw,
            first
        );
    }

    #[test]
    fn text_without_bars_is_not_as_data() {
        let data = "64512 | 127.100.106.0/24 | NA | NA | NA";
        let info = found(judge_txt(
            ip("127.100.106.1"),
            ["This is not ASN data", data],
        ));
        assert_eq!(info.raw, data);
        assert_eq!(
            judge_txt(ip("127.100.109.1"), ["This is not ASN data"]),
            AsnOutcome::Empty
        );
        assert_eq!(judge_txt(ip("127.100.109.1"), []), AsnOutcome::Empty);
    }

    #[test]
    fn a_prefix_not_holding_the_address_is_a_database_error() {
        let good = "64512 | 127.100.125.0/24 | NA | NA | NA";
        let wrong = "64512 | 127.100.255.0/24 | NA | NA | NA";
        assert_eq!(
            judge_txt(ip("127.100.125.1"), [good, wrong]),
            AsnOutcome::DatabaseError
        );
        assert_eq!(
            judge_txt(ip("127.100.126.1"), [wrong]),
            AsnOutcome::DatabaseError
        );
        let other_family = "64513 | fda1:b2:c3::/48 | NA | NA | NA";
        assert_eq!(
            judge_txt(ip("127.100.126.1"), [other_family]),
            AsnOutcome::DatabaseError
        );
    }

    #[test]
    fn unreadable_as_data_is_a_database_error() {
        for text in [
            "| 192.0.2.0/24 | NA",
            "AS64512 | 192.0.2.0/24 | NA",
            "64512 | NA | NA",
            "64512 |",
            "99999999999 | 192.0.2.0/24",
        ] {
            assert_eq!(
                judge_txt(ip("192.0.2.1"), [text]),
                AsnOutcome::DatabaseError,
                "{text}"
            );
        }
    }

    #[test]
    fn ipv6_entries_use_the_short_form() {
        let info = found(judge_txt(
            ip("fda1:b2:c3:0:127:100:121:1"),
            [
                "64513 | fda1:b2:c3:0:127:100:121::/112 | NA | NA | NA",
                "64513 | fda1:b2:c3:0:127:100::/96 | NA | NA | NA",
            ],
        ));
        assert_eq!(info.prefix.to_string(), "fda1:b2:c3:0:127:100:121:0/112");
    }
}
