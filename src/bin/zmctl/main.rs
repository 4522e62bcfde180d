//! `zmctl`: the zonemaster-rs command-line client.
//!
//! Thin: argument parsing and output; the work is in the library.

mod api;
mod backend;
mod check;
mod check_output;
mod db;
mod docs;
mod lookup;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "zmctl",
    version,
    about = "Zonemaster in Rust: check DNS zones and drive the backend"
)]
#[command(
    after_help = "Exit codes: 0 success; 1 the run failed or nothing usable was found; \
2 bad input or usage; 3 (check --fail-level) a message at or above that level was emitted."
)]
struct Cli {
    /// The zm-rpcapi server.
    #[arg(long, global = true, env = "ZMCTL_SERVER", default_value = api::DEFAULT_SERVER, value_name = "URL")]
    server: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a zone with the engine, in this process (no daemons needed).
    Check(Box<check::CheckArgs>),
    /// Look up delegation or address data by iterative resolution.
    #[command(subcommand)]
    Lookup(Lookup),
    /// Submit a test to the backend; prints its id (with --wait: its results).
    StartTest(Box<backend::StartTestArgs>),
    /// Print a test's progress (0-100).
    Progress {
        /// The test id.
        test_id: String,
    },
    /// Print a test's results.
    Results(backend::ResultsArgs),
    /// Print the finished tests of a domain, newest first.
    History(backend::HistoryArgs),
    /// Create, upgrade or prune the backend database (reads backend_config.ini).
    Db(db::DbArgs),
    /// Run the API and an agent in this process on an SQLite file (a local backend, no configuration).
    Serve(serve::ServeArgs),
    /// Print a shell completion script (e.g. `zmctl completions bash > /etc/bash_completion.d/zmctl`).
    Completions(docs::CompletionsArgs),
    /// Write the manual pages (zmctl.1, zmctl-check.1, …) into a directory.
    Man(docs::ManArgs),
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
}

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    pub fn input(message: impl std::fmt::Display) -> Self {
        Self {
            code: 2,
            message: message.to_string(),
        }
    }

    /// The run failed (no network, say): exit 1.
    pub fn failed(message: impl std::fmt::Display) -> Self {
        Self {
            code: 1,
            message: message.to_string(),
        }
    }

    pub fn not_found(message: impl std::fmt::Display) -> Self {
        Self {
            code: 1,
            message: message.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, Command::Serve(_)));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("zmctl: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut output = Vec::new();
    let result = runtime.block_on(run(cli.command, &cli.server, &mut output));
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

async fn run(command: Command, server: &str, out: &mut Vec<u8>) -> Result<u8, Failure> {
    match command {
        Command::StartTest(args) => backend::start_test(&api::Api::new(server)?, *args, out).await,
        Command::Progress { test_id } => {
            backend::progress(&api::Api::new(server)?, &test_id, out).await
        }
        Command::Results(args) => backend::results(&api::Api::new(server)?, args, out).await,
        Command::History(args) => backend::history(&api::Api::new(server)?, args, out).await,
        Command::Db(args) => db::db(args, out).await,
        Command::Serve(args) => serve::serve(args).await,
        Command::Completions(args) => docs::completions(&args, out),
        Command::Man(args) => docs::man(&args, out),
        Command::Check(args) => check::check(*args, out).await,
        Command::Lookup(Lookup::Delegation { zone, common }) => {
            lookup::delegation(&zone, &common, out).await
        }
        Command::Lookup(Lookup::Address { name, common }) => {
            lookup::address(&name, &common, out).await
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
