//! The addresses of a host name, found by iterative resolution.

use std::net::IpAddr;

use hickory_proto::rr::Name;

use super::LookupSetup;
use crate::api_types::HostAddresses;

/// The addresses found for one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressLookup {
    /// IPv4 first, then IPv6, each in the order found, without duplicates.
    pub addresses: Vec<IpAddr>,
}

impl AddressLookup {
    /// The `get_host_by_name` result: one-key objects mapping the name as
    /// given to each address, or to `0.0.0.0` when there is none.
    pub fn host_addresses(&self, hostname: &str) -> HostAddresses {
        let pair = |address: String| [(hostname.to_owned(), address)].into();
        if self.addresses.is_empty() {
            return vec![pair("0.0.0.0".to_owned())];
        }
        self.addresses
            .iter()
            .map(|address| pair(address.to_string()))
            .collect()
    }
}

/// Resolves A and AAAA for `name` from the root.
pub async fn lookup_addresses(name: &Name, setup: &LookupSetup) -> AddressLookup {
    let mut addresses = setup.recursor().addresses_for(name).await;
    addresses.sort_by_key(|address| address.is_ipv6());
    let mut unique = Vec::new();
    for address in addresses {
        if !unique.contains(&address) {
            unique.push(address);
        }
    }
    AddressLookup { addresses: unique }
}
