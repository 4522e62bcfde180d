//! Bad input against the real `zm-rpcapi` binary (issue 16): every body
//! gets HTTP 200 with the JSON-RPC error object `docs/rpc-errors.md`
//! documents, on a connection that stays usable. One daemon over SQLite
//! with the default limits (1 MiB bodies, 100 requests per batch, 10 000
//! domains per batch job).

use std::path::PathBuf;

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::daemons::{Daemon, start_rpcapi};

const INVALID_JSON: &str = "Invalid JSON was received by the server.";
const INVALID_REQUEST: &str = "The JSON sent is not a valid request object.";
const INVALID_PARAMS: &str = "Invalid method parameter(s).";

struct Server {
    url: String,
    client: reqwest::Client,
    _daemon: Daemon,
    _dir: TempDir,
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config: PathBuf = dir.path().join("backend_config.ini");
        let text = format!(
            "[DB]\nengine = SQLite\n[SQLITE]\ndatabase_file = {}\n",
            dir.path().join("zonemaster.sqlite").display()
        );
        std::fs::write(&config, text).unwrap();
        let (daemon, url) = start_rpcapi(&config);
        Self {
            url,
            client: reqwest::Client::new(),
            _daemon: daemon,
            _dir: dir,
        }
    }

    /// Posts `body` with `content_type`; the answer must be HTTP 200 JSON.
    async fn post_as(&self, body: impl Into<reqwest::Body>, content_type: &str) -> Value {
        let response = self
            .client
            .post(&self.url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("an answer, not a closed connection");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        let text = response.text().await.unwrap();
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    }

    async fn post(&self, body: impl Into<reqwest::Body>) -> Value {
        self.post_as(body, "application/json").await
    }

    async fn call(&self, method: &str, params: Value) -> Value {
        let request = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
        self.post(request.to_string()).await
    }
}

/// An error answer with `code` (a JSON string or number as the docs say)
/// and `message`; returns its `data`.
fn error_of(answer: &Value, code: Value, message: &str) -> Value {
    assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
    assert!(answer.get("result").is_none(), "{answer}");
    assert_eq!(answer["error"]["code"], code, "{answer}");
    assert_eq!(answer["error"]["message"], message, "{answer}");
    answer["error"].get("data").cloned().unwrap_or(Value::Null)
}

fn parse_error(answer: &Value) {
    error_of(answer, json!("-32700"), INVALID_JSON);
    assert_eq!(answer["id"], Value::Null);
}

fn invalid_request(answer: &Value) -> Value {
    assert_eq!(answer["id"], Value::Null, "{answer}");
    error_of(answer, json!("-32600"), INVALID_REQUEST)
}

/// A -32602 answer with one problem at `path`; returns its message.
fn invalid_param(answer: &Value, path: &str) -> String {
    assert_eq!(answer["id"], 7, "{answer}");
    let data = error_of(answer, json!("-32602"), INVALID_PARAMS);
    let items = data.as_array().unwrap_or_else(|| panic!("{answer}"));
    assert_eq!(items.len(), 1, "{answer}");
    assert_eq!(items[0]["path"], path, "{answer}");
    items[0]["message"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_bodies_get_json_rpc_errors() {
    let server = Server::start();
    for body in [
        &b""[..],
        b"{",
        b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"version_info\"",
        b"null null",
        b"\xff\xfe{}",
        b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"version_info\", \"x\": \"\xc3\x28\"}",
        b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"version_\xffinfo\"}",
        b"{\"jsonrpc\": \"2.0\", \"id\": \"\\ud800\", \"method\": \"version_info\"}",
    ] {
        parse_error(&server.post(body.to_vec()).await);
    }
    // Nesting past serde_json's depth limit is a parse error, not a stack
    // overflow.
    for depth in [129, 100_000] {
        let body = "[".repeat(depth) + &"]".repeat(depth);
        parse_error(&server.post(body).await);
        let body = "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
        parse_error(&server.post(body).await);
    }
    // Nesting the parser accepts reaches the validator, which refuses it.
    let deep = serde_json::from_str::<Value>(&("[".repeat(120) + &"]".repeat(120))).unwrap();
    let answer = server
        .call("start_domain_test", json!({"domain": deep}))
        .await;
    assert_eq!(
        invalid_param(&answer, "/domain"),
        "Expected string - got array."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_over_the_limit_are_refused_with_the_limit() {
    let server = Server::start();
    let limit = 1 << 20;
    // Over the limit but within what the server drains: the client reads
    // the answer.
    for size in [limit + 1, 4 * limit] {
        let body = format!("[{}]", " ".repeat(size));
        let answer = server.post(body).await;
        let data = invalid_request(&answer);
        assert_eq!(data, format!("/: Request body larger than {limit} bytes."));
    }
    // At the limit the body is read and parsed.
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "version_info"}).to_string();
    let padded = request.clone() + &" ".repeat(limit - request.len());
    assert_eq!(padded.len(), limit);
    let answer = server.post(padded).await;
    assert!(answer["result"].is_object(), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn envelopes_methods_and_params_of_the_wrong_kind() {
    let server = Server::start();
    let data = invalid_request(&server.post("[1]").await[0]);
    assert_eq!(data, "/: Expected object - got integer.");
    let answer = server
        .post(r#"{"jsonrpc": "2.0", "id": 1, "method": "system.versions"}"#)
        .await;
    invalid_request(&answer);
    let answer = server
        .post(r#"{"jsonrpc": 2, "id": {}, "method": []}"#)
        .await;
    let data = invalid_request(&answer);
    assert!(
        data.as_str()
            .unwrap()
            .contains("/id: Expected null/number/string - got object.")
    );

    let answer = server.call("no_such_method", json!({})).await;
    assert_eq!(answer["id"], 7);
    error_of(
        &answer,
        json!(-32601),
        "Procedure 'no_such_method' not found",
    );

    for (params, kind) in [
        (json!([]), "array"),
        (json!("a.se"), "string"),
        (json!(5), "integer"),
    ] {
        let answer = server.call("start_domain_test", params).await;
        assert_eq!(
            invalid_param(&answer, "/"),
            format!("Expected object - got {kind}.")
        );
    }
    let answer = server
        .call("start_domain_test", json!({"domain": {}}))
        .await;
    assert_eq!(
        invalid_param(&answer, "/domain"),
        "Expected string - got object."
    );
    let answer = server
        .call(
            "get_test_results",
            json!({"id": "6f1c0e2a9b3d4c5e", "language": 5}),
        )
        .await;
    assert_eq!(answer["error"]["code"], "-32602", "{answer}");

    // The Content-Type is not enforced (backend spec §2.1): the body counts.
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "version_info"}).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "image/png",
    ] {
        let answer = server.post_as(request.clone(), content_type).await;
        assert!(answer["result"].is_object(), "{content_type}: {answer}");
        parse_error(&server.post_as("a=b&c=d", content_type).await);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn enormous_batches_are_refused_whole() {
    let server = Server::start();
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "version_info"});
    // 100 000 requests (empty ones, to stay under the body limit).
    let answer = server
        .post(Value::Array(vec![json!({}); 100_000]).to_string())
        .await;
    assert_eq!(invalid_request(&answer), "/: Too many items: 100000/100.");
    let answer = server
        .post(Value::Array(vec![call.clone(); 101]).to_string())
        .await;
    assert_eq!(invalid_request(&answer), "/: Too many items: 101/100.");
    let answer = server.post(Value::Array(vec![call; 100]).to_string()).await;
    assert_eq!(answer.as_array().unwrap().len(), 100);
    assert_eq!(
        invalid_request(&server.post("[]").await),
        "/: Not enough items: 0/1."
    );

    let domains: Vec<String> = (0..10_001).map(|n| format!("d{n}.se")).collect();
    let params = json!({"username": "ops", "api_key": "key", "domains": domains});
    let answer = server.call("batch_create", params).await;
    assert_eq!(
        invalid_param(&answer, "/domains"),
        "Too many items: 10001/10000."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn odd_domain_names_are_refused_or_accepted_as_documented() {
    let server = Server::start();
    let long_label = "a".repeat(64);
    let long_name = vec!["abcdefghi"; 26].join(".");
    assert_eq!(long_name.len(), 259);
    let non_ascii = |label: &str| {
        format!("Domain name has a non-ASCII label (\"{label}\") which is not a valid U-label.")
    };
    let refused = [
        ("a\u{200d}b.se", non_ascii("a\u{200d}b")),
        ("\u{202e}abc.se", non_ascii("\u{202e}abc")),
        ("ab\u{200f}c.se", non_ascii("ab\u{200f}c")),
        ("1\u{5d0}.se", non_ascii("1\u{5d0}")),
        ("\u{1f600}.se", non_ascii("\u{1f600}")),
        ("", "Domain name is empty.".to_owned()),
        ("   ", "Domain name is empty.".to_owned()),
        (".se", "Domain name starts with dot.".to_owned()),
        ("a..se", "Domain name has repeated dots.".to_owned()),
        ("se..", "Domain name has repeated dots.".to_owned()),
        ("a b.se", "Domain name has an ASCII label (\"a b\") with a character not permitted.".to_owned()),
        (
            &format!("{long_label}.se"),
            format!("Domain name has a label that is too long (more than 63 characters), \"{long_label}\"."),
        ),
        (&long_name, "Domain name is too long (more than 253 characters with no final dot).".to_owned()),
        (
            "\u{130}stanbul.tr",
            "Ambiguous downcasing of character \"LATIN CAPITAL LETTER I WITH DOT ABOVE\" in the domain name. Use all lower case instead.".to_owned(),
        ),
    ];
    for (domain, message) in refused {
        let answer = server
            .call("start_domain_test", json!({"domain": domain}))
            .await;
        assert_eq!(invalid_param(&answer, "/domain"), message, "{domain:?}");
    }
    // Mixed scripts are valid IDNA (policy is the registry's); existing
    // A-labels are only lower-cased, not re-validated (spec §2.4).
    for domain in [
        "p\u{430}ypal.se",
        "XN--ZZ.se",
        "xn--.se",
        "r\u{e4}ksm\u{f6}rg\u{e5}s.se",
    ] {
        let answer = server
            .call("start_domain_test", json!({"domain": domain}))
            .await;
        assert!(answer["result"].is_string(), "{domain:?}: {answer}");
    }
}
