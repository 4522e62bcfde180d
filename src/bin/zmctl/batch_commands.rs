//! `zmctl batch create|status|cancel|results|wait` (issue 14, item 3):
//! batches from scripts, from a file of domains to a per-domain verdict.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;
use zonemaster::api_types::{BatchCancelParams, BatchCreateParams, BatchStatusParams};
use zonemaster::client::{Client, parse_domain_list};
use zonemaster::engine::level::Level;

use crate::Failure;
use crate::api::{Backend, CredentialFlags};
use crate::batch_outcomes::{
    DomainOutcome, fetch_outcomes, outcome_rows, outcomes_csv, reaches, summary, summary_rows,
};
use crate::output::{Rows, Style};
use crate::results_view::print_json;
use crate::test_commands::TestOptionFlags;
use crate::wait::PollFlags;

/// `zmctl batch …`.
#[derive(Subcommand)]
pub enum BatchCommand {
    /// Submit one test per domain of FILE; prints the batch id.
    Create(Box<CreateArgs>),
    /// Print how many tests of a batch wait, run and are finished.
    Status(StatusArgs),
    /// Withdraw a batch's waiting tests.
    Cancel(CancelArgs),
    /// Print one line per domain with its worst level.
    Results(ResultsArgs),
    /// Wait for a batch to finish, then print the per-level summary.
    Wait(WaitArgs),
}

/// `zmctl batch create`.
#[derive(Args)]
pub struct CreateArgs {
    /// Domains, one per line (`#` starts a comment, blank lines are
    /// ignored, IDN allowed); `-` reads standard input.
    pub file: PathBuf,
    #[command(flatten)]
    pub credentials: CredentialFlags,
    #[command(flatten)]
    pub options: TestOptionFlags,
    /// Print only the batch id.
    #[arg(long, short, conflicts_with = "json")]
    pub quiet: bool,
    /// Print the API's answer (with --wait: the summary and the domains) as JSON.
    #[arg(long)]
    pub json: bool,
    /// Wait for the batch to finish (one progress bar on a terminal), then print the summary.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: exit 3 when a domain's worst level is at or above this level.
    #[arg(long, value_name = "LEVEL", requires = "wait")]
    pub fail_level: Option<Level>,
    #[command(flatten)]
    pub polling: PollFlags,
}

/// `zmctl batch status`.
#[derive(Args)]
pub struct StatusArgs {
    /// The batch id.
    pub batch_id: i64,
    /// List the waiting tests.
    #[arg(long)]
    pub list_waiting: bool,
    /// List the running tests.
    #[arg(long)]
    pub list_running: bool,
    /// List the finished tests.
    #[arg(long)]
    pub list_finished: bool,
    /// Print the API's answer as JSON.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
    /// Print only test ids (those listed; all without --list-…).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `zmctl batch cancel`.
#[derive(Args)]
pub struct CancelArgs {
    /// The batch id.
    pub batch_id: i64,
    #[command(flatten)]
    pub credentials: CredentialFlags,
    /// Print the API's answer as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `zmctl batch results`.
#[derive(Args)]
pub struct ResultsArgs {
    /// The batch id.
    pub batch_id: i64,
    /// Print JSON: one object per domain.
    #[arg(long, conflicts_with_all = ["csv", "quiet"])]
    pub json: bool,
    /// Print CSV with a header line.
    #[arg(long, conflicts_with = "quiet")]
    pub csv: bool,
    /// Print only the test ids.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit 3 when a domain's worst level is at or above this level.
    #[arg(long, value_name = "LEVEL")]
    pub fail_level: Option<Level>,
}

/// `zmctl batch wait`.
#[derive(Args)]
pub struct WaitArgs {
    /// The batch id.
    pub batch_id: i64,
    /// Print the summary and the domains as JSON.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
    /// Print nothing; the exit code tells.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit 3 when a domain's worst level is at or above this level.
    #[arg(long, value_name = "LEVEL")]
    pub fail_level: Option<Level>,
    #[command(flatten)]
    pub polling: PollFlags,
}

/// Runs one `zmctl batch` command.
pub async fn run(
    command: BatchCommand,
    backend: &Backend,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    match command {
        BatchCommand::Create(args) => create(backend, *args, style, out).await,
        BatchCommand::Status(args) => status(backend, args, style, out).await,
        BatchCommand::Cancel(args) => cancel(backend, args, style, out).await,
        BatchCommand::Results(args) => results(backend, args, style, out).await,
        BatchCommand::Wait(args) => {
            let client = backend.client()?;
            let ending = Ending {
                as_json: args.json,
                is_quiet: args.quiet,
                fail_level: args.fail_level,
            };
            wait_and_summarise(&client, args.batch_id, &args.polling, &ending, style, out).await
        }
    }
}

/// Reads the domain list of `file` (`-`: standard input).
fn read_domains(file: &Path) -> Result<Vec<String>, Failure> {
    let is_stdin = file.as_os_str() == "-";
    let name = if is_stdin {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let mut text = String::new();
    let read = if is_stdin {
        std::io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|mut opened| opened.read_to_string(&mut text))
    };
    read.map_err(|error| Failure::input(format!("cannot read {name}: {error}")))?;
    parse_domain_list(&text).map_err(|error| Failure::input(format!("{name}: {error}")))
}

/// Submits a batch; with `--wait` follows it to the end.
async fn create(
    backend: &Backend,
    args: CreateArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let domains = read_domains(&args.file)?;
    let credentials = backend.credentials(&args.credentials)?;
    let client = backend.client()?;
    let count = domains.len();
    let params = BatchCreateParams {
        username: credentials.user,
        api_key: credentials.api_key,
        domains,
        test_params: Some(args.options.to_options()),
    };
    let batch_id = client.add_batch_job(&params).await?;
    if args.wait {
        if !args.quiet {
            eprintln!("batch id: {batch_id} ({count} tests)");
        }
        let ending = Ending {
            as_json: args.json,
            is_quiet: args.quiet,
            fail_level: args.fail_level,
        };
        let code =
            wait_and_summarise(&client, batch_id, &args.polling, &ending, style, out).await?;
        if args.quiet {
            let _ = writeln!(out, "{batch_id}");
        }
        return Ok(code);
    }
    if args.json {
        print_json(&batch_id, out)?;
    } else if args.quiet || !style.is_human() {
        let _ = writeln!(out, "{batch_id}");
    } else {
        let _ = writeln!(out, "Batch {batch_id} created: {count} tests.");
    }
    Ok(crate::EXIT_OK)
}

/// How a wait ends: what to print and when to fail.
struct Ending {
    as_json: bool,
    is_quiet: bool,
    fail_level: Option<Level>,
}

/// The JSON of a finished wait.
#[derive(Serialize)]
struct WaitReport<'a> {
    batch_id: i64,
    summary: std::collections::BTreeMap<&'static str, u64>,
    domains: &'a [DomainOutcome],
}

/// Waits for the batch, then prints the per-level summary; exit 3 when a
/// domain reaches the fail level.
async fn wait_and_summarise(
    client: &Client,
    batch_id: i64,
    polling: &PollFlags,
    ending: &Ending,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    crate::wait::for_batch(client, batch_id, polling).await?;
    let outcomes = fetch_outcomes(client, batch_id).await?;
    let counts = summary(&outcomes);
    if ending.as_json {
        let report = WaitReport {
            batch_id,
            summary: counts,
            domains: &outcomes,
        };
        print_json(&report, out)?;
    } else if !ending.is_quiet {
        let _ = write!(out, "{}", summary_rows(&counts).render(style));
    }
    let is_reached = ending
        .fail_level
        .is_some_and(|level| reaches(&outcomes, level));
    Ok(crate::fail_level_exit(is_reached))
}

/// Prints the counts of a batch, and the ids asked for.
async fn status(
    backend: &Backend,
    args: StatusArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let is_listing = args.list_waiting || args.list_running || args.list_finished;
    let lists_all = args.quiet && !is_listing;
    let params = BatchStatusParams {
        batch_id: args.batch_id,
        list_waiting_tests: args.list_waiting || lists_all,
        list_running_tests: args.list_running || lists_all,
        list_finished_tests: args.list_finished || lists_all,
    };
    let status = backend.client()?.batch_status(&params).await?;
    if args.json {
        print_json(&status, out)?;
        return Ok(crate::EXIT_OK);
    }
    let listed = [
        ("waiting", &status.waiting_tests),
        ("running", &status.running_tests),
        ("finished", &status.finished_tests),
    ];
    let mut ids = Rows::new(&["State", "Test id"]);
    for (state, list) in listed {
        for id in list {
            ids.push(vec![state.to_owned(), id.clone()]);
        }
    }
    if args.quiet {
        for (_, list) in listed {
            for id in list {
                let _ = writeln!(out, "{id}");
            }
        }
        return Ok(crate::EXIT_OK);
    }
    let mut counts = Rows::new(&["State", "Tests"]);
    counts.push(vec!["waiting".into(), status.waiting_count.to_string()]);
    counts.push(vec!["running".into(), status.running_count.to_string()]);
    counts.push(vec!["finished".into(), status.finished_count.to_string()]);
    // Scripts get one kind of line: the ids when they asked for them.
    if style.is_human() || !is_listing {
        let _ = write!(out, "{}", counts.render(style));
    }
    if is_listing {
        let _ = write!(out, "{}", ids.render(style));
    }
    Ok(crate::EXIT_OK)
}

/// Cancels the waiting tests of a batch.
async fn cancel(
    backend: &Backend,
    args: CancelArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let credentials = backend.credentials(&args.credentials)?;
    let params = BatchCancelParams {
        batch_id: args.batch_id,
        username: credentials.user,
        api_key: credentials.api_key,
    };
    let cancelled = backend.client()?.batch_cancel(&params).await?;
    if args.json {
        print_json(&cancelled, out)?;
    } else if style.is_human() {
        let _ = writeln!(
            out,
            "Cancelled {} waiting tests of batch {}.",
            cancelled.cancelled, args.batch_id
        );
    } else {
        let _ = writeln!(out, "{}", cancelled.cancelled);
    }
    Ok(crate::EXIT_OK)
}

/// Prints one line per domain with its worst level.
async fn results(
    backend: &Backend,
    args: ResultsArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let outcomes = fetch_outcomes(&backend.client()?, args.batch_id).await?;
    if args.json {
        print_json(&outcomes, out)?;
    } else if args.csv {
        let _ = write!(out, "{}", outcomes_csv(&outcomes));
    } else if args.quiet {
        for outcome in &outcomes {
            let _ = writeln!(out, "{}", outcome.test_id);
        }
    } else {
        let _ = write!(out, "{}", outcome_rows(&outcomes).render(style));
    }
    let is_reached = args
        .fail_level
        .is_some_and(|level| reaches(&outcomes, level));
    Ok(crate::fail_level_exit(is_reached))
}
