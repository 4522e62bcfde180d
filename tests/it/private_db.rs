//! Private database servers for fault tests: a PostgreSQL or MariaDB
//! server of our own, in a temp directory on a free port, that a test may
//! kill and restart. The machine's shared servers are never touched
//! (other sessions use them).
//!
//! PostgreSQL refuses to run as root, so its files belong to the
//! `postgres` user and its processes run as that user (set on the child
//! itself, so the PID we signal is the server's). MariaDB runs as root
//! with `--user=root` and without grant tables: nobody but the test can
//! reach a loopback port in the test's network namespace.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, User};
use tempfile::TempDir;

/// The PostgreSQL programs of the machine's version.
const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// PostgreSQL 15.
    Postgresql,
    /// MariaDB.
    Mariadb,
}

/// A private server: its data directory, port and process. Killed when
/// dropped.
pub struct PrivateServer {
    /// Which server.
    pub kind: Kind,
    /// The TCP port on 127.0.0.1.
    pub port: u16,
    dir: TempDir,
    child: Option<Child>,
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Runs `command`, panicking with its output when it fails.
fn run(command: &mut Command) {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{command:?}: {output:?}");
}

impl PrivateServer {
    /// Initialises a data directory and starts the server; returns once
    /// it accepts connections and holds an empty database `zm`.
    pub fn start(kind: Kind) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Self {
            kind,
            port: free_port(),
            dir,
            child: None,
        };
        match kind {
            Kind::Postgresql => {
                let postgres = User::from_name("postgres").unwrap().unwrap();
                nix::unistd::chown(server.dir.path(), Some(postgres.uid), Some(postgres.gid))
                    .unwrap();
                run(as_postgres(&mut Command::new(format!("{PG_BIN}/initdb")))
                    .arg("-D")
                    .arg(server.data())
                    .args(["-U", "root", "--auth=trust", "-E", "UTF8"])
                    .args(["--no-sync", "--no-instructions"]));
            }
            Kind::Mariadb => run(Command::new("mariadb-install-db")
                .arg("--no-defaults")
                .arg(format!("--datadir={}", server.data().display()))
                .args(["--user=root", "--skip-test-db"])),
        }
        server.restart();
        server.sql_on("CREATE DATABASE zm", None);
        server
    }

    /// The data directory.
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The `[DB]` and engine sections reaching database `zm` over TCP.
    pub fn ini(&self, db_extra: &str) -> String {
        let (engine, section) = match self.kind {
            Kind::Postgresql => ("PostgreSQL", "POSTGRESQL"),
            Kind::Mariadb => ("MySQL", "MYSQL"),
        };
        format!(
            "[DB]\nengine = {engine}\n{db_extra}\n[{section}]\nhost = 127.0.0.1\nport = {}\n\
             user = root\npassword =\ndatabase = zm\n",
            self.port
        )
    }

    /// Starts the server process (again) on the same directory and port
    /// and waits until it answers.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        let log = std::fs::File::create(self.dir.path().join("server.log")).unwrap();
        let mut command = match self.kind {
            Kind::Postgresql => {
                let mut command = Command::new(format!("{PG_BIN}/postgres"));
                as_postgres(&mut command)
                    .arg("-D")
                    .arg(self.data())
                    .args(["-p", &self.port.to_string(), "-k"])
                    .arg(self.dir.path())
                    .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]);
                command
            }
            Kind::Mariadb => {
                let mut command = Command::new("mariadbd");
                command
                    .arg("--no-defaults")
                    .arg(format!("--datadir={}", self.data().display()))
                    .arg(format!(
                        "--socket={}",
                        self.dir.path().join("sock").display()
                    ))
                    .arg(format!("--port={}", self.port))
                    .args(["--bind-address=127.0.0.1", "--user=root"])
                    .args(["--skip-grant-tables", "--skip-log-bin"])
                    .args(["--innodb-buffer-pool-size=32M", "--max-connections=200"]);
                command
            }
        };
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let started = Instant::now();
        while !self.answers() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the {:?} server did not come up: {}",
                self.kind,
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server with `signal` and waits for its exit; PostgreSQL
    /// asked with SIGTERM ("smart": waits for every client to leave, which
    /// pooled clients never do) is told after 3 s to shut down fast.
    pub fn stop(&mut self, signal: Signal) {
        let mut child = self.child.take().expect("the server is running");
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
        let _ = kill(pid, signal);
        let asked = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if self.kind == Kind::Postgresql
                && signal == Signal::SIGTERM
                && asked.elapsed() > Duration::from_secs(3)
            {
                let _ = kill(pid, Signal::SIGINT);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if signal == Signal::SIGKILL && self.kind == Kind::Postgresql {
            // The backends notice their postmaster's death and leave; a
            // new postmaster refuses to start while they hold its memory.
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// True when the server accepts a query.
    fn answers(&self) -> bool {
        self.client("SELECT 1", None)
            .output()
            .is_ok_and(|out| out.status.success())
    }

    /// The command-line client running `sql` on `database` (none: the
    /// server's default).
    fn client(&self, sql: &str, database: Option<&str>) -> Command {
        let port = self.port.to_string();
        match self.kind {
            Kind::Postgresql => {
                let mut command = Command::new("psql");
                command
                    .args(["-h", "127.0.0.1", "-p", &port, "-U", "root"])
                    .args(["-d", database.unwrap_or("postgres")])
                    .args(["-v", "ON_ERROR_STOP=1", "-F", "\t", "-tAXc", sql]);
                command
            }
            Kind::Mariadb => {
                let mut command = Command::new("mariadb");
                command
                    .args(["-h", "127.0.0.1", "-P", &port, "-u", "root"])
                    .args(["-N", "-B", "-e", sql]);
                if let Some(database) = database {
                    command.args(["-D", database]);
                }
                command
            }
        }
    }

    /// Runs `sql` on database `zm` and returns its tab-separated output.
    pub fn sql(&self, sql: &str) -> String {
        self.sql_on(sql, Some("zm"))
    }

    /// Runs `sql` on `database` and returns its tab-separated output.
    fn sql_on(&self, sql: &str, database: Option<&str>) -> String {
        let output = self.client(sql, database).output().unwrap();
        assert!(output.status.success(), "{sql}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if let Ok(pid) = i32::try_from(child.id()) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
            let _ = child.wait();
            // PostgreSQL backends leave when they see the postmaster gone.
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// `command` run as the `postgres` user.
fn as_postgres(command: &mut Command) -> &mut Command {
    let postgres = User::from_name("postgres").unwrap().unwrap();
    command
        .uid(postgres.uid.as_raw())
        .gid(postgres.gid.as_raw())
        .current_dir(Path::new("/"))
}
