//! CONNECTIVITY01: every name server answers SOA and NS for the zone over
//! UDP (engine spec §3.3). Servers of a family the profile disables are
//! listed first (`CN01_IPV4_DISABLED`, `CN01_IPV6_DISABLED`) and not asked.

use super::transport::{UDP, check_transport};
use crate::engine::tags::connectivity as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn connectivity01(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.all_servers().await;
    let (ipv4, ipv6): (Vec<&Ns>, Vec<&Ns>) = servers
        .iter()
        .filter(|server| !ctx.families.allows(server.address))
        .partition(|server| server.address.is_ipv4());
    if !ipv4.is_empty() {
        report.emit(&tag::CN01_IPV4_DISABLED, args![ns_list = ns_list(ipv4)]);
    }
    if !ipv6.is_empty() {
        report.emit(&tag::CN01_IPV6_DISABLED, args![ns_list = ns_list(ipv6)]);
    }
    check_transport(ctx, report, &servers, &UDP).await;
}
