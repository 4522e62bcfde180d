//! What CONNECTIVITY03 and 04 share: looking their addresses up in the
//! AS-number database all at once, and the `ASN_LOOKUP_SOURCE` messages
//! (module `System`, spec §1.13) for the sources each look-up asked.

use std::sync::Arc;

use crate::engine::asn::AsnLookup;
use crate::engine::tags::system;
use crate::engine::tests::prelude::*;

/// Looks up every address of `addresses` at once (once per run, shared
/// with the other test case); the results in the same order.
pub async fn look_up(ctx: &Context, addresses: &[IpAddr]) -> Vec<(IpAddr, Arc<AsnLookup>)> {
    let lookups = ctx.asn.look_up(addresses).await;
    addresses.iter().copied().zip(lookups).collect()
}

/// One `ASN_LOOKUP_SOURCE` per source the look-up asked, in order.
pub fn report_sources(report: &mut Report, lookup: &AsnLookup) {
    for source in &lookup.sources {
        report.emit(&system::ASN_LOOKUP_SOURCE, args![name = source]);
    }
}

/// Numbers joined with commas, as `asn` and `asn_list` print them.
pub fn comma_joined<'a>(numbers: impl IntoIterator<Item = &'a u32>) -> String {
    numbers
        .into_iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
