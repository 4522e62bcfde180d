//! Profiles (engine spec §1.4): the settings of a run — resolver timing,
//! IP families, which test cases run, and the level of every tag.
//!
//! A profile is a set of named properties, each set or unset. The default
//! profile sets them all; a custom profile ([`CustomProfile`]) sets some,
//! and merging replaces each property it sets as a whole. Text is checked
//! once, here, and becomes typed values; everything else reads a
//! [`Profile`]. JSON is the only format read so far (the reference also
//! takes YAML with the same structure).

mod asn;
mod cache;
mod custom;
mod effective;
mod error;
mod logfilter;
mod test_cases;
mod test_levels;
mod values;
mod vars;

pub use asn::{AsnSources, AsnStyle};
pub use cache::{CacheConfig, RedisCache};
pub use custom::{CustomProfile, PROPERTIES};
pub use effective::{Profile, ResolverDefaults};
pub use error::ProfileError;
pub use logfilter::{FilterRule, Logfilter};
pub use test_cases::{TestCaseSet, canonical_test_case_id, test_case_module};
pub use test_levels::TestLevels;
pub use vars::TestCaseVar;
