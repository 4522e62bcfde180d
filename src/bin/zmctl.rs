//! `zmctl`: the zonemaster-rs command-line client.
//!
//! Exit codes: 0 done, 1 the lookup found nothing usable, 2 bad input
//! (invalid name, unreadable or malformed file, bad flags).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use comfy_table::{Table, presets::NOTHING};
use zonemaster::dns::{LiveTransport, QueryOptions};
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::{IpFamilies, RootHints};
use zonemaster::lookup::{LookupSetup, lookup_addresses, lookup_delegation};

#[derive(Parser)]
#[command(
    name = "zmctl",
    version,
    about = "Zonemaster in Rust: check DNS zones and drive the backend"
)]
#[command(after_help = "Exit codes: 0 success, 1 nothing usable found, 2 bad input or usage.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Look up delegation or address data by iterative resolution.
    #[command(subcommand)]
    Lookup(Lookup),
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
struct LookupFlags {
    /// Root hints file (zone-file format: `.` NS and A/AAAA records) instead of the IANA roots.
    #[arg(long, value_name = "FILE")]
    hints: Option<PathBuf>,
    /// Print JSON in the backend's result shape.
    #[arg(long)]
    json: bool,
    /// Do not use IPv4.
    #[arg(long)]
    no_ipv4: bool,
    /// Do not use IPv6.
    #[arg(long)]
    no_ipv6: bool,
    /// Seconds to wait for one reply.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    timeout: u64,
}

/// A failure with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl std::fmt::Display) -> Self {
        Self {
            code: 2,
            message: message.to_string(),
        }
    }

    fn not_found(message: impl std::fmt::Display) -> Self {
        Self {
            code: 1,
            message: message.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let result = runtime.block_on(run(cli.command, &mut output));
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

async fn run(command: Command, out: &mut Vec<u8>) -> Result<u8, Failure> {
    match command {
        Command::Lookup(Lookup::Delegation { zone, common }) => {
            delegation(&zone, &common, out).await
        }
        Command::Lookup(Lookup::Address { name, common }) => address(&name, &common, out).await,
    }
}

fn setup(flags: &LookupFlags) -> Result<LookupSetup, Failure> {
    let hints = match &flags.hints {
        Some(path) => {
            RootHints::from_file(path).map_err(|error| Failure::input(error_chain(&error)))?
        }
        None => RootHints::builtin(),
    };
    if flags.no_ipv4 && flags.no_ipv6 {
        return Err(Failure::input(
            "--no-ipv4 and --no-ipv6 together leave no network to use",
        ));
    }
    let options = QueryOptions {
        timeout: Duration::from_secs(flags.timeout.max(1)),
        ..QueryOptions::default()
    };
    Ok(LookupSetup {
        hints,
        families: IpFamilies {
            ipv4: !flags.no_ipv4,
            ipv6: !flags.no_ipv6,
        },
        options,
        transport: Arc::new(LiveTransport::new()),
    })
}

async fn delegation(zone: &str, flags: &LookupFlags, out: &mut Vec<u8>) -> Result<u8, Failure> {
    let name = parse_domain(zone)
        .map_err(|error| Failure::input(format!("invalid domain name `{zone}`: {error}")))?;
    let setup = setup(flags)?;
    let data = lookup_delegation(&name, &setup)
        .await
        .map_err(Failure::not_found)?;
    if flags.json {
        let json = serde_json::to_string(&data).map_err(Failure::input)?;
        let _ = writeln!(out, "{json}");
        return Ok(0);
    }
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_header(["Name server", "Address"]);
    for entry in &data.ns_list {
        table.add_row([
            entry.ns.as_str(),
            entry.ip.as_deref().unwrap_or("(no address)"),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if data.ds_list.is_empty() {
        let _ = writeln!(out, "\nNo DS records at the parent.");
    } else {
        let mut ds_table = Table::new();
        ds_table
            .load_preset(NOTHING)
            .set_header(["Key tag", "Algorithm", "Digest type", "Digest"]);
        for ds in &data.ds_list {
            ds_table.add_row([
                ds.keytag.to_string(),
                ds.algorithm.to_string(),
                ds.digtype.to_string(),
                ds.digest.clone(),
            ]);
        }
        let _ = writeln!(out, "\n{ds_table}");
    }
    Ok(0)
}

async fn address(name_text: &str, flags: &LookupFlags, out: &mut Vec<u8>) -> Result<u8, Failure> {
    let name = parse_domain(name_text)
        .map_err(|error| Failure::input(format!("invalid domain name `{name_text}`: {error}")))?;
    let setup = setup(flags)?;
    let found = lookup_addresses(&name, &setup).await;
    if flags.json {
        let _ = writeln!(out, "{}", found.to_backend_json(name_text));
    } else {
        for address in &found.addresses {
            let _ = writeln!(out, "{address}");
        }
    }
    if found.addresses.is_empty() {
        return Err(Failure::not_found(format!(
            "no A or AAAA records found for `{name_text}`"
        )));
    }
    Ok(0)
}

/// An error and its causes on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
