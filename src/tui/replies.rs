//! What each API answer changes in the state.

use super::app::{AppState, Remote};
use super::keys::open_result;
use super::request::{Answer, ApiFailure, Reply, Request};
use super::update::prefill_text;

/// Stores `reply`'s data where its view reads it; returns follow-up calls.
pub fn take_reply(state: &mut AppState, reply: Reply) -> Vec<Request> {
    match reply {
        Reply::Queue(answer) => {
            state.queue = remote(answer, &state.queue, "queue_status", "queue");
            let count = state.queue.ready().map_or(0, |q| q.tests.len());
            state.queue_selected = state.queue_selected.min(count.saturating_sub(1));
        }
        Reply::Batches(answer) => {
            let list = &state.batches.list;
            state.batches.list = remote(answer, list, "batch_list", "batches");
            let count = state.batches.list.ready().map_or(0, Vec::len);
            state.batches.selected = state.batches.selected.min(count.saturating_sub(1));
        }
        Reply::BatchDomains(batch_id, answer) => {
            if let Some(drill) = &mut state.batches.drill
                && drill.batch_id == batch_id
            {
                drill.domains = remote(answer, &drill.domains, "batch_status", "domains");
            }
        }
        Reply::Cancelled(batch_id, answer) => {
            state.batches.notice = Some(match answer {
                Ok(count) => format!("batch {batch_id}: {count} waiting tests cancelled"),
                Err(failure) => format!("batch {batch_id} not cancelled: {}", failure.message()),
            });
            return vec![Request::Batches];
        }
        Reply::Progress(test_id, answer) => return progress(state, &test_id, answer),
        Reply::Results(test_id, answer) => {
            if state.result.test_id.as_deref() == Some(test_id.as_str()) {
                if let Ok(report) = &answer {
                    state.result.progress = Some(100);
                    if !state.history.is_editing && state.history.domain != report.domain {
                        state.history.domain = report.domain.clone();
                        state.history.entries = Remote::Loading;
                    }
                }
                let report = &state.result.report;
                state.result.report = remote(answer, report, "get_test_results", "results");
            }
        }
        Reply::History(domain, answer) => {
            if state.history.domain.trim() == domain {
                let entries = &state.history.entries;
                state.history.entries = remote(answer, entries, "get_test_history", "history");
            }
        }
        Reply::Diff(answer) => {
            state.history.diff = Some(match answer {
                Ok(text) => Remote::Ready(text),
                Err(failure) => Remote::Failed(failure.message().to_owned()),
            });
        }
        Reply::Parent(domain, answer) => prefill(state, &domain, answer),
        Reply::Started(Ok(test_id)) => {
            state.form.notice = None;
            return open_result(state, test_id);
        }
        Reply::Started(Err(failure)) => {
            state.form.notice = Some(format!("not started: {}", failure.message()));
        }
        Reply::Exported(path, outcome) => {
            state.result.notice = Some(match outcome {
                Ok(()) => format!("wrote {}", path.display()),
                Err(error) => format!("cannot write {}: {error}", path.display()),
            });
        }
    }
    Vec::new()
}

/// The new data; on failure the reason, except that an unreachable API
/// keeps what was shown (the banner says it is stale).
fn remote<T: Clone>(answer: Answer<T>, old: &Remote<T>, method: &str, what: &str) -> Remote<T> {
    match answer {
        Ok(data) => Remote::Ready(data),
        Err(ApiFailure::MethodMissing(_)) => Remote::Missing(format!(
            "this server has no `{method}` method (an older zm-rpcapi): no {what} to show"
        )),
        Err(ApiFailure::Unreachable(_)) => old.clone(),
        Err(ApiFailure::Other(message)) => Remote::Failed(message),
    }
}

fn progress(state: &mut AppState, test_id: &str, answer: Answer<u8>) -> Vec<Request> {
    if state.result.test_id.as_deref() != Some(test_id) {
        return Vec::new();
    }
    match answer {
        Ok(progress) => {
            state.result.progress = Some(progress);
            if progress >= 100 {
                return vec![Request::Results {
                    test_id: test_id.to_owned(),
                    language: state.result.language.code().to_owned(),
                }];
            }
        }
        Err(ApiFailure::Unreachable(_)) => {}
        Err(failure) => state.result.report = Remote::Failed(failure.message().to_owned()),
    }
    Vec::new()
}

fn prefill(state: &mut AppState, domain: &str, answer: Answer<crate::api_types::DelegationData>) {
    let form = &mut state.form;
    if form.domain.trim() != domain {
        return;
    }
    form.notice = Some(match answer {
        Ok(data) if data.ns_list.is_empty() && data.ds_list.is_empty() => {
            format!("the parent publishes no delegation of {domain}")
        }
        Ok(data) => {
            (form.nameservers, form.ds) = prefill_text(&data);
            format!(
                "from the parent: {} name servers, {} DS records",
                data.ns_list.len(),
                data.ds_list.len()
            )
        }
        Err(failure) => format!("no delegation found: {}", failure.message()),
    });
}
