//! The delivery worker: every node polls the queue, claims what is due with a lease, sends
//! each claimed delivery once, and records the outcome while it still holds the lease. A node
//! that stops mid-delivery leaves the lease to run out; another node then sends it again, so
//! a receiver may (rarely) see a delivery twice and should dedupe on `Keel-Delivery`.

use super::{guard, sign};
use crate::{AppState, Config};
use keel_domain::webhook::{delivered, retry_delay, DeliveryStatus};
use keel_store::{Attempt, Claimed, StoreError};
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Deliveries one node sends at once.
const BATCH: i64 = 8;

/// Runs until the task is aborted (at shutdown).
pub async fn run(state: AppState) {
    loop {
        match tick(&state).await {
            // There may be more due: look again at once.
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("webhook deliveries: {e} (will try again)"),
        }
        tokio::time::sleep(state.config.webhook_poll).await;
    }
}

fn random_token() -> String {
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).expect("the system's random source");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// One round: claims what is due and sends it; answers how many it claimed.
async fn tick(state: &AppState) -> Result<usize, StoreError> {
    let now = crate::time_fmt::now();
    // A read first, so an idle node does not take SQLite's write lock every poll.
    if !state.store.deliveries_due(now).await? {
        return Ok(0);
    }
    // Long enough for the attempt and its bookkeeping; a node that dies holds it no longer.
    let lease = state.config.webhook_timeout.as_secs() as i64 + 30;
    let claimed = state
        .store
        .claim_deliveries(now, lease, BATCH, &random_token(), None)
        .await?;
    let n = claimed.len();
    let mut set = tokio::task::JoinSet::new();
    for c in claimed {
        let state = state.clone();
        set.spawn(async move { deliver(&state, c).await });
    }
    while let Some(done) = set.join_next().await {
        if let Err(e) = done {
            tracing::warn!("a webhook delivery task failed: {e}");
        }
    }
    Ok(n)
}

async fn deliver(state: &AppState, c: Claimed) {
    let a = attempt(&state.config, &c).await;
    let counter = match a.status {
        DeliveryStatus::Delivered => &state.metrics.webhooks.delivered,
        DeliveryStatus::Pending => &state.metrics.webhooks.retrying,
        DeliveryStatus::Failed => &state.metrics.webhooks.failed,
    };
    counter.fetch_add(1, Ordering::Relaxed);
    match state.store.finish_delivery(c.id, &c.lease_token, &a).await {
        Ok(true) => tracing::debug!(
            delivery = c.id,
            status = a.status.as_str(),
            "webhook attempt recorded"
        ),
        Ok(false) => tracing::warn!(
            delivery = c.id,
            "webhook lease lost before the attempt was recorded"
        ),
        Err(e) => tracing::warn!(delivery = c.id, "recording a webhook attempt failed: {e}"),
    }
}

/// The JSON body of a delivery: the event, the workspace it happened in and its data. The
/// same for every attempt and every subscription that gets the event.
pub fn body(c: &Claimed) -> Vec<u8> {
    let data: serde_json::Value = serde_json::from_str(&c.data).unwrap_or(serde_json::Value::Null);
    serde_json::to_vec(&serde_json::json!({
        "id": c.event_id,
        "type": c.event_type,
        "created": c.created_at,
        "workspace": { "id": c.workspace_id, "slug": c.workspace_slug, "name": c.workspace_name },
        "data": data,
    }))
    .expect("JSON values serialise")
}

async fn attempt(cfg: &Config, c: &Claimed) -> Attempt {
    let at = crate::time_fmt::now();
    let started = Instant::now();
    let sent = send(cfg, c, at).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status_code, error) = match sent {
        Ok(code) if delivered(code) => (Some(i64::from(code)), None),
        Ok(code) => (Some(i64::from(code)), Some(answered(code))),
        Err(m) => (None, Some(m)),
    };
    let ok = error.is_none();
    let made = u32::try_from(c.attempts + 1).unwrap_or(u32::MAX);
    let (status, next_attempt_at) = if ok {
        (DeliveryStatus::Delivered, None)
    } else {
        match retry_delay(made, &cfg.webhook_retry_delays) {
            Some(wait) => (DeliveryStatus::Pending, Some(at + wait as i64)),
            None => (DeliveryStatus::Failed, None),
        }
    };
    Attempt {
        at,
        status_code,
        duration_ms,
        error,
        status,
        next_attempt_at,
    }
}

fn answered(code: u16) -> String {
    if (300..400).contains(&code) {
        format!("The receiver answered {code}, a redirect; keel does not follow redirects, so give the final address.")
    } else {
        format!("The receiver answered {code}.")
    }
}

/// One POST, to the addresses `guard::check` approved and no others: no proxy, no redirect.
async fn send(cfg: &Config, c: &Claimed, at: i64) -> Result<u16, String> {
    let checked = guard::check(&c.url, cfg.webhooks_allow_private).await?;
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(cfg.webhook_timeout)
        .user_agent(concat!("keel-webhooks/", env!("CARGO_PKG_VERSION")));
    if let Some(name) = &checked.name {
        b = b.resolve_to_addrs(name, &checked.addrs);
    }
    let client = b
        .build()
        .map_err(|e| format!("keel could not prepare the request: {e}"))?;
    let body = body(c);
    let signature = sign::header(&c.signing_secret, at, &body);
    let res = client
        .post(checked.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Keel-Event", &c.event_type)
        .header("Keel-Delivery", c.id.to_string())
        .header(sign::HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("No answer within {} s.", cfg.webhook_timeout.as_secs_f64())
            } else if e.is_connect() {
                "Could not connect to the receiver: nothing answered at that address, or it refused the connection.".to_string()
            } else {
                format!("The request failed: {e}")
            }
        })?;
    Ok(res.status().as_u16())
}
