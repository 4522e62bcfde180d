//! English texts, one file per module. The complete catalog and the
//! fallback for every other language.

mod address;
mod basic;
mod connectivity;
mod consistency;
mod delegation;
mod dnssec;
mod nameserver;
mod syntax;
mod system;
mod zone;

use super::catalog::Catalog;
use super::language::Language;
use crate::engine::module::Module;

/// The English catalog.
pub(super) static CATALOG: Catalog = Catalog {
    language: Language::En,
    modules: &[
        (Module::Basic, basic::TEXTS),
        (Module::Address, address::TEXTS),
        (Module::Connectivity, connectivity::TEXTS),
        (Module::Consistency, consistency::TEXTS),
        (Module::Delegation, delegation::TEXTS),
        (Module::Dnssec, dnssec::TEXTS),
        (Module::Nameserver, nameserver::TEXTS),
        (Module::Syntax, syntax::TEXTS),
        (Module::Zone, zone::TEXTS),
        (Module::System, system::TEXTS),
    ],
};
