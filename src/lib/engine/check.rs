//! One complete check of a zone: undelegated data completed, the run's
//! context built, the selections run, statistics gathered. What `zmctl
//! check` and the agent call.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use hickory_proto::rr::Name;

use super::context::{Context, RunSetup, families_of, run_client};
use super::hints::RootHints;
use super::message::{Message, Report};
use super::name::display;
use super::profile::Profile;
use super::recursor::Recursor;
use super::runner::{Progress, Selection, run};
use super::tags;
use super::undelegated::FakeDelegation;
use crate::args;
use crate::dns::{Client, StatsSnapshot, Transport};

/// Everything one check needs.
pub struct CheckRequest {
    /// The zone, normalised.
    pub zone: Name,
    /// What to run; empty means everything.
    pub selections: Vec<Selection>,
    /// The effective profile.
    pub profile: Arc<Profile>,
    /// Root hints.
    pub hints: RootHints,
    /// Supplied NS/DS data.
    pub fake: Option<FakeDelegation>,
    /// Live, recording or replaying.
    pub transport: Arc<dyn Transport>,
    /// "Now" for time-dependent checks.
    pub now: SystemTime,
}

/// What a check produced.
pub struct CheckResult {
    /// Every message, in deterministic order.
    pub messages: Vec<Message>,
    /// Per-server query statistics.
    pub stats: Vec<StatsSnapshot>,
    /// Wall-clock time of the whole check.
    pub elapsed: Duration,
}

/// Runs a check.
pub async fn run_check(request: CheckRequest, progress: &(dyn Fn(Progress) + Sync)) -> CheckResult {
    let started = Instant::now();
    // One client for the whole check: resolving supplied names fills the
    // cache the run then reads.
    let client = run_client(&request.transport, &request.profile);
    let mut early = Vec::new();
    let fake = match request.fake.clone() {
        Some(fake) if fake.is_undelegated() => {
            let (fake, messages) = complete_fake_delegation(&request, &client, fake, started).await;
            early = messages;
            Some(fake)
        }
        other => other,
    };
    let context = Context::with_client(
        RunSetup {
            zone: request.zone,
            profile: Arc::clone(&request.profile),
            hints: request.hints,
            transport: request.transport,
            fake,
            now: request.now,
        },
        client,
    );
    let selections = if request.selections.is_empty() {
        vec![Selection::All]
    } else {
        request.selections
    };
    let mut messages = Vec::new();
    for (index, selection) in selections.iter().enumerate() {
        let mut run_messages = run(&context, selection, progress).await;
        if index == 0 {
            // The framework's preamble comes first, then the input errors.
            let split = run_messages
                .iter()
                .position(|m| m.testcase != "Unspecified")
                .unwrap_or(run_messages.len());
            let rest = run_messages.split_off(split);
            run_messages.append(&mut early);
            run_messages.extend(rest);
        }
        messages.extend(run_messages);
    }
    CheckResult {
        messages,
        stats: context.client.stats(),
        elapsed: started.elapsed(),
    }
}

/// Resolves supplied out-of-bailiwick names that came without addresses
/// (spec §1.11), reporting names that cannot be given one.
async fn complete_fake_delegation(
    request: &CheckRequest,
    client: &Client,
    mut fake: FakeDelegation,
    started: Instant,
) -> (FakeDelegation, Vec<Message>) {
    let families = families_of(&request.profile);
    let recursor = Recursor::new(client.clone(), request.hints.clone(), families);
    let mut report = Report::new(&request.profile, started, "Unspecified".to_owned());
    let domain = display(&request.zone);
    for ns in &mut fake.ns {
        if !ns.addresses.is_empty() {
            continue;
        }
        if request.zone.zone_of(&ns.name) {
            report.emit(
                &tags::FAKE_DELEGATION_IN_ZONE_NO_IP,
                args![domain = domain.as_str(), nsname = display(&ns.name)],
            );
            continue;
        }
        ns.addresses = recursor.addresses_for(&ns.name).await;
        if ns.addresses.is_empty() {
            report.emit(
                &tags::FAKE_DELEGATION_NO_IP,
                args![domain = domain.as_str(), nsname = display(&ns.name)],
            );
        }
    }
    (fake, report.into_messages())
}
