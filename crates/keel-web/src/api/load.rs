//! /api/v1/people/{id}/load and recurring commitments (/api/v1/people/{id}/commitments,
//! /api/v1/commitments/{id}): the capacity model over the API.

use super::people::visible;
use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::{model, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::capacity::{Commitment, CommitmentDraft, CommitmentInput, PersonLoad, Source};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/people/{id}/load", find_load)
        .get("/api/v1/people/{id}/commitments", list_commitments)
        .post("/api/v1/people/{id}/commitments", create_commitment)
        .put("/api/v1/commitments/{id}", update_commitment)
        .delete("/api/v1/commitments/{id}", delete_commitment)
}

#[derive(Serialize, ToSchema)]
pub struct WeekDto {
    /// Monday of the week (YYYY-MM-DD).
    pub week_start: String,
    pub recurring_hours: f64,
    pub one_off_hours: f64,
    pub total_hours: f64,
}

#[derive(Serialize, ToSchema)]
pub struct RecurringDto {
    /// executing, deciding, meetings, managing or other.
    pub kind: String,
    pub label: String,
    pub hours: f64,
    /// `function` (the weekly hours of a function the person executes), `commitment`, or
    /// `hidden` (a function the caller may not see; its hours still count).
    pub source: String,
    pub source_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct OneOffDto {
    /// 0 for work the caller may not see (its hours still count).
    pub work_item_id: i64,
    pub title: String,
    pub estimate_hours: f64,
    pub per_week_hours: f64,
    pub first_week: String,
    pub last_week: String,
    /// What the spread assumed when dates were missing; null when the dates said it.
    pub assumed: Option<String>,
    /// Past its launch and still open: its weekly share stays in this week.
    pub late: bool,
}

/// A person's load: this week and the next eight against their weekly capacity.
#[derive(Serialize, ToSchema)]
pub struct LoadDto {
    pub person_id: i64,
    pub capacity_hours: f64,
    /// This week's load.
    pub load_hours: f64,
    pub over_capacity: bool,
    /// How many of the weeks listed are over capacity.
    pub weeks_over: usize,
    pub weeks: Vec<WeekDto>,
    pub recurring: Vec<RecurringDto>,
    pub one_off: Vec<OneOffDto>,
}

fn r1(h: f64) -> f64 {
    (h * 10.0).round() / 10.0 + 0.0
}

impl From<&PersonLoad> for LoadDto {
    fn from(l: &PersonLoad) -> Self {
        LoadDto {
            person_id: l.person_id,
            capacity_hours: l.capacity,
            load_hours: l.hours(),
            over_capacity: l.over_capacity(),
            weeks_over: l.weeks_over(),
            weeks: l
                .weeks
                .iter()
                .map(|w| WeekDto {
                    week_start: w.start.to_string(),
                    recurring_hours: w.recurring,
                    one_off_hours: w.one_off,
                    total_hours: w.total,
                })
                .collect(),
            recurring: l
                .recurring
                .iter()
                .map(|r| {
                    let (source, source_id) = match r.source {
                        Source::Function(id) => ("function", id),
                        Source::Commitment(id) => ("commitment", id),
                        Source::Hidden => ("hidden", 0),
                    };
                    RecurringDto {
                        kind: r.kind.as_str().into(),
                        label: r.label.clone(),
                        hours: r.hours,
                        source: source.into(),
                        source_id,
                    }
                })
                .collect(),
            one_off: l
                .one_off
                .iter()
                .map(|o| OneOffDto {
                    work_item_id: o.item_id,
                    title: o.title.clone(),
                    estimate_hours: o.estimate,
                    per_week_hours: r1(o.per_week),
                    first_week: o.first_week.to_string(),
                    last_week: o.last_week.to_string(),
                    assumed: o.span.note(),
                    late: o.late,
                })
                .collect(),
        }
    }
}

/// A person's load this week and the next eight: recurring commitments plus their share of
/// one-off work, against capacity.
#[utoipa::path(get, path = "/api/v1/people/{id}/load", operation_id = "find_load", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = LoadDto), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_load(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<LoadDto>, ApiError> {
    let p = visible(&state, &ctx, id).await?;
    let loads = model::loads(&state, ctx.ws_id, ctx.data_version).await?;
    let l = loads.of(p.id).ok_or_else(ApiError::not_found)?;
    let seen = model::load(&state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?;
    Ok(Json(LoadDto::from(&model::masked(l, &seen))))
}

/// Time a person gives every week besides one-off work.
#[derive(Serialize, ToSchema)]
pub struct CommitmentDto {
    pub id: i64,
    pub person_id: i64,
    pub label: String,
    /// executing, deciding, meetings, managing or other.
    pub kind: String,
    pub hours: f64,
    /// For a deciding commitment: the workflow whose decision owner it follows.
    pub workflow_id: Option<i64>,
    pub version: i64,
}

impl From<Commitment> for CommitmentDto {
    fn from(c: Commitment) -> Self {
        CommitmentDto {
            id: c.id,
            person_id: c.person_id,
            label: c.label,
            kind: c.kind.as_str().into(),
            hours: c.hours,
            workflow_id: c.workflow_id,
            version: c.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentList {
    pub commitments: Vec<CommitmentDto>,
}

/// A recurring commitment: what it is for, its kind and its hours a week (more than 0, at
/// most 80). A deciding commitment may name the workflow it is for; it then moves with that
/// workflow's decision owner.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentBody {
    #[schema(min_length = 1, max_length = 120, example = "Weekly pipeline meeting")]
    pub label: String,
    #[schema(
        example = "meetings",
        pattern = "^(executing|deciding|meetings|managing|other)$"
    )]
    pub kind: String,
    #[schema(exclusive_minimum = 0, maximum = 80)]
    pub hours: f64,
    #[serde(default)]
    pub workflow_id: Option<i64>,
}

async fn draft(
    state: &AppState,
    ctx: &ApiCtx,
    person: i64,
    b: &CommitmentBody,
) -> Result<CommitmentDraft, ApiError> {
    let m = model::whole(state, ctx.ws_id, ctx.data_version).await?;
    let workflows: Vec<(i64, Option<i64>)> = m
        .workflows
        .iter()
        .map(|w| (w.id, w.spec.decision_owner()))
        .collect();
    let input = CommitmentInput {
        label: b.label.clone(),
        kind: b.kind.clone(),
        hours: b.hours.to_string(),
        workflow_id: b.workflow_id.map(|w| w.to_string()).unwrap_or_default(),
    };
    Ok(CommitmentDraft::parse(&input, person, &workflows)?)
}

/// The recurring commitments entered for a person (their functions' weekly hours are in
/// their load).
#[utoipa::path(get, path = "/api/v1/people/{id}/commitments", operation_id = "list_commitments", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = CommitmentList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_commitments(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<CommitmentList>, ApiError> {
    let p = visible(&state, &ctx, id).await?;
    let m = model::whole(&state, ctx.ws_id, ctx.data_version).await?;
    let commitments = m
        .commitments
        .iter()
        .filter(|c| c.person_id == p.id)
        .cloned()
        .map(CommitmentDto::from)
        .collect();
    Ok(Json(CommitmentList { commitments }))
}

/// Add a recurring commitment for a person.
#[utoipa::path(post, path = "/api/v1/people/{id}/commitments", operation_id = "create_commitment", tag = "people",
    request_body = CommitmentBody, params(("id" = i64, Path, description = "Person id")),
    responses((status = 201, body = CommitmentDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_commitment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<CommitmentBody>,
) -> Result<Response, ApiError> {
    let p = visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let d = draft(&state, &ctx, p.id, &body).await?;
    let c = state.store.create_commitment(ctx.ws_id, p.id, &d).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        c.version,
        CommitmentDto::from(c),
    ))
}

/// A commitment of a person the caller may see, or 404.
async fn visible_commitment(
    state: &AppState,
    ctx: &ApiCtx,
    id: i64,
) -> Result<Commitment, ApiError> {
    let c = state
        .store
        .find_commitment(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    visible(state, ctx, c.person_id).await?;
    Ok(c)
}

/// Change a recurring commitment. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/commitments/{id}", operation_id = "update_commitment", tag = "people", request_body = CommitmentBody,
    params(("id" = i64, Path, description = "Commitment id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = CommitmentDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_commitment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CommitmentBody>,
) -> Result<Response, ApiError> {
    let c = visible_commitment(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let d = draft(&state, &ctx, c.person_id, &body).await?;
    let c = state
        .store
        .update_commitment(ctx.ws_id, id, if_match(&headers)?, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, c.version, CommitmentDto::from(c)))
}

/// Remove a recurring commitment.
#[utoipa::path(delete, path = "/api/v1/commitments/{id}", operation_id = "delete_commitment", tag = "people",
    params(("id" = i64, Path, description = "Commitment id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_commitment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    visible_commitment(&state, &ctx, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_commitment(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
