//! `zm-agent`: the test agent daemon (backend spec §9.2).
//!
//! Thin: parses the reference's options, starts logging, does the
//! pre-flight (configuration, profiles, root hints, database), tells
//! systemd it is ready and runs [`zonemaster::agent::run`] until SIGTERM or
//! SIGINT. It always runs in the foreground: systemd does the daemonising.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use sd_notify::NotifyState;
use tokio::signal::unix::{Signal, SignalKind, signal};
use zonemaster::agent::{AgentOptions, EngineRunner};
use zonemaster::config::{BackendConfig, ProfileSet};
use zonemaster::logging::{self, LogTarget};
use zonemaster::metrics::Metrics;
use zonemaster::pidfile::PidFile;
use zonemaster::store::{self, Store, StoreError};
use zonemaster::telemetry::{self, Endpoint, Telemetry};

/// mimalloc rather than glibc's malloc: a loaded agent spent about 15 %
/// of its time in glibc's allocator (perf: `_int_malloc`, `_int_free`,
/// `malloc_consolidate`), more as tests in flight grew.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Command line, with the option names of `zonemaster_backend_testagent`.
#[derive(Parser)]
#[command(
    name = "zm-agent",
    version,
    about = "Zonemaster test agent: runs queued tests from the backend database"
)]
struct Cli {
    /// backend_config.ini to read (default: $ZONEMASTER_BACKEND_CONFIG_FILE,
    /// then /etc/zonemaster/ and /usr/local/etc/zonemaster/).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the process id to FILE while running; refuse to start when
    /// FILE names a live process.
    #[arg(long, value_name = "FILE")]
    pidfile: Option<PathBuf>,
    /// Log level: trace, debug, info, notice, warning, error, critical,
    /// alert or emergency.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    loglevel: String,
    /// Log one JSON object per line.
    #[arg(long)]
    logjson: bool,
    /// Log to FILE; `-` (the default) is standard error, which journald
    /// collects.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    logfile: String,
    /// Accepted for compatibility; zm-agent writes nothing but its log.
    #[arg(long, value_name = "FILE")]
    outfile: Option<PathBuf>,
    /// Not supported: run zm-agent as the right user (systemd `User=`).
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Not supported: run zm-agent as the right group (systemd `Group=`).
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,
    /// Create or upgrade the database schema before starting.
    #[arg(long)]
    migrate: bool,
    /// Seconds between heartbeats; an agent silent for three intervals
    /// counts as dead.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    heartbeat_interval: Option<Duration>,
    /// Seconds in-flight tests may go on after SIGTERM before they are
    /// stopped and queued again.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    grace: Option<Duration>,
    /// Serve Prometheus metrics (`GET /metrics`) and a health check
    /// (`GET /healthz`) on this address; off unless given. Port 0 picks a
    /// free port (printed as `metrics listening on ADDR:PORT`).
    #[arg(long, value_name = "ADDR:PORT")]
    metrics_listen: Option<String>,
    /// `foreground` (the default and only mode).
    #[arg(default_value = "foreground", value_name = "COMMAND")]
    command: String,
}

/// A positive number of seconds, fractions allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|value| *value > 0.0)
        .and_then(|value| Duration::try_from_secs_f64(value).ok())
        .ok_or_else(|| format!("`{text}` is not a positive number of seconds"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = check_command(&cli) {
        eprintln!("zm-agent: {error:#}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("zm-agent: Aborting startup: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(cli))
}

/// Refuses the reference's daemon-control commands and options.
fn check_command(cli: &Cli) -> anyhow::Result<()> {
    match cli.command.as_str() {
        "foreground" => {}
        "start" | "stop" | "restart" | "reload" | "status" => bail!(
            "`{}` is not supported: zm-agent always runs in the foreground; \
             use systemd (systemctl {} zm-agent) to manage it",
            cli.command,
            cli.command
        ),
        other => bail!("unknown command `{other}` (expected `foreground`)"),
    }
    if cli.user.is_some() || cli.group.is_some() {
        bail!(
            "--user and --group are not supported: start zm-agent as that user (systemd User=/Group=)"
        );
    }
    Ok(())
}

/// Pre-flight, then the agent until a signal.
async fn serve(cli: Cli) -> ExitCode {
    let target = match cli.logfile.as_str() {
        "-" => LogTarget::Stderr,
        path => LogTarget::File(PathBuf::from(path)),
    };
    if let Err(error) = logging::init("testagent", Some(&cli.loglevel), cli.logjson, &target) {
        eprintln!("zm-agent: Aborting startup: {error}");
        return ExitCode::FAILURE;
    }
    // Signals first: once the pid file names us, SIGTERM must stop us
    // cleanly. The pid file before the rest, so a second agent on it stops
    // before touching anything; dropped (removed if still ours) on return.
    let taken = Signals::new()
        .context("cannot listen for signals")
        .and_then(|signals| Ok((signals, take_pidfile(cli.pidfile.as_deref())?)));
    let (signals, _pidfile) = match taken {
        Ok(taken) => taken,
        Err(error) => {
            if target != LogTarget::Stderr {
                tracing::error!(error = format!("{error:#}"), "aborting startup");
            }
            eprintln!("zm-agent: Aborting startup: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let prepared = match prepare(&cli, signals).await {
        Ok(prepared) => prepared,
        Err(error) => {
            if target != LogTarget::Stderr {
                tracing::error!(error = format!("{error:#}"), "aborting startup");
            }
            eprintln!("zm-agent: Aborting startup: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let result = run(prepared).await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if target != LogTarget::Stderr {
                tracing::error!(error = format!("{error:#}"), "agent failed");
            }
            eprintln!("zm-agent: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Writes our pid to `path`, if given.
fn take_pidfile(path: Option<&Path>) -> anyhow::Result<Option<PidFile>> {
    Ok(path.map(PidFile::create).transpose()?)
}

/// What the pre-flight produced.
struct Prepared {
    options: AgentOptions,
    store: Arc<dyn Store>,
    signals: Signals,
    /// The metrics listener, while the agent runs.
    endpoint: Option<Endpoint>,
}

/// Loads configuration, profiles and hints, connects to the database and
/// keeps `signals`; any failure aborts the start.
async fn prepare(cli: &Cli, signals: Signals) -> anyhow::Result<Prepared> {
    if let Some(outfile) = &cli.outfile {
        tracing::debug!(outfile = %outfile.display(), "--outfile is accepted and ignored");
    }
    let (path, config) =
        BackendConfig::locate(cli.config.as_deref()).context("cannot load the configuration")?;
    tracing::info!(config = %path.display(), "configuration loaded");
    let profiles = ProfileSet::load(&config.profiles).context("cannot load the profiles")?;
    let runner = EngineRunner::from_config(&config, profiles)?;
    let metrics = Metrics::from_config(&config.metrics).context("cannot set up metrics")?;
    let store = connect(&config, cli.migrate).await?;
    let mut options = AgentOptions::new(&config, Arc::new(runner));
    options.metrics = metrics;
    if let Some(interval) = cli.heartbeat_interval {
        options = options.with_heartbeat_interval(interval);
    }
    if let Some(grace) = cli.grace {
        options.grace = grace;
    }
    let endpoint = match &cli.metrics_listen {
        Some(listen) => {
            options.telemetry = Telemetry::enabled();
            let endpoint =
                telemetry::bind(listen, options.telemetry.clone(), Arc::clone(&store)).await?;
            let mut stdout = std::io::stdout();
            let _ = writeln!(stdout, "metrics listening on {}", endpoint.address);
            let _ = stdout.flush();
            Some(endpoint)
        }
        None => None,
    };
    Ok(Prepared {
        options,
        store,
        signals,
        endpoint,
    })
}

/// Opens the database and checks it has our schema (or creates it with
/// `--migrate`); without `--migrate` nothing is created.
async fn connect(config: &BackendConfig, migrate: bool) -> anyhow::Result<Arc<dyn Store>> {
    let engine = config.db.engine.name();
    if migrate {
        let store = store::open(&config.store_settings())
            .await
            .with_context(|| format!("cannot connect to the {engine} database"))?;
        let report = store
            .migrate()
            .await
            .context("cannot migrate the database")?;
        tracing::info!(from = ?report.from, to = report.to, "database schema ready");
        return Ok(store);
    }
    match store::open_existing(&config.store_settings()).await {
        Ok(store) => Ok(store),
        Err(error @ StoreError::NotInitialised { .. }) => {
            bail!("{error}: run `zmctl db init` or start zm-agent with --migrate")
        }
        Err(error) => Err(anyhow::Error::new(error))
            .with_context(|| format!("cannot connect to the {engine} database")),
    }
}

/// Runs the agent with systemd told.
async fn run(prepared: Prepared) -> anyhow::Result<()> {
    notify(NotifyState::Ready);
    let signals = prepared.signals;
    let result = zonemaster::agent::run(prepared.options, prepared.store, signals.wait()).await;
    drop(prepared.endpoint);
    result.context("the agent stopped")
}

/// Tells systemd (when it started us with a notify socket).
fn notify(state: NotifyState<'_>) {
    if let Err(error) = sd_notify::notify(&[state]) {
        tracing::warn!(error = %error, "cannot notify systemd");
    }
}

/// SIGTERM and SIGINT, registered before the agent starts so an early
/// signal is not lost.
struct Signals {
    terminate: Signal,
    interrupt: Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        Ok(Self {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    /// Resolves at the first signal and tells systemd we are stopping.
    async fn wait(mut self) {
        let name = tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        };
        tracing::info!(signal = name, "stopping");
        notify(NotifyState::Stopping);
    }
}
