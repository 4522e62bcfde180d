//! DELEGATION03: a referral to the zone fits in a plain 512-octet UDP
//! response (engine spec §3.5). Nothing is asked: the referral a parent
//! would give for the longest possible name under the zone is built and
//! encoded, names compressed, and its size measured.

use hickory_proto::op::{Message, OpCode, Query as Question};
use hickory_proto::rr::rdata::{A, AAAA, NS};

use crate::engine::tags::delegation as tag;
use crate::engine::tests::prelude::*;

/// The plain DNS limit of a UDP response.
const UDP_LIMIT: usize = 512;
/// The longest name in text, without the final dot.
const LONGEST_NAME: usize = 253;
/// The longest label.
const LONGEST_LABEL: usize = 63;
/// TTL of the built records; it does not change the size.
const TTL: u32 = 3600;

/// The test case.
pub async fn delegation03(ctx: &Context, report: &mut Report) {
    let names = ctx.zone_v1.delegation_names().await;
    let servers = ctx.zone_v1.delegation_servers().await;
    let parent = ctx.zone_v1.parent().await;
    let Some(size) = referral_size(&ctx.zone, parent, names, servers) else {
        return;
    };
    let verdict = if size > UDP_LIMIT {
        &tag::REFERRAL_SIZE_TOO_LARGE
    } else {
        &tag::REFERRAL_SIZE_OK
    };
    report.emit(verdict, args![size = size]);
}

/// The wire size of the referral for a longest name under `zone`: NS for
/// every name, one A (and one AAAA) glue record from the first server of
/// that family when every name of that family is below `parent`. `None`
/// only when the message cannot be encoded, a fault of ours.
pub fn referral_size(zone: &Name, parent: &Name, names: &[Name], servers: &[Ns]) -> Option<usize> {
    let qname = longest_name_under(zone)?;
    let mut message = Message::response(0, OpCode::Query);
    message.add_query(Question::query(qname, RecordType::NS));
    for name in names {
        let ns = RData::NS(NS(name.clone()));
        message.add_authority(Record::from_rdata(zone.clone(), TTL, ns));
    }
    for ipv4 in [true, false] {
        if let Some(record) = glue(parent, servers, ipv4) {
            message.add_additional(record);
        }
    }
    message.to_vec().ok().map(|wire| wire.len())
}

/// One glue record of the family, if every server of it is below `parent`.
fn glue(parent: &Name, servers: &[Ns], ipv4: bool) -> Option<Record> {
    let mut of_family = servers.iter().filter(|s| s.address.is_ipv4() == ipv4);
    if !of_family.clone().all(|s| parent.zone_of(&s.name)) {
        return None;
    }
    let first = of_family.next()?;
    let data = match first.address {
        IpAddr::V4(address) => RData::A(A(address)),
        IpAddr::V6(address) => RData::AAAA(AAAA(address)),
    };
    Some(Record::from_rdata(first.name.clone(), TTL, data))
}

/// A name of 253 characters (without the final dot) ending in `zone`:
/// labels of `x` as long as allowed in front of it. Which characters does
/// not matter for the size; a fixed name keeps the result reproducible.
fn longest_name_under(zone: &Name) -> Option<Name> {
    let suffix = display(zone);
    let mut room = if zone.is_root() {
        LONGEST_NAME
    } else {
        LONGEST_NAME.checked_sub(suffix.len() + 1)?
    };
    if room == 0 {
        return Some(zone.clone());
    }
    let mut labels = Vec::new();
    while room > LONGEST_LABEL {
        let length = LONGEST_LABEL.min(room - 2);
        labels.push("x".repeat(length));
        room -= length + 1;
    }
    labels.push("x".repeat(room));
    let prefix = Name::from_ascii(labels.join(".")).ok()?;
    prefix.append_domain(zone).ok()
}
