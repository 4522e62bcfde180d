//! The commands that talk to `zm-rpcapi`: `start-test`, `progress`,
//! `results`, `history`.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Value, json};
use zonemaster::engine::level::Level;
use zonemaster::engine::undelegated_input::split_name_server;

use crate::Failure;
use crate::api::Api;

/// `zmctl start-test`.
#[derive(Args)]
pub struct StartTestArgs {
    /// The zone to test, e.g. example.se.
    pub domain: String,
    /// Wait for the test to finish (progress bar on a terminal), then print its results.
    #[arg(long)]
    pub wait: bool,
    /// Use IPv4 (default: the profile's setting).
    #[arg(long, value_name = "true|false")]
    pub ipv4: Option<bool>,
    /// Use IPv6 (default: the profile's setting).
    #[arg(long, value_name = "true|false")]
    pub ipv6: Option<bool>,
    /// Undelegated test: a name server NAME, NAME/IP or NAME:IP (repeatable).
    #[arg(long = "nameserver", value_name = "NAME[/IP]")]
    pub nameservers: Vec<String>,
    /// Undelegated test: a DS record keytag=N,algorithm=N,digtype=N,digest=HEX (repeatable).
    #[arg(
        long = "ds-info",
        value_name = "keytag=N,algorithm=N,digtype=N,digest=HEX"
    )]
    pub ds_info: Vec<String>,
    /// Profile name.
    #[arg(long)]
    pub profile: Option<String>,
    /// Queue number.
    #[arg(long)]
    pub queue: Option<i64>,
    /// Priority (higher runs first; the server's default is 10).
    #[arg(long)]
    pub priority: Option<i64>,
    /// Client name recorded with the test.
    #[arg(long, default_value = "zmctl")]
    pub client_id: String,
    /// Client version recorded with the test.
    #[arg(long, default_value = env!("CARGO_PKG_VERSION"))]
    pub client_version: String,
    /// With --wait: how to print the results (the language also applies to error messages).
    #[command(flatten)]
    pub shown: ResultsFormat,
    /// With --wait: exit 3 when a result at or above this level exists.
    #[arg(long, value_name = "LEVEL", requires = "wait")]
    pub fail_level: Option<String>,
    /// With --wait: seconds between progress polls.
    #[arg(long, value_name = "SECONDS", default_value_t = 0.5)]
    pub poll: f64,
    /// With --wait: seconds without an agent claiming the test before
    /// saying so (tests shorten it).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, hide = true)]
    pub unclaimed_notice: f64,
}

/// `zmctl results`.
#[derive(Args)]
pub struct ResultsArgs {
    /// The test id.
    pub test_id: String,
    /// How to print them.
    #[command(flatten)]
    pub shown: ResultsFormat,
}

/// How results are printed.
#[derive(Args)]
pub struct ResultsFormat {
    /// Language of the message texts.
    #[arg(
        long = "lang",
        visible_alias = "language",
        value_name = "LANG",
        default_value = "en"
    )]
    pub language: String,
    /// Print the server's result object as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `zmctl history`.
#[derive(Args)]
pub struct HistoryArgs {
    /// The zone.
    pub domain: String,
    /// all, delegated or undelegated.
    #[arg(long, default_value = "all", value_parser = ["all", "delegated", "undelegated"])]
    pub filter: String,
    /// Skip this many tests.
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Show at most this many tests.
    #[arg(long, default_value_t = 200)]
    pub limit: u64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Submits a test; with `--wait` follows it and prints its results.
pub async fn start_test(
    api: &Api,
    args: StartTestArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let fail_level = parse_fail_level(args.fail_level.as_deref())?;
    let params = start_params(&args)?;
    let id = api.call("start_domain_test", params).await?;
    let id = id
        .as_str()
        .ok_or_else(|| {
            Failure::not_found(format!("the server answered {id} instead of a test id"))
        })?
        .to_owned();
    if !args.wait {
        let _ = writeln!(out, "{id}");
        return Ok(0);
    }
    eprintln!("test id: {id}");
    let timing = Waiting {
        every: Duration::from_secs_f64(args.poll.clamp(0.05, 60.0)),
        unclaimed_notice: Duration::from_secs_f64(args.unclaimed_notice.clamp(0.0, 3600.0)),
    };
    wait_for(api, &id, timing).await?;
    let results = fetch_results(api, &id, &args.shown.language).await?;
    crate::note_english_fallback(&args.shown.language);
    print_results(&results, args.shown.json, out);
    if let Some(ending) = unsuccessful(&results) {
        eprintln!("zmctl: test {id} {ending}");
        return Ok(1);
    }
    Ok(exit_for(&results, fail_level))
}

/// How a test that did not complete ended, for the user: `failed: REASON`
/// or `was cancelled`. A completed test (or a server that does not say its
/// state) gives `None`.
fn unsuccessful(results: &Value) -> Option<String> {
    let reason = results
        .get("reason")
        .and_then(Value::as_str)
        .filter(|reason| !reason.is_empty());
    let with_reason = |what: &str| match reason {
        Some(reason) => format!("{what}: {reason}"),
        None => what.to_owned(),
    };
    match results.get("state").and_then(Value::as_str)? {
        "failed" => Some(with_reason("failed")),
        "cancelled" => Some(with_reason("was cancelled")),
        _ => None,
    }
}

/// Prints a test's progress (0–100).
pub async fn progress(api: &Api, test_id: &str, out: &mut dyn Write) -> Result<u8, Failure> {
    let progress = api
        .call("test_progress", json!({ "test_id": test_id }))
        .await?;
    let _ = writeln!(out, "{progress}");
    Ok(0)
}

/// Prints a test's results.
pub async fn results(api: &Api, args: ResultsArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let results = fetch_results(api, &args.test_id, &args.shown.language).await?;
    crate::note_english_fallback(&args.shown.language);
    print_results(&results, args.shown.json, out);
    Ok(0)
}

/// Prints the finished tests of a domain, newest first.
pub async fn history(api: &Api, args: HistoryArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let params = json!({
        "frontend_params": {"domain": args.domain},
        "filter": args.filter,
        "offset": args.offset,
        "limit": args.limit,
    });
    let history = api.call("get_test_history", params).await?;
    if args.json {
        let _ = writeln!(out, "{history}");
        return Ok(0);
    }
    let _ = writeln!(out, "{}", history_table(&history));
    Ok(0)
}

/// One line per test of a `get_test_history` answer. `State` says how the
/// test ended (a server without our `state` field leaves it blank).
fn history_table(history: &Value) -> comfy_table::Table {
    let mut table = table(&["Test id", "Created (UTC)", "State", "Result", "Undelegated"]);
    for row in history.as_array().into_iter().flatten() {
        table.add_row(vec![
            text(row, "id"),
            text(row, "created_at"),
            text(row, "state"),
            text(row, "overall_result"),
            if row.get("undelegated") == Some(&Value::Bool(true)) {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
        ]);
    }
    table
}

fn parse_fail_level(text: Option<&str>) -> Result<Option<Level>, Failure> {
    text.map(|text| {
        text.parse()
            .map_err(|error| Failure::input(format!("--fail-level: {error}")))
    })
    .transpose()
}

/// The `start_domain_test` params of the command line.
fn start_params(args: &StartTestArgs) -> Result<Value, Failure> {
    let mut params = Map::new();
    params.insert("domain".into(), args.domain.clone().into());
    let optional = [
        ("ipv4", args.ipv4.map(Value::from)),
        ("ipv6", args.ipv6.map(Value::from)),
        ("profile", args.profile.clone().map(Value::from)),
        ("queue", args.queue.map(Value::from)),
        ("priority", args.priority.map(Value::from)),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            params.insert(name.into(), value);
        }
    }
    params.insert("client_id".into(), args.client_id.clone().into());
    params.insert("client_version".into(), args.client_version.clone().into());
    params.insert("language".into(), args.shown.language.clone().into());
    let nameservers: Vec<Value> = args.nameservers.iter().map(|ns| nameserver(ns)).collect();
    params.insert("nameservers".into(), nameservers.into());
    let ds_info = args
        .ds_info
        .iter()
        .map(|ds| ds_info(ds))
        .collect::<Result<Vec<_>, _>>()?;
    params.insert("ds_info".into(), ds_info.into());
    Ok(Value::Object(params))
}

/// `NAME`, `NAME/IP` or `NAME:IP`, split as `check --ns` splits it; the
/// server checks the parts.
fn nameserver(text: &str) -> Value {
    match split_name_server(text) {
        (name, Some(ip)) => json!({"ns": name, "ip": ip.trim()}),
        (name, None) => json!({ "ns": name }),
    }
}

/// `keytag=N,algorithm=N,digtype=N,digest=HEX`.
fn ds_info(text: &str) -> Result<Value, Failure> {
    let mut object = Map::new();
    for part in text.split(',') {
        let (key, value) = part.split_once('=').ok_or_else(|| {
            Failure::input(format!("--ds-info `{text}`: `{part}` is not key=value"))
        })?;
        let value = match key.trim() {
            "digest" => Value::from(value.trim()),
            "keytag" | "algorithm" | "digtype" => {
                value.trim().parse::<u64>().map(Value::from).map_err(|_| {
                    Failure::input(format!("--ds-info `{text}`: {key} must be a number"))
                })?
            }
            other => {
                return Err(Failure::input(format!(
                    "--ds-info `{text}`: unknown key `{other}` (expected keytag, algorithm, digtype, digest)"
                )));
            }
        };
        object.insert(key.trim().to_owned(), value);
    }
    Ok(Value::Object(object))
}

/// How `--wait` polls.
struct Waiting {
    /// Time between polls.
    every: Duration,
    /// Time at progress 0 (no agent has claimed the test) before saying so.
    unclaimed_notice: Duration,
}

/// Polls `test_progress` until 100, with a bar on a terminal. A test that
/// stays unclaimed gets one notice (issue 8, point 9), then the wait goes on.
async fn wait_for(api: &Api, id: &str, timing: Waiting) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let mut is_noticed = false;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(100);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:40}] {pos:>3}% {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(id.to_owned());
        bar
    });
    loop {
        let progress = api.call("test_progress", json!({ "test_id": id })).await?;
        let progress = progress.as_u64().unwrap_or(0);
        if let Some(bar) = &bar {
            bar.set_position(progress);
        }
        if progress >= 100 {
            break;
        }
        if progress == 0 && !is_noticed && started.elapsed() >= timing.unclaimed_notice {
            is_noticed = true;
            let notice = "zmctl: no agent has picked this test up; is zm-agent running?";
            match &bar {
                Some(bar) => bar.suspend(|| eprintln!("{notice}")),
                None => eprintln!("{notice}"),
            }
        }
        tokio::time::sleep(timing.every).await;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

async fn fetch_results(api: &Api, id: &str, language: &str) -> Result<Value, Failure> {
    api.call("get_test_results", json!({"id": id, "language": language}))
        .await
}

fn print_results(results: &Value, as_json: bool, out: &mut dyn Write) {
    if as_json {
        let _ = writeln!(out, "{results}");
        return;
    }
    if let Some(state) = results.get("state").and_then(Value::as_str) {
        let mut summary = format!("State: {state}");
        for (label, key) in [
            ("started", "started_at"),
            ("ended", "ended_at"),
            ("reason", "reason"),
        ] {
            let value = text(results, key);
            if !value.is_empty() {
                summary.push_str(&format!("; {label} {value}"));
            }
        }
        let _ = writeln!(out, "{summary}");
    }
    let ran = results.get("testcases").and_then(|count| {
        let number = |key: &str| count.get(key).and_then(Value::as_u64);
        Some((number("ran")?, usize::try_from(number("enabled")?).ok()?))
    });
    if let Some((ran, enabled)) = ran {
        let _ = writeln!(out, "{}", crate::testcase_summary(ran, enabled));
    }
    let mut table = table(&["Level", "Module", "Testcase", "Message"]);
    for entry in entries(results) {
        table.add_row(vec![
            text(entry, "level"),
            text(entry, "module"),
            text(entry, "testcase"),
            text(entry, "message").trim_end().to_owned(),
        ]);
    }
    let _ = writeln!(out, "{table}");
}

fn entries(results: &Value) -> impl Iterator<Item = &Value> {
    results
        .get("results")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// 3 when a result reaches `fail_level`, else 0.
fn exit_for(results: &Value, fail_level: Option<Level>) -> u8 {
    let Some(fail_level) = fail_level else {
        return 0;
    };
    let reached = entries(results)
        .filter_map(|entry| entry.get("level").and_then(Value::as_str))
        .filter_map(|level| level.parse::<Level>().ok())
        .any(|level| level >= fail_level);
    if reached { 3 } else { 0 }
}

fn table(header: &[&str]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_header(header.to_vec());
    table
}

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 4/13, point 4: the history shows how each test ended.
    #[test]
    fn history_shows_the_state_of_each_test() {
        let history = json!([
            {"id": "00000000000000c1", "created_at": "2024-01-01T00:00:02Z",
             "undelegated": false, "overall_result": "error", "state": "cancelled"},
            {"id": "00000000000000a1", "created_at": "2024-01-01T00:00:01Z",
             "undelegated": true, "overall_result": "ok", "state": "completed"},
        ]);
        let lines: Vec<String> = history_table(&history)
            .to_string()
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            lines,
            [
                "Test id Created (UTC) State Result Undelegated",
                "00000000000000c1 2024-01-01T00:00:02Z cancelled error no",
                "00000000000000a1 2024-01-01T00:00:01Z completed ok yes",
            ]
        );
    }

    #[test]
    fn name_servers_split_as_check_splits_them() {
        assert_eq!(
            nameserver("ns1.example:2001:db8::53"),
            json!({"ns":"ns1.example","ip":"2001:db8::53"})
        );
        // Issue 8 (4/13), point 6: NAME/IP means what it means in check.
        assert_eq!(
            nameserver("ns1.good.test/127.53.2.1"),
            json!({"ns":"ns1.good.test","ip":"127.53.2.1"})
        );
        assert_eq!(nameserver("ns1.example"), json!({"ns":"ns1.example"}));
    }

    #[test]
    fn ds_info_is_read_as_the_api_wants_it() {
        let ds = ds_info("keytag=29133,algorithm=13,digtype=2,digest=AB12").expect("valid");
        assert_eq!(
            ds,
            json!({"keytag":29133,"algorithm":13,"digtype":2,"digest":"AB12"})
        );
        assert!(ds_info("keytag=x").is_err());
        assert!(ds_info("colour=blue").is_err());
        assert!(ds_info("keytag").is_err());
    }

    /// Issue 8 (4/13), point 8: a test that did not complete is no success.
    #[test]
    fn failed_and_cancelled_tests_are_unsuccessful() {
        let failed = json!({"state": "failed", "reason": "no name server answered"});
        assert_eq!(
            unsuccessful(&failed).as_deref(),
            Some("failed: no name server answered")
        );
        let cancelled = json!({"state": "cancelled", "reason": null});
        assert_eq!(unsuccessful(&cancelled).as_deref(), Some("was cancelled"));
        assert_eq!(unsuccessful(&json!({"state": "completed"})), None);
        assert_eq!(unsuccessful(&json!({"results": []})), None);
    }

    #[test]
    fn fail_level_counts_only_results_at_or_above_it() {
        let results = json!({"results":[{"level":"INFO"},{"level":"WARNING"}]});
        assert_eq!(exit_for(&results, Some(Level::Warning)), 3);
        assert_eq!(exit_for(&results, Some(Level::Error)), 0);
        assert_eq!(exit_for(&results, None), 0);
    }
}
