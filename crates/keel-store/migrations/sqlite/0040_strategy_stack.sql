-- The strategy stack (issue 11): each layer's settings (no row: the defaults), market segments,
-- personas per segment, the message map (persona × buying stage) and tactics programs with the
-- channels, offers and workflows they use.
CREATE TABLE strategy_layers (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    cycle TEXT NOT NULL,
    last_reviewed INTEGER,
    goals TEXT,
    revenue_goal REAL,
    revenue_from INTEGER,
    revenue_to INTEGER,
    go_to_market TEXT,
    stages TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, layer)
);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    needs TEXT,
    value_drivers TEXT,
    alternatives TEXT,
    evidence TEXT,
    evidence_date INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX segments_workspace_name ON segments(workspace_id, name);
CREATE UNIQUE INDEX segments_workspace_id ON segments(workspace_id, id);

CREATE TABLE personas (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    goals TEXT,
    pains TEXT,
    objections TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, segment_id) REFERENCES segments(workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX personas_workspace_name ON personas(workspace_id, name);
CREATE UNIQUE INDEX personas_workspace_id ON personas(workspace_id, id);
CREATE INDEX personas_segment ON personas(workspace_id, segment_id);

CREATE TABLE persona_messages (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    persona_id INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    message TEXT NOT NULL,
    proof_point TEXT,
    asset TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, persona_id, stage),
    FOREIGN KEY (workspace_id, persona_id) REFERENCES personas(workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE programs (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    goal TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX programs_workspace_name ON programs(workspace_id, name);
CREATE UNIQUE INDEX programs_workspace_id ON programs(workspace_id, id);

CREATE TABLE program_channels (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    PRIMARY KEY (program_id, channel_id),
    FOREIGN KEY (workspace_id, program_id) REFERENCES programs(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, channel_id) REFERENCES channels(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX program_channels_workspace ON program_channels(workspace_id);
CREATE TABLE program_offers (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL,
    offer_id INTEGER NOT NULL,
    PRIMARY KEY (program_id, offer_id),
    FOREIGN KEY (workspace_id, program_id) REFERENCES programs(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, offer_id) REFERENCES offers(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX program_offers_workspace ON program_offers(workspace_id);
CREATE TABLE program_workflows (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL,
    workflow_id INTEGER NOT NULL,
    PRIMARY KEY (program_id, workflow_id),
    FOREIGN KEY (workspace_id, program_id) REFERENCES programs(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, workflow_id) REFERENCES workflows(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX program_workflows_workspace ON program_workflows(workspace_id);

CREATE TRIGGER strategy_layers_bump_insert AFTER INSERT ON strategy_layers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER strategy_layers_bump_update AFTER UPDATE ON strategy_layers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER strategy_layers_bump_delete AFTER DELETE ON strategy_layers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER segments_bump_insert AFTER INSERT ON segments BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER segments_bump_update AFTER UPDATE ON segments BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER segments_bump_delete AFTER DELETE ON segments BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER personas_bump_insert AFTER INSERT ON personas BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER personas_bump_update AFTER UPDATE ON personas BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER personas_bump_delete AFTER DELETE ON personas BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER persona_messages_bump_insert AFTER INSERT ON persona_messages BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER persona_messages_bump_update AFTER UPDATE ON persona_messages BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER persona_messages_bump_delete AFTER DELETE ON persona_messages BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER programs_bump_insert AFTER INSERT ON programs BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER programs_bump_update AFTER UPDATE ON programs BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER programs_bump_delete AFTER DELETE ON programs BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER program_channels_bump_insert AFTER INSERT ON program_channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER program_channels_bump_update AFTER UPDATE ON program_channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER program_channels_bump_delete AFTER DELETE ON program_channels BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER program_offers_bump_insert AFTER INSERT ON program_offers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER program_offers_bump_update AFTER UPDATE ON program_offers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER program_offers_bump_delete AFTER DELETE ON program_offers BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER program_workflows_bump_insert AFTER INSERT ON program_workflows BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER program_workflows_bump_update AFTER UPDATE ON program_workflows BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER program_workflows_bump_delete AFTER DELETE ON program_workflows BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
