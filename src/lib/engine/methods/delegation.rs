//! Get-Delegation and Get-Del-NS-Names-and-IPs (spec §1.10): the child's
//! NS set as its parent publishes it.
//!
//! Every parent server is asked NS for the child. A referral is the normal
//! delegation; an authoritative NS answer (the parent also serves the
//! child) is used only when no server gave a referral. Glue is kept only
//! for in-bailiwick names; out-of-bailiwick names get their addresses from
//! resolution (Get-OOB-IPs).

use std::net::IpAddr;

use crate::dns::chain::join_all;
use hickory_proto::rr::{Name, Record, RecordType};

use super::methods_v2::MethodsV2;
use super::ns_address::{NsAddress, sorted_unique};
use super::query::{addresses_owned_by, ns_targets};
use crate::dns::{Classification, Rcode};

/// Name server names in first-seen order, each with the addresses found.
#[derive(Debug, Default)]
struct NsSet(Vec<(Name, Vec<IpAddr>)>);

impl NsSet {
    fn add_name(&mut self, name: Name) {
        if !self.contains(&name) {
            self.0.push((name, Vec::new()));
        }
    }

    fn contains(&self, name: &Name) -> bool {
        self.0.iter().any(|(known, _)| known.eq_ignore_root(name))
    }

    fn add_address(&mut self, name: &Name, address: IpAddr) {
        if let Some((_, addresses)) = self
            .0
            .iter_mut()
            .find(|(known, _)| known.eq_ignore_root(name))
            && !addresses.contains(&address)
        {
            addresses.push(address);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One entry per address; a name without addresses stays bare.
    fn into_list(self) -> Vec<NsAddress> {
        let entries = self.0.into_iter().flat_map(|(name, addresses)| {
            if addresses.is_empty() {
                vec![NsAddress::bare(&name)]
            } else {
                addresses
                    .into_iter()
                    .map(|address| NsAddress::new(&name, address))
                    .collect()
            }
        });
        sorted_unique(entries.collect())
    }
}

impl MethodsV2 {
    /// Get-Del-NS-Names-and-IPs: the delegation with addresses for the
    /// out-of-bailiwick names.
    ///
    /// Quirk kept from the reference: an in-bailiwick name without glue is
    /// dropped, not listed bare.
    pub(super) async fn compute_del_ns(&self) -> Option<Vec<NsAddress>> {
        let delegation = self.delegation().await?;
        let (with_address, bare): (Vec<&NsAddress>, Vec<&NsAddress>) =
            delegation.iter().partition(|ns| ns.address.is_some());
        let bare_names: Vec<Name> = bare.into_iter().map(|ns| ns.name.clone()).collect();
        let mut list: Vec<NsAddress> = with_address.into_iter().cloned().collect();
        list.extend(self.oob_addresses(&bare_names).await);
        Some(sorted_unique(list))
    }

    /// Get-Delegation: supplied data, the root hints, or what the parent
    /// servers say; `None` when the parent is undetermined.
    pub(super) async fn compute_delegation(&self) -> Option<Vec<NsAddress>> {
        if self.is_undelegated() {
            return Some(self.supplied_delegation());
        }
        if self.zone.is_root() {
            let hints = self.recursor.root_servers();
            return Some(sorted_unique(hints.iter().map(NsAddress::from).collect()));
        }
        let parents = self.parent_servers_by_address().await?;
        // Every parent server is asked, so all are asked at once; the
        // replies are read in the servers' order, which decides the order
        // of the names (and which glue is met first).
        let replies = join_all(
            parents
                .iter()
                .map(|parent| self.ask(parent.address, &self.zone, RecordType::NS)),
        )
        .await;
        let mut referral = NsSet::default();
        let mut authoritative = NsSet::default();
        for reply in replies {
            let Some(reply) = reply else {
                continue;
            };
            if reply.rcode != Rcode::NOERROR {
                continue;
            }
            if reply.classify() == Classification::Referral {
                self.collect(&mut referral, &reply.authority, &reply.additional);
            } else if reply.aa && !ns_targets(&reply.answer, &self.zone).is_empty() {
                self.collect(&mut authoritative, &reply.answer, &reply.additional);
            }
        }
        let chosen = if referral.is_empty() {
            authoritative
        } else {
            referral
        };
        Some(chosen.into_list())
    }

    /// Adds the child's NS targets in `section` and the in-bailiwick glue
    /// for names already in `set`.
    fn collect(&self, set: &mut NsSet, section: &[Record], additional: &[Record]) {
        for name in ns_targets(section, &self.zone) {
            set.add_name(name);
        }
        let glue_owners: Vec<Name> = additional
            .iter()
            .map(|record| record.name.to_lowercase())
            .filter(|owner| self.is_in_bailiwick(owner) && set.contains(owner))
            .collect();
        for owner in glue_owners {
            for address in addresses_owned_by(additional, &owner) {
                set.add_address(&owner, address);
            }
        }
    }

    /// The supplied NS set: in-bailiwick names with their supplied
    /// addresses (dropped when they have none), other names bare.
    fn supplied_delegation(&self) -> Vec<NsAddress> {
        let Some(fake) = &self.fake else {
            return Vec::new();
        };
        let mut list = Vec::new();
        for ns in &fake.ns {
            if self.is_in_bailiwick(&ns.name) {
                list.extend(
                    ns.addresses
                        .iter()
                        .map(|&address| NsAddress::new(&ns.name, address)),
                );
            } else {
                list.push(NsAddress::bare(&ns.name));
            }
        }
        sorted_unique(list)
    }
}
