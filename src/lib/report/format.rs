//! The output formats a report or a diff renders to.

use std::fmt;
use std::str::FromStr;

/// An export format, named as `--format` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Aligned columns for a terminal, like `zmctl check`.
    Text,
    /// One JSON document.
    Json,
    /// RFC 4180 CSV with a header line.
    Csv,
    /// One self-contained HTML page (inline CSS, no scripts).
    Html,
    /// GitHub-flavoured Markdown tables.
    Markdown,
}

/// A format name that is none of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{text}` (expected one of text, json, csv, html, markdown)")]
pub struct UnknownFormat {
    /// The text as given.
    pub text: String,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: &'static [Format] = &[
        Format::Text,
        Format::Json,
        Format::Csv,
        Format::Html,
        Format::Markdown,
    ];

    /// The lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Case-insensitive; `md` is accepted for Markdown.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("md") {
            return Ok(Format::Markdown);
        }
        Format::ALL
            .iter()
            .copied()
            .find(|format| format.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownFormat {
                text: text.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(*format));
        }
        assert_eq!("HTML".parse::<Format>(), Ok(Format::Html));
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        let error = "pdf".parse::<Format>().unwrap_err();
        assert!(error.to_string().contains("`pdf`"), "{error}");
    }
}
