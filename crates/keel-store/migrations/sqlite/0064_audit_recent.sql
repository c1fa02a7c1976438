-- The audit log's newest entries (issue 14: the log may cost writes at most 15%). The audit
-- triggers append here, to a table with no index but its row id, so a change's transaction
-- writes one more page instead of the log's page and its three indexes' pages; keel moves
-- the entries into `audit_log` in batches (`Store::settle_audit`: every few seconds, and
-- before the log is read). An entry keeps its id when it moves: the triggers number it after
-- the highest of both tables.
CREATE TABLE audit_recent (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER,
    at INTEGER NOT NULL,
    actor_user_id INTEGER,
    actor_token_id INTEGER,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    before TEXT,
    after TEXT
);

-- The author is no longer written before each change for the triggers to read: the triggers
-- write 'database' as the author, and keel names the real one in the entries its transaction
-- wrote just before the commit (audit.rs), so a write made outside keel stays nobody's.
DROP TABLE audit_context;
