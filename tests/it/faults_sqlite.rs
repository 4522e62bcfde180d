//! Issue 16 (2): the SQLite file read-only, and its disk full. Clients get
//! the documented JSON-RPC error, the agent logs why it cannot claim, the
//! file passes `PRAGMA integrity_check`, and both daemons carry on by
//! themselves once the condition clears.
//!
//! We run as root, for whom permission bits mean nothing, and a read-only
//! remount is refused while files are open for writing. So the read-only
//! file is an immutable one (`chattr +i`): found so when the daemons
//! start, and made so while they have it open and write to it (ext4
//! refuses writes through descriptors opened before). Only the database
//! file: its shared-memory index is mapped, and a mapped page of an
//! immutable file faults (SIGBUS). The full disk is a small tmpfs filled
//! up under the daemons, with the room the write-ahead log already has
//! used up too.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde_json::json;
use sqlx::Connection;

use crate::daemons::{Daemon, binary, rpc_answer, start_rpcapi};
use crate::netns::{fixture_world, in_world};

/// A configuration for SQLite file `file`, with the fixture world.
fn write_config(dir: &Path, file: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = dir.join("backend_config.ini");
    let text = format!(
        "[DB]\nengine = SQLite\npolling_interval = 0.05\n[SQLITE]\ndatabase_file = {}\n\
         [ZONEMASTER]\nroot_hints = {}\n[PUBLIC PROFILES]\ndefault = {}\n",
        file.display(),
        fixture_world().join("hints.zone").display(),
        root.join("tests/fixtures/profile-fast.json").display(),
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `zm-agent` with its log lines collected.
fn start_agent_logged(config: &Path) -> (Daemon, Arc<Mutex<Vec<String>>>) {
    let mut child = Command::new(binary("zm-agent"))
        .args(["--config", &config.display().to_string()])
        .args(["--loglevel", "warning"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    (Daemon { child }, lines)
}

/// Calls `start_domain_test`: the test id, or the error's `data.reason`.
async fn submit(url: &str, domain: &str) -> Result<String, String> {
    let answer = rpc_answer(url, "start_domain_test", json!({"domain": domain})).await;
    match answer["result"].as_str() {
        Some(id) => Ok(id.to_owned()),
        None => {
            assert_eq!(answer["error"]["code"], -32603, "{answer}");
            assert_eq!(answer["error"]["data"]["retry"], true, "{answer}");
            Err(answer["error"]["data"]["reason"]
                .as_str()
                .unwrap_or("")
                .to_owned())
        }
    }
}

/// The `state` of test `id`, through the API.
async fn progress(url: &str, id: &str) -> u64 {
    let answer = rpc_answer(url, "test_progress", json!({"test_id": id})).await;
    answer["result"].as_u64().unwrap_or(0)
}

/// Waits until every test of `ids` is at 100 %.
async fn wait_finished(url: &str, ids: &[String]) {
    let started = Instant::now();
    for id in ids {
        while progress(url, id).await < 100 {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{id} never ended"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Waits until one of `lines` contains all of `parts`.
async fn wait_for_line(lines: &Mutex<Vec<String>>, parts: &[&str]) {
    let started = Instant::now();
    loop {
        let found = lines
            .lock()
            .unwrap()
            .iter()
            .any(|line| parts.iter().all(|part| line.contains(part)));
        if found {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no log line with {parts:?}: {:?}",
            lines.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `PRAGMA integrity_check` of `file`, and `(state, attempts)` of each test.
async fn check_file(file: &Path) -> (String, Vec<(String, i64)>) {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let tests: Vec<(String, i64)> = sqlx::query_as("SELECT state, attempts FROM test_results")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    (verdict, tests)
}

/// Every test completed, claimed once.
fn assert_all_completed_once(tests: &[(String, i64)]) {
    assert!(!tests.is_empty());
    for test in tests {
        assert_eq!((test.0.as_str(), test.1), ("completed", 1), "{tests:?}");
    }
}

/// Both daemons survived the fault: still running, they stop cleanly,
/// the file passes its integrity check and every test in it completed,
/// claimed once. The tests stored.
async fn assert_survived(mut api: Daemon, mut agent: Daemon, file: &Path) -> Vec<(String, i64)> {
    assert!(api.child.try_wait().unwrap().is_none(), "zm-rpcapi died");
    assert!(agent.child.try_wait().unwrap().is_none(), "zm-agent died");
    assert!(agent.stop_with(Signal::SIGTERM).success());
    assert!(api.stop_with(Signal::SIGTERM).success());
    let (verdict, tests) = check_file(file).await;
    assert_eq!(verdict, "ok");
    assert_all_completed_once(&tests);
    tests
}

/// Sets or clears the immutable attribute of `file`; cleared when dropped.
struct Immutable(PathBuf);

impl Immutable {
    fn set(file: &Path) -> Self {
        let status = Command::new("chattr").arg("+i").arg(file).status().unwrap();
        assert!(status.success(), "chattr +i {}", file.display());
        Self(file.to_path_buf())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_sqlite_file_is_reported_and_writable_again_without_a_restart() {
    in_world(&fixture_world(), None, &[], || async {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("zm.sqlite");
        let config = write_config(dir.path(), &file);
        // Make the schema, then stop: the daemons find the file read-only.
        let (api, _) = start_rpcapi(&config);
        assert!(api.stop_with(Signal::SIGTERM).success());
        let immutable = Immutable::set(&file);

        let (api, url) = start_rpcapi(&config);
        let (agent, log) = start_agent_logged(&config);
        let refused = submit(&url, "good.test").await;
        assert_eq!(refused, Err("database is read-only".to_owned()));
        wait_for_line(
            &log,
            &["cannot claim a test", "reason=database is read-only"],
        )
        .await;

        drop(immutable);
        let id = submit(&url, "good.test").await.expect("writable again");
        let more = submit(&url, "lame.test").await.expect("still writable");
        wait_finished(&url, &[id, more]).await;
        assert_survived(api, agent, &file).await;
    });
}

/// Issue 16: the file made read-only while both daemons have it open.
/// The write-ahead log would take writes all the same (its descriptor is
/// open and it is not immutable); the store finds the file read-only
/// before each write and says so instead, reads still answer, and once
/// the file is writable again every test accepted runs, once.
#[test]
fn a_sqlite_file_made_read_only_under_the_daemons_is_reported_and_survived() {
    in_world(&fixture_world(), None, &[], || async {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("zm.sqlite");
        let config = write_config(dir.path(), &file);
        let (api, url) = start_rpcapi(&config);
        let (agent, log) = start_agent_logged(&config);
        let mut ids = vec![submit(&url, "good.test").await.unwrap()];
        wait_finished(&url, &ids).await;

        let immutable = Immutable::set(&file);
        let refused = submit(&url, "lame.test").await;
        assert_eq!(refused, Err("database is read-only".to_owned()));
        wait_for_line(&log, &["reason=database is read-only"]).await;
        assert_eq!(progress(&url, &ids[0]).await, 100, "reads answer");

        drop(immutable);
        ids.push(submit(&url, "lame.test").await.expect("writable again"));
        ids.push(submit(&url, "n1.good.test").await.expect("still writable"));
        wait_finished(&url, &ids).await;
        let tests = assert_survived(api, agent, &file).await;
        assert_eq!(
            tests.len(),
            ids.len(),
            "a refused test was stored: {tests:?}"
        );
    });
}

/// A tmpfs of `size` mounted on a temp directory; unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(
            status.success(),
            "cannot mount a tmpfs: the tests run as root"
        );
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk with `filler`, to the last byte.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut out = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while out.write_all(&block).is_ok() {}
        let _ = out.write_all(&[0]);
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazy: a daemon left behind by a failed test may hold a file.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Our own small writes into the SQLite file `file`, in a table of their
/// own: each puts one page in the write-ahead log.
struct LogFiller {
    url: String,
}

impl LogFiller {
    /// The write each attempt makes: a changed row (one that stays the
    /// same is not written at all).
    const WRITE: &str = "UPDATE log_filler SET n = n + 1";

    /// Makes the table, while there is room for it.
    async fn new(file: &Path) -> Self {
        let url = format!("sqlite://{}", file.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql("CREATE TABLE log_filler (n integer); INSERT INTO log_filler VALUES (0)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        Self { url }
    }

    /// Uses up the room the write-ahead log has on a full disk, so that
    /// every further write fails. Once a checkpoint has copied the whole
    /// log to the database, the next writer starts the log over and
    /// reuses its room; the returned connection holds a read transaction
    /// that keeps the log where it is until it is closed. Our small
    /// writes then fill what room is left.
    async fn use_up_the_log(self) -> sqlx::SqliteConnection {
        let mut filler = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
        let mut holder = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
        for _ in 0..20 {
            // A reader keeps the log only if it starts while the log
            // holds frames not yet copied back; this write makes some,
            // unless there is no room for it, nor a checkpoint to make
            // room.
            let _ = sqlx::query(Self::WRITE).execute(&mut holder).await;
            sqlx::raw_sql("BEGIN").execute(&mut holder).await.unwrap();
            sqlx::query("SELECT n FROM log_filler")
                .execute(&mut holder)
                .await
                .unwrap();
            for _ in 0..20_000 {
                match sqlx::query(Self::WRITE).execute(&mut filler).await {
                    Ok(_) => {}
                    Err(error) if error.to_string().contains("disk is full") => {
                        filler.close().await.unwrap();
                        return holder;
                    }
                    Err(error) => panic!("{error}"),
                }
            }
            // A checkpoint came between our write and our read: again.
            sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
        }
        panic!("the write-ahead log at {} never filled", self.url);
    }
}

#[test]
fn a_full_disk_under_sqlite_is_reported_and_survived_without_a_restart() {
    in_world(&fixture_world(), None, &[], || async {
        let disk = SmallDisk::mount("16m");
        let file = disk.path().join("zm.sqlite");
        let config = write_config(disk.path(), &file);
        let (api, url) = start_rpcapi(&config);
        let (agent, log) = start_agent_logged(&config);
        let mut ids = vec![submit(&url, "good.test").await.unwrap()];
        wait_finished(&url, &ids).await;
        let log_filler = LogFiller::new(&file).await;

        let filler = disk.fill();
        // New tests may fill room left in the write-ahead log; then the
        // disk is full.
        let mut refused = None;
        for n in 0..2000 {
            match submit(&url, &format!("n{n}.good.test")).await {
                Ok(id) => ids.push(id),
                Err(reason) => {
                    refused = Some(reason);
                    break;
                }
            }
        }
        assert_eq!(refused.as_deref(), Some("database disk is full"));
        // Small writes may still fit in the room the write-ahead log has
        // already taken; a full disk stops them only once that is used up.
        let log_held = log_filler.use_up_the_log().await;
        // The agent says so at its next write: storing the outcome of a
        // test it claimed before the disk filled, or a heartbeat.
        wait_for_line(&log, &["reason=database disk is full"]).await;

        std::fs::remove_file(filler).unwrap();
        log_held.close().await.unwrap();
        ids.push(submit(&url, "lame.test").await.expect("room again"));
        wait_finished(&url, &ids).await;
        let tests = assert_survived(api, agent, &file).await;
        eprintln!("disk full after {} tests", tests.len());
        drop(disk);
    });
}
