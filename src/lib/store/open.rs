//! Opening the configured database.
//!
//! `POSTGRESQL.host` and `MYSQL.host` may be an absolute path (our
//! documented extension, for hosts or network namespaces without TCP to
//! the server): for PostgreSQL the directory holding `.s.PGSQL.<port>`, as
//! libpq reads it; for MySQL the socket file itself, or a directory holding
//! `mysqld.sock`. A MySQL host `localhost` means the server's default
//! socket when one exists (as the reference's client library does), TCP to
//! localhost otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolOptions;

use super::settings::{ServerSettings, StoreSettings};
use super::sqlite::SqliteStore;
use super::{Store, StoreError};

/// Where a server is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// TCP to a host name or address.
    Tcp(String),
    /// A Unix socket: PostgreSQL the directory, MySQL the file.
    Socket(PathBuf),
}

/// The connection parameters of a PostgreSQL or MySQL server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerParams {
    /// Host or socket.
    pub endpoint: Endpoint,
    /// TCP port, also names the PostgreSQL socket file.
    pub port: u16,
    /// Login.
    pub user: String,
    /// Secret; never logged or put in an error.
    pub password: String,
    /// Database name.
    pub database: String,
}

/// Connects to the database `settings` name (a pool) without touching its
/// schema, creating a missing SQLite file: for `zmctl db init|migrate` and
/// `--migrate`, which then call [`Store::migrate`]. Everything else opens
/// with [`open_existing`].
pub async fn open(settings: &StoreSettings) -> Result<Arc<dyn Store>, StoreError> {
    connect(settings, true).await
}

/// Connects to a database that must already hold our schema (the daemons
/// without `--migrate`, `zmctl db purge`). Creates nothing: a missing
/// SQLite file or a database without schema is
/// [`StoreError::NotInitialised`], so a wrong path fails at start instead
/// of leaving an empty file that answers every request with an error.
pub async fn open_existing(settings: &StoreSettings) -> Result<Arc<dyn Store>, StoreError> {
    let not_initialised = |problem| StoreError::NotInitialised {
        engine: settings.engine_name(),
        location: settings.location(),
        problem,
    };
    if let StoreSettings::Sqlite { file: Some(file) } = settings
        && !file.exists()
    {
        return Err(not_initialised("does not exist"));
    }
    let store = connect(settings, false).await?;
    match store.schema_version().await? {
        Some(_) => Ok(store),
        None => Err(not_initialised("has no schema")),
    }
}

/// Connects; `create` lets SQLite make a missing file.
async fn connect(settings: &StoreSettings, create: bool) -> Result<Arc<dyn Store>, StoreError> {
    match settings {
        StoreSettings::Sqlite { file } => {
            let file = file
                .as_deref()
                .ok_or_else(|| not_set(settings, "SQLITE.database_file"))?;
            Ok(Arc::new(SqliteStore::open(file, create).await?))
        }
        StoreSettings::Postgresql(server) => {
            let params = server_params(settings, server, "POSTGRESQL", postgres_endpoint)?;
            super::postgres::PostgresStore::open(&params).await
        }
        StoreSettings::Mysql(server) => {
            let params = server_params(settings, server, "MYSQL", mysql_endpoint)?;
            super::mysql::MysqlStore::open(&params).await
        }
    }
}

/// The checked [`ServerParams`] of `server`, whose values are the keys of
/// config section `section`; its host read by `endpoint`.
fn server_params(
    settings: &StoreSettings,
    server: &ServerSettings,
    section: &str,
    endpoint: fn(&str) -> Endpoint,
) -> Result<ServerParams, StoreError> {
    let required = |value: &Option<String>, key: &str| {
        value
            .clone()
            .ok_or_else(|| not_set(settings, &format!("{section}.{key}")))
    };
    Ok(ServerParams {
        endpoint: endpoint(&required(&server.host, "host")?),
        port: server.port,
        user: required(&server.user, "user")?,
        password: server.password.clone().unwrap_or_default(),
        database: required(&server.database, "database")?,
    })
}

/// The error for a setting left unset.
fn not_set(settings: &StoreSettings, key: &str) -> StoreError {
    StoreError::Open {
        engine: settings.engine_name(),
        reason: format!("{key} is not set"),
    }
}

/// Connections per process of a server engine: the API daemon and the
/// agent run many tasks, each holding a connection only for one short
/// transaction.
const MAX_CONNECTIONS: u32 = 16;

/// How long a request waits for a connection. While the server is down
/// or restarting, the pool keeps trying to connect (backing off from 10 ms
/// to a fifth of this) and a request fails after this long with
/// [`Unavailable::Unreachable`](super::Unavailable), so an API client gets
/// its answer in seconds and the agent retries on its own schedule. Each
/// connection is checked before use (sqlx's default), so connections cut
/// by a restart are replaced, never handed out.
pub(crate) const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The pool settings of a server engine.
pub(crate) fn pool_options<DB: sqlx::Database>() -> PoolOptions<DB> {
    PoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire(true)
}

/// Connects once, so that a wrong configuration fails now with the
/// server's reason (a pool would retry until its timeout).
pub(crate) async fn probe<C: sqlx::Connection>(
    options: &C::Options,
    engine: &'static str,
    params: &ServerParams,
) -> Result<(), StoreError> {
    let conn = C::connect_with(options)
        .await
        .map_err(|err| StoreError::Open {
            engine,
            reason: format!("{}: {err}", describe(params)),
        })?;
    let _ = conn.close().await;
    Ok(())
}

/// Connect options of `$options`' type from [`ServerParams`] (the
/// PostgreSQL and MySQL builders have the same setters).
macro_rules! server_options {
    ($options:expr, $params:expr) => {{
        let params: &$crate::store::open::ServerParams = $params;
        let mut options = $options
            .port(params.port)
            .username(&params.user)
            .database(&params.database);
        if !params.password.is_empty() {
            options = options.password(&params.password);
        }
        match &params.endpoint {
            $crate::store::open::Endpoint::Tcp(host) => options.host(host),
            $crate::store::open::Endpoint::Socket(path) => options.socket(path),
        }
    }};
}
pub(crate) use server_options;

/// PostgreSQL: an absolute path is the socket directory.
fn postgres_endpoint(host: &str) -> Endpoint {
    if host.starts_with('/') {
        Endpoint::Socket(PathBuf::from(host))
    } else {
        Endpoint::Tcp(host.to_owned())
    }
}

/// The usual places of the MySQL/MariaDB server socket.
const MYSQL_DEFAULT_SOCKETS: [&str; 3] = [
    "/run/mysqld/mysqld.sock",
    "/var/run/mysqld/mysqld.sock",
    "/tmp/mysql.sock",
];

/// MySQL: an absolute path is the socket file, or a directory holding
/// `mysqld.sock`; `localhost` is the default socket when there is one.
fn mysql_endpoint(host: &str) -> Endpoint {
    if host.starts_with('/') {
        let path = Path::new(host);
        if path.is_dir() {
            return Endpoint::Socket(path.join("mysqld.sock"));
        }
        return Endpoint::Socket(path.to_path_buf());
    }
    if host == "localhost"
        && let Some(socket) = MYSQL_DEFAULT_SOCKETS
            .iter()
            .map(Path::new)
            .find(|path| path.exists())
    {
        return Endpoint::Socket(socket.to_path_buf());
    }
    Endpoint::Tcp(host.to_owned())
}

/// Describes where a server is, for errors (never the password).
pub(crate) fn describe(params: &ServerParams) -> String {
    match &params.endpoint {
        Endpoint::Tcp(host) => format!(
            "{}@{}:{}/{}",
            params.user, host, params.port, params.database
        ),
        Endpoint::Socket(path) => format!(
            "{}@{} (port {})/{}",
            params.user,
            path.display(),
            params.port,
            params.database
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let socket = |path: &str| Endpoint::Socket(path.into());
        let tcp = |host: &str| Endpoint::Tcp(host.into());
        /// How a section's host becomes an endpoint.
        type Reader = fn(&str) -> Endpoint;
        let cases: [(Reader, &str, Endpoint); 4] = [
            (postgres_endpoint, "db.example", tcp("db.example")),
            (
                postgres_endpoint,
                "/var/run/postgresql",
                socket("/var/run/postgresql"),
            ),
            (mysql_endpoint, "127.0.0.1", tcp("127.0.0.1")),
            (
                mysql_endpoint,
                "/nonexistent/x.sock",
                socket("/nonexistent/x.sock"),
            ),
        ];
        for (endpoint, host, expected) in cases {
            assert_eq!(endpoint(host), expected, "{host}");
        }
        let dir = std::env::temp_dir();
        assert_eq!(
            mysql_endpoint(dir.to_str().expect("utf-8 temp dir")),
            Endpoint::Socket(dir.join("mysqld.sock"))
        );
    }
}
