//! The zone under test and its "version 1" name-server methods (engine
//! spec §1.9): Method1 (parent) to Method5 (child servers), memoised.
//!
//! Most test cases use these rather than MethodsV2. The parent's servers
//! (whom Method2 and the glue ask) are the ones the referral to the parent
//! named while Method1 resolved the zone's SOA: no question more than
//! Method1 already asked, so a version-1 test case never waits for the
//! MethodsV2 walk and asks what the reference's zone objects ask. A parent
//! reached without a referral of its own (it shares its servers with a
//! zone above it) takes the servers of the nearest referral above it; only
//! a resolution with no referral at all falls back to the walk's parent
//! servers.
//!
//! Each list is computed once and lent to every caller. Names are looked
//! up at the same time, not one after the other; the lists are sorted, so
//! timing never shows in them.

use std::net::IpAddr;
use std::sync::Arc;

use crate::dns::chain::join_all;
use hickory_proto::rr::{Name, RData, RecordType};
use tokio::sync::OnceCell;

use crate::dns::{Classification, Packet, Query, Rcode};
use crate::engine::methods::MethodsV2;
use crate::engine::recursor::Recursor;
use crate::engine::undelegated::FakeDelegation;

pub use crate::engine::ns::Ns;

/// The zone under test with its memoised version-1 methods.
pub struct ZoneV1 {
    recursor: Arc<Recursor>,
    methods: Arc<MethodsV2>,
    name: Name,
    fake: Option<FakeDelegation>,
    parent: OnceCell<Name>,
    parent_servers: OnceCell<Vec<Ns>>,
    parent_ns_reply: OnceCell<Option<Arc<Packet>>>,
    delegation_names: OnceCell<Vec<Name>>,
    delegation_servers: OnceCell<Vec<Ns>>,
    glue: OnceCell<Vec<Ns>>,
    child_servers: OnceCell<Vec<Ns>>,
}

impl std::fmt::Debug for ZoneV1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoneV1")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl ZoneV1 {
    /// The zone `name`, resolved through `recursor`.
    pub fn new(
        recursor: Arc<Recursor>,
        methods: Arc<MethodsV2>,
        name: Name,
        fake: Option<FakeDelegation>,
    ) -> Self {
        Self {
            recursor,
            methods,
            name,
            fake: fake.filter(FakeDelegation::is_undelegated),
            parent: OnceCell::new(),
            parent_servers: OnceCell::new(),
            parent_ns_reply: OnceCell::new(),
            delegation_names: OnceCell::new(),
            delegation_servers: OnceCell::new(),
            glue: OnceCell::new(),
            child_servers: OnceCell::new(),
        }
    }

    /// The zone's name.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// Method1: the parent zone (the root's parent is the root).
    pub async fn parent(&self) -> &Name {
        self.parent
            .get_or_init(|| self.recursor.parent(&self.name))
            .await
    }

    /// The parent zone's servers, `name/address`, sorted: the referral to
    /// the parent seen by Method1's resolution (its glueless names looked
    /// up); the root hints when the parent is the root.
    pub async fn parent_servers(&self) -> &[Ns] {
        self.parent_servers
            .get_or_init(|| self.compute_parent_servers())
            .await
    }

    async fn compute_parent_servers(&self) -> Vec<Ns> {
        let parent = self.parent().await.clone();
        let mut servers = if parent.is_root() {
            self.hint_servers()
        } else {
            self.referred_parent_servers(&parent).await
        };
        servers.sort();
        servers.dedup();
        servers
    }

    /// The parent's servers as the referral to it named them, its glueless
    /// names looked up. When the parent had no referral of its own (its
    /// servers also serve a zone above it, and Method1 found it by asking
    /// them its SOA), the nearest referral above it: those servers answer
    /// for the parent. With no referral at all, the MethodsV2 walk's.
    async fn referred_parent_servers(&self, parent: &Name) -> Vec<Ns> {
        let resolution = self.recursor.recurse(&self.name, RecordType::SOA).await;
        let trace = &resolution.trace;
        let referral = trace
            .iter()
            .find(|referral| referral.zone.eq_ignore_root(parent))
            .or_else(|| {
                trace
                    .iter()
                    .rev()
                    .find(|referral| referral.zone.zone_of(parent))
            });
        let Some(referral) = referral else {
            let walked = self.methods.parent_servers().await;
            return walked.map(<[Ns]>::to_vec).unwrap_or_default();
        };
        let found = join_all(
            referral
                .glueless
                .iter()
                .map(|name| self.recursor.addresses_for(name)),
        )
        .await;
        let mut servers = referral.servers.clone();
        servers.extend(servers_of(&referral.glueless, found));
        servers
    }

    /// Method2: the NS names the parent publishes (or the supplied ones),
    /// lower-case, sorted, unique.
    pub async fn delegation_names(&self) -> &[Name] {
        self.delegation_names
            .get_or_init(|| self.compute_delegation_names())
            .await
    }

    async fn compute_delegation_names(&self) -> Vec<Name> {
        if let Some(fake) = &self.fake {
            return sorted_unique(fake.ns.iter().map(|ns| ns.name.clone()).collect());
        }
        if self.name.is_root() {
            return sorted_unique(
                self.recursor
                    .hints()
                    .servers()
                    .iter()
                    .map(|s| s.name.clone())
                    .collect(),
            );
        }
        let reply = self.parent_ns_reply().await;
        let records = reply
            .iter()
            .flat_map(|packet| packet.answer.iter().chain(&packet.authority));
        sorted_unique(ns_targets(records, &self.name))
    }

    /// The first parent server's reply to NS for the zone that carries NS
    /// records owned by it: Method2 reads the names, the glue the
    /// addresses. Asked once per run.
    async fn parent_ns_reply(&self) -> Option<&Packet> {
        self.parent_ns_reply
            .get_or_init(|| async {
                for server in self.parent_servers().await {
                    if !self.recursor.families().allows(server.address) {
                        continue;
                    }
                    let query = Query::new(self.name.clone(), RecordType::NS);
                    let outcome = self.recursor.client().query(server.address, &query).await;
                    let Some(packet) = outcome.packet() else {
                        continue;
                    };
                    let records = packet.answer.iter().chain(&packet.authority);
                    if !ns_targets(records, &self.name).is_empty() {
                        return Some(packet);
                    }
                }
                None
            })
            .await
            .as_deref()
    }

    /// Method4: the delegation's servers: supplied addresses in an
    /// undelegated test, otherwise each Method2 name fully resolved.
    pub async fn delegation_servers(&self) -> &[Ns] {
        self.delegation_servers
            .get_or_init(|| self.compute_delegation_servers())
            .await
    }

    async fn compute_delegation_servers(&self) -> Vec<Ns> {
        let mut servers = if let Some(fake) = &self.fake {
            supplied_servers(fake)
        } else if self.name.is_root() {
            self.hint_servers()
        } else {
            let names = self.delegation_names().await;
            let found = join_all(names.iter().map(|name| self.recursor.addresses_for(name))).await;
            servers_of(names, found)
        };
        servers.sort();
        servers.dedup();
        servers
    }

    /// The A/AAAA records in the parent's NS response (glue), as servers.
    pub async fn glue(&self) -> &[Ns] {
        self.glue.get_or_init(|| self.compute_glue()).await
    }

    async fn compute_glue(&self) -> Vec<Ns> {
        if let Some(fake) = &self.fake {
            let mut servers = supplied_servers(fake);
            servers.sort();
            return servers;
        }
        let Some(packet) = self.parent_ns_reply().await else {
            return Vec::new();
        };
        let mut servers: Vec<Ns> = packet
            .additional
            .iter()
            .filter_map(|r| {
                let address = r.data.ip_addr()?;
                Some(Ns {
                    name: r.name.to_lowercase(),
                    address,
                })
            })
            .collect();
        servers.sort();
        servers.dedup();
        servers
    }

    /// Method5: the child's own servers: the NS names from the first
    /// delegation server giving a NOERROR answer to NS, each resolved.
    pub async fn child_servers(&self) -> &[Ns] {
        self.child_servers
            .get_or_init(|| self.compute_child_servers())
            .await
    }

    /// The first server in list order with a NOERROR answer holding NS
    /// records settles it; every server is asked at once (the later
    /// modules ask each of them the same question anyway, through the
    /// run's cache), so the wait is one round trip, not one per server
    /// until an answer. The names are then looked up at once.
    async fn compute_child_servers(&self) -> Vec<Ns> {
        if self.name.is_root() {
            return self.delegation_servers().await.to_vec();
        }
        let query = Query::new(self.name.clone(), RecordType::NS);
        let asked: Vec<&Ns> = self
            .delegation_servers()
            .await
            .iter()
            .filter(|server| self.recursor.families().allows(server.address))
            .collect();
        let outcomes = join_all(
            asked
                .iter()
                .map(|server| self.recursor.client().query(server.address, &query)),
        )
        .await;
        let names = outcomes
            .iter()
            .filter_map(|outcome| outcome.packet())
            .filter(|packet| {
                packet.rcode == Rcode::NOERROR && packet.classify() == Classification::Answer
            })
            .map(|packet| ns_targets(packet.answer.iter(), &self.name))
            .find(|names| !names.is_empty())
            .unwrap_or_default();
        let names = sorted_unique(names);
        let found = join_all(names.iter().map(|name| self.addresses_of(name))).await;
        let mut servers = servers_of(&names, found);
        servers.sort();
        servers.dedup();
        servers
    }

    /// The root hints as servers, one per address.
    fn hint_servers(&self) -> Vec<Ns> {
        self.recursor
            .hints()
            .servers()
            .iter()
            .flat_map(|hint| {
                hint.addresses.iter().map(|&address| Ns {
                    name: hint.name.clone(),
                    address,
                })
            })
            .collect()
    }

    /// Addresses for a child NS name: supplied ones first, else resolved.
    async fn addresses_of(&self, name: &Name) -> Vec<IpAddr> {
        if let Some(fake) = &self.fake {
            let supplied: Vec<IpAddr> = fake
                .ns
                .iter()
                .filter(|ns| ns.name.eq_ignore_root(name))
                .flat_map(|ns| ns.addresses.clone())
                .collect();
            if !supplied.is_empty() {
                return supplied;
            }
        }
        self.recursor.addresses_for(name).await
    }

    /// Method2and3 / Method4and5 style union of delegation and child servers.
    pub async fn all_servers(&self) -> Vec<Ns> {
        let mut servers = self.delegation_servers().await.to_vec();
        servers.extend_from_slice(self.child_servers().await);
        servers.sort();
        servers.dedup();
        servers
    }
}

/// Targets of the NS records owned by `owner`, lower-cased.
fn ns_targets<'a>(
    records: impl Iterator<Item = &'a hickory_proto::rr::Record>,
    owner: &Name,
) -> Vec<Name> {
    records
        .filter(|r| r.record_type() == RecordType::NS && r.name.eq_ignore_root(owner))
        .filter_map(|r| match &r.data {
            RData::NS(ns) => Some(ns.0.to_lowercase()),
            _ => None,
        })
        .collect()
}

/// One server per address found for each name; `found` holds the
/// addresses of `names`, in the same order.
fn servers_of(names: &[Name], found: Vec<Vec<IpAddr>>) -> Vec<Ns> {
    names
        .iter()
        .zip(found)
        .flat_map(|(name, addresses)| {
            addresses.into_iter().map(|address| Ns {
                name: name.clone(),
                address,
            })
        })
        .collect()
}

/// The supplied servers that came with addresses.
fn supplied_servers(fake: &FakeDelegation) -> Vec<Ns> {
    fake.ns
        .iter()
        .flat_map(|ns| {
            ns.addresses.iter().map(|address| Ns {
                name: ns.name.clone(),
                address: *address,
            })
        })
        .collect()
}

fn sorted_unique(mut names: Vec<Name>) -> Vec<Name> {
    for name in &mut names {
        *name = name.to_lowercase();
        name.set_fqdn(true);
    }
    names.sort();
    names.dedup();
    names
}
