//! Ending a run early once a message reaches a level: zonemaster-cli's
//! `--stop-level`.
//!
//! Every test case's [`Report`](super::message::Report) tells the run's
//! [`StopSignal`] the level of each message it emits; once one is at or
//! above the stop level, test cases not yet started do not start and
//! those running are dropped where they are, keeping what they emitted
//! so far. Without a stop level nothing ever stops.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

use super::level::Level;

/// Whether a run has seen a message at its stop level.
#[derive(Debug, Default)]
pub struct StopSignal {
    /// Messages at or above this level stop the run; `None`: never.
    level: Option<Level>,
    /// Set once such a message was emitted.
    is_reached: AtomicBool,
    /// Wakes the test cases waiting in [`StopSignal::reached`].
    notify: Notify,
}

impl StopSignal {
    /// A signal that never fires.
    pub fn never() -> Self {
        Self::default()
    }

    /// A signal that fires at the first message at `level` or above.
    pub fn at(level: Level) -> Self {
        Self {
            level: Some(level),
            ..Self::default()
        }
    }

    /// Takes note of a message at `level`.
    pub fn note(&self, level: Level) {
        if self.level.is_some_and(|stop| level >= stop)
            && !self.is_reached.swap(true, Ordering::SeqCst)
        {
            self.notify.notify_waiters();
        }
    }

    /// True once a message at the stop level was emitted.
    pub fn is_reached(&self) -> bool {
        self.is_reached.load(Ordering::SeqCst)
    }

    /// Resolves once a message at the stop level is emitted; never
    /// without a stop level.
    pub async fn reached(&self) {
        loop {
            // Created before the check, so a note in between still wakes it.
            let notified = self.notify.notified();
            if self.is_reached() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    #[test]
    fn only_a_message_at_the_level_or_above_fires() {
        let signal = StopSignal::at(Level::Error);
        signal.note(Level::Warning);
        assert!(!signal.is_reached());
        assert!(signal.reached().now_or_never().is_none());
        signal.note(Level::Critical);
        assert!(signal.is_reached());
        assert!(signal.reached().now_or_never().is_some());
    }

    #[test]
    fn without_a_level_nothing_fires() {
        let signal = StopSignal::never();
        signal.note(Level::Critical);
        assert!(!signal.is_reached());
    }

    #[tokio::test]
    async fn a_waiting_test_case_is_woken() {
        let signal = std::sync::Arc::new(StopSignal::at(Level::Notice));
        let waiting = tokio::spawn({
            let signal = std::sync::Arc::clone(&signal);
            async move { signal.reached().await }
        });
        tokio::task::yield_now().await;
        signal.note(Level::Notice);
        waiting.await.unwrap();
    }
}
