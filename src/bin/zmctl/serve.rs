//! `zmctl serve`: the API and an agent in this process on one SQLite file,
//! so a laptop needs no configuration and no units (the work is in
//! [`zonemaster::serve`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use tokio::signal::unix::{SignalKind, signal};
use zonemaster::serve::{DEFAULT_LISTEN, Listening, LocalBackend, default_db_path};

use crate::Failure;

#[derive(Args)]
pub struct ServeArgs {
    /// The SQLite database, created and migrated on first start
    /// [default: $XDG_DATA_HOME/zonemaster-rs/backend.sqlite, else under ~/.local/share].
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// Address and port of the API; port 0 picks a free one (printed as `listening on ADDR:PORT`).
    #[arg(long, value_name = "ADDR:PORT", default_value = DEFAULT_LISTEN)]
    listen: String,
    /// Root hints file (zone-file format) instead of the IANA root servers.
    #[arg(long, value_name = "FILE")]
    hints: Option<PathBuf>,
    /// Serve Prometheus metrics (`GET /metrics`) and a health check (`GET /healthz`) of
    /// API and agent on this address; off unless given (port 0: printed as `metrics
    /// listening on ADDR:PORT`).
    #[arg(long, value_name = "ADDR:PORT")]
    metrics_listen: Option<String>,
}

/// Serves until SIGTERM or SIGINT (Ctrl-C), then lets the running tests
/// finish within the agent's grace period.
pub async fn serve(args: ServeArgs) -> Result<u8, Failure> {
    let db = match args.db {
        Some(db) => db,
        None => default_db_path().map_err(Failure::input)?,
    };
    let backend = LocalBackend {
        db: db.clone(),
        listen: args.listen,
        hints: args.hints,
        metrics_listen: args.metrics_listen,
    };
    let (mut terminate, mut interrupt) = signal(SignalKind::terminate())
        .and_then(|terminate| Ok((terminate, signal(SignalKind::interrupt())?)))
        .map_err(|error| Failure::failed(format!("cannot listen for signals: {error}")))?;
    let shutdown = async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        eprintln!("zmctl: stopping; running tests get a grace period to finish");
    };
    let ready = |listening: Listening| {
        let address = listening.api;
        // Straight to the terminal or pipe: a script waits for this line.
        let mut stdout = std::io::stdout();
        if let Some(metrics) = listening.metrics {
            let _ = writeln!(stdout, "metrics listening on {metrics}");
        }
        let _ = writeln!(stdout, "listening on {address}");
        let _ = stdout.flush();
        eprintln!(
            "zmctl: serving the API on http://{address} with an agent; database {}",
            db.display()
        );
    };
    backend
        .run(ready, shutdown)
        .await
        .map_err(|error| Failure::failed(zonemaster::error_chain(&error)))?;
    Ok(0)
}
