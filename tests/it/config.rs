//! `backend_config.ini` fixtures: every valid one loads, every invalid one
//! fails at the line and with the words its first comment line names.
//!
//! An invalid fixture starts with `; expect: LINE TEXT`, where LINE is the
//! 1-based line the error must point at (`-` for faults of absence, which
//! have no line) and TEXT must appear in the message. Paths in fixtures are
//! relative to the crate root, which is where cargo runs tests.

use std::path::{Path, PathBuf};

use zonemaster::config::{BackendConfig, DbEngine, ProfileSource};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/config")
        .join(kind);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ini"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    paths
}

fn load(name: &str) -> BackendConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/config/valid")
        .join(name);
    BackendConfig::from_file(&path).unwrap()
}

#[test]
fn every_valid_fixture_loads() {
    for path in fixtures("valid") {
        if let Err(err) = BackendConfig::from_file(&path) {
            panic!("{} should load: {err}", path.display());
        }
    }
}

#[test]
fn every_invalid_fixture_fails_where_it_says() {
    for path in fixtures("invalid") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expectation = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("; expect: "));
        let Some((line, words)) = expectation.and_then(|e| e.split_once(' ')) else {
            panic!(
                "{} lacks a `; expect: LINE TEXT` first line",
                path.display()
            );
        };
        let err = match BackendConfig::from_file(&path) {
            Ok(_) => panic!("{} should fail", path.display()),
            Err(err) => err.to_string(),
        };
        let file = path.display().to_string();
        let prefix = match line {
            "-" => format!("{file}: "),
            number => format!("{file}:{number}: "),
        };
        assert!(
            err.starts_with(&prefix),
            "{err:?} should start with {prefix:?}"
        );
        assert!(err.contains(words), "{err:?} should contain {words:?}");
    }
}

/// Issue 16, item 4: the abuse limits are keys with checked values.
#[test]
fn abuse_limits_are_read() {
    let config = load("abuse_limits.ini");
    assert!(config.zonemaster.allow_private_addresses);
    assert_eq!(config.zonemaster.max_queries_per_second_per_server, 0);
    let rpcapi = &config.rpcapi;
    let networks: Vec<String> = rpcapi
        .allow_add_api_user_from
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(networks, ["192.0.2.0/24", "2001:db8::/32"]);
    assert_eq!(
        (rpcapi.rate_limit_tests_per_minute, rpcapi.rate_limit_burst),
        (10, 20)
    );
    assert_eq!(
        (
            rpcapi.max_batch_domains,
            rpcapi.max_nameservers,
            rpcapi.max_ds_info
        ),
        (500, 8, 4)
    );
    let defaults = BackendConfig::default();
    // Unset, as the reference: allowed (the shipped file refuses them).
    assert!(defaults.zonemaster.allow_private_addresses);
    assert_eq!(defaults.zonemaster.max_queries_per_second_per_server, 2000);
    assert_eq!(defaults.rpcapi.rate_limit_tests_per_minute, 0);
    assert_eq!(defaults.rpcapi.effective_burst(), 0);
    assert_eq!(defaults.rpcapi.allow_add_api_user_from.len(), 2);
}

#[test]
fn full_fixture_sets_every_section() {
    let config = load("full_sqlite.ini");
    assert_eq!(config.db.engine, DbEngine::Sqlite);
    assert_eq!(config.db.polling_interval.as_millis(), 250);
    assert_eq!(config.zonemaster.max_zonemaster_execution_time, 300);
    assert_eq!(config.zonemaster.number_of_processes_for_batch_testing, 0);
    assert!(config.zonemaster.root_hints.is_some());
    assert_eq!(config.language.locales.len(), 8);
    assert_eq!(config.metrics.statsd_host.as_deref(), Some("127.0.0.1"));
    assert_eq!(config.mysql.host.as_deref(), Some("localhost"));
    assert_eq!(
        config.profiles.public["default"],
        ProfileSource::File("/etc/zonemaster/profile-default.json".into())
    );
    assert!(config.profiles.private.contains_key("internal"));
    let proxies = &config.rpcapi.trusted_proxies;
    let proxies: Vec<String> = proxies.iter().map(ToString::to_string).collect();
    assert_eq!(proxies, ["127.0.0.1/32", "::1/128", "10.0.0.0/8"]);
}

#[test]
fn engine_fixtures_fill_their_section() {
    let postgresql = load("postgresql.ini");
    assert_eq!(postgresql.db.engine, DbEngine::Postgresql);
    assert_eq!(postgresql.postgresql.port, 6432);
    assert_eq!(
        postgresql.postgresql.password.as_deref(),
        Some("p4ss w0rd!")
    );
    let mysql = load("mysql.ini");
    assert_eq!(mysql.db.engine, DbEngine::Mysql);
    assert_eq!(mysql.mysql.port, 3306);
    assert_eq!(mysql.mysql.password.as_deref(), Some(""));
}

#[test]
fn database_hosts_may_be_unix_sockets() {
    let config = load("socket_hosts.ini");
    assert_eq!(
        config.postgresql.host.as_deref(),
        Some("/var/run/postgresql")
    );
    assert_eq!(
        config.mysql.host.as_deref(),
        Some("/run/mysqld/mysqld.sock")
    );
}

#[test]
fn deprecated_aliases_set_the_new_keys() {
    let config = load("deprecated_aliases.ini");
    assert!(config.rpcapi.enable_add_api_user);
    assert!(!config.rpcapi.enable_add_batch_job);
}

#[test]
fn minimal_fixture_keeps_every_default() {
    let mut expected = BackendConfig::default();
    expected.sqlite.database_file = Some("/var/lib/zonemaster/db.sqlite".into());
    assert_eq!(load("minimal.ini"), expected);
}
