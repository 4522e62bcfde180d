//! Zone-file-like lines for scripted worlds: `owner [ttl] [class] type rdata`.
//!
//! Deliberately smaller than RFC 1035 §5: one record per line, absolute
//! owner names (no `$ORIGIN`, no `@`, no relative names), no parentheses
//! across lines. That keeps a test's data readable on its own line and
//! leaves no defaults to guess. The rdata is parsed by hickory, so any type
//! its text parser knows works (SOA, NS, A, AAAA, CNAME, MX, TXT, DS, PTR,
//! SRV, CAA …); names inside rdata must be absolute too.

use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

/// The TTL of a line that gives none.
pub const DEFAULT_TTL: u32 = 3600;

/// Why a line of zone text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneTextError {
    /// The owner is missing or not an absolute name.
    #[error("`{line}`: the owner must be an absolute name ending in `.`")]
    Owner {
        /// The line.
        line: String,
    },
    /// No record type after the owner, TTL and class.
    #[error("`{line}`: no record type")]
    MissingType {
        /// The line.
        line: String,
    },
    /// The type is not one hickory knows by name.
    #[error("`{line}`: unknown record type `{rtype}`")]
    UnknownType {
        /// The line.
        line: String,
        /// The word in the type's place.
        rtype: String,
    },
    /// hickory could not read the rdata.
    #[error("`{line}`: {reason}")]
    Rdata {
        /// The line.
        line: String,
        /// What hickory said.
        reason: String,
    },
}

/// Parses one line into a record.
pub fn parse_record(line: &str) -> Result<Record, ZoneTextError> {
    let owned = || line.to_owned();
    let (owner, mut rest) = split_word(line.trim());
    if !owner.ends_with('.') {
        return Err(ZoneTextError::Owner { line: owned() });
    }
    let name = Name::from_ascii(owner).map_err(|_| ZoneTextError::Owner { line: owned() })?;
    let mut ttl = DEFAULT_TTL;
    let mut class = DNSClass::IN;
    let rtype = loop {
        let (word, after) = split_word(rest);
        rest = after;
        if word.is_empty() {
            return Err(ZoneTextError::MissingType { line: owned() });
        }
        if let Ok(number) = word.parse::<u32>() {
            ttl = number;
        } else if let Some(named) = class_of(word) {
            class = named;
        } else {
            break word
                .to_ascii_uppercase()
                .parse::<RecordType>()
                .map_err(|_| ZoneTextError::UnknownType {
                    line: owned(),
                    rtype: word.to_owned(),
                })?;
        }
    };
    let rdata = RData::try_from_str(rtype, rest).map_err(|error| ZoneTextError::Rdata {
        line: owned(),
        reason: error.to_string(),
    })?;
    let mut record = Record::from_rdata(name, ttl, rdata);
    record.dns_class = class;
    Ok(record)
}

/// Parses every line, or says which one is wrong.
pub fn parse_records(lines: &[impl AsRef<str>]) -> Result<Vec<Record>, ZoneTextError> {
    lines
        .iter()
        .map(|line| parse_record(line.as_ref()))
        .collect()
}

/// The first whitespace-separated word and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], text[end..].trim_start()),
        None => (text, ""),
    }
}

/// The classes a test may write; anything else is read as a type.
fn class_of(word: &str) -> Option<DNSClass> {
    match word.to_ascii_uppercase().as_str() {
        "IN" => Some(DNSClass::IN),
        "CH" => Some(DNSClass::CH),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_and_class_are_optional() {
        let short = parse_record("example. NS ns1.example.").unwrap();
        assert_eq!(short.ttl, DEFAULT_TTL);
        assert_eq!(short.record_type(), RecordType::NS);
        let long = parse_record("example. 300 IN A 192.0.2.1").unwrap();
        assert_eq!(long.ttl, 300);
        assert_eq!(long.dns_class, DNSClass::IN);
    }

    #[test]
    fn the_record_types_tests_need_parse() {
        for line in [
            "example. SOA ns1.example. admin.example. 1 3600 900 604800 300",
            "example. MX 10 mail.example.",
            "example. TXT \"v=spf1 -all\"",
            "example. DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "www.example. CNAME example.",
            "1.2.0.192.in-addr.arpa. PTR ns1.example.",
            "ns1.example. AAAA 2001:db8::1",
        ] {
            parse_record(line).unwrap_or_else(|error| panic!("{error}"));
        }
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        assert!(matches!(
            parse_record("example NS ns1.example."),
            Err(ZoneTextError::Owner { .. })
        ));
        assert!(matches!(
            parse_record("example. 60 IN"),
            Err(ZoneTextError::MissingType { .. })
        ));
        assert!(matches!(
            parse_record("example. BOGUS x"),
            Err(ZoneTextError::UnknownType { .. })
        ));
        assert!(matches!(
            parse_record("example. A 300.0.0.1"),
            Err(ZoneTextError::Rdata { .. })
        ));
    }
}
