//! A name server as the engine asks it: a name and one of its addresses.
//!
//! One type for the recursor, the zone model, MethodsV2 and the test
//! cases; a message argument renders it one way, `name/address`
//! ([`crate::engine::message::ArgValue`]). A name server *name* that may
//! have no address yet (a delegation entry, `--ns NAME`) is a
//! [`crate::engine::methods::NsAddress`]: something to list, not to ask.

use std::fmt;
use std::net::IpAddr;

use hickory_proto::rr::Name;

use super::methods::NsAddress;

/// A server to ask: a name with one address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ns {
    /// Lower-case, fully qualified.
    pub name: Name,
    /// The address questions go to.
    pub address: IpAddr,
}

impl Ns {
    /// `name/ip` as messages print a server.
    pub fn label(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Ns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        NsAddress::new(&self.name, self.address).fmt(f)
    }
}

impl From<&Ns> for NsAddress {
    fn from(ns: &Ns) -> Self {
        NsAddress::new(&ns.name, ns.address)
    }
}
