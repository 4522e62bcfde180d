//! `zmctl check DOMAIN`: the engine in-process, modelled on zonemaster-cli.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use clap::Args;
use hickory_proto::rr::Name;
use indicatif::{ProgressBar, ProgressStyle};
use zonemaster::config::DEFAULT_QUERIES_PER_SECOND_PER_SERVER;
use zonemaster::dns::{
    LiveTransport, Pacer, Query, QueryOptions, Recorder, Replayer, Restored, Transport, restore,
};
use zonemaster::engine::check::{CheckRequest, run_check, run_check_stopping_at};
use zonemaster::engine::level::Level;
use zonemaster::engine::module::Module;
use zonemaster::engine::name::display;
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::profile::Profile;
use zonemaster::engine::runner::{Progress, Selection, planned};
use zonemaster::engine::testcases::{find_test_case, test_cases_of};
use zonemaster::engine::{FakeDelegation, IpFamilies, RootHints};
use zonemaster::i18n::Language;
use zonemaster::lookup::{LookupSetup, lookup_delegation};

use crate::Failure;
use crate::check_output::{
    JsonShape, OutputFlags, Shown, note_stopped, params_summary, print_result,
};
use crate::undelegated::UndelegatedArgs;

/// Flags of `zmctl check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The zone to check (IDN allowed). Not needed with --list-tests or --dump-profile.
    domain: Option<String>,
    /// Run only this module or MODULE/TESTCASE (repeatable, case-insensitive).
    #[arg(long = "test", value_name = "MODULE[/TESTCASE]")]
    tests: Vec<String>,
    /// Root hints file instead of the IANA root servers.
    #[arg(long, value_name = "FILE")]
    hints: Option<PathBuf>,
    /// `--ns`, `--ds` and `--from-parent`, as `test start` takes them.
    #[command(flatten)]
    undelegated: UndelegatedArgs,
    /// A custom profile (JSON), merged over the default.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Show messages at this level and above.
    #[arg(long, value_name = "LEVEL", default_value = "NOTICE")]
    level: String,
    /// Exit with code 3 when a message at or above this level was emitted.
    #[arg(long, value_name = "LEVEL")]
    fail_level: Option<String>,
    /// Use IPv4 even if the profile does not.
    #[arg(long, overrides_with = "no_ipv4")]
    ipv4: bool,
    /// Do not use IPv4.
    #[arg(long, overrides_with = "ipv4")]
    no_ipv4: bool,
    /// Use IPv6 even if the profile does not.
    #[arg(long, overrides_with = "no_ipv6")]
    ipv6: bool,
    /// Do not use IPv6.
    #[arg(long, overrides_with = "ipv6")]
    no_ipv6: bool,
    /// Send IPv4 queries from this address (the profile's resolver.source4).
    #[arg(long, value_name = "ADDRESS")]
    sourceaddr4: Option<Ipv4Addr>,
    /// Send IPv6 queries from this address (the profile's resolver.source6).
    #[arg(long, value_name = "ADDRESS")]
    sourceaddr6: Option<Ipv6Addr>,
    /// End the run at the first message at this level or above; what was
    /// found until then is shown.
    #[arg(long, value_name = "LEVEL")]
    stop_level: Option<String>,
    /// Print the shown messages as one JSON object ({"testcases", "results"}).
    #[arg(long, conflicts_with = "json_stream")]
    json: bool,
    /// Print the shown messages as JSON objects, one per line.
    #[arg(long)]
    json_stream: bool,
    /// Save every DNS exchange of the run to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "restore")]
    save: Option<PathBuf>,
    /// Answer every DNS query from FILE instead of the network: a recording
    /// made by --save, or a Zonemaster .data recording.
    ///
    /// The format is read from the content, not the file name. A Zonemaster
    /// recording is matched through its index when there is one
    /// (--restore-index, else STEM.index.jsonl beside FILE or in ../index/,
    /// as in the conformance tree), else by the recording's own query keys,
    /// computed from each query asked (name as asked or lower-cased, type,
    /// class, DO, TCP, RD, EDNS); a null entry replays as a timeout.
    /// Questions the recording has no answer to are counted in a warning
    /// and the exit code is 1.
    #[arg(long, value_name = "FILE")]
    restore: Option<PathBuf>,
    /// The .index.jsonl of the Zonemaster recording given to --restore.
    #[arg(long, value_name = "FILE", requires = "restore")]
    restore_index: Option<PathBuf>,
    /// List the test cases and exit.
    #[arg(long)]
    list_tests: bool,
    /// Print the effective profile as JSON and exit.
    #[arg(long)]
    dump_profile: bool,
    /// Print per-server query times at the end.
    #[arg(long)]
    nstimes: bool,
    /// Print the number of messages per level at the end.
    #[arg(long)]
    count: bool,
    /// Print the run's total time, how many queries it sent and its critical
    /// path (the longest chain of queries that waited on one another: a
    /// floor under the total time) at the end.
    #[arg(long)]
    elapsed: bool,
    /// Run as of this time (RFC 3339, e.g. 2026-12-06T12:00:00Z) instead of
    /// now; with --restore the default is when the recording was made.
    #[arg(long, value_name = "RFC3339-TIME")]
    now: Option<String>,
    /// Language of the message texts (e.g. en, sv).
    #[arg(long, value_name = "LOCALE", default_value = "en")]
    locale: String,
    #[command(flatten)]
    output: OutputFlags,
}

/// Runs `zmctl check`; returns the exit code.
pub async fn check(args: CheckArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let profile = load_profile(&args)?;
    if args.dump_profile {
        let _ = writeln!(out, "{}", profile.to_json());
        return Ok(0);
    }
    if args.list_tests {
        list_tests(&profile, out);
        return Ok(0);
    }
    let Some(domain_text) = args.domain.as_deref() else {
        return Err(Failure::input(
            "a DOMAIN to check is required (or --list-tests / --dump-profile)",
        ));
    };
    let zone = parse_domain(domain_text).map_err(|error| {
        Failure::input(format!(
            "invalid domain name `{domain_text}`: {error} ({})",
            error.tag()
        ))
    })?;
    let domain = display(&zone);
    let level: Level = args
        .level
        .parse()
        .map_err(|error| Failure::input(format!("--level: {error}")))?;
    let fail_level = parse_level("--fail-level", args.fail_level.as_deref())?;
    let stop_level = parse_level("--stop-level", args.stop_level.as_deref())?;
    let language: Language = args
        .locale
        .parse()
        .map_err(|error| Failure::input(format!("--locale: {error}")))?;
    if !args.json && !args.json_stream {
        crate::note_english_fallback(language.code());
    }
    args.output.note_deprecated(args.json || args.json_stream);
    let selections = selections(&args.tests, &profile)?;
    let hints = match &args.hints {
        Some(path) => RootHints::from_file(path)
            .map_err(|error| Failure::input(crate::error_chain(&error)))?,
        None => RootHints::builtin(),
    };
    let (transport, recorder, replayer) = transport(&args, &profile)?;
    let fake = undelegated(&args, &zone, &profile, &hints, &transport).await?;
    let params = params_summary(
        profile.ipv4(),
        profile.ipv6(),
        args.profile
            .as_ref()
            .map(|path| path.display().to_string())
            .as_deref(),
        fake.as_ref(),
    );
    let now = match &args.now {
        Some(text) => parse_now(text)?,
        None => replayer
            .as_ref()
            .and_then(|replayer| replayer.recorded_at())
            .unwrap_or_else(SystemTime::now),
    };
    let request = CheckRequest {
        zone,
        selections,
        profile: Arc::new(profile),
        hints,
        fake,
        transport,
        now,
        fixed_clock: args.now.is_some(),
    };
    let bar = progress_bar(&args);
    let on_progress = |event: Progress| {
        let Some(bar) = &bar else { return };
        match event {
            Progress::Started(id) => bar.set_message(format!("running {id}")),
            Progress::Finished(_) => bar.inc(1),
        }
    };
    let started_at = chrono::DateTime::<chrono::Utc>::from(now)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let result = match stop_level {
        Some(level) => run_check_stopping_at(request, &on_progress, level).await,
        None => run_check(request, &on_progress).await,
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Some(recorder) = recorder {
        recorder
            .flush()
            .map_err(|error| Failure::input(crate::error_chain(&error)))?;
    }
    // Replay misses first: over an incomplete recording, silent "servers"
    // are questions the recording lacks, not a network that is down.
    let misses = replayer
        .map(|replayer| replayer.misses())
        .unwrap_or_default();
    let shown = Shown {
        level,
        language,
        json: match (args.json, args.json_stream) {
            (true, _) => JsonShape::Document,
            (_, true) => JsonShape::Stream,
            _ => JsonShape::None,
        },
        count: args.count,
        nstimes: args.nstimes,
        elapsed: args.elapsed,
        flags: &args.output,
        domain: &domain,
        params,
        started_at,
    };
    if !misses.is_empty() {
        if result.failure.is_none() {
            print_result(&shown, &result, out);
        }
        warn_replay_misses(&misses);
        return Ok(1);
    }
    if let Some(failure) = &result.failure {
        return Err(Failure::failed(
            failure.explain("--hints", "the --ns addresses"),
        ));
    }
    print_result(&shown, &result, out);
    if let Some(stop_level) = stop_level.filter(|_| result.stopped) {
        note_stopped(&result, stop_level);
    }
    let reached = fail_level.is_some_and(|fail| result.messages.iter().any(|m| m.level >= fail));
    Ok(if reached { 3 } else { 0 })
}

/// Says how many questions the recording could not answer and the first
/// few of them. A run over an incomplete recording judged the zone on
/// answers it never had.
fn warn_replay_misses(misses: &[(IpAddr, Query)]) {
    eprintln!(
        "zmctl: warning: the recording had no answer to {} of the questions asked \
         (another domain, other hints or another profile?); the results are not a verdict",
        misses.len()
    );
    for (server, query) in misses.iter().take(5) {
        eprintln!(
            "  {} {} {} to {server}",
            display(&query.name),
            query.class,
            query.rtype
        );
    }
    if misses.len() > 5 {
        eprintln!("  … and {} more", misses.len() - 5);
    }
}

fn load_profile(args: &CheckArgs) -> Result<Profile, Failure> {
    let mut profile = match &args.profile {
        Some(path) => {
            Profile::from_file(path).map_err(|error| Failure::input(crate::error_chain(&error)))?
        }
        None => Profile::default(),
    };
    if args.no_ipv4 && args.no_ipv6 {
        return Err(Failure::input(
            "--no-ipv4 and --no-ipv6 together leave no network to use",
        ));
    }
    // After the profile, so that the command line wins (as in zonemaster-cli).
    if args.ipv4 || args.no_ipv4 {
        profile.set_ipv4(args.ipv4);
    }
    if args.ipv6 || args.no_ipv6 {
        profile.set_ipv6(args.ipv6);
    }
    if let Some(address) = args.sourceaddr4 {
        profile.set_source4(Some(address));
    }
    if let Some(address) = args.sourceaddr6 {
        profile.set_source6(Some(address));
    }
    Ok(profile)
}

/// A `--fail-level` or `--stop-level` value.
fn parse_level(flag: &str, text: Option<&str>) -> Result<Option<Level>, Failure> {
    text.map(|text| {
        text.parse()
            .map_err(|error| Failure::input(format!("{flag}: {error}")))
    })
    .transpose()
}

fn list_tests(profile: &Profile, out: &mut dyn Write) {
    for module in Module::RUN_ORDER.iter().filter(|m| **m != Module::System) {
        let _ = writeln!(out, "{}", module.name());
        for case in test_cases_of(*module) {
            let implemented = if case.is_implemented() {
                ""
            } else {
                " (not yet implemented)"
            };
            let enabled = if profile.is_enabled(case.id) {
                ""
            } else {
                " [disabled in profile]"
            };
            let _ = writeln!(
                out,
                "  {:<14} {}{implemented}{enabled}",
                case.id, case.title
            );
        }
    }
}

/// `MODULE` or `MODULE/TESTCASE`, checked against the tables; each must
/// run at least one test case (issue 8, point 3), and so must a full run.
fn selections(tests: &[String], profile: &Profile) -> Result<Vec<Selection>, Failure> {
    if tests.is_empty() {
        if planned(&Selection::All, profile).is_empty() {
            return Err(Failure::input(
                "the profile enables no implemented test case: nothing would run",
            ));
        }
        return Ok(Vec::new());
    }
    let selections = parse_selections(tests)?;
    for (test, selection) in tests.iter().zip(&selections) {
        if planned(selection, profile).is_empty() {
            return Err(Failure::input(format!(
                "--test {test}: {}",
                why_nothing_runs(selection)
            )));
        }
    }
    Ok(selections)
}

/// Why `selection` runs no test case: none implemented, or all disabled.
fn why_nothing_runs(selection: &Selection) -> String {
    match selection {
        Selection::Module(module) if !test_cases_of(*module).any(|case| case.is_implemented()) => {
            format!(
                "no test case of module {} is implemented yet, so nothing would run \
             (zmctl check --list-tests shows what is)",
                module.name()
            )
        }
        Selection::Module(module) => format!(
            "every test case of module {} is disabled in the profile, so nothing would run",
            module.name()
        ),
        Selection::TestCase(id)
            if !find_test_case(id).is_some_and(|case| case.is_implemented()) =>
        {
            format!(
                "test case {id} is not implemented yet, so nothing would run \
             (zmctl check --list-tests shows what is)"
            )
        }
        Selection::TestCase(id) => {
            format!("test case {id} is disabled in the profile, so nothing would run")
        }
        Selection::All => "nothing would run".to_owned(),
    }
}

fn parse_selections(tests: &[String]) -> Result<Vec<Selection>, Failure> {
    tests
        .iter()
        .map(|test| {
            let (module_text, case) = match test.split_once('/') {
                Some((module, case)) => (module, Some(case)),
                None => (test.as_str(), None),
            };
            let module: Module = module_text.parse().map_err(|_| {
                Failure::input(format!("--test {test}: unknown module `{module_text}`"))
            })?;
            match case {
                None => Ok(Selection::Module(module)),
                Some(case) => match find_test_case(case).filter(|found| found.module == module) {
                    Some(found) => Ok(Selection::TestCase(found.id.to_owned())),
                    None => Err(Failure::input(format!(
                        "--test {test}: no test case `{case}` in module {}",
                        module.name()
                    ))),
                },
            }
        })
        .collect()
}

/// The supplied delegation: `--ns` and `--ds`, over the parent's own
/// delegation with `--from-parent` (looked up here, through the run's
/// hints and transport, so `--save` records it and `--restore` replays it).
async fn undelegated(
    args: &CheckArgs,
    zone: &Name,
    profile: &Profile,
    hints: &RootHints,
    transport: &Arc<dyn Transport>,
) -> Result<Option<FakeDelegation>, Failure> {
    if !args.undelegated.from_parent {
        return args.undelegated.fake_delegation(None);
    }
    let setup = LookupSetup {
        hints: hints.clone(),
        families: IpFamilies {
            ipv4: profile.ipv4(),
            ipv6: profile.ipv6(),
        },
        options: QueryOptions::default(),
        transport: Arc::clone(transport),
    };
    let parent = lookup_delegation(zone, &setup)
        .await
        .map_err(|error| Failure::failed(format!("--from-parent: {error}")))?;
    args.undelegated.fake_delegation(Some(&parent))
}

/// The transport to run over, the recorder to flush when saving, and the
/// replayer whose misses to report when restoring.
type Transports = (
    Arc<dyn Transport>,
    Option<Arc<Recorder>>,
    Option<Arc<Replayer>>,
);

fn transport(args: &CheckArgs, profile: &Profile) -> Result<Transports, Failure> {
    if let Some(path) = &args.restore {
        let restored = restore(path, args.restore_index.as_deref())
            .map_err(|error| Failure::input(crate::error_chain(&error)))?;
        note_restored(path, &restored);
        let replayer = Arc::new(restored.replayer);
        return Ok((
            Arc::clone(&replayer) as Arc<dyn Transport>,
            None,
            Some(replayer),
        ));
    }
    // The agents' default per-server rate limit (docs/abuse-limits.md).
    let pacer = Pacer::new(DEFAULT_QUERIES_PER_SECOND_PER_SERVER);
    let live = LiveTransport::new()
        .with_sources(profile.source4(), profile.source6())
        .with_pacer(Arc::new(pacer));
    live.check_sources().map_err(|error| {
        let flag = if error.address.is_ipv4() {
            "--sourceaddr4"
        } else {
            "--sourceaddr6"
        };
        Failure::input(format!("{flag}: {}", crate::error_chain(&error)))
    })?;
    let live: Arc<dyn Transport> = Arc::new(live);
    match &args.save {
        Some(path) => {
            let recorder = Arc::new(
                Recorder::create(live, path)
                    .map_err(|error| Failure::input(crate::error_chain(&error)))?,
            );
            Ok((
                Arc::clone(&recorder) as Arc<dyn Transport>,
                Some(recorder),
                None,
            ))
        }
        None => Ok((live, None, None)),
    }
}

/// Says on stderr how a Zonemaster recording is matched, and warns when
/// its index promises replies the data lacks (an index of another file?).
fn note_restored(path: &std::path::Path, restored: &Restored) {
    let Some(report) = restored.report else {
        return;
    };
    match &restored.index {
        Some(index) => eprintln!(
            "zmctl: note: replaying {} through its index {}",
            path.display(),
            index.display()
        ),
        None => eprintln!(
            "zmctl: note: replaying {} by its query keys (no index found)",
            path.display()
        ),
    }
    if report.missing_packets > 0 {
        eprintln!(
            "zmctl: warning: {} queries of the index have no reply in {} (is the index \
             for this recording?); they replay as timeouts",
            report.missing_packets,
            path.display()
        );
    }
}

/// `--now`: an RFC 3339 time.
fn parse_now(text: &str) -> Result<SystemTime, Failure> {
    let time = chrono::DateTime::parse_from_rfc3339(text).map_err(|error| {
        Failure::input(format!(
            "--now: `{text}` is not an RFC 3339 time such as 2026-12-06T12:00:00Z ({error})"
        ))
    })?;
    Ok(SystemTime::from(time))
}

/// A spinner on stderr, on a terminal only: by default not with JSON
/// output; `--progress`/`--no-progress` decide otherwise.
fn progress_bar(args: &CheckArgs) -> Option<ProgressBar> {
    let wanted = args
        .output
        .progress()
        .unwrap_or(!args.json && !args.json_stream);
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    let style =
        ProgressStyle::with_template("{spinner} {pos} test cases done, {msg} ({elapsed})").ok()?;
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}
