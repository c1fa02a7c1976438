//! Webhook subscriptions: where a workspace's events go. The signing secret is kept as is
//! (every delivery is signed with it, so a hash would not do); it is read only by the delivery
//! worker (`webhook_queue.rs`) and never returned with a subscription. The audit log leaves
//! it out (`audit::triggers::ignored`).

use crate::WorkspaceId;
use crate::{now, read, write, Result, Store, StoreError};
use keel_domain::webhook::{read_types, stored_types, EventType, SubscriptionDraft};

/// A subscription as pages and the API show it: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<EventType>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    url: String,
    description: Option<String>,
    event_types: String,
    active: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
}

const COLUMNS: &str = "id, url, description, event_types, active, created_at, updated_at, version";

fn subscription(r: Row) -> Subscription {
    Subscription {
        id: r.id,
        url: r.url,
        description: r.description,
        event_types: read_types(&r.event_types),
        active: r.active != 0,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

impl Store {
    /// The workspace's subscriptions, oldest first.
    pub async fn list_webhooks(&self, ws: WorkspaceId) -> Result<Vec<Subscription>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_subscriptions WHERE workspace_id = $1 ORDER BY id"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(subscription).collect())
    }

    pub async fn find_webhook(&self, ws: WorkspaceId, id: i64) -> Result<Option<Subscription>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_subscriptions WHERE workspace_id = $1 AND id = $2"
        );
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(subscription))
    }

    /// A new subscription signing with `secret` (made and shown once by the caller).
    pub async fn create_webhook(
        &self,
        ws: WorkspaceId,
        d: &SubscriptionDraft,
        secret: &str,
        by_user: Option<i64>,
    ) -> Result<Subscription> {
        let t = now();
        let sql = format!(
            "INSERT INTO webhook_subscriptions (workspace_id, url, description, event_types, active, signing_secret, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(&d.url).bind(&d.description).bind(stored_types(&d.event_types)).bind(d.active as i64)
            .bind(secret).bind(by_user).bind(t)
            .fetch_one(p).await)?;
        Ok(subscription(row))
    }

    /// Replaces a subscription's address, description, events and switch (its secret stays)
    /// if it is still at `expected`.
    pub async fn update_webhook(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &SubscriptionDraft,
    ) -> Result<Subscription> {
        let sql = format!(
            "UPDATE webhook_subscriptions SET url = $3, description = $4, event_types = $5, active = $6, updated_at = $7, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $8 RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(id).bind(&d.url).bind(&d.description).bind(stored_types(&d.event_types)).bind(d.active as i64)
            .bind(now()).bind(expected)
            .fetch_optional(p).await)?;
        match row {
            Some(r) => Ok(subscription(r)),
            None => Err(self.missing_or_stale("webhook_subscriptions", ws, id).await),
        }
    }

    /// Removes a subscription and its deliveries, sent or waiting.
    pub async fn delete_webhook(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        // Its deliveries go with it (ON DELETE CASCADE).
        let n = write!(self, p => sqlx::query(
            "DELETE FROM webhook_subscriptions WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("webhook_subscriptions", ws, id).await);
        }
        Ok(())
    }

    /// The signing secret of a subscription, for tests and the delivery worker's checks.
    pub async fn webhook_secret(&self, ws: WorkspaceId, id: i64) -> Result<String> {
        read!(self, p => sqlx::query_scalar::<_, String>(
            "SELECT signing_secret FROM webhook_subscriptions WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }
}
