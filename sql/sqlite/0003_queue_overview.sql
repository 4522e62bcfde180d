-- Schema version 3: what the queue overview (`queue_status`) and the batch
-- listing (`batch_list`) read, each through an index so that neither
-- scans test_results on a busy queue.
--
-- `agents`: every agent upserts its row when it starts and at each
-- heartbeat interval, idle or not, so an idle agent is seen too.

CREATE TABLE IF NOT EXISTS agents (
    name varchar(255) PRIMARY KEY,
    last_seen DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS agents__last_seen ON agents (last_seen);

-- The waiting tests in claim order, and the oldest waiting test.
CREATE INDEX IF NOT EXISTS test_results__progress_priority_id ON test_results (progress, priority DESC, id);
CREATE INDEX IF NOT EXISTS test_results__progress_created_at ON test_results (progress, created_at);
-- Tests that ended in the last hour.
CREATE INDEX IF NOT EXISTS test_results__ended_at ON test_results (ended_at);
