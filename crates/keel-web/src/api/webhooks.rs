//! /api/v1/webhooks: subscriptions, their delivery logs, a test event and redelivery.
//! Owners and admins only, like the pages (`ops::webhooks` parses for both).

use super::{if_match, with_etag, ApiJson, ApiPath, ApiPath2, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops;
use crate::routes::Routes;
use crate::time_fmt::rfc3339;
use crate::webhooks::sign;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::webhook::SubscriptionInput;
use keel_store::{Delivery, Subscription};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/webhooks", list_webhooks)
        .post("/api/v1/webhooks", create_webhook)
        .get("/api/v1/webhooks/{id}", find_webhook)
        .put("/api/v1/webhooks/{id}", update_webhook)
        .delete("/api/v1/webhooks/{id}", delete_webhook)
        .get("/api/v1/webhooks/{id}/deliveries", list_webhook_deliveries)
        .post("/api/v1/webhooks/{id}/test", test_webhook)
        .post(
            "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver",
            redeliver_webhook_delivery,
        )
}

/// A subscription: where the workspace's events go.
#[derive(Serialize, ToSchema)]
pub struct WebhookDto {
    pub id: i64,
    /// The receiver's address (http or https).
    pub url: String,
    pub description: Option<String>,
    /// The events it receives: work.moved, work.blocked, work.launched, workflow.changed,
    /// decision.recorded, import.finished.
    pub event_types: Vec<String>,
    /// Off: events wait (queued) until it is switched on again.
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
    /// The signing secret: in the answer that created the subscription only, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "whsec_5f2b…")]
    pub secret: Option<String>,
}

fn dto(s: Subscription, secret: Option<String>) -> WebhookDto {
    WebhookDto {
        id: s.id,
        url: s.url,
        description: s.description,
        event_types: s.event_types.iter().map(|t| t.as_str().into()).collect(),
        active: s.active,
        created_at: rfc3339(s.created_at),
        updated_at: rfc3339(s.updated_at),
        version: s.version,
        secret,
    }
}

#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    /// Oldest first.
    pub webhooks: Vec<WebhookDto>,
}

/// What to store about a subscription. The address must be http or https without a user
/// name or password, and lead to a public internet address unless the operator allows
/// private ones.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// The receiver's address: http or https, like the one the receiving service shows.
    #[schema(min_length = 1, max_length = 2000)]
    pub url: String,
    #[serde(default)]
    #[schema(max_length = 200, example = "Launches to the sales channel")]
    pub description: Option<String>,
    #[schema(min_items = 1, max_items = 6, example = json!(["work.launched", "work.blocked"]))]
    pub event_types: Vec<String>,
    /// Default: on.
    #[serde(default)]
    pub active: Option<bool>,
}

impl WebhookBody {
    fn input(&self) -> SubscriptionInput {
        SubscriptionInput {
            url: self.url.clone(),
            description: self.description.clone().unwrap_or_default(),
            event_types: self.event_types.clone(),
            active: self.active.unwrap_or(true),
        }
    }
}

/// One delivery of an event to a subscription, and how its last attempt went.
#[derive(Serialize, ToSchema)]
pub struct DeliveryDto {
    /// Sent as `Keel-Delivery`; the same on every attempt and on a redelivery.
    pub id: i64,
    /// The event's `id` in the body: the same for every subscription that got it.
    pub event_id: String,
    #[schema(example = "work.launched")]
    pub event_type: String,
    /// `pending` (waiting for its next attempt), `delivered` or `failed` (given up).
    pub status: String,
    /// Attempts made since it was queued or last redelivered.
    pub attempts: i64,
    pub created_at: String,
    pub last_attempt_at: Option<String>,
    /// The receiver's HTTP status, if it answered.
    pub last_status_code: Option<i64>,
    pub last_duration_ms: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
}

fn delivery(d: Delivery) -> DeliveryDto {
    DeliveryDto {
        id: d.id,
        event_id: d.event_id,
        event_type: d.event_type,
        status: d.status.as_str().into(),
        attempts: d.attempts,
        created_at: rfc3339(d.created_at),
        last_attempt_at: d.last_attempt_at.map(rfc3339),
        last_status_code: d.last_status_code,
        last_duration_ms: d.last_duration_ms,
        last_error: d.last_error,
        next_attempt_at: d.next_attempt_at.map(rfc3339),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub deliveries: Vec<DeliveryDto>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveriesQuery {
    /// Deliveries older than this one: the `next_before` of the previous page.
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// How many to return (1 to 200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

async fn visible(state: &AppState, ctx: &ApiCtx, id: i64) -> Result<Subscription, ApiError> {
    ctx.require_manage()?;
    state
        .store
        .find_webhook(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// List the workspace's webhooks.
#[utoipa::path(get, path = "/api/v1/webhooks", operation_id = "list_webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<WebhookList>, ApiError> {
    ctx.require_manage()?;
    let all = state.store.list_webhooks(ctx.ws_id).await?;
    Ok(Json(WebhookList {
        webhooks: all.into_iter().map(|s| dto(s, None)).collect(),
    }))
}

/// Find one webhook.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", operation_id = "find_webhook", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = WebhookDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn find_webhook(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let s = visible(&state, &ctx, id).await?;
    Ok(with_etag(StatusCode::OK, s.version, dto(s, None)))
}

/// Add a webhook. Its signing secret is in this answer only: keep it.
#[utoipa::path(post, path = "/api/v1/webhooks", operation_id = "create_webhook", tag = "webhooks", request_body = WebhookBody,
    responses((status = 201, body = WebhookDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<WebhookBody>,
) -> Result<Response, ApiError> {
    ctx.require_manage()?;
    let d = ops::webhooks::parse(&state, &body.input()).await?;
    let secret = sign::new_secret();
    let s = state
        .store
        .create_webhook(ctx.ws_id, &d, &secret, Some(ctx.user_id))
        .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        s.version,
        dto(s, Some(secret)),
    ))
}

/// Replace a webhook's address, description, events and switch (its secret stays). Send
/// `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/webhooks/{id}", operation_id = "update_webhook", tag = "webhooks", request_body = WebhookBody,
    params(("id" = i64, Path, description = "Webhook id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = WebhookDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_webhook(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WebhookBody>,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    let d = ops::webhooks::parse(&state, &body.input()).await?;
    let expected = if_match(&headers)?;
    let s = state
        .store
        .update_webhook(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, s.version, dto(s, None)))
}

/// Remove a webhook with its delivery log; deliveries still waiting are dropped.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", operation_id = "delete_webhook", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    state
        .store
        .delete_webhook(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A webhook's deliveries, newest first, with how the last attempt of each went.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", operation_id = "list_webhook_deliveries", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id"), DeliveriesQuery),
    responses((status = 200, body = DeliveryList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn list_webhook_deliveries(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiQuery(q): ApiQuery<DeliveriesQuery>,
) -> Result<Json<DeliveryList>, ApiError> {
    visible(&state, &ctx, id).await?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) || q.before.is_some_and(|b| b < 1) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "limit is 1 to 200; before is a delivery id from 1.",
        ));
    }
    let mut found = state
        .store
        .list_deliveries(ctx.ws_id, id, q.before, limit + 1)
        .await?;
    let next_before = if found.len() as i64 > limit {
        found.truncate(limit as usize);
        found.last().map(|d| d.id)
    } else {
        None
    };
    Ok(Json(DeliveryList {
        deliveries: found.into_iter().map(delivery).collect(),
        next_before,
    }))
}

/// Queue a test event (`ping`) to this webhook, whatever events it chose and even while it is
/// switched off. Sent within seconds; its outcome shows in the delivery log.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", operation_id = "test_webhook", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 202, body = DeliveryDto), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn test_webhook(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    let d = state
        .store
        .queue_test_delivery(ctx.ws_id, id, Some(ctx.user_id))
        .await?;
    Ok((StatusCode::ACCEPTED, Json(delivery(d))).into_response())
}

/// Send a delivery again now, with a fresh round of attempts (same delivery and event ids,
/// so a receiver can tell a repeat).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", operation_id = "redeliver_webhook_delivery", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id"), ("delivery" = i64, Path, description = "Delivery id")),
    responses((status = 202, body = DeliveryDto), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn redeliver_webhook_delivery(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath2(id, d): ApiPath2,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    let again = state.store.redeliver(ctx.ws_id, id, d).await?;
    Ok((StatusCode::ACCEPTED, Json(delivery(again))).into_response())
}
