//! How the backend commands print rows (issue 14, item 4): a table
//! (comfy-table, levels coloured unless `NO_COLOR` is set) when stdout is
//! a terminal, one tab-separated line per row without a header when it is
//! not (for `cut`, `grep`, `sort`), and the aligned columns of the
//! commands kept from before (`start-test`, `results`, `history`) for
//! them, whatever stdout is.

use std::io::IsTerminal;

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use zonemaster::engine::level::Level;

/// The shape of the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Framed table with a header (stdout is a terminal).
    Table,
    /// Tab-separated fields, no header (stdout is piped).
    Plain,
    /// Space-aligned columns with a header, as the first `zmctl` printed.
    Aligned,
}

/// The layout and whether to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// The layout.
    pub layout: Layout,
    /// Colour levels (tables only).
    pub is_coloured: bool,
}

impl Style {
    /// From stdout and `NO_COLOR`.
    pub fn detect() -> Self {
        Self::for_output(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    }

    /// Tables on a terminal, coloured unless `no_color` is set and not
    /// empty (no-color.org); plain rows elsewhere.
    fn for_output(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> Self {
        let is_colour_refused = no_color.is_some_and(|value| !value.is_empty());
        Self {
            layout: if is_terminal {
                Layout::Table
            } else {
                Layout::Plain
            },
            is_coloured: is_terminal && !is_colour_refused,
        }
    }

    /// What the commands kept from before print.
    pub fn legacy() -> Self {
        Self {
            layout: Layout::Aligned,
            is_coloured: false,
        }
    }

    /// True for the human layouts (table and aligned), which may add
    /// headings and sentences; plain output is rows only.
    pub fn is_human(self) -> bool {
        self.layout != Layout::Plain
    }
}

/// The narrowest terminal whose width tables are fitted to.
const MIN_WRAP_WIDTH: u16 = 40;

/// Rows to print, with a header and optionally a column of levels.
pub struct Rows {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    level_column: Option<usize>,
}

impl Rows {
    /// No rows yet.
    pub fn new(header: &[&'static str]) -> Self {
        Self {
            header: header.to_vec(),
            rows: Vec::new(),
            level_column: None,
        }
    }

    /// Colours column `index` by the level it holds.
    pub fn with_levels_in(mut self, index: usize) -> Self {
        self.level_column = Some(index);
        self
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The rows as `style` prints them, each line ending in a newline
    /// (nothing at all for plain output without rows).
    pub fn render(&self, style: Style) -> String {
        match style.layout {
            Layout::Plain => self.plain(),
            Layout::Table => self.framed(style.is_coloured),
            Layout::Aligned => {
                let mut table = Table::new();
                table.load_preset(presets::NOTHING);
                table.set_header(self.header.clone());
                for row in &self.rows {
                    table.add_row(row.iter().map(|field| field.trim_end()));
                }
                format!("{table}\n")
            }
        }
    }

    fn plain(&self) -> String {
        let mut text = String::new();
        for row in &self.rows {
            let fields: Vec<String> = row.iter().map(|field| one_line(field)).collect();
            text.push_str(&fields.join("\t"));
            text.push('\n');
        }
        text
    }

    fn framed(&self, is_coloured: bool) -> String {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        // A terminal that reports no sensible width (a bare pty says 0)
        // would squeeze every column to one character: lay out freely.
        if table.width().is_none_or(|width| width < MIN_WRAP_WIDTH) {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        let header = self.header.iter().map(|title| {
            let cell = Cell::new(title);
            if is_coloured {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        });
        table.set_header(header.collect::<Vec<_>>());
        for row in &self.rows {
            let cells = row.iter().enumerate().map(|(index, text)| {
                let cell = Cell::new(one_line(text));
                match self.level_column {
                    Some(column) if column == index && is_coloured => colour(cell, text),
                    _ => cell,
                }
            });
            table.add_row(cells.collect::<Vec<_>>());
        }
        if is_coloured {
            table.enforce_styling();
        }
        format!("{table}\n")
    }
}

/// A level's cell in its colour; other text as it is.
fn colour(cell: Cell, text: &str) -> Cell {
    match text.parse::<Level>() {
        Ok(Level::Critical) => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Ok(Level::Error) => cell.fg(Color::Red),
        Ok(Level::Warning) => cell.fg(Color::Yellow),
        Ok(Level::Notice) => cell.fg(Color::Cyan),
        _ => cell,
    }
}

/// A field on one line: tabs and line breaks become spaces, trailing
/// blanks go (messages end in a newline).
pub fn one_line(text: &str) -> String {
    text.trim_end()
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rows {
        let mut rows = Rows::new(&["Level", "Message"]).with_levels_in(0);
        rows.push(vec!["ERROR".into(), "no\tgood\n".into()]);
        rows.push(vec!["INFO".into(), "fine".into()]);
        rows
    }

    #[test]
    fn plain_rows_are_tab_separated_without_a_header() {
        let style = Style {
            layout: Layout::Plain,
            is_coloured: true,
        };
        assert_eq!(sample().render(style), "ERROR\tno good\nINFO\tfine\n");
        assert_eq!(Rows::new(&["X"]).render(style), "");
    }

    #[test]
    fn tables_colour_levels_only_when_asked() {
        let plain_table = sample().render(Style {
            layout: Layout::Table,
            is_coloured: false,
        });
        assert!(!plain_table.contains('\u{1b}'), "{plain_table}");
        assert!(plain_table.contains("│ ERROR ┆ no good │"), "{plain_table}");
        assert!(plain_table.contains("Message"), "{plain_table}");
        let coloured = sample().render(Style {
            layout: Layout::Table,
            is_coloured: true,
        });
        assert!(coloured.contains('\u{1b}'), "{coloured}");
    }

    #[test]
    fn no_color_and_pipes_turn_colours_off() {
        let style = |is_terminal, no_color: Option<&str>| {
            Style::for_output(is_terminal, no_color.map(std::ffi::OsStr::new))
        };
        let table = |is_coloured| Style {
            layout: Layout::Table,
            is_coloured,
        };
        assert_eq!(style(true, None), table(true));
        assert_eq!(style(true, Some("")), table(true));
        assert_eq!(style(true, Some("1")), table(false));
        let plain = Style {
            layout: Layout::Plain,
            is_coloured: false,
        };
        assert_eq!(style(false, None), plain);
    }

    #[test]
    fn aligned_rows_have_a_header_and_no_frame() {
        let text = sample().render(Style::legacy());
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        assert!(lines[0].starts_with(" Level"), "{text}");
        assert!(!text.contains('│'), "{text}");
        assert_eq!(lines.len(), 3, "{text}");
    }
}
