-- Schema version 4: a domain's history (`get_test_history`) and the reuse
-- look-up of `start_domain_test` read newest first through an index.
--
-- History: so that the first page of a domain tested
-- thousands of times costs a page, not the whole history (the
-- (domain, undelegated) index of version 1 finds the domain's tests but
-- leaves them to be sorted).

CREATE INDEX IF NOT EXISTS test_results__domain_progress_created_at ON test_results (domain, progress, created_at, id);

-- The newest test of a fingerprint: without it, PostgreSQL walks the
-- primary key backwards for a fingerprint with many tests, filtering
-- every newer test of the whole table on the way.
CREATE INDEX IF NOT EXISTS test_results__fingerprint_id ON test_results (fingerprint, id);
