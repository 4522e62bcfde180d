//! What a key does in each view.

use crate::i18n::Language;
use crate::report::Format;

use super::action::Action;
use super::app::{AppState, BatchDrill, ExportPrompt, FILTER_LEVELS, ListId, Remote, ViewId};
use super::form;
use super::request::Request;
use super::rows::{ResultRow, result_rows};

pub use super::replies::take_reply;

/// Rows a page key moves.
const PAGE: usize = 10;

/// A key's meaning in the shown view.
pub fn view_key(state: &mut AppState, action: Action) -> Vec<Request> {
    match state.view {
        ViewId::Queue => queue_key(state, action),
        ViewId::Batches => batches_key(state, action),
        ViewId::Result => result_key(state, action),
        ViewId::History => history_key(state, action),
        ViewId::NewTest => form::form_key(state, action),
    }
}

/// Moves `selected` within `count` rows.
pub fn moved(selected: usize, count: usize, action: &Action) -> usize {
    let last = count.saturating_sub(1);
    let target = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => selected.saturating_add(1),
        Action::PageUp => selected.saturating_sub(PAGE),
        Action::PageDown => selected.saturating_add(PAGE),
        Action::Top => 0,
        Action::Bottom => last,
        _ => selected,
    };
    target.min(last)
}

/// The list the shown view selects in now, if any: none while a prompt,
/// a field or an overlay has the keys.
pub fn current_list(state: &AppState) -> Option<ListId> {
    match state.view {
        ViewId::Queue => Some(ListId::Queue),
        ViewId::Batches if state.batches.confirm_cancel.is_some() => None,
        ViewId::Batches if state.batches.drill.is_some() => Some(ListId::BatchDomains),
        ViewId::Batches => Some(ListId::Batches),
        ViewId::Result if state.result.is_searching || state.result.export.is_some() => None,
        ViewId::Result => Some(ListId::Result),
        ViewId::History if state.history.is_editing || state.history.diff.is_some() => None,
        ViewId::History => Some(ListId::History),
        ViewId::NewTest => None,
    }
}

/// The number of rows of `list` now.
fn list_len(state: &AppState, list: ListId) -> usize {
    match list {
        ListId::Queue => state.queue.ready().map_or(0, |queue| queue.tests.len()),
        ListId::Batches => state.batches.list.ready().map_or(0, Vec::len),
        ListId::BatchDomains => state
            .batches
            .drill
            .as_ref()
            .and_then(|drill| drill.domains.ready())
            .map_or(0, Vec::len),
        ListId::History => state.history.entries.ready().map_or(0, Vec::len),
        ListId::Result => state
            .result
            .report
            .ready()
            .map_or(0, |report| result_rows(report, &state.result).len()),
    }
}

/// The highlighted row of `list`.
fn selected_mut(state: &mut AppState, list: ListId) -> Option<&mut usize> {
    match list {
        ListId::Queue => Some(&mut state.queue_selected),
        ListId::Batches => Some(&mut state.batches.selected),
        ListId::BatchDomains => state
            .batches
            .drill
            .as_mut()
            .map(|drill| &mut drill.selected),
        ListId::History => Some(&mut state.history.selected),
        ListId::Result => Some(&mut state.result.selected),
    }
}

/// A click on row `index` of `list`: selects it, or acts as Enter when
/// it is selected already. Ignored when the list is no longer the one
/// shown or has no such row (the data changed since it was drawn).
pub fn click_row(state: &mut AppState, list: ListId, index: usize) -> Vec<Request> {
    if current_list(state) != Some(list) || index >= list_len(state, list) {
        return Vec::new();
    }
    let Some(selected) = selected_mut(state, list) else {
        return Vec::new();
    };
    if *selected == index {
        view_key(state, Action::Enter)
    } else {
        *selected = index;
        Vec::new()
    }
}

fn is_move(action: &Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
    )
}

/// Shows test `test_id` in the Result view: its progress, then its
/// results.
pub fn open_result(state: &mut AppState, test_id: String) -> Vec<Request> {
    state.view = ViewId::Result;
    let result = &mut state.result;
    result.test_id = Some(test_id.clone());
    result.progress = None;
    result.report = Remote::Loading;
    result.selected = 0;
    result.collapsed.clear();
    result.search.clear();
    result.is_searching = false;
    result.export = None;
    result.notice = None;
    vec![Request::Progress(test_id)]
}

fn queue_key(state: &mut AppState, action: Action) -> Vec<Request> {
    let tests = state
        .queue
        .ready()
        .map(|q| q.tests.as_slice())
        .unwrap_or(&[]);
    match action {
        Action::Enter => match tests.get(state.queue_selected) {
            Some(test) => open_result(state, test.id.clone()),
            None => Vec::new(),
        },
        Action::Key('r') => vec![Request::Queue],
        action if is_move(&action) => {
            state.queue_selected = moved(state.queue_selected, tests.len(), &action);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn batches_key(state: &mut AppState, action: Action) -> Vec<Request> {
    if let Some(batch_id) = state.batches.confirm_cancel {
        return confirm_key(state, batch_id, &action);
    }
    if action == Action::Key('c') {
        ask_cancel(state);
        return Vec::new();
    }
    if let Some(drill) = &mut state.batches.drill {
        let count = drill.domains.ready().map_or(0, Vec::len);
        return match action {
            Action::Back => {
                state.batches.drill = None;
                vec![Request::Batches]
            }
            Action::Enter => {
                let domain = drill.domains.ready().and_then(|d| d.get(drill.selected));
                match domain.map(|d| d.test_id.clone()) {
                    Some(id) => open_result(state, id),
                    None => Vec::new(),
                }
            }
            Action::Key('r') => vec![Request::BatchDomains(drill.batch_id)],
            action => {
                drill.selected = moved(drill.selected, count, &action);
                Vec::new()
            }
        };
    }
    let batches = state.batches.list.ready().map(Vec::as_slice).unwrap_or(&[]);
    match action {
        Action::Enter => match batches.get(state.batches.selected) {
            Some(batch) => {
                let batch_id = batch.batch_id;
                state.batches.drill = Some(BatchDrill {
                    batch_id,
                    domains: Remote::Loading,
                    selected: 0,
                });
                vec![Request::BatchDomains(batch_id)]
            }
            None => Vec::new(),
        },
        Action::Key('r') => vec![Request::Batches],
        action => {
            state.batches.selected = moved(state.batches.selected, batches.len(), &action);
            Vec::new()
        }
    }
}

/// `c`: asks to confirm cancelling the highlighted or drilled batch.
fn ask_cancel(state: &mut AppState) {
    let batches = &mut state.batches;
    let batch_id = match &batches.drill {
        Some(drill) => Some(drill.batch_id),
        None => batches
            .list
            .ready()
            .and_then(|list| list.get(batches.selected))
            .map(|batch| batch.batch_id),
    };
    let Some(batch_id) = batch_id else {
        return;
    };
    if state.credentials.is_none() {
        batches.notice = Some(
            "cancelling a batch needs an API user: start with --user and --api-key".to_owned(),
        );
        return;
    }
    batches.notice = None;
    batches.confirm_cancel = Some(batch_id);
}

fn confirm_key(state: &mut AppState, batch_id: i64, action: &Action) -> Vec<Request> {
    match action {
        Action::Key('y' | 'Y') => {
            state.batches.confirm_cancel = None;
            let Some(credentials) = state.credentials.clone() else {
                return Vec::new();
            };
            state.batches.notice = Some(format!("cancelling batch {batch_id}…"));
            vec![Request::CancelBatch {
                batch_id,
                user: credentials.user,
                api_key: credentials.api_key,
            }]
        }
        Action::Key('n' | 'N') | Action::Back => {
            state.batches.confirm_cancel = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn result_key(state: &mut AppState, action: Action) -> Vec<Request> {
    if state.result.export.is_some() {
        return export_key(state, action);
    }
    if state.result.is_searching {
        search_key(state, action);
        return Vec::new();
    }
    let result = &mut state.result;
    match action {
        Action::Key(digit @ '1'..='6') => {
            let index = digit as usize - '1' as usize;
            if let Some(level) = FILTER_LEVELS.get(index) {
                result.min_level = *level;
                result.selected = 0;
            }
            Vec::new()
        }
        Action::Key('l') => {
            let index = FILTER_LEVELS.iter().position(|l| *l == result.min_level);
            let next = index.map_or(0, |i| (i + 1) % FILTER_LEVELS.len());
            result.min_level = FILTER_LEVELS.get(next).copied().unwrap_or(result.min_level);
            result.selected = 0;
            Vec::new()
        }
        Action::Key('/') => {
            result.is_searching = true;
            Vec::new()
        }
        Action::Key('L') => {
            result.language = next_language(result.language);
            results_again(state)
        }
        Action::Key('r') => results_again(state),
        Action::Key('x') => {
            open_export(state);
            Vec::new()
        }
        Action::Key('h') => match result.report.ready().map(|r| r.domain.clone()) {
            Some(domain) => {
                state.history.domain = domain.clone();
                state.history.entries = Remote::Loading;
                state.history.selected = 0;
                state.history.marked = None;
                state.view = ViewId::History;
                vec![Request::History(domain)]
            }
            None => Vec::new(),
        },
        Action::Enter | Action::Space => {
            toggle_group(state);
            Vec::new()
        }
        action if is_move(&action) => {
            let count = state
                .result
                .report
                .ready()
                .map_or(0, |report| result_rows(report, &state.result).len());
            state.result.selected = moved(state.result.selected, count, &action);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn next_language(language: Language) -> Language {
    let index = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0);
    Language::ALL
        .get((index + 1) % Language::ALL.len())
        .copied()
        .unwrap_or(Language::En)
}

/// Fetches the shown test's results again (another language, say).
fn results_again(state: &mut AppState) -> Vec<Request> {
    let Some(test_id) = state.result.test_id.clone() else {
        return Vec::new();
    };
    if state.result.report.ready().is_none() {
        return Vec::new();
    }
    vec![Request::Results {
        test_id,
        language: state.result.language.code().to_owned(),
    }]
}

/// Folds or unfolds the highlighted heading.
fn toggle_group(state: &mut AppState) {
    let Some(report) = state.result.report.ready() else {
        return;
    };
    let rows = result_rows(report, &state.result);
    let Some(key) = rows
        .get(state.result.selected)
        .and_then(ResultRow::group_key)
    else {
        return;
    };
    if !state.result.collapsed.remove(&key) {
        state.result.collapsed.insert(key);
    }
}

fn search_key(state: &mut AppState, action: Action) {
    let result = &mut state.result;
    match action {
        Action::Key(c) => result.search.push(c),
        Action::Space => result.search.push(' '),
        Action::Backspace => {
            result.search.pop();
        }
        Action::Enter => result.is_searching = false,
        Action::Back => {
            result.search.clear();
            result.is_searching = false;
        }
        _ => {}
    }
    result.selected = 0;
}

/// `x`: the export prompt, with a file name from the test id.
fn open_export(state: &mut AppState) {
    let Some(report) = state.result.report.ready() else {
        return;
    };
    let name = report.id.as_deref().unwrap_or(report.domain.as_str());
    state.result.export = Some(ExportPrompt {
        format: Format::Text,
        path: format!("zonemaster-{name}.{}", extension(Format::Text)),
    });
}

/// The usual file name extension of `format`.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Html => "html",
        Format::Markdown => "md",
    }
}

fn export_key(state: &mut AppState, action: Action) -> Vec<Request> {
    let Some(prompt) = &mut state.result.export else {
        return Vec::new();
    };
    match action {
        Action::Left | Action::Right => {
            let step = if action == Action::Right {
                1
            } else {
                Format::ALL.len() - 1
            };
            let index = Format::ALL
                .iter()
                .position(|f| *f == prompt.format)
                .unwrap_or(0);
            let next = Format::ALL
                .get((index + step) % Format::ALL.len())
                .copied()
                .unwrap_or(Format::Text);
            let old = format!(".{}", extension(prompt.format));
            if let Some(stem) = prompt.path.strip_suffix(&old) {
                prompt.path = format!("{stem}.{}", extension(next));
            }
            prompt.format = next;
        }
        Action::Key(c) => prompt.path.push(c),
        Action::Space => prompt.path.push(' '),
        Action::Backspace => {
            prompt.path.pop();
        }
        Action::Back => state.result.export = None,
        Action::Enter => return write_export(state),
        _ => {}
    }
    Vec::new()
}

/// The report as filtered, in the chosen format, to the chosen file.
fn write_export(state: &mut AppState) -> Vec<Request> {
    let Some(prompt) = state.result.export.take() else {
        return Vec::new();
    };
    let Some(report) = state.result.report.ready() else {
        return Vec::new();
    };
    let mut report = report.clone();
    report.retain_at_least(state.result.min_level);
    let search = state.result.clone();
    report
        .entries
        .retain(|entry| super::rows::is_shown(entry, &search));
    vec![Request::Export {
        path: prompt.path.into(),
        contents: report.render(prompt.format),
    }]
}

fn history_key(state: &mut AppState, action: Action) -> Vec<Request> {
    let history = &mut state.history;
    if history.diff.is_some() {
        if matches!(action, Action::Back | Action::Enter | Action::Key('d')) {
            history.diff = None;
            history.diff_scroll = 0;
        } else if is_move(&action) {
            // How far the diff scrolls is known from its last drawing.
            let lines = state.hits.get().diff_max_scroll + 1;
            history.diff_scroll = moved(history.diff_scroll, lines, &action);
        }
        return Vec::new();
    }
    if history.is_editing {
        match action {
            Action::Key(c) => history.domain.push(c),
            Action::Backspace => {
                history.domain.pop();
            }
            Action::Back => history.is_editing = false,
            Action::Enter => {
                history.is_editing = false;
                history.entries = Remote::Loading;
                history.selected = 0;
                history.marked = None;
                return vec![Request::History(history.domain.trim().to_owned())];
            }
            _ => {}
        }
        return Vec::new();
    }
    let entries = history.entries.ready().map(Vec::as_slice).unwrap_or(&[]);
    match action {
        Action::Key('e' | '/') => {
            history.is_editing = true;
            Vec::new()
        }
        Action::Key('r') if !history.domain.is_empty() => {
            vec![Request::History(history.domain.clone())]
        }
        Action::Space => {
            history.marked = match history.marked {
                Some(marked) if marked == history.selected => None,
                _ => Some(history.selected),
            };
            Vec::new()
        }
        Action::Enter => match entries.get(history.selected) {
            Some(entry) => {
                let id = entry.test_id().to_owned();
                open_result(state, id)
            }
            None => Vec::new(),
        },
        Action::Key('d') => diff_request(state),
        action => {
            history.selected = moved(history.selected, entries.len(), &action);
            Vec::new()
        }
    }
}

/// `d`: the highlighted test against the marked one, or against the one
/// before it when none is marked. The list is newest first.
fn diff_request(state: &mut AppState) -> Vec<Request> {
    let history = &mut state.history;
    let Some(entries) = history.entries.ready() else {
        return Vec::new();
    };
    let other = history
        .marked
        .filter(|marked| *marked != history.selected)
        .unwrap_or(history.selected + 1);
    let (newer, older) = (history.selected.min(other), history.selected.max(other));
    let (Some(new), Some(old)) = (entries.get(newer), entries.get(older)) else {
        history.diff = Some(Remote::Failed(
            "a diff needs two tests: mark one with Space, or pick one with an older test below"
                .to_owned(),
        ));
        return Vec::new();
    };
    let request = Request::Diff {
        old: old.test_id().to_owned(),
        new: new.test_id().to_owned(),
    };
    history.diff = Some(Remote::Loading);
    history.diff_scroll = 0;
    vec![request]
}
