//! Reading query plans: does a step read one of the big tables
//! (`test_results`, `result_entries`) without an index? Shared by the
//! index tests (`store_load`) and the load benchmark (`benches/load.rs`).

use zonemaster::config::DbEngine;

/// The big tables and the aliases the store's statements give them.
const BIG_TABLES: [&str; 4] = ["test_results", "result_entries", "t", "r"];

/// The first line of `lines` (a plan from `Store::query_plans`) that
/// reads a big table without using an index to find rows: PostgreSQL
/// `Seq Scan on …`, or a walk of its primary key with no `Index Cond`
/// (rows filtered one by one in id order); SQLite `SCAN …` without
/// `USING … INDEX`; MySQL `type=ALL`, or `type=index` on `PRIMARY`.
pub fn full_scan(engine: DbEngine, lines: &[String]) -> Option<&String> {
    match engine {
        DbEngine::Postgresql => postgres_full_scan(lines),
        DbEngine::Sqlite => lines.iter().find(|line| {
            let detail = line.trim();
            detail.strip_prefix("SCAN ").is_some_and(|rest| {
                let table = rest.split_whitespace().next().unwrap_or("");
                BIG_TABLES.contains(&table) && !rest.contains("USING")
            })
        }),
        DbEngine::Mysql => lines.iter().find(|line| {
            let field = |name: &str| {
                line.split_whitespace()
                    .find_map(|pair| pair.strip_prefix(name))
                    .unwrap_or("")
                    .to_owned()
            };
            let walk = field("type=") == "ALL"
                || (field("type=") == "index" && field("key=") == "PRIMARY");
            walk && BIG_TABLES.contains(&field("table=").as_str())
        }),
    }
}

/// Like [`full_scan`], for small tables: MySQL/MariaDB's optimizer may
/// scan a table of a few hundred rows although an index would serve
/// or walk its primary key (there is no `enable_seqscan = off` to tell it
/// otherwise), so there such a step counts only when no index could serve
/// it (`possible_keys` empty). A dropped index still shows.
pub fn unindexed(engine: DbEngine, lines: &[String]) -> Option<&String> {
    let scan = full_scan(engine, lines)?;
    if engine != DbEngine::Mysql {
        return Some(scan);
    }
    lines.iter().find(|line| {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|pair| pair.strip_prefix(name))
                .unwrap_or("")
                .to_owned()
        };
        let keys = field("possible_keys=");
        let no_index = keys.is_empty() || keys == "NULL";
        let walk =
            field("type=") == "ALL" || (field("type=") == "index" && field("key=") == "PRIMARY");
        BIG_TABLES.contains(&field("table=").as_str()) && walk && no_index
    })
}

/// Rows the steps of `lines` (a plan run by `ExplainMode::Analyze`) read
/// from the big tables. PostgreSQL: for each scan of one, the rows it
/// passed on and the rows its filter removed, times its loops (`never
/// executed`: none). MariaDB: the `r_rows` of each step on one, which
/// counts a dependent subquery once, not once per loop (a lower bound; a
/// step never run, or a `const` one, has none; MySQL's plans have none
/// at all, see [`is_analysed`]). `None` for SQLite, which plans without
/// running.
pub fn rows_read(engine: DbEngine, lines: &[String]) -> Option<u64> {
    match engine {
        DbEngine::Postgresql => Some(postgres_rows_read(lines)),
        DbEngine::Mysql => Some(mariadb_rows_read(lines)),
        DbEngine::Sqlite => None,
    }
}

/// True when some plan of `plans` reports what running it did (MariaDB's
/// `r_rows`; MySQL and SQLite only plan).
pub fn is_analysed(engine: DbEngine, plans: &[Vec<String>]) -> bool {
    let marker = match engine {
        DbEngine::Postgresql => "(actual ",
        DbEngine::Mysql => "r_rows=",
        DbEngine::Sqlite => return false,
    };
    plans.iter().flatten().any(|line| line.contains(marker))
}

/// MariaDB's `ANALYZE` rows (see [`rows_read`]).
fn mariadb_rows_read(lines: &[String]) -> u64 {
    let mut total = 0;
    for line in lines {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|pair| pair.strip_prefix(name))
                .unwrap_or("")
                .to_owned()
        };
        if BIG_TABLES.contains(&field("table=").as_str()) {
            let rows: f64 = field("r_rows=").parse().unwrap_or(0.0);
            total += rows.round() as u64;
        }
    }
    total
}

/// PostgreSQL's `EXPLAIN ANALYZE` rows (see [`rows_read`]).
fn postgres_rows_read(lines: &[String]) -> u64 {
    let number_after = |text: &str, marker: &str| -> u64 {
        text.split(marker)
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(0)
    };
    let mut total = 0;
    for (at, line) in lines.iter().enumerate() {
        let node = line.split("->").last().unwrap_or(line);
        let Some(table) = node
            .contains("Scan")
            .then(|| node.split(" on ").nth(1))
            .flatten()
            .and_then(|rest| rest.split_whitespace().next())
        else {
            continue;
        };
        if !BIG_TABLES.contains(&table) || line.contains("never executed") {
            continue;
        }
        let Some(actual) = line.split("(actual ").nth(1) else {
            continue;
        };
        let removed: u64 = lines[at + 1..]
            .iter()
            .take_while(|detail| !detail.contains("->"))
            .filter(|detail| detail.contains("Rows Removed by"))
            .map(|detail| number_after(detail, ": "))
            .sum();
        let rows = number_after(actual, "rows=") + removed;
        total += rows * number_after(actual, "loops=").max(1);
    }
    total
}

/// PostgreSQL: a node's detail lines follow it up to the next `->`.
fn postgres_full_scan(lines: &[String]) -> Option<&String> {
    let table_after = |line: &str, marker: &str| {
        line.split(marker)
            .nth(1)
            .and_then(|rest| rest.split(" on ").nth(1))
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|table| BIG_TABLES.contains(&table))
    };
    lines.iter().enumerate().find_map(|(at, line)| {
        if line.contains("Seq Scan on ") {
            let table = line
                .split("Seq Scan on ")
                .nth(1)?
                .split_whitespace()
                .next()?;
            return BIG_TABLES.contains(&table).then_some(line);
        }
        let is_key_walk = line.contains("Index Scan") && line.contains("_pkey on ");
        if !is_key_walk || !table_after(line, " using ") {
            return None;
        }
        let has_condition = lines[at + 1..]
            .iter()
            .take_while(|detail| !detail.contains("->"))
            .any(|detail| detail.contains("Index Cond"));
        (!has_condition).then_some(line)
    })
}

#[test]
fn rows_read_add_up_the_scans_of_big_tables() {
    let lines: Vec<String> = [
        "Subquery Scan on page  (cost=0.42..1.00 rows=200 width=49) (actual time=0.1..9.2 rows=200 loops=1)",
        "  ->  Index Scan Backward using test_results__domain on test_results  (cost=0.42..2245.00 rows=986 width=45) (actual time=0.023..0.259 rows=200 loops=1)",
        "        Index Cond: (domain = 'hot0.example')",
        "        Rows Removed by Filter: 7",
        "  SubPlan 1",
        "    ->  Index Scan using result_entries__hash_id on result_entries r  (cost=0.43..18.88 rows=311 width=4) (actual time=0.005..0.036 rows=100 loops=200)",
        "    ->  Seq Scan on batch_jobs  (cost=0.00..1.00 rows=9 width=4) (actual time=0.005..0.036 rows=9 loops=1)",
        "    ->  Seq Scan on result_entries  (cost=0.00..1.00 rows=9 width=4) (never executed)",
    ]
    .iter()
    .map(|line| (*line).to_owned())
    .collect();
    assert_eq!(rows_read(DbEngine::Postgresql, &lines), Some(207 + 20_000));
    assert_eq!(rows_read(DbEngine::Sqlite, &lines), None);
    let mariadb: Vec<String> = [
        "id=1 select_type=PRIMARY table=<derived3> type=ALL rows=10 r_rows=10.00",
        "id=3 select_type=DERIVED table=test_results type=range rows=10 r_rows=10.00",
        "id=2 select_type=DEPENDENT SUBQUERY table=r type=ref rows=56 r_rows=99.60",
        "id=4 select_type=DEPENDENT SUBQUERY table=t type=ref rows=56",
    ]
    .iter()
    .map(|line| (*line).to_owned())
    .collect();
    assert_eq!(rows_read(DbEngine::Mysql, &mariadb), Some(110));
    assert!(is_analysed(DbEngine::Mysql, &[mariadb]));
    let mysql = vec!["id=1 select_type=SIMPLE table=test_results type=ALL rows=10".to_owned()];
    assert!(!is_analysed(DbEngine::Mysql, &[mysql]));
}

#[test]
fn scans_are_told_from_index_reads() {
    let lines = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    let pg = lines(&[
        "Limit",
        "  ->  Seq Scan on result_entries r  (cost=0.00..1.00)",
    ]);
    assert!(full_scan(DbEngine::Postgresql, &pg).is_some());
    let pg = lines(&["Index Scan using result_entries__hash_id on result_entries"]);
    assert!(full_scan(DbEngine::Postgresql, &pg).is_none());
    let pg = lines(&["Seq Scan on batch_jobs"]);
    assert!(full_scan(DbEngine::Postgresql, &pg).is_none());
    let pg = lines(&[
        "Limit",
        "  ->  Index Scan Backward using test_results_pkey on test_results  (cost=0.42..1.00)",
        "        Filter: ((fingerprint)::text = 'x'::text)",
    ]);
    assert!(full_scan(DbEngine::Postgresql, &pg).is_some());
    let pg = lines(&[
        "  ->  Index Scan using test_results_pkey on test_results  (cost=0.42..1.00)",
        "        Index Cond: (id = 3)",
        "  ->  Index Scan using test_results__progress_priority_id on test_results",
    ]);
    assert!(full_scan(DbEngine::Postgresql, &pg).is_none());
    assert!(full_scan(DbEngine::Sqlite, &lines(&["SCAN test_results"])).is_some());
    let sqlite = lines(&[
        "SCAN t USING INDEX test_results__ended_at",
        "SCAN batch_jobs",
    ]);
    assert!(full_scan(DbEngine::Sqlite, &sqlite).is_none());
    let mysql = lines(&["id=1 table=result_entries type=ALL rows=10"]);
    assert!(full_scan(DbEngine::Mysql, &mysql).is_some());
    let mysql = lines(&["table=test_results type=index key=PRIMARY rows=9"]);
    assert!(full_scan(DbEngine::Mysql, &mysql).is_some());
    let mysql = lines(&["id=1 table=<derived2> type=ALL", "table=t type=ref key=x"]);
    assert!(full_scan(DbEngine::Mysql, &mysql).is_none());
}
