-- Every table of workspace data carries its workspace_id, and a row that belongs to a work
-- item or a workflow points at it by (workspace_id, id): the database itself refuses a check,
-- approval, event, dependency or revision of one workspace attached to a record of another.
CREATE UNIQUE INDEX work_items_workspace_id ON work_items(workspace_id, id);
DROP INDEX work_items_recent;
CREATE UNIQUE INDEX workflows_workspace_id ON workflows(workspace_id, id);

ALTER TABLE work_checks ADD COLUMN workspace_id BIGINT REFERENCES workspaces(id) ON DELETE CASCADE;
UPDATE work_checks c SET workspace_id = w.workspace_id FROM work_items w WHERE w.id = c.item_id;
ALTER TABLE work_checks ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE work_checks DROP CONSTRAINT work_checks_item_id_fkey;
ALTER TABLE work_checks ADD CONSTRAINT work_checks_item FOREIGN KEY (workspace_id, item_id)
    REFERENCES work_items(workspace_id, id) ON DELETE CASCADE;

ALTER TABLE work_approvals ADD COLUMN workspace_id BIGINT REFERENCES workspaces(id) ON DELETE CASCADE;
UPDATE work_approvals a SET workspace_id = w.workspace_id FROM work_items w WHERE w.id = a.item_id;
ALTER TABLE work_approvals ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE work_approvals DROP CONSTRAINT work_approvals_item_id_fkey;
ALTER TABLE work_approvals ADD CONSTRAINT work_approvals_item FOREIGN KEY (workspace_id, item_id)
    REFERENCES work_items(workspace_id, id) ON DELETE CASCADE;

ALTER TABLE work_events DROP CONSTRAINT work_events_item_id_fkey;
ALTER TABLE work_events ADD CONSTRAINT work_events_item FOREIGN KEY (workspace_id, item_id)
    REFERENCES work_items(workspace_id, id) ON DELETE CASCADE;

ALTER TABLE work_deps DROP CONSTRAINT work_deps_item_id_fkey;
ALTER TABLE work_deps DROP CONSTRAINT work_deps_blocked_by_id_fkey;
ALTER TABLE work_deps ADD CONSTRAINT work_deps_item FOREIGN KEY (workspace_id, item_id)
    REFERENCES work_items(workspace_id, id) ON DELETE CASCADE;
ALTER TABLE work_deps ADD CONSTRAINT work_deps_blocked_by FOREIGN KEY (workspace_id, blocked_by_id)
    REFERENCES work_items(workspace_id, id) ON DELETE CASCADE;

ALTER TABLE workflow_revisions DROP CONSTRAINT workflow_revisions_workflow_id_fkey;
ALTER TABLE workflow_revisions ADD CONSTRAINT workflow_revisions_workflow FOREIGN KEY (workspace_id, workflow_id)
    REFERENCES workflows(workspace_id, id) ON DELETE CASCADE;
