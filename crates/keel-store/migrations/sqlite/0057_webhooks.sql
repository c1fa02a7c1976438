-- Webhooks: a workspace's subscriptions (a target address, the events it wants, a signing
-- secret kept as is because every delivery is signed with it; it is never shown again and the
-- audit log leaves it out) and the delivery queue, written in the same transaction as the
-- change that caused each event (an outbox), so a delivery survives a restart and is made by
-- one node. No data_version trigger: the operating model does not hold them.
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT,
    event_types TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    signing_secret TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id)
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until INTEGER,
    lease_token TEXT,
    last_attempt_at INTEGER,
    last_status_code INTEGER,
    last_duration_ms INTEGER,
    last_error TEXT,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, subscription_id) REFERENCES webhook_subscriptions(workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(workspace_id, subscription_id, id);
CREATE INDEX webhook_deliveries_lease ON webhook_deliveries(lease_token);
