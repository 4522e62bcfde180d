//! ZONE01: the SOA MNAME names a fully qualified primary server that
//! answers for the zone with the highest serial (engine spec §3.9).
//!
//! Three steps, each all at once: the zone's SOA from every Method4 ∪
//! Method5 server; every MNAME resolved (with Method3 alongside); the SOA
//! from every MNAME address. Lists are sorted and
//! without repeats; each MNAME is judged on its own (the reference lets
//! one resolvable MNAME hide that another does not resolve).

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::dns::chain::join_all;

use super::serial::serial_gt;
use super::shared::records_anywhere;
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone01(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.all_servers().await;
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut localhost = Vec::new();
    let mut dot = Vec::new();
    let mut mnames = BTreeSet::new();
    let mut serials = BTreeSet::new();
    for (ns, packet) in asked.replies() {
        if packet.rcode != Rcode::NOERROR || !packet.aa {
            continue;
        }
        for record in records_anywhere(&packet, &ctx.zone, RecordType::SOA) {
            let RData::SOA(soa) = &record.data else {
                continue;
            };
            let mname = soa.mname.to_lowercase();
            if mname.is_root() {
                dot.push(ns.address);
            } else if display(&mname) == "localhost" {
                localhost.push(ns.address);
            } else {
                mnames.insert(mname);
            }
            serials.insert(soa.serial);
        }
    }
    if !localhost.is_empty() {
        report.emit(
            &tag::Z01_MNAME_IS_LOCALHOST,
            args![ns_ip_list = ns_ip_list(&localhost)],
        );
    }
    if !dot.is_empty() {
        report.emit(&tag::Z01_MNAME_IS_DOT, args![ns_ip_list = ns_ip_list(&dot)]);
    }
    let primaries = primary_servers(ctx, report, &mnames).await;
    let mname_serials = ask_primaries(ctx, report, &primaries).await;
    judge_serials(report, &mname_serials, &serials);
}

/// Each MNAME resolved, with its findings; the servers to ask for the
/// SOA (loopback addresses are reported, not asked).
async fn primary_servers(ctx: &Context, report: &mut Report, mnames: &BTreeSet<Name>) -> Vec<Ns> {
    let resolved = join_all(mnames.iter().map(|mname| ctx.recursor.addresses_for(mname)));
    let (child_names, addresses) =
        crate::dns::chain::join(child_ns_names(ctx, report), resolved).await;
    let mut primaries = Vec::new();
    for (mname, addresses) in mnames.iter().zip(addresses) {
        if !child_names.iter().any(|name| name.eq_ignore_root(mname)) {
            report.emit(&tag::Z01_MNAME_NOT_IN_NS_LIST, args![nsname = mname]);
        }
        if addresses.is_empty() {
            report.emit(&tag::Z01_MNAME_NOT_RESOLVE, args![nsname = mname]);
        }
        let addresses: BTreeSet<IpAddr> = addresses.into_iter().collect();
        for address in addresses {
            if is_localhost(address) {
                report.emit(
                    &tag::Z01_MNAME_HAS_LOCALHOST_ADDR,
                    args![nsname = mname, ns_ip = address],
                );
            } else {
                primaries.push(Ns {
                    name: mname.clone(),
                    address,
                });
            }
        }
    }
    primaries
}

/// The SOA from every MNAME server at once: the serial of each that
/// answers with authority, the others reported.
async fn ask_primaries(ctx: &Context, report: &mut Report, primaries: &[Ns]) -> Vec<MnameSerial> {
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, primaries, &query).await;
    let mut serials = Vec::new();
    for (ns, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::Z01_MNAME_NO_RESPONSE, args![ns = ns]);
            continue;
        };
        let soa = Packet::records(&packet.answer, &ctx.zone, RecordType::SOA).find_map(|record| {
            match &record.data {
                RData::SOA(soa) => Some(soa.serial),
                _ => None,
            }
        });
        match soa {
            _ if packet.rcode != Rcode::NOERROR => report.emit(
                &tag::Z01_MNAME_UNEXPECTED_RCODE,
                args![ns = ns, rcode = packet.rcode.mnemonic()],
            ),
            None => report.emit(&tag::Z01_MNAME_MISSING_SOA_RECORD, args![ns = ns]),
            Some(_) if !packet.aa => {
                report.emit(&tag::Z01_MNAME_NOT_AUTHORITATIVE, args![ns = ns]);
            }
            Some(serial) => serials.push((ns.clone(), serial)),
        }
    }
    serials
}

/// An MNAME server with the serial it gave.
type MnameSerial = (Ns, u32);

/// An MNAME server whose serial is behind (RFC 1982) any serial the
/// zone's servers gave is not the primary.
fn judge_serials(report: &mut Report, mname_serials: &[MnameSerial], serials: &BTreeSet<u32>) {
    if mname_serials.is_empty() {
        return;
    }
    let (behind, masters): (Vec<&MnameSerial>, Vec<&MnameSerial>) = mname_serials
        .iter()
        .partition(|(_, serial)| serials.iter().any(|other| serial_gt(*other, *serial)));
    if let Some(highest) = behind.iter().map(|(_, serial)| *serial).max() {
        let serial_list: Vec<String> = serials.iter().map(ToString::to_string).collect();
        report.emit(
            &tag::Z01_MNAME_NOT_MASTER,
            args![
                ns_list = ns_list(behind.iter().map(|(ns, _)| ns)),
                soaserial = highest,
                soaserial_list = serial_list.join(";")
            ],
        );
    }
    if !masters.is_empty() {
        report.emit(
            &tag::Z01_MNAME_IS_MASTER,
            args![ns_list = ns_list(masters.iter().map(|(ns, _)| ns))],
        );
    }
}

fn is_localhost(address: IpAddr) -> bool {
    address == IpAddr::V4(Ipv4Addr::LOCALHOST) || address == IpAddr::V6(Ipv6Addr::LOCALHOST)
}
