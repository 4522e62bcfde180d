-- Schema version 2: how many test cases a completed test ran, and how
-- many its profile enabled, so that results can say how much of the
-- testing a verdict covers. NULL for tests that did not complete and for
-- tests run before this version.

ALTER TABLE test_results ADD COLUMN testcases_ran integer NULL;
ALTER TABLE test_results ADD COLUMN testcases_enabled integer NULL;
