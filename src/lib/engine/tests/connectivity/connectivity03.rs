//! CONNECTIVITY03: the name servers are not all announced by one
//! autonomous system (engine spec §3.3), judged per IP family over the
//! distinct addresses of Method4and5.

use std::collections::BTreeSet;

use super::shared::{comma_joined, look_up, report_sources};
use crate::engine::asn::AsnOutcome;
use crate::engine::tags::Tag;
use crate::engine::tags::connectivity as tag;
use crate::engine::tests::prelude::*;

/// The verdict tags of one family: one AS, one set of several, several.
struct FamilyTags {
    one: &'static Tag,
    same: &'static Tag,
    different: &'static Tag,
}

const IPV4: FamilyTags = FamilyTags {
    one: &tag::IPV4_ONE_ASN,
    same: &tag::IPV4_SAME_ASN,
    different: &tag::IPV4_DIFFERENT_ASN,
};

const IPV6: FamilyTags = FamilyTags {
    one: &tag::IPV6_ONE_ASN,
    same: &tag::IPV6_SAME_ASN,
    different: &tag::IPV6_DIFFERENT_ASN,
};

/// The test case.
pub async fn connectivity03(ctx: &Context, report: &mut Report) {
    let addresses: BTreeSet<IpAddr> = ctx
        .zone_v1
        .all_servers()
        .await
        .iter()
        .map(|server| server.address)
        .collect();
    let addresses: Vec<IpAddr> = addresses.into_iter().collect();
    let mut ipv4: Vec<BTreeSet<u32>> = Vec::new();
    let mut ipv6: Vec<BTreeSet<u32>> = Vec::new();
    for (address, lookup) in look_up(ctx, &addresses).await {
        report_sources(report, &lookup);
        match &lookup.outcome {
            AsnOutcome::Found(info) => {
                report.emit(&tag::ASN_INFOS_RAW, args![ns_ip = address, data = info.raw]);
                report.emit(
                    &tag::ASN_INFOS_ANNOUNCE_BY,
                    args![ns_ip = address, asn = comma_joined(&info.asns)],
                );
                report.emit(
                    &tag::ASN_INFOS_ANNOUNCE_IN,
                    args![ns_ip = address, prefix = info.prefix.to_string()],
                );
                let family = if address.is_ipv4() {
                    &mut ipv4
                } else {
                    &mut ipv6
                };
                family.push(info.asns.iter().copied().collect());
            }
            AsnOutcome::Empty => report.emit(&tag::EMPTY_ASN_SET, args![ns_ip = address]),
            AsnOutcome::DatabaseError => {
                report.emit(&tag::ERROR_ASN_DATABASE, args![ns_ip = address]);
            }
        }
    }
    judge_family(report, &ipv4, &IPV4);
    judge_family(report, &ipv6, &IPV6);
}

/// One AS for every address of the family; else one set of several for
/// every address; else different ASes. Nothing when no address of the
/// family has an AS.
fn judge_family(report: &mut Report, sets: &[BTreeSet<u32>], tags: &FamilyTags) {
    let all: BTreeSet<u32> = sets.iter().flatten().copied().collect();
    let Some(first) = all.first() else {
        return;
    };
    if all.len() == 1 {
        report.emit(tags.one, args![asn = first]);
    } else if sets.iter().all(|set| *set == all) {
        report.emit(tags.same, args![asn_list = comma_joined(&all)]);
    } else {
        report.emit(tags.different, args![asn_list = comma_joined(&all)]);
    }
}
