-- The audit log's newest entries (issue 14: the log may cost writes at most 15%). The audit
-- trigger appends here, to a table with no index, so a change's transaction writes one heap
-- tuple instead of the log's tuple and four index entries; keel moves the entries into
-- `audit_log` in batches (`Store::settle_audit`: every few seconds, and before the log is
-- read). An entry keeps its id when it moves: both tables number from the log's sequence.
CREATE TABLE audit_recent (
    id BIGINT NOT NULL DEFAULT nextval('audit_log_id_seq'),
    workspace_id BIGINT,
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_token_id BIGINT,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    before TEXT,
    after TEXT
);

-- PostgreSQL tells the trigger who writes through transaction-local settings; the table
-- SQLite used for it is gone there too.
DROP TABLE audit_context;
