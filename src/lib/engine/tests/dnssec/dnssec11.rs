//! DNSSEC11: a zone with DS records in its delegation must be signed
//! (engine spec §3.6).
//!
//! First the parent side: Method1's parent servers, each address asked
//! once for DS with DO (TCP when the reply is truncated, the client's
//! fallback). A server that is silent, not NOERROR or not authoritative
//! leaves its DS undetermined. Without DS anywhere there is nothing to
//! test. Supplied DS records stand for the parent's; an undelegated test
//! without them ends here.
//!
//! Then the child side: the child servers (Method4 and Method5, each
//! address once) that answer a plain SOA query authoritatively are asked
//! for DNSKEY without DO; a zone with DS in its delegation must have a
//! DNSKEY on every one of them.

use std::collections::BTreeSet;

use super::shared::{
    authoritative_soa_servers, child_servers, dnssec_query, has_supplied_ds, is_aa_noerror,
    parent_servers_v1,
};
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// Servers sorted into three bins by what one question showed.
#[derive(Default)]
struct Bins {
    /// No usable answer.
    undetermined: BTreeSet<IpAddr>,
    /// A usable answer without the records.
    without: BTreeSet<IpAddr>,
    /// A usable answer with the records.
    with: BTreeSet<IpAddr>,
}

impl Bins {
    /// Sorts each server by whether its reply holds `rtype` at the zone.
    fn of(ctx: &Context, asked: &Asked, rtype: RecordType) -> Self {
        let mut bins = Self::default();
        for (server, outcome) in asked.outcomes() {
            let bin = match outcome.packet() {
                Some(packet) if is_aa_noerror(&packet) => {
                    if Packet::records(&packet.answer, &ctx.zone, rtype)
                        .next()
                        .is_some()
                    {
                        &mut bins.with
                    } else {
                        &mut bins.without
                    }
                }
                _ => &mut bins.undetermined,
            };
            bin.insert(server.address);
        }
        bins
    }
}

/// The test case.
pub async fn dnssec11(ctx: &Context, report: &mut Report) {
    let is_parent_asked = !has_supplied_ds(ctx);
    if is_parent_asked && (ctx.is_undelegated() || !parent_has_ds(ctx, report).await) {
        return;
    }
    let servers = authoritative_child_servers(ctx, report).await;
    let query = Query::new(ctx.zone.clone(), RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let bins = Bins::of(ctx, &asked, RecordType::DNSKEY);
    if bins.with.is_empty() && bins.without.is_empty() {
        if !bins.undetermined.is_empty() {
            report.emit(&tag::DS11_UNDETERMINED_SIGNED_ZONE, args![]);
        }
    } else if bins.with.is_empty() {
        report.emit(&tag::DS11_DS_BUT_UNSIGNED_ZONE, args![]);
    } else if !bins.without.is_empty() {
        report.emit(&tag::DS11_INCONSISTENT_SIGNED_ZONE, args![]);
        report.emit(
            &tag::DS11_NS_WITH_UNSIGNED_ZONE,
            args![ns_ip_list = ns_ip_list(&bins.without)],
        );
        report.emit(
            &tag::DS11_NS_WITH_SIGNED_ZONE,
            args![ns_ip_list = ns_ip_list(&bins.with)],
        );
    }
}

/// Asks the parent for DS; true when the child stage must run: some
/// parent server has DS for the zone (or none could be asked at all).
async fn parent_has_ds(ctx: &Context, report: &mut Report) -> bool {
    let parents = one_per_address(&parent_servers_v1(ctx).await);
    let query = dnssec_query(&ctx.zone, RecordType::DS);
    let asked = ctx.ask_each(report, &parents, &query).await;
    let bins = Bins::of(ctx, &asked, RecordType::DS);
    if bins.with.is_empty() && bins.without.is_empty() {
        if !bins.undetermined.is_empty() {
            report.emit(&tag::DS11_UNDETERMINED_DS, args![]);
            return false;
        }
        return true;
    }
    if bins.with.is_empty() {
        return false;
    }
    if !bins.without.is_empty() {
        report.emit(&tag::DS11_INCONSISTENT_DS, args![]);
        report.emit(
            &tag::DS11_PARENT_WITHOUT_DS,
            args![ns_ip_list = ns_ip_list(&bins.without)],
        );
        report.emit(
            &tag::DS11_PARENT_WITH_DS,
            args![ns_ip_list = ns_ip_list(&bins.with)],
        );
    }
    true
}

/// The child servers that answer a plain SOA query (no EDNS) with AA,
/// NOERROR and the zone's SOA.
async fn authoritative_child_servers(ctx: &Context, report: &mut Report) -> Vec<Ns> {
    let servers = child_servers(ctx).await;
    authoritative_soa_servers(ctx, report, &servers).await
}
