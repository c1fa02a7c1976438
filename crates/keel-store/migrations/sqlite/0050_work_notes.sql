-- The work item page (issue 10): a description in Markdown, web links (title and address) and comments that may name
-- people. Links and comments are not in the in-memory model, so they bump no data_version.
ALTER TABLE work_items ADD COLUMN description TEXT NOT NULL DEFAULT '';

CREATE TABLE work_web_links (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    added_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX work_web_links_item ON work_web_links(workspace_id, item_id);

CREATE TABLE work_comments (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    by_user INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX work_comments_item ON work_comments(workspace_id, item_id);
CREATE INDEX work_comments_recent ON work_comments(workspace_id, created_at);
