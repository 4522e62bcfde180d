//! The effective profile: every property set, either by a custom profile
//! or by the default (engine spec §1.4).
//!
//! The default is the code defaults of the spec's table overlaid with
//! `etc/profile-default.json`, which is embedded: it is our copy of the
//! spec's data, and a binary must not depend on files next to it.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::asn::{AsnSources, AsnStyle};
use super::cache::CacheConfig;
use super::custom::CustomProfile;
use super::error::ProfileError;
use super::logfilter::Logfilter;
use super::test_cases::{TestCaseSet, all_test_cases};
use super::test_levels::TestLevels;
use super::vars::{self, TestCaseVar};
use crate::engine::level::Level;
use crate::engine::module::Module;
use crate::engine::tags::{self, Tag};

/// The default profile's data, as shipped.
const DEFAULT_PROFILE_JSON: &str = include_str!("../../../../etc/profile-default.json");

/// `resolver.defaults`: how every query is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolverDefaults {
    /// Seconds one attempt waits.
    pub timeout: u64,
    /// Attempts per query, 1..=255.
    pub retry: u8,
    /// Seconds between attempts, 1..=255.
    pub retrans: u8,
    /// TC fallback (spec §1.7).
    pub fallback: bool,
    /// Kept for compatibility; has no effect.
    pub debug: bool,
    /// Deprecated, ignored (removal planned in v2026.1).
    pub igntc: bool,
    /// Deprecated, ignored.
    pub recurse: bool,
    /// Deprecated, ignored.
    pub usevc: bool,
}

/// A complete profile: what a run reads its settings from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    resolver: ResolverDefaults,
    source4: Option<Ipv4Addr>,
    source6: Option<Ipv6Addr>,
    ipv4: bool,
    ipv6: bool,
    no_network: bool,
    asn_style: AsnStyle,
    asn_sources: AsnSources,
    cache: CacheConfig,
    logfilter: Logfilter,
    test_levels: TestLevels,
    test_cases: TestCaseSet,
    vars: BTreeMap<TestCaseVar, u64>,
}

impl Default for Profile {
    /// The default profile (built once per process).
    fn default() -> Self {
        static DEFAULT: OnceLock<Profile> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                let file = CustomProfile::from_json(DEFAULT_PROFILE_JSON).expect(
                    "etc/profile-default.json is embedded and a unit test checks that it validates",
                );
                Profile::code_defaults().merged(file)
            })
            .clone()
    }
}

impl Profile {
    /// The code defaults of spec §1.4, for properties the default file
    /// does not set.
    fn code_defaults() -> Self {
        let resolver = ResolverDefaults {
            timeout: 5,
            retry: 2,
            retrans: 3,
            fallback: true,
            debug: false,
            igntc: false,
            recurse: false,
            usevc: false,
        };
        Self {
            resolver,
            source4: None,
            source6: None,
            ipv4: true,
            ipv6: true,
            no_network: false,
            asn_style: AsnStyle::Cymru,
            asn_sources: AsnSources::default(),
            cache: CacheConfig::default(),
            logfilter: Logfilter::default(),
            test_levels: TestLevels::default(),
            test_cases: all_test_cases(),
            vars: TestCaseVar::ALL
                .iter()
                .map(|var| (*var, var.default_value()))
                .collect(),
        }
    }

    /// The default profile with the custom profile `text` (JSON) merged
    /// over it.
    pub fn from_json(text: &str) -> Result<Self, ProfileError> {
        Ok(Profile::default().merged(CustomProfile::from_json(text)?))
    }

    /// [`Profile::from_json`] on the contents of `path`.
    pub fn from_file(path: &Path) -> Result<Self, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// This profile with every property `custom` sets replaced as a whole.
    /// Maps (`test_levels`, `logfilter`, `cache`, `asn_db.sources`) are
    /// replaced, not merged; leaves merge one by one.
    pub fn merged(mut self, custom: CustomProfile) -> Self {
        self.merge(custom);
        self
    }

    /// [`Profile::merged`] in place.
    pub fn merge(&mut self, custom: CustomProfile) {
        fn take<T>(target: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *target = value;
            }
        }
        let resolver = &mut self.resolver;
        take(&mut resolver.timeout, custom.timeout);
        take(&mut resolver.retry, custom.retry);
        take(&mut resolver.retrans, custom.retrans);
        take(&mut resolver.fallback, custom.fallback);
        take(&mut resolver.debug, custom.debug);
        take(&mut resolver.igntc, custom.igntc);
        take(&mut resolver.recurse, custom.recurse);
        take(&mut resolver.usevc, custom.usevc);
        take(&mut self.source4, custom.source4);
        take(&mut self.source6, custom.source6);
        take(&mut self.ipv4, custom.ipv4);
        take(&mut self.ipv6, custom.ipv6);
        take(&mut self.no_network, custom.no_network);
        take(&mut self.asn_style, custom.asn_style);
        take(&mut self.asn_sources, custom.asn_sources);
        take(&mut self.cache, custom.cache);
        take(&mut self.logfilter, custom.logfilter);
        take(&mut self.test_levels, custom.test_levels);
        take(&mut self.test_cases, custom.test_cases);
        self.vars.extend(custom.vars);
    }

    /// Sets one property by its dotted name (`net.ipv4`,
    /// `test_cases_vars.zone02.SOA_REFRESH_MINIMUM_VALUE`, `test_levels`),
    /// checked like a profile file.
    pub fn set(&mut self, property: &str, value: Value) -> Result<(), ProfileError> {
        self.merge(CustomProfile::from_property(property, value)?);
        Ok(())
    }

    /// Allows or forbids IPv4 (the backend's per-test `ipv4` flag).
    pub fn set_ipv4(&mut self, allowed: bool) {
        self.ipv4 = allowed;
    }

    /// Allows or forbids IPv6.
    pub fn set_ipv6(&mut self, allowed: bool) {
        self.ipv6 = allowed;
    }

    /// Sends IPv4 queries from `address` (`resolver.source4`; `None`: the
    /// operating system chooses).
    pub fn set_source4(&mut self, address: Option<Ipv4Addr>) {
        self.source4 = address;
    }

    /// Sends IPv6 queries from `address` (`resolver.source6`).
    pub fn set_source6(&mut self, address: Option<Ipv6Addr>) {
        self.source6 = address;
    }

    /// The level of a message (spec §1.3): `test_levels`, else DEBUG; then
    /// the first matching `logfilter` rule, if any.
    pub fn level_of(&self, tag: &Tag, args: &Map<String, Value>) -> Level {
        let key = tag.module.profile_key();
        let level = self.test_levels.get(key, tag.name).unwrap_or(Level::Debug);
        self.logfilter
            .level_for(key, tag.name, args)
            .unwrap_or(level)
    }

    /// All of `resolver.defaults`.
    pub fn resolver(&self) -> &ResolverDefaults {
        &self.resolver
    }

    /// How long one attempt waits.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.resolver.timeout)
    }

    /// Attempts per query.
    pub fn retry(&self) -> u8 {
        self.resolver.retry
    }

    /// Time between attempts.
    pub fn retrans(&self) -> Duration {
        Duration::from_secs(u64::from(self.resolver.retrans))
    }

    /// TC fallback on or off.
    pub fn fallback(&self) -> bool {
        self.resolver.fallback
    }

    /// May IPv4 be used?
    pub fn ipv4(&self) -> bool {
        self.ipv4
    }

    /// May IPv6 be used?
    pub fn ipv6(&self) -> bool {
        self.ipv6
    }

    /// Must every answer come from a preloaded cache?
    pub fn no_network(&self) -> bool {
        self.no_network
    }

    /// The IPv4 source address to bind, `None` to let the OS choose.
    pub fn source4(&self) -> Option<Ipv4Addr> {
        self.source4
    }

    /// The IPv6 source address to bind, `None` to let the OS choose.
    pub fn source6(&self) -> Option<Ipv6Addr> {
        self.source6
    }

    /// The ASN lookup service.
    pub fn asn_db_style(&self) -> AsnStyle {
        self.asn_style
    }

    /// The ASN lookup sources of every style.
    pub fn asn_db_sources(&self) -> &AsnSources {
        &self.asn_sources
    }

    /// The query cache configuration.
    pub fn cache(&self) -> &CacheConfig {
        &self.cache
    }

    /// `test_levels`.
    pub fn test_levels(&self) -> &TestLevels {
        &self.test_levels
    }

    /// `logfilter`.
    pub fn logfilter(&self) -> &Logfilter {
        &self.logfilter
    }

    /// May test case `id` (any case) run?
    pub fn is_enabled(&self, id: &str) -> bool {
        self.test_cases
            .iter()
            .any(|enabled| enabled.eq_ignore_ascii_case(id))
    }

    /// The test cases that may run, sorted by id.
    pub fn enabled_test_cases(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.test_cases.iter().copied()
    }

    /// The value of a `test_cases_vars` threshold.
    pub fn test_cases_var(&self, var: TestCaseVar) -> u64 {
        self.vars.get(&var).copied().unwrap_or(var.default_value())
    }

    /// `MODULE.TAG` entries of `test_levels` that name no catalog tag; they
    /// are allowed (profiles for other engine versions name other tags) but
    /// worth a warning.
    pub fn unknown_test_levels(&self) -> Vec<String> {
        let is_known = |module_key: &str, tag: &str| {
            Module::ALL.iter().any(|module| {
                module.profile_key() == module_key && tags::find(*module, tag).is_some()
            })
        };
        self.test_levels
            .entries()
            .filter(|(module, tag, _)| !is_known(module, tag))
            .map(|(module, tag, _)| format!("{module}.{tag}"))
            .collect()
    }

    /// The whole profile as JSON, every property set (`--dump-profile`).
    pub fn to_json_value(&self) -> Value {
        let resolver = &self.resolver;
        json!({
            "resolver": {
                "defaults": {
                    "timeout": resolver.timeout,
                    "retry": resolver.retry,
                    "retrans": resolver.retrans,
                    "fallback": resolver.fallback,
                    "debug": resolver.debug,
                    "igntc": resolver.igntc,
                    "recurse": resolver.recurse,
                    "usevc": resolver.usevc,
                },
                "source4": self.source4.map_or_else(String::new, |address| address.to_string()),
                "source6": self.source6.map_or_else(String::new, |address| address.to_string()),
            },
            "net": { "ipv4": self.ipv4, "ipv6": self.ipv6 },
            "no_network": self.no_network,
            "asn_db": { "style": self.asn_style.as_str(), "sources": self.asn_sources.to_json() },
            "cache": self.cache.to_json(),
            "logfilter": self.logfilter.to_json(),
            "test_levels": self.test_levels.to_json(),
            "test_cases": self.test_cases.iter().collect::<Vec<_>>(),
            "test_cases_vars": vars::to_json(self.vars.iter().map(|(var, value)| (*var, *value))),
        })
    }

    /// [`Profile::to_json_value`], pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_json_value()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tags::{basic, dnssec, system, zone};

    fn args(json: Value) -> Map<String, Value> {
        json.as_object().unwrap().clone()
    }

    #[test]
    fn the_default_has_the_file_and_the_code_defaults() {
        let profile = Profile::default();
        assert_eq!(profile.timeout(), Duration::from_secs(5));
        assert_eq!(
            (profile.retry(), profile.retrans()),
            (2, Duration::from_secs(3))
        );
        assert!(profile.fallback() && profile.ipv4() && profile.ipv6() && !profile.no_network());
        assert_eq!((profile.source4(), profile.source6()), (None, None));
        assert_eq!(profile.asn_db_style(), AsnStyle::Cymru);
        assert_eq!(
            profile.asn_db_sources().of(AsnStyle::Ripe),
            ["riswhois.ripe.net"]
        );
        assert_eq!(profile.cache(), &CacheConfig::default());
        assert_eq!(profile.enabled_test_cases().count(), 73);
        assert_eq!(
            profile.test_cases_var(TestCaseVar::SoaExpireMinimumValue),
            604_800
        );
        assert!(
            profile.unknown_test_levels().is_empty(),
            "{:?}",
            profile.unknown_test_levels()
        );
    }

    #[test]
    fn levels_come_from_test_levels_else_debug() {
        let profile = Profile::default();
        assert_eq!(
            profile.level_of(&basic::B02_NO_DELEGATION, &Map::new()),
            Level::Critical
        );
        assert_eq!(
            profile.level_of(&zone::NO_RESPONSE, &Map::new()),
            Level::Debug
        );
        assert_eq!(
            profile.level_of(&dnssec::NO_RESPONSE_DNSKEY, &Map::new()),
            Level::Error
        );
        assert_eq!(
            profile.level_of(&basic::NO_A_RECORDS, &Map::new()),
            Level::Debug
        );
        assert_eq!(profile.level_of(&system::QUERY, &Map::new()), Level::Debug2);
    }

    #[test]
    fn a_logfilter_rule_overrides_the_level_when_it_matches() {
        let profile = Profile::from_json(
            r#"{"logfilter": {"BASIC": {"B02_NS_BROKEN": [{"when": {"ns": "ns1.example/192.0.2.1"}, "set": "NOTICE"}]}}}"#,
        )
        .unwrap();
        let matching = args(json!({"ns": "ns1.example/192.0.2.1"}));
        let other = args(json!({"ns": "ns2.example/192.0.2.2"}));
        assert_eq!(
            profile.level_of(&basic::B02_NS_BROKEN, &matching),
            Level::Notice
        );
        assert_eq!(
            profile.level_of(&basic::B02_NS_BROKEN, &other),
            Level::Error
        );
    }

    #[test]
    fn maps_are_replaced_whole() {
        let profile =
            Profile::from_json(r#"{"test_levels": {"ZONE": {"ONE_SOA": "WARNING"}}}"#).unwrap();
        assert_eq!(
            profile.level_of(&zone::ONE_SOA, &Map::new()),
            Level::Warning
        );
        // Not listed in the custom test_levels, so DEBUG now.
        assert_eq!(
            profile.level_of(&basic::B02_NO_DELEGATION, &Map::new()),
            Level::Debug
        );
        let profile =
            Profile::from_json(r#"{"asn_db": {"sources": {"ripe": ["whois.example"]}}}"#).unwrap();
        assert!(profile.asn_db_sources().of(AsnStyle::Cymru).is_empty());
        assert_eq!(profile.asn_db_style(), AsnStyle::Cymru);
    }

    #[test]
    fn leaves_are_merged_one_by_one() {
        let profile = Profile::from_json(
            r#"{"resolver": {"defaults": {"timeout": 1}}, "net": {"ipv6": false},
                "test_cases_vars": {"zone06": {"SOA_DEFAULT_TTL_MINIMUM_VALUE": "7200"}}}"#,
        )
        .unwrap();
        assert_eq!(
            (profile.timeout(), profile.retry(), profile.fallback()),
            (Duration::from_secs(1), 2, true)
        );
        assert!(profile.ipv4() && !profile.ipv6());
        assert_eq!(
            profile.test_cases_var(TestCaseVar::SoaDefaultTtlMinimumValue),
            7200
        );
        assert_eq!(
            profile.test_cases_var(TestCaseVar::SoaDefaultTtlMaximumValue),
            86_400
        );
        assert_eq!(
            profile.level_of(&basic::B02_NO_DELEGATION, &Map::new()),
            Level::Critical
        );
    }

    #[test]
    fn test_cases_restrict_what_runs() {
        let profile = Profile::from_json(r#"{"test_cases": ["basic01", "Zone11"]}"#).unwrap();
        assert!(profile.is_enabled("basic01") && profile.is_enabled("ZONE11"));
        assert!(!profile.is_enabled("basic02"));
        assert_eq!(
            profile.enabled_test_cases().collect::<Vec<_>>(),
            ["basic01", "zone11"]
        );
    }

    #[test]
    fn validation_errors_name_key_and_value() {
        let error = |text: &str| Profile::from_json(text).unwrap_err().to_string();
        assert_eq!(
            error(r#"{"resolver": {"defaults": {"colour": 1}}}"#),
            "unknown profile property `resolver.defaults.colour`"
        );
        assert_eq!(
            error(r#"{"net": {"ipv4": "yes"}}"#),
            "profile property `net.ipv4` must be true or false, not `\"yes\"`"
        );
        assert!(
            error(r#"{"test_levels": {"BASIC": {"B01_CHILD_FOUND": "LOUD"}}}"#)
                .contains("`test_levels.BASIC.B01_CHILD_FOUND` has unknown level `LOUD`")
        );
        assert_eq!(
            error(r#"{"resolver": {"defaults": {"retry": 300}}}"#),
            "profile property `resolver.defaults.retry` is 300, but must be between 1 and 255"
        );
        assert!(error(r#"{"test_cases": ["dnssec12"]}"#).contains("unknown test case `dnssec12`"));
    }

    #[test]
    fn set_changes_one_property() {
        let mut profile = Profile::default();
        profile.set("net.ipv4", json!(false)).unwrap();
        profile
            .set(
                "test_cases_vars.zone04.SOA_RETRY_MINIMUM_VALUE",
                json!(7200),
            )
            .unwrap();
        assert!(!profile.ipv4() && profile.ipv6());
        assert_eq!(
            profile.test_cases_var(TestCaseVar::SoaRetryMinimumValue),
            7200
        );
        assert!(profile.set("net.ipv4", json!(0)).is_err());
        assert!(profile.set("net.ipv7", json!(true)).is_err());
        profile.set_ipv6(false);
        assert!(!profile.ipv6());
    }

    #[test]
    fn the_dump_reads_back_as_the_same_profile() {
        let mut profile = Profile::from_json(
            r#"{"cache": {"redis": {"server": "localhost:6379", "expire": 60}}, "resolver": {"source6": "2001:db8::1"},
                "logfilter": {"SYSTEM": {"QUERY": [{"when": {"ip": ["192.0.2.1", 53]}, "set": "INFO"}]}}}"#,
        )
        .unwrap();
        profile.set_ipv4(false);
        let dumped = profile.to_json();
        assert_eq!(Profile::from_json(&dumped).unwrap(), profile);
        let value: Value = serde_json::from_str(&dumped).unwrap();
        assert_eq!(value["resolver"]["source4"], "");
        assert_eq!(value["asn_db"]["style"], "cymru");
        assert_eq!(
            Profile::from_json(&Profile::default().to_json()).unwrap(),
            Profile::default()
        );
    }

    #[test]
    fn unknown_test_level_tags_are_kept_and_listed() {
        let profile = Profile::from_json(
            r#"{"test_levels": {"EXAMPLE": {"EXAMPLE_TAG": "WARNING"}, "BASIC": {"B02_NS_BROKEN": "ERROR", "B01_CHILD_NOT_EXIST": "INFO"}}}"#,
        )
        .unwrap();
        assert_eq!(
            profile.unknown_test_levels(),
            ["BASIC.B01_CHILD_NOT_EXIST", "EXAMPLE.EXAMPLE_TAG"]
        );
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let error = Profile::from_file(Path::new("/nonexistent/profile.json")).unwrap_err();
        assert!(error.to_string().contains("/nonexistent/profile.json"));
    }
}
