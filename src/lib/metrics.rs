//! StatsD metrics (spec §9.5), sent over UDP only when
//! `METRICS.statsd_host` is set; otherwise every call is a no-op.
//!
//! Keys are given without the `zonemaster.` prefix
//! (`rpcapi.requests.version_info.RPC_SUCCESS`). Sending never blocks and
//! never fails the caller: a lost datagram is a lost sample, as StatsD
//! intends.

use std::net::UdpSocket;

use cadence::prelude::*;
use cadence::{StatsdClient, UdpMetricSink};

use crate::config::MetricsConfig;

/// The prefix every key is sent under.
pub const PREFIX: &str = "zonemaster";

/// A metrics sink, cheap to clone.
#[derive(Clone, Default)]
pub struct Metrics {
    client: Option<std::sync::Arc<StatsdClient>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("enabled", &self.client.is_some())
            .finish()
    }
}

/// Why metrics could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// The local UDP socket could not be made.
    #[error("cannot open a UDP socket for StatsD")]
    Socket(#[source] std::io::Error),
    /// The StatsD host does not resolve.
    #[error("cannot use StatsD server {host}:{port}")]
    Sink {
        host: String,
        port: u16,
        #[source]
        source: cadence::MetricError,
    },
}

impl Metrics {
    /// A sink that drops everything.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// Metrics as `config` says: off without a host.
    pub fn from_config(config: &MetricsConfig) -> Result<Self, MetricsError> {
        let Some(host) = &config.statsd_host else {
            return Ok(Self::disabled());
        };
        let socket = UdpSocket::bind(if host.contains(':') {
            "[::]:0"
        } else {
            "0.0.0.0:0"
        })
        .map_err(MetricsError::Socket)?;
        socket.set_nonblocking(true).map_err(MetricsError::Socket)?;
        let sink =
            UdpMetricSink::from((host.as_str(), config.statsd_port), socket).map_err(|source| {
                MetricsError::Sink {
                    host: host.clone(),
                    port: config.statsd_port,
                    source,
                }
            })?;
        let client = StatsdClient::from_sink(PREFIX, sink);
        Ok(Self {
            client: Some(std::sync::Arc::new(client)),
        })
    }

    /// True when samples are sent somewhere.
    pub fn is_enabled(&self) -> bool {
        self.client.is_some()
    }

    /// Adds one to counter `key`.
    pub fn count(&self, key: &str) {
        if let Some(client) = &self.client {
            let _ = client.count(key, 1);
        }
    }

    /// Records a duration in milliseconds.
    pub fn timing_ms(&self, key: &str, ms: u64) {
        if let Some(client) = &self.client {
            let _ = client.time(key, ms);
        }
    }

    /// Sets gauge `key`.
    pub fn gauge(&self, key: &str, value: u64) {
        if let Some(client) = &self.client {
            let _ = client.gauge(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn samples_reach_the_statsd_server_with_the_prefix() {
        let server = UdpSocket::bind("127.0.0.1:0").expect("bind");
        server
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let port = server.local_addr().expect("addr").port();
        let metrics = Metrics::from_config(&MetricsConfig {
            statsd_host: Some("127.0.0.1".to_owned()),
            statsd_port: port,
        })
        .expect("metrics");
        metrics.count("testagent.tests_started");
        metrics.timing_ms("testagent.tests_duration_seconds", 42);
        metrics.gauge("testagent.running_processes", 3);
        let mut seen = Vec::new();
        let mut buffer = [0u8; 512];
        for _ in 0..3 {
            let (n, _) = server.recv_from(&mut buffer).expect("a datagram");
            seen.push(String::from_utf8_lossy(&buffer[..n]).into_owned());
        }
        assert_eq!(
            seen,
            vec![
                "zonemaster.testagent.tests_started:1|c",
                "zonemaster.testagent.tests_duration_seconds:42|ms",
                "zonemaster.testagent.running_processes:3|g",
            ]
        );
    }

    #[test]
    fn without_a_host_nothing_is_sent() {
        let metrics = Metrics::from_config(&MetricsConfig {
            statsd_host: None,
            statsd_port: 8125,
        })
        .expect("metrics");
        assert!(!metrics.is_enabled());
        metrics.count("anything");
    }
}
