//! Asking ahead along zone cuts already walked.
//!
//! Every resolution starts at the root (spec §1.8), so a run that resolves
//! `ns1.child.parent.example.` after it has resolved `child.parent.example.`
//! walks the same referrals again: root, `example.`, `parent.example.`,
//! `child.parent.example.`, each waiting for the one above. The questions
//! differ from the first walk's (another name), so the run's cache does not
//! help, and a 30 ms round trip costs four of them where the answer needs
//! one.
//!
//! What the walk will ask is known in advance, though: at each zone cut it
//! asks the same question, and within a zone it takes its servers in a
//! fixed order, so the server that gave the walk its reply there last time
//! is the one it will get its reply from again. So when a walk starts at
//! the root, the same question is sent at once to that server of every cut
//! above the name that an earlier walk crossed. The walk itself is
//! unchanged — it still goes level by level, reading each reply in order
//! and deciding exactly as before — but its replies are already in the
//! run's cache (or in flight) when it gets to them, so the levels cost one
//! round trip together instead of one each.
//!
//! The guess costs nothing when it is right (the walk would have sent those
//! very queries) and one query per wrong level otherwise: a walk that stops
//! above a remembered cut, or a server that does not answer this question.
//! Over a replay nothing is gained and a guess the recording cannot answer
//! would count as a miss, so there the recursor does not ask ahead.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use hickory_proto::rr::Name;

use super::iterative::Recursor;
use super::walk::Ask;

/// For each zone cut walks have crossed, the server whose reply the walk
/// used there most recently.
#[derive(Debug, Default)]
pub(super) struct Cuts {
    servers: Mutex<HashMap<Name, IpAddr>>,
}

impl Cuts {
    /// Notes that a walk inside `zone` got the reply it went on with from
    /// `server`.
    pub(super) fn learn(&self, zone: &Name, server: IpAddr) {
        self.lock().insert(zone.to_lowercase(), server);
    }

    /// Forgets every cut (with the resolution cache: fake delegations
    /// change what the walks will see).
    pub(super) fn clear(&self) {
        self.lock().clear();
    }

    /// The remembered server of every cut at or above `name`, root first.
    fn above(&self, name: &Name) -> Vec<IpAddr> {
        let servers = self.lock();
        let mut found = Vec::new();
        let mut zone = Name::root();
        let labels: Vec<&[u8]> = name.iter().collect();
        for depth in 0..=labels.len() {
            if depth > 0 {
                let label = labels[labels.len() - depth];
                let Ok(deeper) = Name::from_labels([label]).and_then(|l| l.append_domain(&zone))
                else {
                    break;
                };
                zone = deeper.to_lowercase();
            }
            if let Some(&server) = servers.get(&zone) {
                found.push(server);
            }
        }
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Name, IpAddr>> {
        self.servers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Recursor {
    /// Before a walk from the root for `ask`: sends `ask` to the
    /// remembered server of every cut above its name, in the background,
    /// into the run's cache (see the module notes).
    pub(super) fn ask_ahead(&self, ask: &Ask) {
        if !self.client().waits_on_the_network() {
            return;
        }
        let families = self.families();
        for address in self.cuts().above(&ask.name) {
            if !families.allows(address) {
                continue;
            }
            let client = self.client().clone();
            let query = ask.query();
            tokio::spawn(crate::dns::chain::detached(async move {
                client.query(address, &query).await;
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn name(text: &str) -> Name {
        Name::from_str(text).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn cuts_above_a_name_come_root_first_and_skip_other_branches() {
        let cuts = Cuts::default();
        cuts.learn(&Name::root(), ip("192.0.2.1"));
        cuts.learn(&name("Example."), ip("192.0.2.2"));
        cuts.learn(&name("other.example."), ip("192.0.2.3"));
        cuts.learn(&name("child.example."), ip("192.0.2.4"));
        assert_eq!(
            cuts.above(&name("ns1.child.example.")),
            [ip("192.0.2.1"), ip("192.0.2.2"), ip("192.0.2.4")]
        );
        assert_eq!(cuts.above(&name("child.example.")).len(), 3);
        cuts.clear();
        assert!(cuts.above(&name("child.example.")).is_empty());
    }
}
