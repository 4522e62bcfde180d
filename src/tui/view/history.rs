//! The History view: a domain's tests, newest first, and a diff of two.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, Widget, Wrap};

use super::{record_list, scroll_offset};
use crate::tui::app::{AppState, ListId, Remote};

/// The History view.
pub struct HistoryView<'a>(pub &'a AppState);

impl Widget for HistoryView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let history = &state.history;
        let title = if history.is_editing {
            format!("History of: {}▏", history.domain)
        } else if history.domain.is_empty() {
            "History".to_owned()
        } else {
            format!("History of {}", history.domain)
        };
        let block = Block::bordered().title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let text = match &history.entries {
            _ if history.domain.is_empty() => {
                Some("Press e and type a domain, or h in a result.".to_owned())
            }
            Remote::Loading if history.is_editing => Some(String::new()),
            Remote::Loading => Some("Loading…".to_owned()),
            Remote::Missing(text) | Remote::Failed(text) => Some(text.clone()),
            Remote::Ready(entries) if entries.is_empty() => {
                Some("No finished test of this domain.".to_owned())
            }
            Remote::Ready(_) => None,
        };
        if let Some(text) = text {
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .render(inner, buf);
        } else if let Some(entries) = history.entries.ready() {
            let height = usize::from(inner.height.saturating_sub(1));
            let offset = scroll_offset(history.selected, height);
            let shown = entries.len().saturating_sub(offset);
            record_list(state, ListId::History, inner, offset, shown);
            let rows =
                entries
                    .iter()
                    .enumerate()
                    .skip(offset)
                    .take(height)
                    .map(|(index, entry)| {
                        let mark = if history.marked == Some(index) {
                            "*"
                        } else {
                            " "
                        };
                        let row = Row::new([
                            mark.to_owned(),
                            entry.created_at.clone(),
                            entry.overall_result.clone(),
                            if entry.undelegated { "undelegated" } else { "" }.to_owned(),
                            entry.test_id().to_owned(),
                        ]);
                        if index == history.selected {
                            row.style(state.theme.selected())
                        } else {
                            row
                        }
                    });
            Table::new(
                rows,
                [
                    Constraint::Length(1),
                    Constraint::Length(20),
                    Constraint::Length(8),
                    Constraint::Length(11),
                    Constraint::Fill(1),
                ],
            )
            .header(Row::new(["", "Created", "Worst", "", "Test"]).style(state.theme.heading()))
            .render(inner, buf);
        }
        if let Some(diff) = &history.diff {
            diff_overlay(state, diff, area, buf);
        }
    }
}

/// The diff over the list, from line `diff_scroll` on, wrapped at the
/// box's width; records how far it scrolls.
fn diff_overlay(state: &AppState, diff: &Remote<String>, area: Rect, buf: &mut Buffer) {
    let text = match diff {
        Remote::Loading => "Comparing…".to_owned(),
        Remote::Ready(text) => text.clone(),
        Remote::Missing(text) | Remote::Failed(text) => text.clone(),
    };
    let [area] = Layout::horizontal([Constraint::Percentage(94)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(area);
    Clear.render(area, buf);
    let block = Block::bordered().title("Diff (↑↓ PgUp PgDn scroll · Esc closes)");
    let inner = block.inner(area);
    block.render(area, buf);
    let lines = wrapped(&text, usize::from(inner.width));
    let height = usize::from(inner.height);
    let max_scroll = lines.len().saturating_sub(height);
    let mut hits = state.hits.get();
    hits.diff_max_scroll = max_scroll;
    state.hits.set(hits);
    let first = state.history.diff_scroll.min(max_scroll);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(height)
        .map(Line::from)
        .collect();
    Paragraph::new(shown).render(inner, buf);
}

/// `text`'s lines cut to `width` characters each, so that a scroll
/// position counts the lines on screen.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            chars
                .chunks(width)
                .map(|chunk| chunk.iter().collect::<String>()),
        );
    }
    lines
}
