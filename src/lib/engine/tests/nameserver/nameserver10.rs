//! NAMESERVER10: an unknown EDNS version gets BADVERS (engine spec §3.7,
//! RFC 6891 §6.1.3). Servers answering NOERROR to the EDNS0 SOA probe
//! are asked again with EDNS version 1; the expected reply is a NOERROR
//! header with extended RCODE BADVERS, OPT version 0 and no answer.
//!
//! Quirk fixed (spec §3.7): the reference puts the version-0 reply's
//! RCODE (always NOERROR) in `N10_UNEXPECTED_RCODE`'s `rcode`; we give
//! the RCODE of the version-1 reply, the one that is unexpected.

use std::collections::BTreeMap;

use super::shared::{edns0, ns_ip_list, servers, soa_with};
use crate::dns::Edns;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver10(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let asked = ctx
        .ask_each(report, &servers, &soa_with(ctx, edns0()))
        .await;
    let noerror: Vec<Ns> = asked
        .replies()
        .filter(|(_, packet)| packet.rcode == Rcode::NOERROR)
        .map(|(server, _)| server.clone())
        .collect();
    let version1 = Edns {
        version: 1,
        ..edns0()
    };
    let asked = ctx
        .ask_each(report, &noerror, &soa_with(ctx, version1))
        .await;
    let mut silent = Vec::new();
    let mut unexpected: BTreeMap<String, Vec<&Ns>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            silent.push(server);
            continue;
        };
        if packet.rcode == Rcode::BADVERS {
            let version = packet.opt.as_ref().map_or(0, |opt| opt.version);
            if version != 0 || !packet.answer.is_empty() {
                wrong.push(server);
            }
        } else if packet.rcode.0 & 0x0f != 0 {
            unexpected
                .entry(packet.rcode.mnemonic())
                .or_default()
                .push(server);
        } else {
            wrong.push(server);
        }
    }
    if !silent.is_empty() {
        report.emit(
            &tag::N10_NO_RESPONSE_EDNS1_QUERY,
            args![ns_ip_list = ns_ip_list(silent)],
        );
    }
    for (rcode, servers) in unexpected {
        report.emit(
            &tag::N10_UNEXPECTED_RCODE,
            args![rcode = rcode, ns_ip_list = ns_ip_list(servers)],
        );
    }
    if !wrong.is_empty() {
        report.emit(
            &tag::N10_EDNS_RESPONSE_ERROR,
            args![ns_ip_list = ns_ip_list(wrong)],
        );
    }
}
