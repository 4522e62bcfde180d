//! The metrics kept in memory and the calls that move them.
//!
//! Names follow Prometheus's conventions: a `zonemaster_` prefix, the
//! component (`rpcapi`, `agent`), base units (seconds), `_total` on
//! counters. Label values come from closed sets (our method names or
//! `unknown`, JSON-RPC codes, outcomes, levels), so no client can make the
//! number of series grow.

use std::sync::Arc;
use std::time::Duration;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder, proto::MetricFamily,
};

/// Seconds an API request may take, from a cached read to a batch job of
/// thousands of domains.
const REQUEST_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Seconds a test may take: a second on a fast zone up to the default
/// `max_zonemaster_execution_time` (600 s) and beyond.
const TEST_BUCKETS: &[f64] = &[
    0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0,
];

/// How a test this agent ran ended, for `zonemaster_agent_tests_finished_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestEnding {
    /// The engine finished; the worst level of its entries (1 INFO …
    /// 5 CRITICAL), `None` for a report without entries.
    Completed(Option<i32>),
    /// The engine failed or panicked (a `TEST_DIED` entry).
    Died,
    /// Stopped at `max_zonemaster_execution_time`.
    Overdue,
    /// Stopped by a shutdown and queued again.
    Requeued,
}

impl TestEnding {
    /// The `outcome` label.
    fn outcome(self) -> &'static str {
        match self {
            TestEnding::Completed(_) => "completed",
            TestEnding::Died => "died",
            TestEnding::Overdue => "overdue",
            TestEnding::Requeued => "requeued",
        }
    }

    /// The `worst_level` label: a level name for completed tests, `none`
    /// otherwise (a failed test's only entry is the backend's own).
    fn worst_level(self) -> &'static str {
        match self {
            TestEnding::Completed(Some(level)) => level_name(level),
            _ => "none",
        }
    }
}

/// The name of a stored numeric level (`log_level` table, spec §3).
fn level_name(level: i32) -> &'static str {
    match level {
        i32::MIN..=0 => "DEBUG",
        1 => "INFO",
        2 => "NOTICE",
        3 => "WARNING",
        4 => "ERROR",
        _ => "CRITICAL",
    }
}

/// The metric families, registered once in their own registry (never the
/// process-global one, so two backends in one test process do not share
/// counts).
struct Families {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    tests_started: IntCounter,
    tests_finished: IntCounterVec,
    test_seconds: Histogram,
    claims: IntCounter,
    running: IntGauge,
    slots: IntGauge,
    database_errors: IntCounterVec,
}

/// A metric family made from constant names and labels.
///
/// The names are constants of this file, valid as a unit test checks, so
/// failing here is a bug of ours.
fn registered<T: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    metric: prometheus::Result<T>,
) -> T {
    let metric = metric.expect("metric names and labels are valid constants");
    registry
        .register(Box::new(metric.clone()))
        .expect("each metric name is registered once");
    metric
}

impl Families {
    fn new() -> Self {
        let registry = Registry::new();
        let requests = registered(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "zonemaster_rpcapi_requests_total",
                    "JSON-RPC requests answered, by method (`unknown` for names we do not have) \
                     and result (`success` or the JSON-RPC error code).",
                ),
                &["method", "result"],
            ),
        );
        let request_seconds = registered(
            &registry,
            HistogramVec::new(
                HistogramOpts::new(
                    "zonemaster_rpcapi_request_duration_seconds",
                    "Time to answer one JSON-RPC request, by method.",
                )
                .buckets(REQUEST_BUCKETS.to_vec()),
                &["method"],
            ),
        );
        let tests_started = registered(
            &registry,
            IntCounter::new(
                "zonemaster_agent_tests_started_total",
                "Tests this agent started running.",
            ),
        );
        let tests_finished = registered(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "zonemaster_agent_tests_finished_total",
                    "Tests this agent ended, by outcome (completed, died, overdue, requeued) \
                     and the worst level of a completed test's messages.",
                ),
                &["outcome", "worst_level"],
            ),
        );
        let test_seconds = registered(
            &registry,
            Histogram::with_opts(
                HistogramOpts::new(
                    "zonemaster_agent_test_duration_seconds",
                    "Time from claiming a test to storing its outcome.",
                )
                .buckets(TEST_BUCKETS.to_vec()),
            ),
        );
        let claims = registered(
            &registry,
            IntCounter::new(
                "zonemaster_agent_claims_total",
                "Tests this agent claimed from the queue.",
            ),
        );
        let running = registered(
            &registry,
            IntGauge::new(
                "zonemaster_agent_running_tests",
                "Tests this agent runs now.",
            ),
        );
        let slots = registered(
            &registry,
            IntGauge::new(
                "zonemaster_agent_max_running_tests",
                "Tests this agent runs at once at most.",
            ),
        );
        let database_errors = registered(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "zonemaster_database_errors_total",
                    "Database operations that failed, by operation.",
                ),
                &["operation"],
            ),
        );
        Self {
            registry,
            requests,
            request_seconds,
            tests_started,
            tests_finished,
            test_seconds,
            claims,
            running,
            slots,
            database_errors,
        }
    }
}

/// The Prometheus metrics of one process, cheap to clone; disabled (every
/// call a no-op) unless made with [`Telemetry::enabled`].
#[derive(Clone, Default)]
pub struct Telemetry {
    families: Option<Arc<Families>>,
}

impl std::fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Telemetry")
            .field("enabled", &self.families.is_some())
            .finish()
    }
}

impl Telemetry {
    /// Metrics that record nothing.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// Metrics that count, from zero.
    pub fn enabled() -> Self {
        Self {
            families: Some(Arc::new(Families::new())),
        }
    }

    /// True when something is counted.
    pub fn is_enabled(&self) -> bool {
        self.families.is_some()
    }

    /// One JSON-RPC request answered: `method` is one of ours or
    /// `unknown`, `code` the error code (`None` for a result), `elapsed`
    /// its time (`None` for a body refused before any request was read,
    /// which is counted but not timed).
    pub fn api_request(&self, method: &str, code: Option<i64>, elapsed: Option<Duration>) {
        let Some(families) = &self.families else {
            return;
        };
        let result = code.map_or_else(|| "success".to_owned(), |code| code.to_string());
        families
            .requests
            .with_label_values(&[method, result.as_str()])
            .inc();
        if let Some(elapsed) = elapsed {
            families
                .request_seconds
                .with_label_values(&[method])
                .observe(elapsed.as_secs_f64());
        }
    }

    /// `count` tests claimed in one round trip.
    pub fn claimed(&self, count: usize) {
        if let Some(families) = &self.families {
            families
                .claims
                .inc_by(u64::try_from(count).unwrap_or(u64::MAX));
        }
    }

    /// A test started running in this agent.
    pub fn test_started(&self) {
        if let Some(families) = &self.families {
            families.tests_started.inc();
            families.running.inc();
        }
    }

    /// A test this agent ran ended as `ending` after `elapsed`.
    pub fn test_ended(&self, ending: TestEnding, elapsed: Duration) {
        if let Some(families) = &self.families {
            families.running.dec();
            families
                .tests_finished
                .with_label_values(&[ending.outcome(), ending.worst_level()])
                .inc();
            families.test_seconds.observe(elapsed.as_secs_f64());
        }
    }

    /// The agent's concurrency limit.
    pub fn set_max_running(&self, maximum: usize) {
        if let Some(families) = &self.families {
            families
                .slots
                .set(i64::try_from(maximum).unwrap_or(i64::MAX));
        }
    }

    /// A database operation failed (`claim`, `finish`, `heartbeat`, …).
    pub fn database_error(&self, operation: &str) {
        if let Some(families) = &self.families {
            families
                .database_errors
                .with_label_values(&[operation])
                .inc();
        }
    }

    /// The families to expose: ours, then `extra` (read at scrape time).
    pub(crate) fn gather(&self, extra: Vec<MetricFamily>) -> Vec<MetricFamily> {
        let mut families = self
            .families
            .as_ref()
            .map(|families| families.registry.gather())
            .unwrap_or_default();
        families.extend(extra);
        families
    }
}

/// `families` in the text exposition format 0.0.4.
pub(crate) fn encode(families: &[MetricFamily]) -> Result<Vec<u8>, prometheus::Error> {
    let mut text = Vec::new();
    TextEncoder::new().encode(families, &mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(telemetry: &Telemetry) -> String {
        String::from_utf8(encode(&telemetry.gather(Vec::new())).unwrap()).unwrap()
    }

    #[test]
    fn requests_are_counted_by_method_and_code_and_timed() {
        let telemetry = Telemetry::enabled();
        telemetry.api_request("version_info", None, Some(Duration::from_millis(2)));
        telemetry.api_request("version_info", None, Some(Duration::from_millis(2)));
        telemetry.api_request("unknown", Some(-32601), None);
        let text = text_of(&telemetry);
        assert!(
            text.contains("# TYPE zonemaster_rpcapi_requests_total counter"),
            "{text}"
        );
        assert!(
            text.contains(
                "zonemaster_rpcapi_requests_total{method=\"version_info\",result=\"success\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "zonemaster_rpcapi_requests_total{method=\"unknown\",result=\"-32601\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "zonemaster_rpcapi_request_duration_seconds_bucket{method=\"version_info\",le=\"0.0025\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "zonemaster_rpcapi_request_duration_seconds_count{method=\"version_info\"} 2"
            ),
            "{text}"
        );
    }

    #[test]
    fn tests_are_counted_by_outcome_and_worst_level() {
        let telemetry = Telemetry::enabled();
        telemetry.set_max_running(4);
        telemetry.claimed(2);
        telemetry.test_started();
        telemetry.test_started();
        telemetry.test_ended(TestEnding::Completed(Some(4)), Duration::from_secs(3));
        let text = text_of(&telemetry);
        for line in [
            "zonemaster_agent_claims_total 2",
            "zonemaster_agent_tests_started_total 2",
            "zonemaster_agent_running_tests 1",
            "zonemaster_agent_max_running_tests 4",
            "zonemaster_agent_tests_finished_total{outcome=\"completed\",worst_level=\"ERROR\"} 1",
            "zonemaster_agent_test_duration_seconds_bucket{le=\"2\"} 0",
            "zonemaster_agent_test_duration_seconds_bucket{le=\"5\"} 1",
            "zonemaster_agent_test_duration_seconds_sum 3",
        ] {
            assert!(
                text.lines().any(|shown| shown == line),
                "no `{line}` in\n{text}"
            );
        }
    }

    #[test]
    fn level_names_cover_every_stored_number() {
        let names: Vec<_> = (-1..=6).map(level_name).collect();
        assert_eq!(
            names,
            [
                "DEBUG", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "CRITICAL"
            ]
        );
        assert_eq!(TestEnding::Completed(None).worst_level(), "none");
        assert_eq!(TestEnding::Died.worst_level(), "none");
    }

    #[test]
    fn disabled_telemetry_exposes_nothing() {
        let telemetry = Telemetry::disabled();
        telemetry.api_request("version_info", None, Some(Duration::ZERO));
        telemetry.test_started();
        telemetry.database_error("claim");
        assert!(telemetry.gather(Vec::new()).is_empty());
    }
}
