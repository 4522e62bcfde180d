//! Module Connectivity end to end: `zmctl check --test connectivity`
//! inside the fixture world, with AS-number data served the Cymru way by
//! zm-testns (`asn.test`) and the RIPE way by a WHOIS server this test
//! starts itself on `whois.asn.test` (127.53.19.43, TCP port 43).

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::netns::{fixture_world, in_world};

/// Where the RIPE-style test's WHOIS server listens (`whois.asn.test`).
const WHOIS_ADDRESS: &str = "127.53.19.43:43";

/// A profile with quick timings and the given `asn_db`.
fn write_profile(directory: &Path, asn_db: &Value) -> String {
    let profile = serde_json::json!({
        "asn_db": asn_db,
        "resolver": {"defaults": {"timeout": 1, "retry": 2, "retrans": 1}},
    });
    let path = directory.join("profile.json");
    std::fs::write(&path, profile.to_string()).unwrap();
    path.display().to_string()
}

/// Runs `zmctl check ZONE --test connectivity --json --level DEBUG` with
/// `profile` and `extra` arguments, from inside the namespace of the
/// calling thread.
async fn check_connectivity(zone: &str, profile: &str, extra: &[&str]) -> Output {
    let hints = fixture_world().join("hints.zone");
    tokio::process::Command::new(env!("CARGO_BIN_EXE_zmctl"))
        .args(["check", zone, "--test", "connectivity", "--json"])
        .args(extra)
        .args(["--level", "DEBUG", "--profile", profile])
        .args(["--hints", &hints.display().to_string()])
        .output()
        .await
        .expect("zmctl runs")
}

fn results_of(output: &Output) -> Vec<Value> {
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    json["results"].as_array().expect("messages").clone()
}

/// Argument `arg` of every message tagged `tag`, in order.
fn args(results: &[Value], tag: &str, arg: &str) -> Vec<String> {
    results
        .iter()
        .filter(|m| m["tag"] == tag)
        .map(|m| match &m["args"][arg] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// What conn.test's data gives, whichever style served it: two ASes and
/// two /24s for IPv4, one AS and one /96 for IPv6.
fn assert_conn_test_verdicts(results: &[Value]) {
    let cases: Vec<&str> = results
        .iter()
        .filter(|m| m["tag"] == "TEST_CASE_START")
        .map(|m| m["args"]["testcase"].as_str().unwrap())
        .collect();
    assert_eq!(
        cases,
        [
            "Connectivity01",
            "Connectivity02",
            "Connectivity03",
            "Connectivity04"
        ]
    );
    let findings: Vec<&str> = results
        .iter()
        .filter(|m| m["module"] == "Connectivity" && m["level"] != "DEBUG")
        .map(|m| m["tag"].as_str().unwrap())
        .collect();
    assert_eq!(
        findings,
        [
            "IPV4_DIFFERENT_ASN",
            "IPV6_ONE_ASN",
            "CN04_IPV4_DIFFERENT_PREFIX",
            "CN04_IPV6_SAME_PREFIX",
            "CN04_IPV6_SINGLE_PREFIX"
        ],
        "{results:?}"
    );
    assert_eq!(
        args(results, "IPV4_DIFFERENT_ASN", "asn_list"),
        ["64500,64501"]
    );
    assert_eq!(args(results, "IPV6_ONE_ASN", "asn"), ["64510"]);
    assert_eq!(
        args(results, "CN04_IPV4_DIFFERENT_PREFIX", "ns_list"),
        ["ns1.conn.test/127.53.10.1;ns2.conn.test/127.53.11.1"]
    );
    assert_eq!(
        args(results, "CN04_IPV6_SAME_PREFIX", "ip_prefix"),
        ["fd53::/96"]
    );
    assert_eq!(
        args(results, "CN04_IPV6_SAME_PREFIX", "ns_list"),
        ["ns1.conn.test/fd53::10:1;ns2.conn.test/fd53::11:1"]
    );
    assert_eq!(
        args(results, "ASN_INFOS_ANNOUNCE_IN", "prefix"),
        ["127.53.10.0/24", "127.53.11.0/24", "fd53::/96", "fd53::/96"]
    );
}

#[test]
fn connectivity_cymru_style_reads_the_lookup_zone_served_by_zm_testns() {
    let directory = tempfile::tempdir().unwrap();
    let profile = write_profile(
        directory.path(),
        &serde_json::json!({"style": "Cymru", "sources": {"Cymru": ["asn.test"]}}),
    );
    let output = in_world(&fixture_world(), None, &[], move || async move {
        check_connectivity("conn.test", &profile, &[]).await
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    assert_conn_test_verdicts(&results);
    assert_eq!(args(&results, "ASN_LOOKUP_SOURCE", "name"), ["asn.test"; 8]);
    assert_eq!(
        args(&results, "ASN_INFOS_RAW", "data"),
        [
            "64500 | 127.53.10.0/24 | ZZ | test | 2026-12-06",
            "64501 | 127.53.11.0/24 | ZZ | test | 2026-12-06",
            "64510 | fd53::/96 | ZZ | test | 2026-12-06",
            "64510 | fd53::/96 | ZZ | test | 2026-12-06"
        ]
    );
}

/// The AS-number line a RIS-like server gives for `address`.
fn ris_line(address: &str) -> Option<&'static str> {
    match address {
        "127.53.10.1" => Some("64500\t127.53.10.0/24\t20"),
        "127.53.11.1" => Some("64501\t127.53.11.0/24\t20"),
        "fd53::10:1" | "fd53::11:1" => Some("64510\tfd53::/96\t20"),
        _ => None,
    }
}

/// Serves WHOIS on `listener`: one question per connection, answered
/// from [`ris_line`]; every question is kept in `questions`.
async fn serve_whois(listener: TcpListener, questions: Arc<Mutex<Vec<String>>>) {
    while let Ok((mut socket, _)) = listener.accept().await {
        let questions = Arc::clone(&questions);
        tokio::spawn(async move {
            let mut buffer = vec![0u8; 256];
            let Ok(length) = socket.read(&mut buffer).await else {
                return;
            };
            let question = String::from_utf8_lossy(&buffer[..length]).into_owned();
            let address = question.trim().trim_start_matches("-F -M ").to_owned();
            questions.lock().unwrap().push(question);
            let mut reply = String::from("% RIS whois test server\n\n");
            match ris_line(&address) {
                Some(line) => reply.push_str(&format!("{line}\n")),
                None => reply.push_str("% No entries found\n"),
            }
            let _ = socket.write_all(reply.as_bytes()).await;
        });
    }
}

#[test]
fn connectivity_ripe_style_asks_a_whois_server_found_through_the_recursor() {
    let directory = tempfile::tempdir().unwrap();
    let profile = write_profile(
        directory.path(),
        &serde_json::json!({"style": "RIPE", "sources": {"RIPE": ["whois.asn.test"]}}),
    );
    let questions = Arc::new(Mutex::new(Vec::new()));
    let asked = Arc::clone(&questions);
    let output = in_world(&fixture_world(), None, &[], move || async move {
        let listener = TcpListener::bind(WHOIS_ADDRESS)
            .await
            .expect("port 43 as root");
        let server = tokio::spawn(serve_whois(listener, asked));
        let output = check_connectivity("conn.test", &profile, &[]).await;
        server.abort();
        output
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    assert_conn_test_verdicts(&results);
    assert_eq!(
        args(&results, "ASN_LOOKUP_SOURCE", "name"),
        ["whois.asn.test"; 8]
    );
    assert_eq!(
        args(&results, "ASN_INFOS_RAW", "data"),
        [
            "64500\t127.53.10.0/24\t20",
            "64501\t127.53.11.0/24\t20",
            "64510\tfd53::/96\t20",
            "64510\tfd53::/96\t20"
        ]
    );
    let mut questions = questions.lock().unwrap().clone();
    questions.sort();
    assert_eq!(
        questions,
        [
            "-F -M 127.53.10.1\r\n",
            "-F -M 127.53.11.1\r\n",
            "-F -M fd53::10:1\r\n",
            "-F -M fd53::11:1\r\n"
        ],
        "each address asked once, though two test cases want it"
    );
}

/// A server that answers nothing (a supplied address where nothing
/// listens) is named by both transports; the database knows nothing of
/// its address.
#[test]
fn connectivity_names_a_server_that_answers_neither_transport() {
    let directory = tempfile::tempdir().unwrap();
    let profile = write_profile(
        directory.path(),
        &serde_json::json!({"style": "cymru", "sources": {"cymru": ["asn.test"]}}),
    );
    let output = in_world(&fixture_world(), None, &[], move || async move {
        let servers = [
            "--ns",
            "ns1.conn.test/127.53.10.1",
            "--ns",
            "ns9.conn.test/127.53.19.99",
        ];
        check_connectivity("conn.test", &profile, &servers).await
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let dead = ["ns9.conn.test/127.53.19.99"];
    assert_eq!(args(&results, "CN01_NO_RESPONSE_UDP", "ns"), dead);
    assert_eq!(args(&results, "CN02_NO_RESPONSE_TCP", "ns"), dead);
    let others: Vec<&str> = results
        .iter()
        .filter_map(|m| m["tag"].as_str())
        .filter(|tag| tag.starts_with("CN0") && !tag.starts_with("CN04"))
        .collect();
    assert_eq!(others, ["CN01_NO_RESPONSE_UDP", "CN02_NO_RESPONSE_TCP"]);
    assert_eq!(args(&results, "EMPTY_ASN_SET", "ns_ip"), ["127.53.19.99"]);
    assert_eq!(
        args(&results, "CN04_EMPTY_PREFIX_SET", "ns_ip"),
        ["127.53.19.99"]
    );
}

/// connbad.test: a good ns1 and eight servers that each misbehave one way
/// (`tests/fixtures/world/main.cfg`), all in one /24 of one AS. Each
/// CONNECTIVITY01/02 tag names exactly the server that earns it, over the
/// transport that shows it; the good ns1 is never named; one AS and one
/// prefix are warned about.
#[test]
fn connectivity_names_each_misbehaving_server_per_transport() {
    let directory = tempfile::tempdir().unwrap();
    let profile = write_profile(
        directory.path(),
        &serde_json::json!({"style": "Cymru", "sources": {"Cymru": ["asn.test"]}}),
    );
    let output = in_world(&fixture_world(), None, &[], move || async move {
        check_connectivity("connbad.test", &profile, &[]).await
    });
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let results = results_of(&output);
    let ns = |n: u8| format!("ns{n}.connbad.test/127.53.50.{n}");
    // (tag without its CN0x_ prefix and _UDP/_TCP suffix, the server)
    let expected: &[(&str, u8)] = &[
        ("NO_RESPONSE_SOA_QUERY", 4),
        ("NO_RESPONSE_NS_QUERY", 5),
        ("UNEXPECTED_RCODE_SOA_QUERY", 6),
        ("UNEXPECTED_RCODE_NS_QUERY", 6),
        ("MISSING_SOA_RECORD", 7),
        ("MISSING_NS_RECORD", 7),
        ("WRONG_SOA_RECORD", 8),
        ("WRONG_NS_RECORD", 8),
        ("SOA_RECORD_NOT_AA", 9),
        ("NS_RECORD_NOT_AA", 9),
    ];
    for (prefix, suffix, deaf) in [("CN01", "UDP", 3), ("CN02", "TCP", 2)] {
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|(middle, n)| (format!("{prefix}_{middle}_{suffix}"), ns(*n)))
            .collect();
        // ns3 serves TCP only, ns2 UDP only (`transport`).
        want.insert(0, (format!("{prefix}_NO_RESPONSE_{suffix}"), ns(deaf)));
        want.sort();
        let mut found: Vec<(String, String)> = results
            .iter()
            .filter(|m| m["tag"].as_str().unwrap().starts_with(prefix))
            .filter(|m| m["level"] == "WARNING")
            .map(|m| {
                let tag = m["tag"].as_str().unwrap().to_owned();
                (tag, m["args"]["ns"].as_str().unwrap().to_owned())
            })
            .collect();
        found.sort();
        assert_eq!(found, want, "{prefix}");
        let rcode_tag = format!("{prefix}_UNEXPECTED_RCODE_SOA_QUERY_{suffix}");
        assert_eq!(args(&results, &rcode_tag, "rcode"), ["REFUSED"]);
        for rtype in ["SOA", "NS"] {
            let wrong = format!("{prefix}_WRONG_{rtype}_RECORD_{suffix}");
            assert_eq!(args(&results, &wrong, "domain_found"), ["elsewhere.test."]);
            assert_eq!(args(&results, &wrong, "domain_expected"), ["connbad.test."]);
        }
    }
    assert!(
        !results
            .iter()
            .any(|m| m["args"].to_string().contains("ns1.connbad.test") && m["level"] == "WARNING"),
        "the good ns1 is never warned about"
    );
    assert_eq!(args(&results, "IPV4_ONE_ASN", "asn"), ["64520"]);
    assert_eq!(
        results
            .iter()
            .filter(|m| m["tag"] == "CN04_IPV4_SINGLE_PREFIX")
            .map(|m| (m["level"].as_str().unwrap(), m["args"].to_string()))
            .collect::<Vec<_>>(),
        [("WARNING", "{}".to_owned())]
    );
    assert_eq!(
        args(&results, "CN04_IPV4_SAME_PREFIX", "ip_prefix"),
        ["127.53.50.0/24"]
    );
}
