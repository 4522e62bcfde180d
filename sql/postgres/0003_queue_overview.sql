-- Schema version 3: what the queue overview (`queue_status`) and the batch
-- listing (`batch_list`) read, each through an index so that neither
-- scans test_results on a busy queue. The waiting tests in claim order
-- come from test_results__progress_priority_id (version 1).
--
-- `agents`: every agent upserts its row when it starts and at each
-- heartbeat interval, idle or not, so an idle agent is seen too.

CREATE TABLE IF NOT EXISTS agents (
    name varchar(255) PRIMARY KEY,
    last_seen TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS agents__last_seen ON agents (last_seen);

-- The oldest waiting test (partial, as the claim index, so the planner
-- prefers it to test_results__created_at).
CREATE INDEX IF NOT EXISTS test_results__waiting_created_at ON test_results (created_at) WHERE progress = 0;
-- Tests that ended in the last hour.
CREATE INDEX IF NOT EXISTS test_results__ended_at ON test_results (ended_at);
