//! The Queue view: what waits and runs, the agents, the throughput.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Sparkline, Table, Widget, Wrap};

use super::{record_list, scroll_offset, text_bar};
use crate::tui::app::{AppState, ListId, Remote};
use crate::tui::model::{QueueStatus, QueuedTest};

/// Width of the agents and throughput column, shown from 80 columns on;
/// wider from 120 on, where an agent's whole name and count fit.
const SIDE_WIDTH: u16 = 34;
const WIDE_SIDE_WIDTH: u16 = 46;

/// The Queue view.
pub struct QueueView<'a>(pub &'a AppState);

impl Widget for QueueView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let queue = match &state.queue {
            Remote::Ready(queue) => queue,
            other => return notice(other, area, buf),
        };
        let block = Block::bordered().title(summary(queue));
        let inner = block.inner(area);
        block.render(area, buf);
        let [tests, side] = if inner.width >= 80 - 2 {
            let side = if inner.width >= 120 - 2 {
                WIDE_SIDE_WIDTH
            } else {
                SIDE_WIDTH
            };
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(side)]).areas(inner)
        } else {
            [inner, Rect::default()]
        };
        self.tests(queue, tests, buf);
        if !side.is_empty() {
            side_panel(queue, state, side, buf);
        }
    }
}

/// Loading, missing method, failure: one sentence in a box.
fn notice<T>(remote: &Remote<T>, area: Rect, buf: &mut Buffer) {
    let text = match remote {
        Remote::Loading => "Loading the queue…".to_owned(),
        Remote::Missing(text) => text.clone(),
        Remote::Failed(text) => format!("Cannot read the queue: {text}"),
        Remote::Ready(_) => String::new(),
    };
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .block(Block::bordered().title("Queue"))
        .render(area, buf);
}

/// `Queue: 120 waiting · 8 running · oldest 12s`.
fn summary(queue: &QueueStatus) -> String {
    let mut text = format!(
        "Queue: {} waiting · {} running",
        queue.waiting, queue.running
    );
    if let Some(seconds) = queue.oldest_waiting_seconds {
        text.push_str(&format!(" · oldest {}", age(seconds)));
    }
    text
}

/// `12s`, `3m05s`, `2h10m`.
pub fn age(seconds: f64) -> String {
    let seconds = if seconds.is_finite() && seconds > 0.0 {
        seconds.round() as u64
    } else {
        0
    };
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

impl QueueView<'_> {
    fn tests(&self, queue: &QueueStatus, area: Rect, buf: &mut Buffer) {
        let theme = self.0.theme;
        if queue.tests.is_empty() {
            Paragraph::new("The queue is empty: nothing waits, nothing runs.")
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let height = usize::from(area.height.saturating_sub(1));
        let offset = scroll_offset(self.0.queue_selected, height);
        let shown = queue.tests.len().saturating_sub(offset);
        record_list(self.0, ListId::Queue, area, offset, shown);
        let rows = queue
            .tests
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(index, test)| {
                let row = test_row(test);
                if index == self.0.queue_selected {
                    row.style(theme.selected())
                } else {
                    row
                }
            });
        Table::new(
            rows,
            [
                Constraint::Fill(1),
                Constraint::Length(7),
                Constraint::Length(15),
                Constraint::Length(4),
            ],
        )
        .header(Row::new(["Domain", "State", "Progress", "Prio"]).style(theme.heading()))
        .render(area, buf);
    }
}

fn test_row(test: &QueuedTest) -> Row<'static> {
    let progress = if test.state == "running" {
        format!(
            "{} {:>3}%",
            text_bar(f64::from(test.progress) / 100.0, 10),
            test.progress
        )
    } else {
        String::new()
    };
    Row::new([
        test.domain.clone(),
        test.state.clone(),
        progress,
        test.priority.to_string(),
    ])
}

/// Agents seen and tests finished per minute.
fn side_panel(queue: &QueueStatus, state: &AppState, area: Rect, buf: &mut Buffer) {
    let [agents, throughput] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(5)]).areas(area);
    let lines: Vec<Line> = if queue.agents.is_empty() {
        vec![Line::from("no heartbeats")]
    } else {
        queue
            .agents
            .iter()
            .map(|agent| {
                Line::from(format!(
                    "{} · {} running · {}",
                    agent.agent,
                    agent.running,
                    time_of_day(&agent.last_seen)
                ))
            })
            .collect()
    };
    Paragraph::new(lines)
        .block(Block::bordered().title(format!("Agents ({})", queue.agents.len())))
        .render(agents, buf);
    let last = queue.finished_per_minute.last().copied().unwrap_or(0);
    let total: u64 = queue.finished_per_minute.iter().sum();
    Sparkline::default()
        .data(queue.finished_per_minute.iter().copied())
        .style(state.theme.gauge())
        .block(Block::bordered().title(format!("Done/min: {last} ({total}/h)")))
        .render(throughput, buf);
}

/// `HH:MM:SS` of an API time, or the text as it is.
fn time_of_day(time: &str) -> &str {
    time.get(11..19).unwrap_or(time)
}
