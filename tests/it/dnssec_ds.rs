//! DNSSEC01, 02, 11 and 18 end to end: zones signed at test time, served
//! by zm-testns, checked by zmctl (tests/it/signed_world.rs). Each test
//! case gets a zone that passes and a zone for each WARNING-or-worse
//! finding, all in one world and one run of the server.

use hickory_proto::dnssec::rdata::{CDNSKEY, CDS, DNSSECRData, RRSIG};
use hickory_proto::dnssec::{Algorithm, DigestType};
use hickory_proto::rr::{RData, Record, RecordType};
use serde_json::Value;
use zonemaster::dnssec::sign::{self, KSK, SigningKey, Validity, ZSK};

use crate::signed_world::{Child, SignedWorld, args_of, level_of, tags};

/// A P-256 key.
fn key(flags: u16) -> SigningKey {
    SigningKey::generate(13, flags).expect("a P-256 key")
}

/// The digest of `key`'s SHA-256 DS for `child`.
fn sha256_digest(key: &SigningKey, child: &Child) -> Vec<u8> {
    match key.ds_record(&child.name, 3600, 2).expect("a DS").data {
        RData::DNSSEC(DNSSECRData::DS(ds)) => ds.digest().to_vec(),
        _ => unreachable!("ds_record makes a DS"),
    }
}

/// `child`'s base records plus a CDS and a CDNSKEY for `key`.
fn with_cds_and_cdnskey(child: &Child, key: &SigningKey) -> Vec<Record> {
    let algorithm = Some(Algorithm::from_u8(key.algorithm()));
    let cds = CDS::new(
        key.key_tag(),
        algorithm,
        DigestType::SHA256,
        sha256_digest(key, child),
    );
    let cdnskey = CDNSKEY::with_flags(key.flags(), algorithm, key.public_key().to_vec());
    let mut records = child.base.clone();
    records.push(Record::from_rdata(
        child.name.clone(),
        3600,
        RData::DNSSEC(DNSSECRData::CDS(cds)),
    ));
    records.push(Record::from_rdata(
        child.name.clone(),
        3600,
        RData::DNSSEC(DNSSECRData::CDNSKEY(cdnskey)),
    ));
    records
}

/// The type an RRSIG record covers, if it is one.
fn covered(record: &Record) -> Option<RecordType> {
    sign::rrsig_of(record).map(|rrsig| rrsig.input().type_covered)
}

/// The records with the RRSIGs over `rtype` by `key_tag` replaced by
/// `replace` of them (dropped when it gives `None`).
fn replace_signatures(
    records: &[Record],
    rtype: RecordType,
    key_tag: u16,
    replace: impl Fn(&Record, &RRSIG) -> Option<Record>,
) -> Vec<Record> {
    records
        .iter()
        .filter_map(|record| match sign::rrsig_of(record) {
            Some(rrsig) if covered(record) == Some(rtype) && rrsig.input().key_tag == key_tag => {
                replace(record, rrsig)
            }
            _ => Some(record.clone()),
        })
        .collect()
}

/// The same signature with its last byte flipped.
fn broken(record: &Record, rrsig: &RRSIG) -> Option<Record> {
    let mut signature = rrsig.sig().to_vec();
    if let Some(last) = signature.last_mut() {
        *last ^= 0xff;
    }
    Some(Record::from_rdata(
        record.name.clone(),
        record.ttl,
        RData::DNSSEC(DNSSECRData::RRSIG(RRSIG::from_sig(
            rrsig.input().clone(),
            signature,
        ))),
    ))
}

/// The DS-side tags of one run at WARNING or worse.
fn problems(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .filter(|message| {
            let tag = message["tag"].as_str().unwrap_or_default();
            let level = message["level"].as_str().unwrap_or_default();
            ["DS01_", "DS02_", "DS11_", "DS18_"]
                .iter()
                .any(|prefix| tag.starts_with(prefix))
                && matches!(level, "WARNING" | "ERROR" | "CRITICAL")
        })
        .map(|message| message["tag"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The tags of `results` starting with `prefix`.
fn tags_of(results: &[Value], prefix: &str) -> Vec<String> {
    tags(results)
        .into_iter()
        .filter(|tag| tag.starts_with(prefix))
        .collect()
}

#[test]
fn ds_side_of_signed_zones() {
    let mut world = SignedWorld::new();
    let signing = world.nsec();

    // Signed with a KSK and a ZSK, SHA-256 DS of the KSK, CDS and
    // CDNSKEY signed by the KSK: passes all four.
    let good = world.child("good");
    let ksk = key(KSK);
    let zsk = key(ZSK);
    let records = with_cds_and_cdnskey(&good, &ksk);
    let signed = sign::sign_zone(&good.name, &records, &[&ksk, &zsk], &signing).expect("signed");
    world.delegate(&good, &[ksk.ds_record(&good.name, 3600, 2).expect("DS")]);
    world.serve_both(&good, &signed);

    // Only a SHA-1 DS.
    let sha1 = world.child("sha1");
    let signed = sign::sign_zone(&sha1.name, &sha1.base, &[&ksk, &zsk], &signing).expect("signed");
    world.delegate(&sha1, &[ksk.ds_record(&sha1.name, 3600, 1).expect("DS")]);
    world.serve_both(&sha1, &signed);

    // Signed, no DS in the parent.
    let no_ds = world.child("nods");
    let signed =
        sign::sign_zone(&no_ds.name, &no_ds.base, &[&ksk, &zsk], &signing).expect("signed");
    world.delegate(&no_ds, &[]);
    world.serve_both(&no_ds, &signed);

    // The KSK's signature over DNSKEY is broken.
    let bad_signature = world.child("badsig");
    let signed = sign::sign_zone(
        &bad_signature.name,
        &bad_signature.base,
        &[&ksk, &zsk],
        &signing,
    )
    .expect("signed");
    let signed = replace_signatures(&signed, RecordType::DNSKEY, ksk.key_tag(), broken);
    world.delegate(
        &bad_signature,
        &[ksk.ds_record(&bad_signature.name, 3600, 2).expect("DS")],
    );
    world.serve_both(&bad_signature, &signed);

    // The KSK's signature over DNSKEY expired a day ago.
    let expired = world.child("expired");
    let signed =
        sign::sign_zone(&expired.name, &expired.base, &[&ksk, &zsk], &signing).expect("signed");
    let old = Validity::around(world.now(), sign::DAY * 30, std::time::Duration::ZERO);
    let old = Validity {
        expiration: old.expiration - 86_400,
        ..old
    };
    let dnskeys: Vec<Record> = signed
        .iter()
        .filter(|record| record.record_type() == RecordType::DNSKEY)
        .cloned()
        .collect();
    let resigned = ksk
        .sign_rrset(&dnskeys, &expired.name, old)
        .expect("re-signed");
    let signed = replace_signatures(&signed, RecordType::DNSKEY, ksk.key_tag(), |_, _| {
        Some(resigned.clone())
    });
    world.delegate(
        &expired,
        &[ksk.ds_record(&expired.name, 3600, 2).expect("DS")],
    );
    world.serve_both(&expired, &signed);

    // The DS is of a key the zone does not publish.
    let wrong_ds = world.child("wrongds");
    let signed =
        sign::sign_zone(&wrong_ds.name, &wrong_ds.base, &[&ksk, &zsk], &signing).expect("signed");
    let stranger = key(KSK);
    world.delegate(
        &wrong_ds,
        &[stranger.ds_record(&wrong_ds.name, 3600, 2).expect("DS")],
    );
    world.serve_both(&wrong_ds, &signed);

    // The DS points to a key without the SEP flag, the only key.
    let not_sep = world.child("notsep");
    let lone = key(ZSK);
    let signed = sign::sign_zone(&not_sep.name, &not_sep.base, &[&lone], &signing).expect("signed");
    world.delegate(
        &not_sep,
        &[lone.ds_record(&not_sep.name, 3600, 2).expect("DS")],
    );
    world.serve_both(&not_sep, &signed);

    // DS in the parent, the zone is not signed.
    let unsigned = world.child("unsigned");
    world.delegate(
        &unsigned,
        &[ksk.ds_record(&unsigned.name, 3600, 2).expect("DS")],
    );
    world.serve_both(&unsigned, &unsigned.base);

    // Signed on the first server only.
    let half = world.child("half");
    let signed = sign::sign_zone(&half.name, &half.base, &[&ksk, &zsk], &signing).expect("signed");
    world.delegate(&half, &[ksk.ds_record(&half.name, 3600, 2).expect("DS")]);
    world.serve(&half, 0, signed);
    world.serve(&half, 1, half.base.clone());

    // CDS and CDNSKEY signed by the ZSK only.
    let zsk_cds = world.child("zskcds");
    let records = with_cds_and_cdnskey(&zsk_cds, &ksk);
    let signed = sign::sign_zone(&zsk_cds.name, &records, &[&ksk, &zsk], &signing).expect("signed");
    let by_zsk = |rtype: RecordType| {
        let rrset: Vec<Record> = signed
            .iter()
            .filter(|record| record.record_type() == rtype)
            .cloned()
            .collect();
        zsk.sign_rrset(&rrset, &zsk_cds.name, signing.validity)
            .expect("signed")
    };
    let (cds_by_zsk, cdnskey_by_zsk) = (by_zsk(RecordType::CDS), by_zsk(RecordType::CDNSKEY));
    let signed = replace_signatures(&signed, RecordType::CDS, ksk.key_tag(), |_, _| {
        Some(cds_by_zsk.clone())
    });
    let signed = replace_signatures(&signed, RecordType::CDNSKEY, ksk.key_tag(), |_, _| {
        Some(cdnskey_by_zsk.clone())
    });
    world.delegate(
        &zsk_cds,
        &[ksk.ds_record(&zsk_cds.name, 3600, 2).expect("DS")],
    );
    world.serve_both(&zsk_cds, &signed);

    let runs = [
        ("good.test", "dnssec/dnssec01"),
        ("good.test", "dnssec/dnssec02"),
        ("good.test", "dnssec/dnssec11"),
        ("good.test", "dnssec/dnssec18"),
        ("sha1.test", "dnssec/dnssec01"),
        ("nods.test", "dnssec/dnssec01"),
        ("nods.test", "dnssec/dnssec11"),
        ("badsig.test", "dnssec/dnssec02"),
        ("expired.test", "dnssec/dnssec02"),
        ("wrongds.test", "dnssec/dnssec02"),
        ("notsep.test", "dnssec/dnssec02"),
        ("unsigned.test", "dnssec/dnssec11"),
        ("half.test", "dnssec/dnssec11"),
        ("zskcds.test", "dnssec/dnssec18"),
    ];
    let results = world.check(&runs, &[]);
    let of = |zone: &str, test: &str| -> &[Value] {
        let index = runs
            .iter()
            .position(|run| *run == (zone, test))
            .expect("a run");
        &results[index]
    };

    // The good zone.
    for test in [
        "dnssec/dnssec01",
        "dnssec/dnssec02",
        "dnssec/dnssec11",
        "dnssec/dnssec18",
    ] {
        let results = of("good.test", test);
        assert!(problems(results).is_empty(), "{test}: {:?}", tags(results));
    }
    let good_01 = of("good.test", "dnssec/dnssec01");
    assert_eq!(tags_of(good_01, "DS01_"), ["DS01_DS_ALGO_OK"]);
    assert_eq!(
        args_of(good_01, "DS01_DS_ALGO_OK")[0]["keytag"],
        u64::from(ksk.key_tag())
    );
    assert!(tags_of(of("good.test", "dnssec/dnssec02"), "DS02_").is_empty());
    assert!(tags_of(of("good.test", "dnssec/dnssec11"), "DS11_").is_empty());
    assert!(tags_of(of("good.test", "dnssec/dnssec18"), "DS18_").is_empty());

    // DNSSEC01.
    assert_eq!(
        tags_of(of("sha1.test", "dnssec/dnssec01"), "DS01_"),
        ["DS01_DS_ALGO_DEPRECATED", "DS01_DS_ALGO_2_MISSING"]
    );
    assert_eq!(
        level_of(
            of("sha1.test", "dnssec/dnssec01"),
            "DS01_DS_ALGO_DEPRECATED"
        )
        .as_deref(),
        Some("ERROR")
    );
    assert_eq!(
        tags_of(of("nods.test", "dnssec/dnssec01"), "DS01_"),
        ["DS01_PARENT_ZONE_NO_DS"]
    );
    assert_eq!(
        args_of(of("nods.test", "dnssec/dnssec01"), "DS01_PARENT_ZONE_NO_DS")[0]["ns_list"],
        "ns1.test/127.54.0.2;ns2.test/127.54.0.3"
    );

    // DNSSEC02.
    assert_eq!(
        tags_of(of("badsig.test", "dnssec/dnssec02"), "DS02_"),
        [
            "DS02_NO_MATCHING_DNSKEY_RRSIG",
            "DS02_RRSIG_NOT_VALID_BY_DNSKEY",
            "DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS"
        ]
    );
    let not_valid = &args_of(
        of("badsig.test", "dnssec/dnssec02"),
        "DS02_RRSIG_NOT_VALID_BY_DNSKEY",
    )[0];
    assert_eq!(not_valid["keytag"], u64::from(ksk.key_tag()));
    assert_eq!(
        not_valid["ns_ip_list"],
        bad_signature.addresses.join(";").as_str()
    );
    assert_eq!(
        tags_of(of("expired.test", "dnssec/dnssec02"), "DS02_"),
        [
            "DS02_NO_MATCHING_DNSKEY_RRSIG",
            "DS02_RRSIG_NOT_VALID_BY_DNSKEY",
            "DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS"
        ]
    );
    assert_eq!(
        tags_of(of("wrongds.test", "dnssec/dnssec02"), "DS02_"),
        ["DS02_NO_DNSKEY_FOR_DS", "DS02_NO_VALID_DNSKEY_FOR_ANY_DS"]
    );
    assert_eq!(
        args_of(
            of("wrongds.test", "dnssec/dnssec02"),
            "DS02_NO_DNSKEY_FOR_DS"
        )[0]["keytag"],
        u64::from(stranger.key_tag())
    );
    assert_eq!(
        tags_of(of("notsep.test", "dnssec/dnssec02"), "DS02_"),
        ["DS02_DNSKEY_NOT_SEP"]
    );

    // DNSSEC11.
    assert!(tags_of(of("nods.test", "dnssec/dnssec11"), "DS11_").is_empty());
    assert_eq!(
        tags_of(of("unsigned.test", "dnssec/dnssec11"), "DS11_"),
        ["DS11_DS_BUT_UNSIGNED_ZONE"]
    );
    let half_11 = of("half.test", "dnssec/dnssec11");
    assert_eq!(
        tags_of(half_11, "DS11_"),
        [
            "DS11_INCONSISTENT_SIGNED_ZONE",
            "DS11_NS_WITH_UNSIGNED_ZONE",
            "DS11_NS_WITH_SIGNED_ZONE"
        ]
    );
    assert_eq!(
        args_of(half_11, "DS11_NS_WITH_UNSIGNED_ZONE")[0]["ns_ip_list"],
        half.addresses[1].as_str()
    );

    // DNSSEC18.
    let zsk_cds_18 = of("zskcds.test", "dnssec/dnssec18");
    assert_eq!(
        tags_of(zsk_cds_18, "DS18_"),
        [
            "DS18_NO_MATCH_CDS_RRSIG_DS",
            "DS18_NO_MATCH_CDNSKEY_RRSIG_DS"
        ]
    );
    assert_eq!(
        args_of(zsk_cds_18, "DS18_NO_MATCH_CDS_RRSIG_DS")[0]["ns_ip_list"],
        zsk_cds.addresses.join(";").as_str()
    );
    assert_eq!(
        level_of(zsk_cds_18, "DS18_NO_MATCH_CDNSKEY_RRSIG_DS").as_deref(),
        Some("ERROR")
    );
}

/// Supplied DS records stand for the parent's: DNSSEC01 reports them at
/// the server `-`, DNSSEC11 goes on to the child.
#[test]
fn supplied_ds_replaces_the_parent() {
    let mut world = SignedWorld::new();
    let unsigned = world.child("plain");
    world.delegate(&unsigned, &[]);
    world.serve_both(&unsigned, &unsigned.base);
    let digest = "ab".repeat(32);
    let ds = format!("4711,13,2,{digest}");
    let results = world.check(
        &[
            ("plain.test", "dnssec/dnssec01"),
            ("plain.test", "dnssec/dnssec11"),
        ],
        &["--ds", &ds],
    );
    assert_eq!(tags_of(&results[0], "DS01_"), ["DS01_DS_ALGO_OK"]);
    assert_eq!(args_of(&results[0], "DS01_DS_ALGO_OK")[0]["ns_list"], "-");
    assert_eq!(tags_of(&results[1], "DS11_"), ["DS11_DS_BUT_UNSIGNED_ZONE"]);
}
