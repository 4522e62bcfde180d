//! A test's results as a document: exports in five formats and diffs of
//! two tests of a zone.
//!
//! Pure functions over plain data, no I/O and no network. A [`Report`]
//! comes from a `get_test_results` answer ([`Report::from_results`]) or
//! from the engine's own messages ([`Report::from_messages`], what `zmctl
//! check` has), and renders as text, JSON, CSV, HTML or Markdown
//! ([`Report::render`]). [`diff`] compares two reports the way a DNS
//! operator asks after changing a zone: what appeared, what disappeared,
//! what changed level, the worst first.
//!
//! Knows the result shapes of the API (backend spec §4.10) and the
//! engine's [`Level`](crate::engine::level::Level); knows nothing of the
//! store, HTTP or terminals.
//!
//! ```
//! use zonemaster::report::{Format, Report, diff};
//!
//! let old = serde_json::json!({
//!     "hash_id": "0123456789abcdef", "created_at": "2026-01-01T10:00:00Z",
//!     "params": {"domain": "example.se"},
//!     "results": [{"module": "Delegation", "testcase": "Delegation01",
//!                  "level": "WARNING", "tag": "NOT_ENOUGH_NS", "args": {"count": 1},
//!                  "message": "Only one name server.\n"}]});
//! let new = serde_json::json!({
//!     "hash_id": "fedcba9876543210", "created_at": "2026-01-02T10:00:00Z",
//!     "params": {"domain": "example.se"}, "results": []});
//! let (old, new) = (Report::from_results(&old)?, Report::from_results(&new)?);
//! let page = old.render(Format::Html);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! let changes = diff(&old, &new);
//! assert_eq!(changes.changes.len(), 1);
//! println!("{}", changes.render(Format::Text));
//! # Ok::<(), zonemaster::report::ReportError>(())
//! ```

mod csv;
mod diff;
mod error;
mod format;
mod html;
mod json;
mod markdown;
mod model;
mod parse;
mod text;

pub use csv::csv_table;
pub use diff::{Change, ChangeKind, Diff, Side, diff};
pub use error::ReportError;
pub use format::{Format, UnknownFormat};
pub use model::{Coverage, Entry, ParamsSummary, Report};
pub use text::TextColumns;
