//! Heartbeats: the agent tells the store, every interval, which tests it
//! is still running, so another agent can tell a slow test from a dead
//! agent (spec §5.5, agent crash).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::store::Store;

/// The tests this agent is running right now.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunningSet {
    /// Test ids.
    ids: Arc<Mutex<BTreeSet<String>>>,
}

impl RunningSet {
    /// Adds `hash_id` until the returned guard is dropped (even by a
    /// panic or an abort).
    pub fn enter(&self, hash_id: &str) -> RunningGuard {
        self.lock().insert(hash_id.to_owned());
        RunningGuard {
            set: self.clone(),
            hash_id: hash_id.to_owned(),
        }
    }

    /// The ids, sorted.
    pub fn snapshot(&self) -> Vec<String> {
        self.lock().iter().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        // The set stays consistent whatever panicked while holding it.
        self.ids.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Removes a test from its [`RunningSet`] when dropped.
#[derive(Debug)]
pub(crate) struct RunningGuard {
    set: RunningSet,
    hash_id: String,
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        self.set.lock().remove(&self.hash_id);
    }
}

/// Sends a heartbeat for `running` at once and then every `interval`
/// until `stop` turns true, idle or not, so the queue overview lists an
/// idle agent too. A failed heartbeat is logged; the next one may get
/// through.
pub(crate) fn spawn_heartbeat(
    store: Arc<dyn Store>,
    agent: String,
    running: RunningSet,
    interval: Duration,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let ids = running.snapshot();
            if let Err(error) = store.heartbeat(&agent, &ids, chrono::Utc::now()).await {
                let reason = error
                    .unavailable()
                    .map_or("database error", |condition| condition.as_str());
                let error = crate::error_chain(&error);
                tracing::warn!(error = %error, reason, running = ids.len(), "heartbeat failed");
            }
            tokio::select! {
                _ = stop.wait_for(|is_stopped| *is_stopped) => return,
                () = tokio::time::sleep(interval) => {}
            }
        }
    })
}
