//! Turning each INI section into its typed struct, key by key.
//!
//! One function per section of spec 7.2. Each walks the section's entries,
//! so an unknown key is reported at its own line; values are checked by
//! `values`. Requirements that span sections (which engine needs which
//! keys) are checked afterwards in `backend`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::backend::{BackendConfig, DbEngine, ProfileSource};
use super::error::ConfigError;
use super::ini::{Entry, Section};
use super::values;

/// Fills `config` from the parsed sections of one file.
pub(crate) struct SectionReader<'a> {
    /// The file name as shown in messages.
    pub file: &'a str,
}

impl SectionReader<'_> {
    /// Dispatches every section to its reader; unknown names are errors.
    pub fn read_all(
        &self,
        sections: &[Section],
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        for section in sections {
            match section.name.as_str() {
                "DB" => self.read_db(section, config)?,
                "MYSQL" => self.read_mysql(section, config)?,
                "POSTGRESQL" => self.read_postgresql(section, config)?,
                "SQLITE" => self.read_sqlite(section, config)?,
                "ZONEMASTER" => self.read_zonemaster(section, config)?,
                "RPCAPI" => self.read_rpcapi(section, config)?,
                "LANGUAGE" => self.read_language(section, config)?,
                "METRICS" => self.read_metrics(section, config)?,
                "PUBLIC PROFILES" | "PRIVATE PROFILES" => self.read_profiles(section, config)?,
                _ => {
                    return Err(ConfigError::UnknownSection {
                        file: self.file.to_owned(),
                        line: section.line,
                        section: section.name.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    fn read_db(&self, section: &Section, config: &mut BackendConfig) -> Result<(), ConfigError> {
        for entry in &section.entries {
            match entry.key.as_str() {
                "engine" => {
                    let engine = DbEngine::from_config(&entry.value);
                    config.db.engine = self.check(section, entry, engine)?;
                }
                "polling_interval" => {
                    let interval = values::polling_interval(&entry.value);
                    config.db.polling_interval = self.check(section, entry, interval)?;
                }
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    fn read_mysql(&self, section: &Section, config: &mut BackendConfig) -> Result<(), ConfigError> {
        let mysql = &mut config.mysql;
        for entry in &section.entries {
            let value = entry.value.as_str();
            match entry.key.as_str() {
                "host" => mysql.host = Some(self.check(section, entry, values::db_host(value))?),
                "port" => mysql.port = self.check(section, entry, values::port(value))?,
                "user" => {
                    let user = values::mysql_identifier(value, 80);
                    mysql.user = Some(self.check(section, entry, user)?);
                }
                "password" => {
                    mysql.password = Some(self.check(section, entry, values::password(value))?);
                }
                "database" => {
                    let database = values::mysql_identifier(value, 64);
                    mysql.database = Some(self.check(section, entry, database)?);
                }
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    fn read_postgresql(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        let postgresql = &mut config.postgresql;
        for entry in &section.entries {
            let value = entry.value.as_str();
            match entry.key.as_str() {
                "host" => {
                    postgresql.host = Some(self.check(section, entry, values::db_host(value))?);
                }
                "port" => postgresql.port = self.check(section, entry, values::port(value))?,
                "user" => {
                    let user = values::postgresql_identifier(value);
                    postgresql.user = Some(self.check(section, entry, user)?);
                }
                "password" => {
                    let password = values::password(value);
                    postgresql.password = Some(self.check(section, entry, password)?);
                }
                "database" => {
                    let database = values::postgresql_identifier(value);
                    postgresql.database = Some(self.check(section, entry, database)?);
                }
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    fn read_sqlite(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        for entry in &section.entries {
            match entry.key.as_str() {
                "database_file" => {
                    let path = values::absolute_path(&entry.value);
                    config.sqlite.database_file = Some(self.check(section, entry, path)?);
                }
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    fn read_zonemaster(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        let zonemaster = &mut config.zonemaster;
        for entry in &section.entries {
            let integer =
                |min| self.check(section, entry, values::integer(&entry.value, min, 99999));
            match entry.key.as_str() {
                "max_zonemaster_execution_time" => {
                    zonemaster.max_zonemaster_execution_time = integer(1)?;
                }
                "number_of_processes_for_frontend_testing" => {
                    zonemaster.number_of_processes_for_frontend_testing = integer(1)?;
                }
                "number_of_processes_for_batch_testing" => {
                    zonemaster.number_of_processes_for_batch_testing = integer(0)?;
                }
                "lock_on_queue" => zonemaster.lock_on_queue = integer(0)?,
                "age_reuse_previous_test" => zonemaster.age_reuse_previous_test = integer(1)?,
                "root_hints" => zonemaster.root_hints = Some(self.root_hints(entry)?),
                "allow_private_addresses" => {
                    zonemaster.allow_private_addresses = self.flag(section, entry)?;
                }
                "max_queries_per_second_per_server" => {
                    let rate = values::integer(&entry.value, 0, 1_000_000);
                    zonemaster.max_queries_per_second_per_server =
                        self.check(section, entry, rate)?;
                }
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    /// Checks the hints file can be opened; parsing it is not our job.
    fn root_hints(&self, entry: &Entry) -> Result<PathBuf, ConfigError> {
        let path = PathBuf::from(&entry.value);
        match std::fs::File::open(&path) {
            Ok(_) if path.is_file() => Ok(path),
            Ok(_) => Err(self.unreadable_hints(entry, std::io::Error::other("not a regular file"))),
            Err(source) => Err(self.unreadable_hints(entry, source)),
        }
    }

    fn unreadable_hints(&self, entry: &Entry, source: std::io::Error) -> ConfigError {
        ConfigError::RootHintsUnreadable {
            file: self.file.to_owned(),
            line: entry.line,
            value: entry.value.clone(),
            source,
        }
    }

    /// Reads RPCAPI, where each flag also has a deprecated alias.
    fn read_rpcapi(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        let mut add_api_user = AliasPair::new("enable_add_api_user", "enable_user_create");
        let mut add_batch_job = AliasPair::new("enable_add_batch_job", "enable_batch_create");
        for entry in &section.entries {
            let pair = match entry.key.as_str() {
                "enable_add_api_user" | "enable_user_create" => &mut add_api_user,
                "enable_add_batch_job" | "enable_batch_create" => &mut add_batch_job,
                "trusted_proxies" => {
                    let networks = values::networks(&entry.value);
                    config.rpcapi.trusted_proxies = self.check(section, entry, networks)?;
                    continue;
                }
                _ => {
                    self.read_rpcapi_limit(section, entry, config)?;
                    continue;
                }
            };
            let (flag, is_deprecated) =
                self.check(section, entry, values::boolean(&entry.value))?;
            warn_if_deprecated(self.file, entry, is_deprecated);
            pair.set(entry, flag, self.file)?;
        }
        if let Some(flag) = add_api_user.value {
            config.rpcapi.enable_add_api_user = flag;
        }
        if let Some(flag) = add_batch_job.value {
            config.rpcapi.enable_add_batch_job = flag;
        }
        Ok(())
    }

    /// Reads one of our `[RPCAPI]` additions that guard a public service
    /// (`docs/abuse-limits.md`); anything else is an unknown key.
    fn read_rpcapi_limit(
        &self,
        section: &Section,
        entry: &Entry,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        let rpcapi = &mut config.rpcapi;
        let integer =
            |min, max| self.check(section, entry, values::integer(&entry.value, min, max));
        match entry.key.as_str() {
            "allow_add_api_user_from" => {
                let networks = values::networks(&entry.value);
                rpcapi.allow_add_api_user_from = self.check(section, entry, networks)?;
            }
            "rate_limit_tests_per_minute" => {
                rpcapi.rate_limit_tests_per_minute = integer(0, 1_000_000)?;
            }
            "rate_limit_burst" => rpcapi.rate_limit_burst = integer(0, 1_000_000)?,
            "max_batch_domains" => rpcapi.max_batch_domains = integer(1, 1_000_000)?,
            "max_nameservers" => rpcapi.max_nameservers = integer(1, 1000)?,
            "max_ds_info" => rpcapi.max_ds_info = integer(1, 1000)?,
            _ => return Err(self.unknown_key(section, entry)),
        }
        Ok(())
    }

    /// A `true`/`false` value of one of our own keys (no deprecated
    /// spellings to warn about: they never existed for these).
    fn flag(&self, section: &Section, entry: &Entry) -> Result<bool, ConfigError> {
        let (flag, _) = self.check(section, entry, values::boolean(&entry.value))?;
        Ok(flag)
    }

    fn read_language(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        for entry in &section.entries {
            match entry.key.as_str() {
                "locale" => config.language.locales = self.locales(entry)?,
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    /// Maps language code → locale tag, refusing bad tags and repeats.
    fn locales(&self, entry: &Entry) -> Result<BTreeMap<String, String>, ConfigError> {
        let mut locales = BTreeMap::new();
        for tag in entry.value.split_whitespace() {
            let Some(code) = values::locale_tag(tag) else {
                return Err(ConfigError::IllegalLocale {
                    file: self.file.to_owned(),
                    line: entry.line,
                    tag: tag.to_owned(),
                });
            };
            if locales.insert(code.clone(), tag.to_owned()).is_some() {
                return Err(ConfigError::RepeatedLanguage {
                    file: self.file.to_owned(),
                    line: entry.line,
                    code,
                });
            }
        }
        if locales.is_empty() {
            return Err(ConfigError::IllegalLocale {
                file: self.file.to_owned(),
                line: entry.line,
                tag: String::new(),
            });
        }
        Ok(locales)
    }

    fn read_metrics(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        for entry in &section.entries {
            let value = entry.value.as_str();
            match entry.key.as_str() {
                "statsd_host" => {
                    config.metrics.statsd_host =
                        Some(self.check(section, entry, values::host(value))?);
                }
                "statsd_port" => {
                    config.metrics.statsd_port = self.check(section, entry, values::port(value))?;
                }
                _ => return Err(self.unknown_key(section, entry)),
            }
        }
        Ok(())
    }

    /// Reads either profile section; names are unique across both.
    fn read_profiles(
        &self,
        section: &Section,
        config: &mut BackendConfig,
    ) -> Result<(), ConfigError> {
        let is_public = section.name == "PUBLIC PROFILES";
        for entry in &section.entries {
            let name = self.profile_name(section, entry)?;
            if !is_public && name == "default" {
                return Err(ConfigError::DefaultProfileInPrivate {
                    file: self.file.to_owned(),
                    line: entry.line,
                });
            }
            let Ok(path) = values::absolute_path(&entry.value) else {
                return Err(ConfigError::ProfilePathNotAbsolute {
                    file: self.file.to_owned(),
                    line: entry.line,
                    section: section.name.clone(),
                    name,
                    value: entry.value.clone(),
                });
            };
            let profiles = &mut config.profiles;
            // `default` is built in, so only a second explicit one is a repeat.
            let is_taken = profiles.private.contains_key(&name)
                || profiles
                    .public
                    .get(&name)
                    .is_some_and(|source| *source != ProfileSource::BuiltIn);
            if is_taken {
                return Err(ConfigError::ProfileNotUnique {
                    file: self.file.to_owned(),
                    line: entry.line,
                    section: section.name.clone(),
                    name,
                });
            }
            let target = if is_public {
                &mut profiles.public
            } else {
                &mut profiles.private
            };
            target.insert(name, ProfileSource::File(path));
        }
        Ok(())
    }

    fn profile_name(&self, section: &Section, entry: &Entry) -> Result<String, ConfigError> {
        values::profile_name(&entry.key).ok_or_else(|| ConfigError::InvalidProfileName {
            file: self.file.to_owned(),
            line: entry.line,
            section: section.name.clone(),
            name: entry.key.clone(),
        })
    }

    /// Wraps a checker's verdict into an error naming where it came from.
    fn check<T>(
        &self,
        section: &Section,
        entry: &Entry,
        verdict: Result<T, impl Into<String>>,
    ) -> Result<T, ConfigError> {
        verdict.map_err(|expected| ConfigError::InvalidValue {
            file: self.file.to_owned(),
            line: entry.line,
            section: section.name.clone(),
            key: entry.key.clone(),
            value: entry.value.clone(),
            expected: expected.into().into_boxed_str(),
        })
    }

    fn unknown_key(&self, section: &Section, entry: &Entry) -> ConfigError {
        ConfigError::UnknownKey {
            file: self.file.to_owned(),
            line: entry.line,
            section: section.name.clone(),
            key: entry.key.clone(),
        }
    }
}

/// A key and its deprecated alias: either may be set, not both.
struct AliasPair {
    key: &'static str,
    alias: &'static str,
    value: Option<bool>,
}

impl AliasPair {
    fn new(key: &'static str, alias: &'static str) -> Self {
        Self {
            key,
            alias,
            value: None,
        }
    }

    fn set(&mut self, entry: &Entry, flag: bool, file: &str) -> Result<(), ConfigError> {
        if self.value.is_some() {
            return Err(ConfigError::AliasConflict {
                file: file.to_owned(),
                line: entry.line,
                section: "RPCAPI",
                key: self.key,
                alias: self.alias,
            });
        }
        if entry.key == self.alias {
            tracing::warn!(
                file,
                line = entry.line,
                key = self.alias,
                "deprecated config key used"
            );
        }
        self.value = Some(flag);
        Ok(())
    }
}

/// `yes`/`no` still work but are deprecated upstream (spec 7.2).
fn warn_if_deprecated(file: &str, entry: &Entry, is_deprecated: bool) {
    if is_deprecated {
        tracing::warn!(
            file,
            line = entry.line,
            key = %entry.key,
            value = %entry.value,
            "deprecated boolean spelling, use true or false"
        );
    }
}
