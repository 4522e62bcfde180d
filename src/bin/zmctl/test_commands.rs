//! `zmctl test start|progress|results|params|history`, one command per
//! test method of the API, and the names they first had (`start-test`,
//! `progress`, `results`, `history`), which print as they always did.

use std::io::Write;

use clap::{Args, Subcommand};
use zonemaster::api_types::{
    DelegationData, DelegationParams, HistoryDomain, HistoryParams, StartTestParams, StoredParams,
    TestOptions,
};
use zonemaster::client::Client;
use zonemaster::engine::level::Level;

use crate::Failure;
use crate::api::Backend;
use crate::output::{Rows, Style};
use crate::results_view::{
    ResultsFormat, exit_for, print_json, print_results, report_of, unsuccessful,
};
use crate::undelegated::{UndelegatedArgs, no_parent_delegation};
use crate::wait::PollFlags;

/// `zmctl test …`.
#[derive(Subcommand)]
pub enum TestCommand {
    /// Submit a test; prints its id (with --wait: follows it, then prints its results).
    Start(Box<StartArgs>),
    /// Print a test's progress (0-100).
    Progress(ProgressArgs),
    /// Print a test's results.
    Results(ResultsArgs),
    /// Print the params a test was started with.
    Params(ParamsArgs),
    /// List the finished tests of a domain, newest first.
    History(HistoryArgs),
    /// What changed between two tests: messages that appeared, disappeared or changed level.
    Diff(crate::diff::DiffArgs),
}

/// The params a single test and a batch share.
#[derive(Args, Clone, Debug)]
pub struct TestOptionFlags {
    /// Use IPv4 (default: the profile's setting).
    #[arg(long, value_name = "true|false")]
    pub ipv4: Option<bool>,
    /// Use IPv6 (default: the profile's setting).
    #[arg(long, value_name = "true|false")]
    pub ipv6: Option<bool>,
    /// Profile name.
    #[arg(long)]
    pub profile: Option<String>,
    /// Queue number.
    #[arg(long)]
    pub queue: Option<i64>,
    /// Priority (higher runs first; the server's default is 10, for batches 5).
    #[arg(long)]
    pub priority: Option<i64>,
    /// Client name recorded with the test.
    #[arg(long, default_value = "zmctl")]
    pub client_id: String,
    /// Client version recorded with the test.
    #[arg(long, default_value = env!("CARGO_PKG_VERSION"))]
    pub client_version: String,
}

impl TestOptionFlags {
    /// The flags as the API takes them, no undelegated data yet.
    pub fn to_options(&self) -> TestOptions {
        TestOptions {
            ipv4: self.ipv4,
            ipv6: self.ipv6,
            profile: self.profile.clone(),
            client_id: Some(self.client_id.clone()),
            client_version: Some(self.client_version.clone()),
            priority: self.priority,
            queue: self.queue,
            ..TestOptions::default()
        }
    }
}

/// `zmctl test start` (and `start-test`).
#[derive(Args)]
pub struct StartArgs {
    /// The zone to test, e.g. example.se (IDN allowed).
    pub domain: String,
    /// Wait for the test to finish (progress bar on a terminal), then print its results.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub options: TestOptionFlags,
    #[command(flatten)]
    pub undelegated: UndelegatedArgs,
    /// With --wait: how to print the results (the language also applies to error messages).
    #[command(flatten)]
    pub shown: ResultsFormat,
    /// Print only the test id (with --wait too: the exit code tells the rest).
    #[arg(long, short, conflicts_with = "json")]
    pub quiet: bool,
    /// With --wait: exit 3 when a result at or above this level exists.
    #[arg(long, value_name = "LEVEL", requires = "wait")]
    pub fail_level: Option<Level>,
    #[command(flatten)]
    pub polling: PollFlags,
}

/// `zmctl test progress` (and `progress`).
#[derive(Args)]
pub struct ProgressArgs {
    /// The test id.
    pub test_id: String,
    /// Print the API's answer as JSON (the number itself).
    #[arg(long)]
    pub json: bool,
}

/// `zmctl test results` (and `results`).
#[derive(Args)]
pub struct ResultsArgs {
    /// The test id.
    pub test_id: String,
    /// How to print them.
    #[command(flatten)]
    pub shown: ResultsFormat,
    /// Exit 3 when a result at or above this level exists.
    #[arg(long, value_name = "LEVEL")]
    pub fail_level: Option<Level>,
}

/// `zmctl test params`.
#[derive(Args)]
pub struct ParamsArgs {
    /// The test id.
    pub test_id: String,
    /// Print the API's params object as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `zmctl test history` (and `history`).
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
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
    /// Print only the test ids.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs one `zmctl test` command.
pub async fn run(
    command: TestCommand,
    backend: &Backend,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    match command {
        TestCommand::Start(args) => start(backend, *args, style, out).await,
        TestCommand::Progress(args) => progress(backend, args, out).await,
        TestCommand::Results(args) => results(backend, args, style, out).await,
        TestCommand::Params(args) => params(backend, args, style, out).await,
        TestCommand::History(args) => history(backend, args, style, out).await,
        TestCommand::Diff(args) => crate::diff::tests(backend, args, out).await,
    }
}

/// Submits a test; with `--wait` follows it and prints its results.
pub async fn start(
    backend: &Backend,
    args: StartArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let client = backend.client()?;
    let language = &args.shown.language;
    let parent = if args.undelegated.from_parent {
        Some(parent_delegation(&client, &args.domain, language).await?)
    } else {
        None
    };
    let (nameservers, ds_info) = args.undelegated.api_lists(parent.as_ref());
    let params = StartTestParams {
        domain: args.domain.clone(),
        language: Some(language.clone()),
        options: TestOptions {
            nameservers,
            ds_info,
            ..args.options.to_options()
        },
    };
    let id = client.start_domain_test(&params).await?;
    if !args.wait {
        // The first `start-test` (the legacy style) printed the bare id,
        // whatever --json said.
        if args.shown.json && style != Style::legacy() {
            print_json(&id, out)?;
        } else {
            let _ = writeln!(out, "{id}");
        }
        return Ok(crate::EXIT_OK);
    }
    if !args.quiet {
        eprintln!("test id: {id}");
    }
    crate::wait::for_test(&client, &id, &args.polling).await?;
    let results = client.test_results(&id, language).await?;
    if args.quiet {
        let _ = writeln!(out, "{id}");
    } else {
        crate::note_english_fallback(language);
        match args.shown.export() {
            Some(format) => {
                let _ = write!(out, "{}", report_of(&results)?.render(format));
            }
            None => print_results(&results, args.shown.wants_json(), style, out)?,
        }
    }
    if let Some(ending) = unsuccessful(&results) {
        eprintln!("zmctl: test {id} {ending}");
        return Ok(crate::EXIT_FAILED);
    }
    Ok(exit_for(&results, args.fail_level))
}

/// The delegation the server finds in the parent, for `--from-parent`.
async fn parent_delegation(
    client: &Client,
    domain: &str,
    language: &str,
) -> Result<DelegationData, Failure> {
    let params = DelegationParams {
        domain: domain.to_owned(),
        language: Some(language.to_owned()),
    };
    let parent = client.data_from_parent_zone(&params).await?;
    if parent.ns_list.is_empty() {
        return Err(no_parent_delegation(domain));
    }
    Ok(parent)
}

/// Prints a test's progress (0–100).
pub async fn progress(
    backend: &Backend,
    args: ProgressArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let progress = backend.client()?.test_progress(&args.test_id).await?;
    let _ = writeln!(out, "{progress}");
    Ok(crate::EXIT_OK)
}

/// Prints a test's results.
pub async fn results(
    backend: &Backend,
    args: ResultsArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let language = &args.shown.language;
    let results = backend
        .client()?
        .test_results(&args.test_id, language)
        .await?;
    crate::note_english_fallback(language);
    match args.shown.export() {
        Some(format) => {
            let _ = write!(out, "{}", report_of(&results)?.render(format));
        }
        None => print_results(&results, args.shown.wants_json(), style, out)?,
    }
    Ok(exit_for(&results, args.fail_level))
}

/// Prints the params a test was started with.
pub async fn params(
    backend: &Backend,
    args: ParamsArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let params = backend.client()?.test_params(&args.test_id).await?;
    if args.json {
        print_json(&params, out)?;
    } else {
        let _ = write!(out, "{}", params_rows(&params).render(style));
    }
    Ok(crate::EXIT_OK)
}

/// One row per param: the typed ones first, then the others by name.
fn params_rows(params: &StoredParams) -> Rows {
    let mut rows = Rows::new(&["Param", "Value"]);
    let nameservers: Vec<String> = params
        .nameservers
        .iter()
        .map(|ns| match &ns.ip {
            Some(ip) => format!("{}/{ip}", ns.ns),
            None => ns.ns.clone(),
        })
        .collect();
    let ds_info: Vec<String> = params
        .ds_info
        .iter()
        .map(|ds| {
            format!(
                "{},{},{},{}",
                ds.keytag, ds.algorithm, ds.digtype, ds.digest
            )
        })
        .collect();
    let typed = [
        ("domain", params.domain.clone()),
        ("profile", params.profile.clone()),
        ("ipv4", params.ipv4.to_string()),
        ("ipv6", params.ipv6.to_string()),
        ("priority", params.priority.to_string()),
        ("queue", params.queue.to_string()),
        ("nameservers", nameservers.join(" ")),
        ("ds_info", ds_info.join(" ")),
    ];
    for (name, value) in typed {
        rows.push(vec![name.to_owned(), value]);
    }
    for (name, value) in &params.other {
        let value = match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        rows.push(vec![name.clone(), value]);
    }
    rows
}

/// Prints the finished tests of a domain, newest first.
pub async fn history(
    backend: &Backend,
    args: HistoryArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let params = HistoryParams {
        frontend_params: HistoryDomain {
            domain: args.domain.clone(),
        },
        offset: Some(args.offset),
        limit: Some(args.limit),
        filter: Some(args.filter.clone()),
    };
    let history = backend.client()?.test_history(&params).await?;
    if args.json {
        print_json(&history, out)?;
        return Ok(crate::EXIT_OK);
    }
    if args.quiet {
        for entry in &history {
            let _ = writeln!(out, "{}", entry.test_id());
        }
        return Ok(crate::EXIT_OK);
    }
    let mut rows = Rows::new(&["Test id", "Created (UTC)", "State", "Result", "Undelegated"]);
    for entry in &history {
        rows.push(vec![
            entry.test_id().to_owned(),
            entry.created_at.clone(),
            entry.state.clone().unwrap_or_default(),
            entry.overall_result.clone(),
            if entry.undelegated { "yes" } else { "no" }.to_owned(),
        ]);
    }
    let _ = write!(out, "{}", rows.render(style));
    Ok(crate::EXIT_OK)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::output::Layout;

    const PLAIN: Style = Style {
        layout: Layout::Plain,
        is_coloured: false,
    };

    #[test]
    fn params_show_typed_members_then_the_others() {
        let params: StoredParams = serde_json::from_value(json!({
            "domain": "good.test", "ipv4": true, "ipv6": false, "profile": "default",
            "priority": 10, "queue": 0, "client_id": "zmctl", "config": {"x": 1},
            "nameservers": [{"ns": "ns1.good.test", "ip": "127.53.2.1"}, {"ns": "ns2.good.test"}],
            "ds_info": [{"keytag": 7, "algorithm": 13, "digtype": 2, "digest": "ab"}]}))
        .unwrap();
        assert_eq!(
            params_rows(&params).render(PLAIN),
            "domain\tgood.test\nprofile\tdefault\nipv4\ttrue\nipv6\tfalse\npriority\t10\n\
             queue\t0\nnameservers\tns1.good.test/127.53.2.1 ns2.good.test\nds_info\t7,13,2,ab\n\
             client_id\tzmctl\nconfig\t{\"x\":1}\n"
        );
    }
}
