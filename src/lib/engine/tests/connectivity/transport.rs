//! The check CONNECTIVITY01 (UDP) and 02 (TCP) share (engine spec §3.3):
//! every server of Method4and5 is asked SOA and NS for the zone over one
//! transport, both questions to every server at once, and each answer is
//! judged the same way; only the tags differ.

use crate::dns::Protocol;
use crate::engine::tags::Tag;
use crate::engine::tags::connectivity as tag;
use crate::engine::tests::prelude::*;

/// The tags of one question type over one transport, worst first.
pub struct QueryTags {
    /// No reply to this question (`ns`).
    pub no_response: &'static Tag,
    /// A reply other than NOERROR (`ns`, `rcode`).
    pub unexpected_rcode: &'static Tag,
    /// No record of the type in the answer (`ns`).
    pub missing: &'static Tag,
    /// The first record of the type is not the zone's (`ns`,
    /// `domain_found`, `domain_expected`).
    pub wrong: &'static Tag,
    /// The answer is not authoritative (`ns`).
    pub not_aa: &'static Tag,
}

/// The tags and transport of one test case.
pub struct TransportTags {
    /// Where the questions go.
    pub protocol: Protocol,
    /// Neither question answered (`ns`).
    pub no_response: &'static Tag,
    /// The SOA question's tags.
    pub soa: QueryTags,
    /// The NS question's tags.
    pub ns: QueryTags,
}

/// CONNECTIVITY01's tags.
pub static UDP: TransportTags = TransportTags {
    protocol: Protocol::Udp,
    no_response: &tag::CN01_NO_RESPONSE_UDP,
    soa: QueryTags {
        no_response: &tag::CN01_NO_RESPONSE_SOA_QUERY_UDP,
        unexpected_rcode: &tag::CN01_UNEXPECTED_RCODE_SOA_QUERY_UDP,
        missing: &tag::CN01_MISSING_SOA_RECORD_UDP,
        wrong: &tag::CN01_WRONG_SOA_RECORD_UDP,
        not_aa: &tag::CN01_SOA_RECORD_NOT_AA_UDP,
    },
    ns: QueryTags {
        no_response: &tag::CN01_NO_RESPONSE_NS_QUERY_UDP,
        unexpected_rcode: &tag::CN01_UNEXPECTED_RCODE_NS_QUERY_UDP,
        missing: &tag::CN01_MISSING_NS_RECORD_UDP,
        wrong: &tag::CN01_WRONG_NS_RECORD_UDP,
        not_aa: &tag::CN01_NS_RECORD_NOT_AA_UDP,
    },
};

/// CONNECTIVITY02's tags.
pub static TCP: TransportTags = TransportTags {
    protocol: Protocol::Tcp,
    no_response: &tag::CN02_NO_RESPONSE_TCP,
    soa: QueryTags {
        no_response: &tag::CN02_NO_RESPONSE_SOA_QUERY_TCP,
        unexpected_rcode: &tag::CN02_UNEXPECTED_RCODE_SOA_QUERY_TCP,
        missing: &tag::CN02_MISSING_SOA_RECORD_TCP,
        wrong: &tag::CN02_WRONG_SOA_RECORD_TCP,
        not_aa: &tag::CN02_SOA_RECORD_NOT_AA_TCP,
    },
    ns: QueryTags {
        no_response: &tag::CN02_NO_RESPONSE_NS_QUERY_TCP,
        unexpected_rcode: &tag::CN02_UNEXPECTED_RCODE_NS_QUERY_TCP,
        missing: &tag::CN02_MISSING_NS_RECORD_TCP,
        wrong: &tag::CN02_WRONG_NS_RECORD_TCP,
        not_aa: &tag::CN02_NS_RECORD_NOT_AA_TCP,
    },
};

/// Asks every server of `servers` SOA and NS over `tags.protocol`, all at
/// once, and reports each server in order: no reply to either, or what
/// is wrong with each reply.
pub async fn check_transport(
    ctx: &Context,
    report: &mut Report,
    servers: &[Ns],
    tags: &TransportTags,
) {
    let question = |rtype| Query::new(ctx.zone.clone(), rtype).over(tags.protocol);
    let asked = ctx
        .ask_each_of(
            report,
            &[
                (servers, question(RecordType::SOA)),
                (servers, question(RecordType::NS)),
            ],
        )
        .await;
    let (Some(soa), Some(ns)) = (asked.first(), asked.get(1)) else {
        return;
    };
    for ((server, soa), (_, ns)) in soa.outcomes().zip(ns.outcomes()) {
        let (soa, ns) = (soa.packet(), ns.packet());
        if soa.is_none() && ns.is_none() {
            report.emit(tags.no_response, args![ns = server]);
            continue;
        }
        judge(
            ctx,
            report,
            server,
            soa.as_deref(),
            RecordType::SOA,
            &tags.soa,
        );
        judge(ctx, report, server, ns.as_deref(), RecordType::NS, &tags.ns);
    }
}

/// The one finding (if any) about `server`'s reply to the `rtype`
/// question: no reply, an error RCODE, no record, someone else's record,
/// or no AA bit, in that order.
fn judge(
    ctx: &Context,
    report: &mut Report,
    server: &Ns,
    reply: Option<&Packet>,
    rtype: RecordType,
    tags: &QueryTags,
) {
    let Some(reply) = reply else {
        report.emit(tags.no_response, args![ns = server]);
        return;
    };
    if reply.rcode != Rcode::NOERROR {
        report.emit(
            tags.unexpected_rcode,
            args![ns = server, rcode = reply.rcode.mnemonic()],
        );
        return;
    }
    let Some(first) = reply.answers_of(rtype).next() else {
        report.emit(tags.missing, args![ns = server]);
        return;
    };
    if !first.name.eq_ignore_root(&ctx.zone) {
        report.emit(
            tags.wrong,
            args![
                ns = server,
                domain_found = fqdn_text(&first.name),
                domain_expected = fqdn_text(&ctx.zone)
            ],
        );
    } else if !reply.aa {
        report.emit(tags.not_aa, args![ns = server]);
    }
}

/// A name lower-case with its final dot, as the WRONG tags print names.
fn fqdn_text(name: &Name) -> String {
    let mut name = name.to_lowercase();
    name.set_fqdn(true);
    name.to_ascii()
}
