//! /api/v1/priorities

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
use keel_domain::health::Model;
use keel_domain::priority::{check, order};
use keel_domain::{Priority, PriorityInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/priorities", list_priorities)
        .post("/api/v1/priorities", create_priority)
        .get("/api/v1/priorities/{id}", find_priority)
        .put("/api/v1/priorities/{id}", update_priority)
        .delete("/api/v1/priorities/{id}", delete_priority)
        .get("/api/v1/priorities/{id}/history", list_priority_history)
        .put("/api/v1/priorities/order", set_priority_order)
}

/// One priority's place in a new order, with the version you read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityOrderRow {
    pub id: i64,
    /// The version you read (the number in its ETag); a priority changed since is refused
    /// with 412 and nothing is reordered.
    #[schema(minimum = 1)]
    pub version: i64,
}

/// The whole ranked list, top first: every priority of the workspace exactly once.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityOrderBody {
    #[schema(min_items = 1, max_items = 1000)]
    pub priorities: Vec<PriorityOrderRow>,
}

/// Reorder the priorities: ranks become 1, 2, 3… in the order sent, all or nothing. A
/// priority left out, unknown or sent twice is a 422 naming it (`priorities[n].id`); one
/// changed since it was read is a 412 and nothing moves. Each rank that changes is a line in
/// that priority's history.
#[utoipa::path(put, path = "/api/v1/priorities/order", operation_id = "set_priority_order", tag = "priorities", request_body = PriorityOrderBody,
    responses((status = 200, body = PrioritiesList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn set_priority_order(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<PriorityOrderBody>,
) -> Result<Json<PrioritiesList>, ApiError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let rows: Vec<order::OrderRow> = body
        .priorities
        .iter()
        .map(|r| order::OrderRow {
            id: r.id,
            version: r.version,
        })
        .collect();
    let changes = order::parse_order(&rows, &m.priorities)?;
    state.store.set_priority_ranks(ctx.ws_id, &changes).await?;
    let ps = state.store.list_priorities(ctx.ws_id).await?;
    Ok(Json(PrioritiesList {
        priorities: ps.into_iter().map(PriorityDto::from).collect(),
        next_offset: None,
    }))
}

/// One status change of a priority.
#[derive(Serialize, ToSchema)]
pub struct PriorityEventDto {
    /// null when it was added.
    pub from_status: Option<String>,
    pub to_status: String,
    /// What it paused to make room, what paused it, or an override's written reason.
    pub note: Option<String>,
    /// Unix seconds.
    pub at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PriorityHistory {
    /// Oldest first.
    pub events: Vec<PriorityEventDto>,
}

/// Every status change of a priority, with what it paused or the override's reason.
#[utoipa::path(get, path = "/api/v1/priorities/{id}/history", operation_id = "list_priority_history", tag = "priorities",
    params(("id" = i64, Path, description = "Priority id")),
    responses((status = 200, body = PriorityHistory), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_priority_history(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<PriorityHistory>, ApiError> {
    let m = view(&state, &ctx).await?;
    ops::priority(&m, id).ok_or_else(ApiError::not_found)?;
    let events = state
        .store
        .priority_history(ctx.ws_id, id)
        .await?
        .into_iter()
        .map(|e| PriorityEventDto {
            from_status: e.from_status,
            to_status: e.to_status,
            note: e.note,
            at: e.at,
        })
        .collect();
    Ok(Json(PriorityHistory { events }))
}

/// Something the team works on, ranked, serving an objective.
#[derive(Serialize, ToSchema)]
pub struct PriorityDto {
    pub id: i64,
    pub title: String,
    pub objective_id: Option<i64>,
    /// The internal person accountable for it.
    pub owner_id: Option<i64>,
    /// 1 is the top.
    pub rank: i64,
    /// now, next, later, paused, stopped or done.
    #[schema(example = "now")]
    pub status: String,
    /// Hours a week it needs from the team.
    pub weekly_hours: f64,
    /// The priority this one paused when it became "now".
    pub paused_id: Option<i64>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
    /// `GET /api/v1/priorities/{id}` only, for a caller who sees the whole team: the priority
    /// test answered now (does it support the revenue goal, is there capacity, how will it
    /// be measured, what must be paused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<Vec<PriorityTestAnswer>>,
}

/// One question of the priority test; `holds` is false where something is missing.
#[derive(Serialize, ToSchema)]
pub struct PriorityTestAnswer {
    pub question: String,
    pub answer: String,
    pub holds: bool,
}

impl From<Priority> for PriorityDto {
    fn from(p: Priority) -> Self {
        PriorityDto {
            id: p.id,
            title: p.title,
            objective_id: p.objective_id,
            owner_id: p.owner_id,
            rank: p.rank,
            status: p.status.as_str().into(),
            weekly_hours: p.weekly_hours,
            paused_id: p.paused_id,
            version: p.version,
            test: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PrioritiesList {
    /// By rank.
    pub priorities: Vec<PriorityDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about a priority. The priority test: a priority that becomes "now" and
/// needs more hours a week than the team has free must name the priority it pauses
/// (`paused_id`, which is then set to "paused" in the same save); else 422 on `paused_id`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Account-based pilot for 40 mid-market accounts"
    )]
    pub title: String,
    pub objective_id: Option<i64>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// 1 is the top; absent: after the last (or unchanged when editing).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10000)]
    pub rank: Option<i64>,
    #[schema(example = "now", pattern = "^(now|next|later|paused|stopped|done)$")]
    pub status: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 400)]
    pub weekly_hours: f64,
    #[serde(default)]
    pub paused_id: Option<i64>,
    /// Why a "now" priority goes ahead without pausing anything while the team has too few
    /// hours free (an override, kept in its status history; at least 15 characters).
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub override_reason: Option<String>,
}

impl PriorityBody {
    fn input(&self) -> PriorityInput {
        let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        PriorityInput {
            title: self.title.clone(),
            objective_id: id(self.objective_id),
            owner_id: id(self.owner_id),
            rank: id(self.rank),
            status: self.status.clone(),
            weekly_hours: self.weekly_hours.to_string(),
            paused_id: id(self.paused_id),
            override_reason: self.override_reason.clone().unwrap_or_default(),
        }
    }
}

async fn view(state: &AppState, ctx: &ApiCtx) -> Result<std::sync::Arc<Model>, ApiError> {
    Ok(ops::view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

/// List the priorities the caller may see, by rank, a page at a time.
#[utoipa::path(get, path = "/api/v1/priorities", operation_id = "list_priorities", tag = "priorities", params(Paging),
    responses((status = 200, body = PrioritiesList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_priorities(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<PrioritiesList>, ApiError> {
    let m = view(&state, &ctx).await?;
    let items = m
        .priorities
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (items, next_offset) = page.finish(items);
    Ok(Json(PrioritiesList {
        priorities: items.into_iter().map(PriorityDto::from).collect(),
        next_offset,
    }))
}

/// Find one priority.
#[utoipa::path(get, path = "/api/v1/priorities/{id}", operation_id = "find_priority", tag = "priorities",
    params(("id" = i64, Path, description = "Priority id")),
    responses((status = 200, body = PriorityDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_priority(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let p = ops::priority(&m, id).ok_or_else(ApiError::not_found)?;
    // Capacity is the team's: a partner's view of it would be a different figure.
    let test = ctx.role.sees_everything().then(|| {
        check::priority_test(&p, &m)
            .into_iter()
            .map(|a| PriorityTestAnswer {
                question: a.question.into(),
                answer: a.answer,
                holds: a.holds,
            })
            .collect()
    });
    Ok(with_etag(
        StatusCode::OK,
        p.version,
        PriorityDto {
            test,
            ..PriorityDto::from(p)
        },
    ))
}

/// Add a priority, pausing what it names.
#[utoipa::path(post, path = "/api/v1/priorities", operation_id = "create_priority", tag = "priorities", request_body = PriorityBody,
    responses((status = 201, body = PriorityDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_priority(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<PriorityBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let d = ops::parse_priority(&m, &body.input(), None)?;
    let p = state.store.create_priority(ctx.ws_id, &d).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        p.version,
        PriorityDto::from(p),
    ))
}

/// Replace a priority. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/priorities/{id}", operation_id = "update_priority", tag = "priorities", request_body = PriorityBody,
    params(("id" = i64, Path, description = "Priority id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = PriorityDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_priority(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PriorityBody>,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let stored = ops::priority(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    let d = ops::parse_priority(&m, &body.input(), Some(&stored))?;
    let expected = if_match(&headers)?;
    let p = state
        .store
        .update_priority(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, p.version, PriorityDto::from(p)))
}

/// Remove a priority.
#[utoipa::path(delete, path = "/api/v1/priorities/{id}", operation_id = "delete_priority", tag = "priorities",
    params(("id" = i64, Path, description = "Priority id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_priority(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    ops::priority(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    state
        .store
        .delete_priority(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
