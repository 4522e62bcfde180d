//! NAMESERVER01: a name server should not be a recursor (engine spec
//! §3.7). Each server is asked, without RD, for three names no
//! authoritative server of the zone serves; recursion offered (RA), or
//! NXDOMAIN for every name it answered, marks a recursor.

use super::shared::{allowed, servers};
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// Names that exist nowhere, under three unrelated zones.
const NONEXISTENT_NAMES: [&str; 3] = [
    "xn--nameservertest.iis.se.",
    "xn--nameservertest.icann.org.",
    "xn--nameservertest.ripe.net.",
];

/// The test case.
pub async fn nameserver01(ctx: &Context, report: &mut Report) {
    // Family messages once per server, as for one question, not per name.
    let servers = allowed(ctx, report, &servers(ctx).await, "A");
    let names: Vec<Name> = NONEXISTENT_NAMES
        .iter()
        .filter_map(|text| Name::from_ascii(text).ok())
        .collect();
    let questions: Vec<(&[Ns], Query)> = names
        .iter()
        .map(|name| (servers.as_slice(), Query::new(name.clone(), RecordType::A)))
        .collect();
    let asked = ctx.ask_each_of(report, &questions).await;
    let Some(first) = asked.first() else {
        return;
    };
    for (index, (server, _)) in first.outcomes().enumerate() {
        let mut answered = 0;
        let mut nxdomain = 0;
        let mut offers_recursion = false;
        for (name, per_name) in names.iter().zip(&asked) {
            let Some((_, outcome)) = per_name.outcomes().nth(index) else {
                continue;
            };
            let Some(packet) = outcome.packet() else {
                report.emit(&tag::NO_RESPONSE, args![ns = server, domain = name]);
                continue;
            };
            answered += 1;
            nxdomain += usize::from(packet.rcode == Rcode::NXDOMAIN);
            offers_recursion |= packet.ra;
        }
        if offers_recursion || (answered > 0 && nxdomain == answered) {
            report.emit(&tag::IS_A_RECURSOR, args![ns = server]);
        } else if answered == names.len() {
            report.emit(&tag::NO_RECURSOR, args![ns = server]);
        }
    }
}
