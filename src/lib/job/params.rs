//! A test's parameters: normalised for storage, encoded as canonical JSON,
//! fingerprinted for reuse (backend spec §5.1.2, §5.1.3), and read back by
//! the agent into the engine's input ([`EngineInput`]).
//!
//! [`TestParams::from_request`] takes params the validator already
//! checked; [`TestParams::from_stored`] reads what any backend version
//! stored and is lenient about types (numbers as strings, `0`/`1`
//! booleans), because it also reads databases made by the reference.

use std::cmp::Ordering;

use hickory_proto::rr::Name;
use md5::{Digest, Md5};
use serde_json::{Map, Value, json};

use super::address::parse_ip;
use crate::api_types::StoredParams;
use crate::config::ProfileSet;
use crate::engine::name::{NameError, normalize, parse_domain};
use crate::engine::undelegated::{DsData, FakeDelegation};

/// One name server of an undelegated test: its normalised name and its
/// address as given (`None` when absent or empty).
pub use crate::api_types::NameServer;

/// One DS record of an undelegated test, the digest as given.
pub use crate::api_types::DsInfo;

/// The parts of a test the engine runs on.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineInput {
    /// The zone, fully qualified.
    pub zone: Name,
    /// Supplied name servers and DS records, if any.
    pub fake: Option<FakeDelegation>,
}

/// The stored parameters of one test.
#[derive(Clone, Debug, PartialEq)]
pub struct TestParams {
    /// Normalised domain.
    pub domain: String,
    /// IPv4 allowed (profile default filled in).
    pub ipv4: bool,
    /// IPv6 allowed (profile default filled in).
    pub ipv6: bool,
    /// Lower-cased profile name.
    pub profile: String,
    /// Sorted by name, then address.
    pub nameservers: Vec<NameServer>,
    /// Sorted by algorithm, digest, digest type, key tag.
    pub ds_info: Vec<DsInfo>,
    /// Higher runs first.
    pub priority: i64,
    /// The queue.
    pub queue: i64,
    /// Every other member (`client_id`, `client_version`, `config`,
    /// `language`, …), kept as given.
    pub other: Map<String, Value>,
}

/// Why params could not be turned into a test.
#[derive(Debug, thiserror::Error)]
pub enum ParamsError {
    /// Params are not a JSON object.
    #[error("the params are not a JSON object")]
    NotAnObject,
    /// A required member is absent.
    #[error("the params lack `{member}`")]
    Missing {
        /// Which one.
        member: &'static str,
    },
    /// A member has an unusable value.
    #[error("the params member `{member}` has an unusable value: {value}")]
    Invalid {
        /// Which one (a JSON pointer for nested members).
        member: String,
        /// The value as stored.
        value: String,
    },
    /// A domain or name server name does not normalise.
    #[error("the params member `{member}` is not a valid domain name")]
    Name {
        /// Which one.
        member: String,
        /// Why.
        #[source]
        source: NameError,
    },
    /// The profile is not configured (any more).
    #[error("profile `{profile}` is not configured")]
    UnknownProfile {
        /// Its name.
        profile: String,
    },
}

/// The members [`TestParams`] reads into typed fields.
const TYPED_MEMBERS: [&str; 8] = [
    "domain",
    "ipv4",
    "ipv6",
    "profile",
    "nameservers",
    "ds_info",
    "priority",
    "queue",
];

impl TestParams {
    /// Normalises validated request params (spec §5.1.1, §5.1.2):
    /// `domain` from `domain` (batches pass each domain separately), the
    /// profile lower-cased and defaulted, `ipv4`/`ipv6` from the profile
    /// when absent, `priority` defaulted to `default_priority`. Fails when
    /// the engine could not run them ([`Self::engine_input`]).
    pub fn from_request(
        params: &Map<String, Value>,
        domain: &str,
        default_priority: i64,
        profiles: &ProfileSet,
    ) -> Result<Self, ParamsError> {
        let profile = match params.get("profile") {
            Some(value) => text(value, "profile")?.to_lowercase(),
            None => "default".to_owned(),
        };
        let loaded = profiles
            .get(&profile)
            .ok_or_else(|| ParamsError::UnknownProfile {
                profile: profile.clone(),
            })?;
        let flag = |name: &'static str, default: bool| match params.get(name) {
            Some(value) => boolean(value, name),
            None => Ok(default),
        };
        let mut other = Map::new();
        for (name, value) in params {
            if !TYPED_MEMBERS.contains(&name.as_str()) {
                other.insert(name.clone(), value.clone());
            }
        }
        let test = Self {
            domain: normalized(domain, "domain")?,
            ipv4: flag("ipv4", loaded.ipv4())?,
            ipv6: flag("ipv6", loaded.ipv6())?,
            profile,
            nameservers: nameservers(params.get("nameservers"))?,
            ds_info: ds_info(params.get("ds_info"))?,
            priority: optional_integer(params.get("priority"), "priority")?
                .unwrap_or(default_priority),
            queue: optional_integer(params.get("queue"), "queue")?.unwrap_or(0),
            other,
        };
        // The one check the agent repeats: accepted means runnable.
        test.engine_input()?;
        Ok(test)
    }

    /// Reads stored params (ours or the reference's). Absent members take
    /// the reference's defaults, except the domain, which is required.
    pub fn from_stored(stored: &Value) -> Result<Self, ParamsError> {
        let params = stored.as_object().ok_or(ParamsError::NotAnObject)?;
        let domain = params
            .get("domain")
            .ok_or(ParamsError::Missing { member: "domain" })?;
        let flag = |name: &'static str| {
            params
                .get(name)
                .map_or(Ok(true), |value| boolean(value, name))
        };
        let mut other = Map::new();
        for (name, value) in params {
            if !TYPED_MEMBERS.contains(&name.as_str()) {
                other.insert(name.clone(), value.clone());
            }
        }
        Ok(Self {
            domain: normalized(text(domain, "domain")?, "domain")?,
            ipv4: flag("ipv4")?,
            ipv6: flag("ipv6")?,
            profile: match params.get("profile") {
                Some(value) => text(value, "profile")?.to_lowercase(),
                None => "default".to_owned(),
            },
            nameservers: nameservers(params.get("nameservers"))?,
            ds_info: ds_info(params.get("ds_info"))?,
            priority: optional_integer(params.get("priority"), "priority")?.unwrap_or(10),
            queue: optional_integer(params.get("queue"), "queue")?.unwrap_or(0),
            other,
        })
    }

    /// True when name servers or DS records were supplied.
    pub fn is_undelegated(&self) -> bool {
        !self.nameservers.is_empty() || !self.ds_info.is_empty()
    }

    /// The members of the fingerprint projection (spec §5.1.3).
    fn projection(&self) -> Map<String, Value> {
        let nameservers: Vec<Value> = self
            .nameservers
            .iter()
            .map(|ns| match &ns.ip {
                Some(ip) => json!({"ns": ns.ns, "ip": ip}),
                None => json!({"ns": ns.ns}),
            })
            .collect();
        let ds_info: Vec<Value> = self
            .ds_info
            .iter()
            .map(|ds| {
                json!({"keytag": ds.keytag, "algorithm": ds.algorithm, "digtype": ds.digtype, "digest": ds.digest})
            })
            .collect();
        let mut projection = Map::new();
        projection.insert("domain".into(), Value::from(self.domain.clone()));
        projection.insert("ipv4".into(), Value::Bool(self.ipv4));
        projection.insert("ipv6".into(), Value::Bool(self.ipv6));
        projection.insert("profile".into(), Value::from(self.profile.clone()));
        projection.insert("nameservers".into(), Value::Array(nameservers));
        projection.insert("ds_info".into(), Value::Array(ds_info));
        projection
    }

    /// The stored params object: the projection plus priority, queue and
    /// every other member.
    pub fn to_stored(&self) -> Value {
        let mut stored = self.projection();
        stored.insert("priority".into(), Value::from(self.priority));
        stored.insert("queue".into(), Value::from(self.queue));
        for (name, value) in &self.other {
            stored.insert(name.clone(), value.clone());
        }
        Value::Object(stored)
    }

    /// [`to_stored`](Self::to_stored) as canonical JSON text.
    pub fn to_stored_json(&self) -> String {
        canonical_json(&self.to_stored())
    }

    /// Lower-case hex MD5 of the canonical JSON of the projection.
    pub fn fingerprint(&self) -> String {
        let digest = Md5::digest(canonical_json(&Value::Object(self.projection())).as_bytes());
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// The zone as a name.
    pub fn zone(&self) -> Result<Name, ParamsError> {
        parse_domain(&self.domain).map_err(|source| ParamsError::Name {
            member: "domain".into(),
            source,
        })
    }

    /// What the engine runs: the zone and the supplied delegation. The API
    /// calls this before it stores a test and the agent when it runs one,
    /// so a test that was accepted never fails for its parameters.
    pub fn engine_input(&self) -> Result<EngineInput, ParamsError> {
        Ok(EngineInput {
            zone: self.zone()?,
            fake: self.fake_delegation()?,
        })
    }

    /// The supplied delegation for the engine: `None` when neither name
    /// servers nor DS records were given.
    pub fn fake_delegation(&self) -> Result<Option<FakeDelegation>, ParamsError> {
        if !self.is_undelegated() {
            return Ok(None);
        }
        let mut fake = FakeDelegation::default();
        for (index, ns) in self.nameservers.iter().enumerate() {
            let name = parse_domain(&ns.ns).map_err(|source| ParamsError::Name {
                member: format!("/nameservers/{index}/ns"),
                source,
            })?;
            let address = match &ns.ip {
                Some(ip) => Some(
                    parse_ip(ip).ok_or_else(|| invalid(&format!("/nameservers/{index}/ip"), ip))?,
                ),
                None => None,
            };
            fake.add_ns(name, address);
        }
        fake.ds.extend(self.ds_info.iter().map(ds_data));
        Ok(Some(fake))
    }
}

impl From<&TestParams> for StoredParams {
    /// The params as `get_test_params` answers them: what
    /// [`TestParams::to_stored`] writes, typed.
    fn from(params: &TestParams) -> Self {
        Self {
            domain: params.domain.clone(),
            ipv4: params.ipv4,
            ipv6: params.ipv6,
            profile: params.profile.clone(),
            nameservers: params.nameservers.clone(),
            ds_info: params.ds_info.clone(),
            priority: params.priority,
            queue: params.queue,
            other: params.other.clone(),
        }
    }
}

/// One DS entry in the engine's types.
fn ds_data(ds: &DsInfo) -> DsData {
    DsData {
        keytag: ds.keytag,
        algorithm: ds.algorithm,
        digtype: ds.digtype,
        digest: ds.digest.to_ascii_lowercase(),
    }
}

/// An unusable value of `member`.
fn invalid(member: &str, value: &str) -> ParamsError {
    ParamsError::Invalid {
        member: member.to_owned(),
        value: value.to_owned(),
    }
}

/// A string member (numbers as written).
fn text<'a>(value: &'a Value, member: &str) -> Result<&'a str, ParamsError> {
    value
        .as_str()
        .ok_or_else(|| invalid(member, &value.to_string()))
}

/// `domain` normalised (spec §3.2), checked to be a name the engine takes.
fn normalized(domain: &str, member: &str) -> Result<String, ParamsError> {
    let error = |source| ParamsError::Name {
        member: member.to_owned(),
        source,
    };
    parse_domain(domain).map_err(error)?;
    normalize(domain).map_err(error)
}

/// A boolean member: JSON booleans, `0`/`1`, `"true"`/`"false"`/`"0"`/`"1"`.
fn boolean(value: &Value, member: &str) -> Result<bool, ParamsError> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        Value::Number(number) if number.as_i64() == Some(0) => Ok(false),
        Value::Number(number) if number.as_i64() == Some(1) => Ok(true),
        Value::String(text) if matches!(text.as_str(), "true" | "1") => Ok(true),
        Value::String(text) if matches!(text.as_str(), "false" | "0") => Ok(false),
        other => Err(invalid(member, &other.to_string())),
    }
}

/// A non-negative or signed integer member, numbers or numeric strings.
fn integer(value: &Value, member: &str) -> Result<i64, ParamsError> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| invalid(member, &value.to_string()))
}

/// An integer member that may be absent.
fn optional_integer(value: Option<&Value>, member: &str) -> Result<Option<i64>, ParamsError> {
    value.map(|value| integer(value, member)).transpose()
}

/// A non-negative integer member.
fn unsigned(value: Option<&Value>, member: &str) -> Result<u64, ParamsError> {
    let value = value.ok_or_else(|| invalid(member, "absent"))?;
    u64::try_from(integer(value, member)?).map_err(|_| invalid(member, &value.to_string()))
}

/// The items of the optional array member `member` (none when absent).
fn items<'a>(value: Option<&'a Value>, member: &str) -> Result<&'a [Value], ParamsError> {
    let Some(value) = value else {
        return Ok(&[]);
    };
    let items = value
        .as_array()
        .ok_or_else(|| invalid(member, &value.to_string()))?;
    Ok(items)
}

/// `nameservers`: names normalised, empty addresses dropped, sorted.
fn nameservers(value: Option<&Value>) -> Result<Vec<NameServer>, ParamsError> {
    let items = items(value, "nameservers")?;
    let mut list = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let member = format!("/nameservers/{index}");
        let ns = item
            .get("ns")
            .ok_or_else(|| invalid(&member, &item.to_string()))?;
        let ip = match item.get("ip") {
            None | Some(Value::Null) => None,
            Some(ip) => {
                Some(text(ip, &format!("{member}/ip"))?.to_owned()).filter(|ip| !ip.is_empty())
            }
        };
        list.push(NameServer {
            ns: normalized(text(ns, &format!("{member}/ns"))?, &format!("{member}/ns"))?,
            ip,
        });
    }
    list.sort_by(|a, b| a.ns.cmp(&b.ns).then_with(|| a.ip.cmp(&b.ip)));
    Ok(list)
}

/// `ds_info`: sorted by algorithm, digest, digest type, key tag.
fn ds_info(value: Option<&Value>) -> Result<Vec<DsInfo>, ParamsError> {
    let items = items(value, "ds_info")?;
    let mut list = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let member = |name: &str| format!("/ds_info/{index}/{name}");
        let digest = item
            .get("digest")
            .ok_or_else(|| invalid(&member("digest"), "absent"))?;
        list.push(DsInfo {
            keytag: unsigned(item.get("keytag"), &member("keytag"))?,
            algorithm: unsigned(item.get("algorithm"), &member("algorithm"))?,
            digtype: unsigned(item.get("digtype"), &member("digtype"))?,
            digest: text(digest, &member("digest"))?.to_owned(),
        });
    }
    list.sort_by(compare_ds);
    Ok(list)
}

/// The `ds_info` order of spec §5.1.2.
fn compare_ds(a: &DsInfo, b: &DsInfo) -> Ordering {
    a.algorithm
        .cmp(&b.algorithm)
        .then_with(|| a.digest.cmp(&b.digest))
        .then_with(|| a.digtype.cmp(&b.digtype))
        .then_with(|| a.keytag.cmp(&b.keytag))
}

/// `value` as compact JSON with every object's keys sorted (byte order),
/// whatever order the map keeps them in.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// Appends `value` to `out` as canonical JSON.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort();
            out.push('{');
            for (position, name) in names.into_iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(name.clone()).to_string());
                out.push(':');
                if let Some(member) = members.get(name) {
                    write_canonical(member, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(value: Value) -> TestParams {
        let params = value.as_object().unwrap().clone();
        let domain = params["domain"].as_str().unwrap().to_owned();
        TestParams::from_request(&params, &domain, 10, &ProfileSet::builtin()).unwrap()
    }

    #[test]
    fn request_params_are_normalised_and_defaulted() {
        let params = request(json!({
            "domain": "Zonemaster.NET.",
            "profile": "DEFAULT",
            "nameservers": [{"ns": "NS2.example", "ip": ""}, {"ns": "ns1.example", "ip": "192.0.2.1"},
                            {"ns": "ns1.example", "ip": "2001:db8::1"}],
            "ds_info": [{"keytag": 2, "algorithm": 13, "digtype": 2, "digest": "bb"},
                        {"keytag": 1, "algorithm": 8, "digtype": 2, "digest": "aa"}],
            "client_id": "GUI", "language": "sv"
        }));
        assert_eq!(params.domain, "zonemaster.net");
        assert_eq!(params.profile, "default");
        assert!(params.ipv4 && params.ipv6);
        assert_eq!((params.priority, params.queue), (10, 0));
        let names: Vec<(&str, Option<&str>)> = params
            .nameservers
            .iter()
            .map(|ns| (ns.ns.as_str(), ns.ip.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("ns1.example", Some("192.0.2.1")),
                ("ns1.example", Some("2001:db8::1")),
                ("ns2.example", None)
            ]
        );
        assert_eq!(params.ds_info[0].algorithm, 8);
        assert!(params.is_undelegated());
        let stored = params.to_stored_json();
        assert!(
            stored.starts_with(
                r#"{"client_id":"GUI","domain":"zonemaster.net","ds_info":[{"algorithm":8,"#
            ),
            "{stored}"
        );
        assert!(stored.contains(r#"{"ns":"ns2.example"}"#), "{stored}");
        assert!(stored.contains(r#""language":"sv""#));
    }

    #[test]
    fn fingerprint_ignores_priority_queue_client_and_language() {
        let a = request(
            json!({"domain": "example.se", "priority": 3, "client_id": "A", "language": "en"}),
        );
        let b = request(json!({"domain": "EXAMPLE.se.", "queue": 7, "ipv4": true}));
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 32);
        assert!(
            a.fingerprint()
                .chars()
                .all(|c| matches!(c, '0'..='9' | 'a'..='f'))
        );
        let c = request(json!({"domain": "example.se", "ipv6": false}));
        assert_ne!(a.fingerprint(), c.fingerprint());
    }

    #[test]
    fn stored_params_round_trip_and_build_the_fake_delegation() {
        let params = request(json!({
            "domain": "example.se",
            "nameservers": [{"ns": "ns1.example.se", "ip": "192.0.2.1"}, {"ns": "ns.other.se"}],
            "ds_info": [{"keytag": 4711, "algorithm": 13, "digtype": 2, "digest": "AB".repeat(32)}]
        }));
        let stored: Value = serde_json::from_str(&params.to_stored_json()).unwrap();
        let back = TestParams::from_stored(&stored).unwrap();
        assert_eq!(back, params);
        let fake = back.fake_delegation().unwrap().unwrap();
        assert_eq!(fake.ns.len(), 2);
        assert_eq!(fake.ds[0].keytag, 4711);
        assert_eq!(fake.ds[0].digest, "ab".repeat(32));
        assert_eq!(back.zone().unwrap().to_ascii(), "example.se.");
    }

    /// `get_test_params` answers the typed params: the same JSON as stored.
    #[test]
    fn typed_params_are_what_is_stored() {
        let params = request(json!({
            "domain": "example.se", "client_id": "GUI", "config": "x", "queue": 3,
            "nameservers": [{"ns": "ns1.example.se", "ip": "192.0.2.1"}, {"ns": "ns.other.se"}],
            "ds_info": [{"keytag": 4711, "algorithm": 13, "digtype": 2, "digest": "AB".repeat(32)}]
        }));
        let typed = serde_json::to_value(StoredParams::from(&params)).unwrap();
        assert_eq!(typed, params.to_stored());
        assert_eq!(canonical_json(&typed), params.to_stored_json());
    }

    #[test]
    fn reference_style_stored_params_are_read_leniently() {
        let stored = json!({"domain": "example.se", "ipv4": 1, "ipv6": "0", "priority": "5",
                            "nameservers": [{"ns": "ns1.example.se", "ip": ""}],
                            "ds_info": [{"keytag": "70000", "algorithm": 8, "digtype": 2, "digest": "aa"}]});
        let params = TestParams::from_stored(&stored).unwrap();
        assert!(params.ipv4 && !params.ipv6);
        assert_eq!(params.priority, 5);
        assert_eq!(params.nameservers[0].ip, None);
        // Accepted by the API (no upper bound), so it runs: the engine
        // leaves out a DS no key can match (issue 8, point 6).
        let input = params.engine_input().unwrap();
        assert_eq!(input.fake.unwrap().ds[0].keytag, 70_000);
        assert!(TestParams::from_stored(&json!({"ipv4": true})).is_err());
        assert!(TestParams::from_stored(&json!([])).is_err());
    }

    /// Issue 8 (4/13), points 5 and 6: what the API accepts is what the
    /// engine gets, RFC 2317 names included.
    #[test]
    fn accepted_params_always_give_engine_input() {
        let params = request(json!({
            "domain": "0/25.2.0.192.IN-ADDR.ARPA",
            "nameservers": [{"ns": "ns1.0/25.2.0.192.in-addr.arpa", "ip": "192.0.2.1"}]
        }));
        assert_eq!(params.domain, "0/25.2.0.192.in-addr.arpa");
        let input = params.engine_input().unwrap();
        assert_eq!(input.zone.num_labels(), 6);
        assert!(input.zone.zone_of(&input.fake.unwrap().ns[0].name));
        let stored: Value = serde_json::from_str(&params.to_stored_json()).unwrap();
        assert!(
            TestParams::from_stored(&stored)
                .unwrap()
                .engine_input()
                .is_ok()
        );
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let value = json!({"b": [{"z": 1, "a": "é"}], "a": null});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":null,"b":[{"a":"é","z":1}]}"#
        );
    }
}
