//! The telemetry listener: `GET /metrics` (Prometheus text format 0.0.4)
//! and `GET /healthz`; every other path is 404.
//!
//! It is its own listener so the API's port can stay public while this
//! one stays on loopback or a management network: metrics tell a stranger
//! how busy the service is, and a scrape costs database reads.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus::proto::MetricFamily;
use prometheus::{IntGauge, Registry};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::recorder::{Telemetry, encode};
use crate::error_chain;
use crate::store::{QueueOverview, Store};

/// How long `/healthz` and a scrape wait for the database. Short: a
/// health check that hangs is read as down by every load balancer anyway,
/// and the answer should say why.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// Why the telemetry listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// The address could not be bound.
    #[error("cannot listen for metrics on {listen}")]
    Listen {
        /// `ADDR:PORT` as given.
        listen: String,
        #[source]
        source: std::io::Error,
    },
}

/// What the handlers share.
#[derive(Clone)]
struct Shared {
    telemetry: Telemetry,
    store: Arc<dyn Store>,
}

/// The running listener; stopped when dropped.
#[derive(Debug)]
pub struct Endpoint {
    /// The bound address (port 0 resolved).
    pub address: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `listen` and serves `telemetry` and the health of `store` on it
/// in a task of its own, until the returned [`Endpoint`] is dropped.
pub async fn bind(
    listen: &str,
    telemetry: Telemetry,
    store: Arc<dyn Store>,
) -> Result<Endpoint, EndpointError> {
    let failed = |source| EndpointError::Listen {
        listen: listen.to_owned(),
        source,
    };
    let listener = TcpListener::bind(listen).await.map_err(failed)?;
    let address = listener.local_addr().map_err(failed)?;
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(Shared { telemetry, store });
    let server = axum::serve(listener, app).into_future();
    let task = tokio::spawn(async move {
        if let Err(error) = server.await {
            tracing::error!(error = %error, "the metrics listener failed");
        }
    });
    tracing::info!(addr = %address, "metrics listening");
    Ok(Endpoint { address, task })
}

/// `GET /metrics`.
async fn metrics(State(shared): State<Shared>) -> Response {
    let queue = queue_families(&shared).await;
    match encode(&shared.telemetry.gather(queue)) {
        Ok(text) => {
            let mut response = (StatusCode::OK, text).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(prometheus::TEXT_FORMAT),
            );
            response
        }
        Err(error) => {
            tracing::error!(error = %error, "cannot encode the metrics");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot encode the metrics\n",
            )
                .into_response()
        }
    }
}

/// `GET /healthz`: 200 when the database answers a trivial query within
/// [`HEALTH_TIMEOUT`], else 503 with the reason.
async fn healthz(State(shared): State<Shared>) -> Response {
    let engine = shared.store.engine_name();
    let checked = tokio::time::timeout(HEALTH_TIMEOUT, shared.store.schema_version()).await;
    let problem = match checked {
        Ok(Ok(Some(_))) => None,
        Ok(Ok(None)) => Some("the database has no zonemaster schema".to_owned()),
        Ok(Err(error)) => Some(format!("the database failed: {}", error_chain(&error))),
        Err(_) => Some(format!(
            "the database did not answer within {} s",
            HEALTH_TIMEOUT.as_secs()
        )),
    };
    let (status, body) = match problem {
        None => (StatusCode::OK, json!({"status": "ok", "database": engine})),
        Some(reason) => {
            shared.telemetry.database_error("health_check");
            tracing::warn!(reason = %reason, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"status": "unavailable", "database": engine, "reason": reason}),
            )
        }
    };
    let mut response = (status, format!("{body}\n")).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The queue gauges, read from the store now (the overview's indexed
/// counts, no test rows), and `zonemaster_database_up`; without the queue
/// gauges when the store does not answer, so a graph shows a gap rather
/// than a stale value.
async fn queue_families(shared: &Shared) -> Vec<MetricFamily> {
    let now = chrono::Utc::now();
    let read = tokio::time::timeout(HEALTH_TIMEOUT, shared.store.queue_overview(0, now)).await;
    let overview = match read {
        Ok(Ok(overview)) => Some(overview),
        Ok(Err(error)) => {
            tracing::warn!(error = %error_chain(&error), "cannot read the queue for metrics");
            None
        }
        Err(_) => {
            tracing::warn!("the database did not answer the metrics' queue read in time");
            None
        }
    };
    if overview.is_none() {
        shared.telemetry.database_error("queue_overview");
    }
    scrape_registry(overview.as_ref(), now).gather()
}

/// A registry made for one scrape.
fn scrape_registry(
    overview: Option<&QueueOverview>,
    now: chrono::DateTime<chrono::Utc>,
) -> Registry {
    let registry = Registry::new();
    let gauge = |name: &str, help: &str, value: i64| {
        let metric = IntGauge::new(name, help).expect("gauge names are valid constants");
        metric.set(value);
        registry
            .register(Box::new(metric))
            .expect("each gauge name is registered once");
    };
    gauge(
        "zonemaster_database_up",
        "1 when the database answered this scrape's queue read, else 0.",
        i64::from(overview.is_some()),
    );
    let Some(overview) = overview else {
        return registry;
    };
    let count = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
    gauge(
        "zonemaster_queue_waiting_tests",
        "Tests in the database waiting for an agent (all queues).",
        count(overview.waiting),
    );
    gauge(
        "zonemaster_queue_running_tests",
        "Tests in the database that an agent runs (all agents).",
        count(overview.running),
    );
    gauge(
        "zonemaster_queue_oldest_waiting_seconds",
        "Age of the oldest waiting test, 0 when none waits.",
        overview
            .oldest_waiting
            .map_or(0, |created| (now - created).num_seconds().max(0)),
    );
    gauge(
        "zonemaster_queue_agents_seen",
        "Agents that sent a heartbeat in the last ten minutes.",
        i64::try_from(overview.agents.len()).unwrap_or(i64::MAX),
    );
    registry
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(registry: &Registry) -> String {
        String::from_utf8(encode(&registry.gather()).unwrap()).unwrap()
    }

    #[test]
    fn without_an_overview_only_the_database_is_reported_down() {
        let text = text_of(&scrape_registry(None, chrono::Utc::now()));
        assert!(text.contains("zonemaster_database_up 0"), "{text}");
        assert!(!text.contains("zonemaster_queue_"), "{text}");
    }

    #[test]
    fn the_overview_gives_the_queue_gauges() {
        let now = chrono::Utc::now();
        let overview = QueueOverview {
            waiting: 7,
            running: 2,
            oldest_waiting: Some(now - chrono::Duration::seconds(90)),
            tests: Vec::new(),
            agents: Vec::new(),
            finished_per_minute: Vec::new(),
        };
        let text = text_of(&scrape_registry(Some(&overview), now));
        for line in [
            "zonemaster_database_up 1",
            "zonemaster_queue_waiting_tests 7",
            "zonemaster_queue_running_tests 2",
            "zonemaster_queue_oldest_waiting_seconds 90",
            "zonemaster_queue_agents_seen 0",
        ] {
            assert!(
                text.lines().any(|shown| shown == line),
                "no `{line}` in\n{text}"
            );
        }
    }
}
