//! `zm-testns`: the authoritative DNS server of the test world.
//!
//! A development tool, not shipped: it serves the CoreDNS-configured
//! conformance zones (and our own fixture world) on loopback addresses so
//! the engine can be tested without the internet. See the conformance
//! README for the behaviour it reproduces.

mod answer;
mod config;
mod corefile;
mod denial;
#[cfg(test)]
mod denial_tests;
mod ednsprobe;
mod listen;
mod message;
mod misbehaviour;
mod spelling;
#[cfg(test)]
mod test_support;
mod zone;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

/// Serve a test world of DNS zones on loopback addresses.
#[derive(Parser)]
#[command(name = "zm-testns", version)]
struct Cli {
    /// Directory the zone file paths of the configuration are relative to.
    #[arg(long, value_name = "DIR")]
    zones: PathBuf,
    /// CoreDNS-style configuration [default: DIR/main.cfg].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// First add every configured address to `lo` (root, inside a private network namespace).
    #[arg(long)]
    setup_lo: bool,
    /// Delay every reply by this many milliseconds (simulated round trips).
    #[arg(long, value_name = "N", default_value_t = 0)]
    delay_ms: u64,
    /// Listen on this port instead of the configured one (53).
    #[arg(long)]
    port: Option<u16>,
    /// Print every query received on stdout: `query SERVER udp|tcp QNAME CLASS TYPE rd=N`, then
    /// `noedns` or `ednsV do=N size=N z=N options=LEN`.
    #[arg(long)]
    log_queries: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config_path = cli
        .config
        .clone()
        .unwrap_or_else(|| cli.zones.join("main.cfg"));
    let blocks = match corefile::parse_file(&config_path)
        .and_then(|blocks| config::build(&blocks, &cli.zones))
    {
        Ok(blocks) => blocks,
        Err(error) => {
            eprintln!("zm-testns: {error}");
            return ExitCode::from(2);
        }
    };
    let world = answer::World::new(blocks);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("zm-testns: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    listen::LOG_QUERIES.store(cli.log_queries, std::sync::atomic::Ordering::Relaxed);
    let options = listen::Options {
        setup_lo: cli.setup_lo,
        delay: Duration::from_millis(cli.delay_ms),
        port: cli.port,
    };
    match runtime.block_on(listen::serve(world, options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zm-testns: {error}");
            ExitCode::from(2)
        }
    }
}
