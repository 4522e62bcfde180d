//! BASIC02: the zone must have at least one working name server
//! (engine spec §3.1): one that answers the zone's SOA authoritatively.

use futures::FutureExt;
use futures::future::{BoxFuture, join_all};
use hickory_proto::rr::RecordType;

use super::servers::{may_ask, ns_list};
use crate::args;
use crate::dns::{Outcome, Query, Rcode};
use crate::engine::context::Context;
use crate::engine::message::Report;
use crate::engine::name::display;
use crate::engine::tags::basic as tag;
use crate::engine::zone::Ns;

/// Entry point for the test-case table.
pub fn run<'a, 'r>(ctx: &'a Context, report: &'a mut Report<'r>) -> BoxFuture<'a, ()> {
    basic02(ctx, report).boxed()
}

/// How one server answered the SOA question.
enum Verdict {
    Works,
    Broken,
    NotAuthoritative,
    NoResponse,
    UnexpectedRcode(Rcode),
}

async fn basic02(ctx: &Context, report: &mut Report<'_>) {
    let domain = display(&ctx.zone);
    let names = ctx.zone_v1.delegation_names().await;
    if names.is_empty() {
        report.emit(&tag::B02_NO_DELEGATION, args![domain = domain]);
        return;
    }
    let mut servers = ctx.zone_v1.delegation_servers().await;
    if servers.is_empty() {
        servers = ctx.zone_v1.glue().await;
    }
    let without_address: Vec<String> = names
        .iter()
        .filter(|name| !servers.iter().any(|server| server.name == **name))
        .map(display)
        .collect();
    let asked: Vec<&Ns> = servers
        .iter()
        .filter(|server| may_ask(ctx, report, server, "SOA"))
        .collect();
    // Different servers are asked at once; the order of the verdicts is
    // still the order of the servers.
    let answers = join_all(asked.iter().map(|server| ask_soa(ctx, server))).await;
    let verdicts: Vec<(Ns, Verdict)> = asked.into_iter().cloned().zip(answers).collect();
    let working: Vec<&Ns> = verdicts
        .iter()
        .filter(|(_, verdict)| matches!(verdict, Verdict::Works))
        .map(|(server, _)| server)
        .collect();
    if !working.is_empty() {
        report.emit(
            &tag::B02_AUTH_RESPONSE_SOA,
            args![domain = domain, ns_list = ns_list(working)],
        );
        return;
    }
    report.emit(&tag::B02_NO_WORKING_NS, args![domain = domain]);
    for (server, verdict) in &verdicts {
        let ns = server.label();
        match verdict {
            Verdict::Works => {}
            Verdict::Broken => report.emit(&tag::B02_NS_BROKEN, args![ns = ns]),
            Verdict::NotAuthoritative => report.emit(&tag::B02_NS_NOT_AUTH, args![ns = ns]),
            Verdict::NoResponse => report.emit(&tag::B02_NS_NO_RESPONSE, args![ns = ns]),
            Verdict::UnexpectedRcode(rcode) => {
                report.emit(
                    &tag::B02_UNEXPECTED_RCODE,
                    args![ns = ns, rcode = rcode.mnemonic()],
                );
            }
        }
    }
    for nsname in without_address {
        report.emit(&tag::B02_NS_NO_IP_ADDR, args![nsname = nsname]);
    }
}

async fn ask_soa(ctx: &Context, server: &Ns) -> Verdict {
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let outcome = ctx.client.query(server.address, &query).await;
    let packet = match outcome.as_ref() {
        Outcome::Response(response) => &response.packet,
        _ => return Verdict::NoResponse,
    };
    if packet.rcode != Rcode::NOERROR {
        return Verdict::UnexpectedRcode(packet.rcode);
    }
    if !packet.aa {
        return Verdict::NotAuthoritative;
    }
    let has_soa = packet
        .answer
        .iter()
        .any(|r| r.record_type() == RecordType::SOA && r.name.eq_ignore_root(&ctx.zone));
    if has_soa {
        Verdict::Works
    } else {
        Verdict::Broken
    }
}
