//! CONNECTIVITY04: the name servers are not all in one IP prefix (engine
//! spec §3.3), judged per IP family. Servers come from MethodsV2: the
//! delegation's (Get-Del-NS-Names-and-IPs) then the zone's own
//! (Get-Zone-NS-Names-and-IPs), each address once, with the first server
//! seen for it.

use std::collections::BTreeMap;

use super::shared::{look_up, report_sources};
use crate::engine::asn::{AsnOutcome, IpPrefix};
use crate::engine::tags::Tag;
use crate::engine::tags::connectivity as tag;
use crate::engine::tests::prelude::*;

/// The verdict tags of one family.
struct FamilyTags {
    same: &'static Tag,
    different: &'static Tag,
    single: &'static Tag,
}

const IPV4: FamilyTags = FamilyTags {
    same: &tag::CN04_IPV4_SAME_PREFIX,
    different: &tag::CN04_IPV4_DIFFERENT_PREFIX,
    single: &tag::CN04_IPV4_SINGLE_PREFIX,
};

const IPV6: FamilyTags = FamilyTags {
    same: &tag::CN04_IPV6_SAME_PREFIX,
    different: &tag::CN04_IPV6_DIFFERENT_PREFIX,
    single: &tag::CN04_IPV6_SINGLE_PREFIX,
};

/// One family's servers: how many were looked up, and the found ones by
/// prefix.
#[derive(Default)]
struct Family {
    looked_up: usize,
    by_prefix: BTreeMap<IpPrefix, Vec<Ns>>,
}

/// The test case.
pub async fn connectivity04(ctx: &Context, report: &mut Report) {
    let servers = methods_v2_servers(ctx).await;
    let addresses: Vec<IpAddr> = servers.iter().map(|server| server.address).collect();
    let mut ipv4 = Family::default();
    let mut ipv6 = Family::default();
    for (server, (address, lookup)) in servers.iter().zip(look_up(ctx, &addresses).await) {
        report_sources(report, &lookup);
        let family = if address.is_ipv4() {
            &mut ipv4
        } else {
            &mut ipv6
        };
        family.looked_up += 1;
        match &lookup.outcome {
            AsnOutcome::Found(info) => {
                report.emit(
                    &tag::CN04_ASN_INFOS_RAW,
                    args![ns_ip = address, data = info.raw],
                );
                report.emit(
                    &tag::CN04_ASN_INFOS_ANNOUNCE_IN,
                    args![ns_ip = address, prefix = info.prefix.to_string()],
                );
                family
                    .by_prefix
                    .entry(info.prefix)
                    .or_default()
                    .push(server.clone());
            }
            AsnOutcome::Empty => {
                report.emit(&tag::CN04_EMPTY_PREFIX_SET, args![ns_ip = address]);
            }
            AsnOutcome::DatabaseError => {
                report.emit(&tag::CN04_ERROR_PREFIX_DATABASE, args![ns_ip = address]);
            }
        }
    }
    judge_family(report, &ipv4, &IPV4);
    judge_family(report, &ipv6, &IPV6);
}

/// Each prefix shared by several servers; the servers alone in theirs,
/// together; and whether one prefix holds every server looked up.
fn judge_family(report: &mut Report, family: &Family, tags: &FamilyTags) {
    let mut alone: Vec<&Ns> = Vec::new();
    for (prefix, servers) in &family.by_prefix {
        match servers.as_slice() {
            [server] => alone.push(server),
            _ => report.emit(
                tags.same,
                args![ip_prefix = prefix.to_string(), ns_list = ns_list(servers)],
            ),
        }
    }
    if !alone.is_empty() {
        report.emit(tags.different, args![ns_list = ns_list(alone)]);
    }
    let mut prefixes = family.by_prefix.values();
    if let (Some(servers), None) = (prefixes.next(), prefixes.next())
        && servers.len() == family.looked_up
    {
        report.emit(tags.single, args![]);
    }
}
