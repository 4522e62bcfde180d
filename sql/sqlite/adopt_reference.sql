-- Adopts a database made by Zonemaster Backend 11.2+/12.x: adds our columns
-- and indexes so it equals schema version 1. Runs in the same transaction
-- that stamps it. A `-- unless-...` line makes the next statement
-- conditional on what the database already has.

ALTER TABLE test_results ADD COLUMN state varchar(16) NOT NULL DEFAULT 'waiting';
ALTER TABLE test_results ADD COLUMN reason text NULL;
ALTER TABLE test_results ADD COLUMN agent varchar(255) NULL;
ALTER TABLE test_results ADD COLUMN heartbeat_at DATETIME NULL;
ALTER TABLE test_results ADD COLUMN attempts integer NOT NULL DEFAULT 0;

UPDATE test_results
SET state = CASE
        WHEN progress = 0 THEN 'waiting'
        WHEN progress = 100 THEN 'completed'
        ELSE 'running'
    END,
    attempts = CASE WHEN started_at IS NULL THEN 0 ELSE 1 END;

-- The entries' foreign key needs a unique parent key, which SQLite checks
-- now that foreign keys are enforced.
-- unless-unique test_results.hash_id
CREATE UNIQUE INDEX test_results__hash_id_unique ON test_results (hash_id);

-- unless-index test_results.test_results__queue_progress_priority_id
CREATE INDEX test_results__queue_progress_priority_id ON test_results (queue, progress, priority DESC, id);
-- unless-index test_results.test_results__created_at
CREATE INDEX test_results__created_at ON test_results (created_at);

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

-- SQLite cannot add a primary key column: rebuild result_entries with an
-- explicit id, keeping the stored order (rowid). Entries of tests that no
-- longer exist (the reference did not enforce foreign keys) are left out.
CREATE TABLE result_entries_adopted (
    id integer PRIMARY KEY,
    hash_id VARCHAR(16) NOT NULL,
    level INT NOT NULL,
    module VARCHAR(255) NOT NULL,
    testcase VARCHAR(255) NOT NULL,
    tag VARCHAR(255) NOT NULL,
    timestamp REAL NOT NULL,
    args BLOB NOT NULL,
    CONSTRAINT fk_hash_id FOREIGN KEY (hash_id) REFERENCES test_results (hash_id),
    CONSTRAINT fk_level FOREIGN KEY (level) REFERENCES log_level (value)
);
INSERT INTO result_entries_adopted (hash_id, level, module, testcase, tag, timestamp, args)
SELECT hash_id, level, module, testcase, tag, timestamp, args
FROM result_entries
WHERE EXISTS (SELECT 1 FROM test_results t WHERE t.hash_id = result_entries.hash_id)
ORDER BY rowid;
DROP TABLE result_entries;
ALTER TABLE result_entries_adopted RENAME TO result_entries;
CREATE INDEX result_entries__hash_id ON result_entries (hash_id);
CREATE INDEX result_entries__level ON result_entries (level);

CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    description varchar(255) NOT NULL,
    applied_at DATETIME NOT NULL
);
