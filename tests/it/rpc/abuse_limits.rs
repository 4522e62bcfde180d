//! Issue 16, item 4: the API's abuse limits (`docs/abuse-limits.md`) —
//! tests per client, item caps, special-purpose addresses and where
//! `add_api_user` may be called from.

use serde_json::{Value, json};

use super::{REMOTE, Setup, TestApi, USERS_ON};

/// `rate_limit_tests_per_minute = 2` in bursts of 3, with users on.
fn limited_ini() -> String {
    format!("{USERS_ON}rate_limit_tests_per_minute = 2\nrate_limit_burst = 3\n")
}

/// Asserts a -32003 answer for `remote_ip` with `retry_after`.
fn assert_limited(answer: &Value, remote_ip: &str, requested: usize, retry_after: Value) {
    assert_eq!(
        answer["error"],
        json!({"code": -32003, "message": "Too many tests requested, try again later",
               "data": {"remote_ip": remote_ip, "requested": requested, "retry_after": retry_after}}),
        "{answer}"
    );
}

#[tokio::test]
async fn each_client_may_start_so_many_tests_a_minute() {
    let api = TestApi::start_ini(&limited_ini()).await;
    for domain in ["a.se", "b.se", "c.se"] {
        api.start_test(json!({"domain": domain})).await;
    }
    // A reuse of an earlier test counts too.
    let over = api
        .call("start_domain_test", json!({"domain": "a.se"}))
        .await;
    assert_limited(&over, "127.0.0.1", 1, json!(30));
    let alias = api.call("job_create", json!({"domain": "d.se"})).await;
    assert_limited(&alias, "127.0.0.1", 1, json!(30));
    // Another client has its own budget.
    let other = api
        .call_from(
            REMOTE,
            "start_domain_test",
            &json!({"domain": "e.se"}),
            None,
        )
        .await;
    assert!(other["result"].is_string(), "{other}");
    // Invalid params are refused before they are counted.
    api.assert_invalid(
        "start_domain_test",
        json!({"domain": ""}),
        &[("/domain", "Domain name is empty.")],
    )
    .await;
    // Two a minute: one more after 30 s.
    api.advance(30);
    api.start_test(json!({"domain": "d.se"})).await;
    let again = api
        .call("start_domain_test", json!({"domain": "f.se"}))
        .await;
    assert_limited(&again, "127.0.0.1", 1, json!(30));
}

#[tokio::test]
async fn a_batch_counts_its_domains() {
    let api = TestApi::start_ini(&limited_ini()).await;
    api.add_user("add_api_user", "ops", "secret").await;
    let batch =
        |domains: &[&str]| json!({"username": "ops", "api_key": "secret", "domains": domains});
    let never = api
        .call("add_batch_job", batch(&["a.se", "b.se", "c.se", "d.se"]))
        .await;
    assert_limited(&never, "127.0.0.1", 4, Value::Null);
    let created = api.call("batch_create", batch(&["a.se", "b.se"])).await;
    assert!(created["result"]["batch_id"].is_i64(), "{created}");
    let over = api.call("add_batch_job", batch(&["c.se", "d.se"])).await;
    assert_limited(&over, "127.0.0.1", 2, json!(30));
    api.start_test(json!({"domain": "e.se"})).await;
}

#[tokio::test]
async fn without_a_rate_the_limit_is_off() {
    let api = TestApi::start_ini(USERS_ON).await;
    for index in 0..50 {
        api.start_test(json!({"domain": format!("d{index}.se")}))
            .await;
    }
}

#[tokio::test]
async fn nameservers_ds_info_and_batches_are_capped() {
    let ini = format!("{USERS_ON}max_nameservers = 2\nmax_ds_info = 1\nmax_batch_domains = 2\n");
    let api = TestApi::start_ini(&ini).await;
    let ns =
        |index: usize| json!({"ns": format!("ns{index}.a.se"), "ip": format!("9.9.9.{index}")});
    let ds = json!({"keytag": 1, "algorithm": 8, "digtype": 2, "digest": "ab".repeat(32)});
    api.assert_invalid(
        "start_domain_test",
        json!({"domain": "a.se", "nameservers": [ns(1), ns(2), ns(3)], "ds_info": [ds, ds]}),
        &[
            ("/ds_info", "Too many items: 2/1."),
            ("/nameservers", "Too many items: 3/2."),
        ],
    )
    .await;
    api.start_test(json!({"domain": "a.se", "nameservers": [ns(1), ns(2)], "ds_info": [ds]}))
        .await;
    api.add_user("add_api_user", "ops", "secret").await;
    api.assert_invalid(
        "add_batch_job",
        json!({"username": "ops", "api_key": "secret", "domains": ["a.se", "b.se", "c.se"],
               "test_params": {"nameservers": [ns(1), ns(2), ns(3)]}}),
        &[
            ("/domains", "Too many items: 3/2."),
            ("/test_params/nameservers", "Too many items: 3/2."),
        ],
    )
    .await;
    // The defaults: 32 of each.
    let api = TestApi::start().await;
    let many: Vec<Value> = (0..33).map(ns).collect();
    api.assert_invalid(
        "job_create",
        json!({"domain": "a.se", "nameservers": many}),
        &[("/nameservers", "Too many items: 33/32.")],
    )
    .await;
}

#[tokio::test]
async fn special_purpose_nameserver_addresses_are_refused_by_default() {
    let api = TestApi::start_with(Setup {
        ini: format!("{USERS_ON}[LANGUAGE]\nlocale = en_US sv_SE\n"),
        refuses_private_addresses: true,
        ..Setup::default()
    })
    .await;
    let refused = "IP address not allowed: private, loopback or otherwise reserved";
    api.assert_invalid(
        "start_domain_test",
        json!({"domain": "a.se", "nameservers": [
            {"ns": "ns1.a.se", "ip": "127.0.0.1"},
            {"ns": "ns2.a.se", "ip": "9.9.9.9"},
            {"ns": "ns3.a.se", "ip": "::ffff:192.168.0.1"},
            {"ns": "ns4.a.se", "ip": "fe80::53"},
            {"ns": "ns5.a.se"}]}),
        &[
            ("/nameservers/0/ip", refused),
            ("/nameservers/2/ip", refused),
            ("/nameservers/3/ip", refused),
        ],
    )
    .await;
    // Translated like every validation message.
    let swedish = api
        .error(
            "start_domain_test",
            json!({"domain": "a.se", "language": "sv",
                   "nameservers": [{"ns": "ns1.a.se", "ip": "10.0.0.1"}]}),
        )
        .await;
    assert_eq!(swedish["code"], "-32602");
    assert_eq!(swedish["data"][0]["path"], "/nameservers/0/ip");
    let text = swedish["data"][0]["message"].as_str().unwrap();
    assert!(text.starts_with("IP-adressen"), "{swedish}");
    // Batches too.
    api.add_user("add_api_user", "ops", "secret").await;
    api.assert_invalid(
        "batch_create",
        json!({"username": "ops", "api_key": "secret", "domains": ["a.se"],
               "job_params": {"nameservers": [{"ns": "ns1.a.se", "ip": "192.0.2.53"}]}}),
        &[("/job_params/nameservers/0/ip", refused)],
    )
    .await;
    api.start_test(json!({"domain": "a.se", "nameservers": [{"ns": "ns1.a.se", "ip": "9.9.9.9"}]}))
        .await;
}

#[tokio::test]
async fn add_api_user_answers_the_configured_networks_only() {
    let ini = format!(
        "{USERS_ON}allow_add_api_user_from = 127.0.0.2, 192.0.2.0/24\ntrusted_proxies = 127.0.0.3\n"
    );
    let api = TestApi::start_ini(&ini).await;
    let params = |name: &str| json!({"username": name, "api_key": "k"});
    // Listed directly.
    let listed = api
        .call_from(REMOTE, "add_api_user", &params("a"), None)
        .await;
    assert_eq!(listed["result"], 1, "{listed}");
    // Loopback is no longer listed.
    let loopback = api.call("add_api_user", params("b")).await;
    assert_eq!(loopback["error"]["code"], -32001, "{loopback}");
    // Listed behind the trusted proxy.
    let proxied = api
        .call_from("127.0.0.3", "add_api_user", &params("c"), Some("192.0.2.9"))
        .await;
    assert_eq!(proxied["result"], 1, "{proxied}");
    // A forged header from an untrusted peer passes for nobody, even from
    // a listed address, and an unlisted client behind the proxy is refused.
    for (peer, forwarded, remote_ip) in [
        ("127.0.0.4", "192.0.2.9", "127.0.0.4"),
        (REMOTE, "192.0.2.9", REMOTE),
        ("127.0.0.3", "198.51.100.1", "198.51.100.1"),
    ] {
        let refused = api
            .call_from(peer, "add_api_user", &params("d"), Some(forwarded))
            .await;
        assert_eq!(
            refused["error"]["data"],
            json!({"remote_ip": remote_ip}),
            "{peer} {forwarded}: {refused}"
        );
    }
}
