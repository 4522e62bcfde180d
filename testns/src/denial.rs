//! Denial of existence in a signed zone: the NSEC or NSEC3 records, each
//! with its RRSIGs, that a DO query's negative, wildcard or insecure
//! referral answer carries (RFC 4035 §3.1.3, RFC 5155 §7.2), as BIND and
//! NSD send them.
//!
//! A zone with an NSEC3PARAM at its apex proves with NSEC3, hashing names
//! with that record's salt and iterations; any other zone proves with its
//! NSEC records, if it has any. An NSEC3PARAM with a hash algorithm other
//! than 1 (SHA-1) leaves nothing provable: the records are still served as
//! data, but no proof is added.
//!
//! A record "covers" a name when its owner is the last one before the name
//! in canonical order (RFC 4034 §6.1 for NSEC owners, hash order for NSEC3
//! owners), wrapping around to the last owner. That is how the servers
//! look it up; the next-owner field is not read, so a broken chain is
//! served as it is.

use std::cmp::Ordering;

use hickory_proto::dnssec::Nsec3HashAlgorithm;
use hickory_proto::rr::Name;

use crate::zone::{Rr, Zone, fqdn, parent, rtype};

/// The denial records of one zone, ready to prove things about names.
pub struct Denial<'z> {
    zone: &'z Zone,
    chain: Chain,
}

/// How a zone proves non-existence.
enum Chain {
    /// Neither NSEC3PARAM nor NSEC: nothing.
    Unsigned,
    /// NSEC owners in canonical order.
    Nsec(Vec<Name>),
    /// An NSEC3 chain.
    Nsec3(Nsec3Chain),
}

/// The NSEC3 owners of a zone and how its names are hashed.
struct Nsec3Chain {
    salt: Vec<u8>,
    iterations: u16,
    /// (hashed label, owner), by label: base32hex keeps the hash order.
    owners: Vec<(String, Name)>,
}

/// Proof of a closest encloser (RFC 5155 §7.2.1).
struct EncloserProof {
    /// The closest provable encloser.
    encloser: Name,
    /// Owners of the NSEC3 matching it and of the one covering the next
    /// closer name.
    owners: Vec<Name>,
}

impl<'z> Denial<'z> {
    /// Reads the zone's denial chain.
    pub fn of(zone: &'z Zone) -> Self {
        let chain = match zone.rrset(&zone.origin, rtype::NSEC3PARAM).first() {
            Some(param) => Nsec3Chain::of(zone, &param.rdata).map_or(Chain::Unsigned, Chain::Nsec3),
            None => Chain::Nsec(nsec_owners(zone)),
        };
        Self { zone, chain }
    }

    /// NODATA at `name`, which exists (RFC 4035 §3.1.3.1, RFC 5155 §7.2.3
    /// and §7.2.4): the record at `name`; for an empty non-terminal in an
    /// NSEC zone the one covering it; when no NSEC3 has the name's hash
    /// (an opt-out delegation asked for DS), the closest provable encloser.
    /// Also the proof that an unsigned delegation has no DS (§7.2.7).
    pub fn no_data(&self, name: &Name) -> Vec<Rr> {
        match &self.chain {
            Chain::Unsigned => Vec::new(),
            Chain::Nsec(owners) => {
                let owner = if owners.contains(name) {
                    Some(name.clone())
                } else {
                    covering(owners, name).cloned()
                };
                self.records(rtype::NSEC, owner)
            }
            Chain::Nsec3(chain) => match chain.matching(name) {
                Some(owner) => self.records(rtype::NSEC3, [owner]),
                None => {
                    let proof = chain.encloser_proof(name);
                    self.records(rtype::NSEC3, proof.into_iter().flat_map(|p| p.owners))
                }
            },
        }
    }

    /// NXDOMAIN for `name` (RFC 4035 §3.1.3.2, RFC 5155 §7.2.2): no such
    /// name, and no wildcard at its closest encloser.
    pub fn name_error(&self, name: &Name) -> Vec<Rr> {
        match &self.chain {
            Chain::Unsigned => Vec::new(),
            Chain::Nsec(owners) => {
                let wildcard = wildcard_at(&self.closest_encloser(name));
                let proof = [covering(owners, name), covering(owners, &wildcard)];
                self.records(rtype::NSEC, proof.into_iter().flatten().cloned())
            }
            Chain::Nsec3(chain) => {
                let Some(proof) = chain.encloser_proof(name) else {
                    return Vec::new();
                };
                let wildcard = chain.covering(&wildcard_at(&proof.encloser));
                self.records(rtype::NSEC3, proof.owners.into_iter().chain(wildcard))
            }
        }
    }

    /// An answer synthesized from the wildcard at `encloser` (RFC 4035
    /// §3.1.3.3, RFC 5155 §7.2.6): proof that `name` itself does not exist.
    pub fn wildcard_answer(&self, name: &Name, encloser: &Name) -> Vec<Rr> {
        match &self.chain {
            Chain::Unsigned => Vec::new(),
            Chain::Nsec(owners) => self.records(rtype::NSEC, covering(owners, name).cloned()),
            Chain::Nsec3(chain) => {
                let owner = chain.covering(&next_closer(name, encloser));
                self.records(rtype::NSEC3, owner)
            }
        }
    }

    /// NODATA for `name` through the wildcard at `encloser` (RFC 4035
    /// §3.1.3.4, RFC 5155 §7.2.5): no such name, and the wildcard has no
    /// records of the type.
    pub fn wildcard_no_data(&self, name: &Name, encloser: &Name) -> Vec<Rr> {
        let wildcard = wildcard_at(encloser);
        match &self.chain {
            Chain::Unsigned => Vec::new(),
            Chain::Nsec(owners) => {
                let at_wildcard = owners.contains(&wildcard).then_some(&wildcard);
                let proof = [covering(owners, name), at_wildcard];
                self.records(rtype::NSEC, proof.into_iter().flatten().cloned())
            }
            Chain::Nsec3(chain) => {
                let proof = [
                    chain.matching(encloser),
                    chain.covering(&next_closer(name, encloser)),
                    chain.matching(&wildcard),
                ];
                self.records(rtype::NSEC3, proof.into_iter().flatten())
            }
        }
    }

    /// The longest existing ancestor of `name` (the apex at worst).
    fn closest_encloser(&self, name: &Name) -> Name {
        let mut encloser = parent(name);
        while encloser != self.zone.origin && !self.zone.exists(&encloser) && !encloser.is_root() {
            encloser = parent(&encloser);
        }
        encloser
    }

    /// The `rtype` records at each of `owners` (repeats skipped), each
    /// followed by its RRSIGs.
    fn records(&self, rtype: u16, owners: impl IntoIterator<Item = Name>) -> Vec<Rr> {
        let mut seen: Vec<Name> = Vec::new();
        let mut records = Vec::new();
        for owner in owners {
            if seen.contains(&owner) {
                continue;
            }
            records.extend(self.zone.rrset(&owner, rtype));
            records.extend(self.zone.signatures(&owner, rtype));
            seen.push(owner);
        }
        records
    }
}

impl Nsec3Chain {
    /// The chain of `zone` hashed as its NSEC3PARAM `rdata` says; `None`
    /// for a hash algorithm other than SHA-1 or a short rdata.
    fn of(zone: &Zone, rdata: &[u8]) -> Option<Self> {
        let (&algorithm, rest) = rdata.split_first()?;
        let iterations = u16::from_be_bytes([*rest.get(1)?, *rest.get(2)?]);
        let salt_length = usize::from(*rest.get(3)?);
        let salt = rest.get(4..4 + salt_length)?.to_vec();
        if algorithm != 1 {
            return None;
        }
        let mut owners: Vec<(String, Name)> = zone
            .records()
            .iter()
            .filter(|r| r.rtype == rtype::NSEC3 && parent(&r.name) == zone.origin)
            .filter_map(|r| {
                let label = r.name.iter().next()?;
                Some((String::from_utf8_lossy(label).into_owned(), r.name.clone()))
            })
            .collect();
        owners.sort();
        owners.dedup();
        Some(Self {
            salt,
            iterations,
            owners,
        })
    }

    /// The hashed label of `name`.
    fn hash(&self, name: &Name) -> Option<String> {
        let digest = Nsec3HashAlgorithm::SHA1
            .hash(&self.salt, name, self.iterations)
            .ok()?;
        Some(
            data_encoding::BASE32HEX_NOPAD
                .encode(digest.as_ref())
                .to_ascii_lowercase(),
        )
    }

    /// The owner of the NSEC3 with `name`'s hash.
    fn matching(&self, name: &Name) -> Option<Name> {
        let hash = self.hash(name)?;
        self.owners
            .iter()
            .find(|(label, _)| *label == hash)
            .map(|(_, owner)| owner.clone())
    }

    /// The owner of the NSEC3 whose hash comes last before `name`'s.
    fn covering(&self, name: &Name) -> Option<Name> {
        let hash = self.hash(name)?;
        self.owners
            .iter()
            .rev()
            .find(|(label, _)| *label < hash)
            .or(self.owners.last())
            .map(|(_, owner)| owner.clone())
    }

    /// The closest ancestor of `name` with an NSEC3 of its own, the
    /// closest provable encloser, with the records proving it.
    fn encloser_proof(&self, name: &Name) -> Option<EncloserProof> {
        let mut encloser = parent(name);
        loop {
            if let Some(matching) = self.matching(&encloser) {
                let covering = self.covering(&next_closer(name, &encloser));
                return Some(EncloserProof {
                    encloser,
                    owners: [Some(matching), covering].into_iter().flatten().collect(),
                });
            }
            if encloser.is_root() {
                return None;
            }
            encloser = parent(&encloser);
        }
    }
}

/// The owners of the zone's NSEC records, in canonical order.
fn nsec_owners(zone: &Zone) -> Vec<Name> {
    let mut owners: Vec<Name> = zone
        .records()
        .iter()
        .filter(|r| r.rtype == rtype::NSEC)
        .map(|r| r.name.clone())
        .collect();
    owners.sort_by(canonical_order);
    owners.dedup();
    owners
}

/// The owner among `owners` (in canonical order) that comes last before
/// `name`, or the last of all when none does.
fn covering<'a>(owners: &'a [Name], name: &Name) -> Option<&'a Name> {
    owners
        .iter()
        .rev()
        .find(|owner| canonical_order(owner, name) == Ordering::Less)
        .or(owners.last())
}

/// RFC 4034 §6.1: labels compared from the root down as lower-case octet
/// strings, a missing octet or label sorting first.
fn canonical_order(left: &Name, right: &Name) -> Ordering {
    let labels = |name: &Name| -> Vec<Vec<u8>> {
        name.iter()
            .rev()
            .map(|label| label.to_ascii_lowercase())
            .collect()
    };
    labels(left).cmp(&labels(right))
}

/// `*.encloser`.
fn wildcard_at(encloser: &Name) -> Name {
    fqdn(
        encloser
            .prepend_label("*")
            .unwrap_or_else(|_| encloser.clone()),
    )
}

/// The ancestor of `name` one label below `encloser` (RFC 5155 §1.3).
fn next_closer(name: &Name, encloser: &Name) -> Name {
    fqdn(name.trim_to(usize::from(encloser.num_labels()) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    #[test]
    fn canonical_order_is_rfc4034_section_6_1() {
        // The example list of RFC 4034 §6.1, in order.
        let raw = |first: &[u8]| {
            let labels: [&[u8]; 3] = [first, b"z", b"example"];
            fqdn(Name::from_labels(labels).unwrap())
        };
        let ordered = [
            name("example."),
            name("a.example."),
            name("yljkjljk.a.example."),
            name("Z.a.example."),
            name("zABC.a.EXAMPLE."),
            name("z.example."),
            raw(b"\x01"),
            name("*.z.example."),
            raw(b"\xc8"),
        ];
        for pair in ordered.windows(2) {
            assert_eq!(
                canonical_order(&pair[0], &pair[1]),
                Ordering::Less,
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn covering_wraps_to_the_last_owner() {
        let owners = vec![name("example."), name("b.example."), name("d.example.")];
        assert_eq!(covering(&owners, &name("c.example.")), Some(&owners[1]));
        assert_eq!(covering(&owners, &name("z.example.")), Some(&owners[2]));
        assert_eq!(covering(&owners, &name("a.example.")), Some(&owners[0]));
        assert_eq!(covering(&owners, &name("other.")), Some(&owners[2]));
    }

    #[test]
    fn next_closer_is_one_label_below_the_encloser() {
        let next = next_closer(&name("a.b.c.example."), &name("example."));
        assert_eq!(next, name("c.example."));
        assert_eq!(wildcard_at(&name("example.")), name("*.example."));
    }
}
