-- Channels (owner, tactic phase, status, monthly budget) and per-workspace settings, of
-- which the first is the channel-focus limit (no row: the default of 3 active channels).
CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    phase TEXT NOT NULL,
    status TEXT NOT NULL,
    monthly_budget REAL NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX channels_workspace_name ON channels(workspace_id, name);

CREATE TABLE workspace_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_focus_limit INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER channels_bump_insert AFTER INSERT ON channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER channels_bump_update AFTER UPDATE ON channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER channels_bump_delete AFTER DELETE ON channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER workspace_settings_bump_insert AFTER INSERT ON workspace_settings BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER workspace_settings_bump_update AFTER UPDATE ON workspace_settings BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
