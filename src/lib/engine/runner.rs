//! Running a selection of test cases: preamble, module order, the skip
//! rules of spec §2, and a deterministic message order.
//!
//! Test cases that do not depend on each other run concurrently (every
//! module after Basic runs at once, its independent test cases too); each
//! writes into its own [`Report`], and the reports are concatenated in
//! table order, so the output order never depends on timing.

use std::time::UNIX_EPOCH;

use std::panic::AssertUnwindSafe;
use std::pin::pin;

use crate::dns::chain::join_all;
use futures::FutureExt;
use futures::future::{Either, select};
use tracing::Instrument;

use super::context::Context;
use super::message::{Message, Report};
use super::module::Module;
use super::profile::Profile;
use super::tags::{self, Tag};
use super::testcases::{TEST_CASES, TestCase, find_test_case, implemented, test_cases_of};
use crate::args;

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every enabled test case of every module.
    All,
    /// One module, with its skip rules.
    Module(Module),
    /// One test case, by id (`basic02`).
    TestCase(String),
}

/// Something to tell a progress display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A test case started.
    Started(String),
    /// A test case finished.
    Finished(String),
}

/// The test cases `selection` can run under `profile`: implemented and
/// enabled. Basic's skip rules may run fewer; none means the selection
/// would test nothing, which callers refuse (issue 8, point 3).
pub fn planned(selection: &Selection, profile: &Profile) -> Vec<&'static TestCase> {
    let runs = |case: &&TestCase| case.is_implemented() && profile.is_enabled(case.id);
    match selection {
        Selection::All => TEST_CASES.iter().filter(runs).collect(),
        Selection::Module(module) => test_cases_of(*module).filter(runs).collect(),
        Selection::TestCase(id) => find_test_case(id).into_iter().filter(runs).collect(),
    }
}

/// How many of the Zonemaster test cases `profile` enables, implemented
/// or not: the "out of" of a run's summary.
pub fn enabled_count(profile: &Profile) -> usize {
    TEST_CASES
        .iter()
        .filter(|case| profile.is_enabled(case.id))
        .count()
}

/// Runs `selection` and returns every message in deterministic order.
pub async fn run(
    ctx: &Context,
    selection: &Selection,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Message> {
    let mut framework = Report::framework(&ctx.profile, ctx.started).watched_by(&ctx.stop);
    preamble(ctx, selection, &mut framework);
    if ctx.stop.is_reached() {
        return framework.into_messages();
    }
    if !ctx.families.ipv4 && !ctx.families.ipv6 {
        framework.emit(&tags::NO_NETWORK, args![]);
        return framework.into_messages();
    }
    let mut messages = framework.into_messages();
    match selection {
        Selection::TestCase(id) => messages.extend(run_one(ctx, id, progress).await),
        Selection::Module(module) => messages.extend(run_module(ctx, *module, progress).await),
        Selection::All => messages.extend(run_all(ctx, progress).await),
    }
    messages
}

fn preamble(ctx: &Context, selection: &Selection, report: &mut Report) {
    let now = ctx
        .now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    report.emit(
        &tags::START_TIME,
        args![time_t = now, string = format_time(now)],
    );
    let zone = &ctx.zone;
    match selection {
        Selection::All => report.emit(&tags::TEST_TARGET, args![zone = zone, module = "all"]),
        Selection::Module(module) => report.emit(
            &tags::TEST_TARGET,
            args![zone = zone, module = module.name()],
        ),
        Selection::TestCase(id) => {
            let module = find_test_case(id).map_or("Unknown", |case| case.module.name());
            report.emit(
                &tags::TEST_TARGET,
                args![zone = zone, module = module, testcase = id],
            );
        }
    }
    report.emit(
        &tags::GLOBAL_VERSION,
        args![version = env!("CARGO_PKG_VERSION")],
    );
}

/// `YYYY-MM-DD hh:mm:ss` in UTC, as the reference prints START_TIME.
fn format_time(epoch: u64) -> String {
    let days = epoch / 86_400;
    let seconds = epoch % 86_400;
    let (year, month, day) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Runs one test case if it is implemented and enabled.
async fn run_one(ctx: &Context, id: &str, progress: &(dyn Fn(Progress) + Sync)) -> Vec<Message> {
    let case =
        find_test_case(id).filter(|case| case.is_implemented() && ctx.profile.is_enabled(case.id));
    match case {
        Some(case) => execute(ctx, case, progress).await,
        None => {
            let mut report = Report::framework(&ctx.profile, ctx.started);
            let module = id.trim_end_matches(|c: char| c.is_ascii_digit());
            report.emit(&tags::UNKNOWN_METHOD, args![module = module, testcase = id]);
            report.into_messages()
        }
    }
}

/// Runs one test case with its start and end messages, in a tracing span
/// of its own so that its log lines (and a profile of the run) can be
/// told from those of the test cases running beside it.
///
/// Once the run's stop level is reached, a test case does not start, and
/// one running ends where it is with what it emitted so far (no end
/// message: it did not run to its end).
async fn execute(
    ctx: &Context,
    case: &'static TestCase,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Message> {
    let Some(run) = case.run else {
        return Vec::new();
    };
    if ctx.stop.is_reached() {
        return Vec::new();
    }
    let span = tracing::debug_span!("test_case", id = case.id);
    let chain_before = crate::dns::chain::current();
    progress(Progress::Started(case.id.to_owned()));
    let mut report = Report::for_test_case(&ctx.profile, ctx.started, case).watched_by(&ctx.stop);
    if let Some(start) = tags::test_case_start(case.module) {
        report.emit(start, args![testcase = case.spelled]);
    }
    // A bug of ours in one test case must not take the run down: it is
    // reported as MODULE_ERROR and the run goes on (spec §2.1).
    let outcome = {
        let running = AssertUnwindSafe(run(ctx, &mut report))
            .catch_unwind()
            .instrument(span);
        match select(pin!(running), pin!(ctx.stop.reached())).await {
            Either::Left((outcome, _)) => Some(outcome),
            Either::Right(((), _)) => None,
        }
    };
    let Some(outcome) = outcome else {
        return report.into_messages();
    };
    if let Err(panic) = outcome {
        let text = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the test case stopped unexpectedly".to_owned());
        tracing::error!(test_case = case.id, message = %text, "test case crashed");
        report.emit(
            &tags::MODULE_ERROR,
            args![module = case.module.name(), msg = text],
        );
    }
    if let Some(end) = tags::test_case_end(case.module) {
        report.emit(end, args![testcase = case.spelled]);
    }
    // Where each test case starts and ends on the run's critical path
    // (`zmctl check --elapsed`): the one that ends last is what to shorten.
    tracing::debug!(
        test_case = case.id,
        chain_before = chain_before.queries,
        chain_after = crate::dns::chain::current().queries,
        "test case ended"
    );
    progress(Progress::Finished(case.id.to_owned()));
    report.into_messages()
}

fn has(messages: &[Message], tag: &Tag) -> bool {
    messages.iter().any(|message| message.tag == tag)
}

/// Runs Basic with its skip rules; `true` when testing may go on.
async fn run_basic(ctx: &Context, progress: &(dyn Fn(Progress) + Sync)) -> (Vec<Message>, bool) {
    let mut messages = Vec::new();
    let enabled = |id: &str| {
        find_test_case(id).filter(|case| case.is_implemented() && ctx.profile.is_enabled(case.id))
    };
    if let Some(case) = enabled("basic01") {
        let (found, ask_found) = futures::channel::oneshot::channel::<bool>();
        let basic01 = async {
            let messages = execute(ctx, case, progress).await;
            let _ = found.send(has(&messages, &tags::B01_CHILD_FOUND));
            messages
        };
        let (basic01, ()) = crate::dns::chain::join(basic01, warm_up(ctx, ask_found)).await;
        messages.extend(basic01);
        if ctx.stop.is_reached() {
            return (messages, false);
        }
        if !has(&messages, &tags::B01_CHILD_FOUND) {
            return (messages, enabled("basic02").is_none());
        }
    }
    let Some(basic02) = enabled("basic02") else {
        return (messages, true);
    };
    messages.extend(execute(ctx, basic02, progress).await);
    if ctx.stop.is_reached() {
        return (messages, false);
    }
    if has(&messages, &tags::B02_AUTH_RESPONSE_SOA) {
        let mut report = Report::framework(&ctx.profile, ctx.started);
        report.emit(&tags::HAS_NAMESERVER_NO_WWW_A_TEST, args![zname = ctx.zone]);
        messages.extend(report.into_messages());
        return (messages, true);
    }
    if let Some(basic03) = enabled("basic03") {
        messages.extend(execute(ctx, basic03, progress).await);
    }
    (messages, false)
}

/// While BASIC01 looks for the zone, finds the zone's servers the way
/// BASIC02 and every later module will (version-1 Method1 to Method5,
/// memoised), so their round trips overlap BASIC01's instead of following
/// them. Stops, asking nothing more, as soon as BASIC01 says the zone was
/// not found (then nothing else runs) or the run reaches its stop level.
async fn warm_up(ctx: &Context, found: futures::channel::oneshot::Receiver<bool>) {
    let servers = std::pin::pin!(ctx.zone_v1.child_servers());
    let not_found = std::pin::pin!(async {
        if found.await != Ok(true) {
            return;
        }
        ctx.stop.reached().await;
    });
    futures::future::select(servers, not_found).await;
}

/// A skip rule of spec §2.2 for a module other than Basic: when `after`
/// ran and its messages do (`present`) or do not (`!present`) hold `tag`,
/// the test cases `skip` do not run. A test case named in a rule waits for
/// `after`; everything else runs at once.
struct SkipRule {
    after: &'static str,
    tag: &'static Tag,
    present: bool,
    skip: &'static [&'static str],
}

/// The skip rules of `module` (Basic has [`run_basic`]).
fn skip_rules(module: Module) -> &'static [SkipRule] {
    const SYNTAX: &[SkipRule] = &[
        SkipRule {
            after: "syntax01",
            tag: &tags::ONLY_ALLOWED_CHARS,
            present: false,
            skip: &["syntax04", "syntax05", "syntax06", "syntax07", "syntax08"],
        },
        SkipRule {
            after: "syntax05",
            tag: &tags::syntax::NO_RESPONSE_SOA_QUERY,
            present: true,
            skip: &["syntax06", "syntax07"],
        },
    ];
    // ZONE09 needs ZONE08's MX answer; ZONE10 and ZONE11 need the SOA that
    // any of ZONE02-07 looked for ("so far in the module": one rule each).
    const NO_SOA_SKIPS: &[&str] = &["zone10", "zone11"];
    const ZONE: &[SkipRule] = &[
        SkipRule {
            after: "zone08",
            tag: &tags::zone::NO_RESPONSE_MX_QUERY,
            present: true,
            skip: &["zone09"],
        },
        no_soa_rule("zone02", NO_SOA_SKIPS),
        no_soa_rule("zone03", NO_SOA_SKIPS),
        no_soa_rule("zone04", NO_SOA_SKIPS),
        no_soa_rule("zone05", NO_SOA_SKIPS),
        no_soa_rule("zone06", NO_SOA_SKIPS),
        no_soa_rule("zone07", NO_SOA_SKIPS),
    ];
    const ADDRESS: &[SkipRule] = &[SkipRule {
        after: "address02",
        tag: &tags::address::NAMESERVERS_IP_WITH_REVERSE,
        present: false,
        skip: &["address03"],
    }];
    // DS07_NOT_SIGNED stops the module; DNSSEC11 runs beside DNSSEC07.
    const DNSSEC: &[SkipRule] = &[SkipRule {
        after: "dnssec07",
        tag: &tags::dnssec::DS07_NOT_SIGNED,
        present: true,
        skip: &[
            "dnssec01", "dnssec02", "dnssec03", "dnssec04", "dnssec05", "dnssec06", "dnssec08",
            "dnssec09", "dnssec10", "dnssec13", "dnssec14", "dnssec15", "dnssec16", "dnssec17",
            "dnssec18",
        ],
    }];
    match module {
        Module::Address => ADDRESS,
        Module::Dnssec => DNSSEC,
        Module::Syntax => SYNTAX,
        Module::Zone => ZONE,
        _ => &[],
    }
}

/// Zone's rule for `after`: its `NO_RESPONSE_SOA_QUERY` skips `skip`.
const fn no_soa_rule(after: &'static str, skip: &'static [&'static str]) -> SkipRule {
    SkipRule {
        after,
        tag: &tags::zone::NO_RESPONSE_SOA_QUERY,
        present: true,
        skip,
    }
}

impl SkipRule {
    /// True when the rule holds back `case` until `after` has run.
    fn waits(&self, case: &TestCase, pending: &[&TestCase]) -> bool {
        self.skip.contains(&case.id) && pending.iter().any(|other| other.id == self.after)
    }

    /// True when the rule, given what has run, skips `case`.
    fn skips(&self, case: &TestCase, finished: &[(&TestCase, Vec<Message>)]) -> bool {
        self.skip.contains(&case.id)
            && finished.iter().any(|(ran, messages)| {
                ran.id == self.after && has(messages, self.tag) == self.present
            })
    }
}

/// Runs a module other than Basic: its enabled test cases, concurrently
/// in waves as its skip rules allow, messages in table order.
async fn run_plain_module(
    ctx: &Context,
    module: Module,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Message> {
    let rules = skip_rules(module);
    let mut pending: Vec<&'static TestCase> = implemented()
        .filter(|case| case.module == module && ctx.profile.is_enabled(case.id))
        .collect();
    let mut finished: Vec<(&'static TestCase, Vec<Message>)> = Vec::new();
    while !pending.is_empty() {
        let (ready, waiting): (Vec<&'static TestCase>, Vec<&'static TestCase>) = pending
            .iter()
            .copied()
            .partition(|case| !rules.iter().any(|rule| rule.waits(case, &pending)));
        if ready.is_empty() {
            break;
        }
        let runs: Vec<&'static TestCase> = ready
            .into_iter()
            .filter(|case| !rules.iter().any(|rule| rule.skips(case, &finished)))
            .collect();
        let results = join_all(runs.iter().map(|case| execute(ctx, case, progress))).await;
        finished.extend(runs.into_iter().zip(results));
        pending = waiting;
    }
    finished.sort_by_key(|(case, _)| TEST_CASES.iter().position(|row| row == *case));
    finished
        .into_iter()
        .flat_map(|(_, messages)| messages)
        .collect()
}

async fn run_module(
    ctx: &Context,
    module: Module,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Message> {
    let mut messages = if module == Module::Basic {
        let (messages, _) = run_basic(ctx, progress).await;
        messages
    } else {
        run_plain_module(ctx, module, progress).await
    };
    if ctx.stop.is_reached() {
        return messages;
    }
    let mut report = Report::framework(&ctx.profile, ctx.started);
    report.emit(&tags::MODULE_END, args![module = module.name()]);
    messages.extend(report.into_messages());
    messages
}

async fn run_all(ctx: &Context, progress: &(dyn Fn(Progress) + Sync)) -> Vec<Message> {
    let (mut messages, may_continue) = run_basic(ctx, progress).await;
    if ctx.stop.is_reached() {
        return messages;
    }
    if !may_continue {
        let mut report = Report::framework(&ctx.profile, ctx.started);
        report.emit(&tags::CANNOT_CONTINUE, args![domain = ctx.zone]);
        messages.extend(report.into_messages());
        return messages;
    }
    let others = Module::RUN_ORDER
        .iter()
        .copied()
        .filter(|module| *module != Module::Basic && *module != Module::System);
    let results = join_all(others.map(|module| run_plain_module(ctx, module, progress))).await;
    messages.extend(results.into_iter().flatten());
    messages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Replayer;
    use crate::engine::context::RunSetup;
    use crate::engine::hints::RootHints;
    use crate::engine::profile::Profile;
    use std::sync::Arc;
    use std::time::SystemTime;

    async fn crashing(_: &Context, _: &mut Report) {
        panic!("boom")
    }

    static CRASHING: TestCase = TestCase {
        id: "basic01",
        spelled: "Basic01",
        module: Module::Basic,
        title: "crashes",
        run: Some(|ctx, report| Box::pin(crashing(ctx, report))),
    };

    #[tokio::test]
    async fn a_crashing_test_case_becomes_module_error_and_ends_normally() {
        let ctx = quiet_context();
        let messages = execute(&ctx, &CRASHING, &|_| {}).await;
        let tags: Vec<&str> = messages.iter().map(Message::tag_name).collect();
        assert_eq!(tags, ["TEST_CASE_START", "MODULE_ERROR", "TEST_CASE_END"]);
        assert_eq!(messages[1].arg("msg").as_deref(), Some("boom"));
        assert_eq!(messages[1].level, crate::engine::level::Level::Critical);
    }

    /// Emits a CRITICAL message, then waits forever.
    async fn stuck_after_critical(_: &Context, report: &mut Report) {
        report.emit(&tags::MODULE_ERROR, args![module = "Basic", msg = "stuck"]);
        std::future::pending::<()>().await;
    }

    static STUCK: TestCase = TestCase {
        id: "basic01",
        spelled: "Basic01",
        module: Module::Basic,
        title: "emits, then never ends",
        run: Some(|ctx, report| Box::pin(stuck_after_critical(ctx, report))),
    };

    fn quiet_context() -> Context {
        Context::new(RunSetup {
            zone: hickory_proto::rr::Name::from_ascii("example.").unwrap(),
            profile: Arc::new(Profile::default()),
            hints: RootHints::builtin(),
            transport: Arc::new(Replayer::new()),
            fake: None,
            now: SystemTime::now(),
            fixed_clock: false,
        })
    }

    #[tokio::test]
    async fn the_stop_level_ends_a_running_test_case_and_keeps_what_it_said() {
        use crate::engine::level::Level;
        use crate::engine::stop::StopSignal;
        let ctx = quiet_context().stopping_at(Arc::new(StopSignal::at(Level::Critical)));
        let finished = std::sync::Mutex::new(Vec::new());
        let progress = |event: Progress| finished.lock().unwrap().push(event);
        let messages = execute(&ctx, &STUCK, &progress).await;
        let tags: Vec<&str> = messages.iter().map(Message::tag_name).collect();
        assert_eq!(tags, ["TEST_CASE_START", "MODULE_ERROR"], "no end message");
        assert!(ctx.stop.is_reached());
        assert_eq!(
            finished.lock().unwrap().as_slice(),
            [Progress::Started("basic01".into())],
            "a test case cut short did not finish"
        );
        // Once stopped, nothing more starts.
        assert!(execute(&ctx, &CRASHING, &|_| {}).await.is_empty());
    }

    #[test]
    fn start_time_is_printed_in_utc() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00");
        assert_eq!(format_time(1_764_345_600), "2025-11-28 16:00:00");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00");
    }
}
