-- Recurring commitments: hours a week a person gives to deciding, meetings, managing or
-- anything else besides the functions they execute and their one-off work. A commitment
-- linked to a workflow belongs to its decision owner and moves with it.
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    hours REAL NOT NULL,
    workflow_id INTEGER REFERENCES workflows(id) ON DELETE CASCADE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX commitments_workspace ON commitments(workspace_id, person_id);
CREATE INDEX commitments_workflow ON commitments(workflow_id);

CREATE TRIGGER commitments_bump_insert AFTER INSERT ON commitments BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER commitments_bump_update AFTER UPDATE ON commitments BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER commitments_bump_delete AFTER DELETE ON commitments BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;

-- The workspace's time zone (an IANA name): "today" and the dates people type are its.
ALTER TABLE workspaces ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
