//! What the Nameserver test cases share: the servers, the EDNS probes,
//! the "nothing to report" rule of the summary tags, address lists and
//! mixed-case spellings of a name.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::dns::Edns;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The EDNS size of the reference's probes without DO (engine spec §1.7).
const PLAIN_DNS_SIZE: u16 = 512;

/// Method4and5: the delegation's servers, then the child's own ones not
/// among them, each `name/ip` once.
pub async fn servers(ctx: &Context) -> Vec<Ns> {
    delegation_then_child_servers(ctx).await
}

/// The servers whose address family the profile allows; the others are
/// named in `IPV4_DISABLED`/`IPV6_DISABLED` (for probes that do not go
/// through [`Context::ask_each`], such as AXFR).
pub fn allowed(ctx: &Context, report: &mut Report, servers: &[Ns], rrtype: &str) -> Vec<Ns> {
    let mut allowed = Vec::new();
    for server in servers {
        if ctx.families.allows(server.address) {
            allowed.push(server.clone());
        } else {
            let disabled = if server.address.is_ipv4() {
                &tag::IPV4_DISABLED
            } else {
                &tag::IPV6_DISABLED
            };
            report.emit(disabled, args![ns = server, rrtype = rrtype]);
        }
    }
    allowed
}

/// EDNS version 0, nothing set, the plain DNS size: the OPT record of
/// the reference's `edns_details` probes before their one change.
pub fn edns0() -> Edns {
    Edns::with_size(PLAIN_DNS_SIZE)
}

/// SOA for the zone with `edns` (NAMESERVER02, 10–13).
pub fn soa_with(ctx: &Context, edns: Edns) -> Query {
    Query::new(ctx.zone.clone(), RecordType::SOA).with_edns(edns)
}

/// True when the test case has said anything besides `TEST_CASE_START`:
/// the reference gives its summary tag (`EDNS0_SUPPORT`,
/// `SAME_SOURCE_IP`, `NO_UPWARD_REFERRAL`) only to a silent run.
pub fn has_findings(report: &Report) -> bool {
    report
        .messages()
        .iter()
        .any(|message| message.tag_name() != "TEST_CASE_START")
}

/// The servers' addresses as one `ns_ip_list`: sorted, unique, `;`.
pub fn ns_ip_list<'a>(servers: impl IntoIterator<Item = &'a Ns>) -> String {
    let addresses: BTreeSet<IpAddr> = servers.into_iter().map(|ns| ns.address).collect();
    let texts: Vec<String> = addresses.iter().map(IpAddr::to_string).collect();
    texts.join(";")
}

/// The zone's `www` name as text without the final dot, lower case
/// (`www.example.com`; `www` for the root).
pub fn www_text(zone: &Name) -> String {
    if zone.is_root() {
        "www".to_owned()
    } else {
        format!("www.{}", display(zone))
    }
}

/// `original` with each letter's case chosen at random, never equal to
/// `original` nor to any of `avoid`. `original` must hold a letter
/// (`www` guarantees it).
pub fn mixed_case(original: &str, avoid: &[&str], rng: &mut impl Rng) -> String {
    loop {
        let spelt: String = original
            .chars()
            .map(|c| {
                if rng.random_bool(0.5) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        if spelt != original && !avoid.contains(&spelt.as_str()) {
            return spelt;
        }
    }
}

/// The random source of the case variants of `zone`: seeded from the
/// zone's name, so that a run and its replay (`--save`, `--restore`) ask
/// the same spellings and a recording answers them; zones still get
/// spellings of their own.
pub fn case_rng(zone: &Name) -> StdRng {
    // FNV-1a: stable across builds, unlike the standard library's hasher.
    let seed = display(zone)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    StdRng::seed_from_u64(seed)
}

/// A name from a spelling [`mixed_case`] made of a valid name: the case
/// stays as written.
pub fn spelt_name(text: &str) -> Option<Name> {
    Name::from_ascii(format!("{text}.")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_case_never_repeats_the_original_or_the_avoided() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let first = mixed_case("www.ab", &[], &mut rng);
            let second = mixed_case("www.ab", &[&first], &mut rng);
            assert_ne!(first, "www.ab");
            assert_ne!(second, first);
            assert!(first.eq_ignore_ascii_case("www.ab"));
            assert!(second.eq_ignore_ascii_case("www.ab"));
        }
    }

    #[test]
    fn a_zone_always_gets_the_same_spellings() {
        let zone = Name::from_ascii("example.com.").unwrap();
        let spell = || mixed_case("www.example.com", &[], &mut case_rng(&zone));
        assert_eq!(spell(), spell());
        let other = Name::from_ascii("example.org.").unwrap();
        let spellings: Vec<String> = (0..4)
            .map(|_| mixed_case("www.example.com", &[], &mut case_rng(&other)))
            .collect();
        assert!(spellings.iter().all(|s| *s == spellings[0]));
    }

    #[test]
    fn spelt_names_keep_their_case() {
        let name = spelt_name("wWw.Example.COM").unwrap();
        assert_eq!(name.to_ascii(), "wWw.Example.COM.");
        assert_eq!(
            www_text(&Name::from_ascii("Example.com.").unwrap()),
            "www.example.com"
        );
        assert_eq!(www_text(&Name::root()), "www");
    }
}
