//! NAMESERVER15: the servers do not reveal their software version
//! (engine spec §3.7). Servers that answer the zone's SOA are asked TXT
//! in class CH for `version.bind` and `version.server`.

use std::collections::BTreeMap;

use hickory_proto::rr::DNSClass;

use super::shared::servers;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The identity queries, in the order they are reported.
const VERSION_NAMES: [&str; 2] = ["version.bind", "version.server"];

/// The test case.
pub async fn nameserver15(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let soa = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, &servers, &soa).await;
    let answering: Vec<Ns> = asked.replies().map(|(server, _)| server.clone()).collect();
    let names: Vec<Name> = VERSION_NAMES
        .iter()
        .filter_map(|text| Name::from_ascii(format!("{text}.")).ok())
        .collect();
    let questions: Vec<(&[Ns], Query)> = names
        .iter()
        .map(|name| {
            let query = Query::new(name.clone(), RecordType::TXT).in_class(DNSClass::CH);
            (answering.as_slice(), query)
        })
        .collect();
    let asked = ctx.ask_each_of(report, &questions).await;
    let mut errors: BTreeMap<&str, Vec<&Ns>> = BTreeMap::new();
    let mut versions: BTreeMap<(String, &str), Vec<&Ns>> = BTreeMap::new();
    let mut wrong_class = Vec::new();
    let mut revealed = Vec::new();
    for ((text, name), per_name) in VERSION_NAMES.iter().zip(&names).zip(&asked) {
        for (server, outcome) in per_name.outcomes() {
            let packet = match outcome.packet() {
                Some(packet) if packet.rcode != Rcode::SERVFAIL => packet,
                _ => {
                    errors.entry(text).or_default().push(server);
                    continue;
                }
            };
            for record in Packet::records(&packet.answer, name, RecordType::TXT) {
                if record.dns_class != DNSClass::CH {
                    wrong_class.push(server);
                }
                let string = txt_string(&record.data);
                if !string.trim().is_empty() {
                    versions.entry((string, text)).or_default().push(server);
                    revealed.push(server);
                }
            }
        }
    }
    for (query_name, servers) in errors {
        report.emit(
            &tag::N15_ERROR_ON_VERSION_QUERY,
            args![query_name = query_name, ns_list = ns_list(servers)],
        );
    }
    for ((string, query_name), servers) in versions {
        report.emit(
            &tag::N15_SOFTWARE_VERSION,
            args![
                string = string,
                query_name = query_name,
                ns_list = ns_list(servers)
            ],
        );
    }
    if !wrong_class.is_empty() {
        report.emit(&tag::N15_WRONG_CLASS, args![ns_list = ns_list(wrong_class)]);
    }
    let silent: Vec<&Ns> = answering
        .iter()
        .filter(|ns| !revealed.contains(ns))
        .collect();
    if !silent.is_empty() {
        report.emit(
            &tag::N15_NO_VERSION_REVEALED,
            args![ns_list = ns_list(silent)],
        );
    }
}

/// The character strings of a TXT record, joined; empty for other data.
fn txt_string(data: &RData) -> String {
    match data {
        RData::TXT(txt) => txt
            .txt_data
            .iter()
            .map(|part| String::from_utf8_lossy(part).into_owned())
            .collect(),
        _ => String::new(),
    }
}
