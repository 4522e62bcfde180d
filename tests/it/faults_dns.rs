//! Issue 16 (3): a hostile name server (slow, garbage, floods of replies
//! with wrong ids and from the wrong source, 64 KiB answers over TCP)
//! cannot make a test run past its bounds, and the agent's memory stays
//! flat over many such tests: a leak check (resident size after all the
//! tests against after the first wave), not a timing threshold.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde_json::{Value, json};
use zonemaster::config::DbEngine;

use crate::daemons::{ConfigFile, rpc_answer, start_agent, start_rpcapi};
use crate::dbs;
use crate::hostile_ns;
use crate::netns::{fixture_world, in_world};

/// Where the hostile server listens (inside the test's namespace).
const HOSTILE: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 9, 1));

/// Tests per wave, submitted together; the agent's memory is compared
/// after the first wave and after the last, so both saw the same load.
const WAVE: usize = 25;
/// Waves in all.
const WAVES: usize = 8;

/// One JSON-RPC call.
async fn call(url: &str, method: &str, params: Value) -> Value {
    let answer = rpc_answer(url, method, params).await;
    assert!(answer["error"].is_null(), "{method}: {answer}");
    answer["result"].clone()
}

/// Submits the undelegated tests `range` of zones served by the hostile
/// server, and returns their ids.
async fn submit(url: &str, range: std::ops::Range<usize>) -> Vec<String> {
    let mut ids = Vec::new();
    for n in range {
        let zone = format!("h{n}.hostile.test");
        let params = json!({"domain": zone,
                            "nameservers": [{"ns": format!("ns.{zone}"), "ip": HOSTILE.to_string()}]});
        let id = call(url, "start_domain_test", params).await;
        ids.push(id.as_str().unwrap().to_owned());
    }
    ids
}

/// Waits until every test of `ids` is at 100 %.
async fn wait_finished(url: &str, ids: &[String]) {
    let started = Instant::now();
    for id in ids {
        loop {
            let progress = call(url, "test_progress", json!({"test_id": id})).await;
            if progress.as_u64() == Some(100) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{id} never ended"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Resident set size of `pid` in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_hostile_name_server_neither_stalls_tests_nor_grows_the_agent() {
    let scratch = dbs::scratch(DbEngine::Sqlite);
    let config = ConfigFile::new(&scratch, true, "max_zonemaster_execution_time = 60\n");
    let path = config.path.clone();
    in_world(&fixture_world(), None, &[], move || async move {
        let _server = hostile_ns::start(HOSTILE).await;
        let (api, url) = start_rpcapi(&path);
        let agent = start_agent(&path, &[]);
        let pid = agent.child.id();

        let started = Instant::now();
        let mut ids = Vec::new();
        let mut rss = Vec::new();
        for wave in 0..WAVES {
            let submitted = submit(&url, wave * WAVE..(wave + 1) * WAVE).await;
            wait_finished(&url, &submitted).await;
            ids.extend(submitted);
            rss.push(rss_kib(pid));
        }
        eprintln!(
            "zm-agent RSS (KiB) after each wave of {WAVE} tests: {rss:?}; {} tests in {:?}",
            ids.len(),
            started.elapsed()
        );
        let (after_first, after_all) = (rss[0], rss[WAVES - 1]);

        // Every test ended by itself, none stopped at the execution-time
        // limit. (A server that never gives a usable answer may end a
        // test early with TEST_DIED: that is the engine's verdict.)
        let mut died = 0;
        for id in &ids {
            let results = call(
                &url,
                "get_test_results",
                json!({"id": id, "language": "en"}),
            )
            .await;
            let entries = results["results"].as_array().unwrap();
            assert!(!entries.is_empty(), "{id}: {results}");
            assert!(
                !entries
                    .iter()
                    .any(|entry| entry["tag"] == "UNABLE_TO_FINISH_TEST"),
                "{id}: {results}"
            );
            died += usize::from(entries.iter().any(|entry| entry["tag"] == "TEST_DIED"));
        }
        eprintln!("{died} of {} tests ended with TEST_DIED", ids.len());
        assert!(
            after_all < 2 * after_first,
            "zm-agent grew from {after_first} KiB to {after_all} KiB"
        );
        assert!(agent.stop_with(Signal::SIGTERM).success());
        assert!(api.stop_with(Signal::SIGTERM).success());
        drop(scratch);
    });
}
