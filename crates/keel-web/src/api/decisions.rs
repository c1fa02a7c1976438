//! /api/v1/decisions: the decision log with the page's filters (`review::log::Filter`),
//! decisions recorded in a review or outside one, and their follow-up (status, due date,
//! owner). Parsed by `review::DecisionDraft` against the caller's view, like the forms: no
//! owner or kind, a due date before the day it was decided, and evidence that is another
//! workspace's or hidden (answered like a missing one) are refused field by field.

use super::reviews::{evidence, model, EvidenceDto};
use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::reviews as ops;
use crate::ops::strategy::today;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::{request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::health::Model;
use keel_domain::review::log::{Filter, FilterInput};
use keel_domain::review::{
    Category, Decision, DecisionDraft, DecisionInput, DecisionKind, DecisionStatus, EvidenceKind,
};
use keel_domain::{Date, Invalid};
use keel_store::Acting;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/decisions", list_decisions)
        .get("/api/v1/decisions/export.xlsx", export_decisions)
        .post("/api/v1/decisions", create_decision)
        .get("/api/v1/decisions/{id}", find_decision)
        .put("/api/v1/decisions/{id}", update_decision)
}

/// A decision: what was decided, why, on what evidence, who sees it through and by when.
#[derive(Serialize, ToSchema)]
pub struct DecisionDto {
    pub id: i64,
    pub what: String,
    /// improve, stop, delegate, automate, fund, scale, fix, hire, pause, start or no-change.
    #[schema(example = "fix")]
    pub kind: String,
    /// The diagnosis: strategy, process, capacity, skills, tooling, handoff or measurement.
    pub category: Option<String>,
    pub rationale: Option<String>,
    pub evidence: Vec<EvidenceDto>,
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD; none for "no change".
    pub due: Option<String>,
    /// open, done or reversed.
    pub status: String,
    /// Open with its due date passed.
    pub past_due: bool,
    /// The day it was decided (its review's day, or the day it was recorded outside one).
    pub decided_on: String,
    pub done_on: Option<String>,
    /// The review it came from; none when decided outside a review.
    pub review_id: Option<i64>,
    /// The later review that checked it.
    pub checked_by_review_id: Option<i64>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

pub fn dto(m: &Model, slug: &str, d: &Decision, today: Date) -> DecisionDto {
    DecisionDto {
        id: d.id,
        what: d.what.clone(),
        kind: d.kind.as_str().into(),
        category: d.category.map(|c| c.as_str().into()),
        rationale: d.rationale.clone(),
        evidence: d.evidence.iter().map(|e| evidence(m, slug, *e)).collect(),
        owner_id: d.owner_id,
        due: d.due.map(|x| x.to_string()),
        status: d.status.as_str().into(),
        past_due: d.is_past_due(today),
        decided_on: d.decided_on.to_string(),
        done_on: d.done_on.map(|x| x.to_string()),
        review_id: d.review_id,
        checked_by_review_id: d.checked_by_review_id,
        version: d.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct DecisionList {
    /// Open ones past due first, then newest first, as on the log page.
    pub decisions: Vec<DecisionDto>,
    pub next_offset: Option<i64>,
}

/// Exactly one of a choice's values (the document's pattern): the form parsers forgive
/// case and spaces, the API's document does not, so neither does the API.
fn one_of(v: &str, all: &[&str]) -> bool {
    all.contains(&v)
}

fn kinds() -> Vec<&'static str> {
    DecisionKind::ALL.iter().map(|k| k.as_str()).collect()
}

fn categories() -> Vec<&'static str> {
    Category::ALL.iter().map(|k| k.as_str()).collect()
}

fn statuses() -> Vec<&'static str> {
    DecisionStatus::ALL.iter().map(|k| k.as_str()).collect()
}

/// The log's filters, as on the decision log page (the export's query).
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DecisionFilters {
    /// Only decisions of this kind.
    #[param(
        pattern = "^(improve|stop|delegate|automate|fund|scale|fix|hire|pause|start|no-change)$"
    )]
    pub kind: Option<String>,
    /// Only decisions with this diagnosis.
    #[param(pattern = "^(strategy|process|capacity|skills|tooling|handoff|measurement)$")]
    pub category: Option<String>,
    /// Only decisions this person owns.
    pub owner_id: Option<i64>,
    #[param(pattern = "^(open|done|reversed)$")]
    pub status: Option<String>,
    /// Decided on or after this day (YYYY-MM-DD).
    #[param(pattern = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub from: Option<String>,
    /// Decided on or before this day (YYYY-MM-DD), not before `from`.
    #[param(pattern = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub to: Option<String>,
    /// Words that must all appear in what was decided, its rationale or its kind.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// The log's filters and paging (the list's query).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DecisionQuery {
    /// Only decisions of this kind.
    #[param(
        pattern = "^(improve|stop|delegate|automate|fund|scale|fix|hire|pause|start|no-change)$"
    )]
    pub kind: Option<String>,
    /// Only decisions with this diagnosis.
    #[param(pattern = "^(strategy|process|capacity|skills|tooling|handoff|measurement)$")]
    pub category: Option<String>,
    /// Only decisions this person owns.
    pub owner_id: Option<i64>,
    #[param(pattern = "^(open|done|reversed)$")]
    pub status: Option<String>,
    /// Decided on or after this day (YYYY-MM-DD).
    #[param(pattern = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub from: Option<String>,
    /// Decided on or before this day (YYYY-MM-DD), not before `from`.
    #[param(pattern = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub to: Option<String>,
    /// Words that must all appear in what was decided, its rationale or its kind.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// How many records to return (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// How many to skip (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A query string that holds the log's filters.
pub trait HasFilters {
    fn filters(&self) -> DecisionFilters;
    /// (limit, offset), for a list.
    fn paging(&self) -> (Option<i64>, Option<i64>) {
        (None, None)
    }
}

impl HasFilters for DecisionFilters {
    fn filters(&self) -> DecisionFilters {
        self.clone()
    }
}

impl HasFilters for DecisionQuery {
    fn filters(&self) -> DecisionFilters {
        DecisionFilters {
            kind: self.kind.clone(),
            category: self.category.clone(),
            owner_id: self.owner_id,
            status: self.status.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            q: self.q.clone(),
        }
    }
    fn paging(&self) -> (Option<i64>, Option<i64>) {
        (self.limit, self.offset)
    }
}

impl DecisionFilters {
    pub fn input(&self) -> FilterInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        FilterInput {
            kind: s(&self.kind),
            category: s(&self.category),
            owner_id: self.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            status: s(&self.status),
            from: s(&self.from),
            to: s(&self.to),
            q: s(&self.q),
        }
    }

    /// The log's filter, refusing what the document's patterns refuse (the page's parser
    /// forgives spaces and case; the document does not, so neither does the API).
    fn parse(&self) -> Result<Filter, ApiError> {
        let choice =
            |v: &Option<String>, all: Vec<&str>| v.as_deref().is_none_or(|s| one_of(s, &all));
        let day = |v: &Option<String>| {
            v.as_deref()
                .is_none_or(|s| s.trim() == s && Date::parse(s).is_ok())
        };
        if !choice(&self.kind, kinds())
            || !choice(&self.category, categories())
            || !choice(&self.status, statuses())
        {
            return Err(bad_query(
                "kind, category or status is not one keel knows; see the document's lists.",
            ));
        }
        if !day(&self.from) || !day(&self.to) {
            return Err(bad_query(
                "Give from and to as YYYY-MM-DD, like 2026-03-12.",
            ));
        }
        if self.q.as_deref().is_some_and(|s| s.chars().count() > 200) {
            return Err(bad_query("Search for at most 200 characters."));
        }
        Filter::parse(&self.input()).map_err(|inv| {
            bad_query(
                inv.errors
                    .first()
                    .map(|e| e.message.clone())
                    .unwrap_or_default(),
            )
        })
    }
}

/// The log's query string, parsed with the log's filter; a bad one gets the envelope (400).
pub struct ApiDecisionQuery<T>(pub T, pub Filter);

fn bad_query(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", m)
}

impl<T, S> FromRequestParts<S> for ApiDecisionQuery<T>
where
    T: HasFilters + serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(q) = Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                bad_query(format!(
                    "The query string is not understood: {}",
                    e.body_text()
                ))
            })?;
        let (limit, offset) = q.paging();
        if !(1..=500).contains(&limit.unwrap_or(50)) || offset.unwrap_or(0) < 0 {
            return Err(bad_query("limit is 1 to 500 and offset 0 or more."));
        }
        let filter = q.filters().parse()?;
        Ok(ApiDecisionQuery(q, filter))
    }
}

/// List decisions with the log's filters (kind, category, owner, status, period, words).
#[utoipa::path(get, path = "/api/v1/decisions", operation_id = "list_decisions", tag = "reviews", params(DecisionQuery),
    responses((status = 200, body = DecisionList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_decisions(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiDecisionQuery(q, filter): ApiDecisionQuery<DecisionQuery>,
) -> Result<Json<DecisionList>, ApiError> {
    let m = model(&state, &ctx).await?;
    let day = today(&m);
    let limit = q.limit.unwrap_or(50) as usize;
    let offset = q.offset.unwrap_or(0) as usize;
    let hits = ops::matching(&m, &filter, day);
    let next_offset = (hits.len() > offset + limit).then_some((offset + limit) as i64);
    Ok(Json(DecisionList {
        decisions: hits
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|d| dto(&m, &ctx.ws_slug, d, day))
            .collect(),
        next_offset,
    }))
}

/// An XLSX workbook (a binary body).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct XlsxFile(Vec<u8>);

/// The decision log as an XLSX workbook with the log's filters, in the log's order: one sheet,
/// a header row, one row per decision. A text that a spreadsheet would run as a formula (it
/// starts with =, +, -, @, a tab or a carriage return) is written with a leading `'`, as in the
/// CSV download, and every text is a text cell, never a formula.
#[utoipa::path(get, path = "/api/v1/decisions/export.xlsx", operation_id = "export_decisions", tag = "reviews", params(DecisionFilters),
    responses((status = 200, description = "The decision log as an XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn export_decisions(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiDecisionQuery(_, filter): ApiDecisionQuery<DecisionFilters>,
) -> Result<Response, ApiError> {
    use crate::ops::decision_export as xlsx;
    let m = model(&state, &ctx).await?;
    let hits = ops::matching(&m, &filter, today(&m));
    let file = XlsxFile(xlsx::xlsx(&m, &hits).map_err(ApiError::internal)?);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                crate::ops::decision_export::XLSX,
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"decisions.xlsx\"",
            ),
        ],
        file.0,
    )
        .into_response())
}

/// Find one decision.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", operation_id = "find_decision", tag = "reviews",
    params(("id" = i64, Path, description = "Decision id")),
    responses((status = 200, body = DecisionDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_decision(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let d = ops::decision(&m, id).ok_or_else(ApiError::not_found)?;
    Ok(with_etag(
        StatusCode::OK,
        d.version,
        dto(&m, &ctx.ws_slug, &d, today(&m)),
    ))
}

/// A piece of evidence: a record of the workspace the caller sees.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRef {
    #[schema(
        pattern = "^(metric|work|workflow|priority|channel|objective|decision)$",
        example = "metric"
    )]
    pub kind: String,
    #[schema(minimum = 1)]
    pub id: i64,
}

/// What was decided. `kind` and `owner_id` are required; a missing one is refused with the
/// field named.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[schema(
        min_length = 1,
        max_length = 300,
        example = "Pause the webinar series until legal signs off"
    )]
    pub what: String,
    #[serde(default)]
    #[schema(
        required = true,
        pattern = "^(improve|stop|delegate|automate|fund|scale|fix|hire|pause|start|no-change)$",
        example = "pause"
    )]
    pub kind: String,
    /// The diagnosis, a cause and never a person.
    #[serde(default)]
    #[schema(pattern = "^(strategy|process|capacity|skills|tooling|handoff|measurement)$")]
    pub category: Option<String>,
    /// Why; required for "no change".
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub rationale: Option<String>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub evidence: Vec<EvidenceRef>,
    /// The internal person who sees it through.
    #[serde(default)]
    #[schema(required = true, value_type = i64)]
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD, on or after the day it is decided; required but for "no change".
    #[serde(default)]
    #[schema(format = Date, example = "2026-12-21")]
    pub due: Option<String>,
    /// open (when not said), done or reversed.
    #[serde(default)]
    #[schema(pattern = "^(open|done|reversed)$")]
    pub status: Option<String>,
    /// The open review it is recorded in (it is then decided on the review's day); none for
    /// a decision made outside a review (decided today). Ignored by a change.
    #[serde(default)]
    pub review_id: Option<i64>,
    /// A decision that acts is carried out only when confirmed: a "pause" pauses the
    /// priorities (still planned) and channels (active or testing) it links, a "stop" retires
    /// the workflows it links and switches off `retire_cadence`. true acts in the same save,
    /// false records the decision alone. Required for a decision that would act, so nothing
    /// changes by surprise. Ignored by a change.
    #[serde(default)]
    pub confirm: Option<bool>,
    /// The former name of `confirm`, still accepted.
    #[serde(default)]
    #[schema(deprecated)]
    pub confirm_pause: Option<bool>,
    /// A "stop" that retires a review routine: weekly, monthly or quarterly (switched off once
    /// confirmed). Only for a "stop", and only a cadence that is on. Ignored by a change.
    #[serde(default)]
    #[schema(pattern = "^(weekly|monthly|quarterly)$")]
    pub retire_cadence: Option<String>,
}

impl DecisionBody {
    fn input(&self) -> DecisionInput {
        DecisionInput {
            what: self.what.clone(),
            kind: self.kind.clone(),
            category: self.category.clone().unwrap_or_default(),
            rationale: self.rationale.clone().unwrap_or_default(),
            evidence: self
                .evidence
                .iter()
                .map(|e| format!("{}:{}", e.kind, e.id))
                .collect(),
            owner_id: self.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            due: self.due.clone().unwrap_or_default(),
            status: self.status.clone().unwrap_or_default(),
        }
    }

    /// What the document's patterns refuse and the forgiving form parsers would take.
    fn exact(&self) -> Invalid {
        let mut inv = Invalid::new();
        if !self.kind.is_empty() && !one_of(&self.kind, &kinds()) {
            inv.push("kind", "Choose what kind of decision this is: improve, stop, delegate, automate, fund, scale, fix, hire, pause, start or no-change.");
        }
        if self
            .category
            .as_deref()
            .is_some_and(|c| !one_of(c, &categories()))
        {
            inv.push("category", "Choose the cause: strategy, process, capacity, skills, tooling, handoff or measurement.");
        }
        if self
            .status
            .as_deref()
            .is_some_and(|c| !one_of(c, &statuses()))
        {
            inv.push("status", "Choose open, done or reversed.");
        }
        let evidence: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
        if self.evidence.iter().any(|e| !one_of(&e.kind, &evidence)) {
            inv.push("evidence", "Evidence is a metric, work item, workflow, priority, channel, objective or decision.");
        }
        inv
    }
}

/// Record a decision, in an open review or outside one.
#[utoipa::path(post, path = "/api/v1/decisions", operation_id = "create_decision", tag = "reviews", request_body = DecisionBody,
    responses((status = 201, body = DecisionDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_decision(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    ctx.require_edit()?;
    let review = match body.review_id {
        None => None,
        Some(id) => Some(ops::review(&m, id).ok_or_else(|| {
            Invalid::one(
                "review_id",
                format!("There is no review {id} here to record the decision in."),
            )
        })?),
    };
    let exact = body.exact();
    if !exact.errors.is_empty() {
        return Err(exact.into());
    }
    let decided_on = review.as_ref().map(|r| r.date).unwrap_or_else(|| today(&m));
    let d = DecisionDraft::parse(&body.input(), &m, decided_on)?;
    let cadence = match body.retire_cadence.as_deref() {
        None => None,
        Some(k) => Some(
            d.routine_to_retire(&m, k)
                .map_err(|msg| Invalid::one("retire_cadence", msg))?,
        ),
    };
    let changes: Vec<String> = d
        .changes(&m, cadence)
        .into_iter()
        .map(|(verb, what)| format!("{verb} {what}"))
        .collect();
    let confirmed = match (changes.is_empty(), body.confirm.or(body.confirm_pause)) {
        (true, _) => false,
        (false, Some(c)) => c,
        (false, None) => {
            return Err(Invalid::one(
                "confirm",
                format!(
                    "This decision {}. Send confirm true to do it now, or false to record the decision alone.",
                    changes.join(", ")
                ),
            )
            .into());
        }
    };
    let acting = Acting {
        confirm: confirmed,
        retire_cadence: cadence.filter(|_| confirmed),
        by_user: Some(ctx.user_id),
    };
    let saved = state
        .store
        .record_decision(ctx.ws_id, body.review_id, decided_on, &d, &acting)
        .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        saved.version,
        dto(&m, &ctx.ws_slug, &saved, today(&m)),
    ))
}

/// Change a decision: mark it done or reversed (or open again), move its due date, hand it
/// to another owner, or correct what it says. The whole decision is sent; its review stays.
/// Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/decisions/{id}", operation_id = "update_decision", tag = "reviews", request_body = DecisionBody,
    params(("id" = i64, Path, description = "Decision id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = DecisionDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_decision(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let stored = ops::decision(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    if body.review_id.is_some_and(|r| Some(r) != stored.review_id) {
        return Err(Invalid::one(
            "review_id",
            "A decision stays with the review it came from; leave review_id out.",
        )
        .into());
    }
    let exact = body.exact();
    if !exact.errors.is_empty() {
        return Err(exact.into());
    }
    let d = DecisionDraft::parse(&body.input(), &m, stored.decided_on)?;
    let expected = if_match(&headers)?;
    let saved = state
        .store
        .update_decision(ctx.ws_id, id, expected, &d, today(&m))
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        saved.version,
        dto(&m, &ctx.ws_slug, &saved, today(&m)),
    ))
}
