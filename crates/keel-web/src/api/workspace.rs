//! /api/v1/workspace: who the caller is, where.

use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/workspace", find_workspace)
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The caller's role here: owner, admin, member, partner or viewer.
    pub role: String,
    pub user_id: i64,
}

/// The workspace the caller acts in, and their role there.
#[utoipa::path(get, path = "/api/v1/workspace", operation_id = "find_workspace", tag = "workspace",
    responses((status = 200, body = WorkspaceDto), (status = 401, body = ErrorEnvelope)))]
pub async fn find_workspace(
    _: axum::extract::State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<WorkspaceDto>, ApiError> {
    Ok(Json(WorkspaceDto {
        id: ctx.ws_id,
        slug: ctx.ws_slug,
        name: ctx.ws_name,
        role: ctx.role.as_str().into(),
        user_id: ctx.user_id,
    }))
}
