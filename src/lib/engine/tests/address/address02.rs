//! ADDRESS02: a reverse DNS entry exists for every name server address
//! (engine spec §3.2): each address of the delegation's and the child's
//! servers (Method4 ∪ Method5) is looked up once, a CNAME answer followed
//! once (classless delegation, RFC 2317).

use super::shared::{Cname, one_per_address, report_no_reverse, reverse_of_each};
use crate::engine::tags::address as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn address02(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.all_servers().await;
    let servers = one_per_address(&servers);
    let found = reverse_of_each(ctx, &servers, Cname::Follow).await;
    let mut problems = false;
    for (server, reverse) in servers.iter().zip(found) {
        problems |= report_no_reverse(report, server, &reverse);
    }
    if !servers.is_empty() && !problems {
        report.emit(&tag::NAMESERVERS_IP_WITH_REVERSE, args![]);
    }
}
