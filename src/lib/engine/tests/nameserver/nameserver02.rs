//! NAMESERVER02: EDNS0 support (engine spec §3.7). SOA with EDNS
//! version 0; a silent server is asked again without EDNS to tell a
//! server that breaks on EDNS from one that is down.

use super::shared::{edns0, has_findings, servers, soa_with};
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver02(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let asked = ctx
        .ask_each(report, &servers, &soa_with(ctx, edns0()))
        .await;
    let mut silent = Vec::new();
    let mut tested = Vec::new();
    for (server, outcome) in asked.outcomes() {
        tested.push(server.clone());
        let Some(packet) = outcome.packet() else {
            silent.push(server.clone());
            continue;
        };
        let has_soa = packet.answers_of(RecordType::SOA).next().is_some();
        match &packet.opt {
            None if packet.rcode == Rcode::FORMERR => {
                report.emit(&tag::NO_EDNS_SUPPORT, args![ns = server]);
            }
            Some(opt) if packet.rcode == Rcode::NOERROR && has_soa && opt.version == 0 => {}
            None if packet.rcode == Rcode::NOERROR => report.emit(
                &tag::EDNS_RESPONSE_WITHOUT_EDNS,
                args![ns = server, domain = ctx.zone],
            ),
            Some(opt) if packet.rcode.0 & 0x0f == 0 && opt.version != 0 => report.emit(
                &tag::EDNS_VERSION_ERROR,
                args![ns = server, domain = ctx.zone],
            ),
            _ => report.emit(&tag::NS_ERROR, args![ns = server]),
        }
    }
    if !silent.is_empty() {
        let plain = Query::new(ctx.zone.clone(), RecordType::SOA);
        let retried = ctx.ask_each(report, &silent, &plain).await;
        for (server, outcome) in retried.outcomes() {
            let found = if outcome.response().is_some() {
                &tag::BREAKS_ON_EDNS
            } else {
                &tag::NO_RESPONSE
            };
            report.emit(found, args![ns = server, domain = ctx.zone]);
        }
    }
    if !tested.is_empty() && !has_findings(report) {
        report.emit(&tag::EDNS0_SUPPORT, args![ns_list = ns_list(&tested)]);
    }
}
