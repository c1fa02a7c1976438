//! /api/v1/metrics and their measurements.

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath, ApiPath2, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::metrics as ops;
use crate::ops::strategy::view as model_view;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::health::Model;
use keel_domain::metric::{
    self, Measurement, MeasurementDraft, MeasurementInput, Metric, MetricDraft, MetricInput,
};
use keel_domain::Invalid;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/metrics", list_metrics)
        .post("/api/v1/metrics", create_metric)
        .get("/api/v1/metrics/{id}", find_metric)
        .put("/api/v1/metrics/{id}", update_metric)
        .delete("/api/v1/metrics/{id}", delete_metric)
        .get("/api/v1/metrics/{id}/measurements", list_measurements)
        .post("/api/v1/metrics/{id}/measurements", create_measurement)
        .post(
            "/api/v1/metrics/{id}/measurements/bulk",
            create_measurements,
        )
        .post(
            "/api/v1/metrics/{id}/measurements/import",
            import_measurements,
        )
        .delete(
            "/api/v1/metrics/{id}/measurements/{measurement}",
            delete_measurement,
        )
}

/// One value of a metric for one period.
#[derive(Serialize, ToSchema)]
pub struct MeasurementDto {
    pub id: i64,
    /// The first day of the period (YYYY-MM-DD) per the metric's cadence.
    #[schema(example = "2026-11-01")]
    pub period: String,
    pub value: f64,
    pub note: Option<String>,
    /// Increases with every change; send it back in If-Match to remove the value.
    pub version: i64,
    /// True for a value keel computed from its own data (metrics with a `computed` key): it
    /// is not stored, its id and version are 0, and it cannot be removed or replaced.
    pub computed: bool,
}

impl From<Measurement> for MeasurementDto {
    fn from(x: Measurement) -> Self {
        MeasurementDto {
            computed: x.id == 0,
            id: x.id,
            period: x.period.to_string(),
            value: x.value,
            note: x.note,
            version: x.version,
        }
    }
}

/// A metric, with what its values say today.
#[derive(Serialize, ToSchema)]
pub struct MetricDto {
    pub id: i64,
    #[schema(example = "Sales-accepted leads")]
    pub name: String,
    /// What it counts and how (source field, filter, tracking or UTM rule).
    pub definition: Option<String>,
    /// The internal person accountable for it.
    pub owner_id: Option<i64>,
    #[schema(example = "HubSpot")]
    pub source: Option<String>,
    #[schema(example = "leads")]
    pub unit: Option<String>,
    /// weekly, monthly or quarterly.
    #[schema(example = "monthly")]
    pub cadence: String,
    /// higher or lower: which way is better.
    #[schema(example = "higher")]
    pub direction: String,
    pub target: Option<f64>,
    /// activity or outcome.
    #[schema(example = "outcome")]
    pub metric_type: String,
    /// speed, quality, cost or contribution.
    #[schema(example = "contribution")]
    pub kind: String,
    pub function_id: Option<i64>,
    /// The objective this metric is the KPI of.
    pub objective_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub workflow_id: Option<i64>,
    /// The day (in the workspace's time zone) its definition, source or unit last changed;
    /// absent if never changed since it was created.
    #[schema(example = "2026-11-03")]
    pub definition_changed_on: Option<String>,
    /// What keel computes for it from its own data (its source is then "keel"); absent for a
    /// metric whose values are entered.
    #[schema(example = "cycle_time")]
    pub computed: Option<String>,
    /// operating, lead_quality, reporting or stakeholder.
    pub family: Option<String>,
    /// leading or lagging.
    pub signal: Option<String>,
    /// The strategy layer it reports on: market, business, buyer or tactics.
    pub layer: Option<String>,
    /// The most recent value.
    pub latest: Option<MeasurementDto>,
    /// Whether the latest value is on the wrong side of the target (absent without a target
    /// or a value).
    pub off_target: Option<bool>,
    /// Change per period over the recent values (absent with fewer than three).
    pub trend_per_period: Option<f64>,
    /// Whether the trend goes the better way (absent when flat or unknown).
    pub trend_better: Option<bool>,
    /// The first day of an ended period that has no value yet (YYYY-MM-DD).
    pub missing_period: Option<String>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

fn dto(x: Metric, m: &Model) -> MetricDto {
    let s = ops::summary(&x, m);
    MetricDto {
        id: x.id,
        name: x.name,
        definition: x.definition,
        owner_id: x.owner_id,
        source: x.source,
        unit: x.unit,
        cadence: x.cadence.as_str().into(),
        direction: x.direction.as_str().into(),
        target: x.target,
        metric_type: x.metric_type.as_str().into(),
        kind: x.kind.as_str().into(),
        function_id: x.function_id,
        objective_id: x.objective_id,
        channel_id: x.channel_id,
        workflow_id: x.workflow_id,
        definition_changed_on: x.definition_changed_at.map(|t| m.day_of(t).to_string()),
        computed: x.computed.map(|c| c.as_str().into()),
        family: x.family.map(|c| c.as_str().into()),
        signal: x.signal.map(|c| c.as_str().into()),
        layer: x.layer.map(|c| c.as_str().into()),
        latest: s.latest.map(MeasurementDto::from),
        off_target: s.off_target,
        trend_per_period: s.trend.map(|t| metric::trend::round(t.per_period)),
        trend_better: s.trend.and_then(|t| t.better),
        missing_period: s.missing.map(|d| d.to_string()),
        version: x.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct MetricsList {
    /// By name.
    pub metrics: Vec<MetricDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about a metric. The owner must be internal; linked records must be ones
/// the caller sees; an objective has one KPI metric.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricBody {
    #[schema(min_length = 1, max_length = 120, example = "Sales-accepted leads")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub definition: Option<String>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 120)]
    pub source: Option<String>,
    #[serde(default)]
    #[schema(max_length = 20)]
    pub unit: Option<String>,
    #[schema(example = "monthly", pattern = "^(weekly|monthly|quarterly)$")]
    pub cadence: String,
    #[schema(example = "higher", pattern = "^(higher|lower)$")]
    pub direction: String,
    #[serde(default)]
    #[schema(minimum = -999999999999.0, maximum = 999999999999.0)]
    pub target: Option<f64>,
    #[schema(example = "outcome", pattern = "^(activity|outcome)$")]
    pub metric_type: String,
    #[schema(
        example = "contribution",
        pattern = "^(speed|quality|cost|contribution)$"
    )]
    pub kind: String,
    #[serde(default)]
    pub function_id: Option<i64>,
    #[serde(default)]
    pub objective_id: Option<i64>,
    #[serde(default)]
    pub channel_id: Option<i64>,
    #[serde(default)]
    pub workflow_id: Option<i64>,
    /// What keel computes for it (then leave `source` empty or "keel", and `unit` empty or
    /// the computation's unit); absent or null for a metric whose values are entered.
    #[serde(default)]
    #[schema(
        example = "cycle_time",
        pattern = "^(cycle_time|on_time_rate|revisions|blocked_days|strategic_fit|channel_focus|hours_allocated|budget_allocated|review_rating|follow_through)$"
    )]
    pub computed: Option<String>,
    #[serde(default)]
    #[schema(pattern = "^(operating|lead_quality|reporting|stakeholder)$")]
    pub family: Option<String>,
    /// leading or lagging.
    #[serde(default)]
    #[schema(pattern = "^(leading|lagging)$")]
    pub signal: Option<String>,
    #[serde(default)]
    #[schema(pattern = "^(market|business|buyer|tactics)$")]
    pub layer: Option<String>,
}

impl MetricBody {
    fn input(&self) -> MetricInput {
        let id = |v: Option<i64>| v.map(|i| i.to_string()).unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        MetricInput {
            name: self.name.clone(),
            definition: text(&self.definition),
            owner_id: id(self.owner_id),
            source: text(&self.source),
            unit: text(&self.unit),
            cadence: self.cadence.clone(),
            direction: self.direction.clone(),
            target: self.target.map(|t| t.to_string()).unwrap_or_default(),
            metric_type: self.metric_type.clone(),
            kind: self.kind.clone(),
            function_id: id(self.function_id),
            objective_id: id(self.objective_id),
            channel_id: id(self.channel_id),
            workflow_id: id(self.workflow_id),
            computed: text(&self.computed),
            family: text(&self.family),
            signal: text(&self.signal),
            layer: text(&self.layer),
        }
    }
}

/// One value for one period. Sending the same period again replaces the value; sending the
/// same value again changes nothing.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementBody {
    /// Any day of the period (YYYY-MM-DD) or a month (YYYY-MM); stored as the period's first
    /// day. A period that has not begun is refused.
    #[schema(
        example = "2026-11",
        pattern = "^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"
    )]
    pub period: String,
    #[schema(minimum = -999999999999.0, maximum = 999999999999.0)]
    pub value: f64,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

impl MeasurementBody {
    fn input(&self) -> MeasurementInput {
        MeasurementInput {
            period: self.period.clone(),
            value: self.value.to_string(),
            note: self.note.clone().unwrap_or_default(),
        }
    }
}

/// Values sent together: all are checked first, and one invalid value stores none (the
/// error names it, like `measurements[6].period`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementsBody {
    /// 1 to 1000 values.
    #[schema(min_items = 1, max_items = 1000)]
    pub measurements: Vec<MeasurementBody>,
}

/// A table of values as text: CSV, or tab-separated as copied from a spreadsheet.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementsCsvBody {
    /// A header row naming a `period` (or `date`, `week`, `month`) and a `value` column,
    /// optionally `unit` (must be the metric's) and `note`; then one line per period, at most
    /// 1000. Comma, semicolon or tab separated.
    #[schema(
        example = "period,value,note\n2026-09,118,\n2026-10,131,webinar month\n",
        max_length = 200000
    )]
    pub csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeasurementsList {
    /// Oldest first.
    pub measurements: Vec<MeasurementDto>,
}

async fn view(state: &AppState, ctx: &ApiCtx) -> Result<Arc<Model>, ApiError> {
    Ok(model_view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

fn visible(m: &Model, id: i64) -> Result<Metric, ApiError> {
    ops::metric(m, id).ok_or_else(ApiError::not_found)
}

/// List the metrics the caller may see.
#[utoipa::path(get, path = "/api/v1/metrics", operation_id = "list_metrics", tag = "metrics", params(Paging),
    responses((status = 200, body = MetricsList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_metrics(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<MetricsList>, ApiError> {
    let m = view(&state, &ctx).await?;
    let items = m
        .metrics
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (items, next_offset) = page.finish(items);
    Ok(Json(MetricsList {
        metrics: items.into_iter().map(|x| dto(x, &m)).collect(),
        next_offset,
    }))
}

/// Find one metric.
#[utoipa::path(get, path = "/api/v1/metrics/{id}", operation_id = "find_metric", tag = "metrics",
    params(("id" = i64, Path, description = "Metric id")),
    responses((status = 200, body = MetricDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_metric(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let x = visible(&m, id)?;
    Ok(with_etag(StatusCode::OK, x.version, dto(x, &m)))
}

/// Add a metric.
#[utoipa::path(post, path = "/api/v1/metrics", operation_id = "create_metric", tag = "metrics", request_body = MetricBody,
    responses((status = 201, body = MetricDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_metric(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<MetricBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let d = MetricDraft::parse(&body.input(), &m, None)?;
    let x = state.store.create_metric(ctx.ws_id, &d).await?;
    Ok(with_etag(StatusCode::CREATED, x.version, dto(x, &m)))
}

/// Replace a metric (its values stay). Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/metrics/{id}", operation_id = "update_metric", tag = "metrics", request_body = MetricBody,
    params(("id" = i64, Path, description = "Metric id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = MetricDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_metric(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MetricBody>,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    ctx.require_edit()?;
    let d = MetricDraft::parse(&body.input(), &m, Some(id))?;
    let expected = if_match(&headers)?;
    let x = state
        .store
        .update_metric(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, x.version, dto(x, &m)))
}

/// Remove a metric and its values.
#[utoipa::path(delete, path = "/api/v1/metrics/{id}", operation_id = "delete_metric", tag = "metrics",
    params(("id" = i64, Path, description = "Metric id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_metric(
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
        .delete_metric(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A metric's values, oldest first.
#[utoipa::path(get, path = "/api/v1/metrics/{id}/measurements", operation_id = "list_measurements", tag = "metrics",
    params(("id" = i64, Path, description = "Metric id")),
    responses((status = 200, body = MeasurementsList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_measurements(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<MeasurementsList>, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    Ok(Json(MeasurementsList {
        measurements: metric::measurements_of(&m, id)
            .iter()
            .cloned()
            .map(MeasurementDto::from)
            .collect(),
    }))
}

/// The metric values are sent for: one the caller sees, and may record values of.
/// The metric the caller may write to, and today in the workspace's time zone (read from the
/// model already loaded, not from the database again).
async fn writable(
    state: &AppState,
    ctx: &ApiCtx,
    id: i64,
) -> Result<(Metric, keel_domain::Date), ApiError> {
    let m = view(state, ctx).await?;
    let x = visible(&m, id)?;
    ctx.require_edit()?;
    metric::computed::writable(&x)?;
    Ok((x, crate::ops::strategy::today(&m)))
}

/// Set the value of one period (idempotent: the same period again replaces it).
#[utoipa::path(post, path = "/api/v1/metrics/{id}/measurements", operation_id = "create_measurement", tag = "metrics", request_body = MeasurementBody,
    params(("id" = i64, Path, description = "Metric id")),
    responses((status = 200, body = MeasurementDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_measurement(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<MeasurementBody>,
) -> Result<Response, ApiError> {
    let (x, today) = writable(&state, &ctx, id).await?;
    let d = MeasurementDraft::parse(&body.input(), x.cadence, today)?;
    let stored = state.store.put_measurements(ctx.ws_id, id, &[d]).await?;
    let x = stored.into_iter().next().ok_or_else(ApiError::not_found)?;
    Ok(with_etag(
        StatusCode::OK,
        x.version,
        MeasurementDto::from(x),
    ))
}

/// Set the values of up to 1000 periods at once, all or nothing (idempotent per period).
#[utoipa::path(post, path = "/api/v1/metrics/{id}/measurements/bulk", operation_id = "create_measurements", tag = "metrics", request_body = MeasurementsBody,
    params(("id" = i64, Path, description = "Metric id")),
    responses((status = 200, body = MeasurementsList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_measurements(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<MeasurementsBody>,
) -> Result<Json<MeasurementsList>, ApiError> {
    if body.measurements.is_empty() {
        return Err(Invalid::one("measurements", "Send at least one value.").into());
    }
    let (x, today) = writable(&state, &ctx, id).await?;
    let rows: Vec<MeasurementInput> = body.measurements.iter().map(|b| b.input()).collect();
    let drafts = ops::parse_values(&x, &rows, today)?;
    let stored = state.store.put_measurements(ctx.ws_id, id, &drafts).await?;
    Ok(Json(MeasurementsList {
        measurements: stored.into_iter().map(MeasurementDto::from).collect(),
    }))
}

/// Load values from a CSV table, all or nothing: any bad line stores none, and the error names
/// every bad line (field `csv`, messages like `Line 7, period "31/02/2026": …`).
#[utoipa::path(post, path = "/api/v1/metrics/{id}/measurements/import", operation_id = "import_measurements", tag = "metrics", request_body = MeasurementsCsvBody,
    params(("id" = i64, Path, description = "Metric id")),
    responses((status = 200, body = MeasurementsList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn import_measurements(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<MeasurementsCsvBody>,
) -> Result<Json<MeasurementsList>, ApiError> {
    let (x, today) = writable(&state, &ctx, id).await?;
    let drafts =
        keel_import::measurements::parse(body.csv.as_bytes(), x.unit.as_deref(), x.cadence, today)
            .map_err(|errors| keel_import::table::invalid(&errors, "csv"))?;
    let stored = state.store.put_measurements(ctx.ws_id, id, &drafts).await?;
    Ok(Json(MeasurementsList {
        measurements: stored.into_iter().map(MeasurementDto::from).collect(),
    }))
}

/// Remove one value.
#[utoipa::path(delete, path = "/api/v1/metrics/{id}/measurements/{measurement}", operation_id = "delete_measurement", tag = "metrics",
    params(("id" = i64, Path, description = "Metric id"), ("measurement" = i64, Path, description = "Measurement id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_measurement(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath2(id, measurement): ApiPath2,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    ctx.require_edit()?;
    state
        .store
        .delete_measurement(ctx.ws_id, id, measurement, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
