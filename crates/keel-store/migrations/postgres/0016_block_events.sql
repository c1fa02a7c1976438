-- The recurring-blocker review trigger counts each workspace's recent blocks; this index
-- lets the model read them without scanning every work event.
CREATE INDEX work_events_kind_at ON work_events(workspace_id, kind, at);
