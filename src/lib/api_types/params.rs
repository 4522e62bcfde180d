//! Test params: what `start_domain_test` and a batch's `test_params` take
//! (spec §4.7, §4.13) and what `get_test_params` answers (§4.9, §5.1.2).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One name server: an item of `nameservers` (spec §3.3) and of
/// `get_data_from_parent_zone`'s `ns_list` (§4.6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameServer {
    /// The name (normalised once stored).
    pub ns: String,
    /// The address; absent when none is given or known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

/// One DS record: an item of `ds_info` (spec §3.3) and of `ds_list`
/// (§4.6). The numbers have no upper bound in the API; the engine checks
/// its own ranges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DsInfo {
    /// Key tag.
    pub keytag: u64,
    /// Algorithm number.
    pub algorithm: u64,
    /// Digest type number.
    pub digtype: u64,
    /// Hexadecimal digest.
    pub digest: String,
}

/// The members a single test and a batch's `test_params` share: all of
/// `start_domain_test`'s but `domain` and `language`. Absent members take
/// the server's defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TestOptions {
    /// Use IPv4 (default: the profile's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<bool>,
    /// Use IPv6 (default: the profile's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<bool>,
    /// Name servers of an undelegated test.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<NameServer>,
    /// DS records of an undelegated test.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ds_info: Vec<DsInfo>,
    /// Profile name (default `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The client's name, recorded with the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The client's version, recorded with the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_version: Option<String>,
    /// Legacy; stored and otherwise ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Higher runs first (default 10, batches 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// The queue (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<i64>,
}

/// The params of `start_domain_test` (spec §4.7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StartTestParams {
    /// The zone to test.
    pub domain: String,
    /// Language of error messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Everything else.
    #[serde(flatten)]
    pub options: TestOptions,
}

/// A test's stored, normalised params: the result of `get_test_params`
/// and the `params` of `get_test_results` (spec §4.9, §5.1.2). Members the
/// reference may leave out are read with its defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredParams {
    /// Normalised domain.
    pub domain: String,
    /// IPv4 allowed.
    #[serde(default = "allowed")]
    pub ipv4: bool,
    /// IPv6 allowed.
    #[serde(default = "allowed")]
    pub ipv6: bool,
    /// Lower-case profile name.
    #[serde(default = "default_profile")]
    pub profile: String,
    /// Sorted by name, then address.
    #[serde(default)]
    pub nameservers: Vec<NameServer>,
    /// Sorted by algorithm, digest, digest type, key tag.
    #[serde(default)]
    pub ds_info: Vec<DsInfo>,
    /// Higher runs first.
    #[serde(default = "default_priority")]
    pub priority: i64,
    /// The queue.
    #[serde(default)]
    pub queue: i64,
    /// Every other member (`client_id`, `client_version`, `config`,
    /// `language`, …), as given.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl StoredParams {
    /// True when name servers or DS records were supplied.
    pub fn is_undelegated(&self) -> bool {
        !self.nameservers.is_empty() || !self.ds_info.is_empty()
    }
}

fn allowed() -> bool {
    true
}

fn default_profile() -> String {
    "default".to_owned()
}

/// The priority of an interactive test (spec §5.1.1).
fn default_priority() -> i64 {
    10
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn start_params_send_only_what_is_set() {
        let params = StartTestParams {
            domain: "example.se".into(),
            language: Some("en".into()),
            options: TestOptions {
                ipv6: Some(false),
                nameservers: vec![NameServer {
                    ns: "ns1.example.se".into(),
                    ip: None,
                }],
                ..TestOptions::default()
            },
        };
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({"domain": "example.se", "language": "en", "ipv6": false,
                   "nameservers": [{"ns": "ns1.example.se"}]})
        );
    }

    #[test]
    fn stored_params_keep_unknown_members_and_fill_reference_defaults() {
        let stored = json!({"domain": "a.se", "client_id": "GUI", "queue": 2});
        let params: StoredParams = serde_json::from_value(stored).unwrap();
        assert!(params.ipv4 && params.ipv6);
        assert_eq!((params.profile.as_str(), params.priority), ("default", 10));
        assert_eq!(params.other["client_id"], "GUI");
        let written = serde_json::to_value(&params).unwrap();
        assert_eq!(written["client_id"], "GUI");
        assert_eq!(written["nameservers"], json!([]));
    }
}
