//! DNSSEC04, 05, 06, 08, 09, 13 and 14 end to end: zones signed when the
//! test runs (`zonemaster::dnssec::sign`), served by zm-testns, checked
//! with `zmctl check`. One world and one check call hold every zone: a
//! well-signed zone that passes them all, and a zone for each finding of
//! WARNING or worse.

use std::time::Duration;

use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, RRSIG};
use hickory_proto::dnssec::{Algorithm, PublicKeyBuf};
use hickory_proto::rr::{RData, Record, RecordType};
use serde_json::Value;
use zonemaster::dnssec::sign::{
    self, DAY, HOUR, KSK, SigningKey, Validity, ZSK, ZoneSigning, rrsig_of,
};

use crate::signed_world::{Child, SignedWorld, args_of, level_of, tags};

/// The test cases of this file.
const TEST_CASES: [&str; 7] = [
    "dnssec04", "dnssec05", "dnssec06", "dnssec08", "dnssec09", "dnssec13", "dnssec14",
];

/// A fresh ECDSA P-256 key.
fn ecdsa(flags: u16) -> SigningKey {
    SigningKey::generate(13, flags).unwrap()
}

/// `child` signed with `keys` under `signing`.
fn signed(child: &Child, keys: &[&SigningKey], signing: &ZoneSigning) -> Vec<Record> {
    sign::sign_zone(&child.name, &child.base, keys, signing).unwrap()
}

/// True for an RRSIG over `covered`.
fn is_rrsig_over(record: &Record, covered: RecordType) -> bool {
    rrsig_of(record).is_some_and(|rrsig| rrsig.input().type_covered == covered)
}

/// `records` without the RRSIGs over `covered` that `drop` selects.
fn dropping(records: &[Record], covered: RecordType, drop: impl Fn(&RRSIG) -> bool) -> Vec<Record> {
    records
        .iter()
        .filter(|record| !(is_rrsig_over(record, covered) && rrsig_of(record).is_some_and(&drop)))
        .cloned()
        .collect()
}

/// `records` with every RRSIG over `covered` replaced by `change` of it.
fn changing(
    records: &[Record],
    covered: RecordType,
    change: impl Fn(&RRSIG) -> RRSIG,
) -> Vec<Record> {
    records
        .iter()
        .map(|record| match rrsig_of(record) {
            Some(rrsig) if is_rrsig_over(record, covered) => {
                let mut changed = record.clone();
                changed.data = RData::DNSSEC(DNSSECRData::RRSIG(change(rrsig)));
                changed
            }
            _ => record.clone(),
        })
        .collect()
}

/// The same RRSIG with one bit of its signature flipped.
fn broken(rrsig: &RRSIG) -> RRSIG {
    let mut signature = rrsig.sig().to_vec();
    if let Some(first) = signature.first_mut() {
        *first ^= 0x01;
    }
    RRSIG::from_sig(rrsig.input().clone(), signature)
}

/// The records of `child` of `rtype` at its apex.
fn apex_rrset(child: &Child, records: &[Record], rtype: RecordType) -> Vec<Record> {
    records
        .iter()
        .filter(|record| record.name == child.name && record.record_type() == rtype)
        .cloned()
        .collect()
}

/// A DNSKEY record of RSA/SHA-256 whose modulus is `bits` long (all ones),
/// exponent 65537: a key to be measured, never to verify with.
fn rsa_dnskey_of_size(child: &Child, bits: usize) -> Record {
    let mut public = vec![3, 1, 0, 1];
    public.extend(std::iter::repeat_n(0xff_u8, bits / 8));
    let dnskey = DNSKEY::with_flags(ZSK, PublicKeyBuf::new(public, Algorithm::RSASHA256));
    Record::from_rdata(
        child.name.clone(),
        3600,
        RData::DNSSEC(DNSSECRData::DNSKEY(dnskey)),
    )
}

/// A zone of the world and the test cases run on it.
struct Case {
    zone: String,
    test_cases: Vec<&'static str>,
}

/// Delegates `child` with the DS of `ksk` and has both servers serve
/// `records`.
fn publish(world: &mut SignedWorld, child: &Child, ksk: &SigningKey, records: &[Record]) {
    let ds = ksk.ds_record(&child.name, 3600, 2).unwrap();
    world.delegate(child, &[ds]);
    world.serve_both(child, records);
}

/// Builds every zone of this file's world; the cases in the order the
/// runs are made.
fn build(world: &mut SignedWorld) -> Vec<Case> {
    let now = world.now();
    let mut cases = Vec::new();
    let mut case = |child: &Child, test_cases: &[&'static str]| {
        cases.push(Case {
            zone: child.name.to_ascii().trim_end_matches('.').to_owned(),
            test_cases: test_cases.to_vec(),
        });
    };

    // A zone that passes every test case of the file.
    let good = world.child("good");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let records = signed(&good, &[&ksk, &zsk], &world.nsec());
    publish(world, &good, &ksk, &records);
    case(&good, &TEST_CASES);

    // Signatures valid for 200 days, the SOA's expiring within the hour.
    let lifetimes = world.child("lifetimes");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let long = ZoneSigning {
        validity: Validity::around(now, HOUR, 200 * DAY),
        ..world.nsec()
    };
    let records = signed(&lifetimes, &[&ksk, &zsk], &long);
    let mut records = dropping(&records, RecordType::SOA, |_| true);
    let soa = apex_rrset(&lifetimes, &records, RecordType::SOA);
    let short = Validity::around(now, HOUR, Duration::from_secs(1800));
    records.push(zsk.sign_rrset(&soa, &lifetimes.name, short).unwrap());
    publish(world, &lifetimes, &ksk, &records);
    case(&lifetimes, &["dnssec04"]);

    // Every signature expired a day ago.
    let expired = world.child("expired");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let past = ZoneSigning {
        validity: Validity::around(now, 15 * DAY, Duration::ZERO),
        ..world.nsec()
    };
    let past = ZoneSigning {
        validity: Validity {
            expiration: past.validity.expiration - 86_400,
            ..past.validity
        },
        ..past
    };
    let records = signed(&expired, &[&ksk, &zsk], &past);
    publish(world, &expired, &ksk, &records);
    case(&expired, &["dnssec04", "dnssec08", "dnssec09"]);

    // Every signature valid from tomorrow.
    let future = world.child("future");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let ahead = Validity::around(now, Duration::ZERO, 30 * DAY);
    let ahead = ZoneSigning {
        validity: Validity {
            inception: ahead.inception + 86_400,
            ..ahead
        },
        ..world.nsec()
    };
    let records = signed(&future, &[&ksk, &zsk], &ahead);
    publish(world, &future, &ksk, &records);
    case(&future, &["dnssec08", "dnssec09"]);

    // The RRSIGs over DNSKEY and SOA do not verify.
    let bad = world.child("badsig");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let records = signed(&bad, &[&ksk, &zsk], &world.nsec());
    let records = changing(&records, RecordType::DNSKEY, broken);
    let records = changing(&records, RecordType::SOA, broken);
    publish(world, &bad, &ksk, &records);
    case(&bad, &["dnssec08", "dnssec09"]);

    // An extra RRSIG over DNSKEY and SOA by a key the zone does not publish.
    let nokey = world.child("nokey");
    let (ksk, zsk, stranger) = (ecdsa(KSK), ecdsa(ZSK), ecdsa(KSK));
    let mut records = signed(&nokey, &[&ksk, &zsk], &world.nsec());
    for rtype in [RecordType::DNSKEY, RecordType::SOA] {
        let rrset = apex_rrset(&nokey, &records, rtype);
        let validity = Validity::usual(now);
        records.push(stranger.sign_rrset(&rrset, &nokey.name, validity).unwrap());
    }
    publish(world, &nokey, &ksk, &records);
    case(&nokey, &["dnssec08", "dnssec09"]);

    // No RRSIG over DNSKEY or SOA at all.
    let unsigned = world.child("nosigs");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let records = signed(&unsigned, &[&ksk, &zsk], &world.nsec());
    let records = dropping(&records, RecordType::DNSKEY, |_| true);
    let records = dropping(&records, RecordType::SOA, |_| true);
    publish(world, &unsigned, &ksk, &records);
    case(&unsigned, &["dnssec06", "dnssec08", "dnssec09"]);

    // Signatures of an algorithm we cannot check: keys published as SM2
    // (17) sign every RRset besides the good keys.
    let sm2 = world.child("sm2");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let (ksk17, zsk17) = (ecdsa(KSK).published_as(17), ecdsa(ZSK).published_as(17));
    let records = signed(&sm2, &[&ksk, &zsk, &ksk17, &zsk17], &world.nsec());
    publish(world, &sm2, &ksk, &records);
    case(&sm2, &["dnssec05", "dnssec08", "dnssec09"]);

    // A 1024-bit RSA/SHA-256 key signs SOA and NS but not DNSKEY; its RRSIG
    // over NS is then removed, and one server loses its RRSIG(SOA) too.
    let partial = world.child("partial");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let rsa = SigningKey::generate_rsa(8, ZSK, 1024).unwrap();
    let records = signed(&partial, &[&ksk, &zsk, &rsa], &world.nsec());
    let by_rsa = |rrsig: &RRSIG| u8::from(rrsig.input().algorithm) == 8;
    let records = dropping(&records, RecordType::NS, by_rsa);
    let ds = ksk.ds_record(&partial.name, 3600, 2).unwrap();
    world.delegate(&partial, &[ds]);
    world.serve(&partial, 0, records.clone());
    world.serve(&partial, 1, dropping(&records, RecordType::SOA, by_rsa));
    case(&partial, &["dnssec05", "dnssec13", "dnssec14"]);

    // Algorithms DNSSEC05 objects to, published beside the good keys.
    let odd = world.child("oddalgos");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let mut base = odd.base.clone();
    let published = [
        SigningKey::generate_rsa(8, ZSK, 1024)
            .unwrap()
            .published_as(5),
        SigningKey::generate_rsa(10, ZSK, 1024).unwrap(),
        ecdsa(ZSK).published_as(0),
        ecdsa(ZSK).published_as(123),
        ecdsa(ZSK).published_as(20),
        ecdsa(ZSK).published_as(253),
    ];
    base.extend(
        published
            .iter()
            .map(|key| key.dnskey_record(&odd.name, 3600)),
    );
    let records = sign::sign_zone(&odd.name, &base, &[&ksk, &zsk], &world.nsec()).unwrap();
    publish(world, &odd, &ksk, &records);
    case(&odd, &["dnssec05"]);

    // RSA keys of the wrong sizes, published only: 512 bits under RSA/SHA-256
    // (allowed, below the recommended size) and RSA/SHA-512 (too small),
    // and 4160 bits (too large).
    let sizes = world.child("rsasizes");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let mut base = sizes.base.clone();
    let small = SigningKey::generate_rsa(8, ZSK, 512).unwrap();
    let small10 = SigningKey::generate_rsa(8, ZSK, 512)
        .unwrap()
        .published_as(10);
    base.push(small.dnskey_record(&sizes.name, 3600));
    base.push(small10.dnskey_record(&sizes.name, 3600));
    base.push(rsa_dnskey_of_size(&sizes, 4160));
    let records = sign::sign_zone(&sizes.name, &base, &[&ksk, &zsk], &world.nsec()).unwrap();
    publish(world, &sizes, &ksk, &records);
    case(&sizes, &["dnssec14"]);

    // One server signed, the other serving the zone unsigned.
    let half = world.child("halfsigned");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let records = signed(&half, &[&ksk, &zsk], &world.nsec());
    let ds = ksk.ds_record(&half.name, 3600, 2).unwrap();
    world.delegate(&half, &[ds]);
    world.serve(&half, 0, records);
    world.serve(&half, 1, half.base.clone());
    case(&half, &["dnssec05", "dnssec06", "dnssec14"]);

    // Signed, but no server answers DNSKEY queries.
    let silent = world.child("silentkeys");
    let (ksk, zsk) = (ecdsa(KSK), ecdsa(ZSK));
    let records = signed(&silent, &[&ksk, &zsk], &world.nsec());
    let ds = ksk.ds_record(&silent.name, 3600, 2).unwrap();
    world.delegate(&silent, &[ds]);
    for index in 0..2 {
        world.serve_with(
            &silent,
            index,
            records.clone(),
            "acl {\n        drop type DNSKEY\n    }",
        );
    }
    case(&silent, &["dnssec04", "dnssec05"]);

    // Not signed at all.
    let plain = world.child("plain");
    world.delegate(&plain, &[]);
    world.serve_both(&plain, &plain.base);
    case(&plain, &["dnssec05"]);

    cases
}

/// The messages of every (zone, test case) run.
struct Results {
    runs: Vec<(String, &'static str, Vec<Value>)>,
}

impl Results {
    /// The messages of `test_case` on `label.test`.
    fn of(&self, label: &str, test_case: &str) -> &[Value] {
        let zone = format!("{label}.test");
        self.runs
            .iter()
            .find(|(run_zone, run_case, _)| *run_zone == zone && *run_case == test_case)
            .map(|(_, _, messages)| messages.as_slice())
            .unwrap_or_else(|| panic!("no run of {test_case} on {zone}"))
    }

    /// The tags of `test_case` on `label.test`.
    fn tags(&self, label: &str, test_case: &str) -> Vec<String> {
        tags(self.of(label, test_case))
    }
}

/// Asserts that `found` holds every tag of `expected` and none of
/// `forbidden`.
fn assert_tags(found: &[String], expected: &[&str], forbidden: &[&str], context: &str) {
    for tag in expected {
        assert!(
            found.iter().any(|found| found == tag),
            "{context}: {tag} missing from {found:?}"
        );
    }
    for tag in forbidden {
        assert!(
            !found.iter().any(|found| found == tag),
            "{context}: {tag} unexpected in {found:?}"
        );
    }
}

const DS08_PROBLEMS: [&str; 6] = [
    "DS08_MISSING_RRSIG_IN_RESPONSE",
    "DS08_DNSKEY_RRSIG_NOT_YET_VALID",
    "DS08_DNSKEY_RRSIG_EXPIRED",
    "DS08_ALGO_NOT_SUPPORTED_BY_ZM",
    "DS08_NO_MATCHING_DNSKEY",
    "DS08_RRSIG_NOT_VALID_BY_DNSKEY",
];

const DS09_PROBLEMS: [&str; 6] = [
    "DS09_MISSING_RRSIG_IN_RESPONSE",
    "DS09_SOA_RRSIG_NOT_YET_VALID",
    "DS09_SOA_RRSIG_EXPIRED",
    "DS09_ALGO_NOT_SUPPORTED_BY_ZM",
    "DS09_NO_MATCHING_DNSKEY",
    "DS09_RRSIG_NOT_VALID_BY_DNSKEY",
];

/// `problems` without `kept`.
fn others<'a>(problems: &[&'a str], kept: &[&str]) -> Vec<&'a str> {
    problems
        .iter()
        .filter(|tag| !kept.contains(tag))
        .copied()
        .collect()
}

#[test]
fn signature_and_key_findings_in_signed_zones() {
    let mut world = SignedWorld::new();
    let cases = build(&mut world);
    let selections: Vec<(String, String)> = cases
        .iter()
        .flat_map(|case| {
            case.test_cases
                .iter()
                .map(|test_case| (case.zone.clone(), format!("dnssec/{test_case}")))
        })
        .collect();
    let runs: Vec<(&str, &str)> = selections
        .iter()
        .map(|(zone, test)| (zone.as_str(), test.as_str()))
        .collect();
    let outputs = world.check(&runs, &[]);
    let results = Results {
        runs: cases
            .iter()
            .flat_map(|case| {
                case.test_cases
                    .iter()
                    .map(|test_case| (case.zone.clone(), *test_case))
            })
            .zip(outputs)
            .map(|((zone, test_case), messages)| (zone, test_case, messages))
            .collect(),
    };

    // The good zone: nothing of WARNING or worse from any test case.
    for test_case in TEST_CASES {
        for message in results.of("good", test_case) {
            let level = message["level"].as_str().unwrap_or_default();
            assert!(
                !matches!(level, "WARNING" | "ERROR" | "CRITICAL"),
                "good.test {test_case}: {message}"
            );
        }
    }
    assert_tags(
        &results.tags("good", "dnssec04"),
        &["RRSIG_EXPIRATION", "DURATION_OK"],
        &[],
        "good dnssec04",
    );
    assert_tags(
        &results.tags("good", "dnssec05"),
        &["DS05_ALGO_OK"],
        &[],
        "good dnssec05",
    );
    assert_tags(
        &results.tags("good", "dnssec06"),
        &["EXTRA_PROCESSING_OK"],
        &["EXTRA_PROCESSING_BROKEN"],
        "good dnssec06",
    );
    assert_tags(
        &results.tags("good", "dnssec08"),
        &[],
        &DS08_PROBLEMS,
        "good dnssec08",
    );
    assert_tags(
        &results.tags("good", "dnssec09"),
        &[],
        &DS09_PROBLEMS,
        "good dnssec09",
    );
    assert_tags(
        &results.tags("good", "dnssec14"),
        &["KEY_SIZE_OK"],
        &[],
        "good dnssec14",
    );
    let date = args_of(results.of("good", "dnssec04"), "RRSIG_EXPIRATION");
    let date = date[0]["date"].as_str().unwrap();
    assert_eq!(date.len(), 24, "asctime text: {date:?}");

    // DNSSEC04.
    assert_tags(
        &results.tags("lifetimes", "dnssec04"),
        &["REMAINING_SHORT", "REMAINING_LONG", "DURATION_LONG"],
        &["RRSIG_EXPIRED"],
        "lifetimes dnssec04",
    );
    let short = args_of(results.of("lifetimes", "dnssec04"), "REMAINING_SHORT");
    assert_eq!(short[0]["types"], "SOA");
    assert!(short[0]["duration"].as_i64().unwrap() <= 1800);
    assert_tags(
        &results.tags("expired", "dnssec04"),
        &["RRSIG_EXPIRED"],
        &["DURATION_OK", "REMAINING_SHORT"],
        "expired dnssec04",
    );
    assert_tags(
        &results.tags("silentkeys", "dnssec04"),
        &[],
        &["RRSIG_EXPIRATION"],
        "silentkeys dnssec04",
    );

    // DNSSEC05.
    assert_tags(
        &results.tags("oddalgos", "dnssec05"),
        &[
            "DS05_ALGO_OK",
            "DS05_ALGO_DEPRECATED",
            "DS05_ALGO_NOT_RECOMMENDED",
            "DS05_ALGO_NOT_ZONE_SIGN",
            "DS05_ALGO_RESERVED",
            "DS05_ALGO_UNASSIGNED",
            "DS05_ALGO_PRIVATE",
        ],
        &["DS05_NO_RESPONSE", "DS05_SERVER_NO_DNSSEC"],
        "oddalgos dnssec05",
    );
    let odd = results.of("oddalgos", "dnssec05");
    assert_eq!(
        level_of(odd, "DS05_ALGO_DEPRECATED").as_deref(),
        Some("ERROR")
    );
    assert_eq!(
        level_of(odd, "DS05_ALGO_NOT_RECOMMENDED").as_deref(),
        Some("WARNING")
    );
    let private = args_of(odd, "DS05_ALGO_PRIVATE");
    assert_eq!(private[0]["algo_num"], 253);
    assert_eq!(private[0]["algo_mnemo"], "PRIVATEDNS");
    assert_eq!(
        private[0]["ns_list"],
        "ns1.oddalgos.test/127.54.10.1;ns2.oddalgos.test/127.54.10.2"
    );
    assert_tags(
        &results.tags("halfsigned", "dnssec05"),
        &["DS05_SERVER_NO_DNSSEC", "DS05_ALGO_OK"],
        &[],
        "halfsigned dnssec05",
    );
    assert_tags(
        &results.tags("silentkeys", "dnssec05"),
        &["DS05_NO_RESPONSE"],
        &["DS05_ALGO_OK"],
        "silentkeys dnssec05",
    );
    assert_tags(
        &results.tags("plain", "dnssec05"),
        &["DS05_ZONE_NO_DNSSEC"],
        &["DS05_NO_RESPONSE"],
        "plain dnssec05",
    );
    assert_tags(
        &results.tags("sm2", "dnssec05"),
        &["DS05_ALGO_OK"],
        &[],
        "sm2 dnssec05",
    );

    // DNSSEC06.
    assert_tags(
        &results.tags("nosigs", "dnssec06"),
        &["EXTRA_PROCESSING_BROKEN"],
        &["EXTRA_PROCESSING_OK"],
        "nosigs dnssec06",
    );
    let broken = args_of(results.of("nosigs", "dnssec06"), "EXTRA_PROCESSING_BROKEN");
    assert_eq!(broken[0]["keys"], 2);
    assert_eq!(broken[0]["sigs"], 0);
    assert_tags(
        &results.tags("halfsigned", "dnssec06"),
        &["EXTRA_PROCESSING_BROKEN", "EXTRA_PROCESSING_OK"],
        &[],
        "halfsigned dnssec06",
    );

    // DNSSEC08 and DNSSEC09.
    let findings = [
        (
            "expired",
            "DS08_DNSKEY_RRSIG_EXPIRED",
            "DS09_SOA_RRSIG_EXPIRED",
        ),
        (
            "future",
            "DS08_DNSKEY_RRSIG_NOT_YET_VALID",
            "DS09_SOA_RRSIG_NOT_YET_VALID",
        ),
        (
            "badsig",
            "DS08_RRSIG_NOT_VALID_BY_DNSKEY",
            "DS09_RRSIG_NOT_VALID_BY_DNSKEY",
        ),
        (
            "nokey",
            "DS08_NO_MATCHING_DNSKEY",
            "DS09_NO_MATCHING_DNSKEY",
        ),
        (
            "nosigs",
            "DS08_MISSING_RRSIG_IN_RESPONSE",
            "DS09_MISSING_RRSIG_IN_RESPONSE",
        ),
        (
            "sm2",
            "DS08_ALGO_NOT_SUPPORTED_BY_ZM",
            "DS09_ALGO_NOT_SUPPORTED_BY_ZM",
        ),
    ];
    for (label, ds08, ds09) in findings {
        let found = results.tags(label, "dnssec08");
        assert_tags(&found, &[ds08], &others(&DS08_PROBLEMS, &[ds08]), label);
        let found = results.tags(label, "dnssec09");
        assert_tags(&found, &[ds09], &others(&DS09_PROBLEMS, &[ds09]), label);
    }
    let unsupported = args_of(
        results.of("sm2", "dnssec08"),
        "DS08_ALGO_NOT_SUPPORTED_BY_ZM",
    );
    assert_eq!(unsupported[0]["algo_num"], 17);
    assert_eq!(unsupported[0]["algo_mnemo"], "SM2SM3");
    assert_eq!(unsupported[0]["ns_ip_list"], "127.54.8.1;127.54.8.2");

    // DNSSEC13.
    assert_tags(
        &results.tags("partial", "dnssec13"),
        &[
            "DS13_ALGO_NOT_SIGNED_DNSKEY",
            "DS13_ALGO_NOT_SIGNED_SOA",
            "DS13_ALGO_NOT_SIGNED_NS",
        ],
        &[],
        "partial dnssec13",
    );
    let soa = args_of(
        results.of("partial", "dnssec13"),
        "DS13_ALGO_NOT_SIGNED_SOA",
    );
    assert_eq!(soa.len(), 1);
    assert_eq!(soa[0]["ns_ip_list"], "127.54.9.2");
    assert_eq!(soa[0]["algo_num"], 8);
    let dnskey = args_of(
        results.of("partial", "dnssec13"),
        "DS13_ALGO_NOT_SIGNED_DNSKEY",
    );
    assert_eq!(dnskey[0]["ns_ip_list"], "127.54.9.1;127.54.9.2");

    // DNSSEC14.
    assert_tags(
        &results.tags("partial", "dnssec14"),
        &["DNSKEY_SMALLER_THAN_REC"],
        &["DNSKEY_TOO_SMALL_FOR_ALGO", "KEY_SIZE_OK"],
        "partial dnssec14",
    );
    let sizes = results.of("rsasizes", "dnssec14");
    assert_tags(
        &tags(sizes),
        &[
            "DNSKEY_TOO_SMALL_FOR_ALGO",
            "DNSKEY_SMALLER_THAN_REC",
            "DNSKEY_TOO_LARGE_FOR_ALGO",
        ],
        &["KEY_SIZE_OK"],
        "rsasizes dnssec14",
    );
    let too_small = args_of(sizes, "DNSKEY_TOO_SMALL_FOR_ALGO");
    assert_eq!(too_small.len(), 1);
    assert_eq!(too_small[0]["algo_num"], 10);
    assert_eq!(too_small[0]["keysize"], 512);
    assert_eq!(too_small[0]["keysizemin"], 1024);
    assert_eq!(args_of(sizes, "DNSKEY_SMALLER_THAN_REC").len(), 2);
    assert_eq!(
        args_of(sizes, "DNSKEY_TOO_LARGE_FOR_ALGO")[0]["keysize"],
        4160
    );
    assert_tags(
        &results.tags("halfsigned", "dnssec14"),
        &["NO_RESPONSE_DNSKEY"],
        &["KEY_SIZE_OK"],
        "halfsigned dnssec14",
    );
}
