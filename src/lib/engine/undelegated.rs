//! Data for undelegated tests: a name server set and DS records supplied by
//! the user in place of what the parent publishes (engine spec §1.11).

use std::net::IpAddr;

use hickory_proto::rr::Name;

/// One supplied name server: a name with zero or more addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeNs {
    /// Lower-case, fully qualified.
    pub name: Name,
    /// Supplied addresses; empty means "look it up" (out of bailiwick only).
    pub addresses: Vec<IpAddr>,
}

/// One supplied DS record, as the API and `--ds` give it.
///
/// The numbers are as wide as the API allows (backend spec §3.3 sets no
/// upper bound), so a test the API accepted always runs: a DS whose
/// numbers do not fit its wire fields (a key tag over 65535, say) is one
/// no DNSKEY can match, and the methods leave it out as they do a digest
/// that is not hexadecimal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DsData {
    /// Key tag.
    pub keytag: u64,
    /// DNSSEC algorithm number.
    pub algorithm: u64,
    /// Digest type number.
    pub digtype: u64,
    /// Digest, lower-case hexadecimal.
    pub digest: String,
}

/// The whole supplied delegation of one zone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeDelegation {
    /// Supplied name servers (possibly several entries per name; merged).
    pub ns: Vec<FakeNs>,
    /// Supplied DS records.
    pub ds: Vec<DsData>,
}

impl FakeDelegation {
    /// "Undelegated test" = supplied NS data exists; DS alone is not enough.
    pub fn is_undelegated(&self) -> bool {
        !self.ns.is_empty()
    }

    /// Every supplied address, in the order given.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.ns.iter().flat_map(|ns| ns.addresses.iter().copied())
    }

    /// Adds `address` (if any) to the entry for `name`, creating it.
    pub fn add_ns(&mut self, name: Name, address: Option<IpAddr>) {
        let name = name.to_lowercase();
        match self.ns.iter_mut().find(|ns| ns.name == name) {
            Some(entry) => entry.addresses.extend(address),
            None => self.ns.push(FakeNs {
                name,
                addresses: address.into_iter().collect(),
            }),
        }
    }
}
