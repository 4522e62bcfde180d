//! Get-Zone-NS-Names, Get-IB-Addr-in-Zone and Get-Zone-NS-Names-and-IPs
//! (spec §1.10): the NS set the child zone itself publishes, with the
//! addresses its own servers give for in-bailiwick names.

use crate::dns::chain::{join, join_all};
use hickory_proto::rr::{Name, RecordType};

use super::methods_v2::MethodsV2;
use super::ns_address::{NsAddress, sorted_unique, sorted_unique_names};
use super::query::{is_authoritative, ns_targets, reply_addresses};
use crate::engine::ns::Ns;

impl MethodsV2 {
    /// Get-Zone-NS-Names: NS asked of every delegation server with an
    /// address; targets from authoritative NOERROR answers.
    pub(super) async fn compute_zone_ns_names(&self) -> Option<Vec<Name>> {
        let delegation = self.del_ns().await?;
        let addresses = delegation.iter().filter_map(|ns| ns.address);
        let replies =
            join_all(addresses.map(|address| self.ask(address, &self.zone, RecordType::NS))).await;
        let names = replies
            .iter()
            .flatten()
            .filter(|reply| is_authoritative(reply))
            .flat_map(|reply| ns_targets(&reply.answer, &self.zone))
            .collect();
        Some(sorted_unique_names(names))
    }

    /// Get-Zone-NS-Names-and-IPs.
    ///
    /// Quirks kept from the reference: an in-bailiwick name is listed bare
    /// only when no in-bailiwick name got an address (otherwise a name
    /// without addresses is dropped); an out-of-bailiwick name is listed
    /// bare when resolution found nothing.
    pub(super) async fn compute_zone_ns(&self) -> Option<Vec<NsAddress>> {
        let names = self.zone_ns_names().await?;
        if names.is_empty() {
            return Some(Vec::new());
        }
        let delegation = self.del_ns().await.unwrap_or_default();
        let (in_zone, out_of_zone) = join(
            self.in_zone_addresses(names, delegation),
            self.oob_addresses(names),
        )
        .await;
        let mut list = Vec::new();
        for name in names {
            let found = if self.is_in_bailiwick(name) {
                &in_zone
            } else {
                &out_of_zone
            };
            if found.is_empty() {
                list.push(NsAddress::bare(name));
            } else {
                list.extend(
                    found
                        .iter()
                        .filter(|ns| ns.name.eq_ignore_root(name))
                        .cloned(),
                );
            }
        }
        Some(sorted_unique(list))
    }

    /// Get-IB-Addr-in-Zone: A and AAAA of each in-bailiwick name, resolved
    /// starting at each delegation server; addresses from authoritative
    /// NOERROR replies, CNAMEs followed. The resolutions are independent,
    /// so they run at once; the list is sorted, so their order is moot.
    async fn in_zone_addresses(&self, names: &[Name], delegation: &[NsAddress]) -> Vec<NsAddress> {
        let servers: Vec<Ns> = delegation
            .iter()
            .filter_map(|ns| {
                Some(Ns {
                    name: ns.name.clone(),
                    address: ns.address?,
                })
            })
            .collect();
        let mut questions = Vec::new();
        for name in names.iter().filter(|name| self.is_in_bailiwick(name)) {
            for server in &servers {
                for rtype in [RecordType::A, RecordType::AAAA] {
                    questions.push((name, server, rtype));
                }
            }
        }
        let found = join_all(
            questions
                .into_iter()
                .map(|(name, server, rtype)| async move {
                    let resolution = self
                        .recursor
                        .recurse_from(name, rtype, std::slice::from_ref(server))
                        .await;
                    let addresses = match resolution.packet() {
                        Some(packet) if is_authoritative(packet) => {
                            reply_addresses(packet, name, rtype)
                        }
                        _ => Vec::new(),
                    };
                    addresses
                        .into_iter()
                        .map(|address| NsAddress::new(name, address))
                        .collect::<Vec<_>>()
                }),
        )
        .await;
        sorted_unique(found.into_iter().flatten().collect())
    }
}
