//! /api/v1/objectives

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
use keel_domain::objective::{self, SmartPart};
use keel_domain::{Objective, ObjectiveInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/objectives", list_objectives)
        .post("/api/v1/objectives", create_objective)
        .get("/api/v1/objectives/{id}", find_objective)
        .put("/api/v1/objectives/{id}", update_objective)
        .delete("/api/v1/objectives/{id}", delete_objective)
}

/// One part of the SMART check.
#[derive(Serialize, ToSchema)]
pub struct SmartDto {
    #[schema(example = "M")]
    pub letter: String,
    #[schema(example = "Measurable")]
    pub name: String,
    /// What to add or change; absent when this part holds.
    pub missing: Option<String>,
}

impl From<SmartPart> for SmartDto {
    fn from(p: SmartPart) -> Self {
        SmartDto {
            letter: p.letter.into(),
            name: p.name.into(),
            missing: p.missing,
        }
    }
}

/// An outcome the team aims at, with its KPI and the SMART check.
#[derive(Serialize, ToSchema)]
pub struct ObjectiveDto {
    pub id: i64,
    pub outcome: String,
    /// The internal person accountable for it.
    pub owner_id: Option<i64>,
    /// market, business, buyer or tactics.
    #[schema(example = "business")]
    pub layer: String,
    /// The KPI's name.
    pub metric: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    /// YYYY-MM-DD.
    #[schema(example = "2027-06-30")]
    pub deadline: Option<String>,
    /// The company initiative or revenue goal it serves.
    pub serves: Option<String>,
    /// The metric linked as this objective's KPI, if any.
    pub kpi_metric_id: Option<i64>,
    /// That metric's latest value.
    pub kpi_latest: Option<f64>,
    /// Whether every part of the SMART check holds.
    pub smart: bool,
    pub smart_check: Vec<SmartDto>,
    /// Why it is at risk (its KPI short of the target past the deadline, or a trend that does
    /// not reach the target by then); null while on track or when nothing can tell.
    pub at_risk: Option<String>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

pub fn dto(o: Objective, m: &Model) -> ObjectiveDto {
    let parts = objective::smart(&o, m);
    let kpi = keel_domain::metric::kpi_of(m, o.id);
    ObjectiveDto {
        at_risk: objective::at_risk(&o, m),
        kpi_metric_id: kpi.map(|k| k.id),
        kpi_latest: kpi.and_then(|k| {
            keel_domain::metric::trend::latest(keel_domain::metric::measurements_of(m, k.id))
                .map(|l| l.value)
        }),
        smart: objective::is_smart(&parts),
        smart_check: parts.into_iter().map(SmartDto::from).collect(),
        id: o.id,
        outcome: o.outcome,
        owner_id: o.owner_id,
        layer: o.layer.as_str().into(),
        metric: o.metric,
        baseline: o.baseline,
        target: o.target,
        deadline: o.deadline.map(|d| d.to_string()),
        serves: o.serves,
        version: o.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ObjectivesList {
    pub objectives: Vec<ObjectiveDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about an objective. A wish (no metric, target or deadline) is stored, and its
/// SMART check says what is missing; a target needs a baseline, and a new deadline may not
/// have passed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveBody {
    #[schema(
        min_length = 1,
        max_length = 300,
        example = "Double sales-accepted leads from mid-market accounts"
    )]
    pub outcome: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default = "business")]
    #[schema(example = "business", pattern = "^(market|business|buyer|tactics)$")]
    pub layer: String,
    #[serde(default)]
    #[schema(max_length = 120)]
    pub metric: Option<String>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    #[schema(example = "2027-06-30")]
    pub deadline: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub serves: Option<String>,
}

fn business() -> String {
    "business".into()
}

impl ObjectiveBody {
    fn input(&self) -> ObjectiveInput {
        let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        ObjectiveInput {
            outcome: self.outcome.clone(),
            owner_id: self.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            layer: self.layer.clone(),
            metric: self.metric.clone().unwrap_or_default(),
            baseline: n(self.baseline),
            target: n(self.target),
            deadline: self.deadline.clone().unwrap_or_default(),
            serves: self.serves.clone().unwrap_or_default(),
        }
    }
}

async fn view(state: &AppState, ctx: &ApiCtx) -> Result<std::sync::Arc<Model>, ApiError> {
    Ok(ops::view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

/// List the objectives the caller may see, by deadline, a page at a time.
#[utoipa::path(get, path = "/api/v1/objectives", operation_id = "list_objectives", tag = "objectives", params(Paging),
    responses((status = 200, body = ObjectivesList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_objectives(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<ObjectivesList>, ApiError> {
    let m = view(&state, &ctx).await?;
    let items = m
        .objectives
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (items, next_offset) = page.finish(items);
    Ok(Json(ObjectivesList {
        objectives: items.into_iter().map(|o| dto(o, &m)).collect(),
        next_offset,
    }))
}

/// Find one objective with its SMART check.
#[utoipa::path(get, path = "/api/v1/objectives/{id}", operation_id = "find_objective", tag = "objectives",
    params(("id" = i64, Path, description = "Objective id")),
    responses((status = 200, body = ObjectiveDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_objective(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let o = ops::objective(&m, id).ok_or_else(ApiError::not_found)?;
    Ok(with_etag(StatusCode::OK, o.version, dto(o, &m)))
}

/// Add an objective.
#[utoipa::path(post, path = "/api/v1/objectives", operation_id = "create_objective", tag = "objectives", request_body = ObjectiveBody,
    responses((status = 201, body = ObjectiveDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_objective(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<ObjectiveBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let d = ops::parse_objective(&m, &body.input(), None)?;
    let o = state.store.create_objective(ctx.ws_id, &d).await?;
    Ok(with_etag(StatusCode::CREATED, o.version, dto(o, &m)))
}

/// Replace an objective. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/objectives/{id}", operation_id = "update_objective", tag = "objectives", request_body = ObjectiveBody,
    params(("id" = i64, Path, description = "Objective id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = ObjectiveDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_objective(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ObjectiveBody>,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let stored = ops::objective(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    let d = ops::parse_objective(&m, &body.input(), Some(&stored))?;
    let expected = if_match(&headers)?;
    let o = state
        .store
        .update_objective(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, o.version, dto(o, &m)))
}

/// Remove an objective; its priorities keep no objective.
#[utoipa::path(delete, path = "/api/v1/objectives/{id}", operation_id = "delete_objective", tag = "objectives",
    params(("id" = i64, Path, description = "Objective id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_objective(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    ops::objective(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    state
        .store
        .delete_objective(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
