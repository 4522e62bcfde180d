-- Schema version 6: the highest level among a finished test's result
-- entries, written with them when the test ends, so that a domain's
-- history (get_test_history: one overall result per test) reads one row
-- per test instead of every entry of every test on the page. NULL for a
-- test that ended without entries and for tests that ended before this
-- version; for those the history still reads the entries (no backfill:
-- on a large database it would read every entry once, holding locks).

ALTER TABLE test_results ADD COLUMN IF NOT EXISTS max_level integer NULL;
