//! NAMESERVER13: a truncated reply to an EDNS query keeps its OPT record
//! (engine spec §3.7, RFC 6891 §7). SOA over UDP with DO and a 512-octet
//! size, the truncated reply kept as it came (no TCP retry).

use super::shared::{edns0, servers, soa_with};
use crate::dns::Edns;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver13(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let probe = Edns {
        dnssec_ok: true,
        ..edns0()
    };
    let query = soa_with(ctx, probe).keeping_truncated();
    let asked = ctx.ask_each(report, &servers, &query).await;
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::NO_RESPONSE, args![ns = server, domain = ctx.zone]);
            continue;
        };
        let version = packet.opt.as_ref().map_or(0, |opt| opt.version);
        if packet.rcode == Rcode::FORMERR {
            report.emit(&tag::NO_EDNS_SUPPORT, args![ns = server]);
        } else if packet.tc && packet.opt.is_none() {
            report.emit(&tag::MISSING_OPT_IN_TRUNCATED, args![ns = server]);
        } else if !(packet.rcode == Rcode::NOERROR && version == 0) {
            report.emit(&tag::NS_ERROR, args![ns = server]);
        }
    }
}
