//! `zm-rpcapi`: the JSON-RPC API daemon (backend spec §9.1).
//!
//! Reads the configuration and profiles, connects to the store (with
//! `--migrate` creating or upgrading its schema; without, refusing a
//! database that is not set up), then serves the API until
//! SIGTERM, SIGQUIT or SIGINT, finishing the requests in flight. Start-up
//! failures print `zm-rpcapi: <cause chain>` and exit 1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use tokio::net::TcpListener;
use tokio::signal::unix::{Signal, SignalKind, signal};
use zonemaster::config::{BackendConfig, ProfileSet, RpcapiConfig};
use zonemaster::i18n;
use zonemaster::logging::{self, LogTarget};
use zonemaster::metrics::Metrics;
use zonemaster::rpc::{Api, ApiOptions, serve};
use zonemaster::store::{self, Store, StoreError};
use zonemaster::telemetry::{self, Telemetry};

/// mimalloc rather than glibc's malloc, as in zm-agent: every request
/// allocates (body, JSON, params), and with it SQLite's
/// `start_domain_test` went from about 10,300 to 13,500 a second at 64
/// clients (`cargo bench --bench api`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The JSON-RPC API of the Zonemaster backend.
#[derive(Parser, Debug)]
#[command(name = "zm-rpcapi", version, about)]
struct Cli {
    /// The backend configuration (else $ZONEMASTER_BACKEND_CONFIG_FILE,
    /// then /etc/zonemaster/backend_config.ini,
    /// /usr/local/etc/zonemaster/backend_config.ini).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address and port to listen on; port 0 picks a free port (the
    /// address used is printed as `listening on ADDR:PORT`).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:5000")]
    listen: String,
    /// Create or upgrade the database schema before serving.
    #[arg(long)]
    migrate: bool,
    /// Largest accepted request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ApiOptions::default().max_body_bytes)]
    max_body_size: usize,
    /// Most requests in one JSON-RPC batch (array body).
    #[arg(long, value_name = "N", default_value_t = ApiOptions::default().max_batch_requests)]
    max_batch_requests: usize,
    /// Most domains in one add_batch_job / batch_create [default:
    /// RPCAPI.max_batch_domains, itself 10000 by default].
    #[arg(long, value_name = "N")]
    max_batch_domains: Option<usize>,
    /// Serve Prometheus metrics (`GET /metrics`) and a health check
    /// (`GET /healthz`) on this address, apart from the API; off unless
    /// given. Port 0 picks a free port (printed as `metrics listening on
    /// ADDR:PORT`).
    #[arg(long, value_name = "ADDR:PORT")]
    metrics_listen: Option<String>,
    /// Append log lines to this file instead of standard error.
    #[arg(long, value_name = "FILE")]
    logfile: Option<PathBuf>,
}

impl Cli {
    /// The limits: ours from the command line, the rest from `[RPCAPI]`.
    fn options(&self, config: &RpcapiConfig) -> ApiOptions {
        let from_config = ApiOptions::from_config(config);
        ApiOptions {
            max_body_bytes: self.max_body_size,
            max_batch_requests: self.max_batch_requests,
            max_batch_domains: self
                .max_batch_domains
                .unwrap_or(from_config.max_batch_domains),
            ..from_config
        }
    }
}

/// Perl-style truth, as the reference reads `ZM_BACKEND_RPCAPI_LOGJSON`:
/// set, non-empty and not `0`.
fn env_is_truthy(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| !value.is_empty() && value != "0")
}

/// Listens for SIGTERM, SIGQUIT (the reference unit's stop signal) and
/// SIGINT. Called before `listening on` is printed, so a signal sent as
/// soon as we say we are up stops us cleanly instead of killing us.
fn stop_signals() -> Vec<Signal> {
    let mut signals = Vec::new();
    for kind in [
        SignalKind::terminate(),
        SignalKind::quit(),
        SignalKind::interrupt(),
    ] {
        match signal(kind) {
            Ok(stream) => signals.push(stream),
            Err(error) => tracing::warn!(error = %error, "cannot listen for a stop signal"),
        }
    }
    signals
}

/// Completes on the first of `signals`, telling systemd that we are
/// stopping.
async fn shutdown_signal(mut signals: Vec<Signal>) {
    let waits = signals.iter_mut().map(|stream| Box::pin(stream.recv()));
    let _ = futures::future::select_all(waits).await;
    tracing::info!("stop signal received; finishing the requests in flight");
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
}

/// Opens the database: with `migrate` creating or upgrading it, else only
/// one that is set up, so a wrong path or an empty database stops us here
/// instead of failing every request.
async fn open_store(config: &BackendConfig, migrate: bool) -> anyhow::Result<Arc<dyn Store>> {
    if migrate {
        let store = store::open(&config.store_settings())
            .await
            .context("cannot open the database")?;
        let report = store
            .migrate()
            .await
            .context("cannot migrate the database")?;
        tracing::info!(from = ?report.from, to = report.to, "database schema ready");
        return Ok(store);
    }
    match store::open_existing(&config.store_settings()).await {
        Ok(store) => Ok(store),
        Err(error @ StoreError::NotInitialised { .. }) => Err(anyhow::anyhow!(
            "{error}: run `zmctl db init` or start zm-rpcapi with --migrate"
        )),
        Err(error) => Err(anyhow::Error::new(error).context("cannot open the database")),
    }
}

/// Says which `LANGUAGE.locale` languages have no complete translation:
/// requests in them are answered (partly) in English.
fn warn_of_untranslated_languages(config: &BackendConfig) {
    let codes = config.language.locales.keys().map(String::as_str);
    let english = i18n::shown_in_english(codes);
    if !english.is_empty() {
        tracing::warn!(
            languages = english.join(", "),
            "LANGUAGE.locale names languages without a complete translation; \
             their texts are shown in English"
        );
    }
}

/// Loads everything, binds, serves.
async fn run(cli: Cli) -> anyhow::Result<()> {
    let (path, config) =
        BackendConfig::locate(cli.config.as_deref()).context("cannot load the configuration")?;
    tracing::info!(file = %path.display(), "configuration loaded");
    warn_of_untranslated_languages(&config);
    let profiles = ProfileSet::load(&config.profiles).context("cannot load the profiles")?;
    let store = open_store(&config, cli.migrate).await?;
    let metrics = Metrics::from_config(&config.metrics).context("cannot set up metrics")?;
    let telemetry = match &cli.metrics_listen {
        Some(_) => Telemetry::enabled(),
        None => Telemetry::disabled(),
    };
    // Bound before the API, so a busy metrics port stops the start.
    let endpoint = match &cli.metrics_listen {
        Some(listen) => Some(telemetry::bind(listen, telemetry.clone(), Arc::clone(&store)).await?),
        None => None,
    };
    let options = cli.options(&config.rpcapi);
    let api = Api::new(store, config, profiles)
        .context("cannot set up the API")?
        .with_metrics(metrics)
        .with_telemetry(telemetry)
        .with_options(options);
    let listener = TcpListener::bind(&cli.listen)
        .await
        .with_context(|| format!("cannot listen on {}", cli.listen))?;
    let address = listener
        .local_addr()
        .context("cannot read the bound address")?;
    let signals = stop_signals();
    tracing::info!(addr = %address, "listening");
    let mut stdout = std::io::stdout();
    if let Some(endpoint) = &endpoint {
        let _ = writeln!(stdout, "metrics listening on {}", endpoint.address);
    }
    let _ = writeln!(stdout, "listening on {address}");
    let _ = stdout.flush();
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
    serve(listener, Arc::new(api), shutdown_signal(signals))
        .await
        .context("the HTTP server failed")?;
    drop(endpoint);
    tracing::info!("stopped");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = std::env::var("ZM_BACKEND_RPCAPI_LOGLEVEL")
        .ok()
        .filter(|level| !level.is_empty());
    let target = cli
        .logfile
        .clone()
        .map_or(LogTarget::Stderr, LogTarget::File);
    if let Err(error) = logging::init(
        "rpcapi",
        level.as_deref(),
        env_is_truthy("ZM_BACKEND_RPCAPI_LOGJSON"),
        &target,
    ) {
        eprintln!("zm-rpcapi: {error}");
        return ExitCode::FAILURE;
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zm-rpcapi: {error:#}");
            ExitCode::FAILURE
        }
    }
}
