//! Helpers the conformance-driven tests share: a client with short
//! timings, names, root hints and JSON string lists from the scenario files.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use zonemaster::dns::{Client, ClientConfig, LiveTransport, Name, QueryOptions};
use zonemaster::engine::{HintServer, RootHints};

/// Short timings: the world is local and silent servers should cost little,
/// yet long enough that a busy machine does not turn a reply into silence.
pub fn quick_client() -> Client {
    let options = QueryOptions {
        timeout: Duration::from_millis(1000),
        retry: 2,
        retrans: Duration::from_millis(500),
        fallback: true,
    };
    let config = ClientConfig {
        options,
        max_in_flight_per_server: 8,
    };
    Client::new(Arc::new(LiveTransport::new()), config)
}

/// A fully qualified name from text with or without the final dot.
pub fn name(text: &str) -> Name {
    let mut name = Name::from_ascii(text).unwrap();
    name.set_fqdn(true);
    name
}

/// Root hints from a scenario file's `root_hints` map.
pub fn hints(map: &BTreeMap<String, Vec<String>>) -> RootHints {
    let servers = map
        .iter()
        .map(|(server, addresses)| HintServer {
            name: name(server).to_lowercase(),
            addresses: addresses.iter().map(|a| a.parse().unwrap()).collect(),
        })
        .collect();
    RootHints::from_servers(servers)
}

/// Root hints from a `root_hints` JSON value.
pub fn hints_of(value: &Value) -> RootHints {
    let map: BTreeMap<String, Vec<String>> =
        serde_json::from_value(value.clone()).unwrap_or_default();
    hints(&map)
}

/// The strings of a JSON array (empty for anything else).
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
