//! ADDRESS03: the reverse DNS of every child server address points back
//! to the server's name (engine spec §3.2): each address of Method5 is
//! looked up once, without following CNAMEs beyond what the recursor does.

use super::shared::{Cname, Reverse, one_per_address, report_no_reverse, reverse_of_each};
use crate::engine::tags::address as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn address03(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.child_servers().await;
    let servers = one_per_address(servers);
    let found = reverse_of_each(ctx, &servers, Cname::Ignore).await;
    let mut problems = false;
    for (server, reverse) in servers.iter().zip(found) {
        match reverse {
            Reverse::NoResponse(_) | Reverse::Missing => {
                report_no_reverse(report, server, &reverse);
            }
            Reverse::Names(names) if names.iter().any(|name| same_host(name, &server.name)) => {
                continue;
            }
            Reverse::Names(names) => {
                let names: Vec<String> = names.iter().map(display).collect();
                report.emit(
                    &tag::NAMESERVER_IP_PTR_MISMATCH,
                    args![
                        nsname = server.name,
                        ns_ip = server.address,
                        names = names.join("/")
                    ],
                );
            }
        }
        problems = true;
    }
    if !servers.is_empty() && !problems {
        report.emit(&tag::NAMESERVER_IP_PTR_MATCH, args![]);
    }
}

/// True when a PTR target names the server: case and the final dot aside.
fn same_host(target: &Name, server: &Name) -> bool {
    display(target) == display(server)
}
