//! One HTTP body through the whole JSON-RPC path: envelope, method table,
//! parameter validation and the method itself, over a SQLite store in a
//! temporary directory and DNS that answers nothing (an empty replayer).
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tokio::runtime::Runtime;
use zonemaster::config::{BackendConfig, ProfileSet};
use zonemaster::dns::{QueryOptions, Replayer};
use zonemaster::engine::{IpFamilies, RootHints};
use zonemaster::lookup::LookupSetup;
use zonemaster::rpc::{Api, Caller};

struct Harness {
    runtime: Runtime,
    api: Api,
    _dir: tempfile::TempDir,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let text = format!(
            "[DB]\nengine = SQLite\n[SQLITE]\ndatabase_file = {}\n",
            dir.path().join("fuzz.sqlite").display()
        );
        let config = BackendConfig::parse(&text, "fuzz.ini").expect("the config parses");
        let profiles = ProfileSet::load(&config.profiles).expect("the profiles load");
        let store = runtime.block_on(async {
            let store = zonemaster::store::open(&config.store_settings())
                .await
                .expect("the store opens");
            store.migrate().await.expect("the schema is created");
            store
        });
        let lookup = LookupSetup {
            hints: RootHints::builtin(),
            families: IpFamilies::default(),
            options: QueryOptions::default(),
            transport: Arc::new(Replayer::new()),
        };
        let api = Api::new(store, config, profiles)
            .expect("the API starts")
            .with_lookup(lookup);
        Harness {
            runtime,
            api,
            _dir: dir,
        }
    })
}

fuzz_target!(|body: &[u8]| {
    let harness = harness();
    let caller = Caller::direct("127.0.0.1".to_owned());
    let answer = harness.runtime.block_on(harness.api.handle(body, &caller));
    match &answer {
        Value::Object(object) => check_response(object),
        Value::Array(items) => {
            for item in items {
                let object = item.as_object().expect("a batch holds objects");
                check_response(object);
            }
        }
        other => panic!("not a JSON-RPC response: {other}"),
    }
});

/// A response object with `jsonrpc`, `id`, and exactly one of `result` and
/// `error`; an error has an integer code and a message, and is never an
/// internal error (-32603) for input alone.
fn check_response(object: &serde_json::Map<String, Value>) {
    assert_eq!(object.get("jsonrpc"), Some(&Value::from("2.0")));
    assert!(object.contains_key("id"));
    match (object.get("result"), object.get("error")) {
        (Some(_), None) => {}
        (None, Some(error)) => {
            // -32700, -32600 and -32602 are strings, as the reference
            // sends them (docs/rpc-errors.md); the others numbers.
            let code = match &error["code"] {
                Value::String(text) => text.parse::<i64>().ok(),
                number => number.as_i64(),
            }
            .unwrap_or_else(|| panic!("no integer code: {error}"));
            assert!(error["message"].is_string(), "{error}");
            assert_ne!(code, -32603, "internal error for client input: {error}");
        }
        _ => panic!("neither or both of result and error: {object:?}"),
    }
}
