//! The test modules and the framework pseudo-module `System` (engine spec
//! §1.2, §2.1).
//!
//! A module has two spellings: its name in messages (`DNSSEC`, `Basic`) and
//! its key in profiles (`DNSSEC`, `BASIC`). Both are facts of the reference
//! engine and must match exactly.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A group of test cases, or `System` for the framework itself (query
/// layer, recursor, runner).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// Does the zone exist and does a name server answer for it?
    Basic,
    /// Name server addresses: reachability and reverse DNS.
    Address,
    /// UDP/TCP reachability and network diversity.
    Connectivity,
    /// Agreement between the zone's name servers.
    Consistency,
    /// The delegation from the parent.
    Delegation,
    /// DNSSEC signatures, keys and parameters.
    Dnssec,
    /// Name server behaviour (EDNS, recursion, AXFR …).
    Nameserver,
    /// Syntax of names in the zone and its SOA/MX.
    Syntax,
    /// SOA values, MX and SPF.
    Zone,
    /// The framework, not a test module.
    System,
}

/// A module name that is none of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown module `{text}` (expected one of Basic, Address, Connectivity, Consistency, Delegation, DNSSEC, \
     Nameserver, Syntax, Zone, System)"
)]
pub struct UnknownModule {
    /// The text as given.
    pub text: String,
}

impl Module {
    /// The test modules in the fixed order a full run uses (spec §2.1).
    /// Basic comes first because it decides whether testing can go on.
    pub const RUN_ORDER: &'static [Module] = &[
        Module::Basic,
        Module::Address,
        Module::Connectivity,
        Module::Consistency,
        Module::Delegation,
        Module::Dnssec,
        Module::Nameserver,
        Module::Syntax,
        Module::Zone,
    ];

    /// Every module, `System` last.
    pub const ALL: &'static [Module] = &[
        Module::Basic,
        Module::Address,
        Module::Connectivity,
        Module::Consistency,
        Module::Delegation,
        Module::Dnssec,
        Module::Nameserver,
        Module::Syntax,
        Module::Zone,
        Module::System,
    ];

    /// The name as messages spell it: `Basic`, `DNSSEC`, `System`.
    pub const fn name(self) -> &'static str {
        match self {
            Module::Basic => "Basic",
            Module::Address => "Address",
            Module::Connectivity => "Connectivity",
            Module::Consistency => "Consistency",
            Module::Delegation => "Delegation",
            Module::Dnssec => "DNSSEC",
            Module::Nameserver => "Nameserver",
            Module::Syntax => "Syntax",
            Module::Zone => "Zone",
            Module::System => "System",
        }
    }

    /// The key under `test_levels` and `logfilter` in a profile: `BASIC`,
    /// `DNSSEC`, `SYSTEM`.
    pub const fn profile_key(self) -> &'static str {
        match self {
            Module::Basic => "BASIC",
            Module::Address => "ADDRESS",
            Module::Connectivity => "CONNECTIVITY",
            Module::Consistency => "CONSISTENCY",
            Module::Delegation => "DELEGATION",
            Module::Dnssec => "DNSSEC",
            Module::Nameserver => "NAMESERVER",
            Module::Syntax => "SYNTAX",
            Module::Zone => "ZONE",
            Module::System => "SYSTEM",
        }
    }

    /// True for the nine test modules, false for `System`.
    pub const fn is_test_module(self) -> bool {
        !matches!(self, Module::System)
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Module {
    type Err = UnknownModule;

    /// Case-insensitive, so `dnssec`, `DNSSEC` and `Dnssec` all work.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Module::ALL
            .iter()
            .copied()
            .find(|module| module.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownModule {
                text: text.to_owned(),
            })
    }
}

impl Serialize for Module {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_reference_spelling() {
        assert_eq!(Module::Dnssec.name(), "DNSSEC");
        assert_eq!(Module::Nameserver.name(), "Nameserver");
        assert_eq!(Module::System.to_string(), "System");
        assert_eq!(Module::Basic.profile_key(), "BASIC");
        assert_eq!(Module::Dnssec.profile_key(), "DNSSEC");
        assert_eq!(Module::System.profile_key(), "SYSTEM");
    }

    #[test]
    fn every_profile_key_is_the_upper_case_name() {
        for module in Module::ALL {
            assert_eq!(module.profile_key(), module.name().to_ascii_uppercase());
        }
    }

    #[test]
    fn parsing_ignores_case_and_rejects_strangers() {
        assert_eq!("dnssec".parse::<Module>(), Ok(Module::Dnssec));
        assert_eq!("ZONE".parse::<Module>(), Ok(Module::Zone));
        assert_eq!("System".parse::<Module>(), Ok(Module::System));
        let error = "Example".parse::<Module>().unwrap_err();
        assert!(error.to_string().contains("`Example`"));
    }

    #[test]
    fn run_order_is_the_nine_test_modules_basic_first() {
        assert_eq!(Module::RUN_ORDER.len(), 9);
        assert_eq!(Module::RUN_ORDER.first(), Some(&Module::Basic));
        assert_eq!(Module::RUN_ORDER.last(), Some(&Module::Zone));
        assert!(
            Module::RUN_ORDER
                .iter()
                .all(|module| module.is_test_module())
        );
    }
}
