//! ADDRESS01: name server addresses must be globally reachable (engine
//! spec §3.2): every address of the delegation's and the zone's own
//! servers is looked up in the IANA special-purpose registries.

use super::registry::{Reachability, classify};
use crate::engine::methods::NsAddress;
use crate::engine::tags::address as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn address01(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    if servers.is_empty() {
        report.emit(&tag::A01_NO_NAME_SERVERS_FOUND, args![]);
        return;
    }
    let of = |class: Reachability| {
        ns_list(
            servers
                .iter()
                .filter(|server| classify(server.address) == class),
        )
    };
    let reachable = of(Reachability::Reachable);
    if reachable.is_empty() {
        report.emit(&tag::A01_NO_GLOBALLY_REACHABLE_ADDR, args![]);
    } else {
        report.emit(
            &tag::A01_GLOBALLY_REACHABLE_ADDR,
            args![ns_list = reachable],
        );
    }
    for (class, found) in [
        (Reachability::Documentation, &tag::A01_DOCUMENTATION_ADDR),
        (Reachability::LocalUse, &tag::A01_LOCAL_USE_ADDR),
        (
            Reachability::NotGloballyReachable,
            &tag::A01_ADDR_NOT_GLOBALLY_REACHABLE,
        ),
    ] {
        let list = of(class);
        if !list.is_empty() {
            report.emit(found, args![ns_list = list]);
        }
    }
}

/// The servers with an address among Get-Del-NS-Names-and-IPs and
/// Get-Zone-NS-Names-and-IPs (spec §1.10), each `name/address` once.
async fn servers(ctx: &Context) -> Vec<Ns> {
    let (delegation, zone) =
        crate::dns::chain::join(ctx.methods.del_ns(), ctx.methods.zone_ns()).await;
    let listed = delegation.into_iter().chain(zone).flatten();
    let mut servers: Vec<Ns> = listed.filter_map(NsAddress::server).collect();
    servers.sort();
    servers.dedup();
    servers
}
