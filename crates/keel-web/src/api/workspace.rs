//! /api/v1/workspace: who the caller is, where; /api/v1/settings: the workspace's time zone.

use crate::api::{if_match, with_etag, ApiJson};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use keel_domain::{Invalid, Zone};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/workspace", find_workspace)
        .get("/api/v1/settings", find_settings)
        .put("/api/v1/settings", update_settings)
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The caller's role here: owner, admin, member, partner or viewer.
    pub role: String,
    pub user_id: i64,
    /// The workspace's IANA time zone: dates you send and read are days on its calendar.
    pub time_zone: String,
}

/// The workspace the caller acts in, and their role there.
#[utoipa::path(get, path = "/api/v1/workspace", operation_id = "find_workspace", tag = "workspace",
    responses((status = 200, body = WorkspaceDto), (status = 401, body = ErrorEnvelope)))]
pub async fn find_workspace(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<WorkspaceDto>, ApiError> {
    let zone = state.store.zone_of(ctx.ws_id).await?;
    Ok(Json(WorkspaceDto {
        id: ctx.ws_id.0,
        slug: ctx.ws_slug,
        name: ctx.ws_name,
        role: ctx.role.as_str().into(),
        user_id: ctx.user_id,
        time_zone: zone.name(),
    }))
}

/// The workspace's settings.
#[derive(Serialize, ToSchema)]
pub struct Settings {
    /// IANA time zone name, e.g. `America/Los_Angeles`. "Today", overdue work, the day a launch
    /// is recorded on and the dates you type are the workspace's, in this zone.
    pub time_zone: String,
    /// Today in that zone, YYYY-MM-DD.
    #[schema(format = Date)]
    pub today: String,
    pub version: i64,
}

/// A change to the workspace's settings.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// IANA time zone name, e.g. `Europe/Berlin`.
    #[schema(min_length = 1, max_length = 64, example = "America/Los_Angeles")]
    pub time_zone: String,
}

fn settings(time_zone: &str, version: i64) -> Settings {
    let zone = Zone::stored(time_zone);
    Settings {
        today: crate::time_fmt::today(&zone).to_string(),
        time_zone: zone.name(),
        version,
    }
}

/// The workspace's time zone and today's date there.
#[utoipa::path(get, path = "/api/v1/settings", operation_id = "find_settings", tag = "workspace",
    responses((status = 200, body = Settings, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope)))]
pub async fn find_settings(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Response, ApiError> {
    let ws = state
        .store
        .find_workspace_by_slug(&ctx.ws_slug)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(with_etag(
        StatusCode::OK,
        ws.version,
        settings(&ws.time_zone, ws.version),
    ))
}

/// Set the workspace's time zone (owners and admins). Send `If-Match` with the ETag you read;
/// a name that is no IANA time zone answers 422 naming `time_zone`.
#[utoipa::path(put, path = "/api/v1/settings", operation_id = "update_settings", tag = "workspace", request_body = SettingsBody,
    params(("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = Settings, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_settings(
    State(state): State<AppState>,
    ctx: ApiCtx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SettingsBody>,
) -> Result<Response, ApiError> {
    ctx.require_manage()?;
    let zone = Zone::parse(&body.time_zone).map_err(|m| Invalid::one("time_zone", m))?;
    let expected = if_match(&headers)?;
    let ws = state
        .store
        .set_time_zone(ctx.ws_id, expected, &zone)
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        ws.version,
        settings(&ws.time_zone, ws.version),
    ))
}
