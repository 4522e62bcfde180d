//! Running test bodies inside a private network namespace with a world.
//!
//! Namespaces are per thread on Linux: a thread that unshares its network
//! namespace, and every socket it opens and process it spawns afterwards,
//! lives in the new one. So each networked test gets a fresh thread, moves
//! it into an empty namespace (loopback only, no route out), starts
//! zm-testns there and runs its async body on a current-thread runtime on
//! that same thread. Nothing can reach the machine's real network.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use zonemaster::dns::LiveTransport;

/// Our own fixture world.
pub fn fixture_world() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/world")
}

/// `../shared/conformance` (or `$ZM_CONFORMANCE_DIR`), if present.
pub fn conformance_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ZM_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    dir.join("test-zone-data/main.cfg").is_file().then_some(dir)
}

/// The zm-testns binary next to this test executable's build directory.
pub fn testns_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("ZM_TESTNS") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test executable has a path");
    // target/<profile>/deps/it-<hash> → target/<profile>/zm-testns
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test executable under target/<profile>/deps");
    let binary = profile_dir.join("zm-testns");
    assert!(
        binary.is_file(),
        "{} is missing: build the workspace first (`cargo test --workspace` does)",
        binary.display()
    );
    binary
}

/// Stops the server by PID when dropped, even if the body panicked.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.0.id()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
        let _ = self.0.wait();
    }
}

/// Runs `body` in a fresh private network namespace where zm-testns serves
/// `zones` (with `config`, default `zones/main.cfg`, and `extra_args`).
pub fn in_world<F, Fut, T>(zones: &Path, config: Option<&Path>, extra_args: &[&str], body: F) -> T
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    let mut args: Vec<String> = vec![
        "--zones".into(),
        zones.display().to_string(),
        "--setup-lo".into(),
    ];
    if let Some(config) = config {
        args.extend(["--config".into(), config.display().to_string()]);
    }
    args.extend(extra_args.iter().map(|arg| (*arg).to_owned()));
    let binary = testns_binary();
    let thread = std::thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).unwrap_or_else(|error| {
            panic!(
                "cannot create a network namespace ({error}): the networked tests must run as root"
            )
        });
        let _server = start_server(&binary, &args);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime");
        runtime.block_on(body())
    });
    match thread.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Starts zm-testns and waits for its `ready` line.
pub fn start_server(binary: &Path, args: &[String]) -> Server {
    let status = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "cannot bring lo up in the namespace"
    );
    let mut child = Command::new(binary)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()));
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let is_ready = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains("ready"));
        let _ = ready_tx.send(is_ready);
    });
    match ready_rx.recv_timeout(Duration::from_secs(60)) {
        Ok(true) => server,
        _ => panic!("zm-testns did not say `ready` (see its stderr by running it by hand)"),
    }
}

/// `zmctl check ZONE --test SELECTION --json --level DEBUG` with the fast
/// profile and the world's `hints.zone`, plus `extra`, for each of `runs`,
/// all at once, each in its own thread, inside one world served from
/// `zones`; the outputs in the order of `runs`.
pub fn zmctl_checks(
    zones: &Path,
    runs: &[(String, String)],
    extra: &[String],
) -> Vec<std::process::Output> {
    let hints = zones.join("hints.zone").display().to_string();
    let runs: Vec<(String, String, String)> = runs
        .iter()
        .map(|(zone, selection)| (zone.clone(), selection.clone(), hints.clone()))
        .collect();
    zmctl_checks_with_hints(zones, &runs, extra)
}

/// [`zmctl_checks`] with each run's own hints file: `(zone, selection,
/// hints)`.
pub fn zmctl_checks_with_hints(
    zones: &Path,
    runs: &[(String, String, String)],
    extra: &[String],
) -> Vec<std::process::Output> {
    let profile = fixture_world()
        .join("../profile-fast.json")
        .display()
        .to_string();
    let runs = runs.to_vec();
    let extra = extra.to_vec();
    in_world(zones, None, &[], move || async move {
        let threads: Vec<_> = runs
            .into_iter()
            .map(|(zone, test, hints)| {
                let (profile, extra) = (profile.clone(), extra.clone());
                std::thread::spawn(move || {
                    Command::new(env!("CARGO_BIN_EXE_zmctl"))
                        .args(["check", &zone, "--test", &test, "--json"])
                        .args(["--level", "DEBUG", "--profile", &profile])
                        .args(["--hints", &hints])
                        .args(&extra)
                        .output()
                        .expect("zmctl runs")
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("zmctl ran"))
            .collect()
    })
}

/// The count `queries.zm-testns. CH TXT` answers, asked of `server`: the
/// queries the whole world has received.
pub async fn received(transport: &LiveTransport, server: std::net::IpAddr) -> u64 {
    use zonemaster::dns::{DNSClass, Name, Query, QueryOptions, RData, RecordType, Request};
    let query = Query::new(
        Name::from_ascii("queries.zm-testns.").unwrap(),
        RecordType::TXT,
    )
    .in_class(DNSClass::CH);
    let request = Request {
        server,
        query,
        options: QueryOptions::default(),
    };
    let outcome = zonemaster::dns::Transport::exchange(transport, &request).await;
    let packet = outcome.packet().expect("a reply to the count question");
    match &packet.answer[0].data {
        RData::TXT(text) => String::from_utf8_lossy(&text.txt_data[0])
            .parse()
            .expect("a number"),
        other => panic!("not a TXT record: {other:?}"),
    }
}
