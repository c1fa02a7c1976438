//! /api/v1/work: work items moving through their workflow's stages and gates, with
//! checklists, approvals, history and dependencies.

use super::workflows::{caller, date_shapes, validated};
use super::{if_match, with_etag, ApiJson, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::{work as wops, OpError};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::{request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::access::Reader;
use keel_domain::work::transition::Action;
use keel_domain::work::{check_gate, Gate, WorkDraft, WorkInput, WorkItem, WorkStatus};
use keel_domain::workflow::Workflow;
use keel_domain::{Date, Invalid, Role};
use keel_store::WorkFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/work", list_work)
        .post("/api/v1/work", create_work)
        .get("/api/v1/work/{id}", find_work)
        .put("/api/v1/work/{id}", update_work)
        .delete("/api/v1/work/{id}", delete_work)
        .post("/api/v1/work/{id}/moves", move_work)
        .get("/api/v1/work/{id}/gate", find_work_gate)
        .put("/api/v1/work/{id}/checks/{index}", set_work_check)
        .post("/api/v1/work/{id}/approvals", approve_work_stage)
        .get("/api/v1/work/{id}/events", list_work_events)
        .get("/api/v1/work/{id}/dependencies", list_work_dependencies)
        .post("/api/v1/work/{id}/dependencies", create_work_dependency)
        .delete(
            "/api/v1/work/{id}/dependencies/{dep}",
            delete_work_dependency,
        )
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A work item: one campaign, article, test or page update moving through a workflow.
#[derive(Serialize, ToSchema)]
pub struct WorkDto {
    pub id: i64,
    /// Increases with every change and move; send it back in If-Match.
    pub version: i64,
    pub workflow_id: i64,
    pub title: String,
    pub execution_owner_id: Option<i64>,
    pub contributor_ids: Vec<i64>,
    /// Index of the current stage in the workflow's stages, from 0.
    pub stage: i64,
    pub stage_name: Option<String>,
    /// intake, in_progress, blocked, in_review, launched, done or cancelled.
    pub status: String,
    pub estimated_hours: f64,
    /// YYYY-MM-DD.
    pub start_date: Option<String>,
    /// YYYY-MM-DD.
    pub planned_launch: Option<String>,
    /// YYYY-MM-DD, set when the work launched.
    pub actual_launch: Option<String>,
    /// YYYY-MM-DD.
    pub first_review: Option<String>,
    pub blocked_reason: Option<String>,
    /// RFC 3339, while the item is blocked.
    pub blocked_since: Option<String>,
    /// Times the work was sent back to an earlier stage.
    pub revisions: i64,
    /// RFC 3339.
    pub created_at: String,
}

impl WorkDto {
    fn new(i: WorkItem, wf: Option<&Workflow>) -> WorkDto {
        WorkDto {
            id: i.id,
            version: i.version,
            workflow_id: i.workflow_id,
            stage_name: wf
                .and_then(|w| w.spec.stages.get(i.stage))
                .map(|s| s.name.clone()),
            stage: i.stage as i64,
            status: i.status.as_str().into(),
            title: i.title,
            execution_owner_id: i.execution_owner_id,
            contributor_ids: i.contributor_ids,
            estimated_hours: i.estimated_hours,
            start_date: date(i.start_date),
            planned_launch: date(i.planned_launch),
            actual_launch: date(i.actual_launch),
            first_review: date(i.first_review),
            blocked_reason: i.blocked_reason,
            blocked_since: i.blocked_since.map(crate::time_fmt::rfc3339),
            revisions: i.revisions,
            created_at: crate::time_fmt::rfc3339(i.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkList {
    /// Newest first.
    pub work: Vec<WorkDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// Filters and paging of the work list; filters combine.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkQuery {
    /// Only items of this workflow.
    pub workflow_id: Option<i64>,
    /// Only items this person executes.
    pub owner_id: Option<i64>,
    /// Only items with this status.
    #[param(pattern = "^(intake|in_progress|blocked|in_review|launched|done|cancelled)$")]
    pub status: Option<String>,
    /// Only items blocked now.
    pub blocked: Option<bool>,
    /// Only open items whose planned launch has passed.
    pub overdue: Option<bool>,
    /// How many records to return (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// How many to skip (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

fn bad_query(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", m)
}

/// The work list's query string; a bad one gets the envelope.
pub struct ApiWorkQuery(WorkQuery, Option<WorkStatus>);

impl<S: Send + Sync> FromRequestParts<S> for ApiWorkQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(q) = Query::<WorkQuery>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                bad_query(format!(
                    "The query string is not understood: {}",
                    e.body_text()
                ))
            })?;
        let page = Paging {
            limit: q.limit,
            offset: q.offset,
        };
        if !(1..=500).contains(&page.limit()) || page.offset() < 0 {
            return Err(bad_query("limit is 1 to 500 and offset 0 or more."));
        }
        let status = match q.status.as_deref() {
            None => None,
            Some(s) => Some(WorkStatus::parse(s).map_err(bad_query)?),
        };
        Ok(ApiWorkQuery(q, status))
    }
}

/// What to store about a work item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkBody {
    #[schema(min_length = 1, max_length = 160, example = "Spring webinar campaign")]
    pub title: String,
    /// The workflow's execution owner when not said.
    #[serde(default)]
    pub execution_owner_id: Option<i64>,
    #[serde(default)]
    pub contributor_ids: Vec<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 2000)]
    pub estimated_hours: f64,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-02")]
    pub start_date: Option<String>,
    /// YYYY-MM-DD, not before the start.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-20")]
    pub planned_launch: Option<String>,
    /// YYYY-MM-DD, not before the launch; two weeks after the planned launch when not said.
    #[serde(default)]
    #[schema(format = Date, example = "2026-04-03")]
    pub first_review: Option<String>,
}

/// A new work item in a workflow.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkBody {
    pub workflow_id: i64,
    #[schema(min_length = 1, max_length = 160, example = "Spring webinar campaign")]
    pub title: String,
    /// The workflow's execution owner when not said.
    #[serde(default)]
    pub execution_owner_id: Option<i64>,
    #[serde(default)]
    pub contributor_ids: Vec<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 2000)]
    pub estimated_hours: f64,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-02")]
    pub start_date: Option<String>,
    /// YYYY-MM-DD, not before the start.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-20")]
    pub planned_launch: Option<String>,
    /// YYYY-MM-DD, not before the launch; two weeks after the planned launch when not said.
    #[serde(default)]
    #[schema(format = Date, example = "2026-04-03")]
    pub first_review: Option<String>,
}

fn work_input(
    title: &str,
    owner: Option<i64>,
    contributors: &[i64],
    hours: f64,
    dates: [&Option<String>; 3],
) -> WorkInput {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    WorkInput {
        title: title.into(),
        execution_owner_id: owner.map(|o| o.to_string()).unwrap_or_default(),
        contributor_ids: contributors.iter().map(|c| c.to_string()).collect(),
        estimated_hours: hours.to_string(),
        start_date: opt(dates[0]),
        planned_launch: opt(dates[1]),
        first_review: opt(dates[2]),
    }
}

fn work_dates(dates: [&Option<String>; 3]) -> Invalid {
    date_shapes(&[
        ("start_date", dates[0]),
        ("planned_launch", dates[1]),
        ("first_review", dates[2]),
    ])
}

impl WorkBody {
    fn input(&self) -> WorkInput {
        work_input(
            &self.title,
            self.execution_owner_id,
            &self.contributor_ids,
            self.estimated_hours,
            [&self.start_date, &self.planned_launch, &self.first_review],
        )
    }

    fn date_shapes(&self) -> Invalid {
        work_dates([&self.start_date, &self.planned_launch, &self.first_review])
    }
}

impl NewWorkBody {
    fn input(&self) -> WorkInput {
        work_input(
            &self.title,
            self.execution_owner_id,
            &self.contributor_ids,
            self.estimated_hours,
            [&self.start_date, &self.planned_launch, &self.first_review],
        )
    }

    fn date_shapes(&self) -> Invalid {
        work_dates([&self.start_date, &self.planned_launch, &self.first_review])
    }
}

/// The body's work item checked by the domain, with malformed dates reported alongside.
async fn check_work(
    state: &AppState,
    ctx: &ApiCtx,
    input: &WorkInput,
    dates: Invalid,
) -> Result<(), ApiError> {
    let people = state.store.list_people(ctx.ws_id).await?;
    validated(
        WorkDraft::parse(input, &people).map_err(OpError::from),
        dates,
    )?;
    Ok(())
}

/// A move of a work item. `reason` is needed to override a gate, send work back or block it;
/// `to` is the stage index work is sent back to.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    #[schema(
        example = "advance",
        pattern = "^(advance|override|send_back|block|unblock|done|cancel)$"
    )]
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// The stage index, from 0, to send the work back to.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub to: Option<i64>,
}

impl MoveBody {
    fn action(&self) -> Result<Action, ApiError> {
        let reason = self
            .reason
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string();
        let to = self
            .to
            .map(usize::try_from)
            .transpose()
            .map_err(|_| Invalid::one("to", "A stage index is 0 or more."))?;
        Ok(match self.action.as_str() {
            "advance" => Action::Advance {
                override_reason: None,
            },
            "override" => Action::Advance {
                override_reason: Some(reason),
            },
            "send_back" => Action::SendBack {
                to: to.ok_or_else(|| {
                    Invalid::one(
                        "to",
                        "Say which stage (index from 0) the work goes back to.",
                    )
                })?,
                reason,
            },
            "block" => Action::Block { reason },
            "unblock" => Action::Unblock,
            "done" => Action::Done,
            "cancel" => Action::Cancel,
            _ => {
                return Err(Invalid::one(
                    "action",
                    "The action is advance, override, send_back, block, unblock, done or cancel.",
                )
                .into())
            }
        })
    }
}

/// Tick or untick a checklist item of the current stage.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    pub done: bool,
}

/// One checklist item of the current stage.
#[derive(Serialize, ToSchema)]
pub struct GateCheck {
    pub index: i64,
    pub text: String,
    pub done: bool,
}

/// The gate of an item's current stage: what must happen before it moves on.
#[derive(Serialize, ToSchema)]
pub struct WorkGate {
    pub item_id: i64,
    pub stage: i64,
    pub stage_name: Option<String>,
    pub checklist: Vec<GateCheck>,
    pub needs_approval: bool,
    pub approved: bool,
    /// The item is open and may advance without an override.
    pub open: bool,
    /// Why the gate is closed, in plain sentences; empty when open or the work is not open.
    pub why_closed: Vec<String>,
}

/// A line of an item's history.
#[derive(Serialize, ToSchema)]
pub struct WorkEventDto {
    /// RFC 3339.
    pub at: String,
    /// created, advanced, overridden, sent_back, blocked, unblocked, approved, override, done,
    /// cancelled.
    pub kind: String,
    /// The stage index the item is at after the event.
    pub to_stage: Option<i64>,
    pub stage_name: Option<String>,
    pub note: Option<String>,
    /// The name of the member who did it, when known.
    pub by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkEventList {
    /// Oldest first.
    pub events: Vec<WorkEventDto>,
}

/// An item this one waits for.
#[derive(Serialize, ToSchema)]
pub struct WorkDependency {
    pub blocked_by: i64,
    pub title: String,
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkDependencyList {
    pub dependencies: Vec<WorkDependency>,
}

/// Make this item wait for another one of the workspace.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DependencyBody {
    /// The id of the work item this one waits for.
    pub blocked_by: i64,
}

/// Two numeric ids in the path; anything else cannot name a record, so it is not found.
pub struct ApiPath2(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath2 {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<(i64, i64)>::from_request_parts(parts, state).await {
            Ok(Path((a, b))) => Ok(ApiPath2(a, b)),
            Err(_) => Err(ApiError::not_found()),
        }
    }
}

async fn gate(
    state: &AppState,
    ctx: &ApiCtx,
    item: &WorkItem,
    wf: &Workflow,
) -> Result<WorkGate, ApiError> {
    let g = state
        .store
        .gate_state(ctx.ws_id, item.id, item.stage)
        .await?;
    let stage = wf.spec.stages.get(item.stage);
    let (open, why_closed) = match check_gate(&wf.spec, item.stage, &g) {
        _ if !item.status.is_open() => (false, vec![]),
        Gate::Open => (true, vec![]),
        Gate::Closed(why) => (false, why),
    };
    Ok(WorkGate {
        item_id: item.id,
        stage: item.stage as i64,
        stage_name: stage.map(|s| s.name.clone()),
        checklist: stage
            .map(|s| {
                s.checklist
                    .iter()
                    .enumerate()
                    .map(|(i, t)| GateCheck {
                        index: i as i64,
                        text: t.clone(),
                        done: g.checked.contains(&i),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        needs_approval: stage.is_some_and(|s| s.needs_approval),
        approved: g.approved,
        open,
        why_closed,
    })
}

/// List work items, newest first, a page at a time. A partner sees the items its person
/// executes or contributes to.
#[utoipa::path(get, path = "/api/v1/work", operation_id = "list_work", tag = "work", params(WorkQuery),
    responses((status = 200, body = WorkList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiWorkQuery(q, status): ApiWorkQuery,
) -> Result<Json<WorkList>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let page = Paging {
        limit: q.limit,
        offset: q.offset,
    };
    let mut filter = WorkFilter {
        workflow_id: q.workflow_id,
        owner_id: q.owner_id,
        status,
        blocked_only: q.blocked.unwrap_or(false),
        overdue_before: q
            .overdue
            .unwrap_or(false)
            .then(|| Date::from_unix(crate::time_fmt::now())),
        limit: page.fetch(),
        offset: page.offset(),
        ..Default::default()
    };
    if !reader.role.sees_everything() {
        // No linked person: nothing is theirs (id 0 matches nobody).
        filter.involving = Some(reader.person_id.unwrap_or(0));
    }
    let items = state.store.list_work(ctx.ws_id, &filter).await?;
    // Stage names come from every workflow: a partner may contribute to an item of a workflow
    // it has no role in, and still sees the item's stage.
    let model = crate::model::load(
        &state,
        ctx.ws_id,
        ctx.data_version,
        &Reader {
            role: Role::Owner,
            person_id: None,
        },
    )
    .await?;
    let workflows = &model.workflows;
    let (items, next_offset) = page.finish(items);
    Ok(Json(WorkList {
        work: items
            .into_iter()
            .map(|i| {
                let wf = workflows.iter().find(|w| w.id == i.workflow_id);
                WorkDto::new(i, wf)
            })
            .collect(),
        next_offset,
    }))
}

/// Find one work item.
#[utoipa::path(get, path = "/api/v1/work/{id}", operation_id = "find_work", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let (item, wf) = wops::visible(&state.store, &caller(&ctx), &reader, id).await?;
    Ok(with_etag(
        StatusCode::OK,
        item.version,
        WorkDto::new(item, Some(&wf)),
    ))
}

/// Start a work item in a workflow, at its first stage.
#[utoipa::path(post, path = "/api/v1/work", operation_id = "create_work", tag = "work", request_body = NewWorkBody,
    responses((status = 201, body = WorkDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<NewWorkBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let input = body.input();
    check_work(&state, &ctx, &input, body.date_shapes()).await?;
    let item = wops::create(&state.store, &caller(&ctx), body.workflow_id, &input).await?;
    let wf = state
        .store
        .find_workflow(ctx.ws_id, item.workflow_id)
        .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        item.version,
        WorkDto::new(item, wf.as_ref()),
    ))
}

/// Replace a work item's details (moves go through /moves). Send `If-Match` with the ETag you
/// read to avoid overwriting someone else's change.
#[utoipa::path(put, path = "/api/v1/work/{id}", operation_id = "update_work", tag = "work", request_body = WorkBody,
    params(("id" = i64, Path, description = "Work item id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = WorkDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WorkBody>,
) -> Result<Response, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let c = caller(&ctx);
    let (_, wf) = wops::workable(&state.store, &c, &reader, id).await?;
    let input = body.input();
    check_work(&state, &ctx, &input, body.date_shapes()).await?;
    let expected = if_match(&headers)?;
    let item = wops::update(&state.store, &c, &reader, id, expected, &input).await?;
    Ok(with_etag(
        StatusCode::OK,
        item.version,
        WorkDto::new(item, Some(&wf)),
    ))
}

/// Remove a work item with its history.
#[utoipa::path(delete, path = "/api/v1/work/{id}", operation_id = "delete_work", tag = "work",
    params(("id" = i64, Path, description = "Work item id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    wops::visible(&state.store, &caller(&ctx), &reader, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_work(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Move a work item: through its gate, back for a revision, into or out of a block, done or
/// cancelled. `If-Match` with the item's ETag is required, so of two people moving one item at
/// once the second is told (412) instead of moving it twice. A move the workflow's rules refuse
/// answers 422 with code `refused` and the reason.
#[utoipa::path(post, path = "/api/v1/work/{id}/moves", operation_id = "move_work", tag = "work", request_body = MoveBody,
    params(("id" = i64, Path, description = "Work item id"), ("If-Match" = String, Header, description = "ETag of the version you saw")),
    responses((status = 200, body = WorkDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 428, body = ErrorEnvelope)))]
pub async fn move_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MoveBody>,
) -> Result<Response, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let c = caller(&ctx);
    let (_, wf) = wops::workable(&state.store, &c, &reader, id).await?;
    let action = body.action()?;
    let expected = if_match(&headers)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "Send the item's ETag as If-Match (like \"3\"), so a move is never applied twice.",
        )
    })?;
    let item = wops::apply(&state.store, &c, &reader, id, expected, &action).await?;
    Ok(with_etag(
        StatusCode::OK,
        item.version,
        WorkDto::new(item, Some(&wf)),
    ))
}

/// The gate of the item's current stage: its checklist, approval and why it is closed.
#[utoipa::path(get, path = "/api/v1/work/{id}/gate", operation_id = "find_work_gate", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkGate), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_work_gate(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkGate>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let (item, wf) = wops::visible(&state.store, &caller(&ctx), &reader, id).await?;
    Ok(Json(gate(&state, &ctx, &item, &wf).await?))
}

/// Tick or untick a checklist item (index from 0) of the item's current stage; answers the
/// gate as it is now.
#[utoipa::path(put, path = "/api/v1/work/{id}/checks/{index}", operation_id = "set_work_check", tag = "work", request_body = CheckBody,
    params(("id" = i64, Path, description = "Work item id"), ("index" = i64, Path, description = "Checklist item of the current stage, from 0", minimum = 0)),
    responses((status = 200, body = WorkGate), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn set_work_check(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath2(id, index): ApiPath2,
    ApiJson(body): ApiJson<CheckBody>,
) -> Result<Json<WorkGate>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let c = caller(&ctx);
    let (_, wf) = wops::visible(&state.store, &c, &reader, id).await?;
    let index = usize::try_from(index).map_err(|_| ApiError::not_found())?;
    let item = wops::set_check(&state.store, &c, &reader, id, index, body.done).await?;
    Ok(Json(gate(&state, &ctx, &item, &wf).await?))
}

/// Approve the item's current stage. Only the workflow's decision owner may (403 otherwise).
#[utoipa::path(post, path = "/api/v1/work/{id}/approvals", operation_id = "approve_work_stage", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkGate), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn approve_work_stage(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkGate>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let c = caller(&ctx);
    let (_, wf) = wops::visible(&state.store, &c, &reader, id).await?;
    let item = wops::approve(&state.store, &c, &reader, id).await?;
    Ok(Json(gate(&state, &ctx, &item, &wf).await?))
}

/// The item's history, oldest first.
#[utoipa::path(get, path = "/api/v1/work/{id}/events", operation_id = "list_work_events", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkEventList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_work_events(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkEventList>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    let (_, wf) = wops::visible(&state.store, &caller(&ctx), &reader, id).await?;
    let events = state.store.list_events(ctx.ws_id, id).await?;
    Ok(Json(WorkEventList {
        events: events
            .into_iter()
            .map(|e| WorkEventDto {
                at: crate::time_fmt::rfc3339(e.at),
                kind: e.kind,
                stage_name: e
                    .to_stage
                    .and_then(|s| usize::try_from(s).ok())
                    .and_then(|s| wf.spec.stages.get(s))
                    .map(|s| s.name.clone()),
                to_stage: e.to_stage,
                note: e.note,
                by: e.by,
            })
            .collect(),
    }))
}

/// The items this one waits for.
#[utoipa::path(get, path = "/api/v1/work/{id}/dependencies", operation_id = "list_work_dependencies", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkDependencyList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_work_dependencies(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkDependencyList>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    wops::visible(&state.store, &caller(&ctx), &reader, id).await?;
    let mut out = Vec::new();
    for (_, on) in state
        .store
        .list_deps(ctx.ws_id)
        .await?
        .into_iter()
        .filter(|(a, _)| *a == id)
    {
        if let Some(w) = state.store.find_work(ctx.ws_id, on).await? {
            out.push(WorkDependency {
                blocked_by: w.id,
                title: w.title,
                status: w.status.as_str().into(),
            });
        }
    }
    Ok(Json(WorkDependencyList { dependencies: out }))
}

/// Make this item wait for another. A dependency that would close a loop is refused with 422
/// naming `blocked_by`.
#[utoipa::path(post, path = "/api/v1/work/{id}/dependencies", operation_id = "create_work_dependency", tag = "work", request_body = DependencyBody,
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 201, body = WorkDependency), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_work_dependency(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<DependencyBody>,
) -> Result<Response, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    wops::add_dependency(&state.store, &caller(&ctx), &reader, id, body.blocked_by).await?;
    let on = state
        .store
        .find_work(ctx.ws_id, body.blocked_by)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(WorkDependency {
            blocked_by: on.id,
            title: on.title,
            status: on.status.as_str().into(),
        }),
    )
        .into_response())
}

/// Stop this item waiting for another.
#[utoipa::path(delete, path = "/api/v1/work/{id}/dependencies/{dep}", operation_id = "delete_work_dependency", tag = "work",
    params(("id" = i64, Path, description = "Work item id"), ("dep" = i64, Path, description = "Id of the item it waits for")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_work_dependency(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath2(id, dep): ApiPath2,
) -> Result<Response, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    wops::remove_dependency(&state.store, &caller(&ctx), &reader, id, dep).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
