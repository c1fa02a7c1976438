-- Offers (what a lead converts on: a demo, a trial, a guide, a webinar, an assessment…), who
-- each is for, its owner and status, and the channels that carry it.
CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX offers_workspace_name ON offers(workspace_id, name);
CREATE UNIQUE INDEX offers_workspace_id ON offers(workspace_id, id);

CREATE TABLE offer_channels (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    offer_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    PRIMARY KEY (offer_id, channel_id),
    FOREIGN KEY (workspace_id, offer_id) REFERENCES offers(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX offer_channels_workspace ON offer_channels(workspace_id);

CREATE TRIGGER offers_bump_insert AFTER INSERT ON offers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER offers_bump_update AFTER UPDATE ON offers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER offers_bump_delete AFTER DELETE ON offers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER offer_channels_bump_insert AFTER INSERT ON offer_channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER offer_channels_bump_delete AFTER DELETE ON offer_channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
