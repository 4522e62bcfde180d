//! The whole backend in one process, for a laptop: `zmctl serve`.
//!
//! Production runs `zm-rpcapi` and `zm-agent` apart, on a shared database.
//! Someone trying zonemaster-rs wants neither a configuration file nor two
//! units: [`LocalBackend`] opens (creating and migrating on first start)
//! an SQLite file under the user's data directory, serves the JSON-RPC API
//! and runs an agent on the same store, and stops both on one signal. The
//! configuration is the reference's defaults, with `add_api_user` enabled
//! (it still answers only clients on loopback), every language we have
//! a catalog for offered, and tests of private addresses allowed when it
//! listens on loopback only.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::agent::{AgentError, AgentOptions, EngineRunner};
use crate::config::{BackendConfig, ConfigError, DbEngine, ProfileSet};
use crate::i18n::{Language, has_catalog_file};
use crate::rpc::{Api, ApiSetupError, serve};
use crate::store::{self, StoreError};
use crate::telemetry::{self, EndpointError, Telemetry};

/// The address `zmctl serve` listens on unless told: the reference API's.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:5000";

/// Why the local backend could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No data directory to put the database in.
    #[error(
        "cannot tell where to keep the database: neither $XDG_DATA_HOME nor $HOME is set (give --db FILE)"
    )]
    NoDataDirectory,
    /// The database's directory could not be made.
    #[error("cannot create {}", .path.display())]
    CreateDirectory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The root hints file is not usable.
    #[error("cannot use the root hints in {}", .path.display())]
    Hints {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The built-in profiles did not load (a bug; never expected).
    #[error("cannot load the profiles")]
    Profiles(#[source] ConfigError),
    /// The database could not be opened or migrated.
    #[error("cannot open the database {}", .path.display())]
    Store {
        path: PathBuf,
        #[source]
        source: StoreError,
    },
    /// The API could not be set up.
    #[error("cannot set up the API")]
    Api(#[from] ApiSetupError),
    /// The agent could not be set up or failed.
    #[error("the agent failed")]
    Agent(#[from] AgentError),
    /// The listen address could not be bound.
    #[error("cannot listen on {listen}")]
    Listen {
        listen: String,
        #[source]
        source: std::io::Error,
    },
    /// The metrics listener could not start.
    #[error(transparent)]
    Metrics(#[from] EndpointError),
    /// The HTTP server failed.
    #[error("the HTTP server failed")]
    Http(#[source] std::io::Error),
}

/// A local backend: API and agent in one process on one SQLite file.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    /// The SQLite file; created with its directory on first start.
    pub db: PathBuf,
    /// `ADDR:PORT` to serve the API on (port 0 picks a free one).
    pub listen: String,
    /// Root hints instead of the IANA root servers.
    pub hints: Option<PathBuf>,
    /// `ADDR:PORT` for Prometheus metrics and the health check of API and
    /// agent together; none unless given.
    pub metrics_listen: Option<String>,
}

/// The addresses the local backend listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listening {
    /// The JSON-RPC API.
    pub api: SocketAddr,
    /// `/metrics` and `/healthz`, when asked for.
    pub metrics: Option<SocketAddr>,
}

/// Where `zmctl serve` keeps its database unless told:
/// `$XDG_DATA_HOME/zonemaster-rs/backend.sqlite`, else under
/// `~/.local/share`.
pub fn default_db_path() -> Result<PathBuf, ServeError> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|value| !value.is_empty())
                .map(|home| Path::new(&home).join(".local/share"))
        })
        .ok_or(ServeError::NoDataDirectory)?;
    Ok(data.join("zonemaster-rs").join("backend.sqlite"))
}

/// `path` made absolute against the working directory, so the daemons'
/// view does not depend on where they run.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl LocalBackend {
    /// The configuration the local backend runs with.
    pub fn config(&self) -> BackendConfig {
        let mut config = BackendConfig::default();
        config.db.engine = DbEngine::Sqlite;
        config.sqlite.database_file = Some(absolute(&self.db));
        config.zonemaster.root_hints = self.hints.as_deref().map(absolute);
        config.rpcapi.enable_add_api_user = true;
        // A laptop's own zones may well be private; a server reachable by
        // others keeps the public default (docs/abuse-limits.md).
        config.zonemaster.allow_private_addresses = self
            .listen
            .parse::<SocketAddr>()
            .is_ok_and(|address| address.ip().is_loopback());
        config.language.locales = Language::ALL
            .iter()
            .filter(|language| has_catalog_file(**language))
            .map(|language| (language.code().to_owned(), language.locale().to_owned()))
            .collect();
        config
    }

    /// Opens the store, binds, calls `ready` with the bound addresses, then
    /// serves the API and runs the agent until `shutdown` completes; both
    /// finish what they are doing (the agent within its grace period).
    pub async fn run(
        &self,
        ready: impl FnOnce(Listening),
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        if let Some(path) = &self.hints {
            std::fs::metadata(path).map_err(|source| ServeError::Hints {
                path: path.clone(),
                source,
            })?;
        }
        let config = self.config();
        let db = absolute(&self.db);
        if let Some(directory) = db.parent() {
            std::fs::create_dir_all(directory).map_err(|source| ServeError::CreateDirectory {
                path: directory.to_path_buf(),
                source,
            })?;
        }
        let store_error = |source| ServeError::Store {
            path: db.clone(),
            source,
        };
        let store = store::open(&config.store_settings())
            .await
            .map_err(store_error)?;
        store.migrate().await.map_err(store_error)?;
        let profiles = ProfileSet::load(&config.profiles).map_err(ServeError::Profiles)?;
        let runner = EngineRunner::from_config(&config, profiles.clone())?;
        let mut options = AgentOptions::new(&config, Arc::new(runner));
        let mut api = Api::new(store.clone(), config, profiles)?;
        // One listener and one set of counters for both parts.
        let endpoint = match &self.metrics_listen {
            Some(listen) => {
                let shared = Telemetry::enabled();
                options.telemetry = shared.clone();
                api = api.with_telemetry(shared.clone());
                Some(telemetry::bind(listen, shared, store.clone()).await?)
            }
            None => None,
        };
        let api = Arc::new(api);
        let listener =
            TcpListener::bind(&self.listen)
                .await
                .map_err(|source| ServeError::Listen {
                    listen: self.listen.clone(),
                    source,
                })?;
        let address = listener.local_addr().map_err(|source| ServeError::Listen {
            listen: self.listen.clone(),
            source,
        })?;
        ready(Listening {
            api: address,
            metrics: endpoint.as_ref().map(|endpoint| endpoint.address),
        });
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        let until_stopped = |mut stopped: watch::Receiver<bool>| async move {
            // An error means the sender is gone, which only happens after
            // it sent: either way, stop.
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        let http = serve(listener, api, until_stopped(stopped.clone()));
        let agent = crate::agent::run(options, store, until_stopped(stopped));
        let (http, agent) = tokio::join!(http, agent);
        drop(endpoint);
        http.map_err(ServeError::Http)?;
        agent?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_is_sqlite_with_user_creation_and_our_languages() {
        let backend = LocalBackend {
            db: PathBuf::from("relative/zm.sqlite"),
            listen: DEFAULT_LISTEN.to_owned(),
            hints: Some(PathBuf::from("hints.zone")),
            metrics_listen: None,
        };
        let config = backend.config();
        assert_eq!(config.db.engine, DbEngine::Sqlite);
        let file = config.sqlite.database_file.unwrap();
        assert!(file.is_absolute() && file.ends_with("relative/zm.sqlite"));
        assert!(config.zonemaster.root_hints.unwrap().is_absolute());
        assert!(config.rpcapi.enable_add_api_user);
        assert_eq!(config.language.locales.get("en").unwrap(), "en_US");
    }
}
