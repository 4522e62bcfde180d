//! When signatures are judged: a live run at the time each reply arrives,
//! `--restore` of a `--save` recording at the time the recording was made
//! (whatever the clock says when it is replayed), and any run at `--now`.

use std::process::Command;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use serde_json::Value;
use zonemaster::dnssec::sign::{self, SigningKey, Validity, ZoneSigning};

use crate::signed_world::{SignedWorld, tags};

/// DNSSEC08's tags in the messages of a `zmctl check --json` output.
fn dnssec08_tags(output: &std::process::Output) -> Vec<String> {
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("JSON output ({error}): {output:?}"));
    tags(json["results"].as_array().expect("results"))
        .into_iter()
        .filter(|tag| tag.starts_with("DS08_"))
        .collect()
}

#[test]
fn signatures_are_judged_when_the_replies_were_recorded() {
    // Signatures that expire a few seconds from now.
    let mut world = SignedWorld::new();
    let child = world.child("brief");
    let ksk = SigningKey::generate(13, sign::KSK).expect("a key");
    let zsk = SigningKey::generate(13, sign::ZSK).expect("a key");
    let signing = ZoneSigning {
        validity: Validity::around(
            world.now(),
            Duration::from_secs(3600),
            Duration::from_secs(4),
        ),
        ..ZoneSigning::nsec(world.now())
    };
    let records =
        sign::sign_zone(&child.name, &child.base, &[&ksk, &zsk], &signing).expect("signed");
    let ds = ksk.ds_record(&child.name, 3600, 2).expect("a DS");
    world.delegate(&child, &[ds]);
    world.serve_both(&child, &records);

    let dir = tempfile::tempdir().expect("a directory");
    let recording = dir.path().join("brief.json");
    let hints = dir.path().join("hints.zone");
    std::fs::write(
        &hints,
        ". 3600000 NS a.root.test.\na.root.test. 3600000 A 127.54.0.1\n",
    )
    .expect("hints written");
    let save = recording.display().to_string();
    let live = world.check(&[("brief.test", "dnssec08")], &["--save", &save]);
    let live_tags: Vec<String> = tags(&live[0])
        .into_iter()
        .filter(|t| t.starts_with("DS08_"))
        .collect();
    assert!(live_tags.is_empty(), "valid when asked: {live_tags:?}");

    // Replayed after the signatures expired: still judged as recorded.
    std::thread::sleep(Duration::from_secs(5));
    let restore = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .args([
                "check",
                "brief.test",
                "--test",
                "dnssec/dnssec08",
                "--json",
                "--level",
                "DEBUG",
            ])
            .args(["--restore", &save, "--hints", &hints.display().to_string()])
            .args(extra)
            .output()
            .expect("zmctl runs")
    };
    let replayed = restore(&[]);
    assert!(
        dnssec08_tags(&replayed).is_empty(),
        "{:?}",
        dnssec08_tags(&replayed)
    );

    // `--now` overrides: a minute after the recording, they have expired.
    let later: DateTime<Utc> = (SystemTime::now() + Duration::from_secs(60)).into();
    let later = later.to_rfc3339();
    let judged_later = restore(&["--now", &later]);
    assert_eq!(dnssec08_tags(&judged_later), ["DS08_DNSKEY_RRSIG_EXPIRED"]);
}
