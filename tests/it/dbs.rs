//! Scratch databases for store, agent and end-to-end tests: one fresh,
//! empty database per test on each real engine, dropped afterwards.
//!
//! PostgreSQL and MariaDB are the machine's servers (127.0.0.1, trust /
//! empty root password; CI machines have them). Databases are made and
//! dropped with the servers' own command-line clients, so `Drop` needs no
//! runtime. The Unix-socket form of the configuration is for tests that run
//! inside a private network namespace, which cannot reach the host's
//! 127.0.0.1 but can reach a socket on the file system.

use std::process::Command;

use tempfile::TempDir;
use zonemaster::config::{BackendConfig, DbEngine};

/// The PostgreSQL server's socket directory.
pub const PG_SOCKET_DIR: &str = "/var/run/postgresql";
/// The MariaDB server's socket.
pub const MYSQL_SOCKET: &str = "/run/mysqld/mysqld.sock";

/// One empty database.
pub struct Scratch {
    /// Which engine.
    pub engine: DbEngine,
    /// Database name (PostgreSQL, MariaDB) or file (SQLite).
    pub name: String,
    /// The configuration reaching it over TCP (SQLite: the file).
    pub config: BackendConfig,
    /// Keeps the SQLite file's directory alive.
    _dir: Option<TempDir>,
}

impl Scratch {
    /// A `[DB]` section (with `db_extra` lines, e.g. `polling_interval =
    /// 0.05`), the engine's section and `[ZONEMASTER]` allowing private
    /// addresses; `socket` reaches PostgreSQL and MariaDB through their
    /// Unix sockets.
    pub fn ini(&self, db_extra: &str, socket: bool) -> String {
        let engine = self.engine.name();
        let section = match self.engine {
            DbEngine::Sqlite => format!("[SQLITE]\ndatabase_file = {}\n", self.name),
            DbEngine::Postgresql => format!(
                "[POSTGRESQL]\nhost = {}\nuser = root\npassword =\ndatabase = {}\n",
                if socket { PG_SOCKET_DIR } else { "127.0.0.1" },
                self.name
            ),
            DbEngine::Mysql => format!(
                "[MYSQL]\nhost = {}\nuser = root\npassword =\ndatabase = {}\n",
                if socket { MYSQL_SOCKET } else { "127.0.0.1" },
                self.name
            ),
        };
        // The fixture worlds live on loopback, which the agents and the
        // API refuse by default (docs/abuse-limits.md).
        format!(
            "[DB]\nengine = {engine}\n{db_extra}\n{section}\
             [ZONEMASTER]\nallow_private_addresses = true\n"
        )
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {}", self.name);
        match self.engine {
            DbEngine::Sqlite => {}
            DbEngine::Postgresql => {
                // WITH (FORCE): pools of the test may still hold connections.
                let _ = psql(&format!("{sql} WITH (FORCE)"));
            }
            DbEngine::Mysql => {
                let _ = mariadb(&sql);
            }
        }
    }
}

/// A fresh database on `engine`.
pub fn scratch(engine: DbEngine) -> Scratch {
    let name = format!("zm_test_{:016x}", rand::random::<u64>());
    let (name, dir) = match engine {
        DbEngine::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("zonemaster.sqlite");
            (file.to_str().unwrap().to_owned(), Some(dir))
        }
        DbEngine::Postgresql => {
            psql(&format!("CREATE DATABASE {name} ENCODING 'UTF8'")).unwrap();
            (name, None)
        }
        DbEngine::Mysql => {
            mariadb(&format!("CREATE DATABASE {name} CHARACTER SET utf8mb4")).unwrap();
            (name, None)
        }
    };
    let mut scratch = Scratch {
        engine,
        name,
        config: BackendConfig::default(),
        _dir: dir,
    };
    scratch.config = BackendConfig::parse(&scratch.ini("", false), "scratch.ini").unwrap();
    scratch
}

/// One fresh database per engine: SQLite, PostgreSQL, MariaDB.
pub fn scratch_all() -> Vec<Scratch> {
    [DbEngine::Sqlite, DbEngine::Postgresql, DbEngine::Mysql]
        .into_iter()
        .map(scratch)
        .collect()
}

/// `psql` as root on `database` over TCP with `args`.
fn psql_on(database: &str, args: &[&str]) -> Result<(), String> {
    run(Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "root", "-d", database])
        .args(args))
}

fn psql(sql: &str) -> Result<(), String> {
    psql_on("postgres", &["-v", "ON_ERROR_STOP=1", "-qc", sql])
}

fn mariadb(sql: &str) -> Result<(), String> {
    run(Command::new("mariadb").args(["-h", "127.0.0.1", "-u", "root", "-e", sql]))
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|err| format!("{command:?}: {err}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// True when PostgreSQL database `name` accepts a connection.
fn pg_database_exists(name: &str) -> bool {
    psql_on(name, &["-tAc", "SELECT 1"]).is_ok()
}

#[test]
fn scratch_databases_exist_until_dropped() {
    let scratches = scratch_all();
    assert_eq!(scratches.len(), 3);
    let pg = scratches
        .iter()
        .find(|s| s.engine == DbEngine::Postgresql)
        .unwrap();
    assert!(pg_database_exists(&pg.name));
    let name = pg.name.clone();
    drop(scratches);
    assert!(!pg_database_exists(&name));
}
