-- Adopts a database made by Zonemaster Backend 11.2+/12.x: adds our columns
-- and indexes so it equals schema version 1. MySQL commits each DDL
-- statement on its own, so each one is guarded (`-- unless-...`: runs only
-- when the database lacks the object) and the whole file can run again
-- after an interruption.

-- unless-column test_results.state
ALTER TABLE test_results ADD COLUMN state varchar(16) NOT NULL DEFAULT 'waiting';
-- unless-column test_results.reason
ALTER TABLE test_results ADD COLUMN reason text NULL;
-- unless-column test_results.agent
ALTER TABLE test_results ADD COLUMN agent varchar(255) NULL;
-- unless-column test_results.heartbeat_at
ALTER TABLE test_results ADD COLUMN heartbeat_at DATETIME NULL;
-- unless-column test_results.attempts
ALTER TABLE test_results ADD COLUMN attempts integer NOT NULL DEFAULT 0;

UPDATE test_results
SET state = CASE
        WHEN progress = 0 THEN 'waiting'
        WHEN progress = 100 THEN 'completed'
        ELSE 'running'
    END,
    attempts = CASE WHEN started_at IS NULL THEN 0 ELSE 1 END;

-- unless-unique test_results.hash_id
ALTER TABLE test_results ADD UNIQUE KEY test_results__hash_id_unique (hash_id);
-- unless-index test_results.test_results__queue_progress_priority_id
ALTER TABLE test_results ADD KEY test_results__queue_progress_priority_id (queue, progress, priority DESC, id);
-- unless-index test_results.test_results__created_at
ALTER TABLE test_results ADD KEY test_results__created_at (created_at);

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
ALTER TABLE result_entries ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;

CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    description varchar(255) NOT NULL,
    applied_at DATETIME NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
