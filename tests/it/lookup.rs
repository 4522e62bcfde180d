//! `zmctl lookup` end to end: the binary run inside the fixture world.

use std::process::{Command, Output};

use crate::netns::{fixture_world, in_world};

fn zmctl(args: &[&str]) -> Output {
    let hints = fixture_world().join("hints.zone");
    Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args(args)
        .args(["--hints", &hints.display().to_string(), "--timeout", "1"])
        .output()
        .expect("zmctl runs")
}

fn in_fixture<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    in_world(&fixture_world(), None, &[], move || async move { body() })
}

#[test]
fn delegation_json_has_the_backend_shape() {
    let output = in_fixture(|| zmctl(&["lookup", "delegation", "Good.Test.", "--json"]));
    assert!(output.status.success(), "{output:?}");
    let expected = concat!(
        r#"{"ns_list":[{"ns":"ns1.good.test","ip":"127.53.2.1"},{"ns":"ns1.good.test","ip":"fd53::2:1"},"#,
        r#"{"ns":"ns2.good.test","ip":"127.53.2.2"},{"ns":"ns2.good.test","ip":"fd53::2:2"}],"#,
        r#""ds_list":[{"keytag":12345,"algorithm":13,"digtype":2,"#,
        r#""digest":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]}"#,
        "\n"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn glueless_delegation_is_resolved_and_ipv6_can_be_left_out() {
    let output = in_fixture(|| {
        zmctl(&[
            "lookup",
            "delegation",
            "glueless.test",
            "--json",
            "--no-ipv6",
        ])
    });
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ns_list"][0]["ns"], "ns.other.test");
    assert_eq!(json["ds_list"].as_array().map(Vec::len), Some(0));
}

#[test]
fn addresses_follow_cnames_and_missing_ones_exit_1() {
    let (found, missing) = in_fixture(|| {
        (
            zmctl(&["lookup", "address", "alias.good.test", "--json"]),
            zmctl(&["lookup", "address", "nope.good.test", "--json"]),
        )
    });
    assert!(found.status.success(), "{found:?}");
    let json: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(json[0]["alias.good.test"], "192.0.2.10");
    assert_eq!(missing.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(json[0]["nope.good.test"], "0.0.0.0");
}

#[test]
fn undeterminable_delegation_exits_1_with_a_message() {
    let output = in_fixture(|| zmctl(&["lookup", "delegation", "nonexistent.test"]));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot determine the delegation"));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 3] = [
        (&["lookup", "delegation", "a..b"], "consecutive dots"),
        (&["lookup", "address", "bad name"], "invalid domain name"),
        (
            &[
                "lookup",
                "delegation",
                "se",
                "--hints",
                "/nonexistent/hints",
            ],
            "cannot read hints file",
        ),
    ];
    for (args, expected) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_zmctl"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    let directory = tempfile::tempdir().unwrap();
    let hints = directory.path().join("hints");
    std::fs::write(&hints, ". NS a.\na. A 192.0.2.1\nb. A 192.0.2.2\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args([
            "lookup",
            "delegation",
            "se",
            "--hints",
            &hints.display().to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 3"));
}

/// `zmctl lookup delegation` against every delegated MethodsV2 scenario of
/// the conformance world: the printed NS list must be the expected
/// delegation (`del_ns`), and an undeterminable one must exit 1.
#[test]
fn delegation_matches_the_methodsv2_expectations() {
    let Some(conformance) = crate::netns::conformance_dir() else {
        eprintln!("shared/conformance not found: MethodsV2 lookup check skipped");
        return;
    };
    let text = std::fs::read_to_string(conformance.join("methods/methodsv2.json")).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let scenarios: Vec<(String, String, Option<Vec<String>>)> = document["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] != "not_testable" && s["undelegated_ns"].is_null())
        .map(|s| {
            let expected = s["del_ns"].as_array().map(|list| {
                let mut list: Vec<String> = list
                    .iter()
                    .map(|v| canonical(v.as_str().unwrap()))
                    .collect();
                list.sort();
                list
            });
            (
                s["name"].as_str().unwrap().to_owned(),
                s["zone"].as_str().unwrap().to_owned(),
                expected,
            )
        })
        .collect();
    let hints = conformance.join("test-zone-data/COMMON/hintfile");
    let zones = conformance.join("test-zone-data");
    let total = scenarios.len();
    let failures: Vec<String> = in_world(&zones, None, &[], move || async move {
        let mut failures = Vec::new();
        for (name, zone, expected) in scenarios {
            let output = Command::new(env!("CARGO_BIN_EXE_zmctl"))
                .args(["lookup", "delegation", &zone, "--json", "--timeout", "1"])
                .args(["--hints", &hints.display().to_string()])
                .output()
                .unwrap();
            let got = output.status.success().then(|| {
                let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                let mut list: Vec<String> = json["ns_list"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| match e["ip"].as_str() {
                        Some(ip) => canonical(&format!("{}/{ip}", e["ns"].as_str().unwrap())),
                        None => e["ns"].as_str().unwrap().to_owned(),
                    })
                    .collect();
                list.sort();
                list
            });
            let matches = match (&expected, &got) {
                (None, None) => output.status.code() == Some(1),
                (Some(expected), Some(got)) => expected == got,
                _ => false,
            };
            if !matches {
                failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
            }
        }
        failures
    });
    let matched = total - failures.len();
    eprintln!("zmctl lookup delegation vs MethodsV2: {matched}/{total} delegated scenarios match");
    for failure in &failures {
        eprintln!("  {failure}");
    }
    assert!(
        matched * 10 >= total * 9,
        "only {matched}/{total} scenarios match"
    );
}

/// `name/ip` with the address in canonical form.
fn canonical(entry: &str) -> String {
    match entry.split_once('/') {
        Some((name, ip)) => format!("{name}/{}", ip.parse::<std::net::IpAddr>().unwrap()),
        None => entry.to_owned(),
    }
}
