//! DNSSEC15, 16 and 17 end to end: child zones with CDS and CDNSKEY
//! records, signed when the test runs, served by zm-testns in a signed
//! world, checked by `zmctl check`. One zone passes; each of the others
//! makes the test cases say one thing (every tag of WARNING or worse has
//! its zone).

use std::collections::BTreeSet;

use hickory_proto::dnssec::DigestType;
use hickory_proto::dnssec::rdata::{CDNSKEY, CDS, DNSSECRData, RRSIG};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde_json::Value;
use zonemaster::dnssec::sign::{self, SigningKey, Validity};

use crate::signed_world::{Child, SignedWorld, args_of, level_of, tags};

fn key(flags: u16) -> SigningKey {
    SigningKey::generate(13, flags).expect("a key")
}

/// The CDS of `key` at `owner` (digest type 2).
fn cds_of(owner: &Name, key: &SigningKey) -> Record {
    key.cds_record(owner, 3600, 2).expect("a CDS")
}

/// The CDNSKEY of `key` at `owner`.
fn cdnskey_of(owner: &Name, key: &SigningKey) -> Record {
    key.cdnskey_record(owner, 3600)
}

/// The "delete" pair of RFC 8078 §4: CDS `0 0 0 00`, CDNSKEY `0 3 0 AA==`.
fn delete_pair(owner: &Name) -> [Record; 2] {
    let cds = CDS::new(0, None, DigestType::from(0), vec![0]);
    let cdnskey = CDNSKEY::with_flags(0, None, vec![0]);
    [
        Record::from_rdata(owner.clone(), 3600, RData::DNSSEC(DNSSECRData::CDS(cds))),
        Record::from_rdata(
            owner.clone(),
            3600,
            RData::DNSSEC(DNSSECRData::CDNSKEY(cdnskey)),
        ),
    ]
}

fn both_of(owner: &Name, key: &SigningKey) -> [Record; 2] {
    [cds_of(owner, key), cdnskey_of(owner, key)]
}

/// A child's base and `extra` records signed by `keys` (KSKs sign the key
/// sets, ZSKs the rest).
fn signed(
    world: &SignedWorld,
    child: &Child,
    keys: &[&SigningKey],
    extra: &[Record],
) -> Vec<Record> {
    let records = [child.base.clone(), extra.to_vec()].concat();
    sign::sign_zone(&child.name, &records, keys, &world.nsec()).expect("signed")
}

fn covers(record: &Record, rtype: RecordType) -> bool {
    sign::rrsig_of(record).is_some_and(|rrsig| rrsig.input().type_covered == rtype)
}

fn is_cds_or_cdnskey_rrsig(record: &Record) -> bool {
    covers(record, RecordType::CDS) || covers(record, RecordType::CDNSKEY)
}

/// The zones of the world, with what each test case must say about them.
struct Case {
    zone: String,
    test_case: &'static str,
    expected: &'static [&'static str],
}

/// Adds `child`, delegated without DS, served by both servers with
/// `records`, and what the test cases must say.
fn add(
    world: &mut SignedWorld,
    cases: &mut Vec<Case>,
    child: &Child,
    records: &[Record],
    expected: &[(&'static str, &'static [&'static str])],
) {
    world.delegate(child, &[]);
    world.serve_both(child, records);
    let zone = child.name.to_ascii().trim_end_matches('.').to_owned();
    for (test_case, tags) in expected {
        cases.push(Case {
            zone: zone.clone(),
            test_case,
            expected: tags,
        });
    }
}

/// The DNSSEC15–17 tags of a run, each once.
fn cds_tags(results: &[Value]) -> BTreeSet<String> {
    tags(results)
        .into_iter()
        .filter(|tag| {
            ["DS15_", "DS16_", "DS17_"]
                .iter()
                .any(|p| tag.starts_with(p))
        })
        .collect()
}

#[test]
fn cds_and_cdnskey_zones_get_their_verdicts() {
    let mut world = SignedWorld::new();
    let mut cases = Vec::new();
    let (ksk, zsk) = (key(sign::KSK), key(sign::ZSK));
    let keys: &[&SigningKey] = &[&ksk, &zsk];

    let good = world.child("good");
    let records = signed(&world, &good, keys, &both_of(&good.name, &ksk));
    add(
        &mut world,
        &mut cases,
        &good,
        &records,
        &[
            ("dnssec15", &["DS15_HAS_CDS_AND_CDNSKEY"]),
            ("dnssec16", &[]),
            ("dnssec17", &[]),
        ],
    );

    let none = world.child("none");
    let records = signed(&world, &none, keys, &[]);
    add(
        &mut world,
        &mut cases,
        &none,
        &records,
        &[
            ("dnssec15", &["DS15_NO_CDS_CDNSKEY"]),
            ("dnssec16", &[]),
            ("dnssec17", &[]),
        ],
    );

    let cds_only = world.child("cds-only");
    let records = signed(&world, &cds_only, keys, &[cds_of(&cds_only.name, &ksk)]);
    add(
        &mut world,
        &mut cases,
        &cds_only,
        &records,
        &[("dnssec15", &["DS15_HAS_CDS_NO_CDNSKEY"])],
    );

    // Two KSKs in the set; each server publishes the records of another.
    let other_ksk = key(sign::KSK);
    let two_ksks: &[&SigningKey] = &[&ksk, &other_ksk, &zsk];
    let inconsistent = world.child("inconsistent");
    let first = signed(
        &world,
        &inconsistent,
        two_ksks,
        &both_of(&inconsistent.name, &ksk),
    );
    let second = signed(
        &world,
        &inconsistent,
        two_ksks,
        &both_of(&inconsistent.name, &other_ksk),
    );
    world.delegate(&inconsistent, &[]);
    world.serve(&inconsistent, 0, first);
    world.serve(&inconsistent, 1, second);
    cases.push(Case {
        zone: "inconsistent.test".to_owned(),
        test_case: "dnssec15",
        expected: &[
            "DS15_HAS_CDS_AND_CDNSKEY",
            "DS15_INCONSISTENT_CDNSKEY",
            "DS15_INCONSISTENT_CDS",
        ],
    });

    let mismatch = world.child("mismatch");
    let extra = [
        cds_of(&mismatch.name, &ksk),
        cdnskey_of(&mismatch.name, &other_ksk),
    ];
    let records = signed(&world, &mismatch, two_ksks, &extra);
    add(
        &mut world,
        &mut cases,
        &mismatch,
        &records,
        &[
            (
                "dnssec15",
                &["DS15_HAS_CDS_AND_CDNSKEY", "DS15_MISMATCH_CDS_CDNSKEY"],
            ),
            ("dnssec16", &[]),
            ("dnssec17", &[]),
        ],
    );

    let delete = world.child("delete");
    let records = signed(&world, &delete, keys, &delete_pair(&delete.name));
    add(
        &mut world,
        &mut cases,
        &delete,
        &records,
        &[
            ("dnssec15", &["DS15_HAS_CDS_AND_CDNSKEY"]),
            ("dnssec16", &["DS16_DELETE_CDS"]),
            ("dnssec17", &["DS17_DELETE_CDNSKEY"]),
        ],
    );

    let mixed = world.child("mixed");
    let extra = [delete_pair(&mixed.name), both_of(&mixed.name, &ksk)].concat();
    let records = signed(&world, &mixed, keys, &extra);
    add(
        &mut world,
        &mut cases,
        &mixed,
        &records,
        &[
            ("dnssec16", &["DS16_MIXED_DELETE_CDS"]),
            ("dnssec17", &["DS17_MIXED_DELETE_CDNSKEY"]),
        ],
    );

    let without_dnskey = world.child("without-dnskey");
    let records = [
        without_dnskey.base.clone(),
        both_of(&without_dnskey.name, &ksk).to_vec(),
    ]
    .concat();
    add(
        &mut world,
        &mut cases,
        &without_dnskey,
        &records,
        &[
            ("dnssec16", &["DS16_CDS_WITHOUT_DNSKEY"]),
            ("dnssec17", &["DS17_CDNSKEY_WITHOUT_DNSKEY"]),
        ],
    );

    let unsigned = world.child("unsigned");
    let records: Vec<Record> = signed(&world, &unsigned, keys, &both_of(&unsigned.name, &ksk))
        .into_iter()
        .filter(|record| !is_cds_or_cdnskey_rrsig(record))
        .collect();
    add(
        &mut world,
        &mut cases,
        &unsigned,
        &records,
        &[
            (
                "dnssec16",
                &["DS16_CDS_NOT_SIGNED_BY_CDS", "DS16_CDS_UNSIGNED"],
            ),
            (
                "dnssec17",
                &[
                    "DS17_CDNSKEY_NOT_SIGNED_BY_CDNSKEY",
                    "DS17_CDNSKEY_UNSIGNED",
                ],
            ),
        ],
    );

    let stranger = key(sign::KSK);
    let no_match = world.child("no-match");
    let records = signed(&world, &no_match, keys, &both_of(&no_match.name, &stranger));
    add(
        &mut world,
        &mut cases,
        &no_match,
        &records,
        &[
            ("dnssec16", &["DS16_CDS_MATCHES_NO_DNSKEY"]),
            ("dnssec17", &["DS17_CDNSKEY_MATCHES_NO_DNSKEY"]),
        ],
    );

    // A key with the SEP flag and not the ZONE flag, in the DNSKEY set.
    let non_zone_key = key(sign::SEP);
    let non_zone = world.child("non-zone");
    let extra = [
        vec![non_zone_key.dnskey_record(&non_zone.name, 3600)],
        both_of(&non_zone.name, &non_zone_key).to_vec(),
    ]
    .concat();
    let records = signed(&world, &non_zone, keys, &extra);
    add(
        &mut world,
        &mut cases,
        &non_zone,
        &records,
        &[
            ("dnssec16", &["DS16_CDS_MATCHES_NON_ZONE_DNSKEY"]),
            ("dnssec17", &["DS17_CDNSKEY_IS_NON_ZONE"]),
        ],
    );

    let of_zsk = world.child("of-zsk");
    let records = signed(&world, &of_zsk, keys, &both_of(&of_zsk.name, &zsk));
    add(
        &mut world,
        &mut cases,
        &of_zsk,
        &records,
        &[
            (
                "dnssec16",
                &[
                    "DS16_CDS_MATCHES_NON_SEP_DNSKEY",
                    "DS16_CDS_NOT_SIGNED_BY_CDS",
                    "DS16_DNSKEY_NOT_SIGNED_BY_CDS",
                ],
            ),
            (
                "dnssec17",
                &[
                    "DS17_CDNSKEY_IS_NON_SEP",
                    "DS17_CDNSKEY_NOT_SIGNED_BY_CDNSKEY",
                    "DS17_DNSKEY_NOT_SIGNED_BY_CDNSKEY",
                ],
            ),
        ],
    );

    let invalid = world.child("invalid");
    let records: Vec<Record> = signed(&world, &invalid, keys, &both_of(&invalid.name, &ksk))
        .into_iter()
        .map(|record| match sign::rrsig_of(&record) {
            Some(rrsig) if is_cds_or_cdnskey_rrsig(&record) => {
                let mut signature = rrsig.sig().to_vec();
                signature[0] ^= 0xff;
                let rrsig = RRSIG::from_sig(rrsig.input().clone(), signature);
                Record::from_rdata(
                    record.name.clone(),
                    record.ttl,
                    RData::DNSSEC(DNSSECRData::RRSIG(rrsig)),
                )
            }
            _ => record,
        })
        .collect();
    add(
        &mut world,
        &mut cases,
        &invalid,
        &records,
        &[
            ("dnssec16", &["DS16_CDS_INVALID_RRSIG"]),
            ("dnssec17", &["DS17_CDNSKEY_INVALID_RRSIG"]),
        ],
    );

    let unknown = world.child("unknown-signer");
    let mut records = signed(&world, &unknown, keys, &both_of(&unknown.name, &ksk));
    for record in both_of(&unknown.name, &ksk) {
        let validity = Validity::usual(world.now());
        records.push(
            stranger
                .sign_rrset(&[record], &unknown.name, validity)
                .expect("a signature"),
        );
    }
    add(
        &mut world,
        &mut cases,
        &unknown,
        &records,
        &[
            ("dnssec16", &["DS16_CDS_SIGNED_BY_UNKNOWN_DNSKEY"]),
            ("dnssec17", &["DS17_CDNSKEY_SIGNED_BY_UNKNOWN_DNSKEY"]),
        ],
    );

    let not_aa = world.child("not-aa");
    let records = signed(&world, &not_aa, keys, &both_of(&not_aa.name, &zsk));
    world.delegate(&not_aa, &[]);
    for index in 0..2 {
        world.serve_with(
            &not_aa,
            index,
            records.clone(),
            "    header { response clear aa }",
        );
    }
    for (test_case, expected) in [
        ("dnssec15", &["DS15_NO_CDS_CDNSKEY"][..]),
        ("dnssec16", &[]),
        ("dnssec17", &[]),
    ] {
        cases.push(Case {
            zone: "not-aa.test".to_owned(),
            test_case,
            expected,
        });
    }

    let selections: Vec<String> = cases
        .iter()
        .map(|case| format!("dnssec/{}", case.test_case))
        .collect();
    let runs: Vec<(&str, &str)> = cases
        .iter()
        .zip(&selections)
        .map(|(case, selection)| (case.zone.as_str(), selection.as_str()))
        .collect();
    let results = world.check(&runs, &[]);

    let mut wrong = Vec::new();
    for (case, results) in cases.iter().zip(&results) {
        let found = cds_tags(results);
        let expected: BTreeSet<String> =
            case.expected.iter().map(|tag| (*tag).to_owned()).collect();
        if found != expected {
            wrong.push(format!(
                "{} {}: expected {expected:?}, found {found:?}",
                case.zone, case.test_case
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Arguments and levels, on a few of the runs.
    let run_of = |zone: &str, test_case: &str| {
        let index = cases
            .iter()
            .position(|case| case.zone == zone && case.test_case == test_case)
            .expect("a run");
        &results[index]
    };
    let good = run_of("good.test", "dnssec15");
    assert_eq!(
        args_of(good, "DS15_HAS_CDS_AND_CDNSKEY")[0]["ns_ip_list"],
        "127.54.1.1;127.54.1.2"
    );
    let invalid = run_of("invalid.test", "dnssec16");
    assert_eq!(
        args_of(invalid, "DS16_CDS_INVALID_RRSIG")[0]["keytag"],
        ksk.key_tag()
    );
    assert_eq!(
        level_of(invalid, "DS16_CDS_INVALID_RRSIG").as_deref(),
        Some("ERROR")
    );
    let of_zsk = run_of("of-zsk.test", "dnssec17");
    assert_eq!(
        level_of(of_zsk, "DS17_DNSKEY_NOT_SIGNED_BY_CDNSKEY").as_deref(),
        Some("WARNING")
    );
    assert_eq!(
        args_of(of_zsk, "DS17_CDNSKEY_IS_NON_SEP")[0]["keytag"],
        zsk.key_tag()
    );
}
