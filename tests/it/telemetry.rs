//! `--metrics-listen` (issue 16, item 5): `zm-rpcapi` and `zm-agent` as
//! processes, scraped over HTTP after real API calls and a real test run;
//! `/healthz` with the database there and gone; no listener without the
//! flag.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use serde_json::{Value, json};
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, Daemon, binary};
use crate::dbs;
use crate::netns::{fixture_world, in_world};

/// A daemon and the addresses it printed (`listening on`, `metrics
/// listening on`).
struct Started {
    daemon: Daemon,
    api: Option<String>,
    metrics: Option<String>,
}

/// Starts `name` with `args` and reads its stdout until it has printed
/// every line in `expect` (`"listening on "`, `"metrics listening on "`).
fn start(name: &str, args: &[&str], expect: &[&'static str]) -> Started {
    start_with(Command::new(binary(name)), name, args, expect)
}

/// [`start`] with a command prepared by the caller (environment).
fn start_with(mut command: Command, name: &str, args: &[&str], expect: &[&'static str]) -> Started {
    command
        .args(args)
        .env("ZM_BACKEND_RPCAPI_LOGLEVEL", "warning")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let daemon = Daemon { child };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    while seen.len() < expect.len() {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{name} printed only {seen:?}"));
        // Longest prefix first: `metrics listening on` contains the other.
        let mut prefixes = expect.to_vec();
        prefixes.sort_by_key(|prefix| std::cmp::Reverse(prefix.len()));
        if let Some(prefix) = prefixes.iter().find(|prefix| line.starts_with(**prefix)) {
            seen.insert(prefix, line[prefix.len()..].trim().to_owned());
        }
    }
    Started {
        daemon,
        api: seen.get("listening on ").cloned(),
        metrics: seen.get("metrics listening on ").cloned(),
    }
}

fn rpcapi(config: &Path, metrics: bool) -> Started {
    let config = config.display().to_string();
    let mut args = vec!["--config", &config, "--listen", "127.0.0.1:0", "--migrate"];
    let mut expect = vec!["listening on "];
    if metrics {
        args.extend(["--metrics-listen", "127.0.0.1:0"]);
        expect.push("metrics listening on ");
    }
    start("zm-rpcapi", &args, &expect)
}

fn agent(config: &Path, metrics: bool) -> Started {
    let config = config.display().to_string();
    let mut args = vec!["--config", &config, "--loglevel", "warning"];
    if metrics {
        args.extend(["--metrics-listen", "127.0.0.1:0"]);
        start("zm-agent", &args, &["metrics listening on "])
    } else {
        start("zm-agent", &args, &[])
    }
}

/// One HTTP/1.1 exchange on a fresh connection, by hand so the status,
/// headers and body are seen as sent: `(status, headers, body)`.
fn http(address: &str, method: &str, path: &str, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

/// A JSON-RPC call's `result` or `error`.
fn call(api: &str, method: &str, params: Value) -> Value {
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (status, _, body) = http(api, "POST", "/", &request.to_string());
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// The samples of a text exposition, `name{labels}` → value, checking
/// that every sample's family has `# HELP` and `# TYPE` lines before it.
fn scrape(metrics: &str) -> BTreeMap<String, f64> {
    let (status, head, text) = http(metrics, "GET", "/metrics", "");
    assert_eq!(status, 200, "{text}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "{head}"
    );
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut helped = Vec::new();
    let mut samples = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            typed.insert(name.to_owned(), kind.to_owned());
        } else if let Some(rest) = line.strip_prefix("# HELP ") {
            helped.push(rest.split_once(' ').unwrap().0.to_owned());
        } else if !line.is_empty() {
            let (series, value) = line.rsplit_once(' ').unwrap();
            let name = series.split('{').next().unwrap();
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .filter_map(|suffix| name.strip_suffix(suffix))
                .find(|base| typed.get(*base).is_some_and(|kind| kind == "histogram"))
                .unwrap_or(name);
            let kind = typed
                .get(family)
                .unwrap_or_else(|| panic!("no # TYPE before {line}"));
            assert!(
                helped.iter().any(|help| help == family),
                "no # HELP for {family}"
            );
            if kind == "counter" {
                assert!(
                    family.ends_with("_total"),
                    "counter {family} without _total"
                );
            }
            samples.insert(series.to_owned(), value.parse::<f64>().unwrap());
        }
    }
    samples
}

/// A sample's value, 0 when absent (a labelled counter not yet moved).
fn value(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

/// The sum of the samples of `name` whose labels contain `labels`.
fn sum(samples: &BTreeMap<String, f64>, name: &str, labels: &str) -> f64 {
    samples
        .iter()
        .filter(|(series, _)| series.split('{').next() == Some(name) && series.contains(labels))
        .map(|(_, value)| value)
        .sum()
}

/// Polls `test_progress` until the test is done.
fn wait_for(api: &str, test_id: &str) {
    for _ in 0..1200 {
        if call(api, "test_progress", json!({"test_id": test_id}))["result"] == 100 {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("test {test_id} did not finish");
}

#[test]
fn metrics_follow_api_calls_the_queue_and_a_test_run() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(&scratch, true, "");
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let api = rpcapi(&path, true);
        let (url, metrics) = (api.api.clone().unwrap(), api.metrics.clone().unwrap());
        assert_ne!(url, metrics, "the metrics have a listener of their own");
        let before = scrape(&metrics);
        assert_eq!(value(&before, "zonemaster_queue_waiting_tests"), 0.0);
        assert_eq!(value(&before, "zonemaster_database_up"), 1.0);

        let mut ids = Vec::new();
        for domain in ["good.test", "lame.test"] {
            let started = call(&url, "start_domain_test", json!({"domain": domain}));
            ids.push(started["result"].as_str().unwrap().to_owned());
        }
        let refused = call(&url, "start_domain_test", json!({"domain": "bad..name"}));
        assert_eq!(refused["error"]["code"], "-32602", "{refused}");
        call(&url, "no_such_method", json!({}));
        let (_, _, garbage) = http(&url, "POST", "/", "{not json");
        assert!(garbage.contains("-32700"), "{garbage}");

        let queued = scrape(&metrics);
        let requests = "zonemaster_rpcapi_requests_total";
        assert_eq!(
            value(
                &queued,
                &format!("{requests}{{method=\"start_domain_test\",result=\"success\"}}")
            ),
            2.0,
            "{queued:?}"
        );
        assert_eq!(
            value(
                &queued,
                &format!("{requests}{{method=\"start_domain_test\",result=\"-32602\"}}")
            ),
            1.0
        );
        assert_eq!(
            value(
                &queued,
                &format!("{requests}{{method=\"unknown\",result=\"-32601\"}}")
            ),
            1.0
        );
        assert_eq!(
            value(
                &queued,
                &format!("{requests}{{method=\"unknown\",result=\"-32700\"}}")
            ),
            1.0
        );
        let latency = "zonemaster_rpcapi_request_duration_seconds";
        assert_eq!(
            value(
                &queued,
                &format!("{latency}_count{{method=\"start_domain_test\"}}")
            ),
            3.0
        );
        assert_eq!(
            value(
                &queued,
                &format!("{latency}_bucket{{method=\"start_domain_test\",le=\"+Inf\"}}")
            ),
            3.0
        );
        assert_eq!(value(&queued, "zonemaster_queue_waiting_tests"), 2.0);
        assert_eq!(value(&queued, "zonemaster_queue_running_tests"), 0.0);

        let agent = agent(&path, true);
        let agent_metrics = agent.metrics.clone().unwrap();
        for id in &ids {
            wait_for(&url, id);
        }
        let ran = scrape(&agent_metrics);
        assert_eq!(value(&ran, "zonemaster_agent_claims_total"), 2.0, "{ran:?}");
        assert_eq!(value(&ran, "zonemaster_agent_tests_started_total"), 2.0);
        let finished = "zonemaster_agent_tests_finished_total";
        assert_eq!(sum(&ran, finished, "outcome=\"completed\""), 2.0, "{ran:?}");
        assert_eq!(sum(&ran, finished, ""), 2.0, "{ran:?}");
        // Both fixture zones have ERROR findings at least (see e2e.rs).
        assert_eq!(sum(&ran, finished, "worst_level=\"INFO\""), 0.0, "{ran:?}");
        assert_eq!(
            value(&ran, "zonemaster_agent_test_duration_seconds_count"),
            2.0
        );
        assert_eq!(value(&ran, "zonemaster_agent_running_tests"), 0.0);
        assert_eq!(value(&ran, "zonemaster_queue_waiting_tests"), 0.0);
        assert_eq!(sum(&ran, "zonemaster_database_errors_total", ""), 0.0);
        // The API saw the progress polls too, and both see one queue.
        let after = scrape(&metrics);
        assert!(
            value(
                &after,
                &format!("{requests}{{method=\"test_progress\",result=\"success\"}}")
            ) >= 2.0
        );
        assert_eq!(value(&after, "zonemaster_queue_waiting_tests"), 0.0);

        for path in ["/", "/metrics/extra", "/health"] {
            assert_eq!(http(&metrics, "GET", path, "").0, 404, "{path}");
        }
        drop(agent);
        drop(api);
        drop(scratch);
    });
}

/// The sockets `pid` listens on (TCP, both families), from `/proc`.
fn listening_sockets(pid: u32) -> usize {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter_map(|target| {
            let text = target.to_string_lossy().into_owned();
            Some(text.strip_prefix("socket:[")?.strip_suffix(']')?.to_owned())
        })
        .collect();
    let mut count = 0;
    for table in ["tcp", "tcp6"] {
        let text = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")).unwrap();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // State 0A is LISTEN; field 9 the inode.
            if fields.get(3) == Some(&"0A")
                && fields
                    .get(9)
                    .is_some_and(|inode| inodes.iter().any(|own| own == inode))
            {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn without_the_flag_nothing_listens_for_metrics() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(&scratch, false, "");
    let api = rpcapi(&config.path, false);
    // The agent prints nothing without the flag: its READY=1 to a notify
    // socket of ours says it has done all its setting up.
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify");
    let notify = UnixDatagram::bind(&socket_path).unwrap();
    notify
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut command = Command::new(binary("zm-agent"));
    command.env("NOTIFY_SOCKET", &socket_path);
    let config_text = config.path.display().to_string();
    let agent = start_with(
        command,
        "zm-agent",
        &["--config", &config_text, "--loglevel", "warning"],
        &[],
    );
    let mut buffer = [0u8; 256];
    let length = notify.recv(&mut buffer).expect("zm-agent says READY=1");
    assert!(String::from_utf8_lossy(&buffer[..length]).contains("READY=1"));
    assert_eq!(listening_sockets(api.daemon.child.id()), 1, "the API only");
    assert_eq!(listening_sockets(agent.daemon.child.id()), 0);
    drop(agent);
    drop(api);
    let with_metrics = rpcapi(&config.path, true);
    assert_eq!(listening_sockets(with_metrics.daemon.child.id()), 2);
    let agent = self::agent(&config.path, true);
    assert_eq!(listening_sockets(agent.daemon.child.id()), 1);
}

/// A TCP relay to PostgreSQL that can be cut: the database becomes
/// unreachable for a daemon that was connected through it.
struct Relay {
    port: u16,
    is_cut: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn to(upstream: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let is_cut = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(Mutex::new(Vec::new()));
        let (cut, kept) = (Arc::clone(&is_cut), Arc::clone(&streams));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if cut.load(Ordering::SeqCst) {
                    return; // the listener is dropped: connections refused
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let mut kept = kept.lock().unwrap();
                kept.push(client.try_clone().unwrap());
                kept.push(server.try_clone().unwrap());
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Self {
            port,
            is_cut,
            streams,
        }
    }

    /// Closes every relayed connection and stops accepting new ones.
    fn cut(&self) {
        self.is_cut.store(true, Ordering::SeqCst);
        for stream in self.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so it sees the flag and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies `from` to `to` in a thread until either closes.
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Both);
    });
}

#[test]
fn healthz_says_ok_then_503_with_the_reason_when_the_database_is_gone() {
    let scratch = dbs::scratch(DbEngine::Postgresql);
    let relay = Relay::to("127.0.0.1:5432");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backend_config.ini");
    std::fs::write(
        &path,
        format!(
            "[DB]\nengine = PostgreSQL\n[POSTGRESQL]\nhost = 127.0.0.1\nport = {}\n\
             user = root\npassword =\ndatabase = {}\n",
            relay.port, scratch.name
        ),
    )
    .unwrap();
    let api = rpcapi(&path, true);
    let metrics = api.metrics.clone().unwrap();
    let (status, head, body) = http(&metrics, "GET", "/healthz", "");
    assert_eq!(status, 200, "{body}");
    assert!(
        head.to_ascii_lowercase().contains("application/json"),
        "{head}"
    );
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health, json!({"status": "ok", "database": "PostgreSQL"}));

    relay.cut();
    let (status, _, body) = http(&metrics, "GET", "/healthz", "");
    assert_eq!(status, 503, "{body}");
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "unavailable", "{health}");
    assert!(
        health["reason"].as_str().unwrap().contains("database"),
        "{health}"
    );
    let samples = scrape(&metrics);
    assert_eq!(
        value(&samples, "zonemaster_database_up"),
        0.0,
        "{samples:?}"
    );
    assert!(!samples.contains_key("zonemaster_queue_waiting_tests"));
    assert!(
        value(
            &samples,
            "zonemaster_database_errors_total{operation=\"health_check\"}"
        ) >= 1.0,
        "{samples:?}"
    );
    drop(api);
    drop(scratch);
}
