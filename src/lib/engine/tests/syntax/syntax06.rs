//! SYNTAX06: the SOA RNAME is a mail address that can receive mail
//! (engine spec §3.8): every server's RNAME read as a mailbox must be a
//! valid RFC 822 address whose mail domain resolves, and its mail servers
//! (the MX exchanges, or the domain itself) must have usable addresses.

use crate::dns::chain::join_all;

use super::rules::{is_rfc822_valid, mailbox};
use super::shared::soa_of;
use crate::engine::tags::syntax as tag;
use crate::engine::tests::prelude::*;

/// The addresses that are never usable for mail.
const LOCALHOST: [&str; 2] = ["127.0.0.1", "::1"];

/// The test case.
pub async fn syntax06(ctx: &Context, report: &mut Report) {
    let rnames = rnames(ctx, report).await;
    let mut valid: Vec<String> = Vec::new();
    let mut domains: Vec<Name> = Vec::new();
    for rname in &rnames {
        let mailbox = mailbox(rname);
        if !is_rfc822_valid(&mailbox) {
            report.emit(&tag::RNAME_RFC822_INVALID, args![rname = mailbox]);
            continue;
        }
        valid.push(mailbox);
        let domain = rname.base_name().to_lowercase();
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    let mut examined: Vec<Name> = Vec::new();
    let mut all_usable = true;
    for domain in &domains {
        all_usable &= mail_domain_is_usable(ctx, report, domain, &mut examined).await;
    }
    if all_usable {
        for mailbox in valid {
            report.emit(&tag::RNAME_RFC822_VALID, args![rname = mailbox]);
        }
    }
}

/// The distinct RNAMEs of the SOAs the delegation's and the child's
/// servers (Method4 ∪ Method5) give, in the servers' order.
async fn rnames(ctx: &Context, report: &mut Report) -> Vec<Name> {
    let servers = ctx.zone_v1.all_servers().await;
    let query = Query::new(ctx.zone.clone(), RecordType::SOA);
    let asked = ctx.ask_each(report, &servers, &query).await;
    let mut rnames: Vec<Name> = Vec::new();
    for (ns, outcome) in asked.outcomes() {
        let Some(packet) = outcome.packet() else {
            report.emit(&tag::NO_RESPONSE, args![ns = ns, domain = ctx.zone]);
            continue;
        };
        match soa_of(ctx, &packet) {
            Some(soa) if !rnames.contains(&soa.rname.to_lowercase()) => {
                rnames.push(soa.rname.to_lowercase());
            }
            Some(_) => {}
            None => report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]),
        }
    }
    rnames
}

/// Resolves the mail domain's MX and examines each of its mail servers
/// not `examined` yet; true when the domain resolved and each of them has
/// a usable address.
async fn mail_domain_is_usable(
    ctx: &Context,
    report: &mut Report,
    domain: &Name,
    examined: &mut Vec<Name>,
) -> bool {
    let resolution = ctx.recursor.recurse(domain, RecordType::MX).await;
    let Some(reply) = resolution
        .packet()
        .filter(|packet| packet.rcode == Rcode::NOERROR)
    else {
        report.emit(&tag::RNAME_MAIL_DOMAIN_INVALID, args![domain = domain]);
        return false;
    };
    let mut servers: Vec<Name> = reply
        .answers_of(RecordType::MX)
        .filter_map(|record| match &record.data {
            RData::MX(mx) => Some(mx.exchange.to_lowercase()),
            _ => None,
        })
        .collect();
    if servers.is_empty() {
        servers.push(canonical_name(reply, domain));
    }
    servers.sort();
    servers.dedup();
    servers.retain(|server| !examined.contains(server));
    examined.extend(servers.iter().cloned());
    let found = join_all(servers.iter().map(|server| mail_server(ctx, server))).await;
    let mut usable = true;
    for (server, found) in servers.iter().zip(found) {
        usable &= found.report(report, server);
    }
    usable
}

/// The name the mail domain stands for once its CNAMEs are followed (spec
/// §3.8 "follow CNAMEs"): the question of a reply the recursor fetched
/// afresh for a CNAME target, then the CNAME chain in its answer.
fn canonical_name(reply: &Packet, domain: &Name) -> Name {
    let mut name = reply
        .question
        .first()
        .map_or_else(|| domain.clone(), |question| question.name().clone());
    // A chain never needs more steps than the answer has records.
    for _ in 0..reply.answer.len() {
        let next = reply.answer.iter().find_map(|record| match &record.data {
            RData::CNAME(cname) if record.name.eq_ignore_root(&name) => Some(cname.0.clone()),
            _ => None,
        });
        match next {
            Some(target) => name = target,
            None => break,
        }
    }
    name.to_lowercase()
}

/// What the A and AAAA look-ups of one mail server found.
#[derive(Default)]
struct MailServer {
    /// A look-up was answered through a CNAME.
    cname: bool,
    /// 127.0.0.1 or ::1 among its addresses.
    localhost: Vec<IpAddr>,
    /// It has another address.
    usable: bool,
}

impl MailServer {
    /// Reports what was found; true when the server has a usable address.
    fn report(self, report: &mut Report, server: &Name) -> bool {
        if self.cname {
            report.emit(&tag::RNAME_MAIL_ILLEGAL_CNAME, args![domain = server]);
        }
        for address in &self.localhost {
            report.emit(
                &tag::RNAME_MAIL_DOMAIN_LOCALHOST,
                args![domain = server, localhost = address],
            );
        }
        if !self.usable {
            report.emit(&tag::RNAME_MAIL_DOMAIN_INVALID, args![domain = server]);
        }
        self.usable
    }
}

/// Looks up the addresses of `server` (A and AAAA at once, recursively).
async fn mail_server(ctx: &Context, server: &Name) -> MailServer {
    let (a, aaaa) = crate::dns::chain::join(
        ctx.recursor.recurse(server, RecordType::A),
        ctx.recursor.recurse(server, RecordType::AAAA),
    )
    .await;
    let mut found = MailServer::default();
    for (resolution, rtype) in [(a, RecordType::A), (aaaa, RecordType::AAAA)] {
        let Some(packet) = resolution.packet() else {
            continue;
        };
        let restarted = packet
            .question
            .first()
            .is_some_and(|question| !question.name().eq_ignore_root(server));
        if restarted || packet.answers_of(RecordType::CNAME).next().is_some() {
            found.cname = true;
            continue;
        }
        for address in
            Packet::records(&packet.answer, server, rtype).filter_map(|r| r.data.ip_addr())
        {
            if LOCALHOST.iter().any(|local| local.parse() == Ok(address)) {
                if !found.localhost.contains(&address) {
                    found.localhost.push(address);
                }
            } else {
                found.usable = true;
            }
        }
    }
    found
}
