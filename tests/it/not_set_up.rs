//! Issue 4/13, point 13: a program pointed at a database that is not set
//! up (no SQLite file, or no schema) refuses to start, says to run
//! `zmctl db init` (or `--migrate`), and creates nothing. Only `zmctl db
//! init|migrate` and `--migrate` create a database.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use zonemaster::config::{BackendConfig, DbEngine};
use zonemaster::store;

use crate::dbs::{self, Scratch};

/// Runs `program` with `args` to its end. A program that does not refuse
/// would serve forever: after a minute it is killed and the test fails.
fn run_to_end(program: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .env("ZM_BACKEND_RPCAPI_LOGLEVEL", "warning")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{} did not refuse to start", program.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// The three programs that need a set-up database, with their arguments
/// before `--config FILE`, and whether the message also offers `--migrate`.
fn programs() -> [(std::path::PathBuf, Vec<&'static str>, bool); 3] {
    [
        (
            crate::daemons::binary("zm-rpcapi"),
            vec!["--listen", "127.0.0.1:0"],
            true,
        ),
        (
            crate::daemons::binary("zm-agent"),
            vec!["--loglevel", "warning"],
            true,
        ),
        (
            Path::new(env!("CARGO_BIN_EXE_zmctl")).to_path_buf(),
            vec!["db", "purge", "--older-than", "30d"],
            false,
        ),
    ]
}

/// Runs every program on `scratch`'s database; each must refuse with
/// `problem` in its message.
fn every_program_refuses(scratch: &Scratch, problem: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("backend_config.ini");
    std::fs::write(&config, scratch.ini("", false)).unwrap();
    let config = config.display().to_string();
    for (program, args, offers_migrate) in programs() {
        let mut all = args;
        all.extend(["--config", config.as_str()]);
        let output = run_to_end(&program, &all);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let name = program.file_name().unwrap().to_string_lossy().into_owned();
        let engine = scratch.engine.name();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{name} on {engine}: {stderr}"
        );
        assert!(stderr.contains(problem), "{name} on {engine}: {stderr}");
        assert!(stderr.contains("run `zmctl db init`"), "{name}: {stderr}");
        assert_eq!(
            stderr.contains("--migrate"),
            offers_migrate,
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_missing_sqlite_file_is_refused_and_not_created() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    every_program_refuses(&scratch, "does not exist");
    assert!(!Path::new(&scratch.name).exists(), "{}", scratch.name);
}

#[test]
fn a_database_without_schema_is_refused_and_left_alone() {
    for engine in [DbEngine::Postgresql, DbEngine::Mysql] {
        let scratch = dbs::scratch(engine);
        every_program_refuses(&scratch, "has no schema");
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let version = runtime.block_on(async {
            let store = store::open(&scratch.config.store_settings()).await.unwrap();
            store.schema_version().await.unwrap()
        });
        assert_eq!(version, None, "{}", engine.name());
    }
}

#[test]
fn an_empty_sqlite_file_is_refused_too() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    std::fs::write(&scratch.name, b"").unwrap();
    every_program_refuses(&scratch, "has no schema");
}

#[test]
fn db_init_creates_what_the_others_refuse() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("backend_config.ini");
    std::fs::write(&config, scratch.ini("", false)).unwrap();
    let zmctl = Path::new(env!("CARGO_BIN_EXE_zmctl"));
    let config = config.display().to_string();
    let init = run_to_end(zmctl, &["db", "init", "--config", &config]);
    assert!(init.status.success(), "{init:?}");
    let purge = ["db", "purge", "--older-than", "30d", "--config", &config];
    let purge = run_to_end(zmctl, &purge);
    assert!(purge.status.success(), "{purge:?}");
    let config = BackendConfig::from_file(Path::new(&config)).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let opened = runtime.block_on(store::open_existing(&config.store_settings()));
    assert!(opened.is_ok());
}
