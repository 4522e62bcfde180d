//! The typed backend configuration and its entry points.
//!
//! Every section of spec 7.2 is a struct whose `Default` holds the spec's
//! defaults, so a key left out of the file simply keeps its default. Keys
//! the spec marks "required if <engine>" are `Option`s: `None` is allowed
//! only when another engine is selected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;

use super::error::ConfigError;
use super::ini::parse_ini;
use super::sections::SectionReader;
use crate::store::{ServerSettings, StoreSettings};

/// The whole of `backend_config.ini`, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackendConfig {
    pub db: DbConfig,
    pub mysql: MysqlConfig,
    pub postgresql: PostgresqlConfig,
    pub sqlite: SqliteConfig,
    pub zonemaster: ZonemasterConfig,
    pub rpcapi: RpcapiConfig,
    pub language: LanguageConfig,
    pub metrics: MetricsConfig,
    pub profiles: ProfilesConfig,
}

/// The database engine behind the job queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DbEngine {
    /// The default only for `BackendConfig::default()`; a file must say.
    #[default]
    Sqlite,
    Postgresql,
    Mysql,
}

impl DbEngine {
    /// Parses `DB.engine`, which the reference accepts in any case.
    pub(crate) fn from_config(value: &str) -> Result<Self, &'static str> {
        match value.to_ascii_lowercase().as_str() {
            "sqlite" => Ok(Self::Sqlite),
            "postgresql" => Ok(Self::Postgresql),
            "mysql" => Ok(Self::Mysql),
            _ => Err("SQLite, PostgreSQL or MySQL"),
        }
    }

    /// The spelling used in the spec's messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgresql => "PostgreSQL",
            Self::Mysql => "MySQL",
        }
    }
}

/// `[DB]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbConfig {
    pub engine: DbEngine,
    /// How often an idle agent looks for a new test.
    pub polling_interval: Duration,
}

impl Default for DbConfig {
    fn default() -> Self {
        Self {
            engine: DbEngine::default(),
            polling_interval: Duration::from_millis(500),
        }
    }
}

/// `[MYSQL]`; fields are `Some` whenever the engine is MySQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlConfig {
    pub host: Option<String>,
    /// Ignored by the client when `host` is `localhost` (it uses a socket).
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
    pub database: Option<String>,
}

impl Default for MysqlConfig {
    fn default() -> Self {
        Self {
            host: None,
            port: 3306,
            user: None,
            password: None,
            database: None,
        }
    }
}

/// `[POSTGRESQL]`; fields are `Some` whenever the engine is PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresqlConfig {
    pub host: Option<String>,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
    pub database: Option<String>,
}

impl Default for PostgresqlConfig {
    fn default() -> Self {
        Self {
            host: None,
            port: 5432,
            user: None,
            password: None,
            database: None,
        }
    }
}

/// `[SQLITE]`; `database_file` is `Some` whenever the engine is SQLite.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SqliteConfig {
    /// Always absolute, so the daemons do not depend on their cwd.
    pub database_file: Option<PathBuf>,
}

/// The default of `ZONEMASTER.max_queries_per_second_per_server`: its
/// burst (a quarter, 500) is above all one full test sends to any one
/// server (33 at most in the conformance world), so a lone test is not
/// held back; an agent running tests as fast as two cores allow (each
/// sends ~23 queries to the same root server address: 2000 / 23 is more
/// than 80 tests/s) is not held back either; and many tests naming one
/// victim reach it at no more than this together (`docs/abuse-limits.md`).
pub const DEFAULT_QUERIES_PER_SECOND_PER_SERVER: u32 = 2000;

/// `[ZONEMASTER]`: limits for the test agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZonemasterConfig {
    /// Seconds before a running test is given up.
    pub max_zonemaster_execution_time: u32,
    /// Only the sum of the two process counts matters (spec 5.7).
    pub number_of_processes_for_frontend_testing: u32,
    pub number_of_processes_for_batch_testing: u32,
    /// The one queue an agent serves; 0 means all (spec 5.3).
    pub lock_on_queue: u32,
    /// Seconds during which an equal earlier test is reused.
    pub age_reuse_previous_test: u32,
    /// Our addition: a root hints file. Checked readable here only; it is
    /// parsed where it is used.
    pub root_hints: Option<PathBuf>,
    /// `allow_private_addresses` (our addition): whether tests may send
    /// queries to special-purpose addresses (private, loopback, link-local,
    /// documentation, …; `docs/abuse-limits.md`). True when the file
    /// does not say, as the reference behaves (a drop-in replacement must
    /// test what it tested); the shipped configuration for a service says
    /// false, so a public service cannot be made to probe its own network.
    pub allow_private_addresses: bool,
    /// `max_queries_per_second_per_server` (our addition): queries one
    /// process sends to one address per second, all tests together; 0
    /// means no limit.
    pub max_queries_per_second_per_server: u32,
}

impl Default for ZonemasterConfig {
    fn default() -> Self {
        Self {
            max_zonemaster_execution_time: 600,
            number_of_processes_for_frontend_testing: 20,
            number_of_processes_for_batch_testing: 20,
            lock_on_queue: 0,
            age_reuse_previous_test: 600,
            root_hints: None,
            allow_private_addresses: true,
            max_queries_per_second_per_server: DEFAULT_QUERIES_PER_SECOND_PER_SERVER,
        }
    }
}

/// `[RPCAPI]`: which optional methods the API offers, and whose
/// forwarding headers it believes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcapiConfig {
    /// Also set by the deprecated `enable_user_create`.
    pub enable_add_api_user: bool,
    /// Also set by the deprecated `enable_batch_create`.
    pub enable_add_batch_job: bool,
    /// `trusted_proxies` (our addition): the peers whose `X-Forwarded-For`
    /// names the client. Empty by default, so a client cannot pass for
    /// loopback by sending the header itself.
    pub trusted_proxies: Vec<IpNet>,
    /// `allow_add_api_user_from` (our addition): the callers' networks
    /// `add_api_user` accepts. Loopback by default (spec §4.12).
    pub allow_add_api_user_from: Vec<IpNet>,
    /// `rate_limit_tests_per_minute` (our addition): tests one client may
    /// start per minute (a batch counts its domains); 0, the default,
    /// means no limit.
    pub rate_limit_tests_per_minute: u32,
    /// `rate_limit_burst` (our addition): tests a client may start at once
    /// after being idle; 0 means the same as the per-minute rate.
    pub rate_limit_burst: u32,
    /// `max_batch_domains` (our addition): domains in one batch at most.
    pub max_batch_domains: u32,
    /// `max_nameservers` (our addition): `nameservers` items at most.
    pub max_nameservers: u32,
    /// `max_ds_info` (our addition): `ds_info` items at most.
    pub max_ds_info: u32,
}

impl RpcapiConfig {
    /// The burst in force: `rate_limit_burst`, or the per-minute rate
    /// when that is 0.
    pub fn effective_burst(&self) -> u32 {
        if self.rate_limit_burst == 0 {
            self.rate_limit_tests_per_minute
        } else {
            self.rate_limit_burst
        }
    }
}

impl Default for RpcapiConfig {
    fn default() -> Self {
        Self {
            enable_add_api_user: false,
            enable_add_batch_job: true,
            trusted_proxies: Vec::new(),
            allow_add_api_user_from: loopback_networks(),
            rate_limit_tests_per_minute: 0,
            rate_limit_burst: 0,
            max_batch_domains: 10_000,
            max_nameservers: 32,
            max_ds_info: 32,
        }
    }
}

/// `127.0.0.1/32` and `::1/128`: the addresses the reference lets call
/// `add_api_user` (an IPv4-mapped caller is compared in its IPv4 form).
fn loopback_networks() -> Vec<IpNet> {
    vec![
        IpNet::from(std::net::IpAddr::from(std::net::Ipv4Addr::LOCALHOST)),
        IpNet::from(std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST)),
    ]
}

/// `[LANGUAGE]`: the request languages on offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageConfig {
    /// Language code → locale tag (`sv` → `sv_SE`).
    pub locales: BTreeMap<String, String>,
}

impl Default for LanguageConfig {
    fn default() -> Self {
        Self {
            locales: BTreeMap::from([("en".to_owned(), "en_US".to_owned())]),
        }
    }
}

/// `[METRICS]`: StatsD output, off unless a host is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsConfig {
    pub statsd_host: Option<String>,
    pub statsd_port: u16,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            statsd_host: None,
            statsd_port: 8125,
        }
    }
}

/// Where a profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    /// The engine's built-in default profile.
    BuiltIn,
    /// A JSON file, always an absolute path.
    File(PathBuf),
}

/// `[PUBLIC PROFILES]` and `[PRIVATE PROFILES]`, names lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfilesConfig {
    /// Always holds `default`.
    pub public: BTreeMap<String, ProfileSource>,
    pub private: BTreeMap<String, ProfileSource>,
}

impl Default for ProfilesConfig {
    fn default() -> Self {
        Self {
            public: BTreeMap::from([("default".to_owned(), ProfileSource::BuiltIn)]),
            private: BTreeMap::new(),
        }
    }
}

impl BackendConfig {
    /// Reads and checks the file at `path`.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Checks `text`; `file` is only used to name it in messages.
    pub fn parse(text: &str, file: &str) -> Result<Self, ConfigError> {
        let sections = parse_ini(text, file)?;
        let mut config = Self::default();
        SectionReader { file }.read_all(&sections, &mut config)?;
        let has_engine = sections
            .iter()
            .any(|s| s.name == "DB" && s.entries.iter().any(|e| e.key == "engine"));
        if !has_engine {
            return Err(missing(file, "DB", "engine", None));
        }
        config.check_engine_keys(file)?;
        config.warn_about_ignored_port();
        Ok(config)
    }

    /// The store's part of the configuration: the chosen engine's section.
    pub fn store_settings(&self) -> StoreSettings {
        match self.db.engine {
            DbEngine::Sqlite => StoreSettings::Sqlite {
                file: self.sqlite.database_file.clone(),
            },
            DbEngine::Postgresql => {
                let section = &self.postgresql;
                StoreSettings::Postgresql(ServerSettings {
                    host: section.host.clone(),
                    port: section.port,
                    user: section.user.clone(),
                    password: section.password.clone(),
                    database: section.database.clone(),
                })
            }
            DbEngine::Mysql => {
                let section = &self.mysql;
                StoreSettings::Mysql(ServerSettings {
                    host: section.host.clone(),
                    port: section.port,
                    user: section.user.clone(),
                    password: section.password.clone(),
                    database: section.database.clone(),
                })
            }
        }
    }

    /// Refuses a config whose chosen engine lacks a required key.
    fn check_engine_keys(&self, file: &str) -> Result<(), ConfigError> {
        let engine = Some(self.db.engine.name());
        let required: &[(&'static str, &'static str, bool)] = match self.db.engine {
            DbEngine::Sqlite => &[(
                "SQLITE",
                "database_file",
                self.sqlite.database_file.is_some(),
            )],
            DbEngine::Mysql => &[
                ("MYSQL", "host", self.mysql.host.is_some()),
                ("MYSQL", "user", self.mysql.user.is_some()),
                ("MYSQL", "password", self.mysql.password.is_some()),
                ("MYSQL", "database", self.mysql.database.is_some()),
            ],
            DbEngine::Postgresql => &[
                ("POSTGRESQL", "host", self.postgresql.host.is_some()),
                ("POSTGRESQL", "user", self.postgresql.user.is_some()),
                ("POSTGRESQL", "password", self.postgresql.password.is_some()),
                ("POSTGRESQL", "database", self.postgresql.database.is_some()),
            ],
        };
        match required.iter().find(|(_, _, is_set)| !is_set) {
            Some(&(section, key, _)) => Err(missing(file, section, key, engine)),
            None => Ok(()),
        }
    }

    /// The MySQL client uses a socket for `localhost`; say the port is moot.
    fn warn_about_ignored_port(&self) {
        let is_mysql = self.db.engine == DbEngine::Mysql;
        let is_local = self.mysql.host.as_deref() == Some("localhost");
        if is_mysql && is_local && self.mysql.port != MysqlConfig::default().port {
            tracing::warn!(
                port = self.mysql.port,
                "MYSQL.port is ignored when MYSQL.host is localhost"
            );
        }
    }
}

fn missing(
    file: &str,
    section: &'static str,
    key: &'static str,
    engine: Option<&'static str>,
) -> ConfigError {
    ConfigError::MissingRequired {
        file: file.to_owned(),
        section,
        key,
        engine,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BackendConfig, ConfigError> {
        BackendConfig::parse(text, "t.ini")
    }

    #[test]
    fn minimal_sqlite_keeps_every_default() {
        let config = parse("[DB]\nengine = sqlite\n[SQLITE]\ndatabase_file = /tmp/z.db\n").unwrap();
        let expected = BackendConfig {
            sqlite: SqliteConfig {
                database_file: Some("/tmp/z.db".into()),
            },
            ..BackendConfig::default()
        };
        assert_eq!(config, expected);
        assert_eq!(config.db.polling_interval, Duration::from_millis(500));
        assert!(config.rpcapi.enable_add_batch_job);
        assert!(!config.rpcapi.enable_add_api_user);
    }

    #[test]
    fn engine_is_required() {
        let err = parse("[DB]\npolling_interval = 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.ini: config: missing required property DB.engine"
        );
    }

    #[test]
    fn engine_keys_required_only_for_the_chosen_engine() {
        let err = parse("[DB]\nengine = MySQL\n[MYSQL]\nhost = db\n").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("MYSQL.user (required when DB.engine = MySQL)")
        );
        // A complete MySQL section does not satisfy PostgreSQL.
        let text = "[DB]\nengine = PostgreSQL\n[MYSQL]\nhost=a\nuser=u\npassword=\ndatabase=d\n";
        assert!(matches!(
            parse(text),
            Err(ConfigError::MissingRequired {
                section: "POSTGRESQL",
                key: "host",
                ..
            })
        ));
    }

    #[test]
    fn other_engines_sections_are_still_validated() {
        let text = "[DB]\nengine = SQLite\n[SQLITE]\ndatabase_file=/a\n[MYSQL]\nport = 0\n";
        assert!(matches!(
            parse(text),
            Err(ConfigError::InvalidValue { line: 6, .. })
        ));
    }

    #[test]
    fn alias_sets_the_flag_and_conflicts_with_the_key() {
        let base = "[DB]\nengine=SQLite\n[SQLITE]\ndatabase_file=/a\n[RPCAPI]\n";
        let config = parse(&format!("{base}enable_user_create = yes\n")).unwrap();
        assert!(config.rpcapi.enable_add_api_user);
        let err = parse(&format!(
            "{base}enable_batch_create=false\nenable_add_batch_job=true\n"
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.ini:7: Error: cannot specify both RPCAPI.enable_add_batch_job \
             and RPCAPI.enable_batch_create"
        );
    }

    #[test]
    fn profiles_are_lower_cased_and_default_can_be_remapped() {
        let text = "[DB]\nengine=SQLite\n[SQLITE]\ndatabase_file=/a\n\
                    [PUBLIC PROFILES]\nDefault = /p/d.json\nFast = /p/f.json\n\
                    [PRIVATE PROFILES]\nsecret = /p/s.json\n";
        let profiles = parse(text).unwrap().profiles;
        assert_eq!(
            profiles.public["default"],
            ProfileSource::File("/p/d.json".into())
        );
        assert!(profiles.public.contains_key("fast"));
        assert!(profiles.private.contains_key("secret"));
        let clash = "[DB]\nengine=SQLite\n[SQLITE]\ndatabase_file=/a\n\
                     [PUBLIC PROFILES]\nfast=/a\n[PRIVATE PROFILES]\nFAST=/b\n";
        assert!(matches!(
            parse(clash),
            Err(ConfigError::ProfileNotUnique { line: 8, .. })
        ));
    }

    #[test]
    fn locales_map_language_to_tag() {
        let text = "[DB]\nengine=SQLite\n[SQLITE]\ndatabase_file=/a\n\
                    [LANGUAGE]\nlocale = sv_SE  fr_FR\n";
        let locales = parse(text).unwrap().language.locales;
        assert_eq!(locales.get("sv").map(String::as_str), Some("sv_SE"));
        assert_eq!(locales.len(), 2);
    }

    #[test]
    fn store_settings_are_the_chosen_engine_section() {
        let text = "[DB]\nengine = MySQL\n[MYSQL]\nhost = db\nuser = zm\npassword = pw\n\
                    database = zonemaster\n[POSTGRESQL]\nhost = other\n";
        let settings = parse(text).unwrap().store_settings();
        assert_eq!(
            settings,
            StoreSettings::Mysql(ServerSettings {
                host: Some("db".to_owned()),
                port: 3306,
                user: Some("zm".to_owned()),
                password: Some("pw".to_owned()),
                database: Some("zonemaster".to_owned()),
            })
        );
    }
}
