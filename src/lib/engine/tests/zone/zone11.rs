//! ZONE11: the zone publishes one SPF policy, the same on every server,
//! and it follows the record syntax of RFC 7208 (engine spec §3.9).
//!
//! The servers are MethodsV2's delegation and zone servers, each address
//! asked once; only authoritative NOERROR replies count. A TXT record's
//! strings are joined without a separator (RFC 7208 §3.3) and compared
//! in lower case.

use std::collections::{BTreeMap, BTreeSet};

use super::shared::{is_non_mail_domain, records_anywhere};
use super::spf;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The SPF policies one server publishes, sorted.
type Policies = Vec<Vec<u8>>;

/// The test case.
pub async fn zone11(ctx: &Context, report: &mut Report) {
    let servers = spf_servers(ctx).await;
    let asked_servers = one_per_address(&servers);
    let query = Query::new(ctx.zone.clone(), RecordType::TXT);
    let asked = ctx.ask_each(report, &asked_servers, &query).await;
    // Per address that answered with authority: its policies.
    let by_address: BTreeMap<IpAddr, Policies> = asked
        .replies()
        .filter(|(_, packet)| packet.rcode == Rcode::NOERROR && packet.aa)
        .map(|(ns, packet)| (ns.address, policies_in(ctx, &packet)))
        .collect();
    let mut by_policies: BTreeMap<&Policies, Vec<IpAddr>> = BTreeMap::new();
    for (address, policies) in &by_address {
        by_policies.entry(policies).or_default().push(*address);
    }
    if by_address.is_empty() {
        report.emit(&tag::Z11_UNABLE_TO_CHECK_FOR_SPF, args![]);
    } else if by_policies.keys().all(|policies| policies.is_empty()) {
        if is_non_mail_domain(&ctx.zone) {
            report.emit(&tag::Z11_NO_SPF_NON_MAIL_DOMAIN, args![]);
        } else {
            report.emit(&tag::Z11_NO_SPF_FOUND, args![domain = ctx.zone]);
        }
    } else if by_policies.len() > 1 {
        report.emit(&tag::Z11_INCONSISTENT_SPF_POLICIES, args![]);
        for addresses in by_policies.values() {
            report.emit(
                &tag::Z11_DIFFERENT_SPF_POLICIES_FOUND,
                args![ns_list = servers_at(&servers, addresses)],
            );
        }
    } else if let Some((policies, addresses)) = by_policies.iter().next() {
        match policies.as_slice() {
            [policy] => judge_policy(ctx, report, policy, &servers_at(&servers, addresses)),
            _ => report.emit(
                &tag::Z11_SPF_MULTIPLE_RECORDS,
                args![ns_list = servers_at(&servers, addresses)],
            ),
        }
    }
}

/// One policy everywhere: its syntax, and for a zone that takes no mail
/// whether it says so.
fn judge_policy(ctx: &Context, report: &mut Report, policy: &[u8], servers: &str) {
    if spf::parse(policy).is_err() {
        report.emit(
            &tag::Z11_SPF_SYNTAX_ERROR,
            args![domain = ctx.zone, ns_list = servers],
        );
    } else if !is_non_mail_domain(&ctx.zone) {
        report.emit(&tag::Z11_SPF_SYNTAX_OK, args![domain = ctx.zone]);
    } else if spf::is_null_policy(policy) {
        report.emit(&tag::Z11_NULL_SPF_NON_MAIL_DOMAIN, args![domain = ctx.zone]);
    } else {
        report.emit(
            &tag::Z11_NON_NULL_SPF_NON_MAIL_DOMAIN,
            args![domain = ctx.zone],
        );
    }
}

/// Every server (each name) at one of `addresses`, as an `ns_list`.
fn servers_at(servers: &[Ns], addresses: &[IpAddr]) -> String {
    ns_list(
        servers
            .iter()
            .filter(|server| addresses.contains(&server.address)),
    )
}

/// MethodsV2 delegation and zone servers that have an address, each
/// `name/ip` once, sorted.
async fn spf_servers(ctx: &Context) -> Vec<Ns> {
    let (delegation, zone) =
        crate::dns::chain::join(ctx.methods.del_ns(), ctx.methods.zone_ns()).await;
    let servers: BTreeSet<Ns> = delegation
        .unwrap_or_default()
        .iter()
        .chain(zone.unwrap_or_default())
        .filter_map(|server| {
            Some(Ns {
                name: server.name.clone(),
                address: server.address?,
            })
        })
        .collect();
    servers.into_iter().collect()
}

/// The SPF policies among the zone's TXT records in `packet`, lower-case,
/// sorted.
fn policies_in(ctx: &Context, packet: &Packet) -> Policies {
    let mut policies: Policies = records_anywhere(packet, &ctx.zone, RecordType::TXT)
        .filter_map(|record| match &record.data {
            RData::TXT(txt) => Some(txt.txt_data.concat().to_ascii_lowercase()),
            _ => None,
        })
        .filter(|text| spf::is_policy(text))
        .collect();
    policies.sort();
    policies
}
