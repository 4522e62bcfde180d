//! Which IP families the engine may use (`net.ipv4`, `net.ipv6`).

use std::net::IpAddr;

/// The profile's `net.ipv4` / `net.ipv6` switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpFamilies {
    /// IPv4 allowed.
    pub ipv4: bool,
    /// IPv6 allowed.
    pub ipv6: bool,
}

impl Default for IpFamilies {
    fn default() -> Self {
        Self {
            ipv4: true,
            ipv6: true,
        }
    }
}

impl IpFamilies {
    /// True when queries to `address` are allowed.
    pub fn allows(&self, address: IpAddr) -> bool {
        match address {
            IpAddr::V4(_) => self.ipv4,
            IpAddr::V6(_) => self.ipv6,
        }
    }
}
