-- The workspace's own lead-quality thresholds (issue 13): the acceptance rate below which a
-- source × offer pair is a poor fit, the share of leads each CRM field should reach, and how
-- many days a lead may wait for sales feedback, and the lead sources that are sales' own
-- (one per line; pipeline from every other source is marketing's). No row: keel's defaults.
CREATE TABLE lead_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    poor_fit_below REAL NOT NULL,
    completeness_bar REAL NOT NULL,
    pending_days INTEGER NOT NULL,
    sales_sources TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TRIGGER lead_settings_bump_insert AFTER INSERT ON lead_settings BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER lead_settings_bump_update AFTER UPDATE ON lead_settings BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
