//! Per-server query statistics: how often we asked and how fast it answered.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

/// Collected round-trip times per server.
#[derive(Debug, Default)]
pub struct ServerStats {
    samples: Mutex<HashMap<IpAddr, Samples>>,
}

#[derive(Debug, Default, Clone)]
struct Samples {
    queries: u64,
    no_response: u64,
    rtts: Vec<Duration>,
}

/// One server's figures at a point in time.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatsSnapshot {
    /// The server.
    pub server: IpAddr,
    /// Queries actually sent (cache hits not counted).
    pub queries: u64,
    /// Queries that got nothing back.
    pub no_response: u64,
    /// Fastest reply.
    pub min: Option<Duration>,
    /// Median reply.
    pub median: Option<Duration>,
    /// Slowest reply.
    pub max: Option<Duration>,
    /// Sum of reply times.
    pub total: Duration,
}

impl ServerStats {
    /// Counts one query sent to `server` and its round-trip time, if any.
    pub fn record(&self, server: IpAddr, rtt: Option<Duration>) {
        let mut samples = self
            .samples
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = samples.entry(server).or_default();
        entry.queries += 1;
        match rtt {
            Some(rtt) => entry.rtts.push(rtt),
            None => entry.no_response += 1,
        }
    }

    /// Figures for every server asked, sorted by address.
    pub fn snapshot(&self) -> Vec<StatsSnapshot> {
        let samples = self
            .samples
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut rows: Vec<StatsSnapshot> = samples
            .iter()
            .map(|(server, samples)| summarise(*server, samples))
            .collect();
        rows.sort_by_key(|row| row.server);
        rows
    }
}

fn summarise(server: IpAddr, samples: &Samples) -> StatsSnapshot {
    let mut rtts = samples.rtts.clone();
    rtts.sort();
    StatsSnapshot {
        server,
        queries: samples.queries,
        no_response: samples.no_response,
        min: rtts.first().copied(),
        median: rtts.get(rtts.len() / 2).copied(),
        max: rtts.last().copied(),
        total: rtts.iter().sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_reports_min_median_max_total() {
        let stats = ServerStats::default();
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        for ms in [30, 10, 20] {
            stats.record(server, Some(Duration::from_millis(ms)));
        }
        stats.record(server, None);
        let row = &stats.snapshot()[0];
        assert_eq!(row.queries, 4);
        assert_eq!(row.no_response, 1);
        assert_eq!(row.min, Some(Duration::from_millis(10)));
        assert_eq!(row.median, Some(Duration::from_millis(20)));
        assert_eq!(row.max, Some(Duration::from_millis(30)));
        assert_eq!(row.total, Duration::from_millis(60));
    }
}
