//! What the backend benchmarks share: JSON-RPC calls, a timed load of
//! concurrent clients, CPU accounting. Included by `benches/api.rs` and
//! `benches/agent.rs` with `mod common;`.

#![allow(dead_code, reason = "each benchmark uses part of it")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Extra configuration: API users allowed (the batch needs one).
pub const EXTRA: &str = "\n[RPCAPI]\nenable_add_api_user = true\n";

pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub async fn call(client: &reqwest::Client, url: &str, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc":"2.0","id":1,"method":method,"params":params});
    let reply: Value = client
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(reply.get("error").is_none(), "{method}: {reply}");
    reply["result"].clone()
}

pub struct Figures {
    pub requests: u64,
    pub seconds: f64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests in {:.1} s)",
            self.per_second(),
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.requests,
            self.seconds
        )
    }
}

/// How the load's clients reach the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// One pool of reused connections (HTTP keep-alive).
    KeepAlive,
    /// A new TCP connection for every request: nothing is kept idle, so
    /// each request dials again ([`tcp_active_opens`] counts the dials).
    NewPerRequest,
}

impl Connection {
    pub fn name(self) -> &'static str {
        match self {
            Connection::KeepAlive => "keep-alive",
            Connection::NewPerRequest => "new-conn",
        }
    }

    /// The HTTP client for `clients` concurrent tasks.
    pub fn client(self, clients: u64) -> reqwest::Client {
        let idle = match self {
            Connection::KeepAlive => usize::try_from(clients).unwrap(),
            Connection::NewPerRequest => 0,
        };
        reqwest::Client::builder()
            .pool_max_idle_per_host(idle)
            .tcp_nodelay(true)
            .build()
            .unwrap()
    }
}

/// TCP connections this network namespace has dialled (`ActiveOpens` of
/// `/proc/net/snmp`), to check what a load really did. Other processes in
/// the namespace count too.
pub fn tcp_active_opens() -> u64 {
    let snmp = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut tcp = snmp.lines().filter(|line| line.starts_with("Tcp:"));
    let (Some(names), Some(values)) = (tcp.next(), tcp.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == "ActiveOpens")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
}

/// `clients` tasks sharing `client` send `make(n)` requests for `seconds`.
pub async fn load(
    client: &reqwest::Client,
    url: &str,
    clients: u64,
    seconds: f64,
    method: &'static str,
    make: Arc<dyn Fn(u64) -> Value + Send + Sync>,
) -> (Figures, Vec<Value>) {
    let counter = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, counter, make) = (
            client.clone(),
            url.to_owned(),
            counter.clone(),
            make.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut results = Vec::new();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                results.push(call(&client, &url, method, make(n)).await);
                latencies.push(sent.elapsed());
            }
            (latencies, results)
        }));
    }
    let mut latencies = Vec::new();
    let mut results = Vec::new();
    for task in tasks {
        let (l, r) = task.await.unwrap();
        latencies.extend(l);
        results.extend(r);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    let figures = Figures {
        requests: latencies.len() as u64,
        seconds,
        p50: at(0.50),
        p99: at(0.99),
    };
    (figures, results)
}

/// CPU seconds (user + system) a process has used.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    ticks / 100.0
}

/// Context switches of every live thread of `pid`, voluntary (a thread
/// parked for want of work) and not (preempted): how often a process was
/// woken, which costs CPU beyond its own work.
pub fn context_switches(pid: u32) -> (u64, u64) {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return (0, 0);
    };
    let mut totals = (0, 0);
    for task in tasks.filter_map(Result::ok) {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        for line in status.lines() {
            let count = |prefix: &str| {
                line.strip_prefix(prefix)
                    .and_then(|rest| rest.trim().parse::<u64>().ok())
            };
            if let Some(n) = count("voluntary_ctxt_switches:") {
                totals.0 += n;
            } else if let Some(n) = count("nonvoluntary_ctxt_switches:") {
                totals.1 += n;
            }
        }
    }
    totals
}

/// CPU seconds used by the processes named `comm` (e.g. `postgres`, whose
/// server forks one process per connection), those that have ended not
/// counted.
pub fn cpu_seconds_named(comm: &str) -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim_end() == comm)
        })
        .map(cpu_seconds)
        .sum()
}

/// Busy and total jiffies of the whole machine (`/proc/stat`).
pub fn machine_jiffies() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let numbers: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let total: f64 = numbers.iter().sum();
    // idle and iowait are the 4th and 5th numbers.
    let idle = numbers.get(3).copied().unwrap_or(0.0) + numbers.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// The ids of this process's children whose command name is `name`
/// (e.g. the `zm-testns` an `in_world` started), for [`cpu_seconds`].
pub fn child_pids(name: &str) -> Vec<u32> {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let Some((head, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let comm = head.split_once('(').map_or("", |(_, comm)| comm);
            let parent = rest.split_whitespace().nth(1).unwrap_or_default();
            comm == name && parent == me
        })
        .collect()
}
