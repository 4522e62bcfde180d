//! Get-OOB-IPs (spec §1.10): addresses for the out-of-bailiwick names of
//! an NS set, from the supplied data or by resolution.

use crate::dns::chain::{join, join_all};
use hickory_proto::rr::{Name, RecordType};

use super::methods_v2::MethodsV2;
use super::ns_address::{NsAddress, sorted_unique};
use super::query::reply_addresses;
use crate::dns::Rcode;

impl MethodsV2 {
    /// One entry per address of each out-of-bailiwick name in `names`, or
    /// the bare name when none is found; in-bailiwick names are skipped.
    ///
    /// In an undelegated test a name with supplied addresses is not looked
    /// up. Otherwise A and AAAA are resolved from the root and read from
    /// NOERROR replies, following CNAMEs. The names are independent, so
    /// they are looked up at once; the list is sorted.
    pub(super) async fn oob_addresses(&self, names: &[Name]) -> Vec<NsAddress> {
        let out_of_bailiwick = names.iter().filter(|name| !self.is_in_bailiwick(name));
        let found = join_all(out_of_bailiwick.map(|name| self.oob_entries(name))).await;
        sorted_unique(found.into_iter().flatten().collect())
    }

    /// The entries of one out-of-bailiwick name: one per address, or the
    /// bare name.
    async fn oob_entries(&self, name: &Name) -> Vec<NsAddress> {
        let mut addresses = if self.is_undelegated() {
            self.fake_addresses(name)
        } else {
            Vec::new()
        };
        if addresses.is_empty() {
            addresses = self.resolved_addresses(name).await;
        }
        if addresses.is_empty() {
            return vec![NsAddress::bare(name)];
        }
        addresses
            .into_iter()
            .map(|address| NsAddress::new(name, address))
            .collect()
    }

    /// A and AAAA of `name` from the root (both at once: the reference asks
    /// both whatever A says), CNAMEs followed.
    async fn resolved_addresses(&self, name: &Name) -> Vec<std::net::IpAddr> {
        let (a, aaaa) = join(
            self.recursor.recurse(name, RecordType::A),
            self.recursor.recurse(name, RecordType::AAAA),
        )
        .await;
        let mut addresses = Vec::new();
        for (resolution, rtype) in [(a, RecordType::A), (aaaa, RecordType::AAAA)] {
            if let Some(packet) = resolution.packet()
                && packet.rcode == Rcode::NOERROR
            {
                addresses.extend(reply_addresses(packet, name, rtype));
            }
        }
        addresses
    }
}
