-- The workspace's own lead-quality thresholds (issue 13): the acceptance rate below which a
-- source × offer pair is a poor fit, the share of leads each CRM field should reach, and how
-- many days a lead may wait for sales feedback, and the lead sources that are sales' own
-- (one per line; pipeline from every other source is marketing's). No row: keel's defaults.
CREATE TABLE lead_settings (
    workspace_id BIGINT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    poor_fit_below DOUBLE PRECISION NOT NULL,
    completeness_bar DOUBLE PRECISION NOT NULL,
    pending_days BIGINT NOT NULL,
    sales_sources TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);
CREATE TRIGGER lead_settings_bump AFTER INSERT OR UPDATE ON lead_settings FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
