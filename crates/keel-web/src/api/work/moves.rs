//! Moving a work item through its workflow: moves, the gate of its current stage, its
//! checklist ticks and the decision owner's approval.

use super::dto::{ApiPath2, WorkDto};
use crate::api::workflows::caller;
use crate::api::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::work as wops;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use keel_domain::work::transition::Action;
use keel_domain::work::{check_gate, Gate, WorkItem};
use keel_domain::workflow::Workflow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A move of a work item. `reason` is needed to override a gate, send work back or block it,
/// and to launch work while an item it waits for is neither launched nor done (the history
/// keeps it); `to` is the stage index work is sent back to.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    #[schema(
        example = "advance",
        pattern = "^(advance|override|approve|send_back|block|unblock|done|cancel|reopen)$"
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
        let to = self.to.map(|t| t.to_string());
        Ok(Action::parse(
            &self.action,
            self.reason.as_deref(),
            to.as_deref(),
        )?)
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
    /// The items this one waits for that are neither launched nor done ("an item you do not
    /// see" for one outside your view). While any remain, the move that launches the work
    /// needs a `reason`, which its history keeps.
    pub waiting_for: Vec<String>,
}

async fn gate(
    state: &AppState,
    ctx: &ApiCtx,
    item: &WorkItem,
    wf: &Workflow,
) -> Result<WorkGate, ApiError> {
    let g = wops::gate(state, &caller(ctx), &ctx.reader(), item).await?;
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
        waiting_for: g
            .unfinished()
            .iter()
            .map(|w| format!("{} ({})", w.title, w.status.label().to_lowercase()))
            .collect(),
    })
}

/// Move a work item: through its gate, back for a revision, into or out of a block, done,
/// cancelled or reopened after a cancel. `If-Match` with the item's ETag is required, so of two people moving one item at
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
    let reader = ctx.reader();
    let c = caller(&ctx);
    let (_, wf) = wops::visible(&state, &c, &reader, id).await?;
    let action = body.action();
    // Approving is the decision owner's right (the move checks it); every other move needs
    // the right to work on the item, checked before anything is said about the body.
    if !matches!(action, Ok(Action::Approve)) {
        wops::workable(&state, &c, &reader, id).await?;
    }
    let action = action?;
    let expected = if_match(&headers)?;
    let item = wops::apply(&state, &c, &reader, id, expected, &action).await?;
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
    let reader = ctx.reader();
    let (item, wf) = wops::visible(&state, &caller(&ctx), &reader, id).await?;
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
    let reader = ctx.reader();
    let c = caller(&ctx);
    let (_, wf) = wops::visible(&state, &c, &reader, id).await?;
    let index = usize::try_from(index).map_err(|_| ApiError::not_found())?;
    let item = wops::set_check(&state, &c, &reader, id, index, body.done).await?;
    Ok(Json(gate(&state, &ctx, &item, &wf).await?))
}

/// Approve the item's current stage: the same move as `{"action": "approve"}`. Only the
/// workflow's decision owner may (422 `refused` otherwise); `If-Match` is required.
#[utoipa::path(post, path = "/api/v1/work/{id}/approvals", operation_id = "approve_work_stage", tag = "work",
    params(("id" = i64, Path, description = "Work item id"), ("If-Match" = String, Header, description = "ETag of the version you saw", pattern = r#"^(W/)?"[0-9]+"$"#)),
    responses((status = 200, body = WorkGate, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn approve_work_stage(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let reader = ctx.reader();
    let c = caller(&ctx);
    let (_, wf) = wops::visible(&state, &c, &reader, id).await?;
    let expected = if_match(&headers)?;
    let item = wops::apply(&state, &c, &reader, id, expected, &Action::Approve).await?;
    let version = item.version;
    Ok(with_etag(
        StatusCode::OK,
        version,
        gate(&state, &ctx, &item, &wf).await?,
    ))
}
