//! The per-client limit on starting tests (`RPCAPI.rate_limit_*`,
//! `docs/abuse-limits.md`).
//!
//! A token bucket per client: it holds at most `burst` tests, refills at
//! `rate_limit_tests_per_minute`, and each `start_domain_test` / `job_create`
//! takes one, each `add_batch_job` / `batch_create` one per domain. A
//! client is its address as the server sees it (behind trusted proxies,
//! the forwarded one); IPv6 clients are counted per /64, the block one
//! host usually holds, so stepping through one's own addresses gains
//! nothing. A full bucket is the same as no bucket, so such entries are
//! dropped when the table reaches [`MAX_CLIENTS`]; if every entry is busy,
//! the least recently seen half goes. Times come from the API's clock, so
//! tests move them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::store::Timestamp;

/// Clients remembered at most; beyond, the idle are forgotten.
pub const MAX_CLIENTS: usize = 100_000;

/// Milliseconds in the minute the rate is given per.
const MINUTE_MS: f64 = 60_000.0;

/// A request for more tests than the client has left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverLimit {
    /// Whole seconds until the request would be accepted; `None` when it
    /// never would (more tests than the burst).
    pub retry_after: Option<u64>,
}

/// The buckets of every client.
#[derive(Debug)]
pub struct TestRateLimit {
    /// Refill, tests per minute (≥ 1).
    per_minute: u32,
    /// Capacity (≥ 1).
    burst: u32,
    clients: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Tests left, fractional while refilling.
    tokens: f64,
    /// When `tokens` was computed, in milliseconds since the epoch.
    updated_ms: i64,
}

impl TestRateLimit {
    /// A limit of `per_minute` tests a minute in bursts of `burst`;
    /// `None` when `per_minute` is 0 (no limit). A `burst` of 0 means
    /// `per_minute`.
    pub fn new(per_minute: u32, burst: u32) -> Option<Self> {
        if per_minute == 0 {
            return None;
        }
        let burst = if burst == 0 { per_minute } else { burst };
        Some(Self {
            per_minute,
            burst,
            clients: Mutex::new(HashMap::new()),
        })
    }

    /// Takes `count` tests from `client`'s bucket at `now`, or says when
    /// to come back (taking nothing).
    pub fn take(&self, client: &str, count: usize, now: Timestamp) -> Result<(), OverLimit> {
        let now_ms = now.timestamp_millis();
        let count = count as f64;
        if count > f64::from(self.burst) {
            return Err(OverLimit { retry_after: None });
        }
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = client_key(client);
        if !clients.contains_key(&key) && clients.len() >= MAX_CLIENTS {
            self.forget_idle(&mut clients, now_ms);
        }
        let full = Bucket {
            tokens: f64::from(self.burst),
            updated_ms: now_ms,
        };
        let bucket = clients.entry(key).or_insert(full);
        bucket.tokens = self.refilled(*bucket, now_ms);
        bucket.updated_ms = now_ms;
        if bucket.tokens + f64::EPSILON < count {
            let missing = count - bucket.tokens;
            let wait_ms = missing * MINUTE_MS / f64::from(self.per_minute);
            let seconds = (wait_ms / 1000.0).ceil().max(1.0);
            return Err(OverLimit {
                retry_after: Some(seconds as u64),
            });
        }
        bucket.tokens -= count;
        Ok(())
    }

    /// The bucket's tokens at `now_ms`.
    fn refilled(&self, bucket: Bucket, now_ms: i64) -> f64 {
        let elapsed = now_ms.saturating_sub(bucket.updated_ms).max(0) as f64;
        let gained = elapsed * f64::from(self.per_minute) / MINUTE_MS;
        (bucket.tokens + gained).min(f64::from(self.burst))
    }

    /// Drops full buckets; if that is not enough, the least recently seen
    /// half.
    fn forget_idle(&self, clients: &mut HashMap<String, Bucket>, now_ms: i64) {
        let burst = f64::from(self.burst);
        clients.retain(|_, bucket| self.refilled(*bucket, now_ms) < burst);
        if clients.len() < MAX_CLIENTS {
            return;
        }
        let mut seen: Vec<i64> = clients.values().map(|bucket| bucket.updated_ms).collect();
        let middle = seen.len() / 2;
        let (_, cutoff, _) = seen.select_nth_unstable(middle);
        let cutoff = *cutoff;
        clients.retain(|_, bucket| bucket.updated_ms > cutoff);
    }

    /// Clients remembered (for tests).
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.clients
            .lock()
            .map(|clients| clients.len())
            .unwrap_or(0)
    }
}

/// The bucket key of a caller: an IPv4 address as is, an IPv6 address's
/// /64, anything else (a proxy's odd header) as written.
fn client_key(client: &str) -> String {
    match client.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => {
            let prefix = u128::from(v6) >> 64 << 64;
            format!("{}/64", std::net::Ipv6Addr::from(prefix))
        }
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => client.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;

    fn start() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn zero_means_no_limit() {
        assert!(TestRateLimit::new(0, 10).is_none());
    }

    #[test]
    fn a_burst_then_the_refill_rate() {
        let limit = TestRateLimit::new(6, 3).unwrap();
        let now = start();
        for _ in 0..3 {
            assert_eq!(limit.take("192.0.2.1", 1, now), Ok(()));
        }
        let refused = limit.take("192.0.2.1", 1, now).unwrap_err();
        assert_eq!(refused.retry_after, Some(10));
        // Others are not affected.
        assert_eq!(limit.take("192.0.2.2", 3, now), Ok(()));
        // One test per 10 s comes back.
        let later = now + Duration::seconds(10);
        assert_eq!(limit.take("192.0.2.1", 1, later), Ok(()));
        assert!(limit.take("192.0.2.1", 1, later).is_err());
    }

    #[test]
    fn a_batch_counts_its_domains() {
        let limit = TestRateLimit::new(60, 10).unwrap();
        let now = start();
        assert_eq!(limit.take("192.0.2.1", 8, now), Ok(()));
        let refused = limit.take("192.0.2.1", 5, now).unwrap_err();
        assert_eq!(refused.retry_after, Some(3));
        let never = limit.take("192.0.2.1", 11, now).unwrap_err();
        assert_eq!(never.retry_after, None);
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let limit = TestRateLimit::new(60, 2).unwrap();
        let now = start();
        assert_eq!(limit.take("2001:db8:1:2::1", 1, now), Ok(()));
        assert_eq!(limit.take("2001:db8:1:2:ffff::9", 1, now), Ok(()));
        assert!(limit.take("2001:db8:1:2::77", 1, now).is_err());
        assert_eq!(limit.take("2001:db8:1:3::1", 1, now), Ok(()));
        assert_eq!(client_key("::ffff:192.0.2.1"), "192.0.2.1");
    }

    #[test]
    fn memory_is_bounded() {
        let limit = TestRateLimit::new(1, 1).unwrap();
        let now = start();
        for index in 0..(MAX_CLIENTS as u32 + 10) {
            let client = std::net::Ipv4Addr::from(index).to_string();
            let _ = limit.take(&client, 1, now);
        }
        assert!(limit.remembered() <= MAX_CLIENTS, "{}", limit.remembered());
        // An hour later every bucket is full again: all are forgotten.
        let later = now + Duration::hours(1);
        let _ = limit.take("192.0.2.200", 1, later);
        assert!(limit.remembered() <= MAX_CLIENTS);
        assert!(limit.take("192.0.2.200", 1, later).is_err());
    }
}
