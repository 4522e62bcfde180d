//! Runs [`Request`]s in tokio tasks and sends their [`Reply`]s back to
//! the loop, so drawing and keys never wait on the network.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;

use crate::api_types::{BatchCancelParams, HistoryDomain, HistoryParams};
use crate::client::{Client, ClientError};
use crate::report::{Format, Report, diff};

use super::model::{BatchDomain, BatchSummary, QueueStatus};
use super::request::{Answer, ApiFailure, Reply, Request};

/// Tests listed by the Queue view.
const QUEUE_LIMIT: u64 = 200;

/// Batches listed by the Batches view.
const BATCH_LIMIT: u64 = 200;

/// JSON-RPC's "method not found".
const METHOD_NOT_FOUND: i64 = -32601;

/// Runs `request` in a task; its reply goes to `replies`.
pub fn spawn(client: Arc<Client>, request: Request, replies: UnboundedSender<Reply>) {
    tokio::spawn(async move {
        let reply = perform(&client, request).await;
        // The loop has ended when nobody listens; the reply is moot.
        let _ = replies.send(reply);
    });
}

/// Makes the call and wraps its outcome.
pub async fn perform(client: &Client, request: Request) -> Reply {
    match request {
        Request::Queue => Reply::Queue(queue(client).await),
        Request::Batches => Reply::Batches(batches(client).await),
        Request::BatchDomains(id) => Reply::BatchDomains(id, batch_domains(client, id).await),
        Request::CancelBatch {
            batch_id,
            user,
            api_key,
        } => {
            let params = BatchCancelParams {
                batch_id,
                username: user,
                api_key,
            };
            let answer = client.batch_cancel(&params).await;
            Reply::Cancelled(batch_id, answer.map(|c| c.cancelled).map_err(failure))
        }
        Request::Progress(id) => {
            let answer = client.test_progress(&id).await.map_err(failure);
            Reply::Progress(id, answer)
        }
        Request::Results { test_id, language } => {
            let answer = results(client, &test_id, &language).await;
            Reply::Results(test_id, answer)
        }
        Request::History(domain) => {
            let answer = client.test_history(&history_params(&domain)).await;
            Reply::History(domain, answer.map_err(failure))
        }
        Request::Diff { old, new } => Reply::Diff(diff_text(client, &old, &new).await),
        Request::Parent(domain) => {
            let params = crate::api_types::DelegationParams {
                domain: domain.clone(),
                language: None,
            };
            let answer = client.data_from_parent_zone(&params).await;
            Reply::Parent(domain, answer.map_err(failure))
        }
        Request::StartTest(params) => {
            Reply::Started(client.start_domain_test(&params).await.map_err(failure))
        }
        Request::Export { path, contents } => {
            let written = tokio::fs::write(&path, contents).await;
            Reply::Exported(path, written.map_err(|error| error.to_string()))
        }
    }
}

/// A client error as the dashboard tells them apart.
pub fn failure(error: ClientError) -> ApiFailure {
    match &error {
        ClientError::Unreachable { .. } => ApiFailure::Unreachable(error.to_string()),
        ClientError::Server(server) if server.code == METHOD_NOT_FOUND => {
            ApiFailure::MethodMissing(server.to_string())
        }
        ClientError::Server(server) => ApiFailure::Other(server.to_string()),
        _ => ApiFailure::Other(crate::error_chain(&error)),
    }
}

/// A method called by name, its answer read as `T`.
async fn call_json<T: DeserializeOwned>(client: &Client, method: &str, params: Value) -> Answer<T> {
    let value = client
        .call_value(method, Some(params))
        .await
        .map_err(failure)?;
    serde_json::from_value(value).map_err(|error| {
        ApiFailure::Other(format!(
            "the answer to {method} has an unexpected shape: {error}"
        ))
    })
}

async fn queue(client: &Client) -> Answer<QueueStatus> {
    call_json(client, "queue_status", json!({"limit": QUEUE_LIMIT})).await
}

async fn batches(client: &Client) -> Answer<Vec<BatchSummary>> {
    call_json(
        client,
        "batch_list",
        json!({"limit": BATCH_LIMIT, "offset": 0}),
    )
    .await
}

fn history_params(domain: &str) -> HistoryParams {
    HistoryParams {
        frontend_params: HistoryDomain {
            domain: domain.to_owned(),
        },
        offset: None,
        limit: None,
        filter: None,
    }
}

/// A test's results as a report.
async fn results(client: &Client, test_id: &str, language: &str) -> Answer<Report> {
    let value = client
        .call_value(
            "get_test_results",
            Some(json!({"id": test_id, "language": language})),
        )
        .await
        .map_err(failure)?;
    Report::from_results(&value).map_err(|error| ApiFailure::Other(error.to_string()))
}

/// What changed from `old` to `new`, as text.
async fn diff_text(client: &Client, old: &str, new: &str) -> Answer<String> {
    let (old, new) = futures::try_join!(results(client, old, "en"), results(client, new, "en"))?;
    Ok(diff(&old, &new).render(Format::Text))
}

/// Every domain of a batch with its state, and its worst level once it
/// completed.
async fn batch_domains(client: &Client, batch_id: i64) -> Answer<Vec<BatchDomain>> {
    let outcomes = client.batch_outcomes(batch_id).await.map_err(failure)?;
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            let ended = outcome.state == "completed" || outcome.state == "finished";
            BatchDomain {
                level: outcome.level.filter(|_| ended),
                domain: outcome.domain,
                test_id: outcome.test_id,
                state: outcome.state,
            }
        })
        .collect())
}
