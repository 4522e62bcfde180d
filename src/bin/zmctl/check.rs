//! `zmctl check DOMAIN`: the engine in-process, modelled on zonemaster-cli.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use clap::Args;
use hickory_proto::rr::Name;
use indicatif::{ProgressBar, ProgressStyle};
use zonemaster::dns::{
    LiveTransport, Query, QueryOptions, Recorder, Replayer, Restored, Transport, restore,
};
use zonemaster::engine::check::{CheckRequest, CheckResult, TestCaseCount, run_check};
use zonemaster::engine::level::Level;
use zonemaster::engine::message::Message;
use zonemaster::engine::module::Module;
use zonemaster::engine::name::display;
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::profile::Profile;
use zonemaster::engine::runner::{Progress, Selection, planned};
use zonemaster::engine::testcases::{find_test_case, test_cases_of};
use zonemaster::engine::{FakeDelegation, IpFamilies, RootHints};
use zonemaster::i18n::{Language, render_json};
use zonemaster::lookup::{LookupSetup, lookup_delegation};

use crate::Failure;
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
    /// Do not use IPv4.
    #[arg(long)]
    no_ipv4: bool,
    /// Do not use IPv6.
    #[arg(long)]
    no_ipv6: bool,
    /// Print the shown messages as one JSON array.
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
    let level: Level = args
        .level
        .parse()
        .map_err(|error| Failure::input(format!("--level: {error}")))?;
    let fail_level: Option<Level> = match &args.fail_level {
        Some(text) => Some(
            text.parse()
                .map_err(|error| Failure::input(format!("--fail-level: {error}")))?,
        ),
        None => None,
    };
    let language: Language = args
        .locale
        .parse()
        .map_err(|error| Failure::input(format!("--locale: {error}")))?;
    if !args.json && !args.json_stream {
        crate::note_english_fallback(language.code());
    }
    let selections = selections(&args.tests, &profile)?;
    let hints = match &args.hints {
        Some(path) => RootHints::from_file(path)
            .map_err(|error| Failure::input(crate::error_chain(&error)))?,
        None => RootHints::builtin(),
    };
    let (transport, recorder, replayer) = transport(&args)?;
    let fake = undelegated(&args, &zone, &profile, &hints, &transport).await?;
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
    let result = run_check(request, &on_progress).await;
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
    if !misses.is_empty() {
        if result.failure.is_none() {
            print_result(&args, &result, level, language, out);
        }
        warn_replay_misses(&misses);
        return Ok(1);
    }
    if let Some(failure) = &result.failure {
        return Err(Failure::failed(
            failure.explain("--hints", "the --ns addresses"),
        ));
    }
    print_result(&args, &result, level, language, out);
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
    if args.no_ipv4 {
        profile.set_ipv4(false);
    }
    if args.no_ipv6 {
        profile.set_ipv6(false);
    }
    Ok(profile)
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

fn transport(args: &CheckArgs) -> Result<Transports, Failure> {
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
    let live: Arc<dyn Transport> = Arc::new(LiveTransport::new());
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

fn progress_bar(args: &CheckArgs) -> Option<ProgressBar> {
    if args.json || args.json_stream || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    let style =
        ProgressStyle::with_template("{spinner} {pos} test cases done, {msg} ({elapsed})").ok()?;
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

fn print_result(
    args: &CheckArgs,
    result: &CheckResult,
    level: Level,
    language: Language,
    out: &mut dyn Write,
) {
    let shown: Vec<&Message> = result
        .messages
        .iter()
        .filter(|m| m.level >= level)
        .collect();
    if args.json {
        let document = serde_json::json!({
            "testcases": result.test_cases,
            "results": shown,
        });
        let _ = writeln!(out, "{document}");
    } else if args.json_stream {
        for message in &shown {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(message).unwrap_or_default()
            );
        }
    } else {
        print_table(&shown, language, out);
        let TestCaseCount { ran, enabled } = result.test_cases;
        let _ = writeln!(out, "\n{}", crate::testcase_summary(ran, enabled));
    }
    if args.count {
        print_counts(&result.messages, out);
    }
    if args.nstimes {
        print_nstimes(result, out);
    }
    if args.elapsed {
        let queries: u64 = result.stats.iter().map(|row| row.queries).sum();
        let _ = writeln!(
            out,
            "Total time: {:.2} s, {queries} queries to {} servers",
            result.elapsed.as_secs_f64(),
            result.stats.len()
        );
        let path = result.critical_path;
        let _ = writeln!(
            out,
            "Critical path: {} dependent queries, {:.2} s of exchanges one after the other",
            path.queries,
            path.time.as_secs_f64()
        );
    }
}

fn print_table(messages: &[&Message], language: Language, out: &mut dyn Write) {
    let _ = writeln!(
        out,
        "{:>8} {:<8} {:<12} {:<14} Message",
        "Seconds", "Level", "Module", "Testcase"
    );
    for message in messages {
        let rendered = render_json(message.tag, &message.args, language).text;
        let _ = writeln!(
            out,
            "{:>8.2} {:<8} {:<12} {:<14} {}",
            message.timestamp,
            message.level,
            message.module(),
            message.testcase(),
            rendered
        );
    }
}

fn print_counts(messages: &[Message], out: &mut dyn Write) {
    let _ = writeln!(out, "\nLevel     Messages");
    for level in Level::ALL.iter().rev() {
        let count = messages.iter().filter(|m| m.level == *level).count();
        if count > 0 {
            let _ = writeln!(out, "{level:<9} {count}");
        }
    }
}

fn print_nstimes(result: &CheckResult, out: &mut dyn Write) {
    let _ = writeln!(
        out,
        "\n{:<40} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "Server", "Queries", "Min ms", "Median", "Max ms", "Total ms"
    );
    let ms = |duration: Option<std::time::Duration>| {
        duration.map_or("-".to_owned(), |d| {
            format!("{:.1}", d.as_secs_f64() * 1000.0)
        })
    };
    for row in &result.stats {
        let _ = writeln!(
            out,
            "{:<40} {:>7} {:>9} {:>9} {:>9} {:>9}",
            row.server.to_string(),
            row.queries,
            ms(row.min),
            ms(row.median),
            ms(row.max),
            ms(Some(row.total))
        );
    }
}
