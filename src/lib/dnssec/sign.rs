//! Making signatures: keys, RRSIGs over RRsets and whole signed zones.
//!
//! The engine never signs; this is for test tooling. Our DNSSEC fixtures
//! are signed when the tests run (issue 8/13), with keys generated then,
//! so that no signature is copied from elsewhere and every validity period
//! can be placed around the test's own "now". The same module makes the
//! zones broken in one chosen way: a fixture signs a zone and then removes,
//! alters or re-signs what it wants wrong.
//!
//! The mathematics is done by the crates [`super::verify`] uses: `ring`
//! for ECDSA P-256/P-384 and Ed25519, RustCrypto `rsa` for RSA PKCS#1 v1.5
//! (it also makes keys below 1024 bits, which DNSSEC14 fixtures need),
//! `ed448-goldilocks` for Ed448.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hickory_proto::dnssec::rdata::SigInput;
use hickory_proto::dnssec::rdata::{
    CDNSKEY, CDS, DNSKEY, DNSSECRData, DS, NSEC, NSEC3, NSEC3PARAM, RRSIG,
};
use hickory_proto::dnssec::{Algorithm, DigestType, Nsec3HashAlgorithm, PublicKeyBuf};
use hickory_proto::rr::{Name, RData, Record, RecordType, SerialNumber};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Sha256, Sha512};

use super::canonical::{self, CanonicalError};
use super::{digest, keytag, nsec3};

/// DNSKEY flags: ZONE (RFC 4034 §2.1.1).
pub const ZONE: u16 = 256;
/// DNSKEY flags: Secure Entry Point.
pub const SEP: u16 = 1;
/// The flags of a key-signing key.
pub const KSK: u16 = ZONE | SEP;
/// The flags of a zone-signing key.
pub const ZSK: u16 = ZONE;

/// The RSA modulus size [`SigningKey::generate`] uses.
pub const DEFAULT_RSA_BITS: usize = 2048;

/// DER DigestInfo prefix for SHA-1 (RFC 8017 §9.2, note 1).
const SHA1_DIGEST_INFO: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];

/// What can go wrong while signing.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// We make no keys or signatures of this algorithm.
    #[error("DNSSEC algorithm {0} cannot be signed with here")]
    Unsupported(u8),
    /// The crypto library refused to make a key.
    #[error("key generation failed: {0}")]
    KeyGeneration(String),
    /// The crypto library refused to sign.
    #[error("signing failed: {0}")]
    Signing(String),
    /// The RRset cannot be put in canonical form.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
    /// The RRset to sign is empty.
    #[error("nothing to sign")]
    Empty,
}

/// The private half of a key.
enum Secret {
    Rsa(Box<RsaPrivateKey>),
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Ed448(Box<ed448_goldilocks::SigningKey>),
}

/// A DNSSEC key pair with its DNSKEY flags.
pub struct SigningKey {
    algorithm: u8,
    flags: u16,
    public: Vec<u8>,
    secret: Secret,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm)
            .field("flags", &self.flags)
            .field("key_tag", &self.key_tag())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new key of `algorithm` (5, 7, 8, 10 with [`DEFAULT_RSA_BITS`];
    /// 13, 14, 15, 16) with DNSKEY `flags`.
    pub fn generate(algorithm: u8, flags: u16) -> Result<Self, SignError> {
        match algorithm {
            5 | 7 | 8 | 10 => Self::generate_rsa(algorithm, flags, DEFAULT_RSA_BITS),
            13 | 14 => {
                let curve = if algorithm == 13 {
                    &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING
                } else {
                    &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING
                };
                let rng = SystemRandom::new();
                let pkcs8 = EcdsaKeyPair::generate_pkcs8(curve, &rng).map_err(key_error)?;
                let pair =
                    EcdsaKeyPair::from_pkcs8(curve, pkcs8.as_ref(), &rng).map_err(key_error)?;
                // RFC 6605 §4: X then Y, without SEC 1's leading 0x04.
                let public = pair.public_key().as_ref()[1..].to_vec();
                Ok(Self::new(algorithm, flags, public, Secret::Ecdsa(pair)))
            }
            15 => {
                let rng = SystemRandom::new();
                let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(key_error)?;
                let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(key_error)?;
                let public = pair.public_key().as_ref().to_vec();
                Ok(Self::new(algorithm, flags, public, Secret::Ed25519(pair)))
            }
            16 => {
                let mut seed = [0u8; 57];
                SystemRandom::new().fill(&mut seed).map_err(key_error)?;
                let secret = ed448_goldilocks::SecretKey::try_from(&seed[..])
                    .map_err(|error| SignError::KeyGeneration(error.to_string()))?;
                let key = ed448_goldilocks::SigningKey::from(secret);
                let public = key.verifying_key().to_bytes().to_vec();
                Ok(Self::new(
                    algorithm,
                    flags,
                    public,
                    Secret::Ed448(Box::new(key)),
                ))
            }
            other => Err(SignError::Unsupported(other)),
        }
    }

    /// A new RSA key of `bits` bits (512 and up) for RSA `algorithm` 5, 7,
    /// 8 or 10.
    pub fn generate_rsa(algorithm: u8, flags: u16, bits: usize) -> Result<Self, SignError> {
        if !matches!(algorithm, 5 | 7 | 8 | 10) {
            return Err(SignError::Unsupported(algorithm));
        }
        let private = RsaPrivateKey::new(&mut rand_core::OsRng, bits)
            .map_err(|error| SignError::KeyGeneration(error.to_string()))?;
        // RFC 3110 §2: exponent length, exponent, modulus.
        let exponent = private.e().to_bytes_be();
        let mut public = Vec::new();
        match u8::try_from(exponent.len()) {
            Ok(length) => public.push(length),
            Err(_) => {
                public.push(0);
                let length = u16::try_from(exponent.len())
                    .map_err(|_| SignError::KeyGeneration("RSA exponent too long".to_owned()))?;
                public.extend_from_slice(&length.to_be_bytes());
            }
        }
        public.extend_from_slice(&exponent);
        public.extend_from_slice(&private.n().to_bytes_be());
        Ok(Self::new(
            algorithm,
            flags,
            public,
            Secret::Rsa(Box::new(private)),
        ))
    }

    fn new(algorithm: u8, flags: u16, public: Vec<u8>, secret: Secret) -> Self {
        Self {
            algorithm,
            flags,
            public,
            secret,
        }
    }

    /// The same key pair published with other DNSKEY flags (its key tag
    /// changes with them).
    #[must_use]
    pub fn with_flags(mut self, flags: u16) -> Self {
        self.flags = flags;
        self
    }

    /// The key as published under another algorithm number: the public key
    /// and the signatures stay those of the real algorithm, so that a
    /// fixture can show an algorithm the engine cannot check (or a
    /// deprecated one) with well-formed data.
    #[must_use]
    pub fn published_as(mut self, algorithm: u8) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The DNSSEC algorithm number.
    pub fn algorithm(&self) -> u8 {
        self.algorithm
    }

    /// The DNSKEY flags.
    pub fn flags(&self) -> u16 {
        self.flags
    }

    /// The DNSKEY public key field.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// The DNSKEY RDATA in wire form.
    pub fn dnskey_rdata(&self) -> Vec<u8> {
        keytag::dnskey_rdata(self.flags, 3, self.algorithm, &self.public)
    }

    /// The key tag (RFC 4034 Appendix B).
    pub fn key_tag(&self) -> u16 {
        keytag::key_tag(&self.dnskey_rdata())
    }

    /// The DNSKEY RDATA.
    pub fn dnskey(&self) -> DNSKEY {
        DNSKEY::with_flags(
            self.flags,
            PublicKeyBuf::new(self.public.clone(), Algorithm::from_u8(self.algorithm)),
        )
    }

    /// The DNSKEY record at `owner`.
    pub fn dnskey_record(&self, owner: &Name, ttl: u32) -> Record {
        Record::from_rdata(
            owner.clone(),
            ttl,
            RData::DNSSEC(DNSSECRData::DNSKEY(self.dnskey())),
        )
    }

    /// The DS record for this key at `owner`, with digest type 1, 2 or 4.
    pub fn ds_record(&self, owner: &Name, ttl: u32, digest_type: u8) -> Result<Record, SignError> {
        let digest = digest::ds_digest(digest_type, owner, &self.dnskey_rdata())
            .map_err(|error| SignError::Signing(error.to_string()))?;
        Ok(ds_record(
            owner,
            ttl,
            self.key_tag(),
            self.algorithm,
            digest_type,
            digest,
        ))
    }

    /// The CDS record for this key at `owner` (RFC 7344: its DS fields
    /// under type CDS), with digest type 1, 2 or 4.
    pub fn cds_record(&self, owner: &Name, ttl: u32, digest_type: u8) -> Result<Record, SignError> {
        let digest = digest::ds_digest(digest_type, owner, &self.dnskey_rdata())
            .map_err(|error| SignError::Signing(error.to_string()))?;
        let cds = CDS::new(
            self.key_tag(),
            Some(Algorithm::from_u8(self.algorithm)),
            DigestType::from(digest_type),
            digest,
        );
        Ok(Record::from_rdata(
            owner.clone(),
            ttl,
            RData::DNSSEC(DNSSECRData::CDS(cds)),
        ))
    }

    /// The CDNSKEY record for this key at `owner` (its DNSKEY fields under
    /// type CDNSKEY).
    pub fn cdnskey_record(&self, owner: &Name, ttl: u32) -> Record {
        let cdnskey = CDNSKEY::with_flags(
            self.flags,
            Some(Algorithm::from_u8(self.algorithm)),
            self.public.clone(),
        );
        Record::from_rdata(
            owner.clone(),
            ttl,
            RData::DNSSEC(DNSSECRData::CDNSKEY(cdnskey)),
        )
    }

    /// A signature over `data` (already the RRSIG's signed data).
    pub fn sign_data(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        let rsa = |private: &RsaPrivateKey, scheme: Pkcs1v15Sign, hashed: &[u8]| {
            private
                .sign(scheme, hashed)
                .map_err(|error| SignError::Signing(error.to_string()))
        };
        match &self.secret {
            Secret::Rsa(private) => {
                let algorithm = real_rsa_algorithm(self.algorithm);
                match algorithm {
                    8 => rsa(private, Pkcs1v15Sign::new::<Sha256>(), &sha(8, data)),
                    10 => rsa(private, Pkcs1v15Sign::new::<Sha512>(), &sha(10, data)),
                    _ => {
                        let scheme = Pkcs1v15Sign {
                            hash_len: Some(20),
                            prefix: SHA1_DIGEST_INFO.to_vec().into_boxed_slice(),
                        };
                        rsa(private, scheme, &sha(5, data))
                    }
                }
            }
            Secret::Ecdsa(pair) => pair
                .sign(&SystemRandom::new(), data)
                .map(|signature| signature.as_ref().to_vec())
                .map_err(|error| SignError::Signing(error.to_string())),
            Secret::Ed25519(pair) => Ok(pair.sign(data).as_ref().to_vec()),
            Secret::Ed448(key) => Ok(key.sign_raw(data).to_bytes().to_vec()),
        }
    }

    /// An RRSIG by this key over `rrset` (one owner, one type), signer
    /// `signer`, valid over `validity`.
    pub fn sign_rrset(
        &self,
        rrset: &[Record],
        signer: &Name,
        validity: Validity,
    ) -> Result<Record, SignError> {
        let first = rrset.first().ok_or(SignError::Empty)?;
        let input = SigInput {
            type_covered: first.record_type(),
            algorithm: Algorithm::from_u8(self.algorithm),
            num_labels: first.name.num_labels(),
            original_ttl: first.ttl,
            sig_expiration: SerialNumber::new(validity.expiration),
            sig_inception: SerialNumber::new(validity.inception),
            key_tag: self.key_tag(),
            signer_name: signer.clone(),
        };
        let data = canonical::signed_data(&input, rrset)?;
        let signature = self.sign_data(&data)?;
        Ok(Record::from_rdata(
            first.name.clone(),
            first.ttl,
            RData::DNSSEC(DNSSECRData::RRSIG(RRSIG::from_sig(input, signature))),
        ))
    }
}

/// The RSA algorithm whose hash a key of `algorithm` signs with: the
/// algorithm itself, or SHA-256 for a key published under a non-RSA number.
fn real_rsa_algorithm(algorithm: u8) -> u8 {
    if matches!(algorithm, 5 | 7 | 8 | 10) {
        algorithm
    } else {
        8
    }
}

fn sha(algorithm: u8, data: &[u8]) -> Vec<u8> {
    let hash = match algorithm {
        8 => &ring::digest::SHA256,
        10 => &ring::digest::SHA512,
        _ => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
    };
    ring::digest::digest(hash, data).as_ref().to_vec()
}

fn key_error(error: impl std::fmt::Display) -> SignError {
    SignError::KeyGeneration(error.to_string())
}

/// A DS record from its fields.
pub fn ds_record(
    owner: &Name,
    ttl: u32,
    key_tag: u16,
    algorithm: u8,
    digest_type: u8,
    digest: Vec<u8>,
) -> Record {
    Record::from_rdata(
        owner.clone(),
        ttl,
        RData::DNSSEC(DNSSECRData::DS(DS::new(
            key_tag,
            Algorithm::from_u8(algorithm),
            DigestType::from(digest_type),
            digest,
        ))),
    )
}

/// An RRSIG's inception and expiration, seconds since the epoch (RFC 4034
/// §3.1.5 serial arithmetic applies when they are read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    /// Not valid before.
    pub inception: u32,
    /// Not valid after.
    pub expiration: u32,
}

impl Validity {
    /// From `before` ahead of `now` to `after` past it.
    pub fn around(now: SystemTime, before: Duration, after: Duration) -> Self {
        let seconds = |time: SystemTime| {
            let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
            u32::try_from(since.as_secs()).unwrap_or(u32::MAX)
        };
        Self {
            inception: seconds(now.checked_sub(before).unwrap_or(UNIX_EPOCH)),
            expiration: seconds(now + after),
        }
    }

    /// An ordinary period: from an hour ago to 14 days ahead of `now`.
    pub fn usual(now: SystemTime) -> Self {
        Self::around(now, HOUR, 14 * DAY)
    }
}

/// One hour.
pub const HOUR: Duration = Duration::from_secs(3600);
/// One day.
pub const DAY: Duration = Duration::from_secs(86_400);

/// How a signed zone proves what does not exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// No NSEC or NSEC3 chain.
    None,
    /// An NSEC chain (RFC 4034 §4).
    Nsec,
    /// An NSEC3 chain with SHA-1 and an NSEC3PARAM at the apex (RFC 5155).
    Nsec3 {
        /// Extra hash iterations.
        iterations: u16,
        /// The salt.
        salt: Vec<u8>,
        /// Opt-out: insecure delegations get no NSEC3 and the flag is set.
        opt_out: bool,
    },
}

/// How [`sign_zone`] signs.
#[derive(Clone, Debug)]
pub struct ZoneSigning {
    /// Signature validity.
    pub validity: Validity,
    /// The denial-of-existence chain to add.
    pub denial: Denial,
    /// TTL of the DNSKEY, NSEC, NSEC3 and NSEC3PARAM records added.
    pub ttl: u32,
}

impl ZoneSigning {
    /// NSEC, usual validity around `now`, TTL 3600.
    pub fn nsec(now: SystemTime) -> Self {
        Self {
            validity: Validity::usual(now),
            denial: Denial::Nsec,
            ttl: 3600,
        }
    }

    /// NSEC3 without extra iterations, salt or opt-out (RFC 9276).
    pub fn nsec3(now: SystemTime) -> Self {
        Self {
            denial: Denial::Nsec3 {
                iterations: 0,
                salt: Vec::new(),
                opt_out: false,
            },
            ..Self::nsec(now)
        }
    }
}

/// Signs the zone `apex` made of `records`: adds the DNSKEY records of
/// `keys`, the denial chain, and an RRSIG over every authoritative RRset.
/// Keys with the SEP flag sign the DNSKEY, CDS and CDNSKEY RRsets and the
/// others sign the rest; when all keys are of one kind, they sign
/// everything. Records below a zone cut are glue and stay unsigned, as do
/// the NS records of a cut; DS records at a cut are signed.
pub fn sign_zone(
    apex: &Name,
    records: &[Record],
    keys: &[&SigningKey],
    signing: &ZoneSigning,
) -> Result<Vec<Record>, SignError> {
    let mut all: Vec<Record> = records.to_vec();
    all.extend(keys.iter().map(|key| key.dnskey_record(apex, signing.ttl)));
    let cuts: BTreeSet<Name> = all
        .iter()
        .filter(|r| r.record_type() == RecordType::NS && r.name != *apex)
        .map(|r| r.name.to_lowercase())
        .collect();
    let below_cut = |name: &Name| {
        cuts.iter()
            .any(|cut| cut.zone_of(name) && name.num_labels() > cut.num_labels())
    };
    match &signing.denial {
        Denial::None => {}
        Denial::Nsec => all.extend(nsec_chain(apex, &all, &below_cut, signing.ttl)),
        Denial::Nsec3 {
            iterations,
            salt,
            opt_out,
        } => {
            let chain = Nsec3Chain {
                iterations: *iterations,
                salt: salt.clone(),
                opt_out: *opt_out,
            };
            all.extend(chain.records(apex, &all, &below_cut, signing.ttl));
        }
    }
    let mut rrsets: BTreeMap<(Name, u16), Vec<Record>> = BTreeMap::new();
    for record in &all {
        let name = record.name.to_lowercase();
        let rtype = record.record_type();
        let at_cut = cuts.contains(&name) && name != *apex;
        let is_signed = rtype != RecordType::RRSIG
            && !below_cut(&name)
            && (!at_cut || matches!(rtype, RecordType::DS | RecordType::NSEC));
        if is_signed {
            rrsets
                .entry((name, u16::from(rtype)))
                .or_default()
                .push(record.clone());
        }
    }
    let has_both =
        keys.iter().any(|k| k.flags & SEP != 0) && keys.iter().any(|k| k.flags & SEP == 0);
    let mut signatures = Vec::new();
    for ((_, rtype), rrset) in &rrsets {
        let is_key_set = matches!(
            RecordType::from(*rtype),
            RecordType::DNSKEY | RecordType::CDS | RecordType::CDNSKEY
        );
        for key in keys {
            let is_ksk = key.flags & SEP != 0;
            if !has_both || is_ksk == is_key_set {
                signatures.push(key.sign_rrset(rrset, apex, signing.validity)?);
            }
        }
    }
    all.extend(signatures);
    Ok(all)
}

/// The names a denial chain covers: owners of authoritative data and of
/// cuts, plus empty non-terminals, each with its types.
fn chain_names(
    apex: &Name,
    records: &[Record],
    below_cut: &dyn Fn(&Name) -> bool,
) -> BTreeMap<Name, BTreeSet<RecordType>> {
    let mut names: BTreeMap<Name, BTreeSet<RecordType>> = BTreeMap::new();
    for record in records {
        let name = record.name.to_lowercase();
        if !apex.zone_of(&name) || below_cut(&name) {
            continue;
        }
        names
            .entry(name.clone())
            .or_default()
            .insert(record.record_type());
        // Empty non-terminals between the apex and the owner.
        let mut above = name.base_name();
        while apex.zone_of(&above) && above != *apex {
            names.entry(above.clone()).or_default();
            above = above.base_name();
        }
    }
    names
}

fn nsec_chain(
    apex: &Name,
    records: &[Record],
    below_cut: &dyn Fn(&Name) -> bool,
    ttl: u32,
) -> Vec<Record> {
    // Empty non-terminals get no NSEC (RFC 4035 §2.3): only owners of data.
    let names: Vec<(Name, BTreeSet<RecordType>)> = chain_names(apex, records, below_cut)
        .into_iter()
        .filter(|(_, types)| !types.is_empty())
        .collect();
    // BTreeMap order over hickory names is the canonical order of RFC 4034
    // §6.1 (labels compared right to left, case-insensitively).
    (0..names.len())
        .map(|index| {
            let (name, types) = &names[index];
            let next = &names[(index + 1) % names.len()].0;
            let mut bitmap = types.clone();
            bitmap.insert(RecordType::NSEC);
            // The NSEC itself is signed, so RRSIG is present at every owner.
            bitmap.insert(RecordType::RRSIG);
            Record::from_rdata(
                name.clone(),
                ttl,
                RData::DNSSEC(DNSSECRData::NSEC(NSEC::new(next.clone(), bitmap))),
            )
        })
        .collect()
}

struct Nsec3Chain {
    iterations: u16,
    salt: Vec<u8>,
    opt_out: bool,
}

impl Nsec3Chain {
    fn records(
        &self,
        apex: &Name,
        records: &[Record],
        below_cut: &dyn Fn(&Name) -> bool,
        ttl: u32,
    ) -> Vec<Record> {
        let mut hashed: Vec<(Vec<u8>, BTreeSet<RecordType>)> = Vec::new();
        for (name, mut types) in chain_names(apex, records, below_cut) {
            let is_insecure_cut = name != *apex
                && types.contains(&RecordType::NS)
                && !types.contains(&RecordType::DS);
            if self.opt_out && is_insecure_cut {
                continue;
            }
            if name == *apex {
                types.insert(RecordType::NSEC3PARAM);
            }
            if !types.is_empty() && !is_insecure_cut {
                types.insert(RecordType::RRSIG);
            }
            let Some(hash) = nsec3::nsec3_hash(nsec3::SHA1, &name, &self.salt, self.iterations)
            else {
                continue;
            };
            hashed.push((hash, types));
        }
        hashed.sort();
        let mut out: Vec<Record> = (0..hashed.len())
            .filter_map(|index| {
                let (hash, types) = &hashed[index];
                let next = hashed[(index + 1) % hashed.len()].0.clone();
                let owner = apex.prepend_label(nsec3::base32hex(hash)).ok()?;
                let rdata = NSEC3::new(
                    Nsec3HashAlgorithm::SHA1,
                    self.opt_out,
                    self.iterations,
                    self.salt.clone(),
                    next,
                    types.iter().copied(),
                );
                Some(Record::from_rdata(
                    owner,
                    ttl,
                    RData::DNSSEC(DNSSECRData::NSEC3(rdata)),
                ))
            })
            .collect();
        out.push(Record::from_rdata(
            apex.clone(),
            0,
            RData::DNSSEC(DNSSECRData::NSEC3PARAM(NSEC3PARAM::new(
                Nsec3HashAlgorithm::SHA1,
                false,
                self.iterations,
                self.salt.clone(),
            ))),
        ));
        out
    }
}

/// `records` as master-file lines in the generic form of RFC 3597
/// (`owner TTL IN TYPEnn \# length hex`), which every zone-file reader
/// takes whatever the type, so no presentation format of ours or of a
/// DNS library needs to agree with the server's parser.
pub fn zone_file_text(records: &[Record]) -> Result<String, SignError> {
    let mut text = String::new();
    for record in records {
        let rdata = canonical::canonical_rdata(record)?;
        let mut hex = String::with_capacity(rdata.len() * 2);
        for byte in &rdata {
            let _ = write!(hex, "{byte:02x}");
        }
        let _ = writeln!(
            text,
            "{} {} IN TYPE{} \\# {} {}",
            record.name.to_ascii(),
            record.ttl,
            u16::from(record.record_type()),
            rdata.len(),
            if hex.is_empty() { "" } else { &hex }
        );
    }
    Ok(text)
}

/// An RRSIG's RDATA, for fixtures that alter one.
pub fn rrsig_of(record: &Record) -> Option<&RRSIG> {
    match &record.data {
        RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => Some(rrsig),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnssec::verify::Verdict;
    use crate::dnssec::verify_rrsig;
    use hickory_proto::rr::rdata::{A, NS, SOA};

    fn name(text: &str) -> Name {
        Name::from_ascii(text).expect("a name")
    }

    fn zone_records() -> Vec<Record> {
        let apex = name("example.test.");
        let soa = SOA::new(
            name("ns1.example.test."),
            name("admin.example.test."),
            1,
            3600,
            900,
            604_800,
            300,
        );
        vec![
            Record::from_rdata(apex.clone(), 3600, RData::SOA(soa)),
            Record::from_rdata(apex.clone(), 3600, RData::NS(NS(name("ns1.example.test.")))),
            Record::from_rdata(
                name("ns1.example.test."),
                3600,
                RData::A(A::new(192, 0, 2, 1)),
            ),
            Record::from_rdata(
                name("www.a.example.test."),
                3600,
                RData::A(A::new(192, 0, 2, 2)),
            ),
            Record::from_rdata(
                name("sub.example.test."),
                3600,
                RData::NS(NS(name("ns.sub.example.test."))),
            ),
            Record::from_rdata(
                name("ns.sub.example.test."),
                3600,
                RData::A(A::new(192, 0, 2, 3)),
            ),
        ]
    }

    #[test]
    fn every_algorithm_signs_what_verify_accepts() {
        let owner = name("example.test.");
        let rrset = vec![Record::from_rdata(
            owner.clone(),
            300,
            RData::A(A::new(192, 0, 2, 1)),
        )];
        let validity = Validity::usual(SystemTime::now());
        for algorithm in [5, 7, 8, 10, 13, 14, 15, 16] {
            let key = if matches!(algorithm, 5 | 7 | 8 | 10) {
                SigningKey::generate_rsa(algorithm, ZSK, 1024)
            } else {
                SigningKey::generate(algorithm, ZSK)
            }
            .expect("a key");
            let record = key.sign_rrset(&rrset, &owner, validity).expect("signed");
            let rrsig = rrsig_of(&record).expect("an RRSIG");
            assert_eq!(rrsig.input().key_tag, key.key_tag());
            assert_eq!(
                verify_rrsig(rrsig, &key.dnskey(), &rrset),
                Verdict::Valid,
                "algorithm {algorithm}"
            );
            let other = vec![Record::from_rdata(
                owner.clone(),
                300,
                RData::A(A::new(192, 0, 2, 9)),
            )];
            assert_eq!(
                verify_rrsig(rrsig, &key.dnskey(), &other),
                Verdict::Invalid,
                "algorithm {algorithm}"
            );
        }
    }

    #[test]
    fn small_rsa_keys_are_made_and_verify() {
        let key = SigningKey::generate_rsa(8, KSK, 512).expect("a 512-bit key");
        assert_eq!(
            crate::dnssec::verify::key_size_bits(8, key.public_key()),
            Some(512)
        );
        let owner = name("example.test.");
        let rrset = vec![key.dnskey_record(&owner, 300)];
        let record = key
            .sign_rrset(&rrset, &owner, Validity::usual(SystemTime::now()))
            .expect("signed");
        let rrsig = rrsig_of(&record).expect("an RRSIG");
        assert_eq!(verify_rrsig(rrsig, &key.dnskey(), &rrset), Verdict::Valid);
    }

    #[test]
    fn ds_records_match_the_key() {
        let key = SigningKey::generate(13, KSK).expect("a key");
        let owner = name("example.test.");
        let record = key.ds_record(&owner, 3600, 2).expect("a DS");
        let RData::DNSSEC(DNSSECRData::DS(ds)) = &record.data else {
            panic!("not a DS: {record:?}");
        };
        assert_eq!(ds.key_tag(), key.key_tag());
        assert!(ds.covers(&owner, &key.dnskey()).expect("a digest"));
    }

    fn signed(denial: Denial) -> (Vec<Record>, SigningKey, SigningKey) {
        let ksk = SigningKey::generate(13, KSK).expect("a key");
        let zsk = SigningKey::generate(13, ZSK).expect("a key");
        let signing = ZoneSigning {
            denial,
            ..ZoneSigning::nsec(SystemTime::now())
        };
        let records = sign_zone(
            &name("example.test."),
            &zone_records(),
            &[&ksk, &zsk],
            &signing,
        )
        .expect("signed");
        (records, ksk, zsk)
    }

    fn signatures_over<'a>(
        records: &'a [Record],
        owner: &str,
        covered: RecordType,
    ) -> Vec<&'a RRSIG> {
        records
            .iter()
            .filter(|r| r.name == name(owner))
            .filter_map(rrsig_of)
            .filter(|rrsig| rrsig.input().type_covered == covered)
            .collect()
    }

    #[test]
    fn zones_are_signed_by_role_and_glue_is_not() {
        let (records, ksk, zsk) = signed(Denial::Nsec);
        let by_dnskey = signatures_over(&records, "example.test.", RecordType::DNSKEY);
        assert_eq!(by_dnskey.len(), 1);
        assert_eq!(by_dnskey[0].input().key_tag, ksk.key_tag());
        let by_soa = signatures_over(&records, "example.test.", RecordType::SOA);
        assert_eq!(by_soa.len(), 1);
        assert_eq!(by_soa[0].input().key_tag, zsk.key_tag());
        let soa: Vec<Record> = records
            .iter()
            .filter(|r| r.record_type() == RecordType::SOA)
            .cloned()
            .collect();
        assert_eq!(verify_rrsig(by_soa[0], &zsk.dnskey(), &soa), Verdict::Valid);
        assert!(signatures_over(&records, "sub.example.test.", RecordType::NS).is_empty());
        assert!(signatures_over(&records, "ns.sub.example.test.", RecordType::A).is_empty());
        assert_eq!(
            signatures_over(&records, "sub.example.test.", RecordType::NSEC).len(),
            1
        );
    }

    #[test]
    fn the_nsec_chain_is_closed_and_in_canonical_order() {
        let (records, _, _) = signed(Denial::Nsec);
        let chain: Vec<(Name, Name)> = records
            .iter()
            .filter_map(|r| match &r.data {
                RData::DNSSEC(DNSSECRData::NSEC(nsec)) => {
                    Some((r.name.clone(), nsec.next_domain_name().clone()))
                }
                _ => None,
            })
            .collect();
        let owners: Vec<String> = chain.iter().map(|(owner, _)| owner.to_ascii()).collect();
        // The empty non-terminal a.example.test. has no NSEC; glue below the cut neither.
        assert_eq!(
            owners,
            [
                "example.test.",
                "www.a.example.test.",
                "ns1.example.test.",
                "sub.example.test."
            ]
        );
        assert_eq!(chain[0].1, name("www.a.example.test."));
        assert_eq!(chain[3].1, name("example.test."));
    }

    #[test]
    fn the_nsec3_chain_hashes_every_name_and_opt_out_leaves_insecure_cuts() {
        let denial = |opt_out| Denial::Nsec3 {
            iterations: 0,
            salt: vec![0xab],
            opt_out,
        };
        let count = |records: &[Record]| {
            records
                .iter()
                .filter(|r| r.record_type() == RecordType::NSEC3)
                .count()
        };
        let (records, _, _) = signed(denial(false));
        // apex, ns1, a (empty non-terminal), www.a, sub.
        assert_eq!(count(&records), 5);
        let apex_hash = nsec3::nsec3_hash(1, &name("example.test."), &[0xab], 0).expect("a hash");
        let apex_owner = name("example.test.")
            .prepend_label(nsec3::base32hex(&apex_hash))
            .expect("a label");
        let apex_nsec3 = records
            .iter()
            .find(|r| r.name == apex_owner)
            .expect("the apex NSEC3");
        let RData::DNSSEC(DNSSECRData::NSEC3(nsec3)) = &apex_nsec3.data else {
            panic!("not an NSEC3")
        };
        let types: Vec<RecordType> = nsec3.type_bit_maps().collect();
        assert!(types.contains(&RecordType::NSEC3PARAM) && types.contains(&RecordType::DNSKEY));
        assert!(
            records
                .iter()
                .any(|r| r.record_type() == RecordType::NSEC3PARAM)
        );
        let (records, _, _) = signed(denial(true));
        assert_eq!(count(&records), 4);
    }

    #[test]
    fn zone_file_text_is_generic() {
        let record =
            Record::from_rdata(name("a.example.test."), 60, RData::A(A::new(192, 0, 2, 1)));
        assert_eq!(
            zone_file_text(&[record]).expect("text"),
            "a.example.test. 60 IN TYPE1 \\# 4 c0000201\n"
        );
    }
}
