//! One complete check of a zone: undelegated data completed, the run's
//! context built, the selections run, statistics gathered. What `zmctl
//! check` and the agent call.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use hickory_proto::rr::Name;

use super::context::{Context, RunSetup, families_of, run_client};
use super::hints::RootHints;
use super::level::Level;
use super::message::{Message, Report};
use super::name::display;
use super::profile::Profile;
use super::recursor::Recursor;
use super::runner::{Progress, Selection, enabled_count, run};
use super::stop::StopSignal;
use super::tags;
use super::undelegated::FakeDelegation;
use crate::args;
use crate::dns::{Chain, Client, FakeReferral, StatsSnapshot, Transport};

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
    /// True when `now` was given (`--now`): signatures are judged at it.
    /// Otherwise each reply is judged at the time it arrived, the recorded
    /// time in a replay.
    pub fixed_clock: bool,
}

/// What a check produced.
pub struct CheckResult {
    /// Every message, in deterministic order.
    pub messages: Vec<Message>,
    /// Per-server query statistics.
    pub stats: Vec<StatsSnapshot>,
    /// Wall-clock time of the whole check.
    pub elapsed: Duration,
    /// The longest chain of queries that waited on one another: a floor
    /// under `elapsed` that no concurrency can go below
    /// ([`crate::dns::chain`]).
    pub critical_path: Chain,
    /// How many test cases ran, out of how many the profile enables.
    pub test_cases: TestCaseCount,
    /// Set when the run says nothing about the zone: its messages are then
    /// no verdict and must not be shown or stored as one.
    pub failure: Option<RunFailure>,
    /// True when the run ended early at its stop level
    /// ([`run_check_stopping_at`]): the messages are those emitted until
    /// then.
    pub stopped: bool,
}

/// Test cases run, against those the profile enables (all 73 modules'
/// worth, implemented or not), so that a short run never passes for a
/// complete one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TestCaseCount {
    /// Test cases that ran to their end.
    pub ran: usize,
    /// Test cases the profile enables.
    pub enabled: usize,
}

/// Why a run is no verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunFailure {
    /// Not one of the servers where the run starts (the root hints, or
    /// the supplied name servers of an undelegated test) answered
    /// anything: our network is down or the hints are wrong, and "the
    /// zone does not exist" would be a lie.
    NoServerAnswered {
        /// The servers asked, every one silent.
        servers: Vec<IpAddr>,
        /// True when they were the supplied name servers.
        undelegated: bool,
    },
}

impl RunFailure {
    /// The message, naming where the servers came from as the caller's
    /// user knows it (`--hints`, `[ZONEMASTER] root_hints`, `--ns`).
    pub fn explain(&self, hints: &str, given: &str) -> String {
        match self {
            Self::NoServerAnswered {
                servers,
                undelegated,
            } => {
                let source = if *undelegated { given } else { hints };
                format!(
                    "no name server answered: is the network up? are {source} right? (asked {})",
                    list_servers(servers)
                )
            }
        }
    }
}

impl std::fmt::Display for RunFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.explain("the root hints", "the name servers given"))
    }
}

impl std::error::Error for RunFailure {}

/// At most five addresses, then how many more.
fn list_servers(servers: &[IpAddr]) -> String {
    let shown: Vec<String> = servers.iter().take(5).map(ToString::to_string).collect();
    match servers.len().saturating_sub(5) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Runs a check.
pub async fn run_check(request: CheckRequest, progress: &(dyn Fn(Progress) + Sync)) -> CheckResult {
    rooted_check(request, progress, StopSignal::never()).await
}

/// Runs a check that ends early at the first message at `level` or
/// above (zonemaster-cli's `--stop-level`): test cases not yet started do
/// not start, those running end where they are.
pub async fn run_check_stopping_at(
    request: CheckRequest,
    progress: &(dyn Fn(Progress) + Sync),
    level: Level,
) -> CheckResult {
    rooted_check(request, progress, StopSignal::at(level)).await
}

async fn rooted_check(
    request: CheckRequest,
    progress: &(dyn Fn(Progress) + Sync),
    stop: StopSignal,
) -> CheckResult {
    // Every query the run waited on is a link of one tree of chains,
    // rooted here; a query nobody waited on (a hedge whose answer came too
    // late) is not on the critical path.
    let (result, critical_path) =
        crate::dns::chain::root(check(request, progress, Arc::new(stop))).await;
    CheckResult {
        critical_path,
        ..result
    }
}

async fn check(
    request: CheckRequest,
    progress: &(dyn Fn(Progress) + Sync),
    stop: Arc<StopSignal>,
) -> CheckResult {
    let started = Instant::now();
    // One client for the whole check: resolving supplied names fills the
    // cache the run then reads.
    let client = run_client(&request.transport, &request.profile);
    let mut early = Vec::new();
    let fake = match request.fake.clone() {
        Some(fake) if fake.is_undelegated() => {
            let (fake, messages) = complete_fake_delegation(&request, &client, fake, started).await;
            for message in &messages {
                stop.note(message.level);
            }
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
            fixed_clock: request.fixed_clock,
        },
        client,
    )
    .stopping_at(Arc::clone(&stop));
    if context.is_undelegated() && !stop.is_reached() {
        hand_out_fake_delegation(&context).await;
    }
    let selections = if request.selections.is_empty() {
        vec![Selection::All]
    } else {
        request.selections
    };
    let ran = AtomicUsize::new(0);
    let counting = |event: Progress| {
        if matches!(event, Progress::Finished(_)) {
            ran.fetch_add(1, Ordering::Relaxed);
        }
        progress(event);
    };
    let mut messages = Vec::new();
    for (index, selection) in selections.iter().enumerate() {
        if stop.is_reached() && index > 0 {
            break;
        }
        let mut run_messages = run(&context, selection, &counting).await;
        if index == 0 {
            // The framework's preamble comes first, then the input errors.
            let split = run_messages
                .iter()
                .position(|m| m.test_case.is_some())
                .unwrap_or(run_messages.len());
            let rest = run_messages.split_off(split);
            run_messages.append(&mut early);
            run_messages.extend(rest);
        }
        messages.extend(run_messages);
    }
    let stats = context.client.stats();
    CheckResult {
        failure: no_answer(&context, &stats),
        stopped: stop.is_reached(),
        messages,
        stats,
        elapsed: started.elapsed(),
        critical_path: Chain::default(),
        test_cases: TestCaseCount {
            ran: ran.into_inner(),
            enabled: enabled_count(&context.profile),
        },
    }
}

/// [`RunFailure::NoServerAnswered`] when the servers the run starts from
/// were asked and not one of them answered (a reply of any kind counts,
/// malformed ones too; a replay miss does not).
fn no_answer(context: &Context, stats: &[StatsSnapshot]) -> Option<RunFailure> {
    let undelegated = context.is_undelegated();
    let starts: Vec<IpAddr> = match (&context.fake, undelegated) {
        (Some(fake), true) => fake.addresses().collect(),
        _ => context
            .recursor
            .hints()
            .servers()
            .iter()
            .flat_map(|server| server.addresses.iter().copied())
            .collect(),
    };
    let asked: Vec<&StatsSnapshot> = stats
        .iter()
        .filter(|row| row.queries > 0 && starts.contains(&row.server))
        .collect();
    let is_silent = !asked.is_empty() && asked.iter().all(|row| row.no_response == row.queries);
    is_silent.then(|| RunFailure::NoServerAnswered {
        servers: asked.iter().map(|row| row.server).collect(),
        undelegated,
    })
}

/// Makes the parent zone's servers (found by normal resolution) delegate
/// the zone to the supplied servers for the rest of the run, except a
/// parent server that is itself one of them (spec §1.11), then forgets the
/// resolutions made before (spec §1.8).
async fn hand_out_fake_delegation(context: &Context) {
    let Some(fake) = &context.fake else {
        return;
    };
    let supplied: Vec<IpAddr> = fake.addresses().collect();
    let parents = context
        .zone_v1
        .parent_servers()
        .await
        .iter()
        .map(|server| server.address)
        .filter(|address| !supplied.contains(address))
        .collect();
    context.client.set_fake_referral(FakeReferral {
        zone: context.zone.clone(),
        servers: fake
            .ns
            .iter()
            .map(|ns| (ns.name.clone(), ns.addresses.clone()))
            .collect(),
        parents,
    });
    context.recursor.clear_cache();
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
    let mut report = Report::framework(&request.profile, started);
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
