//! How `zmctl check` shows a run: zonemaster-cli's output flags, its two
//! JSON shapes, and the export formats of [`zonemaster::report`].

use std::io::Write;

use clap::Args;
use serde_json::{Map, Value};
use zonemaster::engine::check::{CheckResult, TestCaseCount};
use zonemaster::engine::level::Level;
use zonemaster::engine::message::Message;
use zonemaster::engine::name::display;
use zonemaster::engine::undelegated::FakeDelegation;
use zonemaster::i18n::{Language, render_json};
use zonemaster::report::{Coverage, Format, ParamsSummary, Report, TextColumns};

/// The output flags zonemaster-cli users know, and `--format`. Each
/// switch has its `--no-…` form (the last one given wins); the form that
/// only restates the default is hidden from `--help`.
#[derive(Args, Debug)]
pub struct OutputFlags {
    /// Show each message's tag and arguments instead of its text (no
    /// header line); with --json, leave the texts out.
    #[arg(long, overrides_with = "no_raw")]
    raw: bool,
    /// Show message texts (the default).
    #[arg(long, overrides_with = "raw", hide = true)]
    no_raw: bool,
    /// Show the level column (the default).
    #[arg(long, overrides_with = "no_show_level", hide = true)]
    show_level: bool,
    /// Leave the level column out (also from --json).
    #[arg(long, overrides_with = "show_level")]
    no_show_level: bool,
    /// Show the module column (the default).
    #[arg(long, overrides_with = "no_show_module", hide = true)]
    show_module: bool,
    /// Leave the module column out (also from --json).
    #[arg(long, overrides_with = "show_module")]
    no_show_module: bool,
    /// Show the test case column (the default).
    #[arg(long, overrides_with = "no_show_testcase", hide = true)]
    show_testcase: bool,
    /// Leave the test case column out (also from --json).
    #[arg(long, overrides_with = "show_testcase")]
    no_show_testcase: bool,
    /// Show each message's tag before its text.
    #[arg(long, overrides_with = "no_show_tag")]
    show_tag: bool,
    /// Do not show tags (the default).
    #[arg(long, overrides_with = "show_tag", hide = true)]
    no_show_tag: bool,
    /// Show the seconds column (the default).
    #[arg(long, overrides_with = "no_time", hide = true)]
    time: bool,
    /// Leave the seconds column out (also `timestamp` from --json).
    #[arg(long, overrides_with = "time")]
    no_time: bool,
    /// Deprecated in zonemaster-cli: the same as --no-raw.
    #[arg(long, overrides_with = "no_json_translate", hide = true)]
    json_translate: bool,
    /// Deprecated in zonemaster-cli: the same as --raw.
    #[arg(long, overrides_with = "json_translate", hide = true)]
    no_json_translate: bool,
    /// Show a spinner on stderr even with --json (only ever on a terminal).
    #[arg(long, overrides_with = "no_progress")]
    progress: bool,
    /// No spinner, not even on a terminal.
    #[arg(long, overrides_with = "progress")]
    no_progress: bool,
    /// Write the shown messages as one document: text, json, csv, html (one
    /// self-contained page) or markdown. The extra lines of --count,
    /// --nstimes and --elapsed then go to stderr.
    #[arg(
        long,
        value_name = "FORMAT",
        value_parser = parse_format,
        conflicts_with_all = ["json", "json_stream"]
    )]
    format: Option<Format>,
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
        .map_err(|error: zonemaster::report::UnknownFormat| error.to_string())
}

impl OutputFlags {
    /// Tags and arguments instead of texts: `--raw`, else the opposite of
    /// `--json-translate`, else no.
    pub fn is_raw(&self) -> bool {
        let translate =
            (self.json_translate || self.no_json_translate).then_some(self.json_translate);
        match (self.raw, self.no_raw) {
            (true, _) => true,
            (_, true) => false,
            _ => translate.is_some_and(|translate| !translate),
        }
    }

    /// The text format's columns.
    pub fn columns(&self) -> TextColumns {
        TextColumns {
            time: !self.no_time,
            level: !self.no_show_level,
            module: !self.no_show_module,
            testcase: !self.no_show_testcase,
            tag: self.show_tag,
            raw: self.is_raw(),
        }
    }

    /// `Some(true)` with `--progress`, `Some(false)` with
    /// `--no-progress`, `None` to decide by the output.
    pub fn progress(&self) -> Option<bool> {
        (self.progress || self.no_progress).then_some(self.progress)
    }

    /// The export format, if one was asked for.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Says on stderr what zonemaster-cli says of `--json-translate`: it
    /// is deprecated, and without JSON output it does nothing (its
    /// negation does: it is `--raw`).
    pub fn note_deprecated(&self, is_json: bool) {
        let (given, instead) = match (self.json_translate, self.no_json_translate) {
            (true, _) => ("--json-translate", "--no-raw"),
            (_, true) => ("--no-json-translate", "--raw"),
            _ => return,
        };
        if self.json_translate && !is_json {
            eprintln!(
                "zmctl: warning: --json-translate has no effect without --json or --json-stream"
            );
        }
        eprintln!("zmctl: warning: {given} is deprecated, use {instead} instead");
    }
}

/// Which JSON shape zonemaster-cli's flags ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonShape {
    /// None: text or `--format`.
    None,
    /// `--json`: one document.
    Document,
    /// `--json-stream`: one message per line.
    Stream,
}

/// Everything that decides what is printed of a run.
pub struct Shown<'a> {
    /// Messages below it are not shown (`--level`).
    pub level: Level,
    /// The language of the texts.
    pub language: Language,
    /// `--json` or `--json-stream`.
    pub json: JsonShape,
    /// `--count`.
    pub count: bool,
    /// `--nstimes`.
    pub nstimes: bool,
    /// `--elapsed`.
    pub elapsed: bool,
    /// The output flags.
    pub flags: &'a OutputFlags,
    /// The zone, as checked.
    pub domain: &'a str,
    /// What the run was asked to do, for an export's header.
    pub params: ParamsSummary,
    /// When the run started, RFC 3339.
    pub started_at: String,
}

/// Prints the run: the shown messages in the chosen shape, then what
/// `--count`, `--nstimes` and `--elapsed` ask for (on stderr when stdout
/// holds an export document).
pub fn print_result(shown: &Shown<'_>, result: &CheckResult, out: &mut dyn Write) {
    let messages: Vec<&Message> = result
        .messages
        .iter()
        .filter(|m| m.level >= shown.level)
        .collect();
    match (shown.json, shown.flags.format()) {
        (JsonShape::Document, _) => {
            let results: Vec<Value> = messages
                .iter()
                .map(|m| Value::Object(json_message(shown, m)))
                .collect();
            let document = serde_json::json!({"testcases": result.test_cases, "results": results});
            let _ = writeln!(out, "{document}");
        }
        (JsonShape::Stream, _) => {
            for message in &messages {
                let _ = writeln!(out, "{}", Value::Object(json_message(shown, message)));
            }
        }
        (JsonShape::None, None | Some(Format::Text)) => {
            let report = report_of(shown, result, &messages);
            let _ = write!(out, "{}", report.render_text(&shown.flags.columns()));
            let TestCaseCount { ran, enabled } = result.test_cases;
            let _ = writeln!(out, "\n{}", crate::testcase_summary(ran, enabled));
        }
        (JsonShape::None, Some(format)) => {
            let report = report_of(shown, result, &messages);
            let _ = write!(out, "{}", report.render(format));
            let mut stderr = std::io::stderr();
            print_extras(shown, result, &mut stderr);
            return;
        }
    }
    print_extras(shown, result, out);
}

/// One message as zonemaster-cli's JSON writes it: the columns shown,
/// the tag, its arguments and, unless raw, the text.
fn json_message(shown: &Shown<'_>, message: &Message) -> Map<String, Value> {
    let columns = shown.flags.columns();
    let mut object = Map::new();
    if columns.time {
        object.insert("timestamp".into(), Value::from(message.timestamp));
    }
    if columns.level {
        object.insert("level".into(), Value::from(message.level.as_str()));
    }
    if columns.module {
        object.insert("module".into(), Value::from(message.module().name()));
    }
    if columns.testcase {
        object.insert("testcase".into(), Value::from(message.testcase()));
    }
    object.insert("tag".into(), Value::from(message.tag_name()));
    object.insert("args".into(), Value::Object(message.args.clone()));
    if !columns.raw {
        let text = render_json(message.tag, &message.args, shown.language).text;
        object.insert("message".into(), Value::from(text));
    }
    object
}

/// The shown messages as a report, with what is known of the run.
fn report_of(shown: &Shown<'_>, result: &CheckResult, messages: &[&Message]) -> Report {
    let TestCaseCount { ran, enabled } = result.test_cases;
    Report {
        created_at: Some(shown.started_at.clone()),
        params: Some(shown.params.clone()),
        testcases: Some(Coverage { ran, enabled }),
        ..Report::from_messages(shown.domain, messages.iter().copied(), shown.language)
    }
}

/// The params summary of a local run: IP families and supplied data.
pub fn params_summary(
    ipv4: bool,
    ipv6: bool,
    profile: Option<&str>,
    fake: Option<&FakeDelegation>,
) -> ParamsSummary {
    let nameservers = fake
        .map(|fake| {
            fake.ns
                .iter()
                .flat_map(|ns| {
                    let name = display(&ns.name);
                    if ns.addresses.is_empty() {
                        vec![name]
                    } else {
                        ns.addresses
                            .iter()
                            .map(|ip| format!("{name}/{ip}"))
                            .collect()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let ds = fake
        .map(|fake| {
            fake.ds
                .iter()
                .map(|ds| {
                    format!(
                        "{},{},{},{}",
                        ds.keytag, ds.algorithm, ds.digtype, ds.digest
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    ParamsSummary {
        profile: profile.map(str::to_owned),
        ipv4: Some(ipv4),
        ipv6: Some(ipv6),
        nameservers,
        ds,
    }
}

fn print_extras(shown: &Shown<'_>, result: &CheckResult, out: &mut dyn Write) {
    if shown.count {
        print_counts(&result.messages, out);
    }
    if shown.nstimes {
        print_nstimes(result, out);
    }
    if shown.elapsed {
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

/// Says on stderr that the run ended at its stop level, and at which
/// message (zonemaster-cli: "Exited early").
pub fn note_stopped(result: &CheckResult, stop_level: Level) {
    // The earliest emitted: test cases run concurrently, so the first in
    // output order need not be the one that stopped the run.
    let first = result
        .messages
        .iter()
        .filter(|m| m.level >= stop_level)
        .min_by(|a, b| a.timestamp.total_cmp(&b.timestamp));
    match first {
        Some(message) => eprintln!(
            "zmctl: stopped early: {} {} in {} reached --stop-level {stop_level}",
            message.level,
            message.tag_name(),
            message.testcase()
        ),
        None => eprintln!("zmctl: stopped early at --stop-level {stop_level}"),
    }
}
