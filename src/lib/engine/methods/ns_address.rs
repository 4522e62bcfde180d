//! A name server as the MethodsV2 helpers report it: a name, with or
//! without one address.
//!
//! Zonemaster mixes two kinds of value in these lists: a server with an
//! address (`ns1.example/192.0.2.1`) and a bare name that could not be
//! given one (`ns1.example`). One type covers both so lists stay sortable
//! and printable the way messages print them (spec conventions: name
//! lower-case without final dot, IP in canonical short form).

use std::cmp::Ordering;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use hickory_proto::rr::Name;

use crate::engine::name::display;
use crate::engine::ns::Ns;

/// A name server name and, when known, one of its addresses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NsAddress {
    /// Lower-case, fully qualified.
    pub name: Name,
    /// The address; `None` for a bare name.
    pub address: Option<IpAddr>,
}

/// Why a `name/ip` text was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NsAddressError {
    /// The part before `/` is not a domain name.
    #[error("`{0}` is not a name server name")]
    Name(String),
    /// The part after `/` is not an IPv4 or IPv6 address.
    #[error("`{0}` is not an IP address")]
    Address(String),
}

impl NsAddress {
    /// A server with an address; the name is lower-cased.
    pub fn new(name: &Name, address: IpAddr) -> Self {
        Self {
            name: fqdn_lower(name),
            address: Some(address),
        }
    }

    /// A bare name; lower-cased.
    pub fn bare(name: &Name) -> Self {
        Self {
            name: fqdn_lower(name),
            address: None,
        }
    }

    /// The server to ask under this name, when it has an address.
    pub fn server(&self) -> Option<Ns> {
        Some(Ns {
            name: self.name.clone(),
            address: self.address?,
        })
    }
}

/// `name` lower-cased and fully qualified, so equal names compare equal.
fn fqdn_lower(name: &Name) -> Name {
    let mut lower = name.to_lowercase();
    lower.set_fqdn(true);
    lower
}

impl fmt::Display for NsAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.address {
            Some(address) => write!(f, "{}/{address}", display(&self.name)),
            None => f.write_str(&display(&self.name)),
        }
    }
}

impl FromStr for NsAddress {
    type Err = NsAddressError;

    /// Reads `name/ip` or a bare `name`; any IPv6 spelling is accepted.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name_text, address_text) = match text.split_once('/') {
            Some((name, address)) => (name, Some(address)),
            None => (text, None),
        };
        let name =
            Name::from_ascii(name_text).map_err(|_| NsAddressError::Name(name_text.to_owned()))?;
        match address_text {
            None => Ok(Self::bare(&name)),
            Some(address_text) => {
                let address = address_text
                    .parse()
                    .map_err(|_| NsAddressError::Address(address_text.to_owned()))?;
                Ok(Self::new(&name, address))
            }
        }
    }
}

impl Ord for NsAddress {
    /// By name as displayed, then bare before addresses, then by address.
    fn cmp(&self, other: &Self) -> Ordering {
        display(&self.name)
            .cmp(&display(&other.name))
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for NsAddress {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorts and removes duplicates, as every MethodsV2 list is returned.
pub fn sorted_unique(mut list: Vec<NsAddress>) -> Vec<NsAddress> {
    list.sort();
    list.dedup();
    list
}

/// Sorts names as displayed and removes duplicates.
pub fn sorted_unique_names(mut names: Vec<Name>) -> Vec<Name> {
    names.sort_by_cached_key(display);
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_lowercase_name_and_short_ip() {
        let ns: NsAddress = "NS1.Example.Test./fda1:00b2:00c3:0000:0127:0040:0001:0041"
            .parse()
            .unwrap();
        assert_eq!(ns.to_string(), "ns1.example.test/fda1:b2:c3:0:127:40:1:41");
        let bare: NsAddress = "ns2.example.test".parse().unwrap();
        assert_eq!(bare.to_string(), "ns2.example.test");
        let compressed: NsAddress = "a.test/2001:db8:0:0:0:0:0:53".parse().unwrap();
        assert_eq!(compressed.to_string(), "a.test/2001:db8::53");
    }

    #[test]
    fn equal_whatever_the_case_or_final_dot() {
        let upper: NsAddress = "NS1.TEST/192.0.2.1".parse().unwrap();
        let lower: NsAddress = "ns1.test./192.0.2.1".parse().unwrap();
        assert_eq!(upper, lower);
    }

    #[test]
    fn sorts_by_name_then_bare_then_address_and_dedups() {
        let list: Vec<NsAddress> = [
            "b.test/192.0.2.1",
            "a.test/2001:db8::1",
            "a.test/192.0.2.9",
            "a.test",
            "b.test/192.0.2.1",
        ]
        .iter()
        .map(|text| text.parse().unwrap())
        .collect();
        let rendered: Vec<String> = sorted_unique(list)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            rendered,
            [
                "a.test",
                "a.test/192.0.2.9",
                "a.test/2001:db8::1",
                "b.test/192.0.2.1"
            ]
        );
    }

    #[test]
    fn rejects_bad_addresses() {
        assert_eq!(
            "a.test/300.1.1.1".parse::<NsAddress>(),
            Err(NsAddressError::Address("300.1.1.1".to_owned()))
        );
    }
}
