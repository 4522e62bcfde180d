//! The Result view: a test's messages by module and test case, the
//! translated text beside the raw tag and arguments.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph, Widget, Wrap};

use super::{record_rows, scroll_offset};
use crate::report::Report;
use crate::tui::app::{AppState, ListId, Remote};
use crate::tui::rows::{ResultRow, result_rows};

/// From this width on, the raw tag and arguments get a column of their
/// own; below it, only the highlighted message's show, under the list.
const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// The Result view.
pub struct ResultView<'a>(pub &'a AppState);

impl Widget for ResultView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let result = &state.result;
        let Some(test_id) = &result.test_id else {
            Paragraph::new(
                "No test open: press Enter on a test in Queue, Batches or History, or start one in New test.",
            )
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title("Result"))
            .render(area, buf);
            return;
        };
        match &result.report {
            Remote::Ready(report) => self.report(report, area, buf),
            Remote::Loading => self.progress(test_id, area, buf),
            Remote::Missing(text) | Remote::Failed(text) => {
                Paragraph::new(format!("Cannot read test {test_id}: {text}"))
                    .wrap(Wrap { trim: true })
                    .block(Block::bordered().title("Result"))
                    .render(area, buf);
            }
        }
    }
}

impl ResultView<'_> {
    /// A test that has not finished: its progress.
    fn progress(&self, test_id: &str, area: Rect, buf: &mut Buffer) {
        let block = Block::bordered().title(format!("Test {test_id}"));
        let inner = block.inner(area);
        block.render(area, buf);
        let [label, gauge] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(inner);
        let (text, percent) = match self.0.result.progress {
            None => ("asking for its progress…".to_owned(), 0),
            Some(0) => ("waiting for an agent".to_owned(), 0),
            Some(p) if p >= 100 => ("finished, fetching the results…".to_owned(), 100),
            Some(p) => (format!("running: {p}%"), p),
        };
        Line::from(text).render(label, buf);
        Gauge::default()
            .percent(u16::from(percent.min(100)))
            .gauge_style(self.0.theme.gauge())
            .render(gauge, buf);
    }

    fn report(&self, report: &Report, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let result = &state.result;
        let title = format!(
            "{} · {} · {} · ≥{}",
            report.domain,
            report.id.as_deref().unwrap_or_default(),
            result.language.code(),
            result.min_level.as_str()
        );
        let block = Block::bordered().title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let [counts, list, detail, prompt] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        self.counts(report, counts, buf);
        let rows = result_rows(report, result);
        if rows.is_empty() {
            Line::from(format!(
                "No message at {} or above{}.",
                result.min_level.as_str(),
                if result.search.is_empty() {
                    ""
                } else {
                    " matching the search"
                }
            ))
            .render(list, buf);
        }
        let height = usize::from(list.height);
        let offset = scroll_offset(result.selected, height);
        let shown = rows.len().saturating_sub(offset);
        record_rows(state, ListId::Result, list, offset, shown);
        let is_side_by_side = list.width >= SIDE_BY_SIDE_WIDTH;
        for (line, (index, row)) in rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .enumerate()
        {
            let y = list.y + u16::try_from(line).unwrap_or(u16::MAX);
            let row_area = Rect::new(list.x, y, list.width, 1);
            self.row(
                row,
                index == result.selected,
                is_side_by_side,
                row_area,
                buf,
            );
        }
        if let Some(ResultRow::Message(entry)) = rows.get(result.selected) {
            let raw = format!(
                "{} {}",
                entry.tag.as_deref().unwrap_or("(no tag)"),
                entry.args_text()
            );
            Line::from(raw)
                .style(state.theme.muted())
                .render(detail, buf);
        }
        Line::from(self.prompt_text()).render(prompt, buf);
    }

    /// `CRITICAL 1 · ERROR 2 · …` over the whole test.
    fn counts(&self, report: &Report, area: Rect, buf: &mut Buffer) {
        let theme = self.0.theme;
        let mut spans = Vec::new();
        for (level, count) in report.counts() {
            if !spans.is_empty() {
                spans.push(Span::raw(" · "));
            }
            spans.push(Span::styled(
                format!("{} {count}", level.as_str()),
                theme.level(level),
            ));
        }
        Line::from(spans).render(area, buf);
    }

    fn row(&self, row: &ResultRow, is_selected: bool, is_wide: bool, area: Rect, buf: &mut Buffer) {
        let theme = self.0.theme;
        let marker = |collapsed: bool| if collapsed { "▸" } else { "▾" };
        let line = match row {
            ResultRow::Module {
                module,
                count,
                worst,
                is_collapsed,
            } => Line::from(vec![
                Span::styled(
                    format!("{} {module}", marker(*is_collapsed)),
                    theme.heading(),
                ),
                Span::raw(format!(" ({count}{})", worst_text(*worst))),
            ]),
            ResultRow::Testcase {
                testcase,
                count,
                worst,
                is_collapsed,
                ..
            } => {
                let name = if testcase.is_empty() {
                    "(no test case)"
                } else {
                    testcase
                };
                Line::from(vec![
                    Span::raw(format!("  {} {name}", marker(*is_collapsed))),
                    Span::raw(format!(" ({count}{})", worst_text(*worst))),
                ])
            }
            ResultRow::Message(entry) => {
                let level = Span::styled(
                    format!("    {:<8} ", entry.level.as_str()),
                    theme.level(entry.level),
                );
                if is_wide {
                    let [left, right] = Layout::horizontal([
                        Constraint::Percentage(60),
                        Constraint::Percentage(40),
                    ])
                    .areas(area);
                    let raw = format!(
                        " {} {}",
                        entry.tag.as_deref().unwrap_or_default(),
                        entry.args_text()
                    );
                    let style = if is_selected {
                        theme.selected()
                    } else {
                        Style::new()
                    };
                    Line::from(vec![level, Span::raw(entry.message.clone())])
                        .style(style)
                        .render(left, buf);
                    Line::from(raw)
                        .style(if is_selected {
                            theme.selected()
                        } else {
                            theme.muted()
                        })
                        .render(right, buf);
                    return;
                }
                Line::from(vec![level, Span::raw(entry.message.clone())])
            }
        };
        let style = if is_selected {
            theme.selected()
        } else {
            Style::new()
        };
        line.style(style).render(area, buf);
    }

    /// The search or export prompt, or the last notice.
    fn prompt_text(&self) -> String {
        let result = &self.0.result;
        if let Some(export) = &result.export {
            return format!("Export as {} to: {}▏", export.format, export.path);
        }
        if result.is_searching {
            return format!("Search: {}▏", result.search);
        }
        if !result.search.is_empty() {
            return format!(
                "Search: {} (/ to change, Esc in search clears)",
                result.search
            );
        }
        result.notice.clone().unwrap_or_default()
    }
}

fn worst_text(worst: Option<crate::engine::level::Level>) -> String {
    worst
        .map(|level| format!(", worst {}", level.as_str()))
        .unwrap_or_default()
}
