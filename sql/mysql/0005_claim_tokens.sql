-- Schema version 5: the token of the claim that took a running test.
-- A claim may commit on the server while its reply is lost (the server
-- dies, the connection drops); the agent, which made the token before
-- claiming, finds such tests again by it once the database answers and
-- runs them, instead of leaving them to the reaper, which would queue
-- them again and have them run twice. NULL for tests never claimed since.
-- Looked up among the running tests (the progress index), so no index
-- of its own. Guarded: MySQL commits DDL one statement at a time.

-- unless-column test_results.claim_token
ALTER TABLE test_results ADD COLUMN claim_token varchar(32) NULL;
