//! DNSSEC10: a signed zone proves non-existence with NSEC or with NSEC3,
//! the same way on every server, with correct and validly signed records
//! (engine spec §3.6).
//!
//! The servers are MethodsV2's delegation and zone servers; each address
//! is asked once and what it shows is said of every name it serves under.
//! A server that gives the DNSKEY RRset authoritatively is then probed
//! twice at the apex, with DO:
//!
//! - NSEC: a zone with NSEC answers with its apex NSEC; a zone with NSEC3
//!   answers NODATA with the apex's NSEC3 in the authority section.
//! - NSEC3PARAM: the mirror image; NSEC3 answers with the NSEC3PARAM, NSEC
//!   with NODATA and the apex NSEC.
//!
//! The NODATA proofs are checked in full (SOA, one record, the apex's
//! owner or hash, the type bitmap, the signatures verified with the DNSKEY
//! RRset the server gave); the answers only for count and owner. The
//! verdicts then compare what each server showed.

mod findings;
mod probe;
mod verdicts;

use std::collections::BTreeMap;

use findings::Findings;
use probe::{NSEC, NSEC3, Probe};
use verdicts::Verdicts;

use super::shared::{Key, dnssec_query, is_aa_noerror, keys_in};
use crate::engine::tests::prelude::*;

#[cfg(test)]
pub(super) use probe::{Checked, has_apex_types, is_apex_hash, is_expired, is_not_yet_valid};
#[cfg(test)]
pub(super) use probe::{NSEC as NSEC_KIND, NSEC3 as NSEC3_KIND, verify_with_each};

/// The test case.
pub async fn dnssec10(ctx: &Context, report: &mut Report) {
    let servers = all_servers(ctx).await;
    let asked_servers = one_per_address(&servers);
    let dnskey = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &asked_servers, &dnskey).await;
    let mut findings = Findings::default();
    let mut keys: BTreeMap<IpAddr, Vec<Key>> = BTreeMap::new();
    for (server, packet) in asked.replies() {
        if !is_aa_noerror(&packet) {
            continue;
        }
        if Packet::records(&packet.answer, &ctx.zone, RecordType::DNSKEY)
            .next()
            .is_none()
        {
            findings.without_dnskey.insert(server.address);
        } else {
            findings.with_dnskey.insert(server.address);
            keys.insert(server.address, keys_in(&packet.answer, &ctx.zone));
        }
    }
    // A server of a disabled family is named again for both probes, as
    // the reference does; it is not asked.
    let probed: Vec<Ns> = asked_servers
        .iter()
        .filter(|server| {
            findings.with_dnskey.contains(&server.address) || !ctx.families.allows(server.address)
        })
        .cloned()
        .collect();
    let nsec = dnssec_query(&ctx.zone, RecordType::NSEC);
    let nsec3param = dnssec_query(&ctx.zone, RecordType::NSEC3PARAM);
    let probes = ctx
        .ask_each_of(report, &[(&probed, nsec), (&probed, nsec3param)])
        .await;
    let no_keys = Vec::new();
    if let [nsec_probe, nsec3param_probe] = probes.as_slice() {
        let Findings {
            nsec_answer,
            nsec3param_answer,
            nsec_proof,
            nsec3_proof,
            algorithm_not_supported,
            ..
        } = &mut findings;
        let probe = |server: &Ns| Probe {
            ctx,
            keys: keys.get(&server.address).unwrap_or(&no_keys),
            address: server.address,
        };
        for (server, outcome) in nsec_probe.outcomes() {
            probe(server).judge(
                outcome,
                RecordType::NSEC,
                NSEC3,
                nsec_answer,
                nsec3_proof,
                algorithm_not_supported,
            );
        }
        for (server, outcome) in nsec3param_probe.outcomes() {
            probe(server).judge(
                outcome,
                RecordType::NSEC3PARAM,
                NSEC,
                nsec3param_answer,
                nsec_proof,
                algorithm_not_supported,
            );
        }
    }
    Verdicts {
        ctx,
        servers: &servers,
        findings: &findings,
    }
    .emit(report);
}

/// MethodsV2's delegation and zone servers with an address, each
/// `name/address` once, in the order found.
async fn all_servers(ctx: &Context) -> Vec<Ns> {
    let (delegation, zone) =
        crate::dns::chain::join(ctx.methods.del_ns(), ctx.methods.zone_ns()).await;
    let mut servers: Vec<Ns> = Vec::new();
    for entry in delegation
        .unwrap_or_default()
        .iter()
        .chain(zone.unwrap_or_default())
    {
        let Some(address) = entry.address else {
            continue;
        };
        let server = Ns {
            name: entry.name.clone(),
            address,
        };
        if !servers.contains(&server) {
            servers.push(server);
        }
    }
    servers
}
