//! The `?` overlay: every key of every view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::tui::app::AppState;

/// Every key, by view.
const HELP: &str = "\
Everywhere: Tab/Shift-Tab or F1–F5 switch view · ? help · q or Ctrl-C quit
Lists: ↑↓ j k, PgUp PgDn, g/G first/last; with --mouse the wheel scrolls, a click on a tab shows it, a click on a row selects it and a second click opens it
Queue: Enter opens the test's result · r refresh
Batches: Enter lists a batch's domains and worst levels · Enter on a domain opens its result · c cancels the batch (asks y/n) · Esc back
Result: 1–6 minimum level (1 DEBUG 2 INFO 3 NOTICE 4 WARNING 5 ERROR 6 CRITICAL) · l next level · / search · Enter/Space fold a module or test case · L next language · x export (←→ format) · h the domain's history
History: Enter opens a result · Space marks a test · d diffs the highlighted test with the marked one (or the one before it), ↑↓ PgUp PgDn Home End scroll the diff · e types another domain
New test: ↑↓ field · Space ticks IPv4/IPv6 · Ctrl-P fills NS and DS from the parent · Enter starts the test and follows it";

/// The help, centred over the view.
pub struct HelpOverlay<'a>(pub &'a AppState);

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let [area] = Layout::horizontal([Constraint::Percentage(90)])
            .flex(Flex::Center)
            .areas(area);
        let [area] = Layout::vertical([Constraint::Percentage(90)])
            .flex(Flex::Center)
            .areas(area);
        Clear.render(area, buf);
        Paragraph::new(HELP)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title("Keys"))
            .style(
                self.0
                    .theme
                    .heading()
                    .remove_modifier(ratatui::style::Modifier::BOLD),
            )
            .render(area, buf);
    }
}
