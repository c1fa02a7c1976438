-- The work list reads a workspace's newest items first and stops after a page; this index
-- serves that order without sorting every item.
CREATE INDEX work_items_recent ON work_items(workspace_id, id);
