//! DELEGATION01: the zone has at least two name servers, by name at the
//! parent (Method2) and at the child (Method3), and by names with an IPv4
//! and an IPv6 address among the delegation's (Method4) and the child's
//! (Method5) servers (engine spec §3.5).

use std::collections::BTreeSet;

use super::shared::name_list;
use crate::engine::tags::Tag;
use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The fewest name servers a zone may have.
const MINIMUM: usize = 2;

/// The tags of one address check: enough, not enough, none.
type Verdicts = [&'static Tag; 3];

/// The test case.
pub async fn delegation01(ctx: &Context, report: &mut Report) {
    let parent = ctx.zone_v1.delegation_names().await;
    let (enough, short) = (&tag::ENOUGH_NS_DEL, &tag::NOT_ENOUGH_NS_DEL);
    count_names(report, parent, enough, short);
    let child = child_ns_names(ctx, report).await;
    let (enough, short) = (&tag::ENOUGH_NS_CHILD, &tag::NOT_ENOUGH_NS_CHILD);
    count_names(report, &child, enough, short);

    let child = ctx.zone_v1.child_servers().await;
    let delegation = ctx.zone_v1.delegation_servers().await;
    count_family(report, child, true, CHILD_IPV4);
    count_family(report, child, false, CHILD_IPV6);
    count_family(report, delegation, true, DEL_IPV4);
    count_family(report, delegation, false, DEL_IPV6);
}

const CHILD_IPV4: Verdicts = [
    &tag::ENOUGH_IPV4_NS_CHILD,
    &tag::NOT_ENOUGH_IPV4_NS_CHILD,
    &tag::NO_IPV4_NS_CHILD,
];
const CHILD_IPV6: Verdicts = [
    &tag::ENOUGH_IPV6_NS_CHILD,
    &tag::NOT_ENOUGH_IPV6_NS_CHILD,
    &tag::NO_IPV6_NS_CHILD,
];
const DEL_IPV4: Verdicts = [
    &tag::ENOUGH_IPV4_NS_DEL,
    &tag::NOT_ENOUGH_IPV4_NS_DEL,
    &tag::NO_IPV4_NS_DEL,
];
const DEL_IPV6: Verdicts = [
    &tag::ENOUGH_IPV6_NS_DEL,
    &tag::NOT_ENOUGH_IPV6_NS_DEL,
    &tag::NO_IPV6_NS_DEL,
];

/// Enough names, or not.
fn count_names(report: &mut Report, names: &[Name], enough: &'static Tag, short: &'static Tag) {
    let unique: BTreeSet<&Name> = names.iter().collect();
    let verdict = if unique.len() >= MINIMUM {
        enough
    } else {
        short
    };
    report.emit(
        verdict,
        args![
            count = unique.len(),
            minimum = MINIMUM,
            nsname_list = name_list(unique)
        ],
    );
}

/// Enough names with an address of one family, one, or none.
fn count_family(report: &mut Report, servers: &[Ns], ipv4: bool, verdicts: Verdicts) {
    let of_family: Vec<&Ns> = servers
        .iter()
        .filter(|server| server.address.is_ipv4() == ipv4)
        .collect();
    let count = of_family
        .iter()
        .map(|server| &server.name)
        .collect::<BTreeSet<_>>()
        .len();
    let verdict = match count {
        0 => verdicts[2],
        n if n < MINIMUM => verdicts[1],
        _ => verdicts[0],
    };
    report.emit(
        verdict,
        args![
            count = count,
            minimum = MINIMUM,
            ns_list = ns_list(of_family)
        ],
    );
}
