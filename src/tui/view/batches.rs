//! The Batches view: every batch with its progress; a batch's domains
//! with their worst level; cancelling with a confirmation.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, Widget, Wrap};

use super::{record_list, scroll_offset, text_bar};
use crate::tui::app::{AppState, BatchDrill, ListId, Remote};
use crate::tui::model::BatchSummary;

/// The Batches view.
pub struct BatchesView<'a>(pub &'a AppState);

impl Widget for BatchesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let [main, notice] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        match &state.batches.drill {
            Some(drill) => self.domains(drill, main, buf),
            None => self.list(main, buf),
        }
        if let Some(text) = &state.batches.notice {
            Line::from(text.as_str()).render(notice, buf);
        }
        if let Some(batch_id) = state.batches.confirm_cancel {
            confirmation(batch_id, main, buf);
        }
    }
}

impl BatchesView<'_> {
    fn list(&self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let block = Block::bordered().title("Batches");
        let batches = match &state.batches.list {
            Remote::Ready(batches) if batches.is_empty() => {
                return sentence("No batches yet.", block, area, buf);
            }
            Remote::Ready(batches) => batches,
            other => return sentence(&remote_text(other, "batches"), block, area, buf),
        };
        let inner = block.inner(area);
        block.render(area, buf);
        let height = usize::from(inner.height.saturating_sub(1));
        let offset = scroll_offset(state.batches.selected, height);
        let shown = batches.len().saturating_sub(offset);
        record_list(state, ListId::Batches, inner, offset, shown);
        let rows = batches
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(index, batch)| {
                let row = batch_row(batch);
                if index == state.batches.selected {
                    row.style(state.theme.selected())
                } else {
                    row
                }
            });
        let wide = inner.width >= 90;
        let widths = [
            Constraint::Length(6),
            Constraint::Length(if wide { 20 } else { 0 }),
            Constraint::Length(if wide { 10 } else { 0 }),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Fill(1),
        ];
        Table::new(rows, widths)
            .header(
                Row::new([
                    "Batch", "Created", "User", "Total", "Wait", "Run", "Done", "Progress",
                ])
                .style(state.theme.heading()),
            )
            .render(inner, buf);
    }

    fn domains(&self, drill: &BatchDrill, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let block = Block::bordered().title(format!("Batch {}: domains", drill.batch_id));
        let domains = match &drill.domains {
            Remote::Ready(domains) if domains.is_empty() => {
                return sentence("This batch has no tests.", block, area, buf);
            }
            Remote::Ready(domains) => domains,
            other => return sentence(&remote_text(other, "domains"), block, area, buf),
        };
        let inner = block.inner(area);
        block.render(area, buf);
        let height = usize::from(inner.height.saturating_sub(1));
        let offset = scroll_offset(drill.selected, height);
        let shown = domains.len().saturating_sub(offset);
        record_list(state, ListId::BatchDomains, inner, offset, shown);
        let rows = domains
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(index, domain)| {
                let level = domain
                    .level
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default();
                let style = if index == drill.selected {
                    state.theme.selected()
                } else {
                    domain
                        .level
                        .map_or_else(Default::default, |l| state.theme.level(l))
                };
                Row::new([domain.domain.clone(), domain.state.clone(), level]).style(style)
            });
        Table::new(
            rows,
            [
                Constraint::Fill(1),
                Constraint::Length(10),
                Constraint::Length(9),
            ],
        )
        .header(Row::new(["Domain", "State", "Worst"]).style(state.theme.heading()))
        .render(inner, buf);
    }
}

fn batch_row(batch: &BatchSummary) -> Row<'static> {
    let percent = (batch.done_ratio() * 100.0).round();
    Row::new([
        batch.batch_id.to_string(),
        batch.created_at.clone(),
        batch.username.clone(),
        batch.total.to_string(),
        batch.waiting.to_string(),
        batch.running.to_string(),
        batch.finished.to_string(),
        format!("{} {percent:>3}%", text_bar(batch.done_ratio(), 10)),
    ])
}

fn remote_text<T>(remote: &Remote<T>, what: &str) -> String {
    match remote {
        Remote::Loading => format!("Loading the {what}…"),
        Remote::Missing(text) => text.clone(),
        Remote::Failed(text) => format!("Cannot read the {what}: {text}"),
        Remote::Ready(_) => String::new(),
    }
}

fn sentence(text: &str, block: Block, area: Rect, buf: &mut Buffer) {
    Paragraph::new(text.to_owned())
        .wrap(Wrap { trim: true })
        .block(block)
        .render(area, buf);
}

/// The y/n question over the list.
fn confirmation(batch_id: i64, area: Rect, buf: &mut Buffer) {
    let [area] = Layout::horizontal([Constraint::Length(46)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Length(4)])
        .flex(Flex::Center)
        .areas(area);
    Clear.render(area, buf);
    Paragraph::new(format!("Cancel the waiting tests of batch {batch_id}? y/n"))
        .wrap(Wrap { trim: true })
        .block(Block::bordered().title("Cancel"))
        .render(area, buf);
}
