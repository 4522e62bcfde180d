//! NAMESERVER12: unknown EDNS flags are ignored and not echoed (engine
//! spec §3.7, RFC 6891 §6.1.4). SOA with EDNS version 0 and the Z bits
//! set to 3; a good reply is NOERROR, version 0, Z clear, with the SOA.

use super::shared::{edns0, servers, soa_with};
use crate::dns::Edns;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// Unknown EDNS flag bits (after DO) set in the probe.
const UNKNOWN_FLAGS: u16 = 3;

/// The test case.
pub async fn nameserver12(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let probe = Edns {
        z: UNKNOWN_FLAGS,
        ..edns0()
    };
    let asked = ctx.ask_each(report, &servers, &soa_with(ctx, probe)).await;
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::NO_RESPONSE, args![ns = server, domain = ctx.zone]);
            continue;
        };
        let (version, z) = packet
            .opt
            .as_ref()
            .map_or((0, 0), |opt| (opt.version, opt.z));
        let has_soa = packet.answers_of(RecordType::SOA).next().is_some();
        if packet.rcode == Rcode::FORMERR {
            report.emit(&tag::NO_EDNS_SUPPORT, args![ns = server]);
        } else if z != 0 {
            report.emit(&tag::Z_FLAGS_NOTCLEAR, args![ns = server]);
        } else if !(packet.rcode == Rcode::NOERROR && version == 0 && has_soa) {
            report.emit(&tag::NS_ERROR, args![ns = server]);
        }
    }
}
