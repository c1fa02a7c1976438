//! The webhook delivery queue (an outbox). A change that causes an event writes one row per
//! subscription that wants it, in the change's own transaction (`emit!`), so an event is
//! queued exactly when its change is kept. keel-web's worker claims due rows with a lease
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer, so its conditional
//! `UPDATE … RETURNING` claims alone), sends them and records the outcome only while it still
//! holds the lease: of several nodes on one database, one sends each attempt.

use crate::WorkspaceId;
use crate::{now, read, write, Backend, Result, Store, StoreError};
use keel_domain::webhook::{DeliveryStatus, EventType, TEST_EVENT};
use serde_json::Value;

/// One event, ready to queue for the subscriptions that want it.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub id: String,
    pub kind: &'static str,
    /// What the pattern in `ENQUEUE` matches (`%,work.moved,%`).
    pub pattern: String,
    pub data: String,
    pub at: i64,
}

impl Event {
    pub fn new(kind: EventType, data: Value) -> Event {
        Event {
            id: event_id(),
            kind: kind.as_str(),
            pattern: keel_domain::webhook::subscribed_pattern(kind),
            data: data.to_string(),
            at: now(),
        }
    }
}

/// `evt_` and 16 random bytes in hex: the same for every subscription that gets the event.
fn event_id() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the system's random source");
    format!(
        "evt_{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

/// Queues an event for every active subscription of the workspace that wants its type.
pub(crate) const ENQUEUE: &str =
    "INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, data, created_at, status, attempts, next_attempt_at)
     SELECT $1, s.id, $2, $3, $4, $5, 'pending', 0, $5 FROM webhook_subscriptions s
     WHERE s.workspace_id = $1 AND s.active <> 0 AND s.event_types LIKE $6";

/// Queues `$ev` (an `Event`) inside a `tx!` body, for the workspace `$ws`.
macro_rules! emit {
    ($tx:ident, $ws:expr, $ev:expr) => {{
        let ev: $crate::webhook_queue::Event = $ev;
        sqlx::query($crate::webhook_queue::ENQUEUE)
            .bind($ws)
            .bind(&ev.id)
            .bind(ev.kind)
            .bind(&ev.data)
            .bind(ev.at)
            .bind(&ev.pattern)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use emit;

/// A delivery as its subscription's log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub subscription_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub created_at: i64,
    pub status: DeliveryStatus,
    /// Attempts made since it was queued (or last redelivered).
    pub attempts: i64,
    /// When the next attempt is due, while it is pending.
    pub next_attempt_at: Option<i64>,
    pub last_attempt_at: Option<i64>,
    /// The receiver's answer to the last attempt, if it answered.
    pub last_status_code: Option<i64>,
    pub last_duration_ms: Option<i64>,
    /// Why the last attempt failed, in words (a refused address, a timeout, the status).
    pub last_error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    subscription_id: i64,
    event_id: String,
    event_type: String,
    created_at: i64,
    status: String,
    attempts: i64,
    next_attempt_at: Option<i64>,
    last_attempt_at: Option<i64>,
    last_status_code: Option<i64>,
    last_duration_ms: Option<i64>,
    last_error: Option<String>,
}

const COLUMNS: &str = "id, subscription_id, event_id, event_type, created_at, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_duration_ms, last_error";

fn delivery(r: Row) -> Delivery {
    Delivery {
        id: r.id,
        subscription_id: r.subscription_id,
        event_id: r.event_id,
        event_type: r.event_type,
        created_at: r.created_at,
        status: DeliveryStatus::parse(&r.status).unwrap_or(DeliveryStatus::Pending),
        attempts: r.attempts,
        next_attempt_at: r.next_attempt_at,
        last_attempt_at: r.last_attempt_at,
        last_status_code: r.last_status_code,
        last_duration_ms: r.last_duration_ms,
        last_error: r.last_error,
    }
}

/// A delivery the worker holds the lease of, with all it needs to send it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub workspace_slug: String,
    pub workspace_name: String,
    pub subscription_id: i64,
    pub url: String,
    pub signing_secret: String,
    pub event_id: String,
    pub event_type: String,
    /// The event's `data` object, as JSON text.
    pub data: String,
    pub created_at: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    pub lease_token: String,
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: i64,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
    /// Delivered, pending again (with the next attempt's time) or given up.
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<i64>,
}

/// The pending deliveries due now that a worker may take: not leased (or the lease ran out)
/// and of an active subscription, but for a test, which "Send test" sends even to a
/// subscription that is switched off.
const DUE: &str = "d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
     AND (d.event_type = 'ping' OR EXISTS (SELECT 1 FROM webhook_subscriptions s
          WHERE s.workspace_id = d.workspace_id AND s.id = d.subscription_id AND s.active <> 0))";

impl Store {
    /// A subscription's deliveries, newest first, `limit` at a time before `before_id`.
    pub async fn list_deliveries(
        &self,
        ws: WorkspaceId,
        subscription_id: i64,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Delivery>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND subscription_id = $2
             AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(subscription_id).bind(before_id).bind(limit.clamp(1, 500)).fetch_all(p).await)?;
        Ok(rows.into_iter().map(delivery).collect())
    }

    pub async fn find_delivery(
        &self,
        ws: WorkspaceId,
        subscription_id: i64,
        id: i64,
    ) -> Result<Option<Delivery>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND subscription_id = $2 AND id = $3"
        );
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(subscription_id).bind(id).fetch_optional(p).await)?;
        Ok(row.map(delivery))
    }

    /// Queues a test event (`ping`) for one subscription, whatever events it chose.
    pub async fn queue_test_delivery(
        &self,
        ws: WorkspaceId,
        subscription_id: i64,
        by_user: Option<i64>,
    ) -> Result<Delivery> {
        let t = now();
        let data = serde_json::json!({
            "message": "A test from keel: this address receives the workspace's events.",
            "subscription_id": subscription_id,
            "sent_by_user_id": by_user,
        })
        .to_string();
        let sql = format!(
            "INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, data, created_at, status, attempts, next_attempt_at)
             SELECT $1, s.id, $3, '{TEST_EVENT}', $4, $5, 'pending', 0, $5 FROM webhook_subscriptions s WHERE s.workspace_id = $1 AND s.id = $2
             RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(subscription_id).bind(event_id()).bind(&data).bind(t).fetch_optional(p).await)?;
        row.map(delivery).ok_or(StoreError::NotFound)
    }

    /// Sends a delivery again from now, with a fresh round of attempts; the receiver gets the
    /// same event and delivery ids, so it can tell a repeat.
    pub async fn redeliver(
        &self,
        ws: WorkspaceId,
        subscription_id: i64,
        id: i64,
    ) -> Result<Delivery> {
        let sql = format!(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $4, lease_until = NULL, lease_token = NULL
             WHERE workspace_id = $1 AND subscription_id = $2 AND id = $3 RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(subscription_id).bind(id).bind(now()).fetch_optional(p).await)?;
        row.map(delivery).ok_or(StoreError::NotFound)
    }

    /// Whether any delivery is due at `at`: one cheap read, so an idle node polls without
    /// taking SQLite's write lock.
    pub async fn deliveries_due(&self, at: i64) -> Result<bool> {
        let sql = format!("SELECT d.id FROM webhook_deliveries d WHERE {DUE} LIMIT 1");
        let found =
            read!(self, p => sqlx::query_scalar::<_, i64>(&sql).bind(at).fetch_optional(p).await)?;
        Ok(found.is_some())
    }

    /// Takes up to `limit` due deliveries for `lease_secs`, under `token` (random per claim),
    /// of every workspace or `only` one. A row another node holds is skipped, never waited
    /// for, and never taken twice.
    pub async fn claim_deliveries(
        &self,
        at: i64,
        lease_secs: i64,
        limit: i64,
        token: &str,
        only: Option<WorkspaceId>,
    ) -> Result<Vec<Claimed>> {
        let lock = match self.backend() {
            Backend::Postgres => "FOR UPDATE OF d SKIP LOCKED",
            Backend::Sqlite => "",
        };
        // The outer conditions repeat the lease check: a row whose lease another node took
        // between the inner select and the update is not taken again.
        let claim = format!(
            "UPDATE webhook_deliveries SET lease_until = $2, lease_token = $3
             WHERE id IN (SELECT d.id FROM webhook_deliveries d WHERE {DUE} AND ($5 IS NULL OR d.workspace_id = $5)
                          ORDER BY d.next_attempt_at, d.id LIMIT $4 {lock})
               AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $1)"
        );
        let n = write!(self, p => sqlx::query(&claim)
            .bind(at).bind(at + lease_secs).bind(token).bind(limit).bind(only).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Ok(Vec::new());
        }
        let read_sql = "SELECT d.id, d.workspace_id, w.slug AS workspace_slug, w.name AS workspace_name, d.subscription_id,
                s.url, s.signing_secret, d.event_id, d.event_type, d.data, d.created_at, d.attempts, d.lease_token
             FROM webhook_deliveries d
             JOIN webhook_subscriptions s ON s.workspace_id = d.workspace_id AND s.id = d.subscription_id
             JOIN workspaces w ON w.id = d.workspace_id
             WHERE d.lease_token = $1 ORDER BY d.next_attempt_at, d.id";
        // A read transaction begun after the claim's commit sees it (WAL on SQLite).
        let rows = read!(self, p => sqlx::query_as::<_, Claimed>(read_sql).bind(token).fetch_all(p).await)?;
        Ok(rows)
    }

    /// Records an attempt on a claimed delivery and lets the lease go. `false` when the lease
    /// was lost (it ran out and another node took the row, or the subscription went): then
    /// nothing is written.
    pub async fn finish_delivery(&self, id: i64, token: &str, a: &Attempt) -> Result<bool> {
        let n = write!(self, p => sqlx::query(
            "UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, next_attempt_at = $4, lease_until = NULL, lease_token = NULL,
                last_attempt_at = $5, last_status_code = $6, last_duration_ms = $7, last_error = $8
             WHERE id = $1 AND lease_token = $2")
            .bind(id).bind(token).bind(a.status.as_str()).bind(a.next_attempt_at).bind(a.at).bind(a.status_code)
            .bind(a.duration_ms).bind(&a.error)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Deliveries waiting to be sent, over all workspaces: the queue's depth.
    pub async fn webhook_queue_depth(&self) -> Result<i64> {
        Ok(read!(self, p => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").fetch_one(p).await)?)
    }

    /// Removes finished deliveries (delivered or given up) older than `before`, so the log
    /// keeps a window instead of growing for ever. Every node may run it.
    pub async fn purge_deliveries(&self, before: i64) -> Result<u64> {
        Ok(write!(self, p => sqlx::query(
            "DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < $1")
            .bind(before).execute(p).await.map(|r| r.rows_affected()))?)
    }
}
