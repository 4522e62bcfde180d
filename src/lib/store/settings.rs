//! What opening a store needs to know: the engine and where to log in.
//!
//! Its own type rather than the backend configuration, so that the store
//! does not compile against the rest of the configuration (profiles, the
//! engine's settings); `BackendConfig::store_settings` builds it.
//! Values stay optional as they are in the file: a missing one is refused
//! on opening with the key it belongs to, for settings built by hand.

use std::path::PathBuf;

/// The database to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSettings {
    /// A SQLite file (`SQLITE.database_file`).
    Sqlite {
        /// The database file, absolute.
        file: Option<PathBuf>,
    },
    /// A PostgreSQL server (`[POSTGRESQL]`).
    Postgresql(ServerSettings),
    /// A MySQL or MariaDB server (`[MYSQL]`).
    Mysql(ServerSettings),
}

/// How to reach and log in to a database server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSettings {
    /// Host name, address, or an absolute socket path (see
    /// [`super::open`] for what a path means per engine).
    pub host: Option<String>,
    /// TCP port; also names the PostgreSQL socket file.
    pub port: u16,
    /// Login.
    pub user: Option<String>,
    /// Secret; never logged or put in an error.
    pub password: Option<String>,
    /// Database name.
    pub database: Option<String>,
}

impl StoreSettings {
    /// The engine as messages spell it (`SQLite`, `PostgreSQL`, `MySQL`).
    pub fn engine_name(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "SQLite",
            Self::Postgresql(_) => "PostgreSQL",
            Self::Mysql(_) => "MySQL",
        }
    }

    /// Where the database is, for messages (never the password): the
    /// file, or `user@host:port/database`.
    pub fn location(&self) -> String {
        match self {
            Self::Sqlite { file } => file
                .as_deref()
                .map(|file| file.display().to_string())
                .unwrap_or_default(),
            Self::Postgresql(server) | Self::Mysql(server) => {
                let text = |value: &Option<String>| value.clone().unwrap_or_default();
                format!(
                    "{}@{}:{}/{}",
                    text(&server.user),
                    text(&server.host),
                    server.port,
                    text(&server.database)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_never_shows_the_password() {
        let settings = StoreSettings::Postgresql(ServerSettings {
            host: Some("db.example".to_owned()),
            port: 5432,
            user: Some("zm".to_owned()),
            password: Some("s3cret".to_owned()),
            database: Some("zonemaster".to_owned()),
        });
        assert_eq!(settings.location(), "zm@db.example:5432/zonemaster");
        assert_eq!(settings.engine_name(), "PostgreSQL");
    }
}
