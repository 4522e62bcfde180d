//! An announced IP prefix as the AS-number databases write it:
//! `a.b.c.d/len` or an IPv6 address in any RFC 4291 form with `/len`.
//!
//! Host bits are cleared on reading, so two spellings of one prefix are
//! one value; it prints as messages want it (engine spec §3.3,
//! CONNECTIVITY04): `a.b.c.d/len`, IPv6 in RFC 5952 short form.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A network: its first address and its length in bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpPrefix {
    network: IpAddr,
    length: u8,
}

/// Why a prefix text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    /// No `/len` part.
    #[error("`{0}` has no `/length`")]
    NoLength(String),
    /// The part before `/` is not an address.
    #[error("`{0}` is not an IP address")]
    Address(String),
    /// The length is not a number or too long for the family.
    #[error("`{0}` is not a prefix length for this address")]
    Length(String),
}

impl IpPrefix {
    /// The prefix of `length` bits holding `address`.
    ///
    /// # Errors
    ///
    /// When `length` exceeds the family's bits (32 or 128).
    pub fn new(address: IpAddr, length: u8) -> Result<Self, PrefixError> {
        let network = match address {
            IpAddr::V4(v4) if length <= 32 => {
                let mask = u32::MAX.checked_shl(32 - u32::from(length)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
            }
            IpAddr::V6(v6) if length <= 128 => {
                let mask = u128::MAX.checked_shl(128 - u32::from(length)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
            }
            _ => return Err(PrefixError::Length(length.to_string())),
        };
        Ok(Self { network, length })
    }

    /// The first address.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// The length in bits.
    pub fn length(&self) -> u8 {
        self.length
    }

    /// True when `address` lies in this prefix (never across families).
    pub fn contains(&self, address: IpAddr) -> bool {
        Self::new(address, self.length).is_ok_and(|other| other.network == self.network)
    }
}

impl FromStr for IpPrefix {
    type Err = PrefixError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, length) = text
            .split_once('/')
            .ok_or_else(|| PrefixError::NoLength(text.to_owned()))?;
        let address: IpAddr = address
            .parse()
            .map_err(|_| PrefixError::Address(address.to_owned()))?;
        let is_digits = !length.is_empty() && length.bytes().all(|b| b.is_ascii_digit());
        let length: u8 = length
            .parse()
            .ok()
            .filter(|_| is_digits)
            .ok_or_else(|| PrefixError::Length(length.to_owned()))?;
        Self::new(address, length)
    }
}

impl fmt::Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(text: &str) -> IpPrefix {
        text.parse().unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ipv4_prefixes_read_and_print_as_written() {
        assert_eq!(prefix("127.100.113.0/24").to_string(), "127.100.113.0/24");
        assert_eq!(prefix(" 192.0.2.0/32 ").to_string(), "192.0.2.0/32");
        assert_eq!(prefix("0.0.0.0/0").to_string(), "0.0.0.0/0");
    }

    #[test]
    fn host_bits_are_cleared() {
        assert_eq!(prefix("192.0.2.77/24").to_string(), "192.0.2.0/24");
        assert_eq!(prefix("192.0.2.77/24"), prefix("192.0.2.0/24"));
        assert_eq!(prefix("2001:db8::1:2/112").to_string(), "2001:db8::1:0/112");
    }

    #[test]
    fn ipv6_prints_in_short_form() {
        assert_eq!(
            prefix("fda1:b2:c3:0:127:100:116:0/112").to_string(),
            "fda1:b2:c3:0:127:100:116:0/112"
        );
        assert_eq!(
            prefix("FDA1:00B2:00C3:0000:0127:0100:0000:0000/96").to_string(),
            "fda1:b2:c3:0:127:100::/96"
        );
        assert_eq!(prefix("2001:db8::/32").to_string(), "2001:db8::/32");
        assert_eq!(prefix("::/0").to_string(), "::/0");
    }

    #[test]
    fn containment_follows_the_length() {
        let net = prefix("127.100.0.0/16");
        assert!(net.contains(ip("127.100.121.1")));
        assert!(!net.contains(ip("127.101.0.1")));
        assert!(prefix("0.0.0.0/0").contains(ip("203.0.113.9")));
        assert!(prefix("192.0.2.1/32").contains(ip("192.0.2.1")));
        assert!(!prefix("192.0.2.1/32").contains(ip("192.0.2.2")));
        let v6 = prefix("fda1:b2:c3:0:127:100::/96");
        assert!(v6.contains(ip("fda1:b2:c3:0:127:100:121:1")));
        assert!(!v6.contains(ip("fda1:b2:c3:0:127:101:121:1")));
    }

    #[test]
    fn families_never_contain_each_other() {
        assert!(!prefix("0.0.0.0/0").contains(ip("::1")));
        assert!(!prefix("::/0").contains(ip("127.0.0.1")));
        assert!(!prefix("::/96").contains(ip("0.0.0.1")));
    }

    #[test]
    fn bad_prefixes_are_errors_not_panics() {
        for (text, error) in [
            ("192.0.2.0", PrefixError::NoLength("192.0.2.0".into())),
            ("192.0.2/24", PrefixError::Address("192.0.2".into())),
            ("192.0.2.0/33", PrefixError::Length("33".into())),
            ("2001:db8::/129", PrefixError::Length("129".into())),
            ("192.0.2.0/", PrefixError::Length(String::new())),
            ("192.0.2.0/+8", PrefixError::Length("+8".into())),
            ("192.0.2.0/999", PrefixError::Length("999".into())),
            ("/24", PrefixError::Address(String::new())),
            ("NA", PrefixError::NoLength("NA".into())),
        ] {
            assert_eq!(text.parse::<IpPrefix>(), Err(error), "{text}");
        }
    }
}
