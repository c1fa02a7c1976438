-- A counter per workspace that every change to its operating model bumps, so a node can
-- keep the model in memory and know, with one cheap read, whether it is still current.
ALTER TABLE workspaces ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER people_bump_insert AFTER INSERT ON people BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER people_bump_update AFTER UPDATE ON people BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER people_bump_delete AFTER DELETE ON people BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER functions_bump_insert AFTER INSERT ON functions BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER functions_bump_update AFTER UPDATE ON functions BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER functions_bump_delete AFTER DELETE ON functions BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER workflows_bump_insert AFTER INSERT ON workflows BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER workflows_bump_update AFTER UPDATE ON workflows BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER workflows_bump_delete AFTER DELETE ON workflows BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER work_items_bump_insert AFTER INSERT ON work_items BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER work_items_bump_update AFTER UPDATE ON work_items BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER work_items_bump_delete AFTER DELETE ON work_items BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
