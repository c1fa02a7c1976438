-- Objectives (outcome, owner, KPI with baseline, target and deadline, what it serves) and the
-- ranked priorities that serve them, with the priority each "now" priority paused.
-- Deadlines are day numbers (days since 1970-01-01), like work dates.
CREATE TABLE objectives (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    layer TEXT NOT NULL,
    metric TEXT,
    baseline REAL,
    target REAL,
    deadline INTEGER,
    serves TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX objectives_workspace ON objectives(workspace_id);

CREATE TABLE priorities (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    objective_id INTEGER REFERENCES objectives(id) ON DELETE SET NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    rank INTEGER NOT NULL,
    status TEXT NOT NULL,
    weekly_hours REAL NOT NULL,
    paused_id INTEGER REFERENCES priorities(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX priorities_workspace ON priorities(workspace_id, rank);

CREATE TRIGGER objectives_bump_insert AFTER INSERT ON objectives BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER objectives_bump_update AFTER UPDATE ON objectives BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER objectives_bump_delete AFTER DELETE ON objectives BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER priorities_bump_insert AFTER INSERT ON priorities BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER priorities_bump_update AFTER UPDATE ON priorities BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER priorities_bump_delete AFTER DELETE ON priorities BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
