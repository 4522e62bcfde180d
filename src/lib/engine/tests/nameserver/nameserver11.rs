//! NAMESERVER11: an unknown EDNS option is ignored (engine spec §3.7,
//! RFC 6891 §6.1.2). Servers that answer the EDNS0 SOA probe properly
//! (OPT, NOERROR, AA, the SOA) are asked again with option code 137
//! (unassigned) and empty data; the reply must be the same good answer
//! without the option echoed. The first deviation found is reported.

use std::collections::BTreeMap;

use super::shared::{edns0, ns_ip_list, servers, soa_with};
use crate::dns::Edns;
use crate::engine::tags::Tag;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// An EDNS option code IANA has not assigned.
const UNKNOWN_OPTION_CODE: u16 = 137;

/// The test case.
pub async fn nameserver11(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let asked = ctx
        .ask_each(report, &servers, &soa_with(ctx, edns0()))
        .await;
    let good: Vec<Ns> = asked
        .replies()
        .filter(|(_, packet)| {
            packet.opt.is_some()
                && packet.rcode == Rcode::NOERROR
                && packet.aa
                && has_soa(ctx, packet)
        })
        .map(|(server, _)| server.clone())
        .collect();
    let probe = Edns {
        options: vec![(UNKNOWN_OPTION_CODE, Vec::new())],
        ..edns0()
    };
    let asked = ctx.ask_each(report, &good, &soa_with(ctx, probe)).await;
    let mut found: Vec<(&'static Tag, Vec<&Ns>)> = [
        &tag::N11_NO_RESPONSE,
        &tag::N11_NO_EDNS,
        &tag::N11_UNEXPECTED_ANSWER_SECTION,
        &tag::N11_UNSET_AA,
        &tag::N11_RETURNS_UNKNOWN_OPTION_CODE,
    ]
    .into_iter()
    .map(|tag| (tag, Vec::new()))
    .collect();
    let mut unexpected: BTreeMap<String, Vec<&Ns>> = BTreeMap::new();
    for (server, outcome) in asked.outcomes() {
        let deviation = match outcome.packet() {
            None => &tag::N11_NO_RESPONSE,
            Some(packet) if packet.rcode != Rcode::NOERROR => {
                unexpected
                    .entry(packet.rcode.mnemonic())
                    .or_default()
                    .push(server);
                continue;
            }
            Some(packet) => match &packet.opt {
                None => &tag::N11_NO_EDNS,
                Some(_) if !has_soa(ctx, &packet) => &tag::N11_UNEXPECTED_ANSWER_SECTION,
                Some(_) if !packet.aa => &tag::N11_UNSET_AA,
                Some(opt)
                    if opt
                        .options
                        .iter()
                        .any(|(code, _)| *code == UNKNOWN_OPTION_CODE) =>
                {
                    &tag::N11_RETURNS_UNKNOWN_OPTION_CODE
                }
                Some(_) => continue,
            },
        };
        if let Some((_, servers)) = found.iter_mut().find(|(tag, _)| *tag == deviation) {
            servers.push(server);
        }
    }
    let (no_response, rest) = found.split_at(1);
    for (tag, servers) in no_response {
        if !servers.is_empty() {
            report.emit(tag, args![ns_ip_list = ns_ip_list(servers.iter().copied())]);
        }
    }
    for (rcode, servers) in unexpected {
        report.emit(
            &tag::N11_UNEXPECTED_RCODE,
            args![rcode = rcode, ns_ip_list = ns_ip_list(servers)],
        );
    }
    for (tag, servers) in rest {
        if !servers.is_empty() {
            report.emit(tag, args![ns_ip_list = ns_ip_list(servers.iter().copied())]);
        }
    }
}

/// The zone's SOA is in the answer section.
fn has_soa(ctx: &Context, packet: &Packet) -> bool {
    Packet::records(&packet.answer, &ctx.zone, RecordType::SOA)
        .next()
        .is_some()
}
