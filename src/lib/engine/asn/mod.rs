//! AS-number look-ups (engine spec §1.12): which autonomous systems
//! announce an address, and in which prefix. CONNECTIVITY03 and 04 ask.
//!
//! Two services, chosen by `asn_db.style`: Cymru (TXT records, asked
//! through the run's recursor) and RIPE (WHOIS on TCP port 43, the host
//! found through the recursor too, so a test world can serve both). The
//! sources of `asn_db.sources` are tried in order, a later one only when
//! an earlier one gives no usable answer.
//!
//! Every address is looked up once per run and all addresses at once;
//! each look-up, whatever its sources do, ends within one profile
//! timeout, so a test case waits one timeout at most for all of its
//! look-ups together ([`lookups`]).

pub mod cymru;
pub mod lookups;
pub mod prefix;
pub mod ripe;

pub use lookups::AsnLookups;
pub use prefix::{IpPrefix, PrefixError};

/// What a database says announces an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsnInfo {
    /// The announcing AS numbers, in the database's order.
    pub asns: Vec<u32>,
    /// The announced prefix holding the address.
    pub prefix: IpPrefix,
    /// The database's text the two come from (`ASN_INFOS_RAW`).
    pub raw: String,
}

/// The three outcomes of spec §1.12.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AsnOutcome {
    /// `AS_FOUND`.
    Found(AsnInfo),
    /// `EMPTY_ASN_SET`: the database knows no announcement.
    Empty,
    /// `ERROR_ASN_DATABASE`: no source answered usably, or the answer
    /// contradicts itself.
    DatabaseError,
}

/// One address's look-up: the outcome and the sources asked on the way
/// (one `ASN_LOOKUP_SOURCE` each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsnLookup {
    /// The sources asked, in order.
    pub sources: Vec<String>,
    /// What came of it.
    pub outcome: AsnOutcome,
}

/// AS numbers written as decimal digits; at least one, all readable.
fn parse_asns<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Vec<u32>> {
    let asns: Vec<u32> = texts
        .map(|text| {
            text.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| text.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    (!asns.is_empty()).then_some(asns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asns_must_all_be_numbers() {
        assert_eq!(parse_asns(["64500", "1"].into_iter()), Some(vec![64500, 1]));
        assert_eq!(parse_asns(["4294967295"].into_iter()), Some(vec![u32::MAX]));
        assert_eq!(parse_asns(std::iter::empty()), None);
        for bad in ["", "AS1", "-1", "+1", "4294967296", "1.5"] {
            assert_eq!(parse_asns([bad].into_iter()), None, "{bad}");
        }
    }
}
