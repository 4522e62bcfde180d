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

use super::sqlite::SqliteStore;
use super::{Store, StoreError};
use crate::config::{BackendConfig, DbEngine};

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

/// Connects to the database `config` names (a pool) without touching its
/// schema; call [`Store::migrate`] to create or upgrade it.
pub async fn open(config: &BackendConfig) -> Result<Arc<dyn Store>, StoreError> {
    let engine = config.db.engine.name();
    let missing = |key: &str| StoreError::Open {
        engine,
        reason: format!("{key} is not set"),
    };
    match config.db.engine {
        DbEngine::Sqlite => {
            let file = config
                .sqlite
                .database_file
                .as_deref()
                .ok_or_else(|| missing("SQLITE.database_file"))?;
            Ok(Arc::new(SqliteStore::open(file).await?))
        }
        DbEngine::Postgresql => {
            let section = &config.postgresql;
            let params = ServerParams {
                endpoint: postgres_endpoint(
                    section
                        .host
                        .as_deref()
                        .ok_or_else(|| missing("POSTGRESQL.host"))?,
                ),
                port: section.port,
                user: section
                    .user
                    .clone()
                    .ok_or_else(|| missing("POSTGRESQL.user"))?,
                password: section.password.clone().unwrap_or_default(),
                database: section
                    .database
                    .clone()
                    .ok_or_else(|| missing("POSTGRESQL.database"))?,
            };
            super::postgres::PostgresStore::open(&params).await
        }
        DbEngine::Mysql => {
            let section = &config.mysql;
            let params = ServerParams {
                endpoint: mysql_endpoint(
                    section
                        .host
                        .as_deref()
                        .ok_or_else(|| missing("MYSQL.host"))?,
                ),
                port: section.port,
                user: section.user.clone().ok_or_else(|| missing("MYSQL.user"))?,
                password: section.password.clone().unwrap_or_default(),
                database: section
                    .database
                    .clone()
                    .ok_or_else(|| missing("MYSQL.database"))?,
            };
            super::mysql::MysqlStore::open(&params).await
        }
    }
}

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
        assert_eq!(
            postgres_endpoint("db.example"),
            Endpoint::Tcp("db.example".into())
        );
        assert_eq!(
            postgres_endpoint("/var/run/postgresql"),
            Endpoint::Socket("/var/run/postgresql".into())
        );
        assert_eq!(
            mysql_endpoint("127.0.0.1"),
            Endpoint::Tcp("127.0.0.1".into())
        );
        assert_eq!(
            mysql_endpoint("/nonexistent/x.sock"),
            Endpoint::Socket("/nonexistent/x.sock".into())
        );
        let dir = std::env::temp_dir();
        assert_eq!(
            mysql_endpoint(dir.to_str().expect("utf-8 temp dir")),
            Endpoint::Socket(dir.join("mysqld.sock"))
        );
    }
}
