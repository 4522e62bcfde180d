-- Schema version 1 for PostgreSQL: the Zonemaster Backend 12.x tables
-- (spec 6.1) with our additive columns and indexes. Applied in one
-- transaction. Times are TIMESTAMP (no zone) in UTC.

-- Our columns in test_results: `state` (waiting, running, completed, failed,
-- cancelled; `progress` stays authoritative for the API), `reason` (why a
-- test failed, was re-queued or cancelled), `agent` (the holder),
-- `heartbeat_at` (the holder's last heartbeat for this test: kept per test
-- so the reaper reads one table), `attempts` (claims). result_entries.id
-- makes the emission order explicit.

CREATE TABLE IF NOT EXISTS test_results (
    id BIGSERIAL PRIMARY KEY,
    hash_id VARCHAR(16) NOT NULL,
    domain VARCHAR(255) NOT NULL,
    batch_id integer,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    ended_at TIMESTAMP,
    priority integer DEFAULT 10,
    queue integer DEFAULT 0,
    progress integer DEFAULT 0,
    fingerprint varchar(32),
    params json NOT NULL,
    results json,
    undelegated integer NOT NULL DEFAULT 0,
    state varchar(16) NOT NULL DEFAULT 'waiting',
    reason text,
    agent varchar(255),
    heartbeat_at TIMESTAMP,
    attempts integer NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX IF NOT EXISTS test_results__hash_id ON test_results (hash_id);
CREATE INDEX IF NOT EXISTS test_results__fingerprint ON test_results (fingerprint);
CREATE INDEX IF NOT EXISTS test_results__batch_id_progress ON test_results (batch_id, progress);
CREATE INDEX IF NOT EXISTS test_results__progress ON test_results (progress);
CREATE INDEX IF NOT EXISTS test_results__domain_undelegated ON test_results (domain, undelegated);
CREATE INDEX IF NOT EXISTS test_results__progress_priority_id ON test_results (progress, priority DESC, id) WHERE progress = 0;
CREATE INDEX IF NOT EXISTS test_results__queue_progress_priority_id ON test_results (queue, progress, priority DESC, id) WHERE progress = 0;
CREATE INDEX IF NOT EXISTS test_results__created_at ON test_results (created_at);

CREATE TABLE IF NOT EXISTS log_level (
    value INT UNIQUE,
    level VARCHAR(15)
);

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

CREATE TABLE IF NOT EXISTS result_entries (
    id BIGSERIAL PRIMARY KEY,
    hash_id VARCHAR(16) NOT NULL,
    level INT NOT NULL,
    module VARCHAR(255) NOT NULL,
    testcase VARCHAR(255) NOT NULL,
    tag VARCHAR(255) NOT NULL,
    timestamp REAL NOT NULL,
    args JSONB NOT NULL,
    CONSTRAINT fk_hash_id FOREIGN KEY (hash_id) REFERENCES test_results (hash_id),
    CONSTRAINT fk_level FOREIGN KEY (level) REFERENCES log_level (value)
);

CREATE INDEX IF NOT EXISTS result_entries__hash_id ON result_entries (hash_id);
CREATE INDEX IF NOT EXISTS result_entries__level ON result_entries (level);

CREATE TABLE IF NOT EXISTS batch_jobs (
    id SERIAL PRIMARY KEY,
    username varchar(50) NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    id SERIAL PRIMARY KEY,
    username varchar(128),
    api_key varchar(512),
    UNIQUE (username)
);

CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    description varchar(255) NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
