//! A per-destination query rate limit, shared by every run of a process.
//!
//! Each test's [`super::Client`] caps the queries it has in flight to one
//! server, but an agent runs many tests at once, and anyone may start
//! tests that all name the same address: without a process-wide limit,
//! a hundred tests make a hundred times the traffic at one victim. The
//! [`Pacer`] spaces the packets [`super::LiveTransport`] sends to each
//! address: at most `rate` a second, with bursts of a quarter of that
//! (at least one), however many tests ask. A quarter of the default 2000
//! is 500, more than one full test sends to any one server of the
//! conformance world (at most 33), so a lone test is never held back.
//!
//! It is the generic cell rate algorithm: per address, the time the next
//! packet is due. A sender waits for its turn, and that wait is not the
//! server's: the time a server has to answer starts when the packet
//! leaves, so a busy agent is slower but never reports a server silent
//! because of its own queue. (An earlier version dropped a packet whose
//! turn came after its attempt's time limit, and a loaded agent failed
//! tests with "no name server answered" for root servers that had not
//! been asked.) Only a turn more than [`MAX_TURN_WAIT`] away is not
//! waited for: the sender is told so and reports the query as not sent.
//! An address whose due time has passed holds no information and is
//! dropped when the table grows, which bounds its memory by the
//! addresses asked in the last few seconds.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The longest a packet waits for its turn. Reached only when thousands
/// of queries wait for one address (a default agent has at most 40 tests
/// × 32 queries in flight to it: well under a second of turns at the
/// default rate); the per-test deadline bounds what a test can wait in all.
pub const MAX_TURN_WAIT: Duration = Duration::from_secs(60);

/// The table is swept of idle addresses when it grows past this, and
/// then past twice what the last sweep left.
const SWEEP_FLOOR: usize = 1024;

/// Paces packets per destination address. Share one (in an `Arc`) among
/// every transport of a process.
#[derive(Debug)]
pub struct Pacer {
    /// Time between two packets to one address at the steady rate.
    interval: Duration,
    /// How far ahead of the steady schedule a burst may run.
    tolerance: Duration,
    state: Mutex<Table>,
}

#[derive(Debug, Default)]
struct Table {
    /// Address → when its next packet is due on the steady schedule.
    due: HashMap<IpAddr, Instant>,
    /// Sweep when `due` grows past this.
    sweep_at: usize,
}

/// A packet that could not be sent within the time the sender had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the per-server query rate limit gives no turn within {} s", MAX_TURN_WAIT.as_secs())]
pub struct NoTurn;

impl Pacer {
    /// At most `rate` packets a second to any one address (`rate` ≥ 1),
    /// in bursts of at most `max(rate / 4, 1)`.
    pub fn new(rate: u32) -> Self {
        let rate = rate.max(1);
        let interval = Duration::from_secs(1) / rate;
        let burst = (rate / 4).max(1);
        Self {
            interval,
            tolerance: interval * (burst - 1),
            state: Mutex::new(Table {
                due: HashMap::new(),
                sweep_at: SWEEP_FLOOR,
            }),
        }
    }

    /// Waits for `server`'s next turn, at most [`MAX_TURN_WAIT`]; `Err`
    /// (having waited nothing and taken no turn) when it is further away.
    pub async fn wait_turn(&self, server: IpAddr) -> Result<(), NoTurn> {
        let refused = |_| {
            tracing::debug!(%server, "packet not sent: the per-server rate limit gives no turn in time");
            NoTurn
        };
        let now = Instant::now();
        let start_at = self
            .take_turn(server, now, MAX_TURN_WAIT)
            .map_err(refused)?;
        if start_at > now {
            let wait = start_at - now;
            tracing::debug!(%server, wait_us = wait.as_micros(), "packet held back by the per-server rate limit");
            super::departure::held();
            tokio::time::sleep_until(start_at).await;
            super::departure::left();
        }
        Ok(())
    }

    /// Books the first turn for `server` at or after `now`, if it comes
    /// within `patience`: the time to send at.
    fn take_turn(
        &self,
        server: IpAddr,
        now: Instant,
        patience: Duration,
    ) -> Result<Instant, NoTurn> {
        let mut table = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        table.sweep(now);
        let due = table.due.get(&server).copied().unwrap_or(now).max(now);
        let send_at = due.checked_sub(self.tolerance).unwrap_or(now).max(now);
        if send_at.duration_since(now) > patience {
            return Err(NoTurn);
        }
        table.due.insert(server, due + self.interval);
        Ok(send_at)
    }

    /// The number of addresses remembered (for tests).
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.state.lock().map(|table| table.due.len()).unwrap_or(0)
    }
}

impl Table {
    /// Drops the addresses whose due time has passed (they are as good as
    /// new) once the table has grown past `sweep_at`.
    fn sweep(&mut self, now: Instant) {
        if self.due.len() < self.sweep_at {
            return;
        }
        self.due.retain(|_, due| *due > now);
        self.sweep_at = (self.due.len() * 2).max(SWEEP_FLOOR);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATIENCE: Duration = Duration::from_secs(5);

    fn address(index: u32) -> IpAddr {
        IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + index))
    }

    /// Books `count` turns for one address at `now`; the send times.
    fn book(pacer: &Pacer, now: Instant, count: usize) -> Vec<Duration> {
        (0..count)
            .map(|_| pacer.take_turn(address(1), now, PATIENCE).unwrap() - now)
            .collect()
    }

    #[test]
    fn a_burst_goes_at_once_then_the_steady_rate_holds() {
        let pacer = Pacer::new(100);
        let now = Instant::now();
        let times = book(&pacer, now, 200);
        // Burst of 25 at once, then one every 10 ms.
        assert!(times[..25].iter().all(Duration::is_zero), "{times:?}");
        assert_eq!(times[25], Duration::from_millis(10));
        assert_eq!(times[44], Duration::from_millis(200));
        // In any one second at most rate + burst packets.
        let in_first_second = times
            .iter()
            .filter(|t| **t < Duration::from_secs(1))
            .count();
        assert!(in_first_second <= 125, "{in_first_second}");
    }

    #[test]
    fn addresses_do_not_share_turns() {
        let pacer = Pacer::new(1);
        let now = Instant::now();
        for index in 0..5 {
            assert_eq!(pacer.take_turn(address(index), now, PATIENCE), Ok(now));
        }
        let next = pacer.take_turn(address(0), now, PATIENCE).unwrap();
        assert_eq!(next - now, Duration::from_secs(1));
    }

    #[test]
    fn a_turn_beyond_the_patience_is_refused_and_not_booked() {
        let pacer = Pacer::new(1);
        let now = Instant::now();
        let patience = Duration::from_millis(1500);
        assert!(pacer.take_turn(address(1), now, patience).is_ok());
        assert!(pacer.take_turn(address(1), now, patience).is_ok());
        assert_eq!(pacer.take_turn(address(1), now, patience), Err(NoTurn));
        // The refusal booked nothing: the third turn is still at 2 s.
        let later = pacer.take_turn(address(1), now, PATIENCE).unwrap();
        assert_eq!(later - now, Duration::from_secs(2));
    }

    #[test]
    fn idle_addresses_are_forgotten() {
        let pacer = Pacer::new(1000);
        let now = Instant::now();
        for index in 0..5000 {
            pacer.take_turn(address(index), now, PATIENCE).unwrap();
        }
        assert!(pacer.remembered() <= 5000);
        let later = now + Duration::from_secs(1);
        for index in 0..4000 {
            pacer
                .take_turn(address(10_000 + index), later, PATIENCE)
                .unwrap();
        }
        assert!(pacer.remembered() < 5000, "{}", pacer.remembered());
    }

    #[tokio::test(start_paused = true)]
    async fn a_packet_waiting_for_its_turn_has_not_left() {
        let pacer = Pacer::new(1);
        let departure = crate::dns::departure::Departure::default();
        let start = Instant::now();
        departure.leave();
        departure
            .scope(async {
                pacer.wait_turn(address(3)).await.unwrap();
                pacer.wait_turn(address(3)).await.unwrap();
            })
            .await;
        // The first turn was free; the second came 1 s later, and the
        // packet's quiet time counts from then.
        departure.quiet_for(Duration::from_millis(400)).await;
        assert_eq!(Instant::now() - start, Duration::from_millis(1400));
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_is_asynchronous_and_in_order() {
        let pacer = std::sync::Arc::new(Pacer::new(2));
        let start = Instant::now();
        let mut handles = Vec::new();
        for _ in 0..3 {
            let pacer = std::sync::Arc::clone(&pacer);
            handles.push(tokio::spawn(async move {
                pacer.wait_turn(address(7)).await.unwrap();
                Instant::now() - start
            }));
        }
        let mut times = Vec::new();
        for handle in handles {
            times.push(handle.await.unwrap());
        }
        times.sort();
        let expected = [0, 500, 1000].map(Duration::from_millis);
        assert_eq!(times, expected);
    }
}
