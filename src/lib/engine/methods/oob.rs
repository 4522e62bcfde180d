//! Get-OOB-IPs (spec §1.10): addresses for the out-of-bailiwick names of
//! an NS set, from the supplied data or by resolution.

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
    /// NOERROR replies, following CNAMEs.
    pub(super) async fn oob_addresses(&self, names: &[Name]) -> Vec<NsAddress> {
        let mut list = Vec::new();
        for name in names.iter().filter(|name| !self.is_in_bailiwick(name)) {
            let mut addresses = if self.is_undelegated() {
                self.fake_addresses(name)
            } else {
                Vec::new()
            };
            if addresses.is_empty() {
                addresses = self.resolved_addresses(name).await;
            }
            if addresses.is_empty() {
                list.push(NsAddress::bare(name));
            }
            list.extend(
                addresses
                    .into_iter()
                    .map(|address| NsAddress::new(name, address)),
            );
        }
        sorted_unique(list)
    }

    /// A and AAAA of `name` from the root, CNAMEs followed.
    async fn resolved_addresses(&self, name: &Name) -> Vec<std::net::IpAddr> {
        let mut addresses = Vec::new();
        for rtype in [RecordType::A, RecordType::AAAA] {
            let resolution = self.recursor.recurse(name, rtype).await;
            if let Some(packet) = resolution.packet()
                && packet.rcode == Rcode::NOERROR
            {
                addresses.extend(reply_addresses(packet, name, rtype));
            }
        }
        addresses
    }
}
