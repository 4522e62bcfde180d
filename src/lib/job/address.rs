//! IP addresses as test parameters give them (backend spec §3.3).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An IPv4 dotted quad with 1–3 decimal digits per part (leading zeros
/// allowed, read as decimal).
fn parse_ipv4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

/// An IP address as the API accepts it (spec §3.3): a dotted quad or the
/// IPv6 text form (an embedded IPv4 tail allowed; no prefix, zone or port).
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Some(v4) = parse_ipv4(text) {
        return Some(IpAddr::V4(v4));
    }
    text.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_in_the_accepted_forms() {
        assert_eq!(parse_ip("192.0.2.1"), Some("192.0.2.1".parse().unwrap()));
        assert_eq!(parse_ip("010.0.0.1"), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(
            parse_ip("2001:DB8::1"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            parse_ip("::ffff:192.0.2.1"),
            Some("::ffff:192.0.2.1".parse().unwrap())
        );
        for bad in [
            "",
            "256.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.0004",
            "2001:db8::/32",
            "fe80::1%eth0",
            "[::1]:53",
            " 1.2.3.4",
        ] {
            assert_eq!(parse_ip(bad), None, "{bad}");
        }
    }
}
