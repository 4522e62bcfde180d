//! Undelegated data as users type it: `--ns NAME[/IP]` and
//! `--ds KEYTAG,ALGORITHM,DIGTYPE,DIGEST` (the zonemaster-cli syntax).

use std::net::IpAddr;

use hickory_proto::rr::Name;

use super::name::{NameError, parse_domain};
use super::undelegated::{DsData, FakeDelegation};

/// Why a `--ns` or `--ds` value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UndelegatedInputError {
    /// The name part is not a valid domain name.
    /// (The reason is in the message, not a source: a chain printer would
    /// say it twice.)
    #[error("invalid name server name in `{input}`: {reason}")]
    Name {
        /// The whole value.
        input: String,
        /// Why the name is bad.
        reason: NameError,
    },
    /// The part after `/` is not an IP address.
    #[error("invalid IP address `{address}` in `{input}`")]
    Address {
        /// The whole value.
        input: String,
        /// The bad part.
        address: String,
    },
    /// A DS value does not have four comma-separated fields.
    #[error("`{0}` is not KEYTAG,ALGORITHM,DIGTYPE,DIGEST")]
    DsShape(String),
    /// A DS number is out of range.
    #[error("invalid {field} `{value}` in DS `{input}` (expected 0..={max})")]
    DsNumber {
        /// The whole value.
        input: String,
        /// Which field.
        field: &'static str,
        /// The bad part.
        value: String,
        /// Its maximum.
        max: u32,
    },
    /// The digest is not an even number of hexadecimal digits.
    #[error("invalid digest `{digest}` in DS `{input}` (expected hexadecimal)")]
    DsDigest {
        /// The whole value.
        input: String,
        /// The bad part.
        digest: String,
    },
}

/// Splits `NAME`, `NAME/IP` or the older `NAME:IP` into name and address
/// text, the one rule every command uses. Names may hold `/` themselves
/// (RFC 2317: `ns1.0/25.2.0.192.in-addr.arpa`), so the address is what
/// follows the last `/` when that looks like an address (hex digits, dots
/// and colons, with a dot or a colon); names never hold `:`.
pub fn split_name_server(input: &str) -> (&str, Option<&str>) {
    let looks_like_address = |text: &str| {
        text.contains(['.', ':'])
            && text
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':'))
    };
    if let Some((name, address)) = input.rsplit_once('/')
        && looks_like_address(address.trim())
    {
        return (name, Some(address));
    }
    match input.split_once(':') {
        Some((name, address)) => (name, Some(address)),
        None => (input, None),
    }
}

/// Parses `NAME`, `NAME/IP` (or `NAME:IP`) into the name and its address.
pub fn parse_ns(input: &str) -> Result<(Name, Option<IpAddr>), UndelegatedInputError> {
    let (name_text, address_text) = split_name_server(input);
    let name = parse_domain(name_text).map_err(|reason| UndelegatedInputError::Name {
        input: input.to_owned(),
        reason,
    })?;
    let address = match address_text {
        None => None,
        Some(text) => {
            Some(
                text.trim()
                    .parse::<IpAddr>()
                    .map_err(|_| UndelegatedInputError::Address {
                        input: input.to_owned(),
                        address: text.to_owned(),
                    })?,
            )
        }
    };
    Ok((name, address))
}

/// Parses `NAME`, `NAME/IP` (or `NAME:IP`) and adds it to `fake`.
pub fn add_ns(fake: &mut FakeDelegation, input: &str) -> Result<(), UndelegatedInputError> {
    let (name, address) = parse_ns(input)?;
    fake.add_ns(name, address);
    Ok(())
}

/// Parses `KEYTAG,ALGORITHM,DIGTYPE,DIGEST`.
pub fn parse_ds(input: &str) -> Result<DsData, UndelegatedInputError> {
    let fields: Vec<&str> = input.split(',').map(str::trim).collect();
    let [keytag, algorithm, digtype, digest] = fields.as_slice() else {
        return Err(UndelegatedInputError::DsShape(input.to_owned()));
    };
    let number =
        |field: &'static str, value: &str, max: u32| -> Result<u32, UndelegatedInputError> {
            value
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| UndelegatedInputError::DsNumber {
                    input: input.to_owned(),
                    field,
                    value: value.to_owned(),
                    max,
                })
        };
    let keytag = number("key tag", keytag, 65_535)?;
    let algorithm = number("algorithm", algorithm, 255)?;
    let digtype = number("digest type", digtype, 255)?;
    let is_hex = !digest.is_empty()
        && digest.len().is_multiple_of(2)
        && digest.chars().all(|c| c.is_ascii_hexdigit());
    if !is_hex {
        return Err(UndelegatedInputError::DsDigest {
            input: input.to_owned(),
            digest: (*digest).to_owned(),
        });
    }
    Ok(DsData {
        keytag: u64::from(keytag),
        algorithm: u64::from(algorithm),
        digtype: u64::from(digtype),
        digest: digest.to_ascii_lowercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ns_with_and_without_addresses_merge_by_name() {
        let mut fake = FakeDelegation::default();
        add_ns(&mut fake, "NS1.Example.se/192.0.2.1").unwrap();
        add_ns(&mut fake, "ns1.example.se/2001:db8::1").unwrap();
        add_ns(&mut fake, "ns2.other.se").unwrap();
        assert_eq!(fake.ns.len(), 2);
        assert_eq!(fake.ns[0].addresses.len(), 2);
        assert!(fake.ns[1].addresses.is_empty());
        assert!(fake.is_undelegated());
    }

    /// Issue 8 (4/13), point 6: one syntax for `check --ns` and
    /// `start-test --nameserver`, RFC 2317 names included.
    #[test]
    fn name_server_values_split_at_an_address() {
        let split = split_name_server;
        assert_eq!(split("ns1.se/192.0.2.1"), ("ns1.se", Some("192.0.2.1")));
        assert_eq!(split("ns1.se/2001:db8::1"), ("ns1.se", Some("2001:db8::1")));
        assert_eq!(split("ns1.se:2001:db8::1"), ("ns1.se", Some("2001:db8::1")));
        assert_eq!(split("ns1.se"), ("ns1.se", None));
        let classless = "ns1.0/25.2.0.192.in-addr.arpa";
        assert_eq!(split(classless), (classless, None));
        assert_eq!(
            split("ns1.0/25.2.0.192.in-addr.arpa/192.0.2.1"),
            (classless, Some("192.0.2.1"))
        );
        assert_eq!(split("ns1.se/300.1.1.1"), ("ns1.se", Some("300.1.1.1")));
    }

    #[test]
    fn bad_ns_values_are_named() {
        let mut fake = FakeDelegation::default();
        assert!(matches!(
            add_ns(&mut fake, "a..b/192.0.2.1"),
            Err(UndelegatedInputError::Name { .. })
        ));
        assert!(matches!(
            add_ns(&mut fake, "ns1.se/300.1.1.1"),
            Err(UndelegatedInputError::Address { .. })
        ));
    }

    #[test]
    fn ds_values_are_checked_field_by_field() {
        let ds = parse_ds("12345,13,2,ABCDEF01").unwrap();
        assert_eq!((ds.keytag, ds.algorithm, ds.digtype), (12345, 13, 2));
        assert_eq!(ds.digest, "abcdef01");
        assert!(matches!(
            parse_ds("1,2,3"),
            Err(UndelegatedInputError::DsShape(_))
        ));
        assert!(matches!(
            parse_ds("70000,13,2,ab"),
            Err(UndelegatedInputError::DsNumber { .. })
        ));
        assert!(matches!(
            parse_ds("1,13,2,xyz"),
            Err(UndelegatedInputError::DsDigest { .. })
        ));
        assert!(matches!(
            parse_ds("1,13,2,abc"),
            Err(UndelegatedInputError::DsDigest { .. })
        ));
    }
}
