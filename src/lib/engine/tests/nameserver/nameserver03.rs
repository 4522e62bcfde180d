//! NAMESERVER03: zone transfer (AXFR) offered to anyone (engine spec
//! §3.7). Only the first message of the transfer is read
//! (`axfr_first`); a transfer whose first record is the SOA is available;
//! anything else (refused, an error, silence) is a failure, which is
//! what a well-configured server gives.

use crate::dns::chain::join_all;

use super::shared::{allowed, servers};
use crate::dns::AxfrOutcome;
use crate::engine::tags::nameserver as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn nameserver03(ctx: &Context, report: &mut Report) {
    let servers = servers(ctx).await;
    let servers = allowed(ctx, report, &servers, "AXFR");
    let timeout = ctx.client.config().options.timeout;
    let transfers = join_all(
        servers
            .iter()
            .map(|server| ctx.client.axfr_first(server.address, &ctx.zone, timeout)),
    )
    .await;
    for (server, transfer) in servers.iter().zip(transfers) {
        let first = match &transfer {
            AxfrOutcome::Started(records)
            | AxfrOutcome::Complete(records)
            | AxfrOutcome::Broken { records, .. } => records.first(),
            AxfrOutcome::Refused(_) | AxfrOutcome::NoResponse(_) => None,
        };
        let found = if first.is_some_and(|record| record.record_type() == RecordType::SOA) {
            &tag::AXFR_AVAILABLE
        } else {
            &tag::AXFR_FAILURE
        };
        report.emit(found, args![ns = server]);
    }
}
