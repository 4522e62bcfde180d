//! The RIPE style of AS-number look-up (engine spec §1.12): a WHOIS
//! question `-F -M <ip>` to the source on TCP port 43, whose first line
//! that is neither empty nor a `%` comment reads `ASN[/ASN…] prefix …`.
//!
//! Here: the question and the reading of the reply. Asking is in
//! [`super::lookups`].

use std::net::IpAddr;

use super::prefix::IpPrefix;
use super::{AsnInfo, AsnOutcome};

/// The WHOIS question for `address` (RIS: flat output, most specific).
pub fn question(address: IpAddr) -> String {
    format!("-F -M {address}")
}

/// What a WHOIS reply says: no data line is the empty set; a data line
/// that cannot be read means the database is wrong.
pub fn judge_reply(reply: &str) -> AsnOutcome {
    let Some(line) = reply
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('%'))
    else {
        return AsnOutcome::Empty;
    };
    parse_line(line).map_or(AsnOutcome::DatabaseError, AsnOutcome::Found)
}

/// `ASN[/ASN…] prefix …`, fields separated by white space.
fn parse_line(line: &str) -> Option<AsnInfo> {
    let mut fields = line.split_whitespace();
    let asns = super::parse_asns(fields.next()?.split('/'))?;
    let prefix: IpPrefix = fields.next()?.parse().ok()?;
    Some(AsnInfo {
        asns,
        prefix,
        raw: line.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_names_the_address_in_short_form() {
        assert_eq!(question("192.0.2.1".parse().unwrap()), "-F -M 192.0.2.1");
        assert_eq!(
            question("2001:0db8:0:0::1".parse().unwrap()),
            "-F -M 2001:db8::1"
        );
    }

    #[test]
    fn the_first_data_line_is_read() {
        let reply = "% This is RIPE NCC's Routing Information Service\n\
                     % whois gateway to collected BGP Routing Tables\n\
                     \n\
                     3333\t193.0.0.0/21\t1234\n\
                     1111\t193.0.0.0/16\t99\n";
        let AsnOutcome::Found(info) = judge_reply(reply) else {
            panic!("AS data expected");
        };
        assert_eq!(info.asns, [3333]);
        assert_eq!(info.prefix.to_string(), "193.0.0.0/21");
        assert_eq!(info.raw, "3333\t193.0.0.0/21\t1234");
    }

    #[test]
    fn several_asns_are_slash_separated() {
        let AsnOutcome::Found(info) = judge_reply("64500/64501 2001:db8::/32 x\r\n") else {
            panic!("AS data expected");
        };
        assert_eq!(info.asns, [64500, 64501]);
        assert_eq!(info.prefix.to_string(), "2001:db8::/32");
    }

    #[test]
    fn comments_only_is_the_empty_set() {
        assert_eq!(judge_reply("% No entries found\n\n"), AsnOutcome::Empty);
        assert_eq!(judge_reply(""), AsnOutcome::Empty);
        assert_eq!(judge_reply("\r\n  \n"), AsnOutcome::Empty);
    }

    #[test]
    fn an_unreadable_data_line_is_a_database_error() {
        for reply in [
            "ERROR: unknown flag\n",
            "64500\n",
            "64500 not-a-prefix\n",
            "64500/ 192.0.2.0/24\n",
            "AS64500 192.0.2.0/24\n",
        ] {
            assert_eq!(judge_reply(reply), AsnOutcome::DatabaseError, "{reply}");
        }
    }
}
