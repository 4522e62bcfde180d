//! The WARNING-or-worse findings of modules Consistency, Delegation and
//! Nameserver end to end: `zmctl check --test …` against fixture zones of
//! `tests/fixtures/world` (the `fx-*.zone` files, 127.53.60.x–127.53.61.x)
//! served by the real zm-testns. Each zone has one thing wrong, in its
//! data or in one misbehaving server; each finding is asserted with every
//! message of its tag and their arguments, and a good zone passes.

use std::process::Output;

use serde_json::{Value, json};

use crate::netns::{fixture_world, zmctl_checks};

/// `zmctl check ZONE --test SELECTION --json --level DEBUG` with the fast
/// profile, each in its own thread, all inside one fixture world.
fn run_all(runs: &[(&str, &str)]) -> Vec<Output> {
    let runs: Vec<(String, String)> = runs
        .iter()
        .map(|(zone, test)| ((*zone).to_owned(), (*test).to_owned()))
        .collect();
    zmctl_checks(&fixture_world(), &runs, &[])
}

fn results_of(output: &Output) -> Vec<Value> {
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("JSON output ({error}): {output:?}"));
    json["results"].as_array().expect("results").clone()
}

/// The arguments of every message tagged `tag`, as sorted JSON texts.
fn messages(results: &[Value], tag: &str) -> Vec<String> {
    let mut found: Vec<String> = results
        .iter()
        .filter(|m| m["tag"] == tag)
        .map(|m| m["args"].to_string())
        .collect();
    found.sort();
    found
}

/// The level of the messages tagged `tag` (the first one's).
fn level(results: &[Value], tag: &str) -> String {
    results
        .iter()
        .find(|m| m["tag"] == tag)
        .and_then(|m| m["level"].as_str())
        .unwrap_or("absent")
        .to_owned()
}

/// A fixture: zone, `--test` selection, tag, its level, and the
/// arguments of each of its messages.
struct Finding {
    zone: &'static str,
    test: &'static str,
    tag: &'static str,
    level: &'static str,
    args: Vec<Value>,
}

fn finding(
    zone: &'static str,
    test: &'static str,
    tag: &'static str,
    level: &'static str,
    args: Vec<Value>,
) -> Finding {
    Finding {
        zone,
        test,
        tag,
        level,
        args,
    }
}

/// The `ns` arguments of a server over IPv4 and IPv6.
fn ns_both(name: &str, n: u8) -> [String; 2] {
    [
        format!("{name}/127.53.61.{n}"),
        format!("{name}/fd53::61:{n}"),
    ]
}

fn consistency() -> Vec<Finding> {
    vec![
        finding(
            "serials.test",
            "consistency/consistency01",
            "MULTIPLE_SOA_SERIALS",
            "WARNING",
            vec![json!({"count": 2})],
        ),
        finding(
            "glue.test",
            "consistency/consistency05",
            "IN_BAILIWICK_ADDR_MISMATCH",
            "ERROR",
            vec![json!({
                "parent_addresses": "ns1.glue.test/127.53.60.1;ns1.glue.test/fd53::60:1;\
                                     ns2.glue.test/127.53.60.2;ns2.glue.test/fd53::60:2",
                "zone_addresses": "ns1.glue.test/127.53.60.1;ns1.glue.test/fd53::60:1;\
                                   ns2.glue.test/127.53.60.3;ns2.glue.test/fd53::60:2",
            })],
        ),
        finding(
            "oobglue.test",
            "consistency/consistency05",
            "OUT_OF_BAILIWICK_ADDR_MISMATCH",
            "ERROR",
            vec![json!({
                "parent_addresses": "ns2.oobhost.test/127.53.60.2",
                "zone_addresses": "ns2.oobhost.test/127.53.60.3",
            })],
        ),
        finding(
            "childlame.test",
            "consistency/consistency05",
            "CHILD_ZONE_LAME",
            "ERROR",
            vec![json!({})],
        ),
    ]
}

fn delegation() -> Vec<Finding> {
    let one = |tag: &'static str, key: &str, value: &str| {
        finding(
            "onens.test",
            "delegation/delegation01",
            tag,
            "ERROR",
            vec![json!({"count": 1, "minimum": 2, key: value})],
        )
    };
    let same_ip = |tag: &'static str| {
        finding(
            "sameip.test",
            "delegation/delegation02",
            tag,
            "ERROR",
            ["127.53.60.1", "fd53::60:1"]
                .iter()
                .map(|ip| json!({"ns_ip": ip, "nsname_list": "ns1.sameip.test;ns2.sameip.test"}))
                .collect(),
        )
    };
    let no_ipv4 = |tag: &'static str| {
        finding(
            "v6only.test",
            "delegation/delegation01",
            tag,
            "WARNING",
            vec![json!({"count": 0, "minimum": 2, "ns_list": ""})],
        )
    };
    let [noaa4, noaa6] = ns_both("ns2.noaa.test", 1);
    let [nosoa4, nosoa6] = ns_both("ns2.nosoa.test", 2);
    let [rcode4, rcode6] = ns_both("ns2.nsrcode.test", 3);
    vec![
        one("NOT_ENOUGH_NS_DEL", "nsname_list", "ns1.onens.test"),
        one("NOT_ENOUGH_NS_CHILD", "nsname_list", "ns1.onens.test"),
        one(
            "NOT_ENOUGH_IPV4_NS_DEL",
            "ns_list",
            "ns1.onens.test/127.53.60.1",
        ),
        one(
            "NOT_ENOUGH_IPV4_NS_CHILD",
            "ns_list",
            "ns1.onens.test/127.53.60.1",
        ),
        one(
            "NOT_ENOUGH_IPV6_NS_DEL",
            "ns_list",
            "ns1.onens.test/fd53::60:1",
        ),
        one(
            "NOT_ENOUGH_IPV6_NS_CHILD",
            "ns_list",
            "ns1.onens.test/fd53::60:1",
        ),
        no_ipv4("NO_IPV4_NS_DEL"),
        no_ipv4("NO_IPV4_NS_CHILD"),
        same_ip("DEL_NS_SAME_IP"),
        same_ip("CHILD_NS_SAME_IP"),
        same_ip("SAME_IP_ADDRESS"),
        finding(
            "bigreferral.test",
            "delegation/delegation03",
            "REFERRAL_SIZE_TOO_LARGE",
            "WARNING",
            // 12 header + 259 question + 4 NS of 78 + one A (16) and
            // one AAAA (28) glue record.
            vec![json!({"size": 627})],
        ),
        finding(
            "noaa.test",
            "delegation/delegation04",
            "IS_NOT_AUTHORITATIVE",
            "WARNING",
            vec![
                json!({"ns": noaa4, "proto": "UDP"}),
                json!({"ns": noaa4, "proto": "TCP"}),
                json!({"ns": noaa6, "proto": "UDP"}),
                json!({"ns": noaa6, "proto": "TCP"}),
            ],
        ),
        finding(
            "nsrcode.test",
            "delegation/delegation05",
            "UNEXPECTED_RCODE",
            "WARNING",
            [rcode4, rcode6]
                .iter()
                .map(|ns| {
                    json!({"ns": ns, "query_name": "ns1.nsrcode.test", "rrtype": "A",
                           "rcode": "REFUSED"})
                })
                .collect(),
        ),
        finding(
            "nscname.test",
            "delegation/delegation05",
            "NS_IS_CNAME",
            "ERROR",
            vec![json!({"nsname": "ns2.nscname.test"})],
        ),
        finding(
            "nosoa.test",
            "delegation/delegation06",
            "SOA_NOT_EXISTS",
            "ERROR",
            vec![json!({"ns": nosoa4}), json!({"ns": nosoa6})],
        ),
        finding(
            "extraparent.test",
            "delegation/delegation07",
            "EXTRA_NAME_PARENT",
            "ERROR",
            vec![json!({"extra": "ns3.extraparent.test"})],
        ),
        finding(
            "mismatch.test",
            "delegation/delegation07",
            "TOTAL_NAME_MISMATCH",
            "ERROR",
            vec![json!({
                "glue": "ns1.mismatch.test;ns2.mismatch.test",
                "child": "ns3.mismatch.test;ns4.mismatch.test",
            })],
        ),
    ]
}

fn nameserver() -> Vec<Finding> {
    let per_server = |zone: &'static str,
                      test: &'static str,
                      tag: &'static str,
                      level: &'static str,
                      n: u8,
                      extra: Value| {
        let servers = ns_both(&format!("ns2.{zone}"), n);
        let args = servers
            .iter()
            .map(|ns| {
                let mut args = extra.clone();
                args["ns"] = json!(ns);
                args
            })
            .collect();
        finding(zone, test, tag, level, args)
    };
    let case = |zone: &'static str, tag: &'static str, level: &'static str, n, extra: Value| {
        per_server(zone, "nameserver/nameserver09", tag, level, n, extra)
    };
    let differ = |zone: &'static str| {
        finding(
            zone,
            "nameserver/nameserver09",
            "CASE_QUERIES_RESULTS_DIFFER",
            "ERROR",
            vec![json!({"type": "SOA", "domain": format!("www.{zone}")})],
        )
    };
    let ns_error =
        |test: &'static str| per_server("nserror.test", test, "NS_ERROR", "WARNING", 12, json!({}));
    let no_edns = |test: &'static str| {
        finding(
            "noedns.test",
            test,
            "NO_EDNS_SUPPORT",
            "WARNING",
            vec![
                json!({"ns": "ns2.noedns.test/127.53.32.2"}),
                json!({"ns": "ns2.noedns.test/fd53::32:2"}),
            ],
        )
    };
    let wrong_class = ns_both("ns2.wrongclass.test", 13).join(";");
    // NAMESERVER10 and 11 list the misbehaving server's addresses.
    let edns = |zone: &'static str, test: &'static str, tag: &'static str, n: u8, rcode| {
        let mut args = json!({"ns_ip_list": format!("127.53.61.{n};fd53::61:{n}")});
        if let Some(rcode) = rcode {
            args["rcode"] = json!(rcode);
        }
        finding(zone, test, tag, "WARNING", vec![args])
    };
    let n10 = "nameserver/nameserver10";
    let n11 = "nameserver/nameserver11";
    vec![
        edns("v1drop.test", n10, "N10_NO_RESPONSE_EDNS1_QUERY", 14, None),
        edns(
            "v1formerr.test",
            n10,
            "N10_UNEXPECTED_RCODE",
            15,
            Some("FORMERR"),
        ),
        edns("optdrop.test", n11, "N11_NO_RESPONSE", 16, None),
        edns(
            "optformerr.test",
            n11,
            "N11_UNEXPECTED_RCODE",
            17,
            Some("FORMERR"),
        ),
        edns("optnoopt.test", n11, "N11_NO_EDNS", 18, None),
        edns(
            "optnodata.test",
            n11,
            "N11_UNEXPECTED_ANSWER_SECTION",
            19,
            None,
        ),
        edns("optnoaa.test", n11, "N11_UNSET_AA", 20, None),
        per_server(
            "arcode.test",
            "nameserver/nameserver05",
            "A_UNEXPECTED_RCODE",
            "WARNING",
            6,
            json!({"rcode": "REFUSED"}),
        ),
        per_server(
            "aaaarcode.test",
            "nameserver/nameserver05",
            "AAAA_UNEXPECTED_RCODE",
            "ERROR",
            7,
            json!({"rcode": "REFUSED"}),
        ),
        per_server(
            "badaaaa.test",
            "nameserver/nameserver05",
            "AAAA_BAD_RDATA",
            "ERROR",
            8,
            json!({"length": 4}),
        ),
        finding(
            "noresolution.test",
            "nameserver/nameserver06",
            "NO_RESOLUTION",
            "ERROR",
            vec![json!({"names": "ns1.nowhere.test,ns2.nowhere.test"})],
        ),
        // The spellings NAMESERVER09 asks are seeded from the zone's name.
        case(
            "casediff.test",
            "CASE_QUERY_DIFFERENT_ANSWER",
            "WARNING",
            9,
            json!({"type": "SOA", "query1": "WWw.CaSeDiff.TeST", "query2": "Www.CaSEDIff.Test"}),
        ),
        differ("casediff.test"),
        case(
            "caserc.test",
            "CASE_QUERY_DIFFERENT_RC",
            "WARNING",
            10,
            json!({"type": "SOA", "query1": "WWW.CasERC.tESt", "query2": "WWW.CasERC.TEST",
                   "rcode1": "NXDOMAIN", "rcode2": "NOERROR"}),
        ),
        differ("caserc.test"),
        case(
            "casedrop.test",
            "CASE_QUERY_NO_ANSWER",
            "WARNING",
            11,
            // The second spelling is dropped; `domain` is the one answered.
            json!({"type": "SOA", "domain": "WWw.cAsEdROP.TeST"}),
        ),
        differ("casedrop.test"),
        per_server(
            "v1reply.test",
            "nameserver/nameserver02",
            "EDNS_VERSION_ERROR",
            "ERROR",
            21,
            json!({"domain": "v1reply.test"}),
        ),
        // The Nameserver fixture of tests/it/check.rs (`edns formerr`),
        // here for each of the three test cases that say so.
        no_edns("nameserver/nameserver02"),
        no_edns("nameserver/nameserver12"),
        no_edns("nameserver/nameserver13"),
        ns_error("nameserver/nameserver02"),
        ns_error("nameserver/nameserver12"),
        ns_error("nameserver/nameserver13"),
        finding(
            "wrongclass.test",
            "nameserver/nameserver15",
            "N15_WRONG_CLASS",
            "WARNING",
            vec![json!({"ns_list": wrong_class})],
        ),
    ]
}

/// Every fixture shows its finding, exactly: every message of the tag,
/// with its arguments, and the profile's level.
#[test]
fn each_fixture_shows_its_finding_with_its_arguments() {
    let findings: Vec<Finding> = consistency()
        .into_iter()
        .chain(delegation())
        .chain(nameserver())
        .collect();
    let mut runs: Vec<(&str, &str)> = findings.iter().map(|f| (f.zone, f.test)).collect();
    runs.sort_unstable();
    runs.dedup();
    let outputs = run_all(&runs);
    let mut failures = Vec::new();
    for found in &findings {
        let index = runs
            .iter()
            .position(|run| *run == (found.zone, found.test))
            .expect("each finding's run was made");
        let output = &outputs[index];
        assert_eq!(output.status.code(), Some(0), "{}: {output:?}", found.zone);
        let results = results_of(output);
        let mut expected: Vec<String> = found.args.iter().map(Value::to_string).collect();
        expected.sort();
        let actual = messages(&results, found.tag);
        if actual != expected || level(&results, found.tag) != found.level {
            failures.push(format!(
                "{} ({}): {} {} expected {expected:?}, got {} {actual:?}",
                found.zone,
                found.test,
                found.tag,
                found.level,
                level(&results, found.tag)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A good zone passes Consistency and Delegation: nothing at WARNING or
/// above, and the passing tags are there.
#[test]
fn a_good_zone_passes_consistency_and_delegation() {
    let outputs = run_all(&[("good.test", "consistency"), ("good.test", "delegation")]);
    for output in &outputs {
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let results = results_of(output);
        let bad: Vec<&Value> = results
            .iter()
            .filter(|m| matches!(m["level"].as_str(), Some("WARNING" | "ERROR" | "CRITICAL")))
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
    }
    let consistency = results_of(&outputs[0]);
    assert_eq!(
        messages(&consistency, "ONE_SOA_SERIAL"),
        [json!({"serial": 2_026_112_801}).to_string()]
    );
    assert_eq!(messages(&consistency, "ADDRESSES_MATCH"), ["{}"]);
    let delegation = results_of(&outputs[1]);
    for tag in [
        "ENOUGH_NS_DEL",
        "ENOUGH_IPV4_NS_CHILD",
        "DEL_DISTINCT_NS_IP",
        "REFERRAL_SIZE_OK",
        "ARE_AUTHORITATIVE",
        "NO_NS_CNAME",
        "SOA_EXISTS",
        "NAMES_MATCH",
    ] {
        assert_eq!(messages(&delegation, tag).len(), 1, "{tag}: {delegation:?}");
    }
}
