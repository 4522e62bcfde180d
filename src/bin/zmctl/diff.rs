//! `zmctl test diff ID1 ID2` and `zmctl diff DOMAIN`: what changed between
//! two tests, the way a DNS operator reads it after changing a zone.

use std::io::Write;

use clap::Args;
use zonemaster::api_types::{HistoryDomain, HistoryParams};
use zonemaster::engine::level::Level;
use zonemaster::report::{Format, Report, diff};

use crate::Failure;
use crate::api::Backend;
use crate::results_view::report_of;

/// How a diff is shown.
#[derive(Args, Clone, Debug)]
pub struct DiffShown {
    /// text, json, csv, html (one self-contained page) or markdown.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    format: Format,
    /// Leave out changes whose levels are all below this one (e.g. NOTICE hides INFO and DEBUG noise).
    #[arg(long, value_name = "LEVEL")]
    level: Option<Level>,
    /// Language of the message texts (matching falls back to them when tags are missing).
    #[arg(
        long = "lang",
        visible_alias = "language",
        value_name = "LANG",
        default_value = "en"
    )]
    language: String,
    /// Exit 3 when something appeared or got worse at or above this level.
    #[arg(long, value_name = "LEVEL")]
    fail_level: Option<Level>,
}

/// `zmctl test diff`.
#[derive(Args, Clone, Debug)]
pub struct DiffArgs {
    /// The earlier test's id.
    old: String,
    /// The later test's id.
    new: String,
    #[command(flatten)]
    shown: DiffShown,
}

/// `zmctl diff`.
#[derive(Args, Clone, Debug)]
pub struct DomainDiffArgs {
    /// The zone: its two most recent finished tests are compared.
    domain: String,
    #[command(flatten)]
    shown: DiffShown,
}

/// Compares two tests by id.
pub async fn tests(backend: &Backend, args: DiffArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let old = fetch(backend, &args.old, &args.shown.language).await?;
    let new = fetch(backend, &args.new, &args.shown.language).await?;
    show(&old, &new, &args.shown, out)
}

/// Compares the two most recent finished tests of a domain.
pub async fn domain(
    backend: &Backend,
    args: DomainDiffArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let params = HistoryParams {
        frontend_params: HistoryDomain {
            domain: args.domain.clone(),
        },
        offset: None,
        limit: Some(2),
        filter: None,
    };
    let history = backend.client()?.test_history(&params).await?;
    let ids: Vec<&str> = history
        .iter()
        .filter_map(|entry| entry.id.as_deref().or(entry.job_id.as_deref()))
        .collect();
    let [newest, previous] = ids[..] else {
        return Err(Failure::not_found(format!(
            "{} has {} finished test(s); a diff needs two",
            args.domain,
            ids.len()
        )));
    };
    let old = fetch(backend, previous, &args.shown.language).await?;
    let new = fetch(backend, newest, &args.shown.language).await?;
    show(&old, &new, &args.shown, out)
}

async fn fetch(backend: &Backend, id: &str, language: &str) -> Result<Report, Failure> {
    let results = backend.client()?.test_results(id, language).await?;
    crate::note_english_fallback(language);
    report_of(&results)
}

/// Prints the diff; the exit code says whether something got worse at or
/// above `--fail-level`.
fn show(old: &Report, new: &Report, shown: &DiffShown, out: &mut dyn Write) -> Result<u8, Failure> {
    let mut changes = diff(old, new);
    if let Some(level) = shown.level {
        changes = changes.at_least(level);
    }
    let text = changes.render(shown.format);
    let _ = write!(out, "{text}");
    if !text.ends_with('\n') {
        let _ = writeln!(out);
    }
    let worse = shown.fail_level.is_some_and(|fail| {
        changes
            .changes
            .iter()
            .any(|change| change.is_worse() && change.new_level.is_some_and(|level| level >= fail))
    });
    Ok(crate::fail_level_exit(worse))
}
