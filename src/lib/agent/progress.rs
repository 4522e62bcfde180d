//! Progress of a running test as a percentage (spec §5.4).
//!
//! The engine reports finished test cases from inside its run; writing to
//! the database there would make the engine wait on it. So the
//! [`ProgressSink`] only updates a `watch` value (never blocking, later
//! values replacing unwritten earlier ones) and a writer task turns the
//! latest value into [`Store::set_progress`] calls, a few a second at most.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
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

/// The least time between two progress writes of one test: a full test
/// finishes dozens of test cases a second, and one write per test case
/// would put most of its database writes here.
pub(crate) const PROGRESS_INTERVAL: Duration = Duration::from_millis(250);

/// Writes new percentages of `receiver` to the store, the first at once,
/// then the latest at most every [`PROGRESS_INTERVAL`], until the sink is
/// dropped. Await the handle before finishing the test, so no progress
/// write can land after the final one.
pub(crate) fn spawn_writer(
    store: Arc<dyn Store>,
    hash_id: String,
    receiver: watch::Receiver<u8>,
) -> JoinHandle<()> {
    let write = move |percent: u8| {
        let (store, hash_id) = (Arc::clone(&store), hash_id.clone());
        async move {
            if let Err(error) = store.set_progress(&hash_id, percent).await {
                tracing::warn!(percent, error = %error, "cannot store progress");
            }
        }
    };
    // Spawned tasks start outside every span: keep the caller's (the test's).
    let writer = write_throttled(receiver, PROGRESS_INTERVAL, write);
    tokio::spawn(writer.instrument(tracing::Span::current()))
}

/// The writer's loop: `write` each new value of `receiver`, at most once
/// per `interval` (later values replace unwritten ones), until the sender
/// is dropped; a value still waiting then is not written (the test's
/// final write follows).
async fn write_throttled<W, F>(mut receiver: watch::Receiver<u8>, interval: Duration, mut write: W)
where
    W: FnMut(u8) -> F,
    F: Future<Output = ()>,
{
    let mut last_write: Option<Instant> = None;
    while receiver.changed().await.is_ok() {
        if let Some(last) = last_write {
            tokio::select! {
                () = tokio::time::sleep_until(last + interval) => {}
                () = sender_dropped(receiver.clone()) => return,
            }
        }
        let percent = *receiver.borrow_and_update();
        last_write = Some(Instant::now());
        write(percent).await;
    }
}

/// Resolves when the sender of `receiver` is gone.
async fn sender_dropped(mut receiver: watch::Receiver<u8>) {
    while receiver.changed().await.is_ok() {}
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

    /// Steps reported faster than the interval are written as the latest
    /// value once per interval; the first at once; nothing after the sink
    /// is gone.
    #[tokio::test(start_paused = true)]
    async fn writes_are_throttled_to_the_latest_value() {
        let (sink, receiver) = ProgressSink::channel();
        let written = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = Arc::clone(&written);
        let write = move |percent| {
            log.lock().unwrap().push((percent, Instant::now()));
            async {}
        };
        let started = Instant::now();
        let writer = tokio::spawn(write_throttled(receiver, PROGRESS_INTERVAL, write));
        sink.plan(100);
        for _ in 0..30 {
            sink.step_done();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(sink);
        writer.await.unwrap();
        let written = written.lock().unwrap();
        let percents: Vec<u8> = written.iter().map(|(percent, _)| *percent).collect();
        // Steps every 10 ms from 0 ms (1 % is the starting value): 2 % at
        // 10 ms, written at once; 27 % at 260 ms, one interval later; 30 %
        // at 290 ms waits for 510 ms, after the sink is gone at 300 ms.
        assert_eq!(percents, [2, 27]);
        let offsets: Vec<Duration> = written.iter().map(|(_, at)| *at - started).collect();
        assert_eq!(offsets[1] - offsets[0], PROGRESS_INTERVAL);
    }
}
