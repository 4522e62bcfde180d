//! DNSSEC03: the NSEC3 parameters are the recommended ones and the same on
//! every server (engine spec §3.6, RFC 9276).
//!
//! The child servers, each address once, are asked for the DNSKEY RRset;
//! an authoritative NOERROR reply with keys makes a server "with DNSSEC",
//! and only those are asked for NSEC at the apex. The first NSEC3 record
//! in the authority section of that reply gives the server's hash
//! algorithm, flags, iterations and salt. The record is read from its
//! bytes ([`Nsec3Fields`]): an illegal hash algorithm or flag is exactly
//! what hickory-proto refuses to decode.

use std::collections::BTreeMap;

use super::shared::{child_servers, dnssec_query, is_aa_noerror};
use crate::dnssec::denial::Nsec3Fields;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The opt-out flag: bit 7, the least significant (RFC 5155 §3.1.2.1).
const OPT_OUT: u8 = 1;

/// Servers grouped by one NSEC3 parameter's value.
type ByValue<T> = BTreeMap<T, Vec<Ns>>;

/// What the servers' NSEC3 records hold, per parameter.
#[derive(Default)]
struct Parameters {
    hash_algorithms: ByValue<u8>,
    flags: ByValue<u8>,
    iterations: ByValue<u16>,
    salt_lengths: ByValue<usize>,
}

impl Parameters {
    fn add(&mut self, server: &Ns, fields: &Nsec3Fields) {
        let server = server.clone();
        let push = |values: &mut Vec<Ns>| values.push(server.clone());
        push(
            self.hash_algorithms
                .entry(fields.hash_algorithm)
                .or_default(),
        );
        push(self.flags.entry(fields.flags).or_default());
        push(self.iterations.entry(fields.iterations).or_default());
        push(self.salt_lengths.entry(fields.salt.len()).or_default());
    }
}

/// The test case.
pub async fn dnssec03(ctx: &Context, report: &mut Report) {
    let servers = child_servers(ctx).await;
    let dnskey = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &servers, &dnskey).await;
    let mut with_dnskey = Vec::new();
    let mut without_dnskey = Vec::new();
    for (server, packet) in asked.replies() {
        if !is_aa_noerror(&packet) {
            continue;
        }
        if Packet::records(&packet.answer, &ctx.zone, RecordType::DNSKEY)
            .next()
            .is_some()
        {
            with_dnskey.push(server.clone());
        } else {
            without_dnskey.push(server.clone());
        }
    }
    // A server of a disabled family is named again for the NSEC question,
    // as the reference does; it is not asked.
    let probed: Vec<Ns> = servers
        .iter()
        .filter(|server| with_dnskey.contains(server) || !ctx.families.allows(server.address))
        .cloned()
        .collect();
    let nsec = dnssec_query(&ctx.zone, RecordType::NSEC);
    let asked = ctx.ask_each(report, &probed, &nsec).await;
    let mut silent = Vec::new();
    let mut erring = Vec::new();
    let mut with_nsec3 = Vec::new();
    let mut without_nsec3 = Vec::new();
    let mut with_several = Vec::new();
    let mut parameters = Parameters::default();
    for (server, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            silent.push(server);
            continue;
        };
        if !is_aa_noerror(&packet) {
            erring.push(server);
            continue;
        }
        let nsec3: Vec<&Record> = packet
            .authority
            .iter()
            .filter(|record| record.record_type() == RecordType::NSEC3)
            .collect();
        let Some(first) = nsec3.first() else {
            without_nsec3.push(server);
            continue;
        };
        with_nsec3.push(server);
        if nsec3.len() > 1 {
            with_several.push(server);
        }
        if let Some(fields) = Nsec3Fields::of(first) {
            parameters.add(server, &fields);
        }
    }
    report_support(report, &with_dnskey, &without_dnskey);
    report_presence(report, &with_nsec3, &without_nsec3);
    if !with_several.is_empty() {
        report.emit(
            &tag::DS03_ERR_MULT_NSEC3,
            args![ns_list = ns_list(with_several)],
        );
    }
    report_parameters(ctx, report, &parameters);
    if !silent.is_empty() {
        report.emit(
            &tag::DS03_NO_RESPONSE_NSEC_QUERY,
            args![ns_list = ns_list(silent)],
        );
    }
    if !erring.is_empty() {
        report.emit(
            &tag::DS03_ERROR_RESPONSE_NSEC_QUERY,
            args![ns_list = ns_list(erring)],
        );
    }
}

/// No server, or only some servers, with a DNSKEY RRset.
fn report_support(report: &mut Report, with_dnskey: &[Ns], without_dnskey: &[Ns]) {
    if without_dnskey.is_empty() {
        return;
    }
    let servers = args![ns_list = ns_list(without_dnskey)];
    if with_dnskey.is_empty() {
        report.emit(&tag::DS03_NO_DNSSEC_SUPPORT, servers);
    } else {
        report.emit(&tag::DS03_SERVER_NO_DNSSEC_SUPPORT, servers);
    }
}

/// No server, or only some servers, with NSEC3 in the NSEC reply.
fn report_presence(report: &mut Report, with_nsec3: &[&Ns], without_nsec3: &[&Ns]) {
    if without_nsec3.is_empty() {
        return;
    }
    let servers = args![ns_list = ns_list(without_nsec3.iter().copied())];
    if with_nsec3.is_empty() {
        report.emit(&tag::DS03_NO_NSEC3, servers);
    } else {
        report.emit(&tag::DS03_SERVER_NO_NSEC3, servers);
    }
}

/// Each parameter: inconsistent when the servers differ, then a verdict
/// per value with the servers that have it.
fn report_parameters(ctx: &Context, report: &mut Report, parameters: &Parameters) {
    if parameters.hash_algorithms.len() > 1 {
        report.emit(&tag::DS03_INCONSISTENT_HASH_ALGO, args![]);
    }
    for (&algorithm, servers) in &parameters.hash_algorithms {
        if algorithm == 1 {
            report.emit(
                &tag::DS03_LEGAL_HASH_ALGO,
                args![ns_list = ns_list(servers)],
            );
        } else {
            report.emit(
                &tag::DS03_ILLEGAL_HASH_ALGO,
                args![ns_list = ns_list(servers), algo_num = algorithm],
            );
        }
    }
    if parameters.flags.len() > 1 {
        report.emit(&tag::DS03_INCONSISTENT_NSEC3_FLAGS, args![]);
    }
    for (&flags, servers) in &parameters.flags {
        report_flags(ctx, report, flags, &ns_list(servers));
    }
    if parameters.iterations.len() > 1 {
        report.emit(&tag::DS03_INCONSISTENT_ITERATION, args![]);
    }
    for (&iterations, servers) in &parameters.iterations {
        if iterations == 0 {
            report.emit(
                &tag::DS03_LEGAL_ITERATION_VALUE,
                args![ns_list = ns_list(servers)],
            );
        } else {
            report.emit(
                &tag::DS03_ILLEGAL_ITERATION_VALUE,
                args![ns_list = ns_list(servers), int = iterations],
            );
        }
    }
    if parameters.salt_lengths.len() > 1 {
        report.emit(&tag::DS03_INCONSISTENT_SALT_LENGTH, args![]);
    }
    for (&length, servers) in &parameters.salt_lengths {
        // The reference counts hex digits; the specification and we, octets.
        if length == 0 {
            report.emit(
                &tag::DS03_LEGAL_EMPTY_SALT,
                args![ns_list = ns_list(servers)],
            );
        } else {
            report.emit(
                &tag::DS03_ILLEGAL_SALT_LENGTH,
                args![ns_list = ns_list(servers), int = length],
            );
        }
    }
}

/// One flags value: each unassigned bit set (0–6, 0 the most significant),
/// then opt-out, judged by where the zone sits.
fn report_flags(ctx: &Context, report: &mut Report, flags: u8, servers: &str) {
    for bit in 0..7u8 {
        if flags & (0x80 >> bit) != 0 {
            report.emit(
                &tag::DS03_UNASSIGNED_FLAG_USED,
                args![ns_list = servers, int = bit],
            );
        }
    }
    if flags & OPT_OUT == 0 {
        report.emit(&tag::DS03_NSEC3_OPT_OUT_DISABLED, args![ns_list = servers]);
    } else if ctx.zone.num_labels() <= 1 {
        // The root or a top-level domain (no Public Suffix List lookup).
        report.emit(
            &tag::DS03_NSEC3_OPT_OUT_ENABLED_TLD,
            args![ns_list = servers],
        );
    } else {
        report.emit(
            &tag::DS03_NSEC3_OPT_OUT_ENABLED_NON_TLD,
            args![ns_list = servers],
        );
    }
}
