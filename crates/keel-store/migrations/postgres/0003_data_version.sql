-- A counter per workspace that every change to its operating model bumps, so a node can
-- keep the model in memory and know, with one cheap read, whether it is still current.
ALTER TABLE workspaces ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION keel_bump_workspace() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id;
    ELSE
        UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER people_bump AFTER INSERT OR UPDATE OR DELETE ON people FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
CREATE TRIGGER functions_bump AFTER INSERT OR UPDATE OR DELETE ON functions FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
CREATE TRIGGER workflows_bump AFTER INSERT OR UPDATE OR DELETE ON workflows FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
CREATE TRIGGER work_items_bump AFTER INSERT OR UPDATE OR DELETE ON work_items FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
