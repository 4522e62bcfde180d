//! DNSSEC03 and DNSSEC10 end to end: zones signed when the test runs,
//! served by zm-testns, checked by `zmctl check`.
//!
//! zm-testns answers from the zone file; the negative answers with NSEC or
//! NSEC3 records in authority are given by `template` directives whose
//! lines are the signed records in RFC 3597 generic text. Every zone is in
//! one world and every run in one `check` call.

use hickory_proto::dnssec::Nsec3HashAlgorithm;
use hickory_proto::dnssec::rdata::{DNSSECRData, NSEC, NSEC3, NSEC3PARAM, RRSIG};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde_json::Value;
use zonemaster::dnssec::nsec3::{base32hex, nsec3_hash};
use zonemaster::dnssec::sign::{self, DAY, Denial, SigningKey, Validity, ZoneSigning};

use crate::signed_world::{Child, SignedWorld, args_of, level_of};

/// A signed child zone with its keys, and the pieces templates are made of.
struct Signed {
    child: Child,
    zsk: SigningKey,
    records: Vec<Record>,
    validity: Validity,
}

impl Signed {
    /// `child` signed with a new KSK and ZSK (ECDSA P-256) and `denial`;
    /// `extra` records (another DNSKEY) join the zone before signing.
    fn new(world: &SignedWorld, child: Child, denial: Denial, extra: &[Record]) -> Self {
        let ksk = SigningKey::generate(13, sign::KSK).expect("a key");
        let zsk = SigningKey::generate(13, sign::ZSK).expect("a key");
        let signing = ZoneSigning {
            denial,
            ..world.nsec()
        };
        let mut base = child.base.clone();
        base.extend_from_slice(extra);
        let records = sign::sign_zone(&child.name, &base, &[&ksk, &zsk], &signing).expect("signed");
        Self {
            child,
            zsk,
            records,
            validity: signing.validity,
        }
    }

    /// The zone's name.
    fn apex(&self) -> &Name {
        &self.child.name
    }

    /// The records of `rtype` owned by `owner`.
    fn rrset(&self, owner: &Name, rtype: RecordType) -> Vec<Record> {
        self.records
            .iter()
            .filter(|r| r.record_type() == rtype && r.name == *owner)
            .cloned()
            .collect()
    }

    /// The RRSIGs over `rtype` at `owner`.
    fn sigs(&self, owner: &Name, rtype: RecordType) -> Vec<Record> {
        self.records
            .iter()
            .filter(|r| {
                r.name == *owner
                    && sign::rrsig_of(r).is_some_and(|s| s.input().type_covered == rtype)
            })
            .cloned()
            .collect()
    }

    /// An RRset with its signatures.
    fn signed(&self, owner: &Name, rtype: RecordType) -> Vec<Record> {
        let mut records = self.rrset(owner, rtype);
        records.extend(self.sigs(owner, rtype));
        records
    }

    /// The SOA and its RRSIG.
    fn soa(&self) -> Vec<Record> {
        self.signed(self.apex(), RecordType::SOA)
    }

    /// The apex NSEC and its RRSIG.
    fn apex_nsec(&self) -> Vec<Record> {
        self.signed(self.apex(), RecordType::NSEC)
    }

    /// The owner of the NSEC3 record for `name`.
    fn nsec3_owner(&self, name: &Name, salt: &[u8], iterations: u16) -> Name {
        let hash = nsec3_hash(1, name, salt, iterations).expect("SHA-1");
        self.apex().prepend_label(base32hex(&hash)).expect("a name")
    }

    /// The apex NSEC3 (no salt, no iterations) and its RRSIG.
    fn apex_nsec3(&self) -> Vec<Record> {
        let owner = self.nsec3_owner(self.apex(), &[], 0);
        self.signed(&owner, RecordType::NSEC3)
    }

    /// `rrset` signed by the ZSK over `validity`, records then signature.
    fn sign(&self, rrset: Vec<Record>, validity: Validity) -> Vec<Record> {
        let rrsig = self
            .zsk
            .sign_rrset(&rrset, self.apex(), validity)
            .expect("signed");
        let mut records = rrset;
        records.push(rrsig);
        records
    }
}

/// A record.
fn record(owner: &Name, data: RData) -> Record {
    Record::from_rdata(owner.clone(), 3600, data)
}

/// An NSEC3 (SHA-1, no opt-out, no salt, no iterations) at `owner` listing
/// `types`.
fn nsec3(owner: &Name, types: &[RecordType]) -> Record {
    record(
        owner,
        RData::DNSSEC(DNSSECRData::NSEC3(NSEC3::new(
            Nsec3HashAlgorithm::SHA1,
            false,
            0,
            Vec::new(),
            vec![0x55; 20],
            types.iter().copied(),
        ))),
    )
}

/// An NSEC at `owner` listing `types`.
fn nsec(owner: &Name, next: &Name, types: &[RecordType]) -> Record {
    record(
        owner,
        RData::DNSSEC(DNSSECRData::NSEC(NSEC::new(
            next.clone(),
            types.iter().copied(),
        ))),
    )
}

/// An NSEC3PARAM at `owner`.
fn nsec3param(owner: &Name, iterations: u16) -> Record {
    record(
        owner,
        RData::DNSSEC(DNSSECRData::NSEC3PARAM(NSEC3PARAM::new(
            Nsec3HashAlgorithm::SHA1,
            false,
            iterations,
            Vec::new(),
        ))),
    )
}

/// `records` with the signature bytes of every RRSIG flipped.
fn broken(records: Vec<Record>) -> Vec<Record> {
    records
        .into_iter()
        .map(|mut r| {
            if let Some(rrsig) = sign::rrsig_of(&r) {
                let mut sig = rrsig.sig().to_vec();
                if let Some(byte) = sig.get_mut(10) {
                    *byte ^= 0xff;
                }
                r.data = RData::DNSSEC(DNSSECRData::RRSIG(RRSIG::from_sig(
                    rrsig.input().clone(),
                    sig,
                )));
            }
            r
        })
        .collect()
}

/// A `template` directive answering `rtype` questions in `zone` with
/// `answer` and `authority` records.
fn template(rtype: &str, zone: &Name, answer: &[Record], authority: &[Record]) -> String {
    let mut text = format!("    template IN {rtype} {} {{\n", zone.to_ascii());
    for (section, records) in [("answer", answer), ("authority", authority)] {
        let lines = sign::zone_file_text(records).expect("zone text");
        for line in lines.lines() {
            text.push_str(&format!("       {section} \"{line}\"\n"));
        }
    }
    text.push_str("    }\n");
    text
}

/// The tags of a test case's own verdicts (not start/end or families).
fn verdicts<'a>(results: &'a [Value], prefix: &str) -> Vec<&'a str> {
    results
        .iter()
        .filter_map(|m| m["tag"].as_str())
        .filter(|t| t.starts_with(prefix))
        .collect()
}

/// One zone to check: its label, the test case and what it must show.
struct Case {
    label: String,
    test_case: &'static str,
    expected: Vec<String>,
}

/// Builds the world: each zone as the case needs it.
struct Builder {
    world: SignedWorld,
    cases: Vec<Case>,
}

impl Builder {
    /// A new child `LABEL.test.`, delegated without DS.
    fn child(&mut self, label: &str) -> Child {
        let child = self.world.child(label);
        self.world.delegate(&child, &[]);
        child
    }

    /// A new child, delegated and signed with `denial`.
    fn signed(&mut self, label: &str, denial: Denial) -> Signed {
        let child = self.child(label);
        Signed::new(&self.world, child, denial, &[])
    }

    /// Both servers serve `zone` with `directives`.
    fn serve(&mut self, zone: &Signed, directives: &str) {
        for index in 0..2 {
            self.serve_one(zone, index, directives);
        }
    }

    /// Server `index` serves `zone` with `directives`.
    fn serve_one(&mut self, zone: &Signed, index: usize, directives: &str) {
        self.world
            .serve_with(&zone.child, index, zone.records.clone(), directives);
    }

    /// The run of `test_case` on `LABEL.test` must show exactly the
    /// verdicts `expected`.
    fn expect(&mut self, label: &str, test_case: &'static str, expected: &[&str]) {
        self.cases.push(Case {
            label: label.to_owned(),
            test_case,
            expected: expected.iter().map(|tag| (*tag).to_owned()).collect(),
        });
    }
}

/// The NSEC3 denial of a zone.
fn nsec3_denial(iterations: u16, salt: &[u8], opt_out: bool) -> Denial {
    Denial::Nsec3 {
        iterations,
        salt: salt.to_vec(),
        opt_out,
    }
}

/// The usual NSEC3 denial: no iterations, no salt, no opt-out.
fn usual_nsec3() -> Denial {
    nsec3_denial(0, &[], false)
}

/// An NSEC zone whose NSEC3PARAM question gets the NODATA proof `proof`
/// makes (`extra` directives for both servers).
fn nsec_zone(
    b: &mut Builder,
    label: &str,
    extra: &str,
    proof: impl FnOnce(&Signed) -> Vec<Record>,
) {
    let zone = b.signed(label, Denial::Nsec);
    let directives = template("NSEC3PARAM", zone.apex(), &[], &proof(&zone)) + extra;
    b.serve(&zone, &directives);
}

/// An NSEC3 zone whose NSEC question gets the NODATA proof `proof` makes.
fn nsec3_zone(
    b: &mut Builder,
    label: &str,
    extra: &str,
    proof: impl FnOnce(&Signed) -> Vec<Record>,
) {
    let zone = b.signed(label, usual_nsec3());
    let directives = template("NSEC", zone.apex(), &[], &proof(&zone)) + extra;
    b.serve(&zone, &directives);
}

/// The good NSEC proof: SOA and apex NSEC, signed.
fn nsec_proof(zone: &Signed) -> Vec<Record> {
    [zone.soa(), zone.apex_nsec()].concat()
}

/// The good NSEC3 proof: SOA and apex NSEC3, signed.
fn nsec3_proof(zone: &Signed) -> Vec<Record> {
    [zone.soa(), zone.apex_nsec3()].concat()
}

/// The zone's SOA owned by its first server's name instead.
fn misplaced_soa(zone: &Signed) -> Vec<Record> {
    let owner = zone.child.server_name(0);
    zone.sign(
        zone.rrset(zone.apex(), RecordType::SOA)
            .into_iter()
            .map(|mut soa| {
                soa.name = owner.clone();
                soa
            })
            .collect(),
        zone.validity,
    )
}

/// Directives dropping `rtype` questions.
fn drop_type(zone: &Name, rtype: &str) -> String {
    format!(
        "    acl {} {{\n        drop type {rtype}\n    }}\n",
        zone.to_ascii()
    )
}

/// An A record at the apex, the wrong answer to a DNSSEC question.
fn apex_address(zone: &Signed) -> Vec<Record> {
    vec![record(zone.apex(), RData::A(A::new(127, 0, 0, 1)))]
}

/// Signature validities around the world's now.
struct Validities {
    expired: Validity,
    future: Validity,
}

/// An expired validity and one still to come.
fn validities(world: &SignedWorld) -> Validities {
    let now = world.now();
    Validities {
        expired: Validity::around(now - 2 * DAY, 10 * DAY, DAY),
        future: Validity::around(now + 2 * DAY, DAY, 10 * DAY),
    }
}

/// The DNSSEC10 zones: good NSEC and NSEC3 zones, and a zone per finding.
fn dnssec10_zones(b: &mut Builder) {
    let times = validities(&b.world);
    const T: &str = "DNSSEC/dnssec10";

    nsec_zone(b, "d10-good-nsec", "", nsec_proof);
    b.expect("d10-good-nsec", T, &["DS10_HAS_NSEC"]);
    nsec3_zone(b, "d10-good-nsec3", "", nsec3_proof);
    b.expect("d10-good-nsec3", T, &["DS10_HAS_NSEC3"]);

    // The probes: silent, wrong answers, several records, other owners.
    let zone = b.signed("d10-nsec-silent", Denial::Nsec);
    let proof = template("NSEC3PARAM", zone.apex(), &[], &nsec_proof(&zone));
    b.serve_one(&zone, 0, &(proof.clone() + &drop_type(zone.apex(), "NSEC")));
    b.serve_one(&zone, 1, &proof);
    b.expect(
        "d10-nsec-silent",
        T,
        &[
            "DS10_NSEC_QUERY_RESPONSE_ERR",
            "DS10_INCONSISTENT_NSEC",
            "DS10_HAS_NSEC",
        ],
    );
    let zone = b.signed("d10-nsec3param-silent", usual_nsec3());
    let proof = template("NSEC", zone.apex(), &[], &nsec3_proof(&zone));
    b.serve_one(
        &zone,
        0,
        &(proof.clone() + &drop_type(zone.apex(), "NSEC3PARAM")),
    );
    b.serve_one(&zone, 1, &proof);
    b.expect(
        "d10-nsec3param-silent",
        T,
        &[
            "DS10_NSEC3PARAM_QUERY_RESPONSE_ERR",
            "DS10_INCONSISTENT_NSEC3",
            "DS10_HAS_NSEC3",
        ],
    );
    let zone = b.signed("d10-nsec-wrong-answer", Denial::Nsec);
    let directives = template("NSEC3PARAM", zone.apex(), &[], &nsec_proof(&zone))
        + &template("NSEC", zone.apex(), &apex_address(&zone), &[]);
    b.serve(&zone, &directives);
    b.expect(
        "d10-nsec-wrong-answer",
        T,
        &[
            "DS10_NSEC_GIVES_ERR_ANSWER",
            "DS10_INCONSISTENT_NSEC",
            "DS10_HAS_NSEC",
        ],
    );
    let zone = b.signed("d10-nsec3param-wrong-answer", usual_nsec3());
    let directives = template("NSEC", zone.apex(), &[], &nsec3_proof(&zone))
        + &template("NSEC3PARAM", zone.apex(), &apex_address(&zone), &[]);
    b.serve(&zone, &directives);
    b.expect(
        "d10-nsec3param-wrong-answer",
        T,
        &[
            "DS10_NSEC3PARAM_GIVES_ERR_ANSWER",
            "DS10_INCONSISTENT_NSEC3",
            "DS10_HAS_NSEC3",
        ],
    );
    nsec_zone(b, "d10-mult-nsec", "", |zone| {
        let ns1 = zone.child.server_name(0);
        [nsec_proof(zone), zone.signed(&ns1, RecordType::NSEC)].concat()
    });
    b.expect("d10-mult-nsec", T, &["DS10_ERR_MULT_NSEC", "DS10_HAS_NSEC"]);
    nsec3_zone(b, "d10-mult-nsec3", "", |zone| {
        let other = zone.nsec3_owner(&zone.child.server_name(0), &[], 0);
        [nsec3_proof(zone), zone.signed(&other, RecordType::NSEC3)].concat()
    });
    b.expect(
        "d10-mult-nsec3",
        T,
        &["DS10_ERR_MULT_NSEC3", "DS10_HAS_NSEC3"],
    );
    let zone = b.signed("d10-mult-nsec3param", usual_nsec3());
    let two = [nsec3param(zone.apex(), 0), nsec3param(zone.apex(), 1)];
    let directives = template("NSEC", zone.apex(), &[], &nsec3_proof(&zone))
        + &template("NSEC3PARAM", zone.apex(), &two, &[]);
    b.serve(&zone, &directives);
    b.expect(
        "d10-mult-nsec3param",
        T,
        &["DS10_ERR_MULT_NSEC3PARAM", "DS10_HAS_NSEC3"],
    );
    nsec_zone(b, "d10-nsec-not-apex", "", |zone| {
        let ns1 = zone.child.server_name(0);
        [zone.soa(), zone.signed(&ns1, RecordType::NSEC)].concat()
    });
    b.expect(
        "d10-nsec-not-apex",
        T,
        &["DS10_NSEC_MISMATCHES_APEX", "DS10_HAS_NSEC"],
    );
    nsec3_zone(b, "d10-nsec3-not-apex", "", |zone| {
        let other = zone.nsec3_owner(&zone.child.server_name(0), &[], 0);
        [zone.soa(), zone.signed(&other, RecordType::NSEC3)].concat()
    });
    b.expect(
        "d10-nsec3-not-apex",
        T,
        &["DS10_NSEC3_MISMATCHES_APEX", "DS10_HAS_NSEC3"],
    );
    let zone = b.signed("d10-nsec3param-not-apex", usual_nsec3());
    let elsewhere = [nsec3param(&zone.child.server_name(0), 0)];
    let directives = template("NSEC", zone.apex(), &[], &nsec3_proof(&zone))
        + &template("NSEC3PARAM", zone.apex(), &elsewhere, &[]);
    b.serve(&zone, &directives);
    b.expect(
        "d10-nsec3param-not-apex",
        T,
        &["DS10_NSEC3PARAM_MISMATCHES_APEX", "DS10_HAS_NSEC3"],
    );

    // The SOA of the NODATA proofs.
    nsec_zone(b, "d10-nsec-no-soa", "", Signed::apex_nsec);
    b.expect(
        "d10-nsec-no-soa",
        T,
        &["DS10_NSEC_NODATA_MISSING_SOA", "DS10_HAS_NSEC"],
    );
    nsec_zone(b, "d10-nsec-wrong-soa", "", |zone| {
        [misplaced_soa(zone), zone.apex_nsec()].concat()
    });
    b.expect(
        "d10-nsec-wrong-soa",
        T,
        &["DS10_NSEC_NODATA_WRONG_SOA", "DS10_HAS_NSEC"],
    );
    nsec3_zone(b, "d10-nsec3-no-soa", "", Signed::apex_nsec3);
    b.expect(
        "d10-nsec3-no-soa",
        T,
        &["DS10_NSEC3_NODATA_MISSING_SOA", "DS10_HAS_NSEC3"],
    );
    nsec3_zone(b, "d10-nsec3-wrong-soa", "", |zone| {
        [misplaced_soa(zone), zone.apex_nsec3()].concat()
    });
    b.expect(
        "d10-nsec3-wrong-soa",
        T,
        &["DS10_NSEC3_NODATA_WRONG_SOA", "DS10_HAS_NSEC3"],
    );

    // Type bitmaps of the apex records.
    nsec_zone(b, "d10-nsec-types", "", |zone| {
        let next = zone.child.server_name(0);
        let types = [
            RecordType::NS,
            RecordType::SOA,
            RecordType::RRSIG,
            RecordType::NSEC,
        ];
        let nsec = nsec(zone.apex(), &next, &types);
        [zone.soa(), zone.sign(vec![nsec], zone.validity)].concat()
    });
    b.expect(
        "d10-nsec-types",
        T,
        &["DS10_NSEC_ERR_TYPE_LIST", "DS10_HAS_NSEC"],
    );
    nsec3_zone(b, "d10-nsec3-types", "", |zone| {
        let owner = zone.nsec3_owner(zone.apex(), &[], 0);
        let types = [
            RecordType::NS,
            RecordType::SOA,
            RecordType::RRSIG,
            RecordType::DNSKEY,
            RecordType::NSEC3PARAM,
            RecordType::NSEC,
        ];
        [
            zone.soa(),
            zone.sign(vec![nsec3(&owner, &types)], zone.validity),
        ]
        .concat()
    });
    b.expect(
        "d10-nsec3-types",
        T,
        &["DS10_NSEC3_ERR_TYPE_LIST", "DS10_HAS_NSEC3"],
    );

    // The signatures over the apex records.
    let stranger = SigningKey::generate(13, sign::ZSK).expect("a key");
    let unsigned = |zone: &Signed, rtype| zone.rrset(&proof_owner(zone, rtype), rtype);
    for (rtype, prefix) in [(RecordType::NSEC, "nsec"), (RecordType::NSEC3, "nsec3")] {
        let upper = prefix.to_uppercase();
        let tag = |finding: &str| format!("DS10_{upper}_{finding}");
        let label = |finding: &str| format!("d10-{prefix}-{finding}");
        let has = format!("DS10_HAS_{upper}");
        let has = has.as_str();
        let zone_of = |b: &mut Builder, label: &str, proof: &dyn Fn(&Signed) -> Vec<Record>| {
            if rtype == RecordType::NSEC {
                nsec_zone(b, label, "", proof);
            } else {
                nsec3_zone(b, label, "", proof);
            }
        };
        zone_of(b, &label("unsigned"), &|zone| {
            [zone.soa(), unsigned(zone, rtype)].concat()
        });
        b.expect(&label("unsigned"), T, &[&tag("MISSING_SIGNATURE"), has]);
        zone_of(b, &label("stranger"), &|zone| {
            let rrset = unsigned(zone, rtype);
            let rrsig = stranger
                .sign_rrset(&rrset, zone.apex(), zone.validity)
                .expect("signed");
            [zone.soa(), rrset, vec![rrsig]].concat()
        });
        b.expect(
            &label("stranger"),
            T,
            &[&tag("RRSIG_NO_DNSKEY"), &tag("NO_VERIFIED_SIGNATURE"), has],
        );
        zone_of(b, &label("expired"), &|zone| {
            [zone.soa(), zone.sign(unsigned(zone, rtype), times.expired)].concat()
        });
        b.expect(
            &label("expired"),
            T,
            &[&tag("RRSIG_EXPIRED"), &tag("NO_VERIFIED_SIGNATURE"), has],
        );
        zone_of(b, &label("future"), &|zone| {
            [zone.soa(), zone.sign(unsigned(zone, rtype), times.future)].concat()
        });
        b.expect(
            &label("future"),
            T,
            &[
                &tag("RRSIG_NOT_YET_VALID"),
                &tag("NO_VERIFIED_SIGNATURE"),
                has,
            ],
        );
        zone_of(b, &label("broken"), &|zone| {
            [
                zone.soa(),
                broken(zone.sign(unsigned(zone, rtype), zone.validity)),
            ]
            .concat()
        });
        b.expect(
            &label("broken"),
            T,
            &[
                &tag("RRSIG_VERIFY_ERROR"),
                &tag("NO_VERIFIED_SIGNATURE"),
                has,
            ],
        );
    }

    // A key of an algorithm we cannot check (private, 253) beside the
    // usual ones: its signature is "not supported", the other verifies.
    let odd = SigningKey::generate(13, sign::ZSK)
        .expect("a key")
        .published_as(253);
    let child = b.child("d10-odd-algorithm");
    let odd_dnskey = odd.dnskey_record(&child.name, 3600);
    let zone = Signed::new(&b.world, child, Denial::Nsec, &[odd_dnskey]);
    let nsec = zone.rrset(zone.apex(), RecordType::NSEC);
    let odd_rrsig = odd
        .sign_rrset(&nsec, zone.apex(), zone.validity)
        .expect("signed");
    let proof = [nsec_proof(&zone), vec![odd_rrsig]].concat();
    b.serve(&zone, &template("NSEC3PARAM", zone.apex(), &[], &proof));
    b.expect(
        "d10-odd-algorithm",
        T,
        &["DS10_ALGO_NOT_SUPPORTED_BY_ZM", "DS10_HAS_NSEC"],
    );

    // NSEC against NSEC3, and zones without either.
    let zone = b.signed("d10-mixed", Denial::Nsec);
    let directives = template(
        "NSEC3PARAM",
        zone.apex(),
        &[nsec3param(zone.apex(), 0)],
        &[],
    );
    b.serve(&zone, &directives);
    b.expect("d10-mixed", T, &["DS10_MIXED_NSEC_NSEC3"]);
    let child = b.child("d10-split");
    let with_nsec = Signed::new(&b.world, child.clone(), Denial::Nsec, &[]);
    let with_nsec3 = Signed::new(&b.world, child, usual_nsec3(), &[]);
    let nsec_directives = template("NSEC3PARAM", with_nsec.apex(), &[], &nsec_proof(&with_nsec));
    let nsec3_directives = template("NSEC", with_nsec3.apex(), &[], &nsec3_proof(&with_nsec3));
    b.serve_one(&with_nsec, 0, &nsec_directives);
    b.serve_one(&with_nsec3, 1, &nsec3_directives);
    b.expect("d10-split", T, &["DS10_INCONSISTENT_NSEC_NSEC3"]);
    let zone = b.signed("d10-no-denial", Denial::None);
    b.serve(&zone, "");
    b.expect("d10-no-denial", T, &["DS10_EXPECTED_NSEC_NSEC3_MISSING"]);
    let child = b.child("d10-half-signed");
    let zone = Signed::new(&b.world, child.clone(), Denial::Nsec, &[]);
    b.serve_one(
        &zone,
        0,
        &template("NSEC3PARAM", zone.apex(), &[], &nsec_proof(&zone)),
    );
    b.world.serve(&child, 1, child.base.clone());
    b.expect(
        "d10-half-signed",
        T,
        &["DS10_SERVER_NO_DNSSEC", "DS10_HAS_NSEC"],
    );
    let child = b.child("d10-unsigned");
    b.world.serve_both(&child, &child.base);
    b.expect("d10-unsigned", T, &["DS10_ZONE_NO_DNSSEC"]);
}

/// The owner of the apex denial record of `rtype` in `zone`.
fn proof_owner(zone: &Signed, rtype: RecordType) -> Name {
    if rtype == RecordType::NSEC3 {
        zone.nsec3_owner(zone.apex(), &[], 0)
    } else {
        zone.apex().clone()
    }
}

/// An NSEC3 RDATA in wire form, for parameters hickory cannot encode.
fn raw_nsec3(owner: &Name, algorithm: u8, flags: u8, iterations: u16, salt: &[u8]) -> String {
    let mut rdata = vec![algorithm, flags];
    rdata.extend_from_slice(&iterations.to_be_bytes());
    rdata.push(u8::try_from(salt.len()).expect("a short salt"));
    rdata.extend_from_slice(salt);
    rdata.push(20);
    rdata.extend_from_slice(&[0x55; 20]);
    // NS SOA RRSIG DNSKEY NSEC3PARAM
    rdata.extend_from_slice(&[0, 7, 0x22, 0, 0, 0, 0, 0x03, 0x80]);
    let hex: String = rdata.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{} 3600 IN TYPE50 \\# {} {hex}",
        owner.to_ascii(),
        rdata.len()
    )
}

/// A template answering NSEC questions with the SOA and one raw NSEC3.
fn raw_nsec3_template(zone: &Signed, nsec3_line: &str) -> String {
    let soa = sign::zone_file_text(&zone.soa()).expect("zone text");
    let mut text = format!("    template IN NSEC {} {{\n", zone.apex().to_ascii());
    for line in soa.lines().chain([nsec3_line]) {
        text.push_str(&format!("       authority \"{line}\"\n"));
    }
    text.push_str("    }\n");
    text
}

/// The DNSSEC03 zones.
fn dnssec03_zones(b: &mut Builder) {
    const T: &str = "DNSSEC/dnssec03";
    const LEGAL: [&str; 4] = [
        "DS03_LEGAL_EMPTY_SALT",
        "DS03_LEGAL_HASH_ALGO",
        "DS03_LEGAL_ITERATION_VALUE",
        "DS03_NSEC3_OPT_OUT_DISABLED",
    ];
    nsec3_zone(b, "d03-good", "", nsec3_proof);
    b.expect("d03-good", T, &LEGAL);
    let zone = b.signed("d03-costly", nsec3_denial(5, &[0xaa, 0xbb], true));
    let owner = zone.nsec3_owner(zone.apex(), &[0xaa, 0xbb], 5);
    let proof = [zone.soa(), zone.signed(&owner, RecordType::NSEC3)].concat();
    b.serve(&zone, &template("NSEC", zone.apex(), &[], &proof));
    b.expect(
        "d03-costly",
        T,
        &[
            "DS03_LEGAL_HASH_ALGO",
            "DS03_ILLEGAL_ITERATION_VALUE",
            "DS03_ILLEGAL_SALT_LENGTH",
            "DS03_NSEC3_OPT_OUT_ENABLED_NON_TLD",
        ],
    );
    let zone = b.signed("d03-odd", usual_nsec3());
    let owner = zone.nsec3_owner(zone.apex(), &[], 0);
    b.serve(
        &zone,
        &raw_nsec3_template(&zone, &raw_nsec3(&owner, 2, 3, 0, &[])),
    );
    b.expect(
        "d03-odd",
        T,
        &[
            "DS03_ILLEGAL_HASH_ALGO",
            "DS03_UNASSIGNED_FLAG_USED",
            "DS03_NSEC3_OPT_OUT_ENABLED_NON_TLD",
            "DS03_LEGAL_ITERATION_VALUE",
            "DS03_LEGAL_EMPTY_SALT",
        ],
    );
    let zone = b.signed("d03-inconsistent", usual_nsec3());
    let owner = zone.nsec3_owner(zone.apex(), &[], 0);
    b.serve_one(
        &zone,
        0,
        &template("NSEC", zone.apex(), &[], &nsec3_proof(&zone)),
    );
    b.serve_one(
        &zone,
        1,
        &raw_nsec3_template(&zone, &raw_nsec3(&owner, 2, 1, 1, &[0xab])),
    );
    b.expect(
        "d03-inconsistent",
        T,
        &[
            "DS03_INCONSISTENT_HASH_ALGO",
            "DS03_LEGAL_HASH_ALGO",
            "DS03_ILLEGAL_HASH_ALGO",
            "DS03_INCONSISTENT_NSEC3_FLAGS",
            "DS03_NSEC3_OPT_OUT_DISABLED",
            "DS03_NSEC3_OPT_OUT_ENABLED_NON_TLD",
            "DS03_INCONSISTENT_ITERATION",
            "DS03_LEGAL_ITERATION_VALUE",
            "DS03_ILLEGAL_ITERATION_VALUE",
            "DS03_INCONSISTENT_SALT_LENGTH",
            "DS03_LEGAL_EMPTY_SALT",
            "DS03_ILLEGAL_SALT_LENGTH",
        ],
    );
    nsec3_zone(b, "d03-mult", "", |zone| {
        let other = zone.nsec3_owner(&zone.child.server_name(0), &[], 0);
        [nsec3_proof(zone), zone.signed(&other, RecordType::NSEC3)].concat()
    });
    b.expect(
        "d03-mult",
        T,
        &[&["DS03_ERR_MULT_NSEC3"][..], &LEGAL].concat(),
    );
    let child = b.child("d03-half-nsec3");
    let with_nsec3 = Signed::new(&b.world, child.clone(), usual_nsec3(), &[]);
    let with_nsec = Signed::new(&b.world, child, Denial::Nsec, &[]);
    let directives = template("NSEC", with_nsec3.apex(), &[], &nsec3_proof(&with_nsec3));
    b.serve_one(&with_nsec3, 0, &directives);
    b.serve_one(&with_nsec, 1, "");
    b.expect(
        "d03-half-nsec3",
        T,
        &[&["DS03_SERVER_NO_NSEC3"][..], &LEGAL].concat(),
    );
    let child = b.child("d03-half-signed");
    let zone = Signed::new(&b.world, child.clone(), usual_nsec3(), &[]);
    b.serve_one(
        &zone,
        0,
        &template("NSEC", zone.apex(), &[], &nsec3_proof(&zone)),
    );
    b.world.serve(&child, 1, child.base.clone());
    b.expect(
        "d03-half-signed",
        T,
        &[&["DS03_SERVER_NO_DNSSEC_SUPPORT"][..], &LEGAL].concat(),
    );
    let zone = b.signed("d03-silent", usual_nsec3());
    b.serve(&zone, &drop_type(zone.apex(), "NSEC"));
    b.expect("d03-silent", T, &["DS03_NO_RESPONSE_NSEC_QUERY"]);
    let zone = b.signed("d03-refused", usual_nsec3());
    let refusing = format!(
        "    template IN NSEC {} {{\n       rcode REFUSED\n    }}\n",
        zone.apex().to_ascii()
    );
    b.serve(&zone, &refusing);
    b.expect("d03-refused", T, &["DS03_ERROR_RESPONSE_NSEC_QUERY"]);
    let zone = b.signed("d03-nsec", Denial::Nsec);
    b.serve(&zone, "");
    b.expect("d03-nsec", T, &["DS03_NO_NSEC3"]);
    let child = b.child("d03-unsigned");
    b.world.serve_both(&child, &child.base);
    b.expect("d03-unsigned", T, &["DS03_NO_DNSSEC_SUPPORT"]);
}

/// Every zone of both test cases, checked in one world: each shows
/// exactly its expected verdicts, and a few arguments are looked at.
#[test]
fn dnssec03_and_dnssec10_verdicts_on_signed_zones() {
    let mut b = Builder {
        world: SignedWorld::new(),
        cases: Vec::new(),
    };
    dnssec10_zones(&mut b);
    dnssec03_zones(&mut b);
    let zones: Vec<String> = b
        .cases
        .iter()
        .map(|case| format!("{}.test", case.label))
        .collect();
    let runs: Vec<(&str, &str)> = zones
        .iter()
        .zip(&b.cases)
        .map(|(zone, case)| (zone.as_str(), case.test_case))
        .collect();
    let results = b.world.check(&runs, &[]);
    let mut failures = Vec::new();
    for (case, results) in b.cases.iter().zip(&results) {
        let prefix = if case.test_case.ends_with("dnssec03") {
            "DS03_"
        } else {
            "DS10_"
        };
        let mut found = verdicts(results, prefix);
        found.sort_unstable();
        let mut expected: Vec<&str> = case.expected.iter().map(String::as_str).collect();
        expected.sort_unstable();
        if found != expected {
            failures.push(format!(
                "{}: expected {expected:?}, found {found:?}",
                case.label
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let of = |label: &str| {
        let index = b
            .cases
            .iter()
            .position(|case| case.label == label)
            .expect("a case");
        &results[index]
    };
    check_arguments(&of);
}

/// Arguments and levels worth pinning.
fn check_arguments<'a>(of: &dyn Fn(&str) -> &'a Vec<Value>) {
    let costly = of("d03-costly");
    assert_eq!(args_of(costly, "DS03_ILLEGAL_ITERATION_VALUE")[0]["int"], 5);
    assert_eq!(args_of(costly, "DS03_ILLEGAL_SALT_LENGTH")[0]["int"], 2);
    assert_eq!(
        level_of(costly, "DS03_ILLEGAL_SALT_LENGTH").as_deref(),
        Some("WARNING")
    );
    let odd = of("d03-odd");
    assert_eq!(args_of(odd, "DS03_ILLEGAL_HASH_ALGO")[0]["algo_num"], 2);
    assert_eq!(args_of(odd, "DS03_UNASSIGNED_FLAG_USED")[0]["int"], 6);
    let split = &args_of(of("d10-split"), "DS10_INCONSISTENT_NSEC_NSEC3")[0];
    let starts =
        |value: &Value, prefix: &str| value.as_str().is_some_and(|v| v.starts_with(prefix));
    assert!(
        starts(&split["ns_list_nsec"], "ns1.d10-split.test/"),
        "{split}"
    );
    assert!(
        starts(&split["ns_list_nsec3"], "ns2.d10-split.test/"),
        "{split}"
    );
    let stranger = of("d10-nsec-stranger");
    assert_eq!(
        level_of(stranger, "DS10_NSEC_RRSIG_NO_DNSKEY").as_deref(),
        Some("WARNING")
    );
    let odd = &args_of(of("d10-odd-algorithm"), "DS10_ALGO_NOT_SUPPORTED_BY_ZM")[0];
    assert_eq!(odd["algo_num"], 253);
    assert_eq!(odd["algo_mnemo"], "PRIVATEDNS");
    let wrong_soa = &args_of(of("d10-nsec-wrong-soa"), "DS10_NSEC_NODATA_WRONG_SOA")[0];
    assert_eq!(wrong_soa["domain"], "d10-nsec-wrong-soa.test");
}
