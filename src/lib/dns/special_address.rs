//! Special-purpose addresses: the ones a public test service must not be
//! made to send packets to.
//!
//! From IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC
//! 6890 and its updates), plus multicast and the limited broadcast. Ranges
//! the registries mark globally reachable (AS112, AMT, the NAT64 prefix
//! itself) are allowed; the 192.0.0.0/24 block is refused whole although
//! two of its /32s are reachable anycast services, which no name server
//! uses. Addresses that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
//! NAT64 64:ff9b::/96, 6to4, Teredo) are judged by the IPv4 addresses they
//! carry, so `::ffff:10.0.0.1` or `2002:0a00:0001::` cannot smuggle a
//! private address past the check.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The special-purpose range `ip` belongs to, named for messages and
/// logs, or `None` for an ordinary (globally reachable) address.
pub fn special_purpose(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

/// IPv4 ranges: (network, prefix length, name).
const V4_RANGES: &[([u8; 4], u8, &str)] = &[
    ([0, 0, 0, 0], 8, "\"this network\" (RFC 791)"),
    ([10, 0, 0, 0], 8, "private use (RFC 1918)"),
    ([100, 64, 0, 0], 10, "shared address space (RFC 6598)"),
    ([127, 0, 0, 0], 8, "loopback (RFC 1122)"),
    ([169, 254, 0, 0], 16, "link local (RFC 3927)"),
    ([172, 16, 0, 0], 12, "private use (RFC 1918)"),
    ([192, 0, 0, 0], 24, "IETF protocol assignments (RFC 6890)"),
    ([192, 0, 2, 0], 24, "documentation (RFC 5737)"),
    (
        [192, 88, 99, 0],
        24,
        "deprecated 6to4 relay anycast (RFC 7526)",
    ),
    ([192, 168, 0, 0], 16, "private use (RFC 1918)"),
    ([198, 18, 0, 0], 15, "benchmarking (RFC 2544)"),
    ([198, 51, 100, 0], 24, "documentation (RFC 5737)"),
    ([203, 0, 113, 0], 24, "documentation (RFC 5737)"),
    ([224, 0, 0, 0], 4, "multicast (RFC 5771)"),
    ([240, 0, 0, 0], 4, "reserved (RFC 1112)"),
];

/// IPv6 ranges that carry no IPv4 address: (network, prefix length, name).
const V6_RANGES: &[(u128, u8, &str)] = &[
    (
        0x0064_ff9b_0001 << 80,
        48,
        "local-use IPv4/IPv6 translation (RFC 8215)",
    ),
    (0x0100 << 112, 64, "discard only (RFC 6666)"),
    (0x2001_0002 << 96, 48, "benchmarking (RFC 5180)"),
    (0x2001_0010 << 96, 28, "ORCHID (RFC 4843)"),
    (0x2001_0020 << 96, 28, "ORCHIDv2 (RFC 7343)"),
    (0x2001_0db8 << 96, 32, "documentation (RFC 3849)"),
    (0x3fff << 112, 20, "documentation (RFC 9637)"),
    (0x5f00 << 112, 16, "segment routing SIDs (RFC 9602)"),
    (0xfc00 << 112, 7, "unique local (RFC 4193)"),
    (0xfe80 << 112, 10, "link local (RFC 4291)"),
    (0xfec0 << 112, 10, "deprecated site local (RFC 3879)"),
    (0xff00 << 112, 8, "multicast (RFC 4291)"),
];

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    if ip == Ipv4Addr::BROADCAST {
        return Some("limited broadcast (RFC 919)");
    }
    let bits = u32::from(ip);
    V4_RANGES
        .iter()
        .find(|(network, length, _)| is_within(bits, u32::from_be_bytes(*network), *length))
        .map(|(_, _, name)| *name)
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let bits = u128::from(ip);
    if let Some(name) = special_v4_inside(ip) {
        return Some(name);
    }
    if ip.is_unspecified() {
        return Some("unspecified (RFC 4291)");
    }
    if ip.is_loopback() {
        return Some("loopback (RFC 4291)");
    }
    let listed = V6_RANGES
        .iter()
        .find(|(network, length, _)| is_within(bits, *network, *length))
        .map(|(_, _, name)| *name);
    // ::/8 minus what was carved out of it and judged above (IPv4-mapped,
    // NAT64): IPv4-compatible and reserved.
    let is_carved_out = is_v4_mapped(bits) || is_within(bits, 0x0064_ff9b << 96, 96);
    if listed.is_none() && bits >> 120 == 0 && !is_carved_out {
        return Some("reserved (RFC 4291)");
    }
    listed
}

/// The verdict on the IPv4 addresses an IPv6 address carries: IPv4-mapped
/// (RFC 4291), the NAT64 well-known prefix (RFC 6052), 6to4 (RFC 3056) and
/// Teredo's server and (obfuscated) client (RFC 4380).
fn special_v4_inside(ip: Ipv6Addr) -> Option<&'static str> {
    let bits = u128::from(ip);
    let low32 = |shift: u32| Ipv4Addr::from(((bits >> shift) & 0xffff_ffff) as u32);
    if is_v4_mapped(bits) || is_within(bits, 0x0064_ff9b << 96, 96) {
        return special_v4(low32(0));
    }
    if is_within(bits, 0x2002 << 112, 16) {
        return special_v4(low32(80));
    }
    if is_within(bits, 0x2001 << 112, 32) {
        let server = low32(64);
        let client = Ipv4Addr::from(!(((bits) & 0xffff_ffff) as u32));
        return special_v4(server).or_else(|| special_v4(client));
    }
    None
}

fn is_v4_mapped(bits: u128) -> bool {
    is_within(bits, 0xffff << 32, 96)
}

/// True when the top `length` bits of `address` and `network` agree.
fn is_within<T>(address: T, network: T, length: u8) -> bool
where
    T: Copy + PartialEq + std::ops::Shr<u32, Output = T> + Bits,
{
    let shift = T::BITS - u32::from(length);
    length == 0 || (address >> shift) == (network >> shift)
}

/// The width of the integer an address is held in.
trait Bits {
    const BITS: u32;
}

impl Bits for u32 {
    const BITS: u32 = u32::BITS;
}

impl Bits for u128 {
    const BITS: u32 = u128::BITS;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(text: &str) -> Option<&'static str> {
        special_purpose(text.parse().unwrap())
    }

    #[test]
    fn ordinary_addresses_pass() {
        for text in [
            "1.1.1.1",
            "192.36.148.17",
            "192.175.48.6",
            "11.0.0.1",
            "172.32.0.1",
            "100.128.0.1",
            "2001:67c:1010::53",
            "2a00:1450::1",
            "64:ff9b::808:808",
            "::ffff:8.8.8.8",
            "2002:0808:0808::1",
        ] {
            assert_eq!(judge(text), None, "{text}");
        }
    }

    #[test]
    fn special_purpose_addresses_are_named() {
        let cases = [
            ("0.0.0.0", "\"this network\""),
            ("10.1.2.3", "private use"),
            ("100.64.0.1", "shared address space"),
            ("127.53.0.1", "loopback"),
            ("169.254.1.1", "link local"),
            ("172.31.255.255", "private use"),
            ("192.0.0.8", "IETF protocol"),
            ("192.0.2.1", "documentation"),
            ("192.168.1.1", "private use"),
            ("198.19.0.1", "benchmarking"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("224.0.0.251", "multicast"),
            ("250.0.0.1", "reserved"),
            ("255.255.255.255", "limited broadcast"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("::10.0.0.1", "reserved"),
            ("fe80::1", "link local"),
            ("fd12:3456::1", "unique local"),
            ("ff02::1", "multicast"),
            ("2001:db8::53", "documentation"),
            ("3fff::1", "documentation"),
            ("100::1", "discard"),
            ("64:ff9b:1::a00:1", "local-use"),
            ("fec0::1", "site local"),
        ];
        for (text, expected) in cases {
            let name = judge(text).unwrap_or_else(|| panic!("{text} passed"));
            assert!(name.contains(expected), "{text}: {name}");
        }
    }

    #[test]
    fn embedded_ipv4_addresses_are_judged() {
        assert!(judge("::ffff:127.0.0.1").unwrap().contains("loopback"));
        assert!(judge("::ffff:10.0.0.1").unwrap().contains("private"));
        assert!(judge("64:ff9b::c0a8:101").unwrap().contains("private"));
        assert!(judge("2002:0a00:0001::1").unwrap().contains("private"));
        // Teredo: server 10.0.0.1; client 192.168.0.1 stored inverted.
        assert!(judge("2001:0:a00:1::1").unwrap().contains("private"));
        assert!(
            judge("2001:0:808:808::3f57:fffe")
                .unwrap()
                .contains("private")
        );
        assert_eq!(judge("2001:0:808:808::f7f7:f7f7"), None);
    }
}
