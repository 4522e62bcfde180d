//! [`MethodsV2`]: the helpers for one child zone, each computed once.
//!
//! The helpers depend on each other (zone NS needs the delegation, which
//! needs the parent), and several test cases ask for the same lists, so
//! every list is memoised on first use (spec §1.10 "Results are memoised
//! per run"). Concurrent callers share the first computation, and every
//! caller borrows the one stored list; the lists derived from them (names
//! only, addresses only) are built per call.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use hickory_proto::dnssec::rdata::DS;
use hickory_proto::rr::Name;
use tokio::sync::OnceCell;

use super::ns_address::{NsAddress, sorted_unique_names};
use crate::engine::ns::Ns;
use crate::engine::recursor::{Recursor, SystemEvent};
use crate::engine::undelegated::FakeDelegation;

/// A list that may be undefined (the parent cannot be determined).
type Maybe<T> = Option<Vec<T>>;

/// A memoised list, borrowed.
type Borrowed<'a, T> = Option<&'a [T]>;

/// The MethodsV2 helpers for one child zone (engine spec §1.10).
pub struct MethodsV2 {
    pub(super) recursor: Arc<Recursor>,
    pub(super) zone: Name,
    pub(super) fake: Option<FakeDelegation>,
    parent_servers: OnceCell<Maybe<Ns>>,
    delegation: OnceCell<Maybe<NsAddress>>,
    del_ns: OnceCell<Maybe<NsAddress>>,
    zone_ns_names: OnceCell<Maybe<Name>>,
    zone_ns: OnceCell<Maybe<NsAddress>>,
    parent_ds: OnceCell<Maybe<DS>>,
    events: Mutex<Vec<SystemEvent>>,
}

impl std::fmt::Debug for MethodsV2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MethodsV2")
            .field("zone", &self.zone)
            .field("fake", &self.fake)
            .finish_non_exhaustive()
    }
}

impl MethodsV2 {
    /// Helpers for `zone`; `fake` is the undelegated data, if any.
    pub fn new(recursor: Arc<Recursor>, zone: Name, fake: Option<FakeDelegation>) -> Self {
        let mut zone = zone.to_lowercase();
        zone.set_fqdn(true);
        Self {
            recursor,
            zone,
            fake,
            parent_servers: OnceCell::new(),
            delegation: OnceCell::new(),
            del_ns: OnceCell::new(),
            zone_ns_names: OnceCell::new(),
            zone_ns: OnceCell::new(),
            parent_ds: OnceCell::new(),
            events: Mutex::new(Vec::new()),
        }
    }

    /// The child zone.
    pub fn zone(&self) -> &Name {
        &self.zone
    }

    /// True when name servers were supplied (spec §1.11); DS alone is not
    /// enough.
    pub fn is_undelegated(&self) -> bool {
        self.fake
            .as_ref()
            .is_some_and(FakeDelegation::is_undelegated)
    }

    /// `System` events raised by these helpers (`LOOP_PROTECTION`).
    pub fn events(&self) -> Vec<SystemEvent> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(super) fn record(&self, event: SystemEvent) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }

    /// Get-Parent-NS-Names-and-IPs: the parent zone's servers; empty for
    /// the root and for undelegated tests, `None` when undetermined.
    pub async fn parent_ns(&self) -> Maybe<NsAddress> {
        let servers = self.parent_servers().await?;
        Some(servers.iter().map(NsAddress::from).collect())
    }

    /// Get-Parent-NS-IPs: the distinct addresses of [`Self::parent_ns`].
    pub async fn parent_ns_ips(&self) -> Maybe<IpAddr> {
        let servers = self.parent_servers_by_address().await?;
        Some(servers.iter().map(|server| server.address).collect())
    }

    /// Get-Del-NS-Names-and-IPs: the delegation as the parent publishes it,
    /// out-of-bailiwick names given their addresses.
    pub async fn del_ns(&self) -> Borrowed<'_, NsAddress> {
        self.del_ns
            .get_or_init(|| self.compute_del_ns())
            .await
            .as_deref()
    }

    /// Get-Del-NS-Names: the distinct names of [`Self::del_ns`].
    pub async fn del_ns_names(&self) -> Maybe<Name> {
        Some(names_of(self.del_ns().await?))
    }

    /// Get-Del-NS-IPs: the distinct addresses of [`Self::del_ns`].
    pub async fn del_ns_ips(&self) -> Maybe<IpAddr> {
        Some(addresses_of(self.del_ns().await?))
    }

    /// Get-Zone-NS-Names-and-IPs: the zone's own NS set with addresses.
    pub async fn zone_ns(&self) -> Borrowed<'_, NsAddress> {
        self.zone_ns
            .get_or_init(|| self.compute_zone_ns())
            .await
            .as_deref()
    }

    /// Get-Zone-NS-Names: the NS targets the delegated servers publish.
    pub async fn zone_ns_names(&self) -> Borrowed<'_, Name> {
        self.zone_ns_names
            .get_or_init(|| self.compute_zone_ns_names())
            .await
            .as_deref()
    }

    /// Get-Zone-NS-IPs: the distinct addresses of [`Self::zone_ns`].
    pub async fn zone_ns_ips(&self) -> Maybe<IpAddr> {
        Some(addresses_of(self.zone_ns().await?))
    }

    /// The DS records the parent publishes for the child (or the supplied
    /// ones in an undelegated test); `None` when no parent server answered.
    pub async fn parent_ds(&self) -> Borrowed<'_, DS> {
        self.parent_ds
            .get_or_init(|| self.compute_parent_ds())
            .await
            .as_deref()
    }

    /// The parent servers, memoised, sorted by name then address: what
    /// [`Self::parent_ns`] lists, as servers to ask.
    pub async fn parent_servers(&self) -> Borrowed<'_, Ns> {
        self.parent_servers
            .get_or_init(|| self.compute_parent_servers())
            .await
            .as_deref()
    }

    /// One parent server per address (the first in sorted order), as the
    /// reference keeps them for asking the parent.
    pub(super) async fn parent_servers_by_address(&self) -> Maybe<Ns> {
        let servers = self.parent_servers().await?;
        let mut kept: Vec<Ns> = Vec::new();
        for server in servers {
            if !kept.iter().any(|known| known.address == server.address) {
                kept.push(server.clone());
            }
        }
        Some(kept)
    }

    /// Get-Delegation, memoised.
    pub(super) async fn delegation(&self) -> Borrowed<'_, NsAddress> {
        self.delegation
            .get_or_init(|| self.compute_delegation())
            .await
            .as_deref()
    }

    /// True when `name` is at or below the child zone.
    pub(super) fn is_in_bailiwick(&self, name: &Name) -> bool {
        self.zone.zone_of(name)
    }

    /// The supplied addresses of `name` in an undelegated test.
    pub(super) fn fake_addresses(&self, name: &Name) -> Vec<IpAddr> {
        let Some(fake) = &self.fake else {
            return Vec::new();
        };
        let mut addresses: Vec<IpAddr> = Vec::new();
        let supplied = fake.ns.iter().filter(|ns| ns.name.eq_ignore_root(name));
        for address in supplied.flat_map(|ns| ns.addresses.iter().copied()) {
            if !addresses.contains(&address) {
                addresses.push(address);
            }
        }
        addresses
    }
}

/// Distinct names of a list, sorted.
fn names_of(list: &[NsAddress]) -> Vec<Name> {
    sorted_unique_names(list.iter().map(|ns| ns.name.clone()).collect())
}

/// Distinct addresses of a list, sorted.
fn addresses_of(list: &[NsAddress]) -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = list.iter().filter_map(|ns| ns.address).collect();
    addresses.sort();
    addresses.dedup();
    addresses
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;
    use std::sync::Arc;

    use hickory_proto::rr::{Name, RecordType};

    use super::MethodsV2;
    use crate::dns::Packet;
    use crate::engine::families::IpFamilies;
    use crate::engine::recursor::script::{
        a_record, answer, name, nodata, ns_answer, recursor, referral, soa_record,
    };
    use crate::engine::undelegated::FakeDelegation;

    /// root.test (192.0.2.1) serves `.`, ns.test (.2) serves `test.` and
    /// delegates `child.test.` to ns1.child.test (.3, glue) and
    /// ns.other.test (no glue, in `test.`: .4); both serve the child.
    fn world(server: IpAddr, qname: &Name, rtype: RecordType) -> Option<Packet> {
        let q = qname.to_string();
        let own = |zone: &str, servers: &[(&str, Option<&str>)]| match rtype {
            RecordType::SOA => Some(answer(vec![soa_record(zone)])),
            RecordType::NS => Some(ns_answer(zone, servers)),
            _ => Some(nodata(zone)),
        };
        let child_servers = [
            ("ns1.child.test.", Some("192.0.2.3")),
            ("ns.other.test.", None),
        ];
        match (server.to_string().as_str(), q.as_str()) {
            ("192.0.2.1", ".") => own(".", &[("root.test.", Some("192.0.2.1"))]),
            ("192.0.2.1", _) => Some(referral("test.", &[("ns.test.", Some("192.0.2.2"))])),
            ("192.0.2.2", "test.") => own("test.", &[("ns.test.", Some("192.0.2.2"))]),
            ("192.0.2.2", "ns.other.test.") if rtype == RecordType::A => {
                Some(answer(vec![a_record("ns.other.test.", "192.0.2.4")]))
            }
            ("192.0.2.2", "ns.other.test.") => Some(nodata("test.")),
            ("192.0.2.2", _) if rtype == RecordType::DS => Some(nodata("test.")),
            ("192.0.2.2", _) => Some(referral("child.test.", &child_servers)),
            ("192.0.2.3" | "192.0.2.4", "child.test.") => own("child.test.", &child_servers),
            ("192.0.2.3" | "192.0.2.4", "ns1.child.test.") if rtype == RecordType::A => {
                Some(answer(vec![a_record("ns1.child.test.", "192.0.2.3")]))
            }
            ("192.0.2.3" | "192.0.2.4", _) => Some(nodata("child.test.")),
            _ => None,
        }
    }

    fn rendered<T: ToString, L: AsRef<[T]>>(list: Option<L>) -> Option<Vec<String>> {
        list.map(|list| list.as_ref().iter().map(ToString::to_string).collect())
    }

    fn methods(fake: Option<FakeDelegation>) -> MethodsV2 {
        let (recursor, _) = recursor(IpFamilies::default(), world);
        MethodsV2::new(Arc::new(recursor), name("Child.Test."), fake)
    }

    #[tokio::test]
    async fn a_plain_delegation_gives_all_three_lists() {
        let methods = methods(None);
        let both = Some(vec![
            "ns.other.test/192.0.2.4".to_owned(),
            "ns1.child.test/192.0.2.3".to_owned(),
        ]);
        assert_eq!(
            rendered(methods.parent_ns().await),
            Some(vec!["ns.test/192.0.2.2".to_owned()])
        );
        assert_eq!(rendered(methods.del_ns().await), both);
        assert_eq!(rendered(methods.zone_ns().await), both);
        assert_eq!(rendered(methods.del_ns_names().await).unwrap().len(), 2);
        assert_eq!(methods.parent_ds().await, Some(&[][..]));
    }

    #[tokio::test]
    async fn an_undelegated_test_uses_the_supplied_servers() {
        let mut fake = FakeDelegation::default();
        fake.add_ns(name("ns1.child.test."), Some("192.0.2.3".parse().unwrap()));
        fake.add_ns(name("ns.other.test."), None);
        fake.add_ns(name("ns2.child.test."), None);
        let methods = methods(Some(fake));
        assert_eq!(methods.parent_ns().await, Some(Vec::new()));
        let expected = Some(vec![
            "ns.other.test/192.0.2.4".to_owned(),
            "ns1.child.test/192.0.2.3".to_owned(),
        ]);
        assert_eq!(
            rendered(methods.del_ns().await),
            expected,
            "in-bailiwick name without address dropped"
        );
    }

    #[tokio::test]
    async fn an_unreachable_parent_leaves_everything_undefined() {
        let (recursor, _) = recursor(IpFamilies::default(), |_, _, _| None);
        let methods = MethodsV2::new(Arc::new(recursor), name("child.test."), None);
        assert_eq!(methods.parent_ns().await, None);
        assert_eq!(methods.del_ns().await, None);
        assert_eq!(methods.zone_ns().await, None);
        assert_eq!(methods.parent_ds().await, None);
    }
}
