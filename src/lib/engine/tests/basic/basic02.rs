//! BASIC02: the zone must have at least one working name server
//! (engine spec §3.1): one that answers the zone's SOA authoritatively.

use crate::engine::tags::basic as tag;
use crate::engine::tests::prelude::*;

/// How one server answered the SOA question.
enum Verdict {
    Works,
    Broken,
    NotAuthoritative,
    NoResponse,
    UnexpectedRcode(Rcode),
}

/// The test case.
pub async fn basic02(ctx: &Context, report: &mut Report) {
    let names = ctx.zone_v1.delegation_names().await;
    if names.is_empty() {
        report.emit(&tag::B02_NO_DELEGATION, args![domain = ctx.zone]);
        return;
    }
    let mut servers = ctx.zone_v1.delegation_servers().await;
    if servers.is_empty() {
        servers = ctx.zone_v1.glue().await;
    }
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, servers, &query).await;
    let verdicts: Vec<(&Ns, Verdict)> = asked
        .outcomes()
        .map(|(server, outcome)| (server, verdict(ctx, outcome)))
        .collect();
    let working = verdicts
        .iter()
        .filter(|(_, verdict)| matches!(verdict, Verdict::Works))
        .map(|(server, _)| *server);
    let ns_list = ns_list(working);
    if !ns_list.is_empty() {
        report.emit(
            &tag::B02_AUTH_RESPONSE_SOA,
            args![domain = ctx.zone, ns_list = ns_list],
        );
        return;
    }
    report.emit(&tag::B02_NO_WORKING_NS, args![domain = ctx.zone]);
    for (ns, verdict) in verdicts {
        match verdict {
            Verdict::Works => {}
            Verdict::Broken => report.emit(&tag::B02_NS_BROKEN, args![ns = ns]),
            Verdict::NotAuthoritative => report.emit(&tag::B02_NS_NOT_AUTH, args![ns = ns]),
            Verdict::NoResponse => report.emit(&tag::B02_NS_NO_RESPONSE, args![ns = ns]),
            Verdict::UnexpectedRcode(rcode) => report.emit(
                &tag::B02_UNEXPECTED_RCODE,
                args![ns = ns, rcode = rcode.mnemonic()],
            ),
        }
    }
    for nsname in names
        .iter()
        .filter(|name| !servers.iter().any(|server| server.name == **name))
    {
        report.emit(&tag::B02_NS_NO_IP_ADDR, args![nsname = nsname]);
    }
}

/// What one server's answer to the SOA question means.
fn verdict(ctx: &Context, outcome: &Outcome) -> Verdict {
    let Some(packet) = outcome.packet() else {
        return Verdict::NoResponse;
    };
    if packet.rcode != Rcode::NOERROR {
        return Verdict::UnexpectedRcode(packet.rcode);
    }
    if !packet.aa {
        return Verdict::NotAuthoritative;
    }
    let has_soa = packet
        .answer
        .iter()
        .any(|r| r.record_type() == RecordType::SOA && r.name.eq_ignore_root(&ctx.zone));
    if has_soa {
        Verdict::Works
    } else {
        Verdict::Broken
    }
}
