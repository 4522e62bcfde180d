-- Adopts a database made by Zonemaster Backend 11.2+/12.x: adds our columns
-- and indexes so it equals schema version 1. Runs in the same transaction
-- that stamps it. A `-- unless-...` line makes the next statement
-- conditional on what the database already has.

ALTER TABLE test_results ADD COLUMN IF NOT EXISTS state varchar(16) NOT NULL DEFAULT 'waiting';
ALTER TABLE test_results ADD COLUMN IF NOT EXISTS reason text;
ALTER TABLE test_results ADD COLUMN IF NOT EXISTS agent varchar(255);
ALTER TABLE test_results ADD COLUMN IF NOT EXISTS heartbeat_at TIMESTAMP;
ALTER TABLE test_results ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0;

UPDATE test_results
SET state = CASE
        WHEN progress = 0 THEN 'waiting'
        WHEN progress = 100 THEN 'completed'
        ELSE 'running'
    END,
    attempts = CASE WHEN started_at IS NULL THEN 0 ELSE 1 END;

-- unless-unique test_results.hash_id
CREATE UNIQUE INDEX test_results__hash_id_unique ON test_results (hash_id);

CREATE INDEX IF NOT EXISTS test_results__queue_progress_priority_id ON test_results (queue, progress, priority DESC, id) WHERE progress = 0;
CREATE INDEX IF NOT EXISTS test_results__created_at ON test_results (created_at);

INSERT INTO log_level (value, level)
SELECT * FROM (
    SELECT -2 AS value, 'DEBUG3' AS level
    UNION ALL SELECT -1, 'DEBUG2'
    UNION ALL SELECT 0, 'DEBUG'
    UNION ALL SELECT 1, 'INFO'
    UNION ALL SELECT 2, 'NOTICE'
    UNION ALL SELECT 3, 'WARNING'
    UNION ALL SELECT 4, 'ERROR'
    UNION ALL SELECT 5, 'CRITICAL'
) AS levels
WHERE NOT EXISTS (SELECT 1 FROM log_level);

-- Numbers the existing entries in their stored order.
-- unless-column result_entries.id
ALTER TABLE result_entries ADD COLUMN id BIGSERIAL PRIMARY KEY;

CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    description varchar(255) NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
