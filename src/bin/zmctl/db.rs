//! `zmctl db`: create, upgrade and prune the backend's database directly
//! (no daemon needed), using the daemons' `backend_config.ini`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use zonemaster::config::BackendConfig;
use zonemaster::store::{self, Store, StoreError};

use crate::{Failure, error_chain};

/// `zmctl db …`.
#[derive(Args)]
pub struct DbArgs {
    /// The backend configuration (default: $ZONEMASTER_BACKEND_CONFIG_FILE, then /etc/zonemaster/backend_config.ini, then /usr/local/etc/zonemaster/backend_config.ini).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: DbCommand,
}

/// What to do to the database.
#[derive(Subcommand)]
pub enum DbCommand {
    /// Create the schema (safe to run again; adopts a Zonemaster Backend 11.2+/12.x database).
    Init,
    /// Bring the schema to this version of zonemaster-rs.
    Migrate,
    /// Delete finished tests older than a cutoff, their results and emptied batches.
    Purge {
        /// Age cutoff: days (`30`) or a duration with a unit (`12h`, `30d`, `2w`).
        #[arg(long, value_name = "DAYS")]
        older_than: String,
        /// Tests deleted per transaction. A transaction holds its rows' locks (on SQLite the
        /// write lock, which the daemons wait for) while it runs; smaller chunks hold them
        /// for less time.
        #[arg(long, default_value_t = 100)]
        chunk: u32,
    },
}

/// Runs `zmctl db`.
pub async fn db(args: DbArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let (path, config) = BackendConfig::locate(args.config.as_deref())
        .map_err(|error| Failure::input(error_chain(&error)))?;
    if let DbCommand::Purge { older_than, .. } = &args.command {
        // Check the argument before touching the database.
        parse_age(older_than)?;
    }
    // Only init and migrate may create the database; purge needs one.
    let opened = match args.command {
        DbCommand::Init | DbCommand::Migrate => store::open(&config.store_settings()).await,
        DbCommand::Purge { .. } => store::open_existing(&config.store_settings()).await,
    };
    let store = opened.map_err(|error| {
        let hint = match error {
            StoreError::NotInitialised { .. } => ": run `zmctl db init`",
            _ => "",
        };
        Failure::not_found(format!("{}: {}{hint}", path.display(), error_chain(&error)))
    })?;
    match args.command {
        DbCommand::Init | DbCommand::Migrate => migrate(store.as_ref(), out).await,
        DbCommand::Purge { older_than, chunk } => {
            purge(store.as_ref(), &older_than, chunk, out).await
        }
    }
}

async fn migrate(store: &dyn Store, out: &mut dyn Write) -> Result<u8, Failure> {
    let report = store
        .migrate()
        .await
        .map_err(|error| Failure::not_found(error_chain(&error)))?;
    let engine = store.engine_name();
    let _ = match report.from {
        Some(from) if from == report.to => {
            writeln!(out, "{engine} schema is up to date (version {from})")
        }
        Some(from) => writeln!(
            out,
            "{engine} schema upgraded from version {from} to {}",
            report.to
        ),
        None => writeln!(out, "{engine} schema created (version {})", report.to),
    };
    if report.adopted_reference_schema {
        let _ = writeln!(
            out,
            "adopted a Zonemaster Backend database: its tests and results are kept"
        );
    }
    Ok(0)
}

async fn purge(
    store: &dyn Store,
    older_than: &str,
    chunk: u32,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let age = parse_age(older_than)?;
    let before = chrono::Utc::now() - age;
    let report = store
        .purge(before, chunk.max(1))
        .await
        .map_err(|error| Failure::not_found(error_chain(&error)))?;
    let _ = writeln!(
        out,
        "deleted {} tests, {} result entries and {} batches created before {} \
         ({} transactions, the longest {} ms)",
        report.tests,
        report.entries,
        report.batches,
        before.format("%Y-%m-%d %H:%M:%S UTC"),
        report.chunks,
        report.longest_chunk.as_millis()
    );
    Ok(0)
}

/// `30` (days), `30d`, `12h`, `2w`.
fn parse_age(text: &str) -> Result<chrono::TimeDelta, Failure> {
    let bad = || {
        Failure::input(format!(
            "--older-than `{text}`: expected a number of days (30) or a number with h, d or w (12h, 30d, 2w)"
        ))
    };
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last() {
        Some((at, unit)) if unit.is_ascii_alphabetic() => (&text[..at], unit),
        _ => (text, 'd'),
    };
    let count: i64 = digits.parse().map_err(|_| bad())?;
    let hours = match unit {
        'h' => 1,
        'd' => 24,
        'w' => 24 * 7,
        _ => return Err(bad()),
    };
    count
        .checked_mul(hours)
        .filter(|hours| *hours >= 0 && *hours < 24 * 365 * 1000)
        .map(chrono::TimeDelta::hours)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_take_days_or_a_unit() {
        assert_eq!(parse_age("30").ok(), Some(chrono::TimeDelta::days(30)));
        assert_eq!(parse_age("12h").ok(), Some(chrono::TimeDelta::hours(12)));
        assert_eq!(parse_age("2w").ok(), Some(chrono::TimeDelta::days(14)));
        for bad in ["", "x", "-3", "3y", "d", "99999999999999"] {
            assert!(parse_age(bad).is_err(), "{bad}");
        }
    }
}
