//! The demo's webhook: the marketing-ops bridge that posts launches and blocks to the team's
//! chat. It is subscribed before the demo's work moves, so those moves queue their events
//! through the same outbox the app writes; then the deliveries are played out as a receiver
//! that had one bad minute would have answered (claimed and recorded through the worker's
//! own store calls, for this workspace only), and an admin's "Send test" from today.
//!
//! The address is under `.example` (RFC 2606): it never resolves, so a served demo sends
//! nothing anywhere; an event the demo's visitors cause is tried, refused as unknown, and
//! given up after the usual retries.

use anyhow::Result;
use keel_domain::webhook::{DeliveryStatus, EventType, SubscriptionDraft};
use keel_store::{Attempt, Store, WorkspaceId};

pub const URL: &str = "https://hooks.northwind-analytics.example/keel/marketing-ops";

/// Subscribes the demo's bridge; call before the work is seeded.
pub async fn subscribe(store: &Store, ws: WorkspaceId, by_user: i64) -> Result<i64> {
    let d = SubscriptionDraft {
        url: URL.into(),
        description: Some("Launches and blocks to #marketing-ops".into()),
        event_types: vec![EventType::WorkLaunched, EventType::WorkBlocked],
        active: true,
    };
    let secret = format!("whsec_demo_{}", "0".repeat(58));
    Ok(store
        .create_webhook(ws, &d, &secret, Some(by_user))
        .await?
        .id)
}

/// Answers the queued deliveries: most at once, one after a 503 and a retry, and a test
/// ping last. Returns how many deliveries the log holds.
pub async fn play_out(store: &Store, ws: WorkspaceId, hook: i64, by_user: i64) -> Result<usize> {
    store.queue_test_delivery(ws, hook, Some(by_user)).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let ok = |ms: i64| Attempt {
        at: now,
        status_code: Some(200),
        duration_ms: ms,
        error: None,
        status: DeliveryStatus::Delivered,
        next_attempt_at: None,
    };
    let claimed = store
        .claim_deliveries(now + 1, 60, 1_000, "demo", Some(ws))
        .await?;
    let mut retried = None;
    for (i, c) in claimed.iter().enumerate() {
        let a = if i == 1 {
            // The chat bridge was restarting: a 503, then taken on the retry.
            retried = Some(c.id);
            Attempt {
                at: now - 10,
                status_code: Some(503),
                duration_ms: 2_140,
                error: Some("The receiver answered 503.".into()),
                status: DeliveryStatus::Pending,
                next_attempt_at: Some(now),
            }
        } else {
            ok(140 + 37 * i as i64)
        };
        store.finish_delivery(c.id, &c.lease_token, &a).await?;
    }
    if retried.is_some() {
        for c in store
            .claim_deliveries(now + 1, 60, 1_000, "demo-retry", Some(ws))
            .await?
        {
            store
                .finish_delivery(c.id, &c.lease_token, &ok(212))
                .await?;
        }
    }
    Ok(store.list_deliveries(ws, hook, None, 500).await?.len())
}
