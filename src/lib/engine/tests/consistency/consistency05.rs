//! CONSISTENCY05: the parent's glue agrees with the zone's own address
//! records (engine spec §3.4).
//!
//! Three dependent steps, each one round trip: the zone's NS from the
//! parent (and, at the same time, from the child's servers, for Method3);
//! every address question about those names, to the parent and to the
//! child at once; then the recursive look-ups (referrals the child gave,
//! out-of-bailiwick names), all at once.

use std::collections::BTreeSet;

use crate::dns::chain::join_all;

use crate::dns::Classification;
use crate::engine::tags::consistency as tag;
use crate::engine::tests::prelude::*;

/// The address types asked for each name.
const ADDRESS_TYPES: [RecordType; 2] = [RecordType::A, RecordType::AAAA];

/// The test case.
pub async fn consistency05(ctx: &Context, report: &mut Report) {
    let parents = parent_servers(ctx).await;
    let undelegated = ctx.methods.is_undelegated();
    let ns_query = Query::new(ctx.zone.clone(), RecordType::NS);
    let child_servers = ctx.zone_v1.child_servers().await;
    let asked = ctx
        .ask_each_of(
            report,
            &[(&parents, ns_query.clone()), (child_servers, ns_query)],
        )
        .await;
    let parent_names = ns_names(ctx, &asked[0]);
    let mut names = ctx.zone_v1.delegation_names().await.to_vec();
    names.extend(ns_names(ctx, &asked[1]));
    let in_zone: Vec<Name> = unique(names.into_iter().filter(|name| ctx.zone.zone_of(name)));

    let everyone = ctx.zone_v1.all_servers().await;
    let mut questions: Vec<(&[Ns], Query)> = Vec::new();
    for name in &parent_names {
        for rtype in ADDRESS_TYPES {
            questions.push((&parents, Query::new(name.clone(), rtype)));
        }
    }
    for name in &in_zone {
        for rtype in ADDRESS_TYPES {
            questions.push((&everyone, Query::new(name.clone(), rtype)));
        }
    }
    let asked = ctx.ask_each_of(report, &questions).await;
    let (from_parent, from_child) = asked.split_at(parent_names.len() * ADDRESS_TYPES.len());

    let glue: BTreeSet<Ns> = if undelegated {
        ctx.zone_v1.glue().await.iter().cloned().collect()
    } else {
        parent_addresses(&parent_names, from_parent)
    };
    let Some(child) = child_addresses(report, &in_zone, from_child) else {
        report.emit(&tag::CHILD_ZONE_LAME, args![]);
        return;
    };
    let mut zone_addresses = child.found;
    let followed = join_all(
        child
            .referred
            .iter()
            .map(|query| ctx.recursor.recurse(&query.name, query.rtype)),
    );
    let (strict, extended): (BTreeSet<Ns>, BTreeSet<Ns>) = glue
        .into_iter()
        .partition(|server| ctx.zone.zone_of(&server.name));
    let out_of_zone = unique(extended.iter().map(|server| server.name.clone()));
    let looked_up = join_all(
        out_of_zone
            .iter()
            .map(|name| ctx.recursor.addresses_for(name)),
    );
    let (followed, looked_up) = crate::dns::chain::join(followed, looked_up).await;
    for (query, resolution) in child.referred.iter().zip(&followed) {
        if let Some(packet) = resolution.packet() {
            zone_addresses.extend(addresses_in(&packet.answer, &query.name, query.rtype));
        }
    }

    let mut is_match = true;
    if !strict.is_subset(&zone_addresses) {
        is_match = false;
        report.emit(
            &tag::IN_BAILIWICK_ADDR_MISMATCH,
            args![
                parent_addresses = ns_list(&strict),
                zone_addresses = ns_list(&zone_addresses)
            ],
        );
    }
    let extra: Vec<&Ns> = zone_addresses.difference(&strict).collect();
    if !extra.is_empty() {
        is_match = false;
        report.emit(
            &tag::EXTRA_ADDRESS_CHILD,
            args![ns_ip_list = ns_list(extra)],
        );
    }
    for (name, addresses) in out_of_zone.iter().zip(looked_up) {
        let parent: BTreeSet<&Ns> = extended.iter().filter(|s| &s.name == name).collect();
        let resolved: Vec<Ns> = addresses.into_iter().map(|a| server(name, a)).collect();
        if parent != resolved.iter().collect() {
            is_match = false;
            report.emit(
                &tag::OUT_OF_BAILIWICK_ADDR_MISMATCH,
                args![
                    parent_addresses = ns_list(parent),
                    zone_addresses = ns_list(&resolved)
                ],
            );
        }
    }
    if is_match {
        report.emit(&tag::ADDRESSES_MATCH, args![]);
    }
}

/// The parent zone's servers (none in an undelegated test, where the
/// supplied glue stands in for the parent).
async fn parent_servers(ctx: &Context) -> Vec<Ns> {
    if ctx.methods.is_undelegated() {
        return Vec::new();
    }
    unique(ctx.zone_v1.parent_servers().await.iter().cloned())
}

/// The NS targets for the zone in the replies (answer and authority),
/// lower case, sorted, unique.
fn ns_names(ctx: &Context, asked: &Asked) -> Vec<Name> {
    let mut targets = Vec::new();
    for (_, packet) in asked.replies() {
        let records = [&packet.answer, &packet.authority]
            .into_iter()
            .flat_map(|section| Packet::records(section, &ctx.zone, RecordType::NS));
        targets.extend(records.filter_map(|record| match &record.data {
            RData::NS(ns) => Some(fqdn_lower(&ns.0)),
            _ => None,
        }));
    }
    unique(targets)
}

/// Every address the parent gave for each name (any section): the glue.
/// `asked` holds the A and AAAA questions of each name, in order.
fn parent_addresses(names: &[Name], asked: &[Asked]) -> BTreeSet<Ns> {
    let mut glue = BTreeSet::new();
    for (name, pair) in names.iter().zip(asked.chunks(ADDRESS_TYPES.len())) {
        for (rtype, asked) in ADDRESS_TYPES.iter().zip(pair) {
            for (_, packet) in asked.replies() {
                for section in [&packet.answer, &packet.authority, &packet.additional] {
                    glue.extend(addresses_in(section, name, *rtype));
                }
            }
        }
    }
    glue
}

/// What the child's servers said about the addresses of its in-zone
/// names.
struct ChildAddresses {
    /// Addresses from authoritative answers.
    found: BTreeSet<Ns>,
    /// Questions answered with a referral, to resolve recursively.
    referred: Vec<Query>,
}

/// Reads the child's answers (`asked`: A and AAAA of each name in
/// `names`, in order), naming each silent or unusable server; `None`
/// when, for some name, no server gave a usable answer to either.
fn child_addresses(report: &mut Report, names: &[Name], asked: &[Asked]) -> Option<ChildAddresses> {
    let mut child = ChildAddresses {
        found: BTreeSet::new(),
        referred: Vec::new(),
    };
    let mut is_lame = false;
    for (name, pair) in names.iter().zip(asked.chunks(ADDRESS_TYPES.len())) {
        let mut asked_any = false;
        let mut usable = false;
        for (rtype, asked) in ADDRESS_TYPES.iter().zip(pair) {
            for (ns, outcome) in asked.outcomes() {
                asked_any = true;
                let Some(packet) = outcome.packet() else {
                    report.emit(&tag::NO_RESPONSE, args![ns = ns]);
                    continue;
                };
                if packet.classify() == Classification::Referral {
                    let query = Query::new(name.clone(), *rtype);
                    if !child.referred.contains(&query) {
                        child.referred.push(query);
                    }
                } else if packet.aa && packet.rcode == Rcode::NOERROR {
                    child
                        .found
                        .extend(addresses_in(&packet.answer, name, *rtype));
                } else if !(packet.aa && packet.rcode == Rcode::NXDOMAIN) {
                    report.emit(&tag::CHILD_NS_FAILED, args![ns = ns]);
                    continue;
                }
                usable = true;
            }
        }
        is_lame |= asked_any && !usable;
    }
    (!is_lame).then_some(child)
}

/// The addresses of `rtype` owned by `name` in `section`, as servers.
fn addresses_in(section: &[Record], name: &Name, rtype: RecordType) -> Vec<Ns> {
    Packet::records(section, name, rtype)
        .filter_map(|record| Some(server(name, record.data.ip_addr()?)))
        .collect()
}

/// A server `name/address`, its name lower case and fully qualified so
/// that equal servers compare equal.
fn server(name: &Name, address: IpAddr) -> Ns {
    Ns {
        name: fqdn_lower(name),
        address,
    }
}

fn fqdn_lower(name: &Name) -> Name {
    let mut lower = name.to_lowercase();
    lower.set_fqdn(true);
    lower
}

/// Sorted, without repeats.
fn unique<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let set: BTreeSet<T> = items.into_iter().collect();
    set.into_iter().collect()
}
