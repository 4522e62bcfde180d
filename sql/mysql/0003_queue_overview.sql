-- Schema version 3: what the queue overview (`queue_status`) and the batch
-- listing (`batch_list`) read, each through an index so that neither
-- scans test_results on a busy queue. Each statement is idempotent (MySQL
-- commits DDL one statement at a time): the indexes are guarded.
--
-- `agents`: every agent upserts its row when it starts and at each
-- heartbeat interval, idle or not, so an idle agent is seen too.

CREATE TABLE IF NOT EXISTS agents (
    name varchar(255) PRIMARY KEY,
    last_seen DATETIME NOT NULL,
    KEY agents__last_seen (last_seen)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The waiting tests in claim order, and the oldest waiting test.
-- unless-index test_results.test_results__progress_priority_id
CREATE INDEX test_results__progress_priority_id ON test_results (progress, priority DESC, id);
-- unless-index test_results.test_results__progress_created_at
CREATE INDEX test_results__progress_created_at ON test_results (progress, created_at);
-- Tests that ended in the last hour.
-- unless-index test_results.test_results__ended_at
CREATE INDEX test_results__ended_at ON test_results (ended_at);
