//! The JSON-RPC API over HTTP (backend spec §2–§5, checklist §11): the
//! real server in-process on 127.0.0.1:0 over a SQLite store in a temp
//! directory, spoken to with reqwest. The look-up methods run inside a
//! private network namespace with the fixture world; the `zm-rpcapi`
//! binary is started for its command line, start-up errors and signals.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeZone;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use zonemaster::config::{BackendConfig, MetricsConfig, ProfileSet};
use zonemaster::dns::{LiveTransport, QueryOptions};
use zonemaster::engine::{IpFamilies, RootHints};
use zonemaster::lookup::LookupSetup;
use zonemaster::metrics::Metrics;
use zonemaster::rpc::{Api, ApiOptions, serve};
use zonemaster::store::{
    self, ApiKeyCheck, ClaimedTest, Ending, ResultEntry, Store, TestCaseTally, TestState, Timestamp,
};

use crate::netns::{fixture_world, in_world};

mod abuse_limits;

// ---- harness ------------------------------------------------------------------

/// How to set a test server up.
#[derive(Default)]
struct Setup {
    /// Extra config sections after `[DB]`/`[SQLITE]`.
    ini: String,
    /// Limits (defaults when `None`).
    options: Option<ApiOptions>,
    /// Metrics sink.
    metrics: Option<Metrics>,
    /// DNS set-up of the look-up methods.
    lookup: Option<LookupSetup>,
    /// Say `ZONEMASTER.allow_private_addresses = false`, as the shipped
    /// configuration does; other tests allow them, as they name
    /// documentation addresses.
    refuses_private_addresses: bool,
}

/// A running API with its store and a clock the test moves.
struct TestApi {
    url: String,
    client: reqwest::Client,
    store: Arc<dyn Store>,
    clock: Arc<Mutex<Timestamp>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

/// A whole second, as the store keeps times.
fn whole_second_now() -> Timestamp {
    chrono::Utc
        .timestamp_opt(chrono::Utc::now().timestamp(), 0)
        .single()
        .unwrap()
}

/// The fast profile fixture, for profile sections.
fn fast_profile() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/profile-fast.json")
}

impl TestApi {
    async fn start() -> Self {
        Self::start_with(Setup::default()).await
    }

    async fn start_ini(ini: &str) -> Self {
        Self::start_with(Setup {
            ini: ini.to_owned(),
            ..Setup::default()
        })
        .await
    }

    /// A server with the default limits changed by `change`.
    async fn start_limited(change: impl FnOnce(&mut ApiOptions)) -> Self {
        let mut options = ApiOptions::default();
        change(&mut options);
        Self::start_with(Setup {
            options: Some(options),
            ..Setup::default()
        })
        .await
    }

    async fn start_with(setup: Setup) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let extra = &setup.ini;
        let allow = !setup.refuses_private_addresses;
        let text = format!(
            "[DB]\nengine = SQLite\n[SQLITE]\ndatabase_file = {}\n\
             [ZONEMASTER]\nallow_private_addresses = {allow}\n{extra}",
            dir.path().join("zonemaster.sqlite").display()
        );
        let config = BackendConfig::parse(&text, "rpc-test.ini").unwrap();
        let profiles = ProfileSet::load(&config.profiles).unwrap();
        let store = store::open(&config.store_settings()).await.unwrap();
        store.migrate().await.unwrap();
        let clock = Arc::new(Mutex::new(whole_second_now()));
        let read_clock = Arc::clone(&clock);
        let options = setup
            .options
            .unwrap_or_else(|| ApiOptions::from_config(&config.rpcapi));
        let mut api = Api::new(Arc::clone(&store), config, profiles)
            .unwrap()
            .with_clock(Arc::new(move || *read_clock.lock().unwrap()))
            .with_options(options)
            .with_metrics(setup.metrics.unwrap_or_default());
        if let Some(lookup) = setup.lookup {
            api = api.with_lookup(lookup);
        }
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, Arc::new(api), async move {
            let _ = stop.await;
        }));
        Self {
            url,
            client: reqwest::Client::new(),
            store,
            clock,
            shutdown: Some(shutdown),
            task: Some(task),
            _dir: dir,
        }
    }

    fn now(&self) -> Timestamp {
        *self.clock.lock().unwrap()
    }

    fn advance(&self, seconds: i64) {
        *self.clock.lock().unwrap() += chrono::Duration::seconds(seconds);
    }

    /// Posts a raw body with extra headers; checks HTTP 200 + JSON.
    async fn post(&self, body: impl Into<reqwest::Body>, headers: &[(&str, &str)]) -> Value {
        let mut request = self.client.post(&self.url).body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        response.json().await.unwrap()
    }

    /// One request with id 1; `params` omitted when `None`.
    async fn call_with(
        &self,
        method: &str,
        params: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Value {
        let mut request = json!({"jsonrpc": "2.0", "id": 1, "method": method});
        if let Some(params) = params {
            request["params"] = params;
        }
        self.post(request.to_string(), headers).await
    }

    async fn call(&self, method: &str, params: Value) -> Value {
        self.call_with(method, Some(params), &[]).await
    }

    /// The result of a call that must succeed.
    async fn result(&self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(response.get("error").is_none(), "{method}: {response}");
        assert_eq!(response["jsonrpc"], "2.0");
        assert_eq!(response["id"], 1);
        response["result"].clone()
    }

    /// The error object of a call that must fail (id echoed).
    async fn error(&self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(response.get("result").is_none(), "{method}: {response}");
        assert_eq!(response["jsonrpc"], "2.0");
        assert_eq!(response["id"], 1, "{response}");
        response["error"].clone()
    }

    /// The (path, message) pairs of a -32602 answer.
    async fn invalid(&self, method: &str, params: Value) -> Vec<(String, String)> {
        let error = self.error(method, params).await;
        assert_eq!(error["code"], "-32602", "{error}");
        assert_eq!(error["message"], "Invalid method parameter(s).");
        error["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                (
                    item["path"].as_str().unwrap().to_owned(),
                    item["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// Asserts the (path, message) pairs of a -32602 answer.
    async fn assert_invalid(&self, method: &str, params: Value, expected: &[(&str, &str)]) {
        let found = self.invalid(method, params.clone()).await;
        assert_eq!(found, pairs(expected), "{method} {params}");
    }

    /// A call from behind a proxy that sends `X-Forwarded-For: forwarded`.
    async fn call_forwarded(&self, method: &str, params: &Value, forwarded: &str) -> Value {
        let headers = [("X-Forwarded-For", forwarded)];
        self.call_with(method, Some(params.clone()), &headers).await
    }

    /// A call sent from local address `from` (e.g. 127.0.0.2, which the
    /// server sees as remote), with `X-Forwarded-For: forwarded` if given.
    async fn call_from(
        &self,
        from: &str,
        method: &str,
        params: &Value,
        forwarded: Option<&str>,
    ) -> Value {
        let client = reqwest::Client::builder()
            .local_address(from.parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap();
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let mut request = client.post(&self.url).body(request.to_string());
        if let Some(forwarded) = forwarded {
            request = request.header("X-Forwarded-For", forwarded);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Starts a test with `params`; returns its id.
    async fn start_test(&self, params: Value) -> String {
        let id = self.result("start_domain_test", params).await;
        id.as_str().unwrap().to_owned()
    }

    /// Adds an API user by `method` (`add_api_user` or `user_create`),
    /// which must succeed.
    async fn add_user(&self, method: &str, username: &str, api_key: &str) {
        let params = json!({"username": username, "api_key": api_key});
        let added = self.result(method, params).await;
        let expected = if method == "user_create" {
            json!({"success": 1})
        } else {
            json!(1)
        };
        assert_eq!(added, expected, "{method}");
    }

    /// The ids of the waiting tests of batch `batch_id`.
    async fn waiting_tests(&self, batch_id: &Value) -> Vec<String> {
        let params = json!({"batch_id": batch_id, "list_waiting_tests": true});
        let status = self.result("batch_status", params).await;
        let ids = status["waiting_tests"].as_array().unwrap().iter();
        ids.map(|id| id.as_str().unwrap().to_owned()).collect()
    }

    /// Claims the next waiting test now; there must be one.
    async fn claim(&self) -> ClaimedTest {
        let claimed = self.store.claim(0, "rpc-test", self.now()).await;
        claimed.unwrap().unwrap()
    }

    /// Claims the next waiting test (it must be `hash_id`) and completes it
    /// with `entries`.
    async fn finish(&self, hash_id: &str, entries: &[ResultEntry]) {
        assert_eq!(self.claim().await.hash_id, hash_id);
        let done = self
            .store
            .finish(
                hash_id,
                "rpc-test",
                Ending {
                    entries,
                    state: TestState::Completed,
                    reason: None,
                    testcases: Some(TestCaseTally {
                        ran: 3,
                        enabled: 73,
                    }),
                },
                self.now(),
            )
            .await
            .unwrap();
        assert!(done);
    }

    /// Stops the server and waits for it.
    async fn stop(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.task.take().unwrap().await.unwrap()
    }
}

impl Drop for TestApi {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(path, message)| ((*path).to_owned(), (*message).to_owned()))
        .collect()
}

/// The member names of an object, in order.
/// `names` in the order a JSON object's keys come out.
fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn entry(level: i32, module: &str, testcase: &str, tag: &str, args: Value) -> ResultEntry {
    ResultEntry {
        level,
        module: module.to_owned(),
        testcase: testcase.to_owned(),
        tag: tag.to_owned(),
        timestamp: 0.5,
        args: args.as_object().cloned().unwrap_or_default(),
    }
}

/// A method, its params and the expected (path, message) pairs.
type Case = (&'static str, Value, Vec<(String, String)>);

/// Config enabling `add_api_user`.
const USERS_ON: &str = "[RPCAPI]\nenable_add_api_user = true\n";

// ---- envelope (§2) ------------------------------------------------------------

#[tokio::test]
async fn envelope_errors_have_the_reference_codes_and_data() {
    let api = TestApi::start().await;
    let parse = api.post("{not json", &[]).await;
    assert_eq!(parse["id"], Value::Null);
    assert_eq!(parse["error"]["code"], "-32700");
    assert_eq!(
        parse["error"]["message"],
        "Invalid JSON was received by the server."
    );
    assert!(
        parse["error"]["data"].as_str().unwrap().contains("line 1"),
        "{parse}"
    );

    let cases: [(&str, &str); 7] = [
        ("5", "/: Expected object - got integer."),
        (r#""text""#, "/: Expected object - got string."),
        (
            r#"{"id": 1}"#,
            "/jsonrpc: Missing property. /method: Missing property.",
        ),
        (r#"{"jsonrpc": "2.0", "method": "version_info"}"#, ""),
        (
            r#"{"jsonrpc": "2.0", "method": "version_info", "id": {}}"#,
            "/id: Expected null/number/string - got object.",
        ),
        (
            r#"{"jsonrpc": 2, "method": "version_info", "id": 1}"#,
            "/jsonrpc: Expected string - got integer.",
        ),
        (
            r#"{"jsonrpc": "2.0", "method": "system.versions", "id": 1}"#,
            "/method: String does not match ^[a-zA-Z0-9_-]*$.",
        ),
    ];
    for (body, data) in cases {
        let response = api.post(body, &[]).await;
        assert_eq!(response["id"], Value::Null, "{body}");
        assert_eq!(response["jsonrpc"], "2.0");
        assert_eq!(response["error"]["code"], "-32600", "{body}");
        assert_eq!(
            response["error"]["message"],
            "The JSON sent is not a valid request object."
        );
        assert_eq!(response["error"]["data"], data, "{body}");
    }
}

#[tokio::test]
async fn ids_are_echoed_and_extra_envelope_members_ignored() {
    let api = TestApi::start().await;
    for id in [json!(null), json!(7), json!(2.5), json!("abc")] {
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "version_info", "extra": true});
        let response = api.post(body.to_string(), &[]).await;
        assert_eq!(response["id"], id);
        assert!(response["result"].is_object(), "{response}");
    }
}

#[tokio::test]
async fn unknown_removed_and_disabled_methods_are_not_found_with_jsonrpc_and_id() {
    let api = TestApi::start().await;
    for method in [
        "non_existing_method",
        "get_batch_job_result",
        "Version_Info",
        "add_api_user",
        "user_create",
    ] {
        let response = api.call_with(method, None, &[]).await;
        assert_eq!(
            response,
            json!({"jsonrpc": "2.0", "id": 1,
                   "error": {"code": -32601, "message": format!("Procedure '{method}' not found")}})
        );
    }
    // An unknown method has no schema: its params are not checked.
    let response = api.call("nope", json!({"anything": [1]})).await;
    assert_eq!(response["error"]["code"], -32601);

    let closed = TestApi::start_ini("[RPCAPI]\nenable_add_batch_job = false\n").await;
    for method in ["add_batch_job", "batch_create", "batch_cancel"] {
        let response = closed.call(method, json!({})).await;
        assert_eq!(response["error"]["code"], -32601, "{method}");
    }
    let status = closed.error("batch_status", json!({"batch_id": 1})).await;
    assert_eq!(status["message"], "Unknown batch");
}

#[tokio::test]
async fn params_are_checked_before_the_method_runs() {
    let api = TestApi::start().await;
    let missing = api.call_with("start_domain_test", None, &[]).await;
    assert_eq!(
        missing,
        json!({"jsonrpc": "2.0", "id": 1, "error": {"code": "-32602", "message": "Missing 'params' object"}})
    );
    let not_objects = [
        (
            "start_domain_test",
            Value::Null,
            "Expected object - got null.",
        ),
        ("test_progress", json!([1]), "Expected object - got array."),
        (
            "start_domain_test",
            json!({"domain": "a.se", "zz": 1, "bogus": 2}),
            "Properties not allowed: bogus, zz.",
        ),
    ];
    for (method, params, message) in not_objects {
        api.assert_invalid(method, params, &[("/", message)]).await;
    }
    // Methods without params take absence, null and {}, nothing else.
    for params in [None, Some(Value::Null), Some(json!({}))] {
        let response = api.call_with("version_info", params.clone(), &[]).await;
        assert!(response["result"].is_object(), "{params:?}: {response}");
    }
    let extra = [("/", "Properties not allowed: x.")];
    api.assert_invalid("profile_names", json!({"x": 1}), &extra)
        .await;
}

#[tokio::test]
async fn the_multi_error_example_of_the_spec() {
    let api = TestApi::start().await;
    let params = json!({
        "domain": "zonemaster.net",
        "ds_info": [{"keytag": 1, "algorithm": "x", "digtype": 2}],
        "nameservers": [{"ns": "ns1.zonemaster.net", "ip": "1.2.3.4.5"}],
        "profile": "unknown_profile"
    });
    let response = api.call("start_domain_test", params).await;
    assert_eq!(
        response,
        json!({"jsonrpc": "2.0", "id": 1, "error": {"code": "-32602", "message": "Invalid method parameter(s).",
            "data": [{"path": "/ds_info/0/algorithm", "message": "Algorithm must be a positive integer"},
                     {"path": "/ds_info/0/digest", "message": "Missing property"},
                     {"path": "/nameservers/0/ip", "message": "Invalid IP address"},
                     {"path": "/profile", "message": "Unknown profile"}]}})
    );
}

#[tokio::test]
async fn domain_names_fail_with_the_normalisation_messages() {
    let api = TestApi::start().await;
    let long_label = "a".repeat(64);
    let long_name = [
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(63),
        "e".repeat(63),
    ]
    .join(".");
    let cases = [
        ("  ", "Domain name is empty.".to_owned()),
        (
            "İstanbul.tr",
            "Ambiguous downcasing of character \"LATIN CAPITAL LETTER I WITH DOT ABOVE\" in the domain name. \
             Use all lower case instead."
                .to_owned(),
        ),
        (".a.se", "Domain name starts with dot.".to_owned()),
        ("a..se", "Domain name has repeated dots.".to_owned()),
        ("a b.se", "Domain name has an ASCII label (\"a b\") with a character not permitted.".to_owned()),
        ("a☃.se", "Domain name has a non-ASCII label (\"a☃\") which is not a valid U-label.".to_owned()),
        (
            &format!("{long_label}.se"),
            format!("Domain name has a label that is too long (more than 63 characters), \"{long_label}\"."),
        ),
        (&long_name, "Domain name is too long (more than 253 characters with no final dot).".to_owned()),
    ];
    for (domain, message) in cases {
        let found = api
            .invalid("start_domain_test", json!({"domain": domain}))
            .await;
        assert_eq!(found, vec![("/domain".to_owned(), message)], "{domain}");
    }
    // The same rule everywhere a domain name is taken.
    let elsewhere = [
        (
            "get_host_by_name",
            json!({"hostname": "a..b"}),
            ("/hostname", "Domain name has repeated dots."),
        ),
        (
            "job_create",
            json!({"domain": "ok.se", "nameservers": [{"ns": ".x"}]}),
            ("/nameservers/0/ns", "Domain name starts with dot."),
        ),
        (
            "add_batch_job",
            json!({"username": "u", "api_key": "k", "domains": ["ok.se", ""]}),
            ("/domains/1", "Domain name is empty."),
        ),
    ];
    for (method, params, expected) in elsewhere {
        api.assert_invalid(method, params, &[expected]).await;
    }
}

#[tokio::test]
async fn each_data_type_has_its_failure_message() {
    let api = TestApi::start().await;
    let digest = "ab".repeat(32);
    let cases: Vec<Case> = vec![
        (
            "start_domain_test",
            json!({"domain": "a.se", "nameservers": [{"ns": "ns.a.se", "ip": "256.1.1.1"}, {"ip": "192.0.2.1"}, {"ns": "n.se", "port": 53}]}),
            pairs(&[
                ("/nameservers/0/ip", "Invalid IP address"),
                ("/nameservers/1/ns", "Missing property"),
                ("/nameservers/2", "Properties not allowed: port."),
            ]),
        ),
        (
            "start_domain_test",
            json!({"domain": "a.se", "ds_info": [{"keytag": -1, "algorithm": 1.5, "digtype": "two", "digest": "xyz"}, {"keytag": 1, "algorithm": 8, "digtype": 2, "digest": digest, "extra": 1}]}),
            pairs(&[
                (
                    "/ds_info/0/algorithm",
                    "Algorithm must be a positive integer",
                ),
                ("/ds_info/0/digest", "Invalid digest format"),
                (
                    "/ds_info/0/digtype",
                    "Digest type must be a positive integer",
                ),
                ("/ds_info/0/keytag", "Keytag must be a positive integer"),
                ("/ds_info/1", "Properties not allowed: extra."),
            ]),
        ),
        (
            "start_domain_test",
            json!({"domain": "a.se", "profile": "-bad", "language": "EN", "ipv4": "yes", "ipv6": 2, "priority": "high", "client_id": "x".repeat(51), "nameservers": {}}),
            pairs(&[
                (
                    "/client_id",
                    "String does not match ^[a-zA-Z0-9-+~_.: ]{1,50}$.",
                ),
                ("/ipv4", "Expected boolean - got string."),
                ("/ipv6", "Expected boolean - got integer."),
                ("/language", "Invalid language tag format"),
                ("/nameservers", "Expected array - got object."),
                ("/priority", "Expected integer - got string."),
                ("/profile", "Invalid profile format"),
            ]),
        ),
        (
            "start_domain_test",
            json!({"domain": "a.se", "profile": "nope", "language": "fr"}),
            pairs(&[
                ("/language", "Unkown language string"),
                ("/profile", "Unknown profile"),
            ]),
        ),
        (
            "test_progress",
            json!({"test_id": "0123456789ABCDEF"}),
            pairs(&[("/test_id", "String does not match ^[0-9a-f]{16}$.")]),
        ),
        (
            "job_status",
            json!({}),
            pairs(&[("/job_id", "Missing property")]),
        ),
        (
            "get_test_results",
            json!({"id": "0123456789abcdef"}),
            pairs(&[("/language", "Missing property")]),
        ),
        (
            "get_test_history",
            json!({"frontend_params": {"domain": "a.se", "x": 1}, "offset": -1, "limit": "-5", "filter": "some"}),
            pairs(&[
                (
                    "/filter",
                    "String does not match ^(?:all|delegated|undelegated)$.",
                ),
                ("/frontend_params", "Properties not allowed: x."),
                ("/limit", "-5 < minimum(0)"),
                ("/offset", "-1 < minimum(0)"),
            ]),
        ),
        (
            "domain_history",
            json!({"frontend_params": {"domain": "a.se"}}),
            pairs(&[
                ("/", "Properties not allowed: frontend_params."),
                ("/params", "Missing property"),
            ]),
        ),
        (
            "batch_status",
            json!({"batch_id": 0, "list_waiting_tests": "maybe"}),
            pairs(&[
                ("/batch_id", "0 < minimum(1)"),
                ("/list_waiting_tests", "Expected boolean - got string."),
            ]),
        ),
        (
            "add_batch_job",
            json!({"username": "bad user", "api_key": "k!", "domains": [], "test_params": {"domain": "x.se"}}),
            pairs(&[
                ("/api_key", "String does not match ^[a-zA-Z0-9-_]{1,512}$."),
                ("/domains", "Not enough items: 0/1."),
                ("/test_params", "Properties not allowed: domain."),
                ("/username", "String does not match ^[a-zA-Z0-9-.@]{1,50}$."),
            ]),
        ),
    ];
    for (method, params, expected) in cases {
        assert_eq!(
            api.invalid(method, params.clone()).await,
            expected,
            "{method} {params}"
        );
    }
}

#[tokio::test]
async fn validation_messages_follow_a_configured_language() {
    // `sv` has its own texts; `de` is configured but has no catalog and
    // falls back to English, as does `sl`, which has none yet.
    let api = TestApi::start_ini("[LANGUAGE]\nlocale = en_US sv_SE de_DE sl_SI\n").await;
    let english_message = "Invalid method parameter(s).";
    let english_data = "Domain name is empty.";
    for language in ["sv", "de", "sl"] {
        let error = api
            .error(
                "start_domain_test",
                json!({"domain": "", "language": language}),
            )
            .await;
        let translated = language == "sv";
        assert_eq!(error["message"] != english_message, translated, "{error}");
        assert_eq!(
            error["data"][0]["message"] != english_data,
            translated,
            "{error}"
        );
        let swedish = zonemaster::i18n::api_text(
            zonemaster::i18n::ApiText::DomainEmpty,
            &[],
            zonemaster::i18n::Language::Sv,
        );
        if translated {
            assert_eq!(error["data"][0]["message"], swedish.text);
        }
    }
    let tags = api.result("get_language_tags", json!({})).await;
    assert_eq!(tags, json!(["de", "en", "sl", "sv"]));
    let unknown = json!({"domain": "a.se", "language": "fi"});
    let expected = [("/language", "Unkown language string")];
    api.assert_invalid("get_data_from_parent_zone", unknown, &expected)
        .await;
}

#[tokio::test]
async fn lenient_coercion_and_empty_ip() {
    let api = TestApi::start().await;
    let id = api
        .start_test(json!({"domain": 42, "ipv4": "true", "ipv6": 0, "priority": "7", "queue": "-2",
                           "nameservers": [{"ns": "ns1.a.se", "ip": ""}, {"ns": "NS0.a.se", "ip": "010.0.0.1"}],
                           "client_version": 4.5}))
        .await;
    let stored = api.result("get_test_params", json!({"test_id": id})).await;
    assert_eq!(
        stored,
        json!({"domain": "42", "ipv4": true, "ipv6": false, "priority": 7, "queue": -2, "profile": "default",
               "ds_info": [], "client_version": "4.5",
               "nameservers": [{"ns": "ns0.a.se", "ip": "010.0.0.1"}, {"ns": "ns1.a.se"}]})
    );
}

// ---- system methods (§4.2–§4.4) -----------------------------------------------

#[tokio::test]
async fn versions_profiles_and_languages_with_their_aliases() {
    let ini = format!(
        "[LANGUAGE]\nlocale = sv_SE en_US\n[PUBLIC PROFILES]\nBatch-Light = {fast}\n[PRIVATE PROFILES]\nsecret = {fast}\n",
        fast = fast_profile().display()
    );
    let api = TestApi::start_ini(&ini).await;
    let versions = api.result("version_info", json!({})).await;
    for key in ["zonemaster_backend", "zonemaster_engine", "zonemaster_ldns"] {
        assert!(!versions[key].as_str().unwrap().is_empty(), "{versions}");
    }
    let profiles = json!(["batch-light", "default"]);
    let languages = json!(["en", "sv"]);
    let expected = [
        ("system_versions", versions.clone()),
        ("profile_names", profiles.clone()),
        ("conf_profiles", json!({ "profiles": profiles })),
        ("get_language_tags", languages.clone()),
        ("conf_languages", json!({ "languages": languages })),
    ];
    for (method, answer) in expected {
        assert_eq!(api.result(method, json!({})).await, answer, "{method}");
    }
    // Private profiles are usable although not listed.
    let id = api
        .start_test(json!({"domain": "a.se", "profile": "SECRET"}))
        .await;
    let stored = api.result("job_params", json!({"job_id": id})).await;
    assert_eq!(stored["profile"], "secret");
}

// ---- tests (§4.7–§4.11, §5.1) -------------------------------------------------

#[tokio::test]
async fn start_domain_test_stores_normalised_params_and_job_create_wraps() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("v4only.json");
    std::fs::write(&profile, r#"{"net": {"ipv4": true, "ipv6": false}}"#).unwrap();
    let api = TestApi::start_ini(&format!(
        "[PUBLIC PROFILES]\nv4only = {}\n",
        profile.display()
    ))
    .await;

    let id = api
        .start_test(json!({"domain": "Zonemaster.NET.", "profile": "V4Only", "client_id": "GUI", "client_version": "4.0.0",
                           "language": "en", "config": "legacy",
                           "ds_info": [{"keytag": 2, "algorithm": 13, "digtype": 2, "digest": "AB".repeat(32)},
                                       {"keytag": 1, "algorithm": 8, "digtype": 2, "digest": "cd".repeat(20)}]}))
        .await;
    assert!(
        id.len() == 16 && id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
        "{id}"
    );
    let stored = api.result("get_test_params", json!({"test_id": id})).await;
    assert_eq!(
        stored,
        json!({"domain": "zonemaster.net", "ipv4": true, "ipv6": false, "profile": "v4only", "priority": 10,
               "queue": 0, "nameservers": [], "client_id": "GUI", "client_version": "4.0.0", "language": "en",
               "config": "legacy",
               "ds_info": [{"keytag": 1, "algorithm": 8, "digtype": 2, "digest": "cd".repeat(20)},
                           {"keytag": 2, "algorithm": 13, "digtype": 2, "digest": "AB".repeat(32)}]})
    );
    let row = api.store.test(&id).await.unwrap().unwrap();
    assert!(row.undelegated);
    assert_eq!(row.domain, "zonemaster.net");
    assert_eq!(row.fingerprint.len(), 32);
    assert_eq!(row.created_at, api.now());

    let wrapped = api
        .result("job_create", json!({"domain": "other.se"}))
        .await;
    let job_id = wrapped["job_id"].as_str().unwrap();
    assert_ne!(job_id, id);
    assert_eq!(
        api.result("test_progress", json!({"test_id": job_id}))
            .await,
        0
    );
    assert_eq!(
        api.result("job_status", json!({"job_id": job_id})).await,
        json!({"progress": 0})
    );
}

/// Every method taking a test id says "Test not found" for an unknown one
/// (issue 4/13, point 7: `test_progress` and `job_status` said -32603).
#[tokio::test]
async fn unknown_test_ids() {
    let api = TestApi::start().await;
    let unknown = "0000000000000000";
    let not_found =
        json!({"code": -32000, "message": "Test not found", "data": {"test_id": unknown}});
    let cases = [
        ("get_test_params", json!({"test_id": unknown}), &not_found),
        ("job_params", json!({"job_id": unknown}), &not_found),
        (
            "get_test_results",
            json!({"id": unknown, "language": "en"}),
            &not_found,
        ),
        (
            "job_results",
            json!({"job_id": unknown, "language": "en"}),
            &not_found,
        ),
        ("test_progress", json!({"test_id": unknown}), &not_found),
        ("job_status", json!({"job_id": unknown}), &not_found),
    ];
    for (method, params, expected) in cases {
        assert_eq!(&api.error(method, params).await, expected, "{method}");
    }
}

#[tokio::test]
async fn reuse_window_counts_from_the_start_and_skips_batches() {
    let api = TestApi::start_ini(&format!(
        "[ZONEMASTER]\nage_reuse_previous_test = 60\n{USERS_ON}"
    ))
    .await;
    let reuse = json!({"domain": "reuse.se"});
    let first = api.start_test(reuse.clone()).await;
    // Waiting: reused whatever the time, and whatever priority or client.
    api.advance(3600);
    let again = json!({"domain": "REUSE.se.", "priority": 3, "client_id": "other", "ipv4": true});
    assert_eq!(api.start_test(again).await, first);
    let different = json!({"domain": "reuse.se", "ipv6": false});
    assert_ne!(api.start_test(different).await, first);

    // Started now: reused until exactly 60 seconds after the start.
    assert_eq!(api.claim().await.hash_id, first);
    api.advance(60);
    assert_eq!(api.start_test(reuse.clone()).await, first);
    api.advance(1);
    let fresh = api.start_test(reuse).await;
    assert_ne!(fresh, first);

    // Batch tests neither reuse nor get reused.
    api.add_user("add_api_user", "ops", "key").await;
    let batch_job =
        |domains: &[&str]| json!({"username": "ops", "api_key": "key", "domains": domains});
    let batch = api.result("add_batch_job", batch_job(&["batch.se"])).await;
    let batch_test = api.waiting_tests(&batch).await[0].clone();
    assert_ne!(batch_test, fresh);
    let single = api.start_test(json!({"domain": "batch.se"})).await;
    assert_ne!(single, batch_test);
    let twice = batch_job(&["batch.se", "batch.se"]);
    let batch_again = api.result("add_batch_job", twice).await;
    let ids = api.waiting_tests(&batch_again).await;
    assert_eq!(ids.len(), 2, "duplicate domains give duplicate tests");
    assert!(ids.iter().all(|id| id != &single && id != &batch_test));
}

#[tokio::test]
async fn results_are_rendered_in_order_with_descriptions() {
    let api = TestApi::start_ini("[LANGUAGE]\nlocale = en_US sv_SE\n").await;
    let id = api.start_test(json!({"domain": "results.se"})).await;
    let unfinished = api
        .result("get_test_results", json!({"id": id, "language": "en"}))
        .await;
    assert_eq!(unfinished["results"], json!([]));
    assert_eq!(unfinished["testcase_descriptions"], json!({}));
    // Waiting: no start, no end, reused whenever asked again.
    assert_eq!(unfinished["state"], "waiting");
    for key in ["started_at", "ended_at", "reusable_until", "testcases"] {
        assert_eq!(unfinished[key], Value::Null, "{key}");
    }
    assert!(unfinished.get("reason").is_none());
    let entries = [
        entry(
            1,
            "System",
            "Unspecified",
            "GLOBAL_VERSION",
            json!({"version": "v1"}),
        ),
        entry(
            3,
            "Basic",
            "Basic02",
            "B02_NO_DELEGATION",
            json!({"domain": "results.se"}),
        ),
        entry(
            2,
            "Nameserver",
            "Nameserver01",
            "ODD_TAG",
            json!({"ns": "ns1.results.se", "b": "x,y"}),
        ),
        entry(1, "Nameserver", "Nameserver02", "OTHER_TAG", json!({})),
        entry(5, "Backend", "", "TEST_DIED", json!({})),
        entry(
            5,
            "Backend",
            "",
            "UNABLE_TO_FINISH_TEST",
            json!({"max_execution_time": 600}),
        ),
    ];
    api.finish(&id, &entries).await;

    let results = api
        .result("get_test_results", json!({"id": id, "language": "en"}))
        .await;
    let members = [
        "ended_at",
        "params",
        "results",
        "reusable_until",
        "started_at",
        "state",
        "testcase_descriptions",
        "testcases",
    ];
    assert_eq!(
        keys(&results),
        sorted(&[&["created_at", "hash_id"], &members[..]].concat())
    );
    assert_eq!(results["hash_id"], id);
    let created_at = results["created_at"].as_str().unwrap();
    let now = api.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    assert_eq!(created_at, now);
    assert_eq!(results["state"], "completed");
    assert_eq!(results["started_at"], now);
    assert_eq!(results["ended_at"], now);
    // The default reuse window, 600 s, counted from the start.
    let reusable_until = (api.now() + chrono::Duration::seconds(600))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(results["reusable_until"], reusable_until);
    // Issue 8, point 3: how much of the testing the run covered.
    assert_eq!(results["testcases"], json!({"ran": 3, "enabled": 73}));
    assert_eq!(results["params"]["domain"], "results.se");
    let list = results["results"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = list
        .iter()
        .map(|r| {
            (
                r["module"].as_str().unwrap(),
                r["testcase"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("System", "Unspecified", "INFO"),
            ("Basic", "Basic02", "WARNING"),
            ("Nameserver", "Nameserver01", "NOTICE"),
            ("Nameserver", "Nameserver02", "INFO"),
            ("Backend", "", "CRITICAL"),
            ("Backend", "", "CRITICAL"),
        ]
    );
    assert_eq!(list[2]["ns"], "ns1.results.se");
    assert_eq!(list[3]["ns"], "All");
    // Issue 14: each entry carries its tag and arguments beside the
    // reference's keys.
    assert_eq!(
        keys(&list[2]),
        [
            "args", "level", "message", "module", "ns", "tag", "testcase"
        ]
    );
    assert_eq!(list[1]["tag"], "B02_NO_DELEGATION");
    assert_eq!(list[1]["args"], json!({"domain": "results.se"}));
    assert_eq!(list[3]["args"], json!({}));
    assert!(list[0].get("ns").is_none() && list[4].get("ns").is_none());
    assert_eq!(
        list[2]["message"],
        "Nameserver:Nameserver01:ODD_TAG b=x, y; ns=ns1.results.se\n"
    );
    assert!(
        list.iter()
            .all(|r| r["message"].as_str().unwrap().ends_with('\n'))
    );
    assert!(
        list[1]["message"].as_str().unwrap().contains("results.se"),
        "{}",
        list[1]
    );
    assert!(
        list[5]["message"].as_str().unwrap().contains("600 seconds"),
        "{}",
        list[5]
    );
    let descriptions = &results["testcase_descriptions"];
    assert_eq!(
        keys(descriptions),
        ["", "Basic02", "Nameserver01", "Nameserver02", "Unspecified"]
    );
    assert_eq!(descriptions["Unspecified"], "Unspecified");
    assert_eq!(descriptions[""], "");
    assert_ne!(descriptions["Basic02"], "Basic02");

    let job = api
        .result("job_results", json!({"job_id": id, "language": "sv"}))
        .await;
    assert_eq!(
        keys(&job),
        sorted(&[&["created_at", "job_id"], &members[..]].concat())
    );
    assert_eq!(job["job_id"], id);
    // The same entries, in Swedish.
    let swedish = job["results"].as_array().unwrap();
    assert_eq!(swedish.len(), list.len());
    for (theirs, ours) in swedish.iter().zip(list) {
        for key in ["module", "testcase", "level"] {
            assert_eq!(theirs[key], ours[key]);
        }
    }
    assert_ne!(
        job["testcase_descriptions"]["Basic02"],
        results["testcase_descriptions"]["Basic02"]
    );
    assert_eq!(job["testcase_descriptions"]["Unspecified"], "Unspecified");
}

#[tokio::test]
async fn history_lists_finished_tests_newest_first() {
    let api = TestApi::start().await;
    let mut finished = Vec::new();
    let outcomes = [
        (
            vec![entry(1, "Basic", "Basic01", "B01_PARENT_FOUND", json!({}))],
            json!([]),
        ),
        (
            vec![entry(4, "Basic", "Basic02", "B02_NO_DELEGATION", json!({}))],
            json!([]),
        ),
        (
            vec![entry(5, "Backend", "", "TEST_DIED", json!({}))],
            json!([{"ns": "ns1.hist.se", "ip": "192.0.2.1"}]),
        ),
        (vec![entry(3, "Zone", "Zone01", "X", json!({}))], json!([])),
    ];
    for (index, (entries, nameservers)) in outcomes.into_iter().enumerate() {
        // Past the reuse window, so equal params make a new test.
        api.advance(1000);
        let id = api
            .start_test(json!({"domain": "hist.se", "nameservers": nameservers, "queue": 0, "client_id": format!("c{index}")}))
            .await;
        api.finish(&id, &entries).await;
        finished.push((id, api.now()));
    }
    api.advance(1000);
    let waiting = api
        .start_test(json!({"domain": "hist.se", "ipv6": false}))
        .await;

    let history = api
        .result(
            "get_test_history",
            json!({"frontend_params": {"domain": "HIST.se."}}),
        )
        .await;
    let expected: Vec<Value> = finished
        .iter()
        .rev()
        .zip(["warning", "critical", "error", "ok"])
        .map(|((id, at), overall)| {
            json!({"id": id, "created_at": at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                   "undelegated": overall == "critical", "overall_result": overall,
                   "state": "completed"})
        })
        .collect();
    assert_eq!(history, Value::Array(expected.clone()));
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["id"] != waiting)
    );

    let page = api
        .result(
            "get_test_history",
            json!({"frontend_params": {"domain": "hist.se"}, "offset": 1, "limit": "2"}),
        )
        .await;
    assert_eq!(page, Value::Array(expected[1..3].to_vec()));
    let undelegated = api
        .result(
            "get_test_history",
            json!({"frontend_params": {"domain": "hist.se"}, "filter": "undelegated"}),
        )
        .await;
    assert_eq!(undelegated, Value::Array(vec![expected[1].clone()]));
    let delegated = api
        .result(
            "get_test_history",
            json!({"frontend_params": {"domain": "hist.se"}, "filter": "delegated"}),
        )
        .await;
    assert_eq!(delegated.as_array().unwrap().len(), 3);

    let alias = api
        .result(
            "domain_history",
            json!({"params": {"domain": "hist.se"}, "limit": 1}),
        )
        .await;
    assert_eq!(
        alias,
        json!({"history": [{"job_id": finished[3].0, "created_at": expected[0]["created_at"],
                            "undelegated": false, "overall_result": "warning",
                            "state": "completed"}]})
    );
    assert_eq!(
        api.result(
            "get_test_history",
            json!({"frontend_params": {"domain": "none.se"}})
        )
        .await,
        json!([])
    );
}

/// Issue 4/13, point 4: a cancelled batch test that never ran and a failed
/// test were listed as `ok`; now they are `error` with their `state`.
#[tokio::test]
async fn history_never_calls_a_cancelled_or_failed_test_ok() {
    let api = TestApi::start().await;
    let clean = api.start_test(json!({"domain": "ended.se"})).await;
    api.finish(&clean, &[]).await;

    api.advance(10);
    let failing = api
        .start_test(json!({"domain": "ended.se", "ipv6": false}))
        .await;
    assert_eq!(api.claim().await.hash_id, failing);
    let died = TestState::Failed;
    let ending = Ending {
        entries: &[],
        state: died,
        reason: Some("engine died"),
        testcases: None,
    };
    let finished = api.store.finish(&failing, "rpc-test", ending, api.now());
    assert!(finished.await.unwrap());

    api.advance(10);
    let never_ran = zonemaster::store::NewTest {
        hash_id: zonemaster::store::new_test_id(),
        domain: "ended.se".to_owned(),
        fingerprint: "batch".to_owned(),
        params: json!({"domain": "ended.se"}).to_string(),
        undelegated: false,
        priority: 5,
        queue: 7,
        created_at: api.now(),
    };
    let batch = api.store.create_batch("u", &[never_ran], api.now()).await;
    let cancelled = api.store.cancel_batch(batch.unwrap(), api.now()).await;
    assert_eq!(cancelled.unwrap(), Some(1));

    let summary = |history: &Value| -> Vec<(String, String)> {
        let entries = history.as_array().unwrap().iter();
        entries
            .map(|entry| {
                let text = |key: &str| entry[key].as_str().unwrap().to_owned();
                (text("state"), text("overall_result"))
            })
            .collect()
    };
    let expected = [
        ("cancelled", "error"),
        ("failed", "error"),
        ("completed", "ok"),
    ]
    .map(|(state, overall)| (state.to_owned(), overall.to_owned()));
    let classic = json!({"frontend_params": {"domain": "ended.se"}});
    let history = api.result("get_test_history", classic).await;
    assert_eq!(summary(&history), expected, "{history}");
    let alias = json!({"params": {"domain": "ended.se"}});
    let history = api.result("domain_history", alias).await;
    assert_eq!(summary(&history["history"]), expected, "{history}");
}

// ---- users and batches (§4.12–§4.14, §5.6) ------------------------------------

#[tokio::test]
async fn add_api_user_only_from_loopback() {
    let api = TestApi::start_ini(USERS_ON).await;
    api.add_user("add_api_user", "ops", "key-1").await;
    api.add_user("user_create", "ops2", "key-2").await;
    for method in ["add_api_user", "user_create"] {
        let duplicate = api
            .error(method, json!({"username": "ops", "api_key": "other"}))
            .await;
        assert_eq!(
            duplicate,
            json!({"code": -32002, "message": "User already exists", "data": {"username": "ops"}})
        );
    }
    let params = json!({"username": "remote", "api_key": "k"});
    let remote = api.call_from(REMOTE, "add_api_user", &params, None).await;
    assert_eq!(
        remote["error"],
        json!({"code": -32001, "message": "Call to \"add_api_user\" method not permitted from a remote IP",
               "data": {"remote_ip": "127.0.0.2"}})
    );
    // The key is stored hashed and authenticates.
    assert_eq!(
        api.store.check_api_key("ops", "key-1").await.unwrap(),
        zonemaster::store::ApiKeyCheck::Valid
    );
}

/// A local address that is not one of the three loopback addresses of the
/// administrative check, from which the tests call as a "remote" client.
const REMOTE: &str = "127.0.0.2";

/// Issue 4/13, point 12: `X-Forwarded-For: 127.0.0.1` from any client
/// passed the loopback check. Without trusted proxies no peer's header is
/// believed.
#[tokio::test]
async fn a_spoofed_forwarded_for_is_refused() {
    let api = TestApi::start_ini(USERS_ON).await;
    let params = json!({"username": "spoof", "api_key": "k"});
    for method in ["add_api_user", "user_create"] {
        let spoofed = api
            .call_from(REMOTE, method, &params, Some("127.0.0.1"))
            .await;
        assert_eq!(spoofed["error"]["code"], -32001, "{method}: {spoofed}");
        assert_eq!(spoofed["error"]["data"], json!({"remote_ip": REMOTE}));
    }
    // A loopback peer that forwards is a proxy nobody listed: its client
    // is unknown, so it is not treated as local either.
    let proxied = api
        .call_forwarded("add_api_user", &params, "127.0.0.1")
        .await;
    assert_eq!(proxied["error"]["code"], -32001, "{proxied}");
    assert_eq!(proxied["error"]["data"], json!({"remote_ip": "127.0.0.1"}));
    assert!(api.store.check_api_key("spoof", "k").await.unwrap() != ApiKeyCheck::Valid);
}

/// Issue 4/13, point 12: behind a proxy of `RPCAPI.trusted_proxies` the
/// client it forwarded for decides.
#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_decides() {
    let ini = format!("{USERS_ON}trusted_proxies = {REMOTE}, 10.0.0.0/8\n");
    let api = TestApi::start_ini(&ini).await;
    let params = |name: &str| json!({"username": name, "api_key": "k"});
    let refused = [
        (Some("127.0.0.1, 192.0.2.7"), "192.0.2.7"),
        (Some("192.0.2.7, 10.1.2.3"), "192.0.2.7"),
        (None, REMOTE),
    ];
    for (forwarded, remote_ip) in refused {
        let answer = api
            .call_from(REMOTE, "add_api_user", &params("far"), forwarded)
            .await;
        let expected = json!({"remote_ip": remote_ip});
        assert_eq!(answer["error"]["data"], expected, "{forwarded:?}: {answer}");
    }
    let allowed = [
        ("near1", "127.0.0.1"),
        ("near2", "192.0.2.7, ::1, 10.9.9.9"),
    ];
    for (name, forwarded) in allowed {
        let answer = api
            .call_from(REMOTE, "user_create", &params(name), Some(forwarded))
            .await;
        assert_eq!(
            answer["result"],
            json!({"success": 1}),
            "{forwarded}: {answer}"
        );
        assert_eq!(
            api.store.check_api_key(name, "k").await.unwrap(),
            ApiKeyCheck::Valid
        );
    }
    // 127.0.0.1 is not listed here: its header is not believed.
    let unlisted = api
        .call_forwarded("add_api_user", &params("near3"), "::1")
        .await;
    assert_eq!(unlisted["error"]["data"], json!({"remote_ip": "127.0.0.1"}));
}

#[tokio::test]
async fn batches_are_authenticated_capped_and_reported() {
    let api = TestApi::start_with(Setup {
        ini: USERS_ON.to_owned(),
        options: Some(ApiOptions {
            max_batch_domains: 3,
            ..ApiOptions::default()
        }),
        ..Setup::default()
    })
    .await;
    api.add_user("add_api_user", "ops", "secret").await;
    for (method, username, key) in [
        ("add_batch_job", "ops", "wrong"),
        ("batch_create", "nobody", "secret"),
    ] {
        let refused = api
            .error(
                method,
                json!({"username": username, "api_key": key, "domains": ["a.se"]}),
            )
            .await;
        assert_eq!(
            refused,
            json!({"code": -32001, "message": "User not authorized to use batch mode", "data": {"username": username}})
        );
    }
    let too_many = json!({"username": "ops", "api_key": "secret", "domains": ["a.se", "b.se", "c.se", "d.se"]});
    let expected = [("/domains", "Too many items: 4/3.")];
    api.assert_invalid("add_batch_job", too_many, &expected)
        .await;

    let batch = api
        .result(
            "add_batch_job",
            json!({"username": "ops", "api_key": "secret", "domains": ["A.se", "b.se."],
                   "test_params": {"ipv6": false, "nameservers": [{"ns": "ns.x.se", "ip": ""}]}}),
        )
        .await;
    assert!(batch.as_i64().unwrap() >= 1, "{batch}");
    let created = api
        .result("batch_create", json!({"username": "ops", "api_key": "secret", "domains": ["c.se"], "job_params": {"priority": 9}}))
        .await;
    let second = created["batch_id"].as_i64().unwrap();
    assert_ne!(second, batch.as_i64().unwrap());

    let status = api
        .result(
            "batch_status",
            json!({"batch_id": batch, "list_waiting_tests": 1, "list_finished_tests": true}),
        )
        .await;
    let waiting = status["waiting_tests"].as_array().unwrap().clone();
    assert_eq!(
        status,
        json!({"waiting_count": 2, "running_count": 0, "finished_count": 0, "waiting_tests": waiting})
    );
    let mut domains = Vec::new();
    for id in &waiting {
        let params = api.result("get_test_params", json!({"test_id": id})).await;
        assert_eq!(params["priority"], 5);
        assert_eq!(params["ipv6"], false);
        assert_eq!(params["nameservers"], json!([{"ns": "ns.x.se"}]));
        domains.push(params["domain"].as_str().unwrap().to_owned());
    }
    domains.sort();
    assert_eq!(domains, ["a.se", "b.se"]);
    let row = api
        .store
        .test(waiting[0].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.batch_id, batch.as_i64());
    let third = api.waiting_tests(&json!(second)).await;
    let third_id = third[0].as_str();
    assert_eq!(
        api.result("get_test_params", json!({"test_id": third_id}))
            .await["priority"],
        9
    );

    // Finishing one (claims take the highest priority first: batch 2's).
    api.finish(third_id, &[]).await;
    let status = api
        .result("batch_status", json!({"batch_id": second, "list_waiting_tests": true, "list_running_tests": true, "list_finished_tests": true}))
        .await;
    assert_eq!(
        status,
        json!({"waiting_count": 0, "running_count": 0, "finished_count": 1, "finished_tests": [third_id]})
    );
    let unknown = api.error("batch_status", json!({"batch_id": 999})).await;
    assert_eq!(
        unknown,
        json!({"code": -32000, "message": "Unknown batch", "data": {"batch_id": 999}})
    );
}

#[tokio::test]
async fn batch_cancel_withdraws_waiting_tests() {
    let api = TestApi::start_ini(USERS_ON).await;
    api.add_user("user_create", "ops", "secret").await;
    let domains =
        json!({"username": "ops", "api_key": "secret", "domains": ["a.se", "b.se", "c.se"]});
    let batch = api.result("batch_create", domains).await["batch_id"].clone();
    let cancel =
        |batch: &Value, key: &str| json!({"batch_id": batch, "username": "ops", "api_key": key});
    let refused = api.error("batch_cancel", cancel(&batch, "nope")).await;
    assert_eq!(refused["code"], -32001);
    assert_eq!(refused["message"], "User not authorized to use batch mode");
    let claimed = api.claim().await;
    let cancelled = api.result("batch_cancel", cancel(&batch, "secret")).await;
    assert_eq!(cancelled, json!({"cancelled": 2}));
    let status = api
        .result(
            "batch_status",
            json!({"batch_id": batch, "list_running_tests": true}),
        )
        .await;
    assert_eq!(
        status,
        json!({"waiting_count": 0, "running_count": 1, "finished_count": 2, "running_tests": [claimed.hash_id]})
    );
    let unknown = api
        .error("batch_cancel", cancel(&json!(4242), "secret"))
        .await;
    assert_eq!(
        unknown,
        json!({"code": -32000, "message": "Unknown batch", "data": {"batch_id": 4242}})
    );
}

// ---- our overviews: queue_status, batch_list ------------------------------------

/// A time as the API writes it.
fn api_time(time: Timestamp) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[tokio::test]
async fn queue_status_lists_running_then_waiting_tests_and_idle_agents() {
    let api = TestApi::start().await;
    let empty = api.call_with("queue_status", None, &[]).await["result"].clone();
    assert_eq!(
        empty,
        json!({"waiting": 0, "running": 0, "oldest_waiting_seconds": null, "tests": [],
               "agents": [], "finished_per_minute": vec![0; 60]})
    );
    let started = api.now();
    let first = api.start_test(json!({"domain": "first.se"})).await;
    api.advance(3);
    let second = api
        .start_test(json!({"domain": "second.se", "priority": 5}))
        .await;
    assert_eq!(api.claim().await.hash_id, first);
    api.store
        .heartbeat("rpc-test", std::slice::from_ref(&first), api.now())
        .await
        .unwrap();
    api.store
        .heartbeat("idle-agent", &[], api.now())
        .await
        .unwrap();
    api.advance(12);
    let status = api.result("queue_status", json!({"limit": 1})).await;
    let seen = api_time(api.now() - chrono::Duration::seconds(12));
    assert_eq!(
        status,
        json!({"waiting": 1, "running": 1, "oldest_waiting_seconds": 12.0,
               "tests": [{"id": first, "domain": "first.se", "state": "running", "progress": 1,
                          "created_at": api_time(started), "started_at": seen,
                          "batch_id": null, "queue": 0, "priority": 10, "agent": "rpc-test"}],
               "agents": [{"agent": "idle-agent", "last_seen": seen, "running": 0},
                          {"agent": "rpc-test", "last_seen": seen, "running": 1}],
               "finished_per_minute": vec![0; 60]})
    );
    let all = api.result("queue_status", json!({})).await;
    let ids: Vec<&str> = all["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|test| test["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    assert_eq!(all["tests"][1]["started_at"], Value::Null);
    assert_eq!(all["tests"][1]["agent"], Value::Null);

    // The typed client reads the same answer.
    let client = zonemaster::client::Client::new(&api.url).unwrap();
    let typed = client
        .queue_status(&zonemaster::api_types::QueueStatusParams { limit: Some(1) })
        .await
        .unwrap();
    assert_eq!((typed.waiting, typed.tests.len()), (1, 1));
    assert_eq!(typed.agents[1].agent, "rpc-test");

    for (params, expected) in [
        (json!({"limit": 0}), ("/limit", "0 < minimum(1)")),
        (json!({"limit": 1001}), ("/limit", "1001 > maximum(1000)")),
        (
            json!({"limit": "many"}),
            ("/limit", "Expected integer - got string."),
        ),
    ] {
        api.assert_invalid("queue_status", params, &[expected])
            .await;
    }
    let extra = api.invalid("queue_status", json!({"offset": 1})).await;
    assert_eq!(extra.len(), 1);
    assert_eq!(extra[0].0, "/");
}

#[tokio::test]
async fn batch_list_counts_each_batch_newest_first() {
    let api = TestApi::start_ini(USERS_ON).await;
    assert_eq!(api.result("batch_list", json!({})).await, json!([]));
    api.add_user("user_create", "ops", "secret").await;
    let created = api.now();
    let create =
        |domains: Value| json!({"username": "ops", "api_key": "secret", "domains": domains});
    let first = api
        .result("batch_create", create(json!(["a.se", "b.se"])))
        .await["batch_id"]
        .clone();
    api.advance(5);
    let second = api.result("batch_create", create(json!(["c.se"]))).await["batch_id"].clone();
    let claimed = api.claim().await;
    assert_eq!(claimed.batch_id, first.as_i64());
    let listed = api.result("batch_list", json!({"limit": 10})).await;
    assert_eq!(
        listed,
        json!([{"batch_id": second, "created_at": api_time(api.now()), "username": "ops",
                "total": 1, "waiting": 1, "running": 0, "finished": 0},
               {"batch_id": first, "created_at": api_time(created), "username": "ops",
                "total": 2, "waiting": 1, "running": 1, "finished": 0}])
    );
    let page = api
        .result("batch_list", json!({"limit": 1, "offset": 1}))
        .await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(page[0]["batch_id"], first);
    let client = zonemaster::client::Client::new(&api.url).unwrap();
    let typed = client
        .batch_list(&zonemaster::api_types::BatchListParams::default())
        .await
        .unwrap();
    assert_eq!(typed.len(), 2);
    assert_eq!((typed[1].total, typed[1].running), (2, 1));
    for (params, expected) in [
        (json!({"limit": 5000}), ("/limit", "5000 > maximum(1000)")),
        (json!({"offset": -1}), ("/offset", "-1 < minimum(0)")),
    ] {
        api.assert_invalid("batch_list", params, &[expected]).await;
    }
}

// ---- HTTP: batches of requests, limits, paths, metrics, shutdown ----------------

#[tokio::test]
async fn json_rpc_batches_are_answered_in_order_and_capped() {
    let api = TestApi::start_limited(|limits| limits.max_batch_requests = 3).await;
    let body = json!([
        {"jsonrpc": "2.0", "id": "a", "method": "profile_names"},
        {"jsonrpc": "2.0", "method": "version_info"},
        {"jsonrpc": "2.0", "id": 3, "method": "nope"}
    ]);
    let responses = api.post(body.to_string(), &[]).await;
    let responses = responses.as_array().unwrap();
    assert_eq!(responses.len(), 3);
    assert_eq!(
        responses[0],
        json!({"jsonrpc": "2.0", "id": "a", "result": ["default"]})
    );
    assert_eq!(responses[1]["error"]["code"], "-32600");
    assert_eq!(responses[1]["error"]["data"], "");
    assert_eq!(responses[2]["error"]["code"], -32601);
    assert_eq!(responses[2]["id"], 3);

    let too_many = api.post("[1,2,3,4]", &[]).await;
    assert_eq!(too_many["error"]["code"], "-32600");
    assert_eq!(too_many["error"]["data"], "/: Too many items: 4/3.");
    let empty = api.post("[]", &[]).await;
    assert_eq!(empty["error"]["code"], "-32600");
    assert_eq!(empty["id"], Value::Null);
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_and_any_path_works() {
    let api = TestApi::start_limited(|limits| limits.max_body_bytes = 2048).await;
    let padding = "x".repeat(4000);
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "version_info", "pad": padding}).to_string();
    let refused = api.post(body, &[]).await;
    assert_eq!(
        refused,
        json!({"jsonrpc": "2.0", "id": null, "error": {"code": "-32600",
               "message": "The JSON sent is not a valid request object.",
               "data": "/: Request body larger than 2048 bytes."}})
    );
    // Just under the limit is fine, on any path, whatever the content type.
    let response = api
        .client
        .post(format!("{}some/where?x=1", api.url))
        .header("content-type", "text/plain")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"profile_names"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let value: Value = response.json().await.unwrap();
    assert_eq!(value["result"], json!(["default"]));
    let get = api.client.get(&api.url).send().await.unwrap();
    assert_eq!(get.status(), 405);
}

#[tokio::test]
async fn every_request_is_counted_per_method_and_status() {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let metrics = Metrics::from_config(&MetricsConfig {
        statsd_host: Some("127.0.0.1".to_owned()),
        statsd_port: socket.local_addr().unwrap().port(),
    })
    .unwrap();
    let api = TestApi::start_with(Setup {
        metrics: Some(metrics),
        ..Setup::default()
    })
    .await;
    api.result("version_info", json!({})).await;
    api.call("nope", json!({})).await;
    api.call("test_progress", json!({"test_id": "x"})).await;
    api.call("test_progress", json!({"test_id": "0000000000000000"}))
        .await;
    api.post("{", &[]).await;
    api.post("{}", &[]).await;
    api.call("add_api_user", json!({})).await;
    let mut received = Vec::new();
    let mut buffer = [0u8; 512];
    while received.len() < 7 {
        let (length, _) = socket.recv_from(&mut buffer).unwrap();
        received.push(String::from_utf8_lossy(&buffer[..length]).into_owned());
    }
    assert_eq!(
        received,
        [
            "zonemaster.rpcapi.requests.version_info.RPC_SUCCESS:1|c",
            "zonemaster.rpcapi.requests.unknown.RPC_METHOD_NOT_FOUND:1|c",
            "zonemaster.rpcapi.requests.test_progress.RPC_INVALID_PARAMS:1|c",
            "zonemaster.rpcapi.requests.test_progress.RPC_INTERNAL_ERROR:1|c",
            "zonemaster.rpcapi.requests.unknown.RPC_PARSE_ERROR:1|c",
            "zonemaster.rpcapi.requests.unknown.RPC_INVALID_REQUEST:1|c",
            // Disabled, but one of our names.
            "zonemaster.rpcapi.requests.add_api_user.RPC_METHOD_NOT_FOUND:1|c",
        ]
    );
}

#[tokio::test]
async fn shutdown_stops_the_server_cleanly() {
    let api = TestApi::start().await;
    assert!(api.result("version_info", json!({})).await.is_object());
    let url = api.url.clone();
    let client = api.client.clone();
    api.stop().await.unwrap();
    assert!(client.post(&url).body("{}").send().await.is_err());
}

// ---- look-ups in the fixture world (§4.5, §4.6) --------------------------------

fn fixture_lookup() -> LookupSetup {
    LookupSetup {
        hints: RootHints::from_file(&fixture_world().join("hints.zone")).unwrap(),
        families: IpFamilies::default(),
        options: QueryOptions {
            timeout: Duration::from_secs(1),
            ..QueryOptions::default()
        },
        transport: Arc::new(LiveTransport::new()),
    }
}

#[test]
fn lookups_resolve_in_the_fixture_world() {
    in_world(&fixture_world(), None, &[], || async {
        let api = TestApi::start_with(Setup {
            lookup: Some(fixture_lookup()),
            ..Setup::default()
        })
        .await;
        let delegation = api
            .result(
                "get_data_from_parent_zone",
                json!({"domain": "Good.Test.", "language": "en"}),
            )
            .await;
        assert_eq!(
            delegation,
            json!({"ns_list": [{"ns": "ns1.good.test", "ip": "127.53.2.1"}, {"ns": "ns1.good.test", "ip": "fd53::2:1"},
                               {"ns": "ns2.good.test", "ip": "127.53.2.2"}, {"ns": "ns2.good.test", "ip": "fd53::2:2"}],
                   "ds_list": [{"keytag": 12345, "algorithm": 13, "digtype": 2,
                                "digest": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]})
        );
        assert_eq!(
            api.result("lookup_delegation_data", json!({"domain": "good.test"}))
                .await,
            delegation
        );
        let nothing = api
            .result(
                "get_data_from_parent_zone",
                json!({"domain": "nonexistent.test"}),
            )
            .await;
        assert_eq!(nothing, json!({"ns_list": [], "ds_list": []}));

        let hosts = [
            // Keyed by the name as given; CNAMEs followed; IPv6 compressed.
            (
                "get_host_by_name",
                "Alias.Good.Test",
                json!([{"Alias.Good.Test": "192.0.2.10"}, {"Alias.Good.Test": "2001:db8::10"}]),
            ),
            (
                "lookup_address_records",
                "nodata.good.test",
                json!({"address_records": [{"nodata.good.test": "192.0.2.11"}]}),
            ),
            (
                "get_host_by_name",
                "nope.good.test",
                json!([{"nope.good.test": "0.0.0.0"}]),
            ),
            (
                "get_host_by_name",
                "ns1.good.test",
                json!([{"ns1.good.test": "127.53.2.1"}, {"ns1.good.test": "fd53::2:1"}]),
            ),
        ];
        for (method, hostname, expected) in hosts {
            let found = api.result(method, json!({ "hostname": hostname })).await;
            assert_eq!(found, expected, "{method} {hostname}");
        }
    });
}

// ---- the binary -----------------------------------------------------------------

fn write_config(dir: &Path, extra: &str) -> PathBuf {
    let path = dir.join("backend_config.ini");
    let text = format!(
        "[DB]\nengine = SQLite\n[SQLITE]\ndatabase_file = {}\n{extra}",
        dir.join("zm.sqlite").display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the binary on `config`, listening on `listen`, to its end; it
/// must exit with 1.
fn failing_run(config: &Path, listen: &str) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_zm-rpcapi"))
        .args(["--config", config.to_str().unwrap(), "--listen", listen])
        .arg("--migrate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    output
}

#[test]
fn the_binary_reports_start_up_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[NOPE]\nx = 1\n");
    let output = failing_run(&config, "127.0.0.1:0");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("zm-rpcapi: "), "{stderr}");
    assert!(
        last.contains("backend_config.ini:5") && last.contains("NOPE"),
        "{stderr}"
    );

    let good = write_config(dir.path(), "");
    let output = failing_run(&good, "192.0.2.1:1");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot listen on 192.0.2.1:1"),
        "{output:?}"
    );
}

/// Starts the binary, reads its address, asks one question, stops it with
/// `signal` and returns the exit status.
fn run_binary_until(signal: Signal) -> std::process::ExitStatus {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zm-rpcapi"))
        .args([
            "--config",
            config.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--migrate",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with("listening on "));
    let Some(line) = line else {
        let _ = kill(pid, Signal::SIGKILL);
        panic!("zm-rpcapi did not say where it listens: {:?}", child.wait());
    };
    let address = line.trim_start_matches("listening on ").trim().to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let answer: Value = runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("http://{address}/"))
            .body(r#"{"jsonrpc":"2.0","id":1,"method":"version_info"}"#)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert!(
        answer["result"]["zonemaster_backend"].is_string(),
        "{answer}"
    );
    kill(pid, signal).unwrap();
    child.wait().unwrap()
}

/// Issue 4/13, point 10: configured languages without a translation are
/// named at start, since their texts will be English.
#[test]
fn the_binary_warns_of_languages_shown_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[LANGUAGE]\nlocale = sv_SE en_US sl_SI fr_FR\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zm-rpcapi"))
        .args(["--config", config.to_str().unwrap()])
        .args(["--listen", "127.0.0.1:0", "--migrate"])
        .env("ZM_BACKEND_RPCAPI_LOGLEVEL", "warning")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let listening = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("listening on "));
    kill(
        Pid::from_raw(i32::try_from(child.id()).unwrap()),
        Signal::SIGTERM,
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(listening && output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning = stderr
        .lines()
        .find(|line| line.contains("without a complete translation"))
        .unwrap_or_else(|| panic!("no warning in {stderr}"));
    assert!(warning.contains("[WARN"), "{warning}");
    assert!(warning.contains("languages=sl"), "{warning}");
}

#[test]
fn the_binary_serves_and_stops_on_sigterm_and_sigquit() {
    assert!(run_binary_until(Signal::SIGTERM).success());
    assert!(run_binary_until(Signal::SIGQUIT).success());
}

#[tokio::test]
async fn stored_params_round_trip_through_test_params() {
    // The agent reads what the API stored.
    let api = TestApi::start().await;
    let id = api
        .start_test(json!({"domain": "rt.se", "nameservers": [{"ns": "ns1.rt.se", "ip": "192.0.2.1"}],
                           "ds_info": [{"keytag": 7, "algorithm": 13, "digtype": 2, "digest": "ab".repeat(32)}]}))
        .await;
    let row = api.store.test(&id).await.unwrap().unwrap();
    let params = zonemaster::job::TestParams::from_stored(&row.params).unwrap();
    assert_eq!(params.fingerprint(), row.fingerprint);
    let fake = params.fake_delegation().unwrap().unwrap();
    assert_eq!(fake.ns.len(), 1);
    assert_eq!(fake.ds[0].keytag, 7);
    let _: Map<String, Value> = row.params.as_object().unwrap().clone();
}
