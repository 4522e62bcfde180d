-- Schema version 7: how many tests wait, run and have finished, in all
-- and per batch, so that queue_status and batch_list read a few rows
-- instead of counting the queue (100,000 waiting tests were 100,000
-- index entries on every call) and every test of every listed batch.
--
-- test_counts holds the counts of each scope (0: every test; otherwise
-- a batch id). The store never updates it where tests change: each
-- transaction that creates, claims, finishes, re-queues, cancels or
-- purges tests appends its change to test_count_changes instead (an
-- insert, so concurrent agents never wait for each other on a counter
-- row), and a count is its row plus the changes not yet folded into it.
-- Agents fold the changes in regularly (Store::compact_counts).
--
-- The counts are made here from the tests as they are. Run this
-- migration with every daemon stopped, as any other: an older daemon
-- still writing records no changes, and the counts would drift.

CREATE TABLE IF NOT EXISTS test_counts (
    scope integer PRIMARY KEY,
    waiting integer NOT NULL,
    running integer NOT NULL,
    finished integer NOT NULL
);

CREATE TABLE IF NOT EXISTS test_count_changes (
    id integer PRIMARY KEY AUTOINCREMENT,
    scope integer NOT NULL,
    waiting integer NOT NULL,
    running integer NOT NULL,
    finished integer NOT NULL
);

-- Counted afresh, so running this file again changes nothing.
DELETE FROM test_count_changes;
DELETE FROM test_counts;
INSERT INTO test_counts (scope, waiting, running, finished)
SELECT 0,
    COALESCE(SUM(CASE WHEN progress = 0 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN progress > 0 AND progress < 100 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN progress >= 100 THEN 1 ELSE 0 END), 0)
FROM test_results;
INSERT INTO test_counts (scope, waiting, running, finished)
SELECT batch_id,
    SUM(CASE WHEN progress = 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN progress > 0 AND progress < 100 THEN 1 ELSE 0 END),
    SUM(CASE WHEN progress >= 100 THEN 1 ELSE 0 END)
FROM test_results WHERE batch_id IS NOT NULL AND batch_id <> 0 GROUP BY batch_id;
