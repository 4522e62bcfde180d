//! `zmctl`: the zonemaster-rs command-line client.
//!
//! Thin: argument parsing and output; the work is in the library.

mod api;
mod batch_commands;
mod batch_outcomes;
mod check;
mod check_output;
mod db;
mod diff;
mod docs;
mod lookup;
mod output;
mod results_view;
mod serve;
mod system_commands;
mod test_commands;
mod tui;
mod undelegated;
mod wait;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::api::Backend;
use crate::output::Style;

/// The run did what was asked (whatever a check found).
pub const EXIT_OK: u8 = 0;
/// The run or request failed: a JSON-RPC error, an unreachable server, a
/// test that failed or was cancelled, nothing usable found.
pub const EXIT_FAILED: u8 = 1;
/// Bad input or usage; nothing was done.
pub const EXIT_USAGE: u8 = 2;
/// `--fail-level` was reached.
pub const EXIT_FAIL_LEVEL: u8 = 3;

/// [`EXIT_FAIL_LEVEL`] when `--fail-level` was reached, else [`EXIT_OK`].
pub fn fail_level_exit(is_reached: bool) -> u8 {
    if is_reached { EXIT_FAIL_LEVEL } else { EXIT_OK }
}

#[derive(Parser)]
#[command(
    name = "zmctl",
    version,
    about = "Zonemaster in Rust: check DNS zones and drive the backend"
)]
#[command(after_help = "\
Output: a table on a terminal, one tab-separated line per row when piped; --json prints \
the API's answer; --quiet prints only ids. NO_COLOR turns colours off.

Exit codes:
  0  success (whatever a check found)
  1  the run or request failed: a JSON-RPC error (its code, message and data are \
printed), an unreachable server, a test that failed or was cancelled (--wait), nothing \
usable found (check, lookup)
  2  bad input or usage (nothing was done)
  3  with --fail-level: a message (check, test) or a domain's worst level (batch) at or \
above that level")]
struct Cli {
    /// The zm-rpcapi server [default: `server` in ~/.config/zmctl/config.toml, else http://127.0.0.1:5000].
    #[arg(long, global = true, env = "ZMCTL_SERVER", value_name = "URL")]
    server: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a zone with the engine, in this process (no daemons needed).
    Check(Box<check::CheckArgs>),
    /// Look up delegation or address data by iterative resolution (here, or by the server with --api).
    #[command(subcommand)]
    Lookup(Lookup),
    /// Start and read tests on the backend.
    #[command(subcommand)]
    Test(test_commands::TestCommand),
    /// Test many domains at once: create, follow, read and cancel batches.
    #[command(subcommand)]
    Batch(batch_commands::BatchCommand),
    /// Manage API users.
    #[command(subcommand)]
    User(system_commands::UserCommand),
    /// List the server's public profiles.
    Profiles(system_commands::JsonFlag),
    /// List the languages the server writes results in.
    Languages(system_commands::JsonFlag),
    /// Print the versions of zmctl and of the server.
    Version(system_commands::JsonFlag),
    /// What changed between a domain's two most recent tests (`test diff ID1 ID2` for any two).
    Diff(diff::DomainDiffArgs),
    /// A live dashboard: the queue, batches, results, history and a form to start a test.
    Tui(tui::TuiArgs),
    /// Call any JSON-RPC method by name and print its raw result.
    Call(system_commands::CallArgs),
    /// Create, upgrade or prune the backend database (reads backend_config.ini).
    Db(db::DbArgs),
    /// Run the API and an agent in this process on an SQLite file (a local backend, no configuration).
    Serve(serve::ServeArgs),
    /// Print a shell completion script (e.g. `zmctl completions bash > /etc/bash_completion.d/zmctl`).
    Completions(docs::CompletionsArgs),
    /// Write the manual pages (zmctl.1, zmctl-check.1, …) into a directory.
    Man(docs::ManArgs),
    /// `test start`, as the first zmctl named it.
    #[command(hide = true)]
    StartTest(Box<test_commands::StartArgs>),
    /// `test progress`, as the first zmctl named it.
    #[command(hide = true)]
    Progress(test_commands::ProgressArgs),
    /// `test results`, as the first zmctl named it.
    #[command(hide = true)]
    Results(test_commands::ResultsArgs),
    /// `test history`, as the first zmctl named it.
    #[command(hide = true)]
    History(test_commands::HistoryArgs),
}

#[derive(Subcommand)]
enum Lookup {
    /// The NS names/addresses and DS records the parent zone publishes.
    Delegation {
        /// The zone, e.g. example.se (IDN allowed).
        zone: String,
        #[command(flatten)]
        common: LookupFlags,
    },
    /// The A and AAAA addresses of a host name.
    Address {
        /// The host name, e.g. ns1.example.se.
        name: String,
        #[command(flatten)]
        common: LookupFlags,
    },
}

#[derive(Args)]
pub struct LookupFlags {
    /// Root hints file (zone-file format: `.` NS and A/AAAA records) instead of the IANA roots.
    #[arg(long, value_name = "FILE")]
    pub hints: Option<PathBuf>,
    /// Print JSON in the backend's result shape.
    #[arg(long)]
    pub json: bool,
    /// Do not use IPv4.
    #[arg(long)]
    pub no_ipv4: bool,
    /// Do not use IPv6.
    #[arg(long)]
    pub no_ipv6: bool,
    /// Seconds to wait for one reply.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub timeout: u64,
    /// Ask the server (get_data_from_parent_zone, get_host_by_name) instead of resolving here.
    #[arg(long, conflicts_with_all = ["hints", "no_ipv4", "no_ipv6"])]
    pub api: bool,
}

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Bad input or usage: exit 2.
    pub fn input(message: impl std::fmt::Display) -> Self {
        Self {
            code: EXIT_USAGE,
            message: message.to_string(),
        }
    }

    /// The run failed (no network, say): exit 1.
    pub fn failed(message: impl std::fmt::Display) -> Self {
        Self {
            code: EXIT_FAILED,
            message: message.to_string(),
        }
    }

    /// Nothing usable was found: exit 1.
    pub fn not_found(message: impl std::fmt::Display) -> Self {
        Self {
            code: EXIT_FAILED,
            message: message.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, Command::Serve(_)));
    // One thread serves a command: a check waits on the network, not on
    // the CPU, and without a second worker no wake-up crosses threads (a
    // full test at 0 ms took 30 % less wall and 40 % less CPU time so).
    // `serve` runs the daemons and uses every core.
    let mut builder = if matches!(cli.command, Command::Serve(_)) {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("zmctl: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut output = Vec::new();
    let result = runtime.block_on(run(cli.command, cli.server, &mut output));
    // A closed pipe (`zmctl … | head`) is not an error worth a message.
    let _ = std::io::stdout().write_all(&output);
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("zmctl: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Diagnostics on stderr when `ZMCTL_LOG` asks for them (a tracing filter,
/// e.g. `ZMCTL_LOG=zonemaster=trace` logs every DNS query and its
/// outcome); silent otherwise, so scripts see only the command's output.
///
/// A daemon (`serve`) logs warnings and its own start and stop without it.
fn init_logging(daemon: bool) {
    let filter = match std::env::var_os("ZMCTL_LOG") {
        Some(filter) => filter,
        None if daemon => "warn,zonemaster=info".into(),
        None => return,
    };
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter.to_string_lossy()).unwrap_or_else(|error| {
            eprintln!("zmctl: ZMCTL_LOG is not a valid filter ({error}); logging warnings");
            tracing_subscriber::EnvFilter::new("warn")
        });
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .init();
}

async fn run(command: Command, server: Option<String>, out: &mut Vec<u8>) -> Result<u8, Failure> {
    let backend = Backend::new(server);
    let style = Style::detect();
    let legacy = Style::legacy();
    match command {
        Command::Test(command) => test_commands::run(command, &backend, style, out).await,
        Command::Batch(command) => batch_commands::run(command, &backend, style, out).await,
        Command::User(system_commands::UserCommand::Add(args)) => {
            system_commands::user_add(&backend, args, style, out).await
        }
        Command::Profiles(flags) => system_commands::profiles(&backend, flags, style, out).await,
        Command::Languages(flags) => system_commands::languages(&backend, flags, style, out).await,
        Command::Version(flags) => system_commands::version(&backend, flags, style, out).await,
        Command::Call(args) => system_commands::call(&backend, args, out).await,
        Command::Tui(args) => tui::tui(&backend, args).await,
        Command::Diff(args) => diff::domain(&backend, args, out).await,
        Command::StartTest(args) => test_commands::start(&backend, *args, legacy, out).await,
        Command::Progress(args) => test_commands::progress(&backend, args, out).await,
        Command::Results(args) => test_commands::results(&backend, args, legacy, out).await,
        Command::History(args) => test_commands::history(&backend, args, legacy, out).await,
        Command::Db(args) => db::db(args, out).await,
        Command::Serve(args) => serve::serve(args).await,
        Command::Completions(args) => docs::completions(&args, out),
        Command::Man(args) => docs::man(&args, out),
        Command::Check(args) => check::check(*args, out).await,
        Command::Lookup(Lookup::Delegation { zone, common }) => {
            lookup::delegation(&zone, &common, &backend, out).await
        }
        Command::Lookup(Lookup::Address { name, common }) => {
            lookup::address(&name, &common, &backend, out).await
        }
    }
}

pub use zonemaster::error_chain;

/// The human line saying how much of Zonemaster's testing a run covered
/// (issue 8, point 3): `check` and `results` print it alike.
pub fn testcase_summary(ran: impl std::fmt::Display, enabled: usize) -> String {
    let noun = if enabled == 1 {
        "test case"
    } else {
        "test cases"
    };
    format!("{ran} of the {enabled} {noun} the profile enables ran.")
}

/// Says once, on stderr, that `language` has no texts of its own yet, so
/// the messages below are English (issue 8, point 11). Unknown codes are
/// left to whoever checks them.
pub fn note_english_fallback(language: &str) {
    let Ok(language) = language.parse::<zonemaster::i18n::Language>() else {
        return;
    };
    if !zonemaster::i18n::is_fully_translated(language) {
        eprintln!(
            "zmctl: note: there are no {} ({}) texts yet; messages are shown in English",
            language.english_name(),
            language.code()
        );
    }
}
