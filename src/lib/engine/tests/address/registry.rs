//! The IANA IPv4 and IPv6 special-purpose address registries, as ADDRESS01
//! (engine spec §3.2) reads them: each entry's block and what its name and
//! "Globally Reachable" column make of an address inside it.
//!
//! The rows are in registry order and an address takes the first row whose
//! block holds it, as the spec says; a narrower entry listed after a wider
//! one that holds it (192.0.0.9/32 after 192.0.0.0/24) therefore never
//! decides, but it is kept so the table reads as the registry does.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

/// What the registries make of one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reachability {
    /// An entry named "Documentation": never routed.
    Documentation,
    /// A private, loopback, link-local, unique-local or shared block.
    LocalUse,
    /// Another special-purpose entry whose "Globally Reachable" is not True
    /// (False, N/A or blank).
    NotGloballyReachable,
    /// In no entry, or in one that is globally reachable.
    Reachable,
}

use Reachability::{Documentation, LocalUse, NotGloballyReachable, Reachable};

/// Shorthand for an IPv4 row.
const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8, class: Reachability) -> (Ipv4Net, Reachability) {
    (Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len), class)
}

/// Shorthand for an IPv6 row (the eight 16-bit groups).
const fn v6(groups: [u16; 8], len: u8, class: Reachability) -> (Ipv6Net, Reachability) {
    let [a, b, c, d, e, f, g, h] = groups;
    (
        Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, d, e, f, g, h), len),
        class,
    )
}

/// IANA IPv4 Special-Purpose Address Registry, in registry order; the
/// comment is the entry's name.
pub const IPV4: &[(Ipv4Net, Reachability)] = &[
    v4(0, 0, 0, 0, 8, NotGloballyReachable),    // "This network"
    v4(0, 0, 0, 0, 32, NotGloballyReachable),   // "This host on this network"
    v4(10, 0, 0, 0, 8, LocalUse),               // Private-Use
    v4(100, 64, 0, 0, 10, LocalUse),            // Shared Address Space
    v4(127, 0, 0, 0, 8, LocalUse),              // Loopback
    v4(169, 254, 0, 0, 16, LocalUse),           // Link Local
    v4(172, 16, 0, 0, 12, LocalUse),            // Private-Use
    v4(192, 0, 0, 0, 24, NotGloballyReachable), // IETF Protocol Assignments
    v4(192, 0, 0, 0, 29, NotGloballyReachable), // IPv4 Service Continuity Prefix
    v4(192, 0, 0, 8, 32, NotGloballyReachable), // IPv4 dummy address
    v4(192, 0, 0, 9, 32, Reachable),            // Port Control Protocol Anycast
    v4(192, 0, 0, 10, 32, Reachable),           // Traversal Using Relays around NAT Anycast
    v4(192, 0, 0, 170, 32, NotGloballyReachable), // NAT64/DNS64 Discovery
    v4(192, 0, 0, 171, 32, NotGloballyReachable), // NAT64/DNS64 Discovery
    v4(192, 0, 2, 0, 24, Documentation),        // Documentation (TEST-NET-1)
    v4(192, 31, 196, 0, 24, Reachable),         // AS112-v4
    v4(192, 52, 193, 0, 24, Reachable),         // AMT
    v4(192, 88, 99, 0, 24, NotGloballyReachable), // Deprecated (6to4 Relay Anycast)
    v4(192, 168, 0, 0, 16, LocalUse),           // Private-Use
    v4(192, 175, 48, 0, 24, Reachable),         // Direct Delegation AS112 Service
    v4(198, 18, 0, 0, 15, NotGloballyReachable), // Benchmarking
    v4(198, 51, 100, 0, 24, Documentation),     // Documentation (TEST-NET-2)
    v4(203, 0, 113, 0, 24, Documentation),      // Documentation (TEST-NET-3)
    v4(240, 0, 0, 0, 4, NotGloballyReachable),  // Reserved
    v4(255, 255, 255, 255, 32, NotGloballyReachable), // Limited Broadcast
];

/// IANA IPv6 Special-Purpose Address Registry, in registry order; the
/// comment is the entry's name.
pub const IPV6: &[(Ipv6Net, Reachability)] = &[
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, LocalUse), // Loopback Address
    v6([0, 0, 0, 0, 0, 0, 0, 0], 128, NotGloballyReachable), // Unspecified Address
    v6([0, 0, 0, 0, 0, 0xffff, 0, 0], 96, NotGloballyReachable), // IPv4-mapped Address
    v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96, Reachable), // IPv4-IPv6 Translat.
    v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, NotGloballyReachable), // IPv4-IPv6 Translat.
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, NotGloballyReachable), // Discard-Only Address Block
    v6([0x100, 0, 0, 1, 0, 0, 0, 0], 64, NotGloballyReachable), // Dummy IPv6 Prefix
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 23, NotGloballyReachable), // IETF Protocol Assignments
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 32, NotGloballyReachable), // TEREDO
    v6([0x2001, 1, 0, 0, 0, 0, 0, 1], 128, Reachable), // Port Control Protocol Anycast
    v6([0x2001, 1, 0, 0, 0, 0, 0, 2], 128, Reachable), // TURN Anycast
    v6([0x2001, 1, 0, 0, 0, 0, 0, 3], 128, Reachable), // DNS-SD SRP Anycast
    v6([0x2001, 2, 0, 0, 0, 0, 0, 0], 48, NotGloballyReachable), // Benchmarking
    v6([0x2001, 3, 0, 0, 0, 0, 0, 0], 32, Reachable), // AMT
    v6([0x2001, 4, 0x112, 0, 0, 0, 0, 0], 48, Reachable), // AS112-v6
    v6([0x2001, 0x10, 0, 0, 0, 0, 0, 0], 28, NotGloballyReachable), // Deprecated (ORCHID)
    v6([0x2001, 0x20, 0, 0, 0, 0, 0, 0], 28, Reachable), // ORCHIDv2
    v6([0x2001, 0x30, 0, 0, 0, 0, 0, 0], 28, Reachable), // Drone Remote ID Protocol Entity Tags
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, Documentation), // Documentation
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, NotGloballyReachable), // 6to4
    v6([0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0], 48, Reachable), // Direct Delegation AS112 Service
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, Documentation), // Documentation
    v6([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16, NotGloballyReachable), // Segment Routing (SRv6) SIDs
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, LocalUse), // Unique-Local
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, LocalUse), // Link-Local Unicast
];

/// What the first registry entry holding `address` makes of it.
pub fn classify(address: IpAddr) -> Reachability {
    let found = match address {
        IpAddr::V4(v4) => IPV4
            .iter()
            .find(|(net, _)| net.contains(&v4))
            .map(|row| row.1),
        IpAddr::V6(v6) => IPV6
            .iter()
            .find(|(net, _)| net.contains(&v6))
            .map(|row| row.1),
    };
    found.unwrap_or(Reachable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> Reachability {
        classify(text.parse().unwrap())
    }

    #[test]
    fn ipv4_block_edges() {
        for (address, expected) in [
            ("0.0.0.0", NotGloballyReachable),
            ("0.255.255.255", NotGloballyReachable),
            ("1.0.0.0", Reachable),
            ("9.255.255.255", Reachable),
            ("10.0.0.0", LocalUse),
            ("10.255.255.255", LocalUse),
            ("11.0.0.0", Reachable),
            ("100.63.255.255", Reachable),
            ("100.64.0.0", LocalUse),
            ("100.127.255.255", LocalUse),
            ("100.128.0.0", Reachable),
            ("126.255.255.255", Reachable),
            ("127.0.0.1", LocalUse),
            ("127.255.255.255", LocalUse),
            ("128.0.0.0", Reachable),
            ("169.253.255.255", Reachable),
            ("169.254.0.0", LocalUse),
            ("169.254.255.255", LocalUse),
            ("169.255.0.0", Reachable),
            ("172.15.255.255", Reachable),
            ("172.16.0.0", LocalUse),
            ("172.31.255.255", LocalUse),
            ("172.32.0.0", Reachable),
            ("191.255.255.255", Reachable),
            ("192.0.0.0", NotGloballyReachable),
            ("192.0.0.255", NotGloballyReachable),
            ("192.0.1.0", Reachable),
            ("192.0.2.0", Documentation),
            ("192.0.2.255", Documentation),
            ("192.0.3.0", Reachable),
            ("192.31.196.1", Reachable),
            ("192.88.98.255", Reachable),
            ("192.88.99.0", NotGloballyReachable),
            ("192.88.99.255", NotGloballyReachable),
            ("192.88.100.0", Reachable),
            ("192.167.255.255", Reachable),
            ("192.168.0.0", LocalUse),
            ("192.168.255.255", LocalUse),
            ("192.169.0.0", Reachable),
            ("198.17.255.255", Reachable),
            ("198.18.0.0", NotGloballyReachable),
            ("198.19.255.255", NotGloballyReachable),
            ("198.20.0.0", Reachable),
            ("198.51.99.255", Reachable),
            ("198.51.100.0", Documentation),
            ("198.51.100.255", Documentation),
            ("198.51.101.0", Reachable),
            ("203.0.112.255", Reachable),
            ("203.0.113.0", Documentation),
            ("203.0.113.255", Documentation),
            ("203.0.114.0", Reachable),
            ("239.255.255.255", Reachable),
            ("240.0.0.0", NotGloballyReachable),
            ("255.255.255.254", NotGloballyReachable),
            ("255.255.255.255", NotGloballyReachable),
        ] {
            assert_eq!(class(address), expected, "{address}");
        }
    }

    #[test]
    fn ipv4_the_first_entry_in_registry_order_decides() {
        // 192.0.0.9/32 is globally reachable, but 192.0.0.0/24 comes first.
        assert_eq!(class("192.0.0.9"), NotGloballyReachable);
        assert_eq!(class("192.0.0.10"), NotGloballyReachable);
    }

    #[test]
    fn ipv6_block_edges() {
        for (address, expected) in [
            ("::", NotGloballyReachable),
            ("::1", LocalUse),
            ("::2", Reachable),
            ("::fffe:ffff:ffff", Reachable),
            ("::ffff:0.0.0.0", NotGloballyReachable),
            ("::ffff:255.255.255.255", NotGloballyReachable),
            ("64:ff9b::", Reachable),
            ("64:ff9b:1::", NotGloballyReachable),
            ("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", NotGloballyReachable),
            ("64:ff9b:2::", Reachable),
            ("100::", NotGloballyReachable),
            ("100::ffff:ffff:ffff:ffff", NotGloballyReachable),
            ("100:0:0:1::", NotGloballyReachable),
            ("100:0:0:2::", Reachable),
            ("2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reachable),
            ("2001::", NotGloballyReachable),
            ("2001:1::1", NotGloballyReachable),
            (
                "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
                NotGloballyReachable,
            ),
            ("2001:200::", Reachable),
            ("2001:7fe::53", Reachable),
            ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", Reachable),
            ("2001:db8::", Documentation),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("2001:db9::", Reachable),
            ("2002::", NotGloballyReachable),
            (
                "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                NotGloballyReachable,
            ),
            ("2003::", Reachable),
            ("2620:4f:8000::1", Reachable),
            ("3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reachable),
            ("3fff::", Documentation),
            ("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("3fff:1000::", Reachable),
            ("5f00::", NotGloballyReachable),
            (
                "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                NotGloballyReachable,
            ),
            ("5f01::", Reachable),
            ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reachable),
            ("fc00::", LocalUse),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LocalUse),
            ("fe00::", Reachable),
            ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reachable),
            ("fe80::", LocalUse),
            ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LocalUse),
            ("fec0::", Reachable),
        ] {
            assert_eq!(class(address), expected, "{address}");
        }
    }
}
