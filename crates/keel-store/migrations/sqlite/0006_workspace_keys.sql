-- Every table of workspace data carries its workspace_id, and a row that belongs to a work
-- item or a workflow points at it by (workspace_id, id): the database itself refuses a check,
-- approval, event, dependency or revision of one workspace attached to a record of another.
-- SQLite cannot change a table's keys in place, so these leaf tables are rebuilt.
CREATE UNIQUE INDEX work_items_workspace_id ON work_items(workspace_id, id);
DROP INDEX work_items_recent;
CREATE UNIQUE INDEX workflows_workspace_id ON workflows(workspace_id, id);

CREATE TABLE work_checks_new (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    item INTEGER NOT NULL,
    checked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    checked_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, stage, item),
    FOREIGN KEY (workspace_id, item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
INSERT INTO work_checks_new (workspace_id, item_id, stage, item, checked_by, checked_at)
    SELECT w.workspace_id, c.item_id, c.stage, c.item, c.checked_by, c.checked_at
    FROM work_checks c JOIN work_items w ON w.id = c.item_id;
DROP TABLE work_checks;
ALTER TABLE work_checks_new RENAME TO work_checks;

CREATE TABLE work_approvals_new (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    approved_at INTEGER NOT NULL,
    override_reason TEXT,
    PRIMARY KEY (item_id, stage),
    FOREIGN KEY (workspace_id, item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
INSERT INTO work_approvals_new (workspace_id, item_id, stage, approved_by, approved_at, override_reason)
    SELECT w.workspace_id, a.item_id, a.stage, a.approved_by, a.approved_at, a.override_reason
    FROM work_approvals a JOIN work_items w ON w.id = a.item_id;
DROP TABLE work_approvals;
ALTER TABLE work_approvals_new RENAME TO work_approvals;

CREATE TABLE work_events_new (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    from_stage INTEGER,
    to_stage INTEGER,
    note TEXT,
    by_user INTEGER REFERENCES users(id) ON DELETE SET NULL,
    FOREIGN KEY (workspace_id, item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
INSERT INTO work_events_new SELECT id, workspace_id, item_id, at, kind, from_stage, to_stage, note, by_user FROM work_events;
DROP TABLE work_events;
ALTER TABLE work_events_new RENAME TO work_events;
CREATE INDEX work_events_item ON work_events(item_id, at);

CREATE TABLE work_deps_new (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    blocked_by_id INTEGER NOT NULL,
    PRIMARY KEY (item_id, blocked_by_id),
    FOREIGN KEY (workspace_id, item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, blocked_by_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
INSERT INTO work_deps_new SELECT workspace_id, item_id, blocked_by_id FROM work_deps;
DROP TABLE work_deps;
ALTER TABLE work_deps_new RENAME TO work_deps;
CREATE INDEX work_deps_workspace ON work_deps(workspace_id);

CREATE TABLE workflow_revisions_new (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    workflow_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    spec TEXT NOT NULL,
    changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    changed_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, workflow_id) REFERENCES workflows(workspace_id, id) ON DELETE CASCADE
);
INSERT INTO workflow_revisions_new SELECT id, workspace_id, workflow_id, version, spec, changed_by, changed_at FROM workflow_revisions;
DROP TABLE workflow_revisions;
ALTER TABLE workflow_revisions_new RENAME TO workflow_revisions;
CREATE UNIQUE INDEX workflow_revisions_version ON workflow_revisions(workflow_id, version);
