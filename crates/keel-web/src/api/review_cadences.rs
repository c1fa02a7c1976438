//! /api/v1/review-cadences: the weekly, monthly and quarterly review rhythm (one cadence per
//! kind), its day and time, facilitator and attendees, switched on or off. Parsed by
//! `review::CadenceDraft` like the cadence form; a partner's view holds none (404).

use super::reviews::require_reviews;
use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::strategy::{today, view};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use keel_domain::health::Model;
use keel_domain::review::{Cadence, CadenceDraft, CadenceInput};
use keel_domain::Invalid;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/review-cadences", list_review_cadences)
        .post("/api/v1/review-cadences", create_review_cadence)
        .get("/api/v1/review-cadences/{id}", find_review_cadence)
        .put("/api/v1/review-cadences/{id}", update_review_cadence)
}

/// A review cadence.
#[derive(Serialize, ToSchema)]
pub struct CadenceDto {
    pub id: i64,
    /// weekly, monthly or quarterly.
    #[schema(example = "weekly")]
    pub kind: String,
    /// Every `interval` weeks, months or quarters (2 weekly is biweekly).
    pub interval: i64,
    /// 1 = Monday … 7 = Sunday; monthly and quarterly reviews fall on the first such day of
    /// their month or quarter.
    pub weekday: i64,
    /// HH:MM in the workspace's time zone.
    #[schema(example = "09:30")]
    pub time: String,
    pub facilitator_id: Option<i64>,
    pub attendee_ids: Vec<i64>,
    /// Off: no review is due and none is in the calendar feeds.
    pub active: bool,
    /// The rhythm in words: "Every 2 weeks (biweekly) on Monday at 09:30".
    pub description: String,
    /// The day the next review is due (YYYY-MM-DD).
    pub next_due: String,
    /// Set when the cadence is on and its review is past due beyond the grace days.
    pub overdue_since: Option<String>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

fn dto(m: &Model, c: &Cadence) -> CadenceDto {
    CadenceDto {
        id: c.id,
        kind: c.kind.as_str().into(),
        interval: c.interval,
        weekday: c.weekday as i64,
        time: format!("{:02}:{:02}", c.time_minutes / 60, c.time_minutes % 60),
        facilitator_id: c.facilitator_id,
        attendee_ids: c.attendee_ids.clone(),
        active: c.active,
        description: c.describe(),
        next_due: c.next_due(c.last_held(&m.reviews)).to_string(),
        overdue_since: c.overdue_since(&m.reviews, today(m)).map(|d| d.to_string()),
        version: c.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CadenceList {
    /// Weekly, monthly, quarterly; a kind not set up yet is absent.
    pub cadences: Vec<CadenceDto>,
}

/// Sets up the cadence of a kind (one per kind and workspace).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CadenceBody {
    #[schema(pattern = "^(weekly|monthly|quarterly)$", example = "weekly")]
    pub kind: String,
    /// Periods between reviews, 1 to 4 (2 weekly is biweekly); 1 when not said.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 4)]
    pub interval: Option<i64>,
    /// 1 = Monday … 7 = Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i64,
    /// HH:MM on a 24-hour clock, in the workspace's time zone.
    #[schema(pattern = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$", example = "09:30")]
    pub time: String,
    /// One internal person runs the review.
    pub facilitator_id: i64,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub attendee_ids: Vec<i64>,
    /// On when not said.
    #[serde(default = "on")]
    pub active: bool,
}

impl CadenceBody {
    fn rhythm(self) -> CadenceChangeBody {
        CadenceChangeBody {
            interval: self.interval,
            weekday: self.weekday,
            time: self.time,
            facilitator_id: self.facilitator_id,
            attendee_ids: self.attendee_ids,
            active: self.active,
        }
    }
}

/// A cadence's rhythm, day and time, facilitator, attendees and whether it is on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CadenceChangeBody {
    /// Periods between reviews, 1 to 4 (2 weekly is biweekly); 1 when not said.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 4)]
    pub interval: Option<i64>,
    /// 1 = Monday … 7 = Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i64,
    /// HH:MM on a 24-hour clock, in the workspace's time zone.
    #[schema(pattern = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$", example = "09:30")]
    pub time: String,
    /// One internal person runs the review.
    pub facilitator_id: i64,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub attendee_ids: Vec<i64>,
    /// On when not said.
    #[serde(default = "on")]
    pub active: bool,
}

fn on() -> bool {
    true
}

fn input(kind: &str, b: &CadenceChangeBody) -> Result<CadenceInput, ApiError> {
    // The schema's pattern, held exactly: the form's parser forgives spaces around a time.
    if b.time.trim() != b.time {
        return Err(Invalid::one(
            "time",
            "Enter the time as HH:MM on a 24-hour clock, like 09:30.",
        )
        .into());
    }
    Ok(CadenceInput {
        kind: kind.into(),
        interval: b.interval.map(|n| n.to_string()).unwrap_or_default(),
        weekday: b.weekday.to_string(),
        time: b.time.clone(),
        facilitator_id: b.facilitator_id.to_string(),
        attendee_ids: b.attendee_ids.iter().map(|i| i.to_string()).collect(),
        active: b.active,
    })
}

async fn model(state: &AppState, ctx: &ApiCtx) -> Result<Arc<Model>, ApiError> {
    require_reviews(ctx)?;
    Ok(view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

/// List the review cadences.
#[utoipa::path(get, path = "/api/v1/review-cadences", operation_id = "list_review_cadences", tag = "reviews",
    responses((status = 200, body = CadenceList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_review_cadences(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<CadenceList>, ApiError> {
    let m = model(&state, &ctx).await?;
    Ok(Json(CadenceList {
        cadences: m.review_cadences.iter().map(|c| dto(&m, c)).collect(),
    }))
}

/// Find one review cadence.
#[utoipa::path(get, path = "/api/v1/review-cadences/{id}", operation_id = "find_review_cadence", tag = "reviews",
    params(("id" = i64, Path, description = "Cadence id")),
    responses((status = 200, body = CadenceDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_review_cadence(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let c = m
        .review_cadences
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(with_etag(StatusCode::OK, c.version, dto(&m, c)))
}

/// Set up the cadence of a kind. A kind already set up answers 409: change it instead.
#[utoipa::path(post, path = "/api/v1/review-cadences", operation_id = "create_review_cadence", tag = "reviews", request_body = CadenceBody,
    responses((status = 201, body = CadenceDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_review_cadence(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<CadenceBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    ctx.require_edit()?;
    let kind = body.kind.clone();
    let d = CadenceDraft::parse(&input(&kind, &body.rhythm())?, &m.people)?;
    let c = state
        .store
        .put_review_cadence(ctx.ws_id, &d, None, today(&m))
        .await?;
    Ok(with_etag(StatusCode::CREATED, c.version, dto(&m, &c)))
}

/// Change a cadence: its rhythm (every 1–4 periods), day and time, facilitator, attendees,
/// on or off. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/review-cadences/{id}", operation_id = "update_review_cadence", tag = "reviews", request_body = CadenceChangeBody,
    params(("id" = i64, Path, description = "Cadence id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = CadenceDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_review_cadence(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CadenceChangeBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let stored = m
        .review_cadences
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    let d = CadenceDraft::parse(&input(stored.kind.as_str(), &body)?, &m.people)?;
    let expected = if_match(&headers)?;
    let c = state
        .store
        .put_review_cadence(ctx.ws_id, &d, Some(expected), today(&m))
        .await?;
    Ok(with_etag(StatusCode::OK, c.version, dto(&m, &c)))
}
