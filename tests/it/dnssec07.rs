//! DNSSEC07 end to end: zones signed at test time, served by zm-testns,
//! checked by `zmctl check`. Each WARNING-or-worse tag has a zone that
//! makes it; a zone signed everywhere with its DS passes; an unsigned zone
//! stops the module after DNSSEC07 and DNSSEC11.

use hickory_proto::rr::Record;
use serde_json::{Value, json};
use zonemaster::dnssec::sign::{self, SigningKey};

use crate::signed_world::{Child, SignedWorld, args_of, level_of, tags};

/// A KSK and a ZSK of algorithm 13 and the zone signed with them.
fn signed(world: &SignedWorld, child: &Child) -> (Vec<Record>, Record) {
    let ksk = SigningKey::generate(13, sign::KSK).expect("a key");
    let zsk = SigningKey::generate(13, sign::ZSK).expect("a key");
    let signing = sign::ZoneSigning::nsec(world.now());
    let records =
        sign::sign_zone(&child.name, &child.base, &[&ksk, &zsk], &signing).expect("signed");
    let ds = ksk.ds_record(&child.name, 3600, 2).expect("a DS");
    (records, ds)
}

fn ns(child: &Child, index: usize) -> String {
    format!(
        "{}/{}",
        child.server_name(index).to_ascii().trim_end_matches('.'),
        child.addresses[index]
    )
}

fn both(child: &Child) -> String {
    format!("{};{}", ns(child, 0), ns(child, 1))
}

const PARENTS: &str = "ns1.test/127.54.0.2;ns2.test/127.54.0.3";

fn only(results: &[Value], tag: &str) -> Value {
    let found = args_of(results, tag);
    assert_eq!(found.len(), 1, "{tag} once in {:?}", tags(results));
    found[0].clone()
}

#[test]
fn dnssec07_verdicts() {
    let mut world = SignedWorld::new();
    let mut zones = Vec::new();
    let mut add = |world: &mut SignedWorld, label: &str| {
        let child = world.child(label);
        zones.push(child.name.to_ascii());
        child
    };

    let good = add(&mut world, "good");
    let (records, ds) = signed(&world, &good);
    world.delegate(&good, &[ds]);
    world.serve_both(&good, &records);

    let unsigned = add(&mut world, "unsigned");
    world.delegate(&unsigned, &[]);
    world.serve_both(&unsigned, &unsigned.base);

    let no_ds = add(&mut world, "no-ds");
    let (records, _) = signed(&world, &no_ds);
    world.delegate(&no_ds, &[]);
    world.serve_both(&no_ds, &records);

    let half = add(&mut world, "half");
    let (records, ds) = signed(&world, &half);
    world.delegate(&half, &[ds]);
    world.serve(&half, 0, records);
    world.serve(&half, 1, half.base.clone());

    let silent = add(&mut world, "silent");
    let (records, ds) = signed(&world, &silent);
    world.delegate(&silent, &[ds]);
    world.serve(&silent, 0, records.clone());
    world.serve_with(&silent, 1, records, "    acl { drop type DNSKEY }");

    let refused = add(&mut world, "refused");
    let (records, ds) = signed(&world, &refused);
    world.delegate(&refused, &[ds]);
    world.serve(&refused, 0, records.clone());
    world.serve_with(
        &refused,
        1,
        records,
        "    template IN DNSKEY refused.test. {\n        rcode REFUSED\n    }",
    );

    let non_auth = add(&mut world, "non-auth");
    let (records, ds) = signed(&world, &non_auth);
    world.delegate(&non_auth, &[ds]);
    world.serve(&non_auth, 0, records.clone());
    world.serve_with(
        &non_auth,
        1,
        records.clone(),
        "    view dnskey {\n        expr type() in ['DNSKEY']\n    }\n    header {\n        response clear aa\n    }",
    );
    world.serve(&non_auth, 1, records);

    let split_ds = add(&mut world, "split-ds");
    let (records, ds) = signed(&world, &split_ds);
    world.delegate(&split_ds, &[ds]);
    world.serve_both(&split_ds, &records);
    world.parent_with(
        1,
        "    template IN DS split-ds.test. {\n        rcode NOERROR\n    }",
    );

    let runs: Vec<(&str, &str)> = zones
        .iter()
        .map(|zone| (zone.as_str(), "dnssec07"))
        .collect();
    let results = world.check(&runs, &[]);
    let [
        good_r,
        unsigned_r,
        no_ds_r,
        half_r,
        silent_r,
        refused_r,
        non_auth_r,
        split_r,
    ] = &results[..]
    else {
        panic!("eight runs");
    };

    // Signed everywhere with a DS on every parent: nothing above INFO.
    let good_tags = tags(good_r);
    for tag in ["DS07_SIGNED", "DS07_DS_FOR_SIGNED_ZONE"] {
        assert!(good_tags.contains(&tag.to_owned()), "{good_tags:?}");
    }
    assert_eq!(
        only(good_r, "DS07_SIGNED_ON_SERVER"),
        json!({"ns_list": both(&good)})
    );
    assert_eq!(
        only(good_r, "DS07_DS_ON_PARENT_SERVER"),
        json!({"ns_list": PARENTS})
    );
    assert!(
        good_r
            .iter()
            .all(|m| matches!(m["level"].as_str(), Some("DEBUG" | "INFO"))),
        "{good_tags:?}"
    );

    // Unsigned: DS07_NOT_SIGNED, no parent asked.
    assert_eq!(
        level_of(unsigned_r, "DS07_NOT_SIGNED").as_deref(),
        Some("WARNING")
    );
    assert_eq!(
        only(unsigned_r, "DS07_NOT_SIGNED_ON_SERVER"),
        json!({"ns_list": both(&unsigned)})
    );
    assert!(args_of(unsigned_r, "DS07_NO_DS_FOR_SIGNED_ZONE").is_empty());

    // Signed without a DS.
    assert_eq!(
        only(no_ds_r, "DS07_NO_DS_ON_PARENT_SERVER"),
        json!({"ns_list": PARENTS})
    );
    assert_eq!(
        level_of(no_ds_r, "DS07_NO_DS_FOR_SIGNED_ZONE").as_deref(),
        Some("WARNING")
    );

    // One server signed, one not.
    assert_eq!(
        level_of(half_r, "DS07_INCONSISTENT_SIGNED").as_deref(),
        Some("ERROR")
    );
    assert_eq!(
        only(half_r, "DS07_NOT_SIGNED_ON_SERVER"),
        json!({"ns_list": ns(&half, 1)})
    );
    assert_eq!(
        only(half_r, "DS07_SIGNED_ON_SERVER"),
        json!({"ns_list": ns(&half, 0)})
    );
    assert!(args_of(half_r, "DS07_DS_FOR_SIGNED_ZONE").is_empty());

    // One server silent on DNSKEY, one refusing it, one not authoritative.
    assert_eq!(
        only(silent_r, "DS07_NO_RESPONSE_DNSKEY"),
        json!({"ns_list": ns(&silent, 1)})
    );
    assert!(tags(silent_r).contains(&"DS07_SIGNED".to_owned()));
    assert_eq!(
        only(refused_r, "DS07_UNEXP_RCODE_RESP_DNSKEY"),
        json!({"ns_list": ns(&refused, 1), "rcode": "REFUSED"})
    );
    assert_eq!(
        only(non_auth_r, "DS07_NON_AUTH_RESPONSE_DNSKEY"),
        json!({"ns_list": ns(&non_auth, 1)})
    );

    // The parents disagree on the DS.
    assert_eq!(
        level_of(split_r, "DS07_INCONSISTENT_DS").as_deref(),
        Some("ERROR")
    );
    assert_eq!(
        only(split_r, "DS07_DS_ON_PARENT_SERVER"),
        json!({"ns_list": "ns1.test/127.54.0.2"})
    );
    assert_eq!(
        only(split_r, "DS07_NO_DS_ON_PARENT_SERVER"),
        json!({"ns_list": "ns2.test/127.54.0.3"})
    );
}

/// `DS07_NOT_SIGNED` stops the module after DNSSEC07 and DNSSEC11; a
/// signed zone runs the whole module. An undelegated test with a supplied
/// DS counts a parent `-` with a DS and asks no parent.
#[test]
fn dnssec07_stops_the_module_and_counts_a_supplied_ds() {
    let mut world = SignedWorld::new();
    let unsigned = world.child("plain");
    world.delegate(&unsigned, &[]);
    world.serve_both(&unsigned, &unsigned.base);
    let signed_child = world.child("signed");
    let (records, ds) = signed(&world, &signed_child);
    world.delegate(&signed_child, &[]);
    world.serve_both(&signed_child, &records);
    let ds_text = ds_argument(&ds);
    let undelegated = [
        "--ns".to_owned(),
        ns(&signed_child, 0),
        "--ds".to_owned(),
        ds_text,
    ];
    let undelegated: Vec<&str> = undelegated.iter().map(String::as_str).collect();
    let module = world.check(&[("plain.test", "dnssec"), ("signed.test", "dnssec")], &[]);
    let started = |results: &[Value]| -> Vec<String> {
        results
            .iter()
            .filter(|m| m["tag"] == "TEST_CASE_START")
            .filter_map(|m| m["args"]["testcase"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(started(&module[0]), ["DNSSEC07", "DNSSEC11"]);
    assert_eq!(started(&module[1]).len(), 17, "{:?}", started(&module[1]));
    let supplied = world.check(&[("signed.test", "dnssec07")], &undelegated);
    assert_eq!(
        only(&supplied[0], "DS07_DS_ON_PARENT_SERVER"),
        json!({"ns_list": "-"})
    );
    assert!(tags(&supplied[0]).contains(&"DS07_DS_FOR_SIGNED_ZONE".to_owned()));
}

/// `KEYTAG,ALGORITHM,DIGTYPE,DIGEST` of a DS record, as `--ds` takes it.
fn ds_argument(record: &Record) -> String {
    use hickory_proto::dnssec::rdata::DNSSECRData;
    use hickory_proto::rr::RData;
    let RData::DNSSEC(DNSSECRData::DS(ds)) = &record.data else {
        panic!("not a DS: {record:?}");
    };
    let digest: String = ds
        .digest()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!(
        "{},{},{},{digest}",
        ds.key_tag(),
        u8::from(ds.algorithm()),
        u8::from(ds.digest_type())
    )
}
