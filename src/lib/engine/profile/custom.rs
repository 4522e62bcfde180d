//! A custom profile: the properties one profile text sets, checked, with
//! every other property left unset (engine spec §1.4).
//!
//! Reading walks the JSON tree with the path so far, so every error names
//! the property the way a user writes it (`resolver.defaults.retry`).
//! Unknown names are errors at every level except inside `test_levels` and
//! `logfilter`, whose keys are module and tag names (see
//! [`super::test_levels`]).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde_json::{Map, Value};

use super::asn::{AsnSources, AsnStyle};
use super::cache::CacheConfig;
use super::error::ProfileError;
use super::logfilter::Logfilter;
use super::test_cases::{TestCaseSet, parse_test_cases};
use super::test_levels::TestLevels;
use super::values::{self, child};
use super::vars::TestCaseVar;

/// Every property name, dotted; the names [`super::Profile::set`] takes.
pub const PROPERTIES: &[&str] = &[
    "resolver.defaults.timeout",
    "resolver.defaults.retry",
    "resolver.defaults.retrans",
    "resolver.defaults.fallback",
    "resolver.defaults.debug",
    "resolver.defaults.igntc",
    "resolver.defaults.recurse",
    "resolver.defaults.usevc",
    "resolver.source4",
    "resolver.source6",
    "net.ipv4",
    "net.ipv6",
    "no_network",
    "asn_db.style",
    "asn_db.sources",
    "cache",
    "logfilter",
    "test_levels",
    "test_cases",
    "test_cases_vars.dnssec04.REMAINING_SHORT",
    "test_cases_vars.dnssec04.REMAINING_LONG",
    "test_cases_vars.dnssec04.DURATION_LONG",
    "test_cases_vars.zone02.SOA_REFRESH_MINIMUM_VALUE",
    "test_cases_vars.zone04.SOA_RETRY_MINIMUM_VALUE",
    "test_cases_vars.zone05.SOA_EXPIRE_MINIMUM_VALUE",
    "test_cases_vars.zone06.SOA_DEFAULT_TTL_MAXIMUM_VALUE",
    "test_cases_vars.zone06.SOA_DEFAULT_TTL_MINIMUM_VALUE",
];

/// The properties one profile sets; `None` = unset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomProfile {
    pub(super) timeout: Option<u64>,
    pub(super) retry: Option<u8>,
    pub(super) retrans: Option<u8>,
    pub(super) fallback: Option<bool>,
    pub(super) debug: Option<bool>,
    pub(super) igntc: Option<bool>,
    pub(super) recurse: Option<bool>,
    pub(super) usevc: Option<bool>,
    /// `Some(None)` is a set empty string: let the OS choose.
    pub(super) source4: Option<Option<Ipv4Addr>>,
    pub(super) source6: Option<Option<Ipv6Addr>>,
    pub(super) ipv4: Option<bool>,
    pub(super) ipv6: Option<bool>,
    pub(super) no_network: Option<bool>,
    pub(super) asn_style: Option<AsnStyle>,
    pub(super) asn_sources: Option<AsnSources>,
    pub(super) cache: Option<CacheConfig>,
    pub(super) logfilter: Option<Logfilter>,
    pub(super) test_levels: Option<TestLevels>,
    pub(super) test_cases: Option<TestCaseSet>,
    pub(super) vars: BTreeMap<TestCaseVar, u64>,
}

/// 1..=255 as a `u8`, for `retry` and `retrans`.
fn small_count(path: &str, value: &Value) -> Result<u8, ProfileError> {
    let number = values::integer(path, value, 1, 255)?;
    Ok(u8::try_from(number).unwrap_or(u8::MAX))
}

/// `""` (the OS chooses) or an address of the family `A`.
fn source_address<A: FromStr>(
    path: &str,
    value: &Value,
    family: u8,
) -> Result<Option<A>, ProfileError> {
    let text = values::string(path, value)?;
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || ProfileError::BadSourceAddress {
        path: path.to_owned(),
        family,
        value: text.to_owned(),
    };
    text.parse().map(Some).map_err(|_| bad())
}

fn unknown(path: String) -> ProfileError {
    ProfileError::UnknownProperty { path }
}

impl CustomProfile {
    /// Reads and checks a profile's JSON text.
    pub fn from_json(text: &str) -> Result<Self, ProfileError> {
        Self::from_value(&serde_json::from_str(text)?)
    }

    /// Checks a profile already parsed as JSON.
    pub fn from_value(root: &Value) -> Result<Self, ProfileError> {
        let mut custom = CustomProfile::default();
        let object = root.as_object().ok_or_else(|| ProfileError::WrongType {
            path: "(profile)".to_owned(),
            expected: "an object",
            value: values::shown(root),
        })?;
        for (key, value) in object {
            custom.read_top_level(key, value)?;
        }
        Ok(custom)
    }

    /// One property given by its dotted name, as [`PROPERTIES`] lists it.
    pub fn from_property(property: &str, value: Value) -> Result<Self, ProfileError> {
        if !PROPERTIES.contains(&property) {
            return Err(unknown(property.to_owned()));
        }
        let nested = property.rsplit('.').fold(value, |inner, key| {
            let mut map = Map::new();
            map.insert(key.to_owned(), inner);
            Value::Object(map)
        });
        Self::from_value(&nested)
    }

    fn read_top_level(&mut self, key: &str, value: &Value) -> Result<(), ProfileError> {
        match key {
            "resolver" => self.read_resolver(value)?,
            "net" => self.read_net(value)?,
            "no_network" => self.no_network = Some(values::boolean(key, value)?),
            "asn_db" => self.read_asn_db(value)?,
            "cache" => self.cache = Some(CacheConfig::parse(key, value)?),
            "logfilter" => self.logfilter = Some(Logfilter::parse(key, value)?),
            "test_levels" => self.test_levels = Some(TestLevels::parse(key, value)?),
            "test_cases" => self.test_cases = Some(parse_test_cases(key, value)?),
            "test_cases_vars" => self.read_vars(value)?,
            _ => return Err(unknown(key.to_owned())),
        }
        Ok(())
    }

    fn read_resolver(&mut self, value: &Value) -> Result<(), ProfileError> {
        for (key, field) in values::object("resolver", value)? {
            let path = child("resolver", key);
            match key.as_str() {
                "defaults" => self.read_resolver_defaults(field)?,
                "source4" => self.source4 = Some(source_address(&path, field, 4)?),
                "source6" => self.source6 = Some(source_address(&path, field, 6)?),
                _ => return Err(unknown(path)),
            }
        }
        Ok(())
    }

    fn read_resolver_defaults(&mut self, value: &Value) -> Result<(), ProfileError> {
        const PARENT: &str = "resolver.defaults";
        for (key, field) in values::object(PARENT, value)? {
            let path = child(PARENT, key);
            match key.as_str() {
                "timeout" => self.timeout = Some(values::integer(&path, field, 0, u64::MAX)?),
                "retry" => self.retry = Some(small_count(&path, field)?),
                "retrans" => self.retrans = Some(small_count(&path, field)?),
                "fallback" => self.fallback = Some(values::boolean(&path, field)?),
                "debug" => self.debug = Some(values::boolean(&path, field)?),
                "igntc" => self.igntc = Some(values::boolean(&path, field)?),
                "recurse" => self.recurse = Some(values::boolean(&path, field)?),
                "usevc" => self.usevc = Some(values::boolean(&path, field)?),
                _ => return Err(unknown(path)),
            }
        }
        Ok(())
    }

    fn read_net(&mut self, value: &Value) -> Result<(), ProfileError> {
        for (key, field) in values::object("net", value)? {
            let path = child("net", key);
            match key.as_str() {
                "ipv4" => self.ipv4 = Some(values::boolean(&path, field)?),
                "ipv6" => self.ipv6 = Some(values::boolean(&path, field)?),
                _ => return Err(unknown(path)),
            }
        }
        Ok(())
    }

    fn read_asn_db(&mut self, value: &Value) -> Result<(), ProfileError> {
        for (key, field) in values::object("asn_db", value)? {
            let path = child("asn_db", key);
            match key.as_str() {
                "style" => self.asn_style = Some(AsnStyle::parse(&path, field)?),
                "sources" => self.asn_sources = Some(AsnSources::parse(&path, field)?),
                _ => return Err(unknown(path)),
            }
        }
        Ok(())
    }

    fn read_vars(&mut self, value: &Value) -> Result<(), ProfileError> {
        const PARENT: &str = "test_cases_vars";
        for (test_case, vars) in values::object(PARENT, value)? {
            let test_case_path = child(PARENT, test_case);
            if !TestCaseVar::is_test_case_with_vars(test_case) {
                return Err(unknown(test_case_path));
            }
            for (name, field) in values::object(&test_case_path, vars)? {
                let path = child(&test_case_path, name);
                let var =
                    TestCaseVar::find(test_case, name).ok_or_else(|| unknown(path.clone()))?;
                self.vars
                    .insert(var, values::integer(&path, field, 1, u64::MAX)?);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error_of(json: Value) -> String {
        CustomProfile::from_value(&json).unwrap_err().to_string()
    }

    #[test]
    fn only_mentioned_properties_are_set() {
        let custom = CustomProfile::from_json(
            r#"{"net": {"ipv6": false}, "resolver": {"defaults": {"retry": "3"}}}"#,
        )
        .unwrap();
        assert_eq!(
            (custom.ipv6, custom.ipv4, custom.retry, custom.timeout),
            (Some(false), None, Some(3), None)
        );
        assert_eq!(
            CustomProfile::from_json("{}").unwrap(),
            CustomProfile::default()
        );
    }

    #[test]
    fn unknown_property_names_are_errors_at_every_level() {
        assert_eq!(
            error_of(json!({"nett": {}})),
            "unknown profile property `nett`"
        );
        assert_eq!(
            error_of(json!({"net": {"ipv5": true}})),
            "unknown profile property `net.ipv5`"
        );
        assert_eq!(
            error_of(json!({"resolver": {"defaults": {"tries": 1}}})),
            "unknown profile property `resolver.defaults.tries`"
        );
        assert_eq!(
            error_of(json!({"test_cases_vars": {"zone02": {"SOA_RETRY_MINIMUM_VALUE": 1}}})),
            "unknown profile property `test_cases_vars.zone02.SOA_RETRY_MINIMUM_VALUE`"
        );
        assert_eq!(
            error_of(json!({"test_cases_vars": {"zone03": {}}})),
            "unknown profile property `test_cases_vars.zone03`"
        );
    }

    #[test]
    fn values_are_checked() {
        assert!(
            error_of(json!({"no_network": "no"})).contains("`no_network` must be true or false")
        );
        assert!(
            error_of(json!({"resolver": {"defaults": {"retry": 256}}}))
                .contains("between 1 and 255")
        );
        assert!(
            error_of(json!({"resolver": {"defaults": {"retrans": 0}}}))
                .contains("between 1 and 255")
        );
        assert!(
            error_of(json!({"resolver": {"defaults": {"timeout": -1}}}))
                .contains("non-negative integer")
        );
        assert!(
            error_of(json!({"test_cases_vars": {"dnssec04": {"DURATION_LONG": 0}}}))
                .contains("at least 1")
        );
        assert!(error_of(json!({"resolver": {"source4": "2001:db8::1"}})).contains("IPv4 address"));
        assert!(error_of(json!({"resolver": {"source6": "192.0.2.1"}})).contains("IPv6 address"));
        assert!(error_of(json!([])).contains("`(profile)` must be an object"));
    }

    #[test]
    fn empty_source_addresses_mean_the_os_chooses() {
        let custom = CustomProfile::from_value(
            &json!({"resolver": {"source4": "", "source6": "2001:db8::53"}}),
        )
        .unwrap();
        assert_eq!(custom.source4, Some(None));
        assert_eq!(custom.source6, Some(Some("2001:db8::53".parse().unwrap())));
    }

    #[test]
    fn one_property_can_be_given_by_its_dotted_name() {
        let custom = CustomProfile::from_property(
            "test_cases_vars.zone02.SOA_REFRESH_MINIMUM_VALUE",
            json!(86_400),
        )
        .unwrap();
        assert_eq!(
            custom.vars.get(&TestCaseVar::SoaRefreshMinimumValue),
            Some(&86_400)
        );
        let custom =
            CustomProfile::from_property("asn_db.sources", json!({"ripe": ["whois.example"]}))
                .unwrap();
        assert!(custom.asn_sources.is_some());
        let error =
            CustomProfile::from_property("test_levels.BASIC.B01_CHILD_FOUND", json!("INFO"))
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown profile property `test_levels.BASIC.B01_CHILD_FOUND`"
        );
        assert!(CustomProfile::from_property("net.ipv4", json!(0)).is_err());
    }

    #[test]
    fn invalid_json_is_reported_as_such() {
        let error = CustomProfile::from_json(r#"{"test_cases": ("nameserver09"]}"#).unwrap_err();
        assert!(matches!(error, ProfileError::Json(_)));
    }
}
