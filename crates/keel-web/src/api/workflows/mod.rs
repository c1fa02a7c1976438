//! /api/v1/workflow-templates and /api/v1/workflows: SOPs, their revisions and flow figures.
//!
//! The routes, the helpers the work API shares and the workflows' own reads and writes are
//! here; the wire types are in `dto`, the built-in templates in `templates`, and the saved
//! revisions and flow figures in `history`.

mod dto;
pub(super) mod history;
pub(super) mod templates;

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::{workflows as wops, Caller, OpError};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dto::{WorkflowBody, WorkflowDto, WorkflowList};
use history::{find_workflow_figures, list_workflow_revisions};
use keel_domain::workflow::Workflow;
use keel_domain::Invalid;
use templates::{create_workflow_from_template, list_workflow_templates};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/workflow-templates", list_workflow_templates)
        .get("/api/v1/workflows", list_workflows)
        .post("/api/v1/workflows", create_workflow)
        .post(
            "/api/v1/workflows/from-template",
            create_workflow_from_template,
        )
        .get("/api/v1/workflows/{id}", find_workflow)
        .put("/api/v1/workflows/{id}", update_workflow)
        .delete("/api/v1/workflows/{id}", delete_workflow)
        .get("/api/v1/workflows/{id}/revisions", list_workflow_revisions)
        .get("/api/v1/workflows/{id}/figures", find_workflow_figures)
}

/// Who calls, in the terms the shared operations use.
pub(super) fn caller(ctx: &ApiCtx) -> Caller {
    Caller {
        ws: ctx.ws_id,
        data_version: ctx.data_version,
        user_id: ctx.user_id,
        role: ctx.role,
        person_id: ctx.person_id,
    }
}

/// Dates travel as exactly `YYYY-MM-DD` or null: an empty or padded string is refused here
/// (the domain reads both as "no date"), the domain checks the rest.
pub(super) fn date_shapes(fields: &[(&str, &Option<String>)]) -> Invalid {
    let mut inv = Invalid::new();
    for (field, v) in fields {
        if v.as_deref().is_some_and(|s| s.is_empty() || s.trim() != s) {
            inv.push(
                field,
                "Send the date as YYYY-MM-DD, like 2026-03-12, or null for no date.",
            );
        }
    }
    inv
}

/// The domain's verdict with the wire's own complaints added, so every mistake is reported
/// at once.
pub(super) fn validated<T>(r: Result<T, OpError>, mut wire: Invalid) -> Result<T, ApiError> {
    match r {
        Ok(v) if wire.is_empty() => Ok(v),
        Ok(_) => Err(wire.into()),
        Err(OpError::Invalid(mut i)) => {
            i.errors.append(&mut wire.errors);
            Err(i.into())
        }
        Err(e) => Err(e.into()),
    }
}

async fn visible(state: &AppState, ctx: &ApiCtx, id: i64) -> Result<Workflow, ApiError> {
    let reader = ctx.reader();
    Ok(wops::visible(state, &caller(ctx), &reader, id).await?)
}

/// List the workflows of the workspace, a page at a time. A partner sees the ones its person
/// has a role in.
#[utoipa::path(get, path = "/api/v1/workflows", operation_id = "list_workflows", tag = "workflows",
    params(("limit" = Option<i64>, Query, description = "How many records to return (1 to 500, default 50).", minimum = 1, maximum = 500),
        ("offset" = Option<i64>, Query, description = "How many to skip (default 0).", minimum = 0)),
    responses((status = 200, body = WorkflowList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_workflows(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<WorkflowList>, ApiError> {
    let reader = ctx.reader();
    // The cached model holds the workflows this reader may see.
    let model = crate::model::load(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    let all: Vec<Workflow> = model
        .workflows
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (ws, next_offset) = page.finish(all);
    Ok(Json(WorkflowList {
        workflows: ws.into_iter().map(WorkflowDto::from).collect(),
        next_offset,
    }))
}

/// Find one workflow.
#[utoipa::path(get, path = "/api/v1/workflows/{id}", operation_id = "find_workflow", tag = "workflows",
    params(("id" = i64, Path, description = "Workflow id")),
    responses((status = 200, body = WorkflowDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let w = visible(&state, &ctx, id).await?;
    Ok(with_etag(StatusCode::OK, w.version, WorkflowDto::from(w)))
}

/// Add a workflow. Two decision owners, a missing owner or two stages of one name are refused
/// with 422, naming the field.
#[utoipa::path(post, path = "/api/v1/workflows", operation_id = "create_workflow", tag = "workflows", request_body = WorkflowBody,
    responses((status = 201, body = WorkflowDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<WorkflowBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let c = caller(&ctx);
    let input = body.input();
    validated(wops::parse(&state, &c, &input).await, body.date_shapes())?;
    let w = wops::create(&state, &c, &input).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        w.version,
        WorkflowDto::from(w),
    ))
}

/// Replace a workflow. Every save is kept as a revision. Send `If-Match` with the ETag you
/// read to avoid overwriting someone else's change.
#[utoipa::path(put, path = "/api/v1/workflows/{id}", operation_id = "update_workflow", tag = "workflows", request_body = WorkflowBody,
    params(("id" = i64, Path, description = "Workflow id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = WorkflowDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WorkflowBody>,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let c = caller(&ctx);
    let input = body.input();
    validated(wops::parse(&state, &c, &input).await, body.date_shapes())?;
    let expected = if_match(&headers)?;
    let w = wops::update(&state, &c, id, expected, &input).await?;
    Ok(with_etag(StatusCode::OK, w.version, WorkflowDto::from(w)))
}

/// Remove a workflow and all its work items.
#[utoipa::path(delete, path = "/api/v1/workflows/{id}", operation_id = "delete_workflow", tag = "workflows",
    params(("id" = i64, Path, description = "Workflow id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_workflow(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
