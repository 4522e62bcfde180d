//! ZONE07: the SOA MNAME is not an alias (engine spec §3.9): its A and
//! AAAA look-ups from the root must not go through a CNAME, and at least
//! one of them must give an address.
//!
//! An address counts when it is owned by the MNAME or by the name the
//! reply is about (the target, after the recursor followed a CNAME out
//! of the zone). Behind a CNAME inside the zone the reply is still about
//! the MNAME, so the target's address does not count and the alias also
//! has "no address", as in the reference.

use super::shared::{authoritative_soa, records_anywhere};
use crate::engine::tags::zone as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn zone07(ctx: &Context, report: &mut Report) {
    let Some(soa) = authoritative_soa(ctx, report).await else {
        report.emit(&tag::NO_RESPONSE_SOA_QUERY, args![]);
        return;
    };
    let mname = soa.mname.to_lowercase();
    let (a, aaaa) = crate::dns::chain::join(
        ctx.recursor.recurse(&mname, RecordType::A),
        ctx.recursor.recurse(&mname, RecordType::AAAA),
    )
    .await;
    let mut has_address = false;
    for (rtype, resolution) in [(RecordType::A, a), (RecordType::AAAA, aaaa)] {
        let Some(packet) = resolution.packet() else {
            continue;
        };
        // After a CNAME to another zone, the reply is the target's.
        let last = packet
            .question
            .first()
            .map_or_else(|| mname.clone(), |question| question.name().clone());
        let owns =
            |owner: &Name, of: RecordType| records_anywhere(packet, owner, of).next().is_some();
        has_address |= owns(&mname, rtype) || owns(&last, rtype);
        let is_alias = owns(&mname, RecordType::CNAME) || !last.eq_ignore_root(&mname);
        let found = if is_alias {
            &tag::MNAME_IS_CNAME
        } else {
            &tag::MNAME_IS_NOT_CNAME
        };
        report.emit(found, args![mname = mname]);
    }
    if !has_address {
        report.emit(&tag::MNAME_HAS_NO_ADDRESS, args![mname = mname]);
    }
}
