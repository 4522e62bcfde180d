//! The IANA IPv4 and IPv6 special-purpose address registries, as ADDRESS01
//! (engine spec §3.2) reads them: each entry's block, name, RFC and
//! "Globally Reachable" column, and what those make of an address inside.
//!
//! Registry contents as IANA published them in July 2026 (newest
//! allocation: 100:0:0:1::/64, 2025-04); prefixes, names, RFCs and the
//! "Globally Reachable" column checked row by row on 2026-12-06. Sources:
//! <https://www.iana.org/assignments/iana-ipv4-special-registry/> and
//! <https://www.iana.org/assignments/iana-ipv6-special-registry/>.
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

/// The registry's "Globally Reachable" column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GloballyReachable {
    /// True.
    Yes,
    /// False (footnoted or not).
    No,
    /// N/A: depends on what the address carries (TEREDO, 6to4).
    NotApplicable,
    /// Empty: a deprecated, terminated entry.
    Blank,
}

use GloballyReachable::{Blank, No, NotApplicable, Yes};

/// One registry entry.
#[derive(Clone, Copy, Debug)]
pub struct Entry<Net> {
    /// The address block.
    pub block: Net,
    /// The entry's name, as the registry writes it.
    pub name: &'static str,
    /// The RFC (or RFCs) the registry cites.
    pub rfc: &'static str,
    /// The "Globally Reachable" column.
    pub globally_reachable: GloballyReachable,
}

/// Words of an entry name that mean local use (spec §3.2).
const LOCAL_USE_WORDS: [&str; 6] = [
    "Private-Use",
    "Loopback",
    "Link Local",
    "Link-Local",
    "Unique-Local",
    "Shared Address Space",
];

impl<Net> Entry<Net> {
    /// What this entry makes of an address inside it (spec §3.2): the
    /// name decides documentation and local use, then the column.
    pub fn reachability(&self) -> Reachability {
        if self.name.contains("Documentation") {
            Documentation
        } else if LOCAL_USE_WORDS.iter().any(|word| self.name.contains(word)) {
            LocalUse
        } else if self.globally_reachable == Yes {
            Reachable
        } else {
            NotGloballyReachable
        }
    }
}

/// An IPv4 row.
const fn v4(
    [a, b, c, d]: [u8; 4],
    len: u8,
    name: &'static str,
    rfc: &'static str,
    globally_reachable: GloballyReachable,
) -> Entry<Ipv4Net> {
    Entry {
        block: Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len),
        name,
        rfc,
        globally_reachable,
    }
}

/// An IPv6 row (the eight 16-bit groups).
const fn v6(
    groups: [u16; 8],
    len: u8,
    name: &'static str,
    rfc: &'static str,
    globally_reachable: GloballyReachable,
) -> Entry<Ipv6Net> {
    let [a, b, c, d, e, f, g, h] = groups;
    Entry {
        block: Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, d, e, f, g, h), len),
        name,
        rfc,
        globally_reachable,
    }
}

/// IANA IPv4 Special-Purpose Address Registry, in registry order (the
/// registry's one row for 192.0.0.170/32 and 192.0.0.171/32 is two here).
#[rustfmt::skip]
pub const IPV4: &[Entry<Ipv4Net>] = &[
    v4([0, 0, 0, 0],         8,  "\"This network\"",                          "RFC 791",            No),
    v4([0, 0, 0, 0],         32, "\"This host on this network\"",             "RFC 1122",           No),
    v4([10, 0, 0, 0],        8,  "Private-Use",                               "RFC 1918",           No),
    v4([100, 64, 0, 0],      10, "Shared Address Space",                      "RFC 6598",           No),
    v4([127, 0, 0, 0],       8,  "Loopback",                                  "RFC 1122",           No),
    v4([169, 254, 0, 0],     16, "Link Local",                                "RFC 3927",           No),
    v4([172, 16, 0, 0],      12, "Private-Use",                               "RFC 1918",           No),
    v4([192, 0, 0, 0],       24, "IETF Protocol Assignments",                 "RFC 6890",           No),
    v4([192, 0, 0, 0],       29, "IPv4 Service Continuity Prefix",            "RFC 7335",           No),
    v4([192, 0, 0, 8],       32, "IPv4 dummy address",                        "RFC 7600",           No),
    v4([192, 0, 0, 9],       32, "Port Control Protocol Anycast",             "RFC 7723",           Yes),
    v4([192, 0, 0, 10],      32, "Traversal Using Relays around NAT Anycast", "RFC 8155",           Yes),
    v4([192, 0, 0, 170],     32, "NAT64/DNS64 Discovery",                     "RFC 8880, RFC 7050", No),
    v4([192, 0, 0, 171],     32, "NAT64/DNS64 Discovery",                     "RFC 8880, RFC 7050", No),
    v4([192, 0, 2, 0],       24, "Documentation (TEST-NET-1)",                "RFC 5737",           No),
    v4([192, 31, 196, 0],    24, "AS112-v4",                                  "RFC 7535",           Yes),
    v4([192, 52, 193, 0],    24, "AMT",                                       "RFC 7450",           Yes),
    v4([192, 88, 99, 0],     24, "Deprecated (6to4 Relay Anycast)",           "RFC 7526",           Blank),
    v4([192, 88, 99, 2],     32, "6a44-relay anycast address",                "RFC 6751",           No),
    v4([192, 168, 0, 0],     16, "Private-Use",                               "RFC 1918",           No),
    v4([192, 175, 48, 0],    24, "Direct Delegation AS112 Service",           "RFC 7534",           Yes),
    v4([198, 18, 0, 0],      15, "Benchmarking",                              "RFC 2544",           No),
    v4([198, 51, 100, 0],    24, "Documentation (TEST-NET-2)",                "RFC 5737",           No),
    v4([203, 0, 113, 0],     24, "Documentation (TEST-NET-3)",                "RFC 5737",           No),
    v4([240, 0, 0, 0],       4,  "Reserved",                                  "RFC 1112",           No),
    v4([255, 255, 255, 255], 32, "Limited Broadcast",                         "RFC 8190, RFC 919",  No),
];

/// IANA IPv6 Special-Purpose Address Registry, in registry order.
#[rustfmt::skip]
pub const IPV6: &[Entry<Ipv6Net>] = &[
    v6([0, 0, 0, 0, 0, 0, 0, 1],              128, "Loopback Address",                                   "RFC 4291",           No),
    v6([0, 0, 0, 0, 0, 0, 0, 0],              128, "Unspecified Address",                                "RFC 4291",           No),
    v6([0, 0, 0, 0, 0, 0xffff, 0, 0],         96,  "IPv4-mapped Address",                                "RFC 4291",           No),
    v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0],      96,  "IPv4-IPv6 Translat.",                                "RFC 6052",           Yes),
    v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0],      48,  "IPv4-IPv6 Translat.",                                "RFC 8215",           No),
    v6([0x100, 0, 0, 0, 0, 0, 0, 0],          64,  "Discard-Only Address Block",                         "RFC 6666",           No),
    v6([0x100, 0, 0, 1, 0, 0, 0, 0],          64,  "Dummy IPv6 Prefix",                                  "RFC 9780",           No),
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0],         23,  "IETF Protocol Assignments",                          "RFC 2928",           No),
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0],         32,  "TEREDO",                                             "RFC 4380, RFC 8190", NotApplicable),
    v6([0x2001, 1, 0, 0, 0, 0, 0, 1],         128, "Port Control Protocol Anycast",                      "RFC 7723",           Yes),
    v6([0x2001, 1, 0, 0, 0, 0, 0, 2],         128, "Traversal Using Relays around NAT Anycast",          "RFC 8155",           Yes),
    v6([0x2001, 1, 0, 0, 0, 0, 0, 3],         128, "DNS-SD Service Registration Protocol Anycast",       "RFC 9665",           Yes),
    v6([0x2001, 2, 0, 0, 0, 0, 0, 0],         48,  "Benchmarking",                                       "RFC 5180",           No),
    v6([0x2001, 3, 0, 0, 0, 0, 0, 0],         32,  "AMT",                                                "RFC 7450",           Yes),
    v6([0x2001, 4, 0x112, 0, 0, 0, 0, 0],     48,  "AS112-v6",                                           "RFC 7535",           Yes),
    v6([0x2001, 0x10, 0, 0, 0, 0, 0, 0],      28,  "Deprecated (previously ORCHID)",                     "RFC 4843",           Blank),
    v6([0x2001, 0x20, 0, 0, 0, 0, 0, 0],      28,  "ORCHIDv2",                                           "RFC 7343",           Yes),
    v6([0x2001, 0x30, 0, 0, 0, 0, 0, 0],      28,  "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374",           Yes),
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],     32,  "Documentation",                                      "RFC 3849",           No),
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0],         16,  "6to4",                                               "RFC 3056",           NotApplicable),
    v6([0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0], 48,  "Direct Delegation AS112 Service",                    "RFC 7534",           Yes),
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0],         20,  "Documentation",                                      "RFC 9637",           No),
    v6([0x5f00, 0, 0, 0, 0, 0, 0, 0],         16,  "Segment Routing (SRv6) SIDs",                        "RFC 9602",           No),
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0],         7,   "Unique-Local",                                       "RFC 4193, RFC 8190", No),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0],         10,  "Link-Local Unicast",                                 "RFC 4291",           No),
];

/// What the first registry entry holding `address` makes of it.
pub fn classify(address: IpAddr) -> Reachability {
    let found = match address {
        IpAddr::V4(v4) => IPV4
            .iter()
            .find(|entry| entry.block.contains(&v4))
            .map(Entry::reachability),
        IpAddr::V6(v6) => IPV6
            .iter()
            .find(|entry| entry.block.contains(&v6))
            .map(Entry::reachability),
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

    /// Blocks are written as networks: no host bits past the length.
    #[test]
    fn every_block_is_a_network_address() {
        for entry in IPV4 {
            assert_eq!(entry.block, entry.block.trunc(), "{}", entry.name);
        }
        for entry in IPV6 {
            assert_eq!(entry.block, entry.block.trunc(), "{}", entry.name);
        }
    }

    #[test]
    fn names_decide_documentation_and_local_use_then_the_column_decides() {
        let class = |name: &'static str, globally_reachable| {
            v4([192, 0, 2, 0], 24, name, "RFC 0", globally_reachable).reachability()
        };
        assert_eq!(class("Documentation (TEST-NET-1)", Yes), Documentation);
        for name in [
            "Private-Use",
            "Loopback Address",
            "Link Local",
            "Link-Local Unicast",
        ] {
            assert_eq!(class(name, No), LocalUse, "{name}");
        }
        assert_eq!(class("Unique-Local", No), LocalUse);
        assert_eq!(class("Shared Address Space", No), LocalUse);
        assert_eq!(class("AMT", Yes), Reachable);
        for column in [No, NotApplicable, Blank] {
            assert_eq!(class("TEREDO", column), NotGloballyReachable, "{column:?}");
        }
    }

    fn ipv6_entry(block: &str) -> &'static Entry<Ipv6Net> {
        let block: Ipv6Net = block.parse().unwrap();
        IPV6.iter().find(|entry| entry.block == block).unwrap()
    }

    /// The entries checked against the registry on 2026-12-06 that a
    /// table written from memory gets wrong most easily.
    #[test]
    fn recent_and_deprecated_entries_read_as_the_registry() {
        let dummy = ipv6_entry("100:0:0:1::/64");
        assert_eq!((dummy.name, dummy.rfc), ("Dummy IPv6 Prefix", "RFC 9780"));
        assert_eq!(dummy.globally_reachable, No);
        assert_eq!(class("100:0:0:1::1"), NotGloballyReachable);
        let srv6 = ipv6_entry("5f00::/16");
        assert_eq!((srv6.rfc, srv6.globally_reachable), ("RFC 9602", No));
        let dets = ipv6_entry("2001:30::/28");
        assert_eq!((dets.rfc, dets.reachability()), ("RFC 9374", Reachable));
        // ... but 2001::/23 comes first in registry order and decides.
        assert_eq!(class("2001:30::1"), NotGloballyReachable);
        let relay: Ipv4Net = "192.88.99.0/24".parse().unwrap();
        let relay = IPV4.iter().find(|entry| entry.block == relay).unwrap();
        assert_eq!(relay.globally_reachable, Blank, "deprecated 2015-03");
        let six_a_44: Ipv4Net = "192.88.99.2/32".parse().unwrap();
        let six_a_44 = IPV4.iter().find(|entry| entry.block == six_a_44).unwrap();
        assert_eq!(
            (six_a_44.rfc, six_a_44.globally_reachable),
            ("RFC 6751", No)
        );
        assert_eq!(class("192.88.99.2"), NotGloballyReachable);
        assert_eq!(class("192.88.99.1"), NotGloballyReachable);
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
