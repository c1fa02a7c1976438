-- The audit log (issue 14): every change to workspace data, with who made it, when, the record
-- and its fields before and after. Rows are written by triggers that keel derives from the
-- schema at every migrate (keel-store/src/audit/triggers.rs), in the transaction of the change.
-- `workspace_id` is NULL for account events (sign-ins), which a workspace shows for its members.
-- No foreign keys: an entry outlives the record it describes, and an account's.
CREATE TABLE audit_log (
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
CREATE INDEX audit_log_workspace ON audit_log(workspace_id, id);
CREATE INDEX audit_log_record ON audit_log(workspace_id, record_type, record_id, id);
CREATE INDEX audit_log_actor ON audit_log(workspace_id, actor_user_id, id);
CREATE INDEX audit_log_account ON audit_log(record_type, record_id, id) WHERE workspace_id IS NULL;

-- Who is making the current write transaction's changes. SQLite has one writer at a time, so
-- one row serves: keel writes it first in every write transaction and clears it before the
-- commit, and the audit triggers read it (a main-schema trigger cannot read a TEMP table).
-- PostgreSQL keeps the same in transaction-local settings (`keel.actor_user`, …) and leaves
-- this table empty.
CREATE TABLE audit_context (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    user_id INTEGER,
    token_id INTEGER,
    via TEXT NOT NULL
);
