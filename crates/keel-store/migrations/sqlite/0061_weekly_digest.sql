-- The weekly digest by email: each member chooses it per workspace (off by default), and each
-- digest sent is claimed by one row per (workspace, account, week), so of several keel nodes
-- looking at once exactly one sends it. `week` is the Monday's day number on the workspace's
-- calendar.
ALTER TABLE memberships ADD COLUMN weekly_digest BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE digest_sends (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL,
    sent_at INTEGER,
    PRIMARY KEY (workspace_id, user_id, week)
);
