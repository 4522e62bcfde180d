//! The test agent against real databases: claiming by several agents,
//! concurrency, queues and priorities, progress, time limits, shutdown,
//! crashed agents (in-process with a scripted runner, and the `zm-agent`
//! binary with the real engine inside the fixture world).

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::{Map, Value, json};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use zonemaster::agent::{
    self, AgentError, AgentOptions, EngineRunner, ProgressSink, RunError, RunReport, TestRunner,
};
use zonemaster::config::{BackendConfig, DbEngine, ProfileSet};
use zonemaster::metrics::Metrics;
use zonemaster::store::{self, ClaimedTest, NewTest, ResultEntry, Store, TestRow, TestState};

use crate::dbs::{Scratch, scratch};
use crate::netns::{fixture_world, in_world};

// ---- helpers -----------------------------------------------------------

/// A migrated store on `scratch`'s database (its own pool).
pub(crate) async fn open(config: &BackendConfig) -> Arc<dyn Store> {
    let store = store::open(&config.store_settings()).await.unwrap();
    store.migrate().await.unwrap();
    store
}

/// Queues a test of `domain` with `extra` params; returns its id.
pub(crate) async fn add_test(
    store: &dyn Store,
    domain: &str,
    priority: i64,
    queue: i64,
    extra: Value,
) -> String {
    let now = chrono::Utc::now();
    let (id, is_new) = store
        .create_test(&new_test(domain, priority, queue, extra), now)
        .await
        .unwrap();
    assert!(is_new);
    id
}

fn new_test(domain: &str, priority: i64, queue: i64, extra: Value) -> NewTest {
    let mut params = json!({"domain": domain, "ipv4": true, "ipv6": true, "profile": "default",
                            "priority": priority, "queue": queue, "nameservers": [], "ds_info": []});
    if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
        params.extend(extra);
    }
    NewTest {
        hash_id: format!("{:016x}", rand::random::<u64>()),
        domain: domain.to_owned(),
        fingerprint: format!("{:032x}", rand::random::<u128>()),
        params: params.to_string(),
        undelegated: false,
        priority,
        queue,
        created_at: chrono::Utc::now(),
    }
}

/// Options for an in-process agent: fast polling and heartbeats.
pub(crate) fn options(config: &BackendConfig, runner: Arc<dyn TestRunner>) -> AgentOptions {
    let mut options =
        AgentOptions::new(config, runner).with_heartbeat_interval(Duration::from_millis(200));
    options.polling_interval = Duration::from_millis(50);
    options
}

/// An agent running in this process until [`InProcess::stop`].
pub(crate) struct InProcess {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<Result<(), AgentError>>,
}

impl InProcess {
    pub(crate) fn start(options: AgentOptions, store: Arc<dyn Store>) -> Self {
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let handle = tokio::spawn(agent::run(options, store, shutdown));
        Self { stop, handle }
    }

    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        self.handle.await.unwrap().unwrap();
    }
}

/// Polls `check` until it holds. The limit only keeps a broken agent from
/// hanging the suite; nothing is asserted about speed.
pub(crate) async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let limit = Instant::now() + Duration::from_secs(180);
    while !check().await {
        assert!(Instant::now() < limit, "gave up waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A scratch database on `engine`, a config allowing `frontend` and
/// `batch` processes, and a migrated store on the database.
pub(crate) async fn with_processes(
    engine: DbEngine,
    frontend: u32,
    batch: u32,
) -> (Scratch, BackendConfig, Arc<dyn Store>) {
    let db = scratch(engine);
    let mut config = db.config.clone();
    config.zonemaster.number_of_processes_for_frontend_testing = frontend;
    config.zonemaster.number_of_processes_for_batch_testing = batch;
    let store = open(&config).await;
    (db, config, store)
}

pub(crate) async fn row(store: &dyn Store, id: &str) -> TestRow {
    store.test(id).await.unwrap().unwrap()
}

/// Asserts the (state, progress, attempts) of test `id`; returns its row.
async fn assert_row(store: &dyn Store, id: &str, expected: (TestState, u8, u32)) -> TestRow {
    let test = row(store, id).await;
    let found = (test.state, test.progress, test.attempts);
    assert_eq!(found, expected, "{id}");
    test
}

async fn is_finished(store: &dyn Store, ids: &[String]) -> bool {
    for id in ids {
        if !row(store, id).await.state.is_finished() {
            return false;
        }
    }
    true
}

fn tags(entries: &[ResultEntry]) -> Vec<&str> {
    entries.iter().map(|entry| entry.tag.as_str()).collect()
}

// ---- a scripted runner ---------------------------------------------------

/// Stands in for the engine. By domain: `panic…` panics, `hang…` never
/// returns, `gated…`
/// reports half its progress and waits for [`Script::open_gate`], anything
/// else returns at once. Every run returns [`script_entries`].
#[derive(Default)]
pub(crate) struct Script {
    /// Test ids in the order runs started.
    started: Mutex<Vec<String>>,
    /// Runs in progress now, and the most ever.
    current: AtomicUsize,
    most: AtomicUsize,
    /// Opened once, for every gated run.
    gate: GateCell,
}

/// A gate that opens once.
struct GateCell(watch::Sender<bool>);

impl Default for GateCell {
    fn default() -> Self {
        Self(watch::channel(false).0)
    }
}

impl Script {
    fn open_gate(&self) {
        let _ = self.gate.0.send(true);
    }

    pub(crate) fn started(&self) -> Vec<String> {
        self.started.lock().unwrap().clone()
    }

    /// How many times each test ran.
    pub(crate) fn run_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for id in self.started() {
            *counts.entry(id).or_insert(0) += 1;
        }
        counts
    }
}

/// Decrements the running count when a run ends, even by abort.
struct Leaving<'a>(&'a AtomicUsize);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub(crate) fn script_entries() -> Vec<ResultEntry> {
    (1..=3)
        .map(|n| ResultEntry {
            level: n,
            module: "Basic".to_owned(),
            testcase: "Basic01".to_owned(),
            tag: format!("SCRIPTED_{n}"),
            timestamp: 0.25,
            args: Map::from_iter([("n".to_owned(), Value::from(n))]),
        })
        .collect()
}

#[async_trait]
impl TestRunner for Script {
    async fn run(&self, test: &ClaimedTest, progress: ProgressSink) -> Result<RunReport, RunError> {
        self.started.lock().unwrap().push(test.hash_id.clone());
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        let _leaving = Leaving(&self.current);
        if test.domain.starts_with("panic") {
            panic!("scripted engine crash");
        }
        if test.domain.starts_with("hang") {
            std::future::pending::<()>().await;
        }
        if test.domain.starts_with("gated") {
            progress.plan(4);
            progress.step_done();
            progress.step_done();
            let _ = self.gate.0.subscribe().wait_for(|is_open| *is_open).await;
        }
        tokio::task::yield_now().await;
        Ok(script_entries().into())
    }
}

// ---- several agents, one database ------------------------------------------

/// Two agents, each with its own pool, share `count` tests: every test runs
/// once and is completed once with its entries stored once.
async fn two_agents_run_each_test_once(engine: DbEngine, count: usize) {
    let db = scratch(engine);
    let (first, second) = (open(&db.config).await, open(&db.config).await);
    let mut ids = Vec::new();
    for n in 0..count {
        ids.push(add_test(&*first, &format!("d{n}.example"), 10, 0, json!({})).await);
    }
    let script = Arc::new(Script::default());
    let agents = [
        InProcess::start(options(&db.config, script.clone()), Arc::clone(&first)),
        InProcess::start(options(&db.config, script.clone()), Arc::clone(&second)),
    ];
    wait_until("every test to finish", || is_finished(&*first, &ids)).await;
    for agent in agents {
        agent.stop().await;
    }

    let counts = script.run_counts();
    assert_eq!(counts.len(), count);
    assert!(
        counts.values().all(|runs| *runs == 1),
        "a test ran twice: {counts:?}"
    );
    let mut owners = BTreeMap::new();
    for id in &ids {
        let test = assert_row(&*first, id, (TestState::Completed, 100, 1)).await;
        *owners.entry(test.agent.unwrap()).or_insert(0) += 1;
        assert_eq!(first.results(id).await.unwrap(), script_entries(), "{id}");
    }
    assert!(owners.len() <= 2, "{owners:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_agents_on_postgresql_run_500_tests_exactly_once() {
    two_agents_run_each_test_once(DbEngine::Postgresql, 500).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_agents_on_mariadb_run_500_tests_exactly_once() {
    two_agents_run_each_test_once(DbEngine::Mysql, 500).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_agents_on_sqlite_run_200_tests_exactly_once() {
    two_agents_run_each_test_once(DbEngine::Sqlite, 200).await;
}

/// Tests that never finish, two agents: each gets exactly one
/// `UNABLE_TO_FINISH_TEST`, whoever notices first (the owner's deadline or
/// either reaper).
async fn overdue_tests_get_one_entry(engine: DbEngine) {
    let db = scratch(engine);
    let mut config = db.config.clone();
    config.zonemaster.max_zonemaster_execution_time = 1;
    let (first, second) = (open(&config).await, open(&config).await);
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(add_test(&*first, &format!("hang{n}.example"), 10, 0, json!({})).await);
    }
    let script = Arc::new(Script::default());
    let agents = [
        InProcess::start(options(&config, script.clone()), Arc::clone(&first)),
        InProcess::start(options(&config, script.clone()), Arc::clone(&second)),
    ];
    wait_until("every test to be ended", || is_finished(&*first, &ids)).await;
    for agent in agents {
        agent.stop().await;
    }
    for id in &ids {
        let test = row(&*first, id).await;
        assert_eq!(test.state, TestState::Failed, "{id}");
        let entries = first.results(id).await.unwrap();
        assert_eq!(tags(&entries), ["UNABLE_TO_FINISH_TEST"], "{id}");
        let entry = &entries[0];
        assert_eq!(
            (entry.level, entry.module.as_str(), entry.testcase.as_str()),
            (5, "Backend", "")
        );
        assert_eq!(entry.args.get("max_execution_time"), Some(&json!(1)));
    }
    assert_eq!(
        script.current.load(Ordering::SeqCst),
        0,
        "an overdue run was left behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overdue_tests_get_exactly_one_unable_to_finish_on_postgresql() {
    overdue_tests_get_one_entry(DbEngine::Postgresql).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overdue_tests_get_exactly_one_unable_to_finish_on_mariadb() {
    overdue_tests_get_one_entry(DbEngine::Mysql).await;
}

// ---- one agent -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_more_tests_run_at_once_than_the_configured_processes() {
    let (_db, config, store) = with_processes(DbEngine::Sqlite, 2, 1).await;
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(add_test(&*store, &format!("gated{n}.example"), 10, 0, json!({})).await);
    }
    let script = Arc::new(Script::default());
    let agent = InProcess::start(options(&config, script.clone()), Arc::clone(&store));
    wait_until("three runs", || async { script.started().len() >= 3 }).await;
    let counts: BTreeMap<TestState, u64> =
        store.queue_counts().await.unwrap().into_iter().collect();
    assert_eq!(counts.get(&TestState::Running), Some(&3));
    assert_eq!(counts.get(&TestState::Waiting), Some(&9));
    script.open_gate();
    wait_until("every test to finish", || is_finished(&*store, &ids)).await;
    agent.stop().await;
    assert_eq!(script.most.load(Ordering::SeqCst), 3);
    assert_eq!(script.started().len(), 12);
}

/// Issue 15: an agent with nothing to do still heartbeats, so the queue
/// overview (`queue_status`) lists it, running nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_idle_agent_appears_in_the_queue_overview() {
    let (_db, config, store) = with_processes(DbEngine::Sqlite, 1, 1).await;
    let before = store.queue_overview(50, chrono::Utc::now()).await.unwrap();
    assert!(before.agents.is_empty());
    let script = Arc::new(Script::default());
    let agent = InProcess::start(options(&config, script.clone()), Arc::clone(&store));
    wait_until("the agent's heartbeat", || async {
        let overview = store.queue_overview(50, chrono::Utc::now()).await.unwrap();
        !overview.agents.is_empty()
    })
    .await;
    let overview = store.queue_overview(50, chrono::Utc::now()).await.unwrap();
    agent.stop().await;
    assert_eq!(overview.agents.len(), 1);
    assert_eq!(overview.agents[0].running, 0);
    assert!(
        overview.agents[0].name.starts_with("zm-agent@"),
        "{overview:?}"
    );
    assert!(script.started().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agent_serves_only_its_queue_by_priority_then_age() {
    let (_db, mut config, store) = with_processes(DbEngine::Sqlite, 1, 0).await;
    config.zonemaster.lock_on_queue = 1;
    let other_queue = add_test(&*store, "q0.example", 20, 0, json!({})).await;
    let low = add_test(&*store, "low.example", 5, 1, json!({})).await;
    let high_old = add_test(&*store, "high-old.example", 10, 1, json!({})).await;
    let high_new = add_test(&*store, "high-new.example", 10, 1, json!({})).await;
    let script = Arc::new(Script::default());
    let agent = InProcess::start(options(&config, script.clone()), Arc::clone(&store));
    let mine = [low.clone(), high_old.clone(), high_new.clone()];
    wait_until("queue 1 to be done", || is_finished(&*store, &mine)).await;
    agent.stop().await;
    assert_eq!(script.started(), [high_old, high_new, low]);
    assert_eq!(row(&*store, &other_queue).await.state, TestState::Waiting);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agent_of_queue_n_reaps_only_queue_n() {
    let db = scratch(DbEngine::Sqlite);
    let store = open(&db.config).await;
    // Silent for a minute: dead (heartbeats every 0.2 s), not overdue (600 s).
    let minute_ago = chrono::Utc::now() - chrono::Duration::minutes(1);
    let mut orphans = Vec::new();
    for queue in [0, 1] {
        add_test(
            &*store,
            &format!("orphan{queue}.example"),
            10,
            queue,
            json!({}),
        )
        .await;
        let claimed = store
            .claim(queue, "vanished-agent", minute_ago)
            .await
            .unwrap()
            .unwrap();
        orphans.push(claimed.hash_id);
    }
    let script = Arc::new(Script::default());
    let mut config = db.config.clone();
    config.zonemaster.lock_on_queue = 1;
    let agent = InProcess::start(options(&config, script.clone()), Arc::clone(&store));
    wait_until("queue 1's orphan to run again", || {
        is_finished(&*store, &orphans[1..])
    })
    .await;
    agent.stop().await;
    let queue0 = row(&*store, &orphans[0]).await;
    assert_eq!(
        (queue0.state, queue0.agent.as_deref()),
        (TestState::Running, Some("vanished-agent"))
    );

    config.zonemaster.lock_on_queue = 0;
    let agent = InProcess::start(options(&config, script.clone()), Arc::clone(&store));
    wait_until("queue 0's orphan to run again", || {
        is_finished(&*store, &orphans[..1])
    })
    .await;
    agent.stop().await;
    for id in &orphans {
        let test = row(&*store, id).await;
        assert_eq!(
            (test.state, test.attempts),
            (TestState::Completed, 2),
            "{id}"
        );
        assert_eq!(store.results(id).await.unwrap(), script_entries());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn progress_is_written_for_interactive_tests_and_not_for_batch_tests() {
    let db = scratch(DbEngine::Sqlite);
    let store = open(&db.config).await;
    let interactive = add_test(&*store, "gated-single.example", 10, 0, json!({})).await;
    store.add_user("robot", "sha256:00").await.unwrap();
    let batch = store
        .create_batch(
            "robot",
            &[new_test("gated-batch.example", 5, 0, json!({}))],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let batch_test = store.batch_status(batch).await.unwrap().unwrap().waiting[0].clone();
    let script = Arc::new(Script::default());
    let agent = InProcess::start(options(&db.config, script.clone()), Arc::clone(&store));
    // The gated runs planned 4 steps and finished 2 of them.
    wait_until("50 %", || async {
        store.progress(&interactive).await.unwrap() == Some(50)
    })
    .await;
    wait_until("both runs", || async { script.started().len() == 2 }).await;
    assert_eq!(store.progress(&batch_test).await.unwrap(), Some(1));
    script.open_gate();
    let both = [interactive, batch_test];
    wait_until("both tests to finish", || is_finished(&*store, &both)).await;
    agent.stop().await;
    for id in &both {
        assert_eq!(store.progress(id).await.unwrap(), Some(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_stops_claiming_finishes_what_it_can_and_requeues_the_rest() {
    let (_db, config, store) = with_processes(DbEngine::Postgresql, 4, 0).await;
    let finishing = [
        add_test(&*store, "gated1.example", 10, 0, json!({})).await,
        add_test(&*store, "gated2.example", 10, 0, json!({})).await,
    ];
    let stuck = [
        add_test(&*store, "hang1.example", 10, 0, json!({})).await,
        add_test(&*store, "hang2.example", 10, 0, json!({})).await,
    ];
    let script = Arc::new(Script::default());
    let mut agent_options = options(&config, script.clone());
    agent_options.grace = Duration::from_secs(5);
    let agent = InProcess::start(agent_options, Arc::clone(&store));
    wait_until("four runs", || async { script.started().len() == 4 }).await;
    let late = add_test(&*store, "late.example", 10, 0, json!({})).await;
    let _ = agent.stop.send(());
    // Inside the grace period: two runs end, freeing slots that must stay
    // unused.
    script.open_gate();
    agent.handle.await.unwrap().unwrap();

    for id in &finishing {
        assert_eq!(row(&*store, id).await.state, TestState::Completed, "{id}");
        assert_eq!(store.results(id).await.unwrap(), script_entries());
    }
    for id in &stuck {
        let test = row(&*store, id).await;
        assert_eq!(
            (test.state, test.progress, test.started_at, test.attempts),
            (TestState::Waiting, 0, None, 0),
            "{id}"
        );
        assert!(store.results(id).await.unwrap().is_empty());
    }
    assert_eq!(row(&*store, &late).await.state, TestState::Waiting);
    assert!(!script.started().contains(&late));
    assert_eq!(script.current.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_agent_survives_losing_its_database_connections() {
    let db = scratch(DbEngine::Postgresql);
    let store = open(&db.config).await;
    let script = Arc::new(Script::default());
    let agent = InProcess::start(options(&db.config, script.clone()), Arc::clone(&store));
    let before = [add_test(&*store, "before.example", 10, 0, json!({})).await];
    wait_until("the first test", || is_finished(&*store, &before)).await;
    // Every connection to the database is cut, the agent's and ours.
    let cut = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "root", "-d", "postgres", "-tAc"])
        .arg(format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{}'",
            db.name
        ))
        .output()
        .unwrap();
    assert!(cut.status.success(), "{cut:?}");
    let cut_count: u32 = String::from_utf8_lossy(&cut.stdout).trim().parse().unwrap();
    assert!(cut_count > 0, "no connection was cut");
    let after = [add_test(&*store, "after.example", 10, 0, json!({})).await];
    wait_until("a test after the outage", || is_finished(&*store, &after)).await;
    agent.stop().await;
    assert_eq!(row(&*store, &after[0]).await.state, TestState::Completed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_agent_sends_its_statsd_metrics() {
    let server = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let db = scratch(DbEngine::Sqlite);
    let mut config = db.config.clone();
    config.metrics.statsd_host = Some("127.0.0.1".to_owned());
    config.metrics.statsd_port = server.local_addr().unwrap().port();
    let store = open(&config).await;
    let tests = [
        add_test(&*store, "fine.example", 10, 0, json!({})).await,
        add_test(&*store, "panic.example", 10, 0, json!({})).await,
    ];
    let script = Arc::new(Script::default());
    let mut agent_options = options(&config, script.clone());
    agent_options.metrics = Metrics::from_config(&config.metrics).unwrap();
    let agent = InProcess::start(agent_options, Arc::clone(&store));
    wait_until("both tests", || is_finished(&*store, &tests)).await;
    let died = row(&*store, &tests[1]).await;
    assert_eq!(died.state, TestState::Failed);
    assert!(died.reason.unwrap().contains("scripted engine crash"));
    let expected = [
        "zonemaster.testagent.tests_started:1|c",
        "zonemaster.testagent.tests_completed:1|c",
        "zonemaster.testagent.tests_died:1|c",
        "zonemaster.testagent.tests_duration_seconds:",
        "zonemaster.testagent.cleanup_duration_seconds:",
        "zonemaster.testagent.fetchtests_duration_seconds:",
        "zonemaster.testagent.running_processes:",
        "zonemaster.testagent.maximum_processes:40|g",
    ];
    let mut seen: Vec<String> = Vec::new();
    let mut buffer = [0u8; 1500];
    while !expected
        .iter()
        .all(|key| seen.iter().any(|line| line.starts_with(key)))
    {
        let received =
            tokio::time::timeout(Duration::from_secs(60), server.recv(&mut buffer)).await;
        let length = received.expect("a StatsD datagram").unwrap();
        let text = String::from_utf8_lossy(&buffer[..length]).into_owned();
        seen.extend(text.lines().map(str::to_owned));
    }
    agent.stop().await;
}

// ---- the real engine, in the fixture world ---------------------------------------

/// The fixture world's root hints.
fn fixture_hints() -> PathBuf {
    fixture_world().join("hints.zone")
}

#[test]
fn the_engine_runs_delegated_and_undelegated_tests_and_unknown_profiles_die() {
    let db = scratch(DbEngine::Postgresql);
    let ini = world_ini(&db, "0.05");
    in_world(&fixture_world(), None, &[], move || async move {
        let config = BackendConfig::parse(&ini, "agent.ini").unwrap();
        let store = open(&config).await;
        let delegated = add_test(&*store, "good.test", 10, 0, json!({})).await;
        let undelegated = add_test(
            &*store,
            "good.test",
            10,
            0,
            json!({"nameservers": [{"ns": "ns2.good.test", "ip": "127.53.2.2"}]}),
        )
        .await;
        let unknown = add_test(&*store, "good.test", 10, 0, json!({"profile": "nope"})).await;
        // Issue 8, point 5: an RFC 2317 name runs like any other.
        let classless = add_test(&*store, "0/25.rev.test", 10, 0, json!({})).await;
        // Issue 8, point 1: no answer from the given servers is no verdict.
        let unanswered = add_test(
            &*store,
            "good.test",
            10,
            0,
            json!({"nameservers": [{"ns": "ns9.good.test", "ip": "127.53.99.9"}]}),
        )
        .await;
        let runner = EngineRunner::from_config(&config, ProfileSet::builtin()).unwrap();
        let agent = InProcess::start(options(&config, Arc::new(runner)), Arc::clone(&store));
        let all = [
            delegated.clone(),
            undelegated.clone(),
            unknown.clone(),
            classless.clone(),
            unanswered.clone(),
        ];
        wait_until("the engine runs", || is_finished(&*store, &all)).await;
        agent.stop().await;

        let entries = store.results(&delegated).await.unwrap();
        for expected in ["B01_CHILD_FOUND", "B02_AUTH_RESPONSE_SOA"] {
            assert!(
                tags(&entries).contains(&expected),
                "{expected} missing: {:?}",
                tags(&entries)
            );
        }
        assert!(entries.iter().all(|entry| (1..=5).contains(&entry.level)));
        let done = row(&*store, &delegated).await;
        assert_eq!(done.state, TestState::Completed);
        let tally = done
            .testcases
            .expect("a completed run says what it covered");
        // Basic01, Basic02, Address01, Address02, Connectivity01-04,
        // Consistency01-06, Delegation01-07, Nameserver01-13 and 15, the
        // eight Syntax and the eleven Zone test cases.
        assert_eq!((tally.ran, tally.enabled), (56, 73));

        let entries = store.results(&undelegated).await.unwrap();
        let soa = entries
            .iter()
            .find(|entry| entry.tag == "B02_AUTH_RESPONSE_SOA")
            .expect("SOA found");
        assert_eq!(
            soa.args.get("ns_list"),
            Some(&json!("ns2.good.test/127.53.2.2"))
        );

        let died = row(&*store, &unknown).await;
        assert_eq!(died.state, TestState::Failed);
        assert!(died.reason.unwrap().contains("profile `nope`"));
        assert_eq!(tags(&store.results(&unknown).await.unwrap()), ["TEST_DIED"]);

        assert_eq!(row(&*store, &classless).await.state, TestState::Completed);
        let entries = store.results(&classless).await.unwrap();
        let found = entries
            .iter()
            .find(|entry| entry.tag == "B01_CHILD_FOUND")
            .expect("the classless zone is found");
        assert_eq!(found.args.get("domain"), Some(&json!("0/25.rev.test")));

        let failed = row(&*store, &unanswered).await;
        assert_eq!(failed.state, TestState::Failed);
        let reason = failed.reason.unwrap();
        assert!(
            reason.contains("no name server answered") && reason.contains("127.53.99.9"),
            "{reason}"
        );
        let stored = store.results(&unanswered).await.unwrap();
        assert_eq!(tags(&stored), ["TEST_DIED"], "no verdict is stored");
    });
}

/// A `zm-agent` process on `config_file`, logging to a file next to it.
fn spawn_agent(config_file: &Path, extra: &[&str]) -> Child {
    let log = config_file.with_extension(format!("{:08x}.log", rand::random::<u32>()));
    Command::new(env!("CARGO_BIN_EXE_zm-agent"))
        .args([
            "--config",
            &config_file.display().to_string(),
            "--logfile",
            &log.display().to_string(),
        ])
        .args(["--heartbeat-interval", "0.5"])
        .args(extra)
        .stdin(Stdio::null())
        .spawn()
        .expect("zm-agent starts")
}

fn terminate(child: &mut Child) -> ExitStatus {
    let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
    kill(pid, Signal::SIGTERM).unwrap();
    child.wait().unwrap()
}

/// A config for the fixture world (its root hints), reaching `db` through
/// its socket and polling every `polling` seconds.
fn world_ini(db: &Scratch, polling: &str) -> String {
    format!(
        "{}[ZONEMASTER]\nroot_hints = {}\n",
        db.ini(&format!("polling_interval = {polling}"), true),
        fixture_hints().display()
    )
}

/// Runs `body` inside the fixture world with a config file for agent
/// processes (a fresh PostgreSQL database reached through its socket) and
/// a migrated store on that database.
fn with_world_agents<F, Fut>(body: F)
where
    F: FnOnce(PathBuf, Arc<dyn Store>) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let db = scratch(DbEngine::Postgresql);
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("backend_config.ini");
    std::fs::write(&config_file, world_ini(&db, "0.1")).unwrap();
    in_world(&fixture_world(), None, &[], move || async move {
        let config = BackendConfig::from_file(&config_file).unwrap();
        let store = open(&config).await;
        body(config_file, store).await;
    });
}

async fn running_attempt(store: &dyn Store, id: &str, attempt: u32) -> bool {
    let test = row(store, id).await;
    test.state == TestState::Running && test.attempts == attempt
}

#[test]
fn a_killed_agent_s_test_is_requeued_once_then_fails_with_test_died() {
    with_world_agents(|config_file, store| async move {
        // silent.test's server drops every query: the run takes long.
        let id = add_test(&*store, "silent.test", 10, 0, json!({})).await;

        let mut first = spawn_agent(&config_file, &[]);
        wait_until("the first claim", || running_attempt(&*store, &id, 1)).await;
        first.kill().unwrap();
        first.wait().unwrap();

        let mut second = spawn_agent(&config_file, &[]);
        wait_until("re-queued and claimed again", || {
            running_attempt(&*store, &id, 2)
        })
        .await;
        second.kill().unwrap();
        second.wait().unwrap();

        let mut third = spawn_agent(&config_file, &[]);
        wait_until("the test to be failed", || {
            is_finished(&*store, std::slice::from_ref(&id))
        })
        .await;
        assert!(terminate(&mut third).success());

        let test = row(&*store, &id).await;
        assert_eq!(test.state, TestState::Failed);
        assert!(test.reason.unwrap().contains("stopped heart-beating"));
        assert_eq!(tags(&store.results(&id).await.unwrap()), ["TEST_DIED"]);
    });
}

#[test]
fn zm_agent_exits_0_on_sigterm_keeping_finished_results_and_requeueing_the_rest() {
    with_world_agents(|config_file, store| async move {
        let quick = add_test(&*store, "good.test", 10, 0, json!({})).await;
        let slow = [
            add_test(&*store, "silent.test", 5, 0, json!({})).await,
            add_test(&*store, "silent.test", 5, 0, json!({"ipv6": false})).await,
        ];
        let pidfile = config_file.with_extension("pid");
        let mut agent = spawn_agent(
            &config_file,
            &["--grace", "1", "--pidfile", &pidfile.display().to_string()],
        );
        wait_until("the quick test", || {
            is_finished(&*store, std::slice::from_ref(&quick))
        })
        .await;
        for id in &slow {
            wait_until("the slow tests to run", || running_attempt(&*store, id, 1)).await;
        }
        let pid: u32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(pid, agent.id());
        assert!(terminate(&mut agent).success());
        assert!(!pidfile.exists());

        assert_eq!(row(&*store, &quick).await.state, TestState::Completed);
        assert!(!store.results(&quick).await.unwrap().is_empty());
        for id in &slow {
            assert_row(&*store, id, (TestState::Waiting, 0, 0)).await;
            assert!(store.results(id).await.unwrap().is_empty());
        }
    });
}

/// The pid a pid file holds, if any.
fn pid_in(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Issue 4/13, point 14: a second agent on the same pid file overwrote it,
/// and the first one's exit then deleted it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pid_file_admits_one_agent_and_goes_only_with_it() {
    let db = scratch(DbEngine::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("backend_config.ini");
    std::fs::write(&config_file, db.ini("polling_interval = 0.1", false)).unwrap();
    open(&BackendConfig::from_file(&config_file).unwrap()).await;
    let pidfile = dir.path().join("zm-agent.pid");
    let pid_arg = pidfile.display().to_string();
    let refused = |expected: u32| {
        let output = Command::new(env!("CARGO_BIN_EXE_zm-agent"))
            .args(["--config", &config_file.display().to_string()])
            .args(["--pidfile", &pid_arg])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        let says = format!("names process {expected}, which is running");
        assert!(stderr.contains(&says), "{stderr}");
        assert_eq!(pid_in(&pidfile), Some(expected), "left alone");
    };

    // A file naming a live process (this test) refuses the start.
    std::fs::write(&pidfile, format!("{}\n", std::process::id())).unwrap();
    refused(std::process::id());

    // A stale one (its process is gone) is replaced.
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    std::fs::write(&pidfile, format!("{}\n", gone.id())).unwrap();
    let mut first = spawn_agent(&config_file, &["--pidfile", &pid_arg]);
    wait_until("the first agent's pid", || async {
        pid_in(&pidfile) == Some(first.id())
    })
    .await;
    // A second agent on the same file is refused and changes nothing.
    refused(first.id());
    assert!(terminate(&mut first).success());
    assert!(!pidfile.exists(), "the first agent removes its own file");

    // A file that names someone else by the time we stop stays.
    let mut second = spawn_agent(&config_file, &["--pidfile", &pid_arg]);
    wait_until("the second agent's pid", || async {
        pid_in(&pidfile) == Some(second.id())
    })
    .await;
    std::fs::write(&pidfile, "1\n").unwrap();
    assert!(terminate(&mut second).success());
    assert_eq!(pid_in(&pidfile), Some(1));
}

#[test]
fn zm_agent_aborts_startup_on_a_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.ini");
    std::fs::write(
        &file,
        "[DB]\nengine = SQLite\n[SQLITE]\ndatabase_file = /nonexistent/dir/z.sqlite\n[NOPE]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_zm-agent"))
        .args(["--config", &file.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("zm-agent: Aborting startup: "),
        "{stderr}"
    );
    assert!(stderr.contains("NOPE"), "{stderr}");

    let output = Command::new(env!("CARGO_BIN_EXE_zm-agent"))
        .arg("start")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("foreground"));
}

// ---- the shipped example configuration -------------------------------------------

fn example_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("etc/backend_config.ini")
}

#[test]
fn the_example_configuration_holds_every_default() {
    let mut config = BackendConfig::from_file(&example_config()).unwrap();
    let defaults = BackendConfig::default();
    // The one deliberate difference: a service set up from the shipped file
    // refuses special-purpose addresses; an unset key behaves as the
    // reference (docs/abuse-limits.md).
    assert!(!config.zonemaster.allow_private_addresses);
    assert!(defaults.zonemaster.allow_private_addresses);
    config.zonemaster.allow_private_addresses = true;
    assert_eq!(config.db.engine, DbEngine::Sqlite);
    assert_eq!(config.db.polling_interval, defaults.db.polling_interval);
    assert_eq!(config.zonemaster, defaults.zonemaster);
    assert_eq!(config.rpcapi, defaults.rpcapi);
    assert_eq!(config.metrics, defaults.metrics);
    assert_eq!(config.profiles, defaults.profiles);
    assert_eq!((config.mysql.port, config.postgresql.port), (3306, 5432));
    assert_eq!(config.language.locales.len(), 8);
}

#[test]
fn the_example_configuration_accepts_root_hints() {
    let text = std::fs::read_to_string(example_config()).unwrap();
    let hints = fixture_hints();
    let line = format!("root_hints = {}", hints.display());
    let text = text.replace("#root_hints = /etc/zonemaster/root_hints.zone", &line);
    assert!(text.contains(&line));
    let config = BackendConfig::parse(&text, "backend_config.ini").unwrap();
    assert_eq!(config.zonemaster.root_hints, Some(hints));
    assert!(EngineRunner::from_config(&config, ProfileSet::builtin()).is_ok());
}
