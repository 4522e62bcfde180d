//! Drawing: one widget per view, the tabs, banner, footer and help around
//! them. Views read the state and never change it, but for one thing:
//! each records in [`AppState::hits`] where it drew the tabs and its
//! list, so that a mouse click is mapped through that very layout.

mod batches;
mod help;
mod history;
mod new_test;
mod queue;
mod result;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{AppState, Connection, HitMap, InputMode, ListHit, ListId, ViewId};

pub use batches::BatchesView;
pub use history::HistoryView;
pub use new_test::NewTestView;
pub use queue::QueueView;
pub use result::ResultView;

/// The smallest terminal the dashboard draws in; below it a notice says
/// so.
pub const MIN_WIDTH: u16 = 40;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 12;

/// The whole screen.
pub struct Screen<'a>(pub &'a AppState);

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        state.hits.set(HitMap::default());
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(area, buf);
            return;
        }
        let is_down = matches!(state.connection, Connection::Down { .. });
        let [tabs, banner, body, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(is_down)),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let (line, tab_areas) = tab_line(state, tabs);
        line.render(tabs, buf);
        let mut hits = state.hits.get();
        hits.tabs = tab_areas;
        state.hits.set(hits);
        if let Connection::Down { message, .. } = &state.connection {
            let retry = state.retry_in().unwrap_or(0);
            Line::from(format!(" API unreachable, retrying in {retry}s: {message}"))
                .style(state.theme.alarm())
                .render(banner, buf);
        }
        match state.view {
            ViewId::Queue => QueueView(state).render(body, buf),
            ViewId::Batches => BatchesView(state).render(body, buf),
            ViewId::Result => ResultView(state).render(body, buf),
            ViewId::History => HistoryView(state).render(body, buf),
            ViewId::NewTest => NewTestView(state).render(body, buf),
        }
        Line::from(footer_keys(state))
            .style(state.theme.muted())
            .render(footer, buf);
        if state.is_help_shown {
            help::HelpOverlay(state).render(body, buf);
        }
    }
}

/// The notice of a terminal under 40×12.
fn too_small(area: Rect, buf: &mut Buffer) {
    Paragraph::new(format!(
        "Terminal too small: zmctl tui needs {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{}).",
        area.width, area.height
    ))
    .wrap(Wrap { trim: true })
    .render(area, buf);
}

/// The tabs: every title when they fit, else the shown one between
/// arrows; and the cells of each tab drawn in full.
fn tab_line(state: &AppState, area: Rect) -> (Line<'static>, [Option<Rect>; ViewId::ALL.len()]) {
    let width = area.width;
    let mut tab_areas = [None; ViewId::ALL.len()];
    let theme = state.theme;
    let full: usize = ViewId::ALL
        .iter()
        .map(|v| v.title().len() + 4)
        .sum::<usize>()
        + 10;
    if full > usize::from(width) {
        let line = Line::from(vec![
            Span::raw(" zmctl ‹ "),
            Span::styled(state.view.title(), theme.selected()),
            Span::raw(" › "),
        ]);
        return (line, tab_areas);
    }
    let mut spans = vec![Span::styled(" zmctl tui ", theme.heading())];
    let mut x = spans.iter().map(Span::width).sum::<usize>();
    for ((index, view), tab_area) in ViewId::ALL.iter().enumerate().zip(&mut tab_areas) {
        let title = format!(" {} {} ", index + 1, view.title());
        let span = if *view == state.view {
            Span::styled(title, theme.selected())
        } else {
            Span::raw(title)
        };
        let end = x + span.width();
        if let (Ok(start), Ok(tab_width)) = (u16::try_from(x), u16::try_from(span.width()))
            && end <= usize::from(width)
        {
            *tab_area = Some(Rect::new(area.x + start, area.y, tab_width, 1));
        }
        x = end;
        spans.push(span);
    }
    spans.push(Span::styled(format!("  {}", state.server), theme.muted()));
    (Line::from(spans), tab_areas)
}

/// Records where a table drew rows `first..` of `list`: its rows start
/// under the header line of `table` and number at most `shown`.
pub fn record_list(state: &AppState, list: ListId, table: Rect, first: usize, shown: usize) {
    let rows = Rect {
        y: table.y.saturating_add(1),
        height: table.height.saturating_sub(1),
        ..table
    };
    record_rows(state, list, rows, first, shown);
}

/// Records where rows `first..` of `list` were drawn, one a line from
/// the top of `area`, at most `shown` of them.
pub fn record_rows(state: &AppState, list: ListId, area: Rect, first: usize, shown: usize) {
    let height = u16::try_from(shown).unwrap_or(u16::MAX).min(area.height);
    let mut hits = state.hits.get();
    hits.list = Some(ListHit {
        list,
        rows: Rect { height, ..area },
        first,
    });
    state.hits.set(hits);
}

/// The keys of the shown view, most useful first.
fn footer_keys(state: &AppState) -> String {
    let keys = match state.view {
        _ if state.is_help_shown => "Esc/? close help",
        ViewId::Queue => "↑↓ select · Enter result · r refresh · Tab view · ? help · q quit",
        ViewId::Batches if state.batches.confirm_cancel.is_some() => {
            "y cancel the batch · n keep it"
        }
        ViewId::Batches if state.batches.drill.is_some() => {
            "↑↓ select · Enter result · c cancel · Esc back · ? help · q quit"
        }
        ViewId::Batches => "↑↓ select · Enter domains · c cancel · Tab view · ? help · q quit",
        ViewId::Result if state.result.export.is_some() => {
            "←→ format · type a path · Enter write · Esc cancel"
        }
        ViewId::Result if state.result.is_searching => "type to search · Enter keep · Esc clear",
        ViewId::Result => {
            "1-6/l level · / search · Enter fold · L language · x export · h history · q quit"
        }
        ViewId::History if state.history.is_editing => "type a domain · Enter list · Esc cancel",
        ViewId::History => "↑↓ select · Enter result · Space mark · d diff · e domain · q quit",
        ViewId::NewTest => "↑↓ field · Space tick · Ctrl-P from parent · Enter start · Tab view",
    };
    let mode = if state.input_mode() == InputMode::Text && state.view == ViewId::NewTest {
        " Ctrl-C quit ·"
    } else {
        ""
    };
    format!("{mode} {keys}")
}

/// A bar of `width` cells filled to `ratio` (0.0–1.0), for table cells.
pub fn text_bar(ratio: f64, width: usize) -> String {
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (ratio * width as f64).round() as usize;
    let filled = filled.min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The first row to draw so that `selected` is visible in `height` rows.
pub fn scroll_offset(selected: usize, height: usize) -> usize {
    selected.saturating_sub(height.saturating_sub(1))
}

#[cfg(test)]
mod snapshots;
