//! DELEGATION05: no name server name is a CNAME alias (engine spec §3.5).
//!
//! For each NS name of parent and child (Method2and3): a name inside the
//! zone is asked (A, no recursion) of every server of the zone
//! (Method4and5) at once, and the servers that refer the question away
//! are asked again, at once, with recursion desired; a name outside the
//! zone is resolved from the root, alongside the first round.

use std::collections::BTreeSet;

use crate::dns::chain::join_all;

use crate::dns::Classification;
use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn delegation05(ctx: &Context, report: &mut Report) {
    let mut names: BTreeSet<Name> = ctx
        .zone_v1
        .delegation_names()
        .await
        .iter()
        .cloned()
        .collect();
    names.extend(child_ns_names(ctx, report).await);
    let (inside, outside): (Vec<Name>, Vec<Name>) =
        names.into_iter().partition(|name| ctx.zone.zone_of(name));
    let servers = ctx.zone_v1.all_servers().await;
    let questions: Vec<(&[Ns], Query)> = inside
        .iter()
        .map(|name| (servers.as_slice(), Query::new(name.clone(), RecordType::A)))
        .collect();
    let resolved = join_all(
        outside
            .iter()
            .map(|name| ctx.recursor.recurse(name, RecordType::A)),
    );
    let (asked, resolved) =
        crate::dns::chain::join(ctx.ask_each_of(report, &questions), resolved).await;

    let mut aliases: BTreeSet<&Name> = BTreeSet::new();
    let mut referring: Vec<Vec<Ns>> = Vec::new();
    for (name, answers) in inside.iter().zip(&asked) {
        referring.push(examine(report, name, answers, &mut aliases));
    }
    let again: Vec<(&[Ns], Query)> = inside
        .iter()
        .zip(&referring)
        .filter(|(_, servers)| !servers.is_empty())
        .map(|(name, servers)| {
            (
                servers.as_slice(),
                Query::new(name.clone(), RecordType::A).recursive(),
            )
        })
        .collect();
    let asked_again = ctx.ask_each_of(report, &again).await;
    for ((_, query), answers) in again.iter().zip(&asked_again) {
        let is_alias = answers.replies().any(|(_, packet)| has_cname(&packet));
        if let Some(name) = inside.iter().find(|name| **name == query.name && is_alias) {
            aliases.insert(name);
        }
    }
    for (name, resolution) in outside.iter().zip(&resolved) {
        if resolution.packet().is_some_and(has_cname) {
            aliases.insert(name);
        }
    }

    for name in &aliases {
        report.emit(&tag::NS_IS_CNAME, args![nsname = *name]);
    }
    if aliases.is_empty() {
        report.emit(&tag::NO_NS_CNAME, args![]);
    }
}

/// Reports what each server said about `name`; notes an alias, and
/// returns the servers that gave a referral.
fn examine<'a>(
    report: &mut Report,
    name: &'a Name,
    answers: &Asked,
    aliases: &mut BTreeSet<&'a Name>,
) -> Vec<Ns> {
    let mut referring = Vec::new();
    for (ns, outcome) in answers.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(
                &tag::NO_RESPONSE,
                args![ns = ns, query_name = name, rrtype = RecordType::A],
            );
            continue;
        };
        if packet.rcode != Rcode::NOERROR {
            report.emit(
                &tag::UNEXPECTED_RCODE,
                args![
                    ns = ns,
                    query_name = name,
                    rrtype = RecordType::A,
                    rcode = packet.rcode.mnemonic()
                ],
            );
        } else if has_cname(&packet) {
            aliases.insert(name);
        } else if packet.classify() == Classification::Referral {
            referring.push(ns.clone());
        }
    }
    referring
}

/// True when the answer section holds a CNAME.
fn has_cname(packet: &Packet) -> bool {
    packet.answers_of(RecordType::CNAME).next().is_some()
}
