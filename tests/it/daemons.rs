//! Starting `zm-rpcapi` and `zm-agent` for tests: a config file in a temp
//! directory, the binaries as child processes stopped by PID when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tempfile::TempDir;

use crate::dbs::Scratch;
use crate::netns::fixture_world;

/// A binary built next to `zmctl` (`zm-rpcapi`, `zm-agent`).
pub fn binary(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_zmctl")).with_file_name(name);
    assert!(
        path.is_file(),
        "{} is missing: `cargo build` first",
        path.display()
    );
    path
}

/// A backend configuration file for `scratch`, reaching PostgreSQL and
/// MariaDB through their sockets when `socket`, with the fixture world's
/// root hints and the fast test profile as `default`.
pub struct ConfigFile {
    /// The file.
    pub path: PathBuf,
    _dir: TempDir,
}

impl ConfigFile {
    /// Writes the file; `extra` is appended (more sections).
    pub fn new(scratch: &Scratch, socket: bool, extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backend_config.ini");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = format!(
            "{}\n[ZONEMASTER]\nroot_hints = {}\n{extra}\n[PUBLIC PROFILES]\ndefault = {}\n",
            scratch.ini("polling_interval = 0.05", socket),
            fixture_world().join("hints.zone").display(),
            root.join("tests/fixtures/profile-fast.json").display(),
        );
        std::fs::write(&path, text).unwrap();
        Self { path, _dir: dir }
    }
}

/// A daemon, sent SIGTERM and reaped when dropped.
pub struct Daemon {
    /// The process.
    pub child: Child,
}

impl Daemon {
    /// The process id.
    pub fn pid(&self) -> Pid {
        Pid::from_raw(i32::try_from(self.child.id()).unwrap())
    }

    /// Sends `signal` and waits for the exit.
    pub fn stop_with(mut self, signal: Signal) -> std::process::ExitStatus {
        let _ = kill(self.pid(), signal);
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = kill(self.pid(), Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

/// Starts `zm-rpcapi` on an ephemeral port (migrating the schema) and
/// returns it with its `http://` URL.
pub fn start_rpcapi(config: &Path) -> (Daemon, String) {
    let mut child = Command::new(binary("zm-rpcapi"))
        .args([
            "--config",
            &config.display().to_string(),
            "--listen",
            "127.0.0.1:0",
            "--migrate",
        ])
        .env("ZM_BACKEND_RPCAPI_LOGLEVEL", "warning")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let daemon = Daemon { child };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("listening on ") {
                let _ = tx.send(addr.trim().to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("zm-rpcapi prints `listening on ADDR:PORT`");
    (daemon, format!("http://{addr}"))
}

/// Starts `zm-agent` with `args` added.
pub fn start_agent(config: &Path, args: &[&str]) -> Daemon {
    let child = Command::new(binary("zm-agent"))
        .args([
            "--config",
            &config.display().to_string(),
            "--loglevel",
            "warning",
        ])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Daemon { child }
}

/// `zmctl --server URL`, to add arguments, environment and input to.
pub fn zmctl_command(server: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zmctl"));
    command.args(["--server", server]);
    command
}

/// Runs `zmctl --server URL ARGS…`.
pub fn zmctl(server: &str, args: &[&str]) -> Output {
    zmctl_command(server).args(args).output().unwrap()
}

/// Posts one JSON-RPC call to `url` and returns the whole answer object
/// (`result` or `error`).
pub async fn rpc_answer(url: &str, method: &str, params: serde_json::Value) -> serde_json::Value {
    let request =
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    reqwest::Client::new()
        .post(url)
        .json(&request)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
