//! The message-tag catalog: every tag the engine can emit, with its module
//! and argument names (engine spec §1.13 and §3).
//!
//! Code emits catalog constants, never strings, so a misspelt tag does not
//! compile: `report.emit(&tags::B02_NO_DELEGATION, args![domain = …])`.
//! The English texts live in [`crate::i18n`]; levels come from the profile.
//!
//! # One constant per (module, tag)
//!
//! A tag is identified by its module *and* its name: the profile keys
//! levels by `test_levels.<MODULE>.<TAG>`, and several modules use the same
//! name for different findings (`NO_RESPONSE` exists in Consistency,
//! Delegation, DNSSEC, Nameserver, Syntax and Zone with different
//! arguments). So every module has its own submodule here (`tags::basic`,
//! `tags::dnssec`, …, `tags::system`) declaring each of its tags once, and
//! a tag shared by name is simply declared in every module that emits it.
//! That includes the per-test-case tags: `TEST_CASE_START`/`TEST_CASE_END`
//! in every test module, `IPV4_DISABLED`/`IPV6_DISABLED` in every module
//! that queries name servers (all but Address), `IPV4_ENABLED`/
//! `IPV6_ENABLED` in Basic only. Code that is generic over modules (the
//! runner) gets them with [`test_case_start`], [`test_case_end`] and
//! [`ip_disabled`].
//!
//! Every submodule is also glob re-exported here, so a name that only one
//! module uses can be written without its module (`tags::B01_CHILD_FOUND`,
//! `tags::START_TIME`). A name used by several modules is ambiguous at this
//! level on purpose: `tags::NO_RESPONSE` does not compile, and the writer
//! must say `tags::zone::NO_RESPONSE`. (Each submodule's `TAGS` table is
//! ambiguous here for the same reason; use [`ALL`] or [`of_module`].)

#![expect(
    ambiguous_glob_reexports,
    reason = "a name shared by several modules must be written with its module (see above)"
)]

use super::module::Module;

/// Declares a module's tags: one `pub const NAME: Tag` per line, and
/// `TAGS`, every tag of the module in declaration order. Arguments after
/// a `;` are optional: a message may leave them out
/// (`TEST_TARGET("zone", "module"; "testcase")`).
macro_rules! declare_tags {
    ($module:expr; $($name:ident($($arg:literal),* $(; $($optional:literal),+)?);)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "(", stringify!($($arg),*), ")`")]
            pub const $name: Tag = Tag {
                module: $module,
                name: stringify!($name),
                args: &[$($arg,)* $($($optional),+)?],
                optional: &[$($($optional),+)?],
            };
        )*
        /// Every tag of this module, in declaration order.
        pub const TAGS: [Tag; [$(stringify!($name)),*].len()] = [$($name),*];
    };
}

pub mod address;
pub mod basic;
pub mod connectivity;
pub mod consistency;
pub mod delegation;
pub mod dnssec;
pub mod nameserver;
pub mod syntax;
pub mod system;
pub mod zone;

pub use address::*;
pub use basic::*;
pub use connectivity::*;
pub use consistency::*;
pub use delegation::*;
pub use dnssec::*;
pub use nameserver::*;
pub use syntax::*;
pub use system::*;
pub use zone::*;

use std::fmt;
use std::net::IpAddr;

/// One message tag of one module, with the names of its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tag {
    /// The module whose messages carry this tag.
    pub module: Module,
    /// Upper-case tag name, exactly as the reference spells it.
    pub name: &'static str,
    /// Argument names, exactly as the reference spells them (optional
    /// ones included).
    pub args: &'static [&'static str],
    /// The arguments a message may leave out.
    pub optional: &'static [&'static str],
}

impl Tag {
    /// True when `name` is one of the tag's arguments.
    pub fn has_arg(&self, name: &str) -> bool {
        self.args.contains(&name)
    }

    /// The problem with giving this tag the arguments `names`, if any:
    /// every required argument must be there and nothing else may be
    /// (engine spec §1.13), or the text would show a raw `{ns}`.
    pub fn check_args<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
        let given: Vec<&str> = names.into_iter().collect();
        let unknown: Vec<&str> = given
            .iter()
            .copied()
            .filter(|name| !self.has_arg(name))
            .collect();
        let missing: Vec<&str> = self
            .args
            .iter()
            .copied()
            .filter(|name| !self.optional.contains(name) && !given.contains(name))
            .collect();
        if unknown.is_empty() && missing.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{self} emitted with arguments {given:?}: missing {missing:?}, unknown {unknown:?}"
        ))
    }
}

impl fmt::Display for Tag {
    /// `DNSSEC:DS01_DS_ALGO_OK`, the form used in test failures and logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.module.name(), self.name)
    }
}

/// Copies the module tables into one array; evaluated at compile time, so
/// a wrong total fails the build rather than a run.
const fn concatenate<const N: usize>(parts: &[&[Tag]]) -> [Tag; N] {
    let mut all = [basic::TEST_CASE_START; N];
    let mut filled = 0;
    let mut part = 0;
    while part < parts.len() {
        let tags = parts[part];
        let mut index = 0;
        while index < tags.len() {
            all[filled] = tags[index];
            filled += 1;
            index += 1;
        }
        part += 1;
    }
    assert!(filled == N, "TOTAL does not match the module tables");
    all
}

const TOTAL: usize = basic::TAGS.len()
    + address::TAGS.len()
    + connectivity::TAGS.len()
    + consistency::TAGS.len()
    + delegation::TAGS.len()
    + dnssec::TAGS.len()
    + nameserver::TAGS.len()
    + syntax::TAGS.len()
    + zone::TAGS.len()
    + system::TAGS.len();

static ALL_TAGS: [Tag; TOTAL] = concatenate(&[
    &basic::TAGS,
    &address::TAGS,
    &connectivity::TAGS,
    &consistency::TAGS,
    &delegation::TAGS,
    &dnssec::TAGS,
    &nameserver::TAGS,
    &syntax::TAGS,
    &zone::TAGS,
    &system::TAGS,
]);

/// Every tag of every module, modules in run order and `System` last.
pub static ALL: &[Tag] = &ALL_TAGS;

/// The tags of `module`, in declaration order.
pub fn of_module(module: Module) -> &'static [Tag] {
    match module {
        Module::Basic => &basic::TAGS,
        Module::Address => &address::TAGS,
        Module::Connectivity => &connectivity::TAGS,
        Module::Consistency => &consistency::TAGS,
        Module::Delegation => &delegation::TAGS,
        Module::Dnssec => &dnssec::TAGS,
        Module::Nameserver => &nameserver::TAGS,
        Module::Syntax => &syntax::TAGS,
        Module::Zone => &zone::TAGS,
        Module::System => &system::TAGS,
    }
}

/// The tag `name` of `module` (exact, upper-case name).
pub fn find(module: Module, name: &str) -> Option<&'static Tag> {
    of_module(module).iter().find(|tag| tag.name == name)
}

/// `TEST_CASE_START` of `module`; `None` for `System`, which has no test
/// cases.
pub fn test_case_start(module: Module) -> Option<&'static Tag> {
    find(module, "TEST_CASE_START")
}

/// `TEST_CASE_END` of `module`; `None` for `System`.
pub fn test_case_end(module: Module) -> Option<&'static Tag> {
    find(module, "TEST_CASE_END")
}

/// `IPV4_DISABLED` or `IPV6_DISABLED` of `module`, after the family of
/// `address`; `None` for modules that never query name servers themselves
/// (Address, System).
pub fn ip_disabled(module: Module, address: IpAddr) -> Option<&'static Tag> {
    match address {
        IpAddr::V4(_) => find(module, "IPV4_DISABLED"),
        IpAddr::V6(_) => find(module, "IPV6_DISABLED"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::engine::testcases::TEST_CASES;

    const DEFAULT_PROFILE: &str = include_str!("../../../../etc/profile-default.json");

    fn default_profile() -> serde_json::Value {
        serde_json::from_str(DEFAULT_PROFILE).unwrap()
    }

    #[test]
    fn catalog_and_default_profile_agree() {
        let profile = default_profile();
        let levels = profile["test_levels"].as_object().unwrap();
        let mut problems = Vec::new();
        let mut listed: BTreeSet<(Module, &str)> = BTreeSet::new();
        for (key, tags) in levels {
            let Some(module) = Module::ALL.iter().copied().find(|m| m.profile_key() == key) else {
                problems.push(format!("profile module key {key} is not a module"));
                continue;
            };
            for name in tags.as_object().unwrap().keys() {
                listed.insert((module, name.as_str()));
                if find(module, name).is_none() {
                    problems.push(format!(
                        "{key}.{name} is in the default profile but not in the catalog"
                    ));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{} mismatches:\n{}",
            problems.len(),
            problems.join("\n")
        );
        // Tags the catalog has and the profile lacks are DEBUG by default;
        // keep that list explicit so a new omission is a decision.
        let unlisted: BTreeSet<String> = ALL
            .iter()
            .filter(|tag| !listed.contains(&(tag.module, tag.name)))
            .map(ToString::to_string)
            .collect();
        let expected: BTreeSet<String> = [
            "Basic:NO_A_RECORDS",
            "Consistency:SOA_MNAME",
            "Nameserver:Z_FLAGS_NOTCLEAR",
            "Syntax:IPV4_DISABLED",
            "Syntax:IPV6_DISABLED",
            "Syntax:RNAME_MAIL_DOMAIN_LOCALHOST",
            "Syntax:RNAME_MAIL_ILLEGAL_CNAME",
            "Zone:IPV4_DISABLED",
            "Zone:IPV6_DISABLED",
            "System:CACHE_MISS",
            "System:EXTERNAL_QUERY",
            "System:MEMORY_CACHE_HIT",
            "System:REDIS_CACHE_HIT",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(unlisted, expected);
    }

    #[test]
    fn default_profile_test_cases_are_the_known_ids() {
        let profile = default_profile();
        let listed: BTreeSet<&str> = profile["test_cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap())
            .collect();
        let known: BTreeSet<&str> = TEST_CASES.iter().map(|case| case.id).collect();
        let unknown: Vec<&&str> = listed.difference(&known).collect();
        let missing: Vec<&&str> = known.difference(&listed).collect();
        assert!(
            unknown.is_empty() && missing.is_empty(),
            "unknown: {unknown:?}; not in profile: {missing:?}"
        );
        assert_eq!(TEST_CASES.len(), 73);
    }

    #[test]
    fn no_tag_is_declared_twice_in_one_module() {
        let mut seen = BTreeSet::new();
        let duplicates: Vec<String> = ALL
            .iter()
            .filter(|tag| !seen.insert((tag.module, tag.name)))
            .map(ToString::to_string)
            .collect();
        assert!(duplicates.is_empty(), "declared twice: {duplicates:?}");
    }

    #[test]
    fn tags_belong_to_the_module_that_declares_them() {
        for module in Module::ALL {
            assert!(
                of_module(*module).iter().all(|tag| tag.module == *module),
                "{module}"
            );
        }
    }

    #[test]
    fn tag_and_argument_names_are_well_formed() {
        for tag in ALL {
            assert!(
                tag.name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{tag}"
            );
            let mut args = BTreeSet::new();
            for arg in tag.args {
                assert!(
                    arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{tag} {arg}"
                );
                assert!(args.insert(arg), "{tag} lists {arg} twice");
            }
        }
    }

    #[test]
    fn every_test_module_has_start_and_end() {
        for module in Module::RUN_ORDER {
            let start = test_case_start(*module).unwrap();
            assert_eq!((start.module, start.args), (*module, &["testcase"][..]));
            assert_eq!(test_case_end(*module).unwrap().module, *module);
        }
        assert!(test_case_start(Module::System).is_none());
    }

    #[test]
    fn ip_disabled_exists_where_modules_query_servers() {
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        for module in Module::RUN_ORDER.iter().filter(|m| **m != Module::Address) {
            assert_eq!(ip_disabled(*module, v4).unwrap().name, "IPV4_DISABLED");
            assert_eq!(ip_disabled(*module, v6).unwrap().args, ["ns", "rrtype"]);
        }
        assert!(ip_disabled(Module::Address, v4).is_none());
    }

    #[test]
    fn lookups_find_tags_by_module_and_name() {
        assert_eq!(
            find(Module::Basic, "B02_NO_DELEGATION"),
            Some(&B02_NO_DELEGATION)
        );
        assert_eq!(find(Module::Zone, "NO_RESPONSE").unwrap().args, ["ns"]);
        assert_eq!(
            find(Module::Nameserver, "NO_RESPONSE").unwrap().args,
            ["ns", "domain"]
        );
        assert!(find(Module::Basic, "b02_no_delegation").is_none());
        assert!(find(Module::Zone, "B02_NO_DELEGATION").is_none());
        assert_eq!(B02_NO_DELEGATION.to_string(), "Basic:B02_NO_DELEGATION");
    }

    #[test]
    fn catalog_size_per_module() {
        let counts: BTreeMap<&str, usize> = Module::ALL
            .iter()
            .map(|m| (m.name(), of_module(*m).len()))
            .collect();
        assert_eq!(ALL.len(), counts.values().sum::<usize>());
        assert_eq!(ALL.first(), Some(&basic::TEST_CASE_START));
    }
}
