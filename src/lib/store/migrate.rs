//! Versioned migrations: the SQL files under `sql/<engine>/`, embedded at
//! build time, and how to read them.
//!
//! Version 1 is the reference 12.x schema plus our additive columns. A
//! database made by the reference backend (it has `result_entries`, no
//! `schema_version`) is brought to version 1 by the engine's
//! `adopt_reference.sql` and stamped. Each backend runs the statements
//! (in one transaction where its engine allows DDL in transactions) and
//! evaluates the guards below against its catalog.

use super::types::StoreError;

/// One schema version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    /// The version this migration brings the database to.
    pub version: i64,
    /// Recorded in `schema_version.description`.
    pub description: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// The SQL of one engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EngineSql {
    /// In version order, starting at 1.
    pub migrations: &'static [Migration],
    /// Brings a reference database to version 1.
    pub adopt_reference: &'static str,
}

impl EngineSql {
    /// The newest version this program knows.
    pub fn newest(&self) -> i64 {
        self.migrations
            .last()
            .map_or(0, |migration| migration.version)
    }

    /// The migrations after `current`.
    pub fn pending(&self, current: Option<i64>) -> impl Iterator<Item = &'static Migration> {
        let current = current.unwrap_or(0);
        self.migrations
            .iter()
            .filter(move |migration| migration.version > current)
    }
}

/// The embedded SQL files of the engine whose files are in `sql/$dir/`.
macro_rules! engine_sql {
    ($dir:literal) => {
        EngineSql {
            migrations: &[
                Migration {
                    version: 1,
                    description: "initial schema",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0001_initial.sql")),
                },
                Migration {
                    version: 2,
                    description: "test case counts",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0002_testcase_counts.sql")),
                },
                Migration {
                    version: 3,
                    description: "queue overview",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0003_queue_overview.sql")),
                },
                Migration {
                    version: 4,
                    description: "newest-first indexes",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0004_newest_first.sql")),
                },
                Migration {
                    version: 5,
                    description: "claim tokens",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0005_claim_tokens.sql")),
                },
                Migration {
                    version: 6,
                    description: "result levels",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0006_result_levels.sql")),
                },
                Migration {
                    version: 7,
                    description: "test counts",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0007_test_counts.sql")),
                },
                Migration {
                    version: 8,
                    description: "fewer indexes",
                    sql: include_str!(concat!("../../../sql/", $dir, "/0008_fewer_indexes.sql")),
                },
            ],
            adopt_reference: include_str!(concat!("../../../sql/", $dir, "/adopt_reference.sql")),
        }
    };
}

/// SQLite.
pub(crate) const SQLITE: EngineSql = engine_sql!("sqlite");
/// PostgreSQL.
pub(crate) const POSTGRES: EngineSql = engine_sql!("postgres");
/// MySQL and MariaDB.
pub(crate) const MYSQL: EngineSql = engine_sql!("mysql");

/// The description recorded when a reference database is stamped.
pub(crate) const ADOPTED_DESCRIPTION: &str = "adopted Zonemaster Backend 11.2+/12.x schema";

/// A condition written as `-- unless-<kind> table.name` before a
/// statement: the statement runs only when the database lacks the thing;
/// `-- if-index table.name` runs it only when it has that index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Guard {
    /// `unless-column table.column`.
    Column {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// `unless-index table.index`.
    Index {
        /// Table.
        table: String,
        /// Index name.
        index: String,
    },
    /// `unless-unique table.column`: a unique index on exactly that column.
    Unique {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// `if-index table.index`: met when the index is missing (for a
    /// `DROP INDEX` where the engine has no `IF EXISTS`).
    NoIndex {
        /// Table.
        table: String,
        /// Index name.
        index: String,
    },
}

/// One statement of a migration file and its guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    /// Runs only when the guard's object is missing.
    pub guard: Option<Guard>,
    /// The SQL, without the final semicolon.
    pub sql: String,
}

/// Splits a migration file into statements. A statement ends with a line
/// ending in `;`; whole-line `--` comments are dropped, except guards,
/// which apply to the next statement. (Our files put no `;` inside
/// literals, so no SQL lexer is needed.)
pub(crate) fn statements(file: &str) -> Result<Vec<Statement>, StoreError> {
    let mut statements = Vec::new();
    let mut guard = None;
    let mut sql = String::new();
    for line in file.lines() {
        let trimmed = line.trim();
        if let Some(comment) = trimmed.strip_prefix("--") {
            if let Some(parsed) = parse_guard(comment.trim())? {
                guard = Some(parsed);
            }
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        sql.push_str(line);
        sql.push('\n');
        if trimmed.ends_with(';') {
            let text = sql.trim().trim_end_matches(';').to_owned();
            statements.push(Statement {
                guard: guard.take(),
                sql: text,
            });
            sql.clear();
        }
    }
    if !sql.trim().is_empty() {
        return Err(StoreError::Corrupt(format!(
            "migration SQL ends without `;`: {}",
            sql.trim()
        )));
    }
    Ok(statements)
}

/// Reads `unless-<kind> table.name` and `if-index table.name`; other
/// comments are `None`.
fn parse_guard(comment: &str) -> Result<Option<Guard>, StoreError> {
    let Some((kind, object)) = comment.split_once(' ') else {
        return Ok(None);
    };
    let make: fn(String, String) -> Guard = match kind {
        "unless-column" => |table, column| Guard::Column { table, column },
        "unless-index" => |table, index| Guard::Index { table, index },
        "unless-unique" => |table, column| Guard::Unique { table, column },
        "if-index" => |table, index| Guard::NoIndex { table, index },
        _ => return Ok(None),
    };
    let (table, name) = object
        .trim()
        .split_once('.')
        .ok_or_else(|| StoreError::Corrupt(format!("bad migration guard `{comment}`")))?;
    Ok(Some(make(table.to_owned(), name.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_and_guards() {
        let file = "-- a comment\nCREATE TABLE a (\n  x int -- inline stays\n);\n\n\
                    -- unless-index a.a__x\nCREATE INDEX a__x ON a (x);\nDROP TABLE b;\n\
                    -- if-index a.a__y\nDROP INDEX a__y ON a;\n";
        let statements = statements(file).expect("valid file");
        assert_eq!(statements.len(), 4);
        assert_eq!(statements[0].guard, None);
        assert!(statements[0].sql.starts_with("CREATE TABLE a ("));
        assert_eq!(
            statements[1].guard,
            Some(Guard::Index {
                table: "a".into(),
                index: "a__x".into()
            })
        );
        assert_eq!(statements[1].sql, "CREATE INDEX a__x ON a (x)");
        assert_eq!(statements[2].guard, None);
        assert_eq!(
            statements[3].guard,
            Some(Guard::NoIndex {
                table: "a".into(),
                index: "a__y".into()
            })
        );
    }

    #[test]
    fn rejects_an_unterminated_statement() {
        assert!(statements("SELECT 1").is_err());
    }

    #[test]
    fn every_embedded_file_splits() {
        for engine in [SQLITE, POSTGRES, MYSQL] {
            assert_eq!(engine.newest(), 8);
            for migration in engine.migrations {
                assert!(!statements(migration.sql).expect("splits").is_empty());
            }
            assert!(
                !statements(engine.adopt_reference)
                    .expect("splits")
                    .is_empty()
            );
        }
    }
}
