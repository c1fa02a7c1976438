//! /api/v1/functions

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::{Function, FunctionDraft, FunctionInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/functions", list_functions)
        .post("/api/v1/functions", create_function)
        .get("/api/v1/functions/{id}", find_function)
        .put("/api/v1/functions/{id}", update_function)
        .delete("/api/v1/functions/{id}", delete_function)
}

/// A marketing function with its business owner (decides) and execution owner (does).
#[derive(Serialize, ToSchema)]
pub struct FunctionDto {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    /// internal, external or hybrid.
    pub sourcing: String,
    pub business_owner_id: Option<i64>,
    pub execution_owner_id: Option<i64>,
    /// Estimated execution effort per week, in hours.
    pub weekly_hours: f64,
    pub version: i64,
}

impl From<Function> for FunctionDto {
    fn from(f: Function) -> Self {
        FunctionDto {
            id: f.id,
            name: f.name,
            description: f.description,
            sourcing: f.sourcing.as_str().into(),
            business_owner_id: f.business_owner_id,
            execution_owner_id: f.execution_owner_id,
            weekly_hours: f.weekly_hours,
            version: f.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FunctionList {
    pub functions: Vec<FunctionDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about a function. The business owner must be an internal person.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionBody {
    #[schema(min_length = 1, max_length = 120, example = "Acquisition")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[schema(example = "hybrid", pattern = "^(internal|external|hybrid)$")]
    pub sourcing: String,
    #[serde(default)]
    pub business_owner_id: Option<i64>,
    #[serde(default)]
    pub execution_owner_id: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 200)]
    pub weekly_hours: f64,
}

impl FunctionBody {
    fn input(&self) -> FunctionInput {
        let id = |o: Option<i64>| o.map(|i| i.to_string()).unwrap_or_default();
        FunctionInput {
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            sourcing: self.sourcing.clone(),
            business_owner_id: id(self.business_owner_id),
            execution_owner_id: id(self.execution_owner_id),
            weekly_hours: self.weekly_hours.to_string(),
        }
    }
}

async fn draft(
    state: &AppState,
    ctx: &ApiCtx,
    body: &FunctionBody,
) -> Result<FunctionDraft, ApiError> {
    let people = state.store.list_people(ctx.ws_id).await?;
    Ok(FunctionDraft::parse(&body.input(), &people)?)
}

async fn visible(state: &AppState, ctx: &ApiCtx, id: i64) -> Result<Function, ApiError> {
    let f = state
        .store
        .find_function(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !ctx.reader().can_see_function(&f) {
        return Err(ApiError::not_found());
    }
    Ok(f)
}

/// List the functions of the workspace, a page at a time.
#[utoipa::path(get, path = "/api/v1/functions", operation_id = "list_functions", tag = "functions", params(Paging),
    responses((status = 200, body = FunctionList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_functions(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<FunctionList>, ApiError> {
    let reader = ctx.reader();
    let fs = if reader.role.sees_everything() {
        state
            .store
            .list_functions_page(ctx.ws_id, page.fetch(), page.offset())
            .await?
    } else {
        let all = reader.functions(state.store.list_functions(ctx.ws_id).await?);
        all.into_iter()
            .skip(page.offset() as usize)
            .take(page.fetch() as usize)
            .collect()
    };
    let (fs, next_offset) = page.finish(fs);
    Ok(Json(FunctionList {
        functions: fs.into_iter().map(FunctionDto::from).collect(),
        next_offset,
    }))
}

/// Find one function.
#[utoipa::path(get, path = "/api/v1/functions/{id}", operation_id = "find_function", tag = "functions",
    params(("id" = i64, Path, description = "Function id")),
    responses((status = 200, body = FunctionDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_function(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let f = visible(&state, &ctx, id).await?;
    Ok(with_etag(StatusCode::OK, f.version, FunctionDto::from(f)))
}

/// Add a function.
#[utoipa::path(post, path = "/api/v1/functions", operation_id = "create_function", tag = "functions", request_body = FunctionBody,
    responses((status = 201, body = FunctionDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_function(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<FunctionBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let d = draft(&state, &ctx, &body).await?;
    let f = state.store.create_function(ctx.ws_id, &d).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        f.version,
        FunctionDto::from(f),
    ))
}

/// Replace a function's details and owners.
#[utoipa::path(put, path = "/api/v1/functions/{id}", operation_id = "update_function", tag = "functions", request_body = FunctionBody,
    params(("id" = i64, Path, description = "Function id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = FunctionDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_function(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<FunctionBody>,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let d = draft(&state, &ctx, &body).await?;
    let expected = if_match(&headers)?;
    let f = state
        .store
        .update_function(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, f.version, FunctionDto::from(f)))
}

/// Remove a function.
#[utoipa::path(delete, path = "/api/v1/functions/{id}", operation_id = "delete_function", tag = "functions",
    params(("id" = i64, Path, description = "Function id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_function(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_function(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
