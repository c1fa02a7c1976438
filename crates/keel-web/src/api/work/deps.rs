//! Dependencies between work items: the items one waits for.

use super::dto::ApiPath2;
use crate::api::workflows::caller;
use crate::api::{ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::work as wops;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// The items this one waits for.
#[utoipa::path(get, path = "/api/v1/work/{id}/dependencies", operation_id = "list_work_dependencies", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkDependencyList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_work_dependencies(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkDependencyList>, ApiError> {
    let reader = ctx.reader();
    let out = wops::dependencies(&state, &caller(&ctx), &reader, id)
        .await?
        .into_iter()
        .map(|w| WorkDependency {
            blocked_by: w.id,
            title: w.title,
            status: w.status.as_str().into(),
        })
        .collect();
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
    let reader = ctx.reader();
    let on = wops::add_dependency(&state, &caller(&ctx), &reader, id, body.blocked_by).await?;
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
    let reader = ctx.reader();
    wops::remove_dependency(&state, &caller(&ctx), &reader, id, dep).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
