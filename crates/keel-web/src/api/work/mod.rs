//! /api/v1/work: work items moving through their workflow's stages and gates, with
//! checklists, approvals, history and dependencies.
//!
//! The routes and the items' own reads and writes are here; the wire types are in `dto`,
//! moves, checks, approvals and the gate in `moves`, the history in `events`, and the
//! dependencies between items in `deps`.

pub(super) mod deps;
mod dto;
pub(super) mod events;
pub(super) mod moves;
pub(super) mod notes;

use super::workflows::{caller, validated};
use super::{if_match, with_etag, ApiJson, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::{work as wops, work_notes as wnotes, OpError};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use deps::{create_work_dependency, delete_work_dependency, list_work_dependencies};
use dto::{ApiWorkQuery, NewWorkBody, WorkBody, WorkDto, WorkList, WorkQuery};
use events::list_work_events;
use keel_domain::work::{WorkDraft, WorkInput};
use keel_domain::Invalid;
use keel_store::WorkFilter;
use moves::{approve_work_stage, find_work_gate, move_work, set_work_check};

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
        .get("/api/v1/work/{id}/web-links", notes::list_work_web_links)
        .post("/api/v1/work/{id}/web-links", notes::create_work_web_link)
        .delete(
            "/api/v1/work/{id}/web-links/{link}",
            notes::delete_work_web_link,
        )
        .get("/api/v1/work/{id}/comments", notes::list_work_comments)
        .post("/api/v1/work/{id}/comments", notes::create_work_comment)
        .delete(
            "/api/v1/work/{id}/comments/{comment}",
            notes::delete_work_comment,
        )
}

/// The body's work item checked by the domain, with malformed dates reported alongside.
async fn check_work(
    state: &AppState,
    ctx: &ApiCtx,
    input: &WorkInput,
    dates: Invalid,
) -> Result<(), ApiError> {
    let people =
        crate::model::people_seen(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?;
    validated(
        WorkDraft::parse(input, &people).map_err(OpError::from),
        dates,
    )?;
    Ok(())
}

/// List work items, newest first unless sorted (`sort`, `dir`), a page at a time. A partner sees the items its person
/// executes or contributes to.
#[utoipa::path(get, path = "/api/v1/work", operation_id = "list_work", tag = "work", params(WorkQuery),
    responses((status = 200, body = WorkList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_work(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiWorkQuery(q, status, sort, descending): ApiWorkQuery,
) -> Result<Json<WorkList>, ApiError> {
    let reader = ctx.reader();
    let page = Paging {
        limit: q.limit,
        offset: q.offset,
    };
    let zone = crate::model::whole(&state, ctx.ws_id, ctx.data_version)
        .await?
        .zone
        .clone();
    let mut filter = WorkFilter {
        workflow_id: q.workflow_id,
        owner_id: q.owner_id,
        status,
        blocked_only: q.blocked.unwrap_or(false),
        overdue_before: q
            .overdue
            .unwrap_or(false)
            .then(|| crate::time_fmt::today(&zone)),
        sort,
        descending,
        limit: page.fetch(),
        offset: page.offset(),
        ..Default::default()
    };
    if !reader.role.sees_everything() {
        // No linked person: nothing is theirs (id 0 matches nobody).
        filter.involving = Some(reader.person_id.unwrap_or(0));
    }
    let items =
        (*crate::model::work_page(&state, ctx.ws_id, ctx.data_version, &filter).await?).clone();
    // Stage names come from every workflow: a partner may contribute to an item of a workflow
    // it has no role in, and still sees the item's stage.
    let model = crate::model::whole(&state, ctx.ws_id, ctx.data_version).await?;
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
    let reader = ctx.reader();
    let c = caller(&ctx);
    let (item, wf) = wops::visible(&state, &c, &reader, id).await?;
    let description = wnotes::description(&state, &c, &reader, id).await?;
    Ok(with_etag(
        StatusCode::OK,
        item.version,
        WorkDto::new(item, Some(&wf)).with_description(description),
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
    let mut wire = body.date_shapes();
    let description = body.description(&mut wire).unwrap_or_default();
    check_work(&state, &ctx, &input, wire).await?;
    let item = wops::create_described(
        &state,
        &caller(&ctx),
        &ctx.reader(),
        body.workflow_id,
        &input,
        &description,
    )
    .await?;
    let wf = state
        .store
        .find_workflow(ctx.ws_id, item.workflow_id)
        .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        item.version,
        WorkDto::new(item, wf.as_ref()).with_description(description),
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
    let reader = ctx.reader();
    let c = caller(&ctx);
    let (_, wf) = wops::workable(&state, &c, &reader, id).await?;
    let input = body.input();
    let mut wire = body.date_shapes();
    let description = body.description(&mut wire);
    check_work(&state, &ctx, &input, wire).await?;
    let expected = if_match(&headers)?;
    let item = wops::update_described(
        &state,
        &c,
        &reader,
        id,
        expected,
        &input,
        description.as_deref(),
    )
    .await?;
    let description = wnotes::description(&state, &c, &reader, id).await?;
    Ok(with_etag(
        StatusCode::OK,
        item.version,
        WorkDto::new(item, Some(&wf)).with_description(description),
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
    let reader = ctx.reader();
    wops::visible(&state, &caller(&ctx), &reader, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_work(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
