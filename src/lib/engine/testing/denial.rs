//! Denial of existence for the scripted servers: the NSEC or NSEC3
//! records, each with its RRSIGs, that a DO query's NODATA, NXDOMAIN,
//! wildcard or insecure referral answer carries (RFC 4035 §3.1.3,
//! RFC 5155 §7.2), as BIND and NSD send them. `zm-testns` does the same
//! on its wire records (testns/src/denial.rs).
//!
//! A zone with an NSEC3PARAM at its apex proves with NSEC3, hashing names
//! with that record's salt and iterations; any other zone with NSEC
//! records proves with those; otherwise nothing is added. A record
//! "covers" a name when its owner comes last before the name (canonical
//! order of RFC 4034 §6.1 for NSEC, hash order for NSEC3), wrapping round
//! to the last owner: the servers look it up that way, without reading
//! the next-owner field, so a broken chain is served as it is.

use hickory_proto::dnssec::rdata::DNSSECRData;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::dnssec::nsec3;

/// The denial records of one zone, ready to prove things about names.
pub(super) struct Denial<'r> {
    records: &'r [&'r Record],
    chain: Chain,
}

/// How a zone proves non-existence.
enum Chain {
    /// NSEC owners in canonical order (none in an unsigned zone).
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

impl<'r> Denial<'r> {
    /// Reads the denial chain of the zone at `apex` made of `records`.
    pub(super) fn of(apex: &Name, records: &'r [&'r Record]) -> Self {
        let param = records.iter().find_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::NSEC3PARAM(param)) if record.name == *apex => Some(param),
            _ => None,
        });
        let chain = match param {
            Some(param) => Chain::Nsec3(Nsec3Chain {
                salt: param.salt().to_vec(),
                iterations: param.iterations(),
                owners: nsec3_owners(apex, records),
            }),
            None => Chain::Nsec(nsec_owners(records)),
        };
        Self { records, chain }
    }

    /// NODATA at `name`, which exists (RFC 4035 §3.1.3.1, RFC 5155 §7.2.3
    /// and §7.2.4): the record at `name`; for an empty non-terminal in an
    /// NSEC zone the one covering it; with no NSEC3 of its own (an opt-out
    /// delegation asked for DS) the closest provable encloser. Also the
    /// proof that a delegation has no DS (§7.2.7).
    pub(super) fn no_data(&self, name: &Name) -> Vec<Record> {
        match &self.chain {
            Chain::Nsec(owners) => {
                let owner = owners
                    .iter()
                    .find(|owner| *owner == name)
                    .or_else(|| covering(owners, name));
                self.proof(RecordType::NSEC, owner.cloned())
            }
            Chain::Nsec3(chain) => match chain.matching(name) {
                Some(owner) => self.proof(RecordType::NSEC3, [owner]),
                None => {
                    let owners = chain.encloser_proof(name).map(|(_, owners)| owners);
                    self.proof(RecordType::NSEC3, owners.into_iter().flatten())
                }
            },
        }
    }

    /// NXDOMAIN for `name`, whose closest existing ancestor is `encloser`
    /// (RFC 4035 §3.1.3.2, RFC 5155 §7.2.2).
    pub(super) fn name_error(&self, name: &Name, encloser: &Name) -> Vec<Record> {
        match &self.chain {
            Chain::Nsec(owners) => {
                let proof = [
                    covering(owners, name),
                    covering(owners, &wildcard_at(encloser)),
                ];
                self.proof(RecordType::NSEC, proof.into_iter().flatten().cloned())
            }
            Chain::Nsec3(chain) => {
                let Some((encloser, owners)) = chain.encloser_proof(name) else {
                    return Vec::new();
                };
                let wildcard = chain.covering(&wildcard_at(&encloser));
                self.proof(RecordType::NSEC3, owners.into_iter().chain(wildcard))
            }
        }
    }

    /// An answer synthesized from the wildcard at `encloser` (RFC 4035
    /// §3.1.3.3, RFC 5155 §7.2.6): `name` itself does not exist.
    pub(super) fn wildcard_answer(&self, name: &Name, encloser: &Name) -> Vec<Record> {
        match &self.chain {
            Chain::Nsec(owners) => self.proof(RecordType::NSEC, covering(owners, name).cloned()),
            Chain::Nsec3(chain) => {
                let owner = chain.covering(&next_closer(name, encloser));
                self.proof(RecordType::NSEC3, owner)
            }
        }
    }

    /// NODATA through the wildcard at `encloser` (RFC 4035 §3.1.3.4,
    /// RFC 5155 §7.2.5).
    pub(super) fn wildcard_no_data(&self, name: &Name, encloser: &Name) -> Vec<Record> {
        let wildcard = wildcard_at(encloser);
        match &self.chain {
            Chain::Nsec(owners) => {
                let at_wildcard = owners.iter().find(|owner| **owner == wildcard);
                let proof = [covering(owners, name), at_wildcard];
                self.proof(RecordType::NSEC, proof.into_iter().flatten().cloned())
            }
            Chain::Nsec3(chain) => {
                let proof = [
                    chain.matching(encloser),
                    chain.covering(&next_closer(name, encloser)),
                    chain.matching(&wildcard),
                ];
                self.proof(RecordType::NSEC3, proof.into_iter().flatten())
            }
        }
    }

    /// The `rtype` records at each of `owners` (repeats skipped), each
    /// followed by its RRSIGs.
    fn proof(&self, rtype: RecordType, owners: impl IntoIterator<Item = Name>) -> Vec<Record> {
        let mut seen: Vec<Name> = Vec::new();
        let mut proof = Vec::new();
        for owner in owners {
            if seen.contains(&owner) {
                continue;
            }
            proof.extend(
                self.records
                    .iter()
                    .filter(|record| record.name == owner && record.record_type() == rtype)
                    .map(|record| (*record).clone()),
            );
            proof.extend(signatures(self.records.iter().copied(), &owner, rtype));
            seen.push(owner);
        }
        proof
    }
}

impl Nsec3Chain {
    /// The hashed label of `name`.
    fn hash(&self, name: &Name) -> Option<String> {
        let hash = nsec3::nsec3_hash(nsec3::SHA1, name, &self.salt, self.iterations)?;
        Some(nsec3::base32hex(&hash))
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

    /// The closest ancestor of `name` with an NSEC3 of its own (the
    /// closest provable encloser), with the owners of that NSEC3 and of
    /// the one covering the next closer name (RFC 5155 §7.2.1).
    fn encloser_proof(&self, name: &Name) -> Option<(Name, Vec<Name>)> {
        let mut encloser = name.base_name();
        loop {
            if let Some(matching) = self.matching(&encloser) {
                let covering = self.covering(&next_closer(name, &encloser));
                let owners = [Some(matching), covering].into_iter().flatten().collect();
                return Some((encloser, owners));
            }
            if encloser.is_root() {
                return None;
            }
            encloser = encloser.base_name();
        }
    }
}

/// The RRSIGs among `records` at `owner` covering `rtype`.
pub(super) fn signatures<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    owner: &Name,
    rtype: RecordType,
) -> Vec<Record> {
    records
        .into_iter()
        .filter(|record| record.name == *owner)
        .filter(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => rrsig.input().type_covered == rtype,
            _ => false,
        })
        .cloned()
        .collect()
}

/// The owners of the NSEC records, in canonical order (hickory orders
/// names as RFC 4034 §6.1 does).
fn nsec_owners(records: &[&Record]) -> Vec<Name> {
    let mut owners: Vec<Name> = records
        .iter()
        .filter(|record| record.record_type() == RecordType::NSEC)
        .map(|record| record.name.to_lowercase())
        .collect();
    owners.sort();
    owners.dedup();
    owners
}

/// The NSEC3 owners right below `apex`, with their hashed labels, by label.
fn nsec3_owners(apex: &Name, records: &[&Record]) -> Vec<(String, Name)> {
    let mut owners: Vec<(String, Name)> = records
        .iter()
        .filter(|record| record.record_type() == RecordType::NSEC3)
        .filter(|record| record.name.base_name() == *apex)
        .filter_map(|record| {
            let label = record.name.iter().next()?;
            let label = String::from_utf8_lossy(label).to_ascii_lowercase();
            Some((label, record.name.clone()))
        })
        .collect();
    owners.sort();
    owners.dedup();
    owners
}

/// The owner among `owners` (in canonical order) that comes last before
/// `name`, or the last of all when none does.
fn covering<'a>(owners: &'a [Name], name: &Name) -> Option<&'a Name> {
    owners
        .iter()
        .rev()
        .find(|owner| *owner < name)
        .or(owners.last())
}

/// `*.encloser`.
fn wildcard_at(encloser: &Name) -> Name {
    encloser
        .prepend_label("*")
        .unwrap_or_else(|_| encloser.clone())
}

/// The ancestor of `name` one label below `encloser` (RFC 5155 §1.3).
fn next_closer(name: &Name, encloser: &Name) -> Name {
    name.trim_to(usize::from(encloser.num_labels()) + 1)
}
