//! DNSSEC07 and DNSSEC16 on the conformance world's scenario zones, which
//! have zone data but no published expectations in `shared/conformance`:
//! the tags each must give are those of the Zonemaster test-zone
//! specifications (every scenario lists its mandatory tags and forbids all
//! the others of the test case), checked live against zm-testns.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::netns::{conformance_dir, zmctl_checks_with_hints};

/// Each scenario zone with the exact set of tags its test case must give.
const DNSSEC07: &[(&str, &[&str])] = &[
    (
        "signed-and-ds-1",
        &[
            "DS07_DS_FOR_SIGNED_ZONE",
            "DS07_DS_ON_PARENT_SERVER",
            "DS07_SIGNED",
            "DS07_SIGNED_ON_SERVER",
        ],
    ),
    (
        "signed-no-ds-1",
        &[
            "DS07_NO_DS_ON_PARENT_SERVER",
            "DS07_NO_DS_FOR_SIGNED_ZONE",
            "DS07_SIGNED",
            "DS07_SIGNED_ON_SERVER",
        ],
    ),
    (
        "inconsist-signed-and-ds-1",
        &[
            "DS07_DS_ON_PARENT_SERVER",
            "DS07_INCONSISTENT_SIGNED",
            "DS07_NOT_SIGNED_ON_SERVER",
            "DS07_SIGNED_ON_SERVER",
        ],
    ),
    (
        "inconsist-signed-no-ds-1",
        &[
            "DS07_INCONSISTENT_SIGNED",
            "DS07_NOT_SIGNED_ON_SERVER",
            "DS07_NO_DS_ON_PARENT_SERVER",
            "DS07_SIGNED_ON_SERVER",
        ],
    ),
    (
        "child.signed-and-inconsist-ds-1",
        &[
            "DS07_DS_ON_PARENT_SERVER",
            "DS07_INCONSISTENT_DS",
            "DS07_NO_DS_ON_PARENT_SERVER",
            "DS07_SIGNED",
            "DS07_SIGNED_ON_SERVER",
        ],
    ),
    (
        "unsigned-and-ds-1",
        &["DS07_NOT_SIGNED", "DS07_NOT_SIGNED_ON_SERVER"],
    ),
    (
        "unsigned-no-ds-1",
        &["DS07_NOT_SIGNED", "DS07_NOT_SIGNED_ON_SERVER"],
    ),
    (
        "non-auth-response-dnskey-1",
        &[
            "DS07_NON_AUTH_RESPONSE_DNSKEY",
            "DS07_SIGNED",
            "DS07_SIGNED_ON_SERVER",
            "DS07_DS_ON_PARENT_SERVER",
            "DS07_DS_FOR_SIGNED_ZONE",
        ],
    ),
    (
        "no-response-dnskey-1",
        &[
            "DS07_SIGNED",
            "DS07_SIGNED_ON_SERVER",
            "DS07_NO_RESPONSE_DNSKEY",
            "DS07_DS_ON_PARENT_SERVER",
            "DS07_DS_FOR_SIGNED_ZONE",
        ],
    ),
    (
        "unexp-rcode-resp-dnskey-1",
        &[
            "DS07_SIGNED",
            "DS07_SIGNED_ON_SERVER",
            "DS07_UNEXP_RCODE_RESP_DNSKEY",
            "DS07_DS_ON_PARENT_SERVER",
            "DS07_DS_FOR_SIGNED_ZONE",
        ],
    ),
];

const DNSSEC16: &[(&str, &[&str])] = &[
    ("cds-invalid-rrsig", &["DS16_CDS_INVALID_RRSIG"]),
    ("cds-matches-no-dnskey", &["DS16_CDS_MATCHES_NO_DNSKEY"]),
    (
        "cds-matches-non-sep-dnskey",
        &["DS16_CDS_MATCHES_NON_SEP_DNSKEY"],
    ),
    (
        "cds-matches-non-zone-dnskey",
        &["DS16_CDS_MATCHES_NON_ZONE_DNSKEY"],
    ),
    ("cds-not-signed-by-cds", &["DS16_CDS_NOT_SIGNED_BY_CDS"]),
    (
        "cds-signed-by-unknown-dnskey",
        &["DS16_CDS_SIGNED_BY_UNKNOWN_DNSKEY"],
    ),
    (
        "cds-unsigned",
        &["DS16_CDS_UNSIGNED", "DS16_CDS_NOT_SIGNED_BY_CDS"],
    ),
    ("cds-without-dnskey", &["DS16_CDS_WITHOUT_DNSKEY"]),
    ("delete-cds", &["DS16_DELETE_CDS"]),
    (
        "dnskey-not-signed-by-cds",
        &["DS16_DNSKEY_NOT_SIGNED_BY_CDS"],
    ),
    ("mixed-delete-cds", &["DS16_MIXED_DELETE_CDS"]),
    ("no-cds", &[]),
    ("not-aa", &[]),
    ("valid-cds", &[]),
];

#[test]
fn dnssec07_and_dnssec16_scenarios_of_the_conformance_world() {
    let Some(conformance) = conformance_dir() else {
        eprintln!("shared/conformance not found: skipped");
        return;
    };
    let zones = conformance.join("test-zone-data");
    let mut runs: Vec<(String, String, String, Vec<&str>)> = Vec::new();
    for (label, expected) in DNSSEC07 {
        let hints = zones.join("DNSSEC-TP/dnssec07/hintfile.zone");
        let zone = format!("{label}.dnssec07.xa");
        runs.push((
            zone,
            "dnssec07".into(),
            hints.display().to_string(),
            expected.to_vec(),
        ));
    }
    for (label, expected) in DNSSEC16 {
        let hints = zones.join("COMMON/hintfile");
        let zone = format!("{label}.dnssec16.xa");
        runs.push((
            zone,
            "dnssec16".into(),
            hints.display().to_string(),
            expected.to_vec(),
        ));
    }
    let commands: Vec<(String, String, String)> = runs
        .iter()
        .map(|(zone, case, hints, _)| (zone.clone(), format!("dnssec/{case}"), hints.clone()))
        .collect();
    let outputs = zmctl_checks_with_hints(&zones, &commands, &[]);
    let mut failures = Vec::new();
    for ((zone, case, _, expected), output) in runs.iter().zip(&outputs) {
        let json: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{zone}: JSON output ({error}): {output:?}"));
        let prefix = if case == "dnssec07" { "DS07_" } else { "DS16_" };
        let got: BTreeSet<&str> = json["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|message| message["tag"].as_str())
            .filter(|tag| tag.starts_with(prefix))
            .collect();
        let want: BTreeSet<&str> = expected.iter().copied().collect();
        if got != want {
            failures.push(format!("{zone}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
