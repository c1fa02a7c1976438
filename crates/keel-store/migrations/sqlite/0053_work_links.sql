-- Strategic fit: each work item's links to the objective or priority it serves, the channel
-- it runs in and the offer it carries (one row per linked item, kept beside the item so its
-- moves and versions stay its own), and the share of untraced work a workspace accepts.
CREATE TABLE work_links (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    work_id INTEGER NOT NULL,
    objective_id INTEGER REFERENCES objectives(id) ON DELETE SET NULL,
    priority_id INTEGER REFERENCES priorities(id) ON DELETE SET NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    offer_id INTEGER REFERENCES offers(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, work_id),
    FOREIGN KEY (workspace_id, work_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX work_links_objective ON work_links(objective_id);
CREATE INDEX work_links_priority ON work_links(priority_id);
CREATE INDEX work_links_channel ON work_links(channel_id);
CREATE INDEX work_links_offer ON work_links(offer_id);

CREATE TABLE fit_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    untraced_limit INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER work_links_bump_insert AFTER INSERT ON work_links BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER work_links_bump_update AFTER UPDATE ON work_links BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER work_links_bump_delete AFTER DELETE ON work_links BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER fit_settings_bump_insert AFTER INSERT ON fit_settings BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER fit_settings_bump_update AFTER UPDATE ON fit_settings BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
