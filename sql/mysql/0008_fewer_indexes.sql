-- Schema version 8: three indexes of test_results that others begin
-- with are dropped. Each creation writes an entry into every index of the
-- table, and entries with random keys (a fingerprint, a domain) land on
-- pages all over the index, so every one of them costs a page written
-- per commit. Each of these three leads with the same columns as a wider
-- index that serves every look-up it served:
--
--   test_results__fingerprint (fingerprint)
--       by test_results__fingerprint_id (fingerprint, id), version 4;
--   test_results__progress (progress)
--       by test_results__progress_created_at (progress, created_at),
--       version 3;
--   test_results__domain_undelegated (domain, undelegated)
--       by test_results__domain_progress_created_at
--       (domain, progress, created_at, id), version 4, which a domain's
--       history uses already.
--
-- Guarded: databases adopted from the reference may lack any of them,
-- and MySQL commits each statement by itself.

-- if-index test_results.test_results__fingerprint
DROP INDEX test_results__fingerprint ON test_results;
-- if-index test_results.test_results__progress
DROP INDEX test_results__progress ON test_results;
-- if-index test_results.test_results__domain_undelegated
DROP INDEX test_results__domain_undelegated ON test_results;
