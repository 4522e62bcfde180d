//! What one resolution produced: the reply (or why there is none), the
//! referrals followed on the way, and the `System` events raised.

use std::net::IpAddr;
use std::sync::Arc;

use hickory_proto::rr::Name;

use super::event::SystemEvent;
use crate::dns::Packet;
use crate::engine::ns::Ns;

/// A reply and who gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The decoded reply.
    pub packet: Arc<Packet>,
    /// The server that sent it.
    pub server: Ns,
}

/// One followed referral (spec §1.8 "trace"), oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referral {
    /// The zone the referral pointed to.
    pub zone: Name,
    /// The server that sent the referral.
    pub server: Name,
    /// The address the referral came from.
    pub address: IpAddr,
    /// The referred zone's servers whose address was known when the
    /// referral was followed (its glue, or addresses seen earlier in the
    /// resolution), sorted by name then address.
    pub servers: Vec<Ns>,
    /// The referred zone's name servers without a known address, sorted.
    pub glueless: Vec<Name>,
}

/// Why a resolution ended without a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Every server was silent, blocked or led nowhere.
    NoAnswer,
    /// More than 20 referrals (`LOOP_PROTECTION`).
    LoopProtection,
    /// The (name, type) was already asked earlier in the same resolution.
    Reentered,
    /// The CNAME records of the reply could not be followed.
    Cname(CnameFailure),
    /// The resolution asked more queries than [`super::QUERY_BUDGET`].
    QueryBudget,
    /// Glueless look-ups and CNAME restarts nested deeper than
    /// [`super::DEPTH_LIMIT`].
    DepthLimit,
}

/// The CNAME checks of spec §1.8 that end a resolution; each one is also
/// reported as the [`SystemEvent`] of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CnameFailure {
    /// `CNAME_RECORDS_TOO_MANY`.
    TooMany,
    /// `CNAME_RECORDS_MULTIPLE_FOR_NAME`.
    MultipleForName,
    /// `CNAME_LOOP_INNER`.
    LoopInner,
    /// `CNAME_RECORDS_CHAIN_BROKEN`.
    ChainBroken,
    /// `CNAME_NO_MATCH`.
    NoMatch,
    /// `CNAME_LOOP_OUTER`.
    LoopOuter,
    /// `CNAME_CHAIN_TOO_LONG`.
    ChainTooLong,
}

/// How a resolution ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// An answer, NODATA, NXDOMAIN, or the reply for a followed CNAME target.
    Answered(Reply),
    /// No better reply than this REFUSED or SERVFAIL one (the last seen).
    Fallback(Reply),
    /// Nothing to return.
    Failed(Failure),
}

/// The result of [`super::Recursor::recurse`] and friends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// How it ended.
    pub ending: Ending,
    /// Referrals followed, oldest first; after an out-of-zone CNAME restart,
    /// those of the restarted resolution (as in the reference engine).
    pub trace: Vec<Referral>,
    /// `System` events raised, in order, nested look-ups included.
    pub events: Vec<SystemEvent>,
    /// Queries asked (cache hits included).
    pub queries: usize,
}

impl Resolution {
    /// The reply Zonemaster's `recurse` would return: the answer or the
    /// REFUSED/SERVFAIL fallback.
    pub fn reply(&self) -> Option<&Reply> {
        match &self.ending {
            Ending::Answered(reply) | Ending::Fallback(reply) => Some(reply),
            Ending::Failed(_) => None,
        }
    }

    /// The packet of [`Self::reply`].
    pub fn packet(&self) -> Option<&Packet> {
        self.reply().map(|reply| &*reply.packet)
    }

    /// Why there is no reply, if there is none.
    pub fn failure(&self) -> Option<Failure> {
        match self.ending {
            Ending::Failed(failure) => Some(failure),
            _ => None,
        }
    }

    /// The latest referral followed.
    pub fn latest_referral(&self) -> Option<&Referral> {
        self.trace.last()
    }
}
