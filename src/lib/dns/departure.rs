//! When a query left for its server, as opposed to when it was asked.
//!
//! Between the two, a query may wait for the process-wide pacer's turn
//! ([`super::Pacer`]), which many tests share: a server cannot be slow
//! while our own packet has not left, so whoever judges a server by its
//! silence (the recursor's early questions to the next servers) reads the
//! time from here. (A wait for one of a run's slots for the server is
//! counted as the server's: the slots are taken by questions it has not
//! answered yet.)
//!
//! [`super::Client`] keeps one [`Departure`] per query it sends, marks it
//! left when it sends for it and runs the exchange in its scope, so the
//! pacer, inside the exchange, marks it held and left again, whichever
//! task happens to poll it.

use std::future::Future;

use tokio::sync::watch;
use tokio::time::Instant;

tokio::task_local! {
    static CURRENT: watch::Sender<Option<Instant>>;
}

/// Where one query stands: `None` until it has left (or while it is held
/// back again, for a retry), then the time it left.
#[derive(Clone, Debug)]
pub struct Departure {
    sender: watch::Sender<Option<Instant>>,
}

impl Default for Departure {
    fn default() -> Self {
        Self {
            sender: watch::Sender::new(None),
        }
    }
}

impl Departure {
    /// Marks the query left now.
    pub fn leave(&self) {
        self.sender.send_replace(Some(Instant::now()));
    }

    /// Runs `exchange` so that [`held`] and [`left`] called inside it
    /// mark this query.
    pub fn scope<F: Future>(&self, exchange: F) -> impl Future<Output = F::Output> {
        CURRENT.scope(self.sender.clone(), exchange)
    }

    /// Resolves once the query has been on the wire for `quiet` without the
    /// caller having stopped waiting: time spent held back on our side does
    /// not count, and a query held back again starts over.
    pub async fn quiet_for(&self, quiet: std::time::Duration) {
        let mut receiver = self.sender.subscribe();
        // `self` holds the sender, so `changed` never fails here.
        loop {
            let left = *receiver.borrow_and_update();
            let Some(at) = left else {
                let _ = receiver.changed().await;
                continue;
            };
            tokio::select! {
                () = tokio::time::sleep_until(at + quiet) => return,
                _ = receiver.changed() => {}
            }
        }
    }
}

/// Marks the query being exchanged as held back on our side (no-op outside
/// an exchange's scope).
pub fn held() {
    let _ = CURRENT.try_with(|sender| sender.send_replace(None));
}

/// Marks the query being exchanged as left now (no-op outside an
/// exchange's scope).
pub fn left() {
    let _ = CURRENT.try_with(|sender| sender.send_replace(Some(Instant::now())));
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[tokio::test(start_paused = true)]
    async fn quiet_time_counts_from_the_last_departure() {
        let departure = Departure::default();
        let started = Instant::now();
        let exchange = departure.scope(async {
            // Held back on our side for 1 s, then on the wire.
            held();
            tokio::time::sleep(1000 * MS).await;
            left();
            tokio::time::sleep(Duration::from_secs(60)).await;
        });
        let watcher = departure.quiet_for(400 * MS);
        tokio::select! {
            () = exchange => panic!("the exchange outlived the watch"),
            () = watcher => {}
        }
        assert_eq!(started.elapsed(), 1400 * MS);
    }

    #[tokio::test(start_paused = true)]
    async fn a_query_never_sent_is_never_quiet() {
        let departure = Departure::default();
        let watched = tokio::time::timeout(Duration::from_secs(60), departure.quiet_for(MS)).await;
        assert!(watched.is_err());
        departure.leave();
        let started = Instant::now();
        departure.quiet_for(400 * MS).await;
        assert_eq!(started.elapsed(), 400 * MS);
    }

    #[test]
    fn marks_outside_an_exchange_do_nothing() {
        held();
        left();
    }
}
