//! /api/v1/channels and /api/v1/channel-focus

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::strategy as ops;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::channel::{self, Channel, ChannelDraft, ChannelInput};
use keel_domain::health::Model;
use keel_store::WorkspaceId;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/channels", list_channels)
        .post("/api/v1/channels", create_channel)
        .get("/api/v1/channels/{id}", find_channel)
        .put("/api/v1/channels/{id}", update_channel)
        .delete("/api/v1/channels/{id}", delete_channel)
        .get("/api/v1/channel-focus", find_channel_focus)
        .put("/api/v1/channel-focus", update_channel_focus)
}

/// A channel the team markets through.
#[derive(Serialize, ToSchema)]
pub struct ChannelDto {
    pub id: i64,
    #[schema(example = "Paid search")]
    pub name: String,
    /// The internal person accountable for it.
    pub owner_id: Option<i64>,
    /// segment-marketing, lead-nurturing, sales-enablement or customer-marketing.
    #[schema(example = "segment-marketing")]
    pub phase: String,
    /// active, testing, paused or stopped.
    #[schema(example = "active")]
    pub status: String,
    /// Budget per month.
    pub monthly_budget: f64,
    /// Whether this active channel is beyond the workspace's focus limit.
    pub over_focus_limit: bool,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

fn dto(c: Channel, m: &Model) -> ChannelDto {
    let over = channel::over_limit(m).iter().any(|o| o.id == c.id);
    ChannelDto {
        id: c.id,
        name: c.name,
        owner_id: c.owner_id,
        phase: c.phase.as_str().into(),
        status: c.status.as_str().into(),
        monthly_budget: c.monthly_budget,
        over_focus_limit: over,
        version: c.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChannelsList {
    /// By name.
    pub channels: Vec<ChannelDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about a channel.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelBody {
    #[schema(min_length = 1, max_length = 120, example = "Paid search")]
    pub name: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[schema(
        example = "segment-marketing",
        pattern = "^(segment-marketing|lead-nurturing|sales-enablement|customer-marketing)$"
    )]
    pub phase: String,
    #[schema(example = "testing", pattern = "^(active|testing|paused|stopped)$")]
    pub status: String,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub monthly_budget: f64,
}

impl ChannelBody {
    fn input(&self) -> ChannelInput {
        ChannelInput {
            name: self.name.clone(),
            owner_id: self.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            phase: self.phase.clone(),
            status: self.status.clone(),
            monthly_budget: self.monthly_budget.to_string(),
        }
    }
}

/// How many channels may be active at once, and how many are.
#[derive(Serialize, ToSchema)]
pub struct ChannelFocus {
    pub limit: usize,
    /// Whether the workspace set its own limit (else the default of 3).
    pub set: bool,
    pub active: usize,
    /// Ids of the active channels beyond the limit (the smallest budgets).
    pub over: Vec<i64>,
    /// 0 before the limit was first set; send it back in If-Match.
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelFocusBody {
    #[schema(minimum = 1, maximum = 20)]
    pub limit: i64,
}

async fn view(state: &AppState, ctx: &ApiCtx) -> Result<Arc<Model>, ApiError> {
    Ok(ops::view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

fn visible(m: &Model, id: i64) -> Result<Channel, ApiError> {
    m.channels
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or_else(ApiError::not_found)
}

/// List the channels the caller may see.
#[utoipa::path(get, path = "/api/v1/channels", operation_id = "list_channels", tag = "channels", params(Paging),
    responses((status = 200, body = ChannelsList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_channels(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<ChannelsList>, ApiError> {
    let m = view(&state, &ctx).await?;
    let items = m
        .channels
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (items, next_offset) = page.finish(items);
    Ok(Json(ChannelsList {
        channels: items.into_iter().map(|c| dto(c, &m)).collect(),
        next_offset,
    }))
}

/// Find one channel.
#[utoipa::path(get, path = "/api/v1/channels/{id}", operation_id = "find_channel", tag = "channels",
    params(("id" = i64, Path, description = "Channel id")),
    responses((status = 200, body = ChannelDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_channel(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let c = visible(&m, id)?;
    Ok(with_etag(StatusCode::OK, c.version, dto(c, &m)))
}

/// Add a channel.
#[utoipa::path(post, path = "/api/v1/channels", operation_id = "create_channel", tag = "channels", request_body = ChannelBody,
    responses((status = 201, body = ChannelDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_channel(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<ChannelBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let d = ChannelDraft::parse(&body.input(), &m.people)?;
    let c = state.store.create_channel(ctx.ws_id, &d).await?;
    Ok(with_etag(StatusCode::CREATED, c.version, dto(c, &m)))
}

/// Replace a channel. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/channels/{id}", operation_id = "update_channel", tag = "channels", request_body = ChannelBody,
    params(("id" = i64, Path, description = "Channel id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = ChannelDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_channel(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ChannelBody>,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    ctx.require_edit()?;
    let d = ChannelDraft::parse(&body.input(), &m.people)?;
    let expected = if_match(&headers)?;
    let c = state
        .store
        .update_channel(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, c.version, dto(c, &m)))
}

/// Remove a channel.
#[utoipa::path(delete, path = "/api/v1/channels/{id}", operation_id = "delete_channel", tag = "channels",
    params(("id" = i64, Path, description = "Channel id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_channel(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    ctx.require_edit()?;
    state
        .store
        .delete_channel(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn focus(state: &AppState, ws: WorkspaceId, m: &Model) -> Result<ChannelFocus, ApiError> {
    let stored = state.store.channel_focus_limit(ws).await?;
    Ok(ChannelFocus {
        limit: channel::focus_limit(m),
        set: stored.limit.is_some(),
        active: m
            .channels
            .iter()
            .filter(|c| c.status == channel::ChannelStatus::Active)
            .count(),
        over: channel::over_limit(m).iter().map(|c| c.id).collect(),
        version: stored.version,
    })
}

/// The channel-focus limit and the active channels beyond it.
#[utoipa::path(get, path = "/api/v1/channel-focus", operation_id = "find_channel_focus", tag = "channels",
    responses((status = 200, body = ChannelFocus, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope)))]
pub async fn find_channel_focus(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let f = focus(&state, ctx.ws_id, &m).await?;
    Ok(with_etag(StatusCode::OK, f.version, f))
}

/// Set how many channels may be active at once. Send `If-Match` with the ETag you read
/// (`"0"` before the limit was first set).
#[utoipa::path(put, path = "/api/v1/channel-focus", operation_id = "update_channel_focus", tag = "channels", request_body = ChannelFocusBody,
    params(("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = ChannelFocus, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 428, body = ErrorEnvelope)))]
pub async fn update_channel_focus(
    State(state): State<AppState>,
    ctx: ApiCtx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ChannelFocusBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let limit = channel::parse_limit(&body.limit.to_string())?;
    let expected = if_match(&headers)?;
    state
        .store
        .set_channel_focus_limit(ctx.ws_id, expected, limit)
        .await?;
    // Answer from the stored data, not the cached view of before the change.
    let mut m = (*view(&state, &ctx).await?).clone();
    m.channel_focus_limit = Some(limit);
    let f = focus(&state, ctx.ws_id, &m).await?;
    Ok(with_etag(StatusCode::OK, f.version, f))
}
