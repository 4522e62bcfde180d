//! DNSSEC18: the chain of trust reaches the CDS and CDNSKEY RRsets — a
//! key the parent's DS points to signs them (engine spec §3.6, RFC 7344
//! §4.1, RFC 8078).
//!
//! The DS set comes from Method1's parent servers (DS with DO; usable
//! when NOERROR and authoritative); supplied DS records replace it, and
//! an undelegated test without them has none. Without DS there is
//! nothing to test. Each child server (Method4 and Method5, each address
//! once) is asked CDS, then CDNSKEY, then DNSKEY, all with DO, the next
//! question only after a usable (NOERROR, AA) answer to the one before.
//! Only key tags are compared: a DS key tag that is a DNSKEY of the
//! server and the key tag of an RRSIG over the RRset. Whether the
//! signatures verify is DNSSEC16's and DNSSEC17's concern.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::shared::{
    child_servers, dnssec_query, ds_fields_in, has_supplied_ds, is_aa_noerror, keys_in,
    parent_servers_v1, rrsig_tag, rrsigs_over, supplied_ds,
};
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// What one child server publishes of one RRset: whether it has any
/// record, and the key tags of the RRSIGs over it.
#[derive(Default)]
struct Published {
    /// The RRset is not empty.
    is_present: bool,
    /// Key tags of the RRSIGs covering it.
    signers: BTreeSet<u16>,
}

/// The test case.
pub async fn dnssec18(ctx: &Context, report: &mut Report) {
    let ds_tags: BTreeSet<u16> = if has_supplied_ds(ctx) || ctx.is_undelegated() {
        supplied_ds(ctx).await.iter().map(|ds| ds.key_tag).collect()
    } else {
        parent_ds_tags(ctx, report).await
    };
    if ds_tags.is_empty() {
        return;
    }
    let servers = child_servers(ctx).await;
    let cds = ask_usable(ctx, report, &servers, RecordType::CDS).await;
    let asked: Vec<Ns> = servers_in(&servers, &cds);
    let cdnskey = ask_usable(ctx, report, &asked, RecordType::CDNSKEY).await;
    let asked: Vec<Ns> = servers_in(&servers, &cdnskey);
    let dnskey = ask_usable(ctx, report, &asked, RecordType::DNSKEY).await;
    let cds = published(ctx, &cds, RecordType::CDS);
    let cdnskey = published(ctx, &cdnskey, RecordType::CDNSKEY);
    let keys: BTreeMap<IpAddr, BTreeSet<u16>> = dnskey
        .iter()
        .map(|(address, packet)| {
            let tags = keys_in(&packet.answer, &ctx.zone)
                .iter()
                .map(|key| key.tag)
                .collect();
            (*address, tags)
        })
        .collect();
    let has_cds = cds.values().any(|rrset| rrset.is_present);
    let has_cdnskey = cdnskey.values().any(|rrset| rrset.is_present);
    let has_dnskey = keys.values().any(|tags| !tags.is_empty());
    if !(has_cds || has_cdnskey) || !has_dnskey {
        return;
    }
    let untrusted_cds = untrusted(&cds, &keys, &ds_tags);
    if !untrusted_cds.is_empty() {
        report.emit(
            &tag::DS18_NO_MATCH_CDS_RRSIG_DS,
            args![ns_ip_list = ns_ip_list(&untrusted_cds)],
        );
    }
    let untrusted_cdnskey = untrusted(&cdnskey, &keys, &ds_tags);
    if !untrusted_cdnskey.is_empty() {
        report.emit(
            &tag::DS18_NO_MATCH_CDNSKEY_RRSIG_DS,
            args![ns_ip_list = ns_ip_list(&untrusted_cdnskey)],
        );
    }
}

/// The key tags of the DS records in the usable answers of the parent.
async fn parent_ds_tags(ctx: &Context, report: &mut Report) -> BTreeSet<u16> {
    let parents = one_per_address(&parent_servers_v1(ctx).await);
    let query = dnssec_query(&ctx.zone, RecordType::DS);
    let asked = ctx.ask_each(report, &parents, &query).await;
    asked
        .replies()
        .filter(|(_, packet)| is_aa_noerror(packet))
        .flat_map(|(_, packet)| ds_fields_in(&packet.answer, &ctx.zone))
        .map(|ds| ds.key_tag)
        .collect()
}

/// Asks `servers` for `rtype` at the zone with DO; the NOERROR,
/// authoritative answers by address.
async fn ask_usable(
    ctx: &Context,
    report: &mut Report,
    servers: &[Ns],
    rtype: RecordType,
) -> BTreeMap<IpAddr, Arc<Packet>> {
    let query = dnssec_query(&ctx.zone, rtype);
    let asked = ctx.ask_each(report, servers, &query).await;
    asked
        .replies()
        .filter(|(_, packet)| is_aa_noerror(packet))
        .map(|(server, packet)| (server.address, packet.clone()))
        .collect()
}

/// The servers among `servers` that gave a usable answer.
fn servers_in(servers: &[Ns], answers: &BTreeMap<IpAddr, Arc<Packet>>) -> Vec<Ns> {
    servers
        .iter()
        .filter(|server| answers.contains_key(&server.address))
        .cloned()
        .collect()
}

/// Per server, what its answer publishes of `rtype` at the zone.
fn published(
    ctx: &Context,
    answers: &BTreeMap<IpAddr, Arc<Packet>>,
    rtype: RecordType,
) -> BTreeMap<IpAddr, Published> {
    answers
        .iter()
        .map(|(address, packet)| {
            let rrset = Published {
                is_present: Packet::records(&packet.answer, &ctx.zone, rtype)
                    .next()
                    .is_some(),
                signers: rrsigs_over(&packet.answer, &ctx.zone, rtype)
                    .iter()
                    .map(rrsig_tag)
                    .collect(),
            };
            (*address, rrset)
        })
        .collect()
}

/// The servers publishing the RRset without an RRSIG over it by a key
/// that both a DS and the server's DNSKEY RRset name.
fn untrusted(
    rrsets: &BTreeMap<IpAddr, Published>,
    keys: &BTreeMap<IpAddr, BTreeSet<u16>>,
    ds_tags: &BTreeSet<u16>,
) -> BTreeSet<IpAddr> {
    rrsets
        .iter()
        .filter(|(_, rrset)| rrset.is_present)
        .filter(|(address, rrset)| {
            let server_keys = keys.get(address);
            !ds_tags.iter().any(|tag| {
                server_keys.is_some_and(|tags| tags.contains(tag)) && rrset.signers.contains(tag)
            })
        })
        .map(|(address, _)| *address)
        .collect()
}
