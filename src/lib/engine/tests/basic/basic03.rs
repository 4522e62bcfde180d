//! BASIC03: the "broken but functional" check (engine spec §3.1), run only
//! when no server answered the SOA: do the servers answer for `www`?

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::RecordType;

use super::servers::may_ask;
use crate::args;
use crate::dns::Query;
use crate::engine::context::Context;
use crate::engine::message::Report;
use crate::engine::name::display;
use crate::engine::tags::basic as tag;

/// Entry point for the test-case table.
pub fn run<'a, 'r>(ctx: &'a Context, report: &'a mut Report<'r>) -> BoxFuture<'a, ()> {
    basic03(ctx, report).boxed()
}

async fn basic03(ctx: &Context, report: &mut Report<'_>) {
    let Ok(www) = ctx.zone.prepend_label("www") else {
        return;
    };
    let domain = display(&www);
    let servers = ctx.zone_v1.delegation_servers().await;
    let mut answered = false;
    for server in servers {
        if !may_ask(ctx, report, server, "A") {
            continue;
        }
        let outcome = ctx
            .client
            .query(server.address, &Query::new(www.clone(), RecordType::A))
            .await;
        let Some(packet) = outcome.packet() else {
            continue;
        };
        answered = true;
        let has_a = packet
            .answer
            .iter()
            .any(|r| r.record_type() == RecordType::A && r.name.eq_ignore_root(&www));
        let message = if has_a {
            &tag::HAS_A_RECORDS
        } else {
            &tag::NO_A_RECORDS
        };
        report.emit(
            message,
            args![ns = server.label(), domain = domain.as_str()],
        );
    }
    if !servers.is_empty() && !answered {
        report.emit(&tag::A_QUERY_NO_RESPONSES, args![]);
    }
}
