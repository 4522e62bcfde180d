//! Colours that read on light and dark terminals, or none at all.
//!
//! Only the terminal's own palette colours are used (no fixed RGB), so a
//! light or dark scheme picks readable shades; every distinction also has
//! a modifier (bold, reversed), so with `NO_COLOR` nothing is lost.

use ratatui::style::{Color, Modifier, Style};

use crate::engine::level::Level;

/// The dashboard's styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// Colours are used (`NO_COLOR` unset or empty).
    pub is_colour: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to anything but the empty string
    /// (<https://no-color.org>).
    pub fn from_environment() -> Self {
        Self {
            is_colour: std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
        }
    }

    /// No colours at all.
    pub const fn plain() -> Self {
        Self { is_colour: false }
    }

    fn colour(self, style: Style, colour: Color) -> Style {
        if self.is_colour {
            style.fg(colour)
        } else {
            style
        }
    }

    /// A level's name and the rows it marks.
    pub fn level(self, level: Level) -> Style {
        match level {
            Level::Critical => self
                .colour(Style::new(), Color::Magenta)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Level::Error => self
                .colour(Style::new(), Color::Red)
                .add_modifier(Modifier::BOLD),
            Level::Warning => self.colour(Style::new(), Color::Yellow),
            Level::Notice => self.colour(Style::new(), Color::Cyan),
            Level::Info => Style::new(),
            Level::Debug | Level::Debug2 | Level::Debug3 => {
                Style::new().add_modifier(Modifier::DIM)
            }
        }
    }

    /// The highlighted row.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Headings and the active tab.
    pub fn heading(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Secondary text: keys in the footer, times, raw tags.
    pub fn muted(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// The banner of an unreachable API.
    pub fn alarm(self) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.is_colour {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// Gauges and sparklines.
    pub fn gauge(self) -> Style {
        self.colour(Style::new(), Color::Green)
    }
}
