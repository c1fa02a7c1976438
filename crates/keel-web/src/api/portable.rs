//! /api/v1/export: the whole workspace as one JSON document (owners and admins), and
//! /api/v1/people/{id}/erase: a person's personal data erased (owners and admins).

use crate::api::people::{visible, PersonDto};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/export", export_workspace)
        .post("/api/v1/people/{id}/erase", erase_person)
}

/// The exported workspace (documentation of the shape; the body is `keel_store::Document`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ExportDocument {
    /// The document's format version; an import refuses a newer one.
    format: i64,
    /// The keel that wrote it.
    keel_version: String,
    workspace: ExportWorkspace,
    /// The accounts the workspace refers to (members, authors of history).
    users: Vec<ExportUser>,
    members: Vec<ExportMember>,
    /// Table name to its rows (column name to value), ids as this server holds them.
    #[schema(value_type = Object)]
    tables: BTreeMap<String, Vec<BTreeMap<String, serde_json::Value>>>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ExportWorkspace {
    slug: String,
    name: String,
    time_zone: String,
    created_at: i64,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ExportUser {
    id: i64,
    email: String,
    name: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ExportMember {
    user_id: i64,
    role: String,
    joined_at: i64,
}

/// The document as a download named after the workspace.
pub fn download(slug: &str, doc: &keel_store::Document) -> Response {
    let mut r = ([(header::CONTENT_TYPE, "application/json")], doc.to_bytes()).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"keel-{slug}.json\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The whole workspace as one versioned JSON document (owners and admins): people, functions,
/// workflows with their history, work with its events, strategy, metrics, leads and settings.
/// Import it with `keel import-workspace`, on this server or another.
#[utoipa::path(get, path = "/api/v1/export", operation_id = "export_workspace", tag = "workspace",
    responses((status = 200, body = ExportDocument), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn export_workspace(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Response, ApiError> {
    ctx.require_manage()?;
    let doc = state.store.export_workspace(ctx.ws_id).await?;
    Ok(download(&ctx.ws_slug, &doc))
}

/// What an erasure did.
#[derive(Serialize, ToSchema)]
pub struct ErasedDto {
    /// The person as they are now.
    pub person: PersonDto,
    /// Other records (notes, titles, leads, SOP texts) whose text named them.
    pub texts_changed: u64,
}

/// Erase a person's personal data (GDPR; owners and admins): their name becomes
/// "Erased person #id", their email, title and organization are removed, their account is
/// unlinked, and their name and email are removed from every text of the workspace. History
/// keeps its shape: their roles, work and events stay, under the new name. It cannot be undone.
#[utoipa::path(post, path = "/api/v1/people/{id}/erase", operation_id = "erase_person", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = ErasedDto), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn erase_person(
    State(state): State<AppState>,
    ctx: ApiCtx,
    crate::api::ApiPath(id): crate::api::ApiPath,
) -> Result<Json<ErasedDto>, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_manage()?;
    let erased = state.store.erase_person(ctx.ws_id, id).await?;
    let person = visible(&state, &ctx, id).await?;
    Ok(Json(ErasedDto {
        person: PersonDto::from(person),
        texts_changed: erased.texts,
    }))
}
