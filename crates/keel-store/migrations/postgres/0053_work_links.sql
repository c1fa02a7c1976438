-- Strategic fit: each work item's links to the objective or priority it serves, the channel
-- it runs in and the offer it carries (one row per linked item, kept beside the item so its
-- moves and versions stay its own), and the share of untraced work a workspace accepts.
CREATE TABLE work_links (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    work_id BIGINT NOT NULL,
    objective_id BIGINT REFERENCES objectives(id) ON DELETE SET NULL,
    priority_id BIGINT REFERENCES priorities(id) ON DELETE SET NULL,
    channel_id BIGINT REFERENCES channels(id) ON DELETE SET NULL,
    offer_id BIGINT REFERENCES offers(id) ON DELETE SET NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, work_id),
    FOREIGN KEY (workspace_id, work_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX work_links_objective ON work_links(objective_id);
CREATE INDEX work_links_priority ON work_links(priority_id);
CREATE INDEX work_links_channel ON work_links(channel_id);
CREATE INDEX work_links_offer ON work_links(offer_id);

CREATE TABLE fit_settings (
    workspace_id BIGINT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    untraced_limit BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TRIGGER work_links_bump AFTER INSERT OR UPDATE OR DELETE ON work_links FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
CREATE TRIGGER fit_settings_bump AFTER INSERT OR UPDATE ON fit_settings FOR EACH ROW EXECUTE FUNCTION keel_bump_workspace();
