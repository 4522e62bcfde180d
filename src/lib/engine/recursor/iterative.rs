//! The [`Recursor`]: entry points and the per-run result cache.
//!
//! One recursor serves a whole run and is shared between tasks
//! (`Arc<Recursor>`). Each question (name, type, class) is resolved once per
//! run; a second task asking while the first is still resolving waits for
//! the same result instead of starting its own walk.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use hickory_proto::rr::{DNSClass, Name, RecordType};
use tokio::sync::OnceCell;

use super::ahead::Cuts;
use super::event::SystemEvent;
use super::resolution::Resolution;
use super::servers::{Candidate, GlueBook, root_candidates};
use super::walk::{Ask, Start, Tree};
use crate::dns::Client;
use crate::engine::families::IpFamilies;
use crate::engine::hints::RootHints;
use crate::engine::ns::Ns;

/// Queries one resolution may ask, nested look-ups included. Generous for
/// any real delegation chain; it only stops pathological worlds (endless
/// glueless chains, referral webs) from costing unbounded time.
pub const QUERY_BUDGET: usize = 200;
/// How deep glueless look-ups and CNAME restarts may nest.
pub const DEPTH_LIMIT: usize = 12;
/// Referrals one walk may follow (spec §1.8, `LOOP_PROTECTION`).
pub const MAX_REFERRALS: usize = 20;

type CacheKey = (Name, RecordType, DNSClass);
type CacheSlot = Arc<OnceCell<Arc<Resolution>>>;

/// Iterative resolution from the root hints (engine spec §1.8).
pub struct Recursor {
    client: Client,
    hints: RootHints,
    families: IpFamilies,
    cache: Mutex<HashMap<CacheKey, CacheSlot>>,
    journal: Mutex<Vec<SystemEvent>>,
    cuts: Cuts,
}

impl std::fmt::Debug for Recursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recursor")
            .field("hints", &self.hints)
            .field("families", &self.families)
            .finish_non_exhaustive()
    }
}

impl Recursor {
    /// A recursor asking through `client`, starting at `hints`, never
    /// sending to a family `families` disables.
    pub fn new(client: Client, hints: RootHints, families: IpFamilies) -> Self {
        Self {
            client,
            hints,
            families,
            cache: Mutex::new(HashMap::new()),
            journal: Mutex::new(Vec::new()),
            cuts: Cuts::default(),
        }
    }

    /// The client every query goes through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The root hints resolution starts from.
    pub fn hints(&self) -> &RootHints {
        &self.hints
    }

    /// The IP families queries may use.
    pub fn families(&self) -> IpFamilies {
        self.families
    }

    /// The zone cuts walks have crossed so far.
    pub(super) fn cuts(&self) -> &Cuts {
        &self.cuts
    }

    /// The root servers in the order the reference lists them (by name).
    pub fn root_servers(&self) -> Vec<Ns> {
        root_candidates(&self.hints)
            .into_iter()
            .filter_map(|candidate| match candidate {
                Candidate::Known(server) => Some(server),
                Candidate::Glueless(_) => None,
            })
            .collect()
    }

    /// Resolves (`name`, `rtype`, IN) from the root, once per run.
    pub async fn recurse(&self, name: &Name, rtype: RecordType) -> Arc<Resolution> {
        self.recurse_in_class(name, rtype, DNSClass::IN).await
    }

    /// Resolves (`name`, `rtype`, `class`) from the root, once per run.
    pub async fn recurse_in_class(
        &self,
        name: &Name,
        rtype: RecordType,
        class: DNSClass,
    ) -> Arc<Resolution> {
        let ask = Ask {
            name: fqdn_lower(name),
            rtype,
            class,
        };
        let slot = self.slot(&ask);
        let resolution = slot
            .get_or_init(|| async {
                let start = Start::root(&self.hints);
                Arc::new(self.resolve(&ask, start).await)
            })
            .await;
        Arc::clone(resolution)
    }

    /// Resolves (`name`, `rtype`, IN) starting at `servers` instead of the
    /// root (tried from the last), bypassing the cache: MethodsV2 asks a
    /// delegation's own servers this way.
    pub async fn recurse_from(&self, name: &Name, rtype: RecordType, servers: &[Ns]) -> Resolution {
        let ask = Ask {
            name: fqdn_lower(name),
            rtype,
            class: DNSClass::IN,
        };
        let start = Start::servers(servers.iter().cloned().map(Candidate::Known).collect());
        self.resolve(&ask, start).await
    }

    /// Forgets every cached resolution (spec §1.8: when fake delegation or
    /// DS data is added).
    pub fn clear_cache(&self) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.cuts.clear();
    }

    /// Every `System` event raised by resolutions of this run so far, in
    /// the order the resolutions finished.
    pub fn events(&self) -> Vec<SystemEvent> {
        self.journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn slot(&self, ask: &Ask) -> CacheSlot {
        let key = (ask.name.clone(), ask.rtype, ask.class);
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(cache.entry(key).or_default())
    }

    /// A fresh resolution with its own budget, glue and event log.
    async fn resolve(&self, ask: &Ask, start: Start) -> Resolution {
        let mut tree = Tree::default();
        let mut glue = GlueBook::default();
        let walked = self.walk(ask, start, 0, &mut tree, &mut glue, 0).await;
        tracing::debug!(name = %ask.name, rtype = %ask.rtype, queries = tree.queries, "resolution finished");
        self.journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(tree.events.iter().cloned());
        Resolution {
            ending: walked.ending,
            trace: walked.trace,
            events: tree.events,
            queries: tree.queries,
        }
    }
}

/// `name` lower-cased and fully qualified: one cache key per question
/// however the caller spelled it.
fn fqdn_lower(name: &Name) -> Name {
    let mut name = name.to_lowercase();
    name.set_fqdn(true);
    name
}
