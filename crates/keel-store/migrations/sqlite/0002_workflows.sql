-- Workflows (SOPs) with their revision history, work items moving through their stages,
-- and secret calendar feeds. Dates are days since 1970-01-01 (INTEGER).

CREATE TABLE workflows (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    function_id INTEGER REFERENCES functions(id) ON DELETE SET NULL,
    spec TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX workflows_workspace_name ON workflows(workspace_id, name);

CREATE TABLE workflow_revisions (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    workflow_id INTEGER NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    spec TEXT NOT NULL,
    changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    changed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX workflow_revisions_version ON workflow_revisions(workflow_id, version);

CREATE TABLE work_items (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    workflow_id INTEGER NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    execution_owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    contributor_ids TEXT NOT NULL,
    stage INTEGER NOT NULL,
    status TEXT NOT NULL,
    estimated_hours REAL NOT NULL,
    start_date INTEGER,
    planned_launch INTEGER,
    actual_launch INTEGER,
    first_review INTEGER,
    blocked_reason TEXT,
    blocked_since INTEGER,
    blocked_seconds INTEGER NOT NULL,
    revisions INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    launched_at INTEGER,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX work_items_workflow ON work_items(workspace_id, workflow_id, status);
CREATE INDEX work_items_status ON work_items(workspace_id, status, id);
CREATE INDEX work_items_owner ON work_items(workspace_id, execution_owner_id, status);

CREATE TABLE work_checks (
    item_id INTEGER NOT NULL REFERENCES work_items(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    item INTEGER NOT NULL,
    checked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    checked_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, stage, item)
);

CREATE TABLE work_approvals (
    item_id INTEGER NOT NULL REFERENCES work_items(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    approved_at INTEGER NOT NULL,
    override_reason TEXT,
    PRIMARY KEY (item_id, stage)
);

CREATE TABLE work_events (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES work_items(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    from_stage INTEGER,
    to_stage INTEGER,
    note TEXT,
    by_user INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX work_events_item ON work_events(item_id, at);

CREATE TABLE work_deps (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES work_items(id) ON DELETE CASCADE,
    blocked_by_id INTEGER NOT NULL REFERENCES work_items(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, blocked_by_id)
);
CREATE INDEX work_deps_workspace ON work_deps(workspace_id);

CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX calendar_feeds_workspace ON calendar_feeds(workspace_id);
