//! Applies an [`Action`] to the [`AppState`] and names the API calls it
//! needs. No I/O here: the loop runs the returned [`Request`]s.
//!
//! Time is the tick counter, one tick a second, so refresh and back-off
//! can be tested without a clock.

use ratatui::layout::Position;

use crate::api_types::DelegationData;

use super::action::Action;
use super::app::{AppState, Connection, Remote, ViewId};
use super::keys;
use super::request::{ApiFailure, Reply, Request};

/// Ticks between refreshes of the shown view.
const REFRESH_TICKS: u64 = 2;

/// Ticks between refreshes of a batch's domains: each needs one call per
/// test.
const DRILL_REFRESH_TICKS: u64 = 10;

/// The longest wait between retries of an unreachable API, in ticks.
const MAX_BACKOFF_TICKS: u64 = 30;

/// The calls of the first screen.
pub fn startup(state: &mut AppState) -> Vec<Request> {
    let requests = refresh(state);
    send(state, requests)
}

/// Applies `action`; returns the calls to make.
pub fn update(state: &mut AppState, action: Action) -> Vec<Request> {
    let requests = match action {
        Action::Quit => {
            state.should_quit = true;
            Vec::new()
        }
        Action::Tick => tick(state),
        Action::Redraw => Vec::new(),
        Action::Reply(reply) => answer(state, *reply),
        Action::ToggleHelp => {
            state.is_help_shown = !state.is_help_shown;
            Vec::new()
        }
        _ if state.is_help_shown => {
            if action == Action::Back {
                state.is_help_shown = false;
            }
            Vec::new()
        }
        Action::Show(view) => show(state, view),
        Action::Click { column, row } => click(state, column, row),
        Action::NextView => show(state, state.view.shifted(1)),
        Action::PreviousView => show(state, state.view.shifted(-1)),
        other => keys::view_key(state, other),
    };
    send(state, requests)
}

/// Drops periodic calls of a kind already out and records the rest.
fn send(state: &mut AppState, requests: Vec<Request>) -> Vec<Request> {
    requests
        .into_iter()
        .filter(|request| {
            let is_periodic = matches!(
                request,
                Request::Queue | Request::Batches | Request::BatchDomains(_) | Request::Progress(_)
            );
            let is_new = state.in_flight.insert(request.key());
            is_new || !is_periodic
        })
        .collect()
}

/// Switches to `view` and fetches what it shows.
pub fn show(state: &mut AppState, view: ViewId) -> Vec<Request> {
    state.view = view;
    let mut requests = refresh(state);
    if view == ViewId::History
        && !state.history.domain.is_empty()
        && state.history.entries == Remote::Loading
    {
        requests.push(Request::History(state.history.domain.clone()));
    }
    requests
}

/// A left click: on a tab, shows its view; on a row of the shown list,
/// selects it, or opens it when it already was. Mapped through where the
/// last drawing put them ([`AppState::hits`]).
fn click(state: &mut AppState, column: u16, row: u16) -> Vec<Request> {
    let hits = state.hits.get();
    let position = Position::new(column, row);
    let tab = hits
        .tabs
        .iter()
        .position(|tab| tab.is_some_and(|area| area.contains(position)));
    if let Some(view) = tab.and_then(|index| ViewId::ALL.get(index)) {
        return show(state, *view);
    }
    match hits.list {
        Some(list) if list.rows.contains(position) => {
            let index = list.first + usize::from(row - list.rows.y);
            keys::click_row(state, list.list, index)
        }
        _ => Vec::new(),
    }
}

/// A second went by: refresh the view, or retry once the back-off ended.
fn tick(state: &mut AppState) -> Vec<Request> {
    state.tick += 1;
    match &state.connection {
        Connection::Down { retry_at, .. } if state.tick < *retry_at => Vec::new(),
        Connection::Down { .. } => {
            let mut requests = refresh(state);
            if requests.is_empty() {
                // Any answer, "method not found" too, shows it is back.
                requests.push(Request::Queue);
            }
            requests
        }
        Connection::Up if state.tick.is_multiple_of(REFRESH_TICKS) => refresh(state),
        Connection::Up => Vec::new(),
    }
}

/// The calls that bring the shown view up to date.
pub fn refresh(state: &AppState) -> Vec<Request> {
    match state.view {
        ViewId::Queue if !matches!(state.queue, Remote::Missing(_)) => vec![Request::Queue],
        ViewId::Batches => match &state.batches.drill {
            Some(drill) if is_drill_refresh_due(state, &drill.domains) => {
                vec![Request::BatchDomains(drill.batch_id)]
            }
            Some(_) => Vec::new(),
            None if matches!(state.batches.list, Remote::Missing(_)) => Vec::new(),
            None => vec![Request::Batches],
        },
        ViewId::Result => match (&state.result.test_id, &state.result.report) {
            (Some(id), Remote::Loading) if state.result.progress.is_none_or(|p| p < 100) => {
                vec![Request::Progress(id.clone())]
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Domains are fetched again only while some test has not ended.
fn is_drill_refresh_due(
    state: &AppState,
    domains: &Remote<Vec<super::model::BatchDomain>>,
) -> bool {
    let Some(domains) = domains.ready() else {
        return false;
    };
    let is_open = domains
        .iter()
        .any(|d| matches!(d.state.as_str(), "waiting" | "running"));
    is_open && state.tick.is_multiple_of(DRILL_REFRESH_TICKS)
}

/// Takes a reply in: the connection's state first, then the data.
fn answer(state: &mut AppState, reply: Reply) -> Vec<Request> {
    state.in_flight.remove(reply.key());
    match reply.failure() {
        Some(ApiFailure::Unreachable(message)) => {
            let failures = match &state.connection {
                Connection::Down { failures, .. } => failures.saturating_add(1),
                Connection::Up => 1,
            };
            state.connection = Connection::Down {
                message: message.clone(),
                failures,
                retry_at: state.tick + backoff(failures),
            };
        }
        Some(_) | None => state.connection = Connection::Up,
    }
    keys::take_reply(state, reply)
}

/// Ticks to wait after `failures` failures in a row: 1, 2, 4, … 30.
pub fn backoff(failures: u32) -> u64 {
    let exponent = failures.saturating_sub(1).min(5);
    (1u64 << exponent).min(MAX_BACKOFF_TICKS)
}

/// The form's fields from the parent's delegation.
pub fn prefill_text(data: &DelegationData) -> (String, String) {
    let nameservers = data
        .ns_list
        .iter()
        .map(|ns| match &ns.ip {
            Some(ip) => format!("{}/{ip}", ns.ns),
            None => ns.ns.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let ds = data
        .ds_list
        .iter()
        .map(|ds| {
            format!(
                "{},{},{},{}",
                ds.keytag, ds.algorithm, ds.digtype, ds.digest
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    (nameservers, ds)
}
