//! DNSSEC04: RRSIG lifetimes are neither too short nor too long (engine
//! spec §3.6).
//!
//! The DNSKEY and SOA answers come from the first child server (Method5)
//! that replies, as the reference's `query_one`. Every RRSIG in both
//! answers is judged against the time of the DNSKEY reply, with the
//! thresholds of the profile's `test_cases_vars.dnssec04`. RRSIG times are
//! read as plain numbers here, as the reference reads them: a lifetime
//! that wraps the 32-bit field is negative, not 136 years.

use std::time::{SystemTime, UNIX_EPOCH};

use hickory_proto::dnssec::rdata::{DNSSECRData, RRSIG};

use super::shared::dnssec_query;
use crate::dns::Response;
use crate::engine::profile::TestCaseVar;
use crate::engine::tags::dnssec as tag;
use crate::engine::tests::prelude::*;

/// The test case.
pub async fn dnssec04(ctx: &Context, report: &mut Report) {
    let servers = ctx.zone_v1.child_servers().await;
    let (Some(dnskey), Some(soa)) = query_one(ctx, report, servers).await else {
        return;
    };
    let limits = Limits::of(ctx);
    let now = seconds_since_epoch(ctx.time_of(&dnskey));
    for rrsig in rrsigs_in(&dnskey.packet().answer).chain(rrsigs_in(&soa.packet().answer)) {
        report_lifetime(report, rrsig, now, &limits);
    }
}

/// The DNSKEY and SOA replies (DO) as the reference's `query_one` gets
/// them: the servers in order, each question going on to the next server
/// only while no server has replied to it; both questions go to a server
/// at once, so a run costs one round trip when the first server answers.
async fn query_one(
    ctx: &Context,
    report: &mut Report,
    servers: &[Ns],
) -> (Option<Response>, Option<Response>) {
    let mut replies: [Option<Response>; 2] = [None, None];
    let types = [RecordType::DNSKEY, RecordType::SOA];
    for server in servers {
        let missing: Vec<usize> = (0..2).filter(|&at| replies[at].is_none()).collect();
        if missing.is_empty() {
            break;
        }
        let questions: Vec<(&[Ns], Query)> = missing
            .iter()
            .map(|&at| {
                (
                    std::slice::from_ref(server),
                    dnssec_query(&ctx.zone, types[at]),
                )
            })
            .collect();
        let asked = ctx.ask_each_of(report, &questions).await;
        for (&at, asked) in missing.iter().zip(&asked) {
            replies[at] = asked
                .outcomes()
                .find_map(|(_, outcome)| outcome.response())
                .cloned();
        }
    }
    let [dnskey, soa] = replies;
    (dnskey, soa)
}

/// Every RRSIG of a section, whatever it covers.
fn rrsigs_in(section: &[Record]) -> impl Iterator<Item = &RRSIG> {
    section.iter().filter_map(|record| match &record.data {
        RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => Some(rrsig),
        _ => None,
    })
}

/// The profile's thresholds, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Less time left than this is `REMAINING_SHORT`.
    pub remaining_short: i64,
    /// More time left than this is `REMAINING_LONG`.
    pub remaining_long: i64,
    /// A longer validity period is `DURATION_LONG`.
    pub duration_long: i64,
}

impl Limits {
    /// The run's profile values.
    pub fn of(ctx: &Context) -> Self {
        let value = |var| i64::try_from(ctx.profile.test_cases_var(var)).unwrap_or(i64::MAX);
        Self {
            remaining_short: value(TestCaseVar::RemainingShort),
            remaining_long: value(TestCaseVar::RemainingLong),
            duration_long: value(TestCaseVar::DurationLong),
        }
    }
}

/// Whole seconds since the epoch (zero before it).
fn seconds_since_epoch(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |since| {
        i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
    })
}

/// Emits the findings about one signature seen at `now`.
fn report_lifetime(report: &mut Report, rrsig: &RRSIG, now: i64, limits: &Limits) {
    let input = rrsig.input();
    let expiration = input.sig_expiration.get();
    let inception = input.sig_inception.get();
    let keytag = input.key_tag;
    let types = input.type_covered;
    report.emit(
        &tag::RRSIG_EXPIRATION,
        args![date = asctime(expiration), keytag = keytag, types = types],
    );
    let remaining = i64::from(expiration) - now;
    let duration = i64::from(expiration) - i64::from(inception);
    let remaining_tag = if remaining < 0 {
        report.emit(
            &tag::RRSIG_EXPIRED,
            args![expiration = expiration, keytag = keytag, types = types],
        );
        None
    } else if remaining < limits.remaining_short {
        Some(&tag::REMAINING_SHORT)
    } else if remaining > limits.remaining_long {
        Some(&tag::REMAINING_LONG)
    } else {
        None
    };
    if let Some(found) = remaining_tag {
        report.emit(
            found,
            args![duration = remaining, keytag = keytag, types = types],
        );
    }
    let is_long = duration > limits.duration_long;
    if is_long {
        report.emit(
            &tag::DURATION_LONG,
            args![duration = duration, keytag = keytag, types = types],
        );
    }
    if remaining >= 0 && remaining_tag.is_none() && !is_long {
        report.emit(
            &tag::DURATION_OK,
            args![duration = duration, keytag = keytag, types = types],
        );
    }
}

/// `seconds` since the epoch as C's `asctime` writes UTC time, without the
/// newline: `Mon Jan  5 12:00:00 2032` (the reference's `gmtime` text).
pub fn asctime(seconds: u32) -> String {
    chrono::DateTime::from_timestamp(i64::from(seconds), 0)
        .map(|time| time.format("%a %b %e %H:%M:%S %Y").to_string())
        .unwrap_or_default()
}
