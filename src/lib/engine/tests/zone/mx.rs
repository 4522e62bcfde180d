//! One server's MX set for the zone and what ZONE09 reads in it: the
//! mail targets, and the null MX of RFC 7505 (`0 .`, "this domain
//! accepts no mail").

use hickory_proto::rr::{Name, RData, Record};

/// The MX records a server gave for the zone: (preference, exchange),
/// exchanges lower-cased, sorted, repeats kept (they are data too).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MxSet(Vec<(u16, Name)>);

/// What RFC 7505 asks of a null MX, and what a set breaks of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NullMx {
    /// The set has an MX record whose exchange is the root.
    pub is_present: bool,
    /// ... and other MX records beside it (RFC 7505 §3: it must be alone).
    pub has_others: bool,
    /// ... with a preference other than 0 (RFC 7505 §3: it must be 0).
    pub has_non_zero_preference: bool,
}

impl MxSet {
    /// The set of the MX records among `records`.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut set: Vec<(u16, Name)> = records
            .into_iter()
            .filter_map(|record| match &record.data {
                RData::MX(mx) => Some((mx.preference, fqdn_lower(&mx.exchange))),
                _ => None,
            })
            .collect();
        set.sort();
        Self(set)
    }

    /// True when the set has no record.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The distinct exchanges, sorted (the root for a null MX).
    pub fn exchanges(&self) -> Vec<Name> {
        let mut names: Vec<Name> = self.0.iter().map(|(_, name)| name.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The null MX findings of RFC 7505.
    pub fn null_mx(&self) -> NullMx {
        let nulls: Vec<u16> = self
            .0
            .iter()
            .filter(|(_, exchange)| exchange.is_root())
            .map(|(preference, _)| *preference)
            .collect();
        NullMx {
            is_present: !nulls.is_empty(),
            has_others: !nulls.is_empty() && self.0.len() > 1,
            has_non_zero_preference: nulls.iter().any(|preference| *preference != 0),
        }
    }
}

fn fqdn_lower(name: &Name) -> Name {
    let mut name = name.to_lowercase();
    name.set_fqdn(true);
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::parse_records;

    fn set(lines: &[&str]) -> MxSet {
        MxSet::of(&parse_records(lines).unwrap())
    }

    #[test]
    fn a_lone_null_mx_at_preference_zero_is_right() {
        let null = set(&["example. MX 0 ."]).null_mx();
        assert_eq!(
            null,
            NullMx {
                is_present: true,
                has_others: false,
                has_non_zero_preference: false
            }
        );
        assert_eq!(set(&["example. MX 0 ."]).exchanges(), [Name::root()]);
    }

    #[test]
    fn a_null_mx_with_a_preference_or_beside_others_is_not() {
        let null = set(&["example. MX 10 ."]).null_mx();
        assert!(null.is_present && null.has_non_zero_preference && !null.has_others);
        let mixed = set(&["example. MX 0 .", "example. MX 10 mail.example."]).null_mx();
        assert!(mixed.is_present && mixed.has_others && !mixed.has_non_zero_preference);
    }

    #[test]
    fn ordinary_sets_have_no_null_mx_and_compare_ignoring_case_and_order() {
        let first = set(&[
            "example. MX 10 Mail.Example.",
            "example. MX 20 backup.example.",
        ]);
        let second = set(&[
            "example. MX 20 backup.example.",
            "example. MX 10 mail.example.",
        ]);
        assert_eq!(first, second);
        assert_eq!(first.null_mx(), NullMx::default());
        assert_ne!(first, set(&["example. MX 30 mail.example."]));
        assert_eq!(
            first
                .exchanges()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["backup.example.", "mail.example."]
        );
        assert!(set(&[]).is_empty());
    }
}
