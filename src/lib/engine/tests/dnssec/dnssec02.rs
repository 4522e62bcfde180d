//! DNSSEC02: every DS record in the delegation points to a DNSKEY of the
//! zone that is a zone key, a secure entry point, and signs the DNSKEY
//! RRset (engine spec §3.6, RFC 4035 §5).
//!
//! The DS set is the union of the DS records in the usable answers
//! (NOERROR, AA, DO echoed) of Method1's parent servers; supplied DS
//! records replace it, and an undelegated test without them has none.
//! Without DS there is nothing to test. Each child server (Method4 and
//! Method5, each address once) is asked for DNSKEY with DO; its answer is
//! usable when NOERROR, AA, DO echoed and holding the zone's DNSKEYs.
//! Signatures are judged at the time of the DNSKEY reply.

use std::collections::{BTreeMap, BTreeSet};

use super::algorithms::algorithm;
use super::shared::{
    DsFields, Key, Timing, child_servers, dnssec_query, ds_fields_in, echoes_do, has_supplied_ds,
    is_aa_noerror, keys_in, parent_servers_v1, rrset, rrsig_tag, rrsigs_over, supplied_ds, timing,
};
use crate::dnssec::verify::{Verdict, is_supported};
use crate::dnssec::{digest, dnskey_wire, verify_rrsig};
use crate::engine::tags::Tag;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// Addresses per key tag, for the per-key messages.
type ByKeytag = BTreeMap<u16, BTreeSet<IpAddr>>;

/// What the child servers showed, per finding.
#[derive(Default)]
struct Findings {
    /// DS key tags without a DNSKEY of that tag.
    no_dnskey_for_ds: ByKeytag,
    /// DS key tags whose digest matches no DNSKEY of that tag.
    no_match_ds_dnskey: ByKeytag,
    /// Key tags of DS-matched DNSKEYs without the ZONE flag.
    not_zone_signing: ByKeytag,
    /// Key tags of DS-matched DNSKEYs without the SEP flag.
    not_sep: ByKeytag,
    /// Key tags of DS-matched DNSKEYs with no valid RRSIG over DNSKEY.
    no_matching_rrsig: ByKeytag,
    /// Key tag and algorithm of DS-matched DNSKEYs we cannot verify.
    algo_not_supported: BTreeMap<(u16, u8), BTreeSet<IpAddr>>,
    /// Key tags of RRSIGs over DNSKEY that do not verify.
    rrsig_not_valid: ByKeytag,
    /// Servers with a usable DNSKEY answer.
    responding: BTreeSet<IpAddr>,
    /// Servers with a DNSKEY a DS points to.
    has_ds_key: BTreeSet<IpAddr>,
    /// Servers with a valid RRSIG over DNSKEY by such a key.
    has_ds_signature: BTreeSet<IpAddr>,
}

/// The test case.
pub async fn dnssec02(ctx: &Context, report: &mut Report) {
    let ds_set = if has_supplied_ds(ctx) || ctx.is_undelegated() {
        supplied_ds(ctx).await.into_iter().collect()
    } else {
        parent_ds(ctx, report).await
    };
    if ds_set.is_empty() {
        return;
    }
    let servers = child_servers(ctx).await;
    let query = dnssec_query(&ctx.zone, RecordType::DNSKEY);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut findings = Findings::default();
    for (server, outcome) in asked.outcomes() {
        let Some(response) = outcome.response() else {
            continue;
        };
        let packet = &response.packet();
        let keys = keys_in(&packet.answer, &ctx.zone);
        if !is_aa_noerror(packet) || !echoes_do(packet) || keys.is_empty() {
            continue;
        }
        let at = ctx.time_of(response);
        findings.take(ctx, server.address, packet, &keys, &ds_set, at);
    }
    findings.report(report);
}

/// The union of the DS records in the usable answers of the parent.
async fn parent_ds(ctx: &Context, report: &mut Report) -> BTreeSet<DsFields> {
    let parents = one_per_address(&parent_servers_v1(ctx).await);
    let query = dnssec_query(&ctx.zone, RecordType::DS);
    let asked = ctx.ask_each(report, &parents, &query).await;
    asked
        .replies()
        .filter(|(_, packet)| is_aa_noerror(packet) && echoes_do(packet))
        .flat_map(|(_, packet)| ds_fields_in(&packet.answer, &ctx.zone))
        .collect()
}

impl Findings {
    /// Files what one server's usable DNSKEY answer shows.
    fn take(
        &mut self,
        ctx: &Context,
        address: IpAddr,
        packet: &Packet,
        keys: &[Key],
        ds_set: &BTreeSet<DsFields>,
        at: std::time::SystemTime,
    ) {
        self.responding.insert(address);
        let mut ds_keys: Vec<&Key> = Vec::new();
        for ds in ds_set {
            let Some(key) = self.key_for(ctx, address, keys, ds) else {
                continue;
            };
            if !key.is_zone_key() {
                add(&mut self.not_zone_signing, key.tag, address);
                continue;
            }
            if !key.is_sep() {
                add(&mut self.not_sep, key.tag, address);
            }
            if !ds_keys.contains(&key) {
                ds_keys.push(key);
            }
            self.has_ds_key.insert(address);
        }
        let dnskeys = rrset(&packet.answer, &ctx.zone, RecordType::DNSKEY);
        let signatures = rrsigs_over(&packet.answer, &ctx.zone, RecordType::DNSKEY);
        for key in ds_keys {
            let mut is_signed = false;
            for rrsig in signatures
                .iter()
                .filter(|rrsig| rrsig_tag(rrsig) == key.tag)
            {
                if !is_supported(key.algorithm()) {
                    self.algo_not_supported
                        .entry((key.tag, key.algorithm()))
                        .or_default()
                        .insert(address);
                    continue;
                }
                let verdict = verify_rrsig(rrsig, &key.dnskey, &dnskeys);
                match verdict {
                    Verdict::Valid if timing(rrsig, at) == Timing::Current => is_signed = true,
                    Verdict::NotSupported(_) => {
                        self.algo_not_supported
                            .entry((key.tag, key.algorithm()))
                            .or_default()
                            .insert(address);
                    }
                    _ => add(&mut self.rrsig_not_valid, rrsig_tag(rrsig), address),
                }
            }
            if is_signed {
                self.has_ds_signature.insert(address);
            } else {
                add(&mut self.no_matching_rrsig, key.tag, address);
            }
        }
    }

    /// The DNSKEY `ds` points to: among the keys with its key tag, the
    /// one its digest matches, else the first (after noting the
    /// mismatch); a digest type we cannot compute is taken on its key
    /// tag alone. `None`, noted, when no key has the tag.
    fn key_for<'k>(
        &mut self,
        ctx: &Context,
        address: IpAddr,
        keys: &'k [Key],
        ds: &DsFields,
    ) -> Option<&'k Key> {
        let candidates: Vec<&Key> = keys.iter().filter(|key| key.tag == ds.key_tag).collect();
        let Some(first) = candidates.first() else {
            add(&mut self.no_dnskey_for_ds, ds.key_tag, address);
            return None;
        };
        if !digest::is_supported(ds.digest_type) {
            return Some(first);
        }
        let matching = candidates.iter().find(|key| {
            key.algorithm() == ds.algorithm
                && digest::ds_digest(ds.digest_type, &ctx.zone, &dnskey_wire(&key.dnskey))
                    .is_ok_and(|digest| digest == ds.digest)
        });
        match matching {
            Some(key) => Some(key),
            None => {
                add(&mut self.no_match_ds_dnskey, ds.key_tag, address);
                Some(first)
            }
        }
    }

    /// Emits what was found.
    fn report(&self, report: &mut Report) {
        let per_keytag: [(&'static Tag, &ByKeytag); 5] = [
            (&tag::DS02_NO_DNSKEY_FOR_DS, &self.no_dnskey_for_ds),
            (&tag::DS02_NO_MATCH_DS_DNSKEY, &self.no_match_ds_dnskey),
            (
                &tag::DS02_DNSKEY_NOT_FOR_ZONE_SIGNING,
                &self.not_zone_signing,
            ),
            (&tag::DS02_DNSKEY_NOT_SEP, &self.not_sep),
            (&tag::DS02_NO_MATCHING_DNSKEY_RRSIG, &self.no_matching_rrsig),
        ];
        for (tag, by_keytag) in per_keytag {
            emit_per_keytag(report, tag, by_keytag);
        }
        for ((keytag, number), addresses) in &self.algo_not_supported {
            report.emit(
                &tag::DS02_ALGO_NOT_SUPPORTED_BY_ZM,
                args![
                    keytag = keytag,
                    algo_num = number,
                    algo_mnemo = algorithm(*number).mnemonic,
                    ns_ip_list = ns_ip_list(addresses)
                ],
            );
        }
        emit_per_keytag(
            report,
            &tag::DS02_RRSIG_NOT_VALID_BY_DNSKEY,
            &self.rrsig_not_valid,
        );
        let without_key: Vec<&IpAddr> = self.responding.difference(&self.has_ds_key).collect();
        let unsigned: Vec<&IpAddr> = self.responding.difference(&self.has_ds_signature).collect();
        if !without_key.is_empty() {
            report.emit(
                &tag::DS02_NO_VALID_DNSKEY_FOR_ANY_DS,
                args![ns_ip_list = ns_ip_list(without_key)],
            );
        } else if !unsigned.is_empty() {
            report.emit(
                &tag::DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS,
                args![ns_ip_list = ns_ip_list(unsigned)],
            );
        }
    }
}

/// Notes `address` under `keytag`.
fn add(by_keytag: &mut ByKeytag, keytag: u16, address: IpAddr) {
    by_keytag.entry(keytag).or_default().insert(address);
}

/// One message per key tag, with its addresses.
fn emit_per_keytag(report: &mut Report, tag: &'static Tag, by_keytag: &ByKeytag) {
    for (keytag, addresses) in by_keytag {
        report.emit(
            tag,
            args![keytag = keytag, ns_ip_list = ns_ip_list(addresses)],
        );
    }
}
