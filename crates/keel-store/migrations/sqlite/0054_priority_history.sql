-- Every status change of a priority, with why: the status it left and took, the priority a
-- "now" priority paused, and the written reason of an override (a priority made "now" while
-- capacity is short that pauses nothing). A priority's history goes with it.
CREATE TABLE priority_events (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    priority_id INTEGER NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, priority_id) REFERENCES priorities(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX priority_events_priority ON priority_events(workspace_id, priority_id, at);
