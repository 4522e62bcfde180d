//! Our `queue_status` and `batch_list`: the queue and the batches at a
//! glance, for dashboards (`zmctl tui`). Neither is in the reference
//! API; both read only through indexes (store schema version 3).

use serde_json::{Map, Value};

use super::integer;
use super::jobs::api_time;
use crate::api_types::{AgentSeen, BatchSummary, QueueStatus, QueuedTest};
use crate::rpc::api::Api;
use crate::rpc::error::RpcError;
use crate::rpc::validate::{Property, Schema};
use crate::store;

/// Tests `queue_status` lists unless asked otherwise.
const DEFAULT_QUEUE_LIMIT: i64 = 50;
/// Batches `batch_list` lists unless asked otherwise.
const DEFAULT_BATCH_LIMIT: i64 = 100;
/// The most either lists in one answer.
const MAX_LIMIT: i64 = 1000;

/// A `limit` member: 1 to [`MAX_LIMIT`].
fn limit() -> Property {
    Property::optional(
        "limit",
        Schema::IntegerIn {
            min: 1,
            max: MAX_LIMIT,
        },
    )
}

/// `{limit?}`.
pub(super) fn status_schema() -> Schema {
    Schema::Object(vec![limit()])
}

/// `{limit?, offset?}`.
pub(super) fn list_schema() -> Schema {
    Schema::Object(vec![
        limit(),
        Property::optional("offset", Schema::Integer(Some(0))),
    ])
}

/// A count or offset the schema made sure of.
fn unsigned(params: &Map<String, Value>, name: &str, default: i64) -> u64 {
    u64::try_from(integer(params, name, default)).unwrap_or(0)
}

/// The waiting and running tests, the agents seen and the throughput.
pub(super) async fn status(
    api: &Api,
    params: &Map<String, Value>,
) -> Result<QueueStatus, RpcError> {
    let now = api.now();
    let limit = unsigned(params, "limit", DEFAULT_QUEUE_LIMIT);
    let overview = api.store.queue_overview(limit, now).await?;
    let age = |oldest: store::Timestamp| {
        let milliseconds = (now - oldest).num_milliseconds().max(0);
        // Exact below 2^53 ms, some 285,000 years.
        #[expect(clippy::cast_precision_loss, reason = "ages are far below 2^53 ms")]
        let seconds = milliseconds as f64 / 1000.0;
        seconds
    };
    Ok(QueueStatus {
        waiting: overview.waiting,
        running: overview.running,
        oldest_waiting_seconds: overview.oldest_waiting.map(age),
        tests: overview.tests.into_iter().map(queued_test).collect(),
        agents: overview.agents.into_iter().map(agent_seen).collect(),
        finished_per_minute: overview.finished_per_minute,
    })
}

/// A page of batches, newest first.
pub(super) async fn list(
    api: &Api,
    params: &Map<String, Value>,
) -> Result<Vec<BatchSummary>, RpcError> {
    let limit = unsigned(params, "limit", DEFAULT_BATCH_LIMIT);
    let offset = unsigned(params, "offset", 0);
    let batches = api.store.batch_list(limit, offset).await?;
    Ok(batches
        .into_iter()
        .map(|batch| BatchSummary {
            total: batch.total(),
            batch_id: batch.batch_id,
            created_at: api_time(batch.created_at),
            username: batch.username,
            waiting: batch.waiting,
            running: batch.running,
            finished: batch.finished,
        })
        .collect())
}

/// A test as the API writes it.
fn queued_test(test: store::QueuedTest) -> QueuedTest {
    QueuedTest {
        id: test.hash_id,
        domain: test.domain,
        state: test.state.as_str().to_owned(),
        progress: test.progress,
        created_at: api_time(test.created_at),
        started_at: test.started_at.map(api_time),
        batch_id: test.batch_id,
        queue: test.queue,
        priority: test.priority,
        agent: test.agent,
    }
}

/// An agent as the API writes it.
fn agent_seen(agent: store::AgentSeen) -> AgentSeen {
    AgentSeen {
        agent: agent.name,
        last_seen: api_time(agent.last_seen),
        running: agent.running,
    }
}
