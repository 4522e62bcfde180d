//! Progress of a running test as a percentage (spec §5.4).
//!
//! The engine reports finished test cases from inside its run; writing to
//! the database there would make the engine wait on it. So the
//! [`ProgressSink`] only updates a `watch` value (never blocking, later
//! values replacing unwritten earlier ones) and a writer task turns the
//! latest value into [`Store::set_progress`] calls.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::store::Store;

/// Where a runner reports progress. Cheap to clone; a disabled sink (batch
/// tests, spec §5.4) ignores everything.
#[derive(Clone, Debug, Default)]
pub struct ProgressSink {
    /// `None` when progress is not reported.
    shared: Option<Arc<Shared>>,
}

/// The counters behind one enabled sink.
#[derive(Debug)]
struct Shared {
    /// Steps the run is expected to take.
    planned: AtomicUsize,
    /// Steps finished so far.
    done: AtomicUsize,
    /// The latest percentage, read by the writer.
    percent: watch::Sender<u8>,
}

impl ProgressSink {
    /// A sink that reports nothing.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// A sink whose percentages (starting at 1, the claimed state) arrive
    /// on the returned receiver.
    pub fn channel() -> (Self, watch::Receiver<u8>) {
        let (percent, receiver) = watch::channel(1);
        let shared = Shared {
            planned: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            percent,
        };
        let sink = Self {
            shared: Some(Arc::new(shared)),
        };
        (sink, receiver)
    }

    /// Sets how many steps the run takes: 5 + the enabled test cases.
    pub fn plan(&self, steps: usize) {
        if let Some(shared) = &self.shared {
            shared.planned.store(steps, Ordering::Relaxed);
        }
    }

    /// Records one finished step (a test case).
    pub fn step_done(&self) {
        let Some(shared) = &self.shared else { return };
        let done = shared.done.fetch_add(1, Ordering::Relaxed) + 1;
        let planned = shared.planned.load(Ordering::Relaxed);
        let percent = percentage(done, planned);
        shared.percent.send_if_modified(|current| {
            let is_higher = percent > *current;
            if is_higher {
                *current = percent;
            }
            is_higher
        });
    }
}

/// ⌊100 · done / planned⌋ clamped to 1–99: 100 means finished, which only
/// the final write may say.
pub(crate) fn percentage(done: usize, planned: usize) -> u8 {
    let raw = (done.saturating_mul(100)).checked_div(planned).unwrap_or(1);
    u8::try_from(raw.clamp(1, 99)).unwrap_or(99)
}

/// Writes each new percentage of `receiver` to the store until the sink is
/// dropped. Await the handle before finishing the test, so no progress
/// write can land after the final one.
pub(crate) fn spawn_writer(
    store: Arc<dyn Store>,
    hash_id: String,
    mut receiver: watch::Receiver<u8>,
) -> JoinHandle<()> {
    // Spawned tasks start outside every span: keep the caller's (the test's).
    let writer = async move {
        while receiver.changed().await.is_ok() {
            let percent = *receiver.borrow_and_update();
            if let Err(error) = store.set_progress(&hash_id, percent).await {
                tracing::warn!(percent, error = %error, "cannot store progress");
            }
        }
    };
    tokio::spawn(writer.instrument(tracing::Span::current()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_floored_and_clamped() {
        assert_eq!(percentage(0, 8), 1);
        assert_eq!(percentage(1, 8), 12);
        assert_eq!(percentage(7, 8), 87);
        assert_eq!(percentage(8, 8), 99);
        assert_eq!(percentage(9, 8), 99);
        assert_eq!(percentage(3, 0), 1);
    }

    #[test]
    fn progress_never_goes_down_and_a_disabled_sink_is_silent() {
        let (sink, receiver) = ProgressSink::channel();
        sink.plan(4);
        sink.step_done();
        assert_eq!(*receiver.borrow(), 25);
        sink.plan(100);
        sink.step_done();
        assert_eq!(*receiver.borrow(), 25, "a larger plan must not lower it");
        ProgressSink::disabled().step_done();
    }
}
