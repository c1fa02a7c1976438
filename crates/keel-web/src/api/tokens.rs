//! /api/v1/tokens

use super::{ApiJson, ApiPath};
use crate::auth::secret;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::time_fmt::rfc3339;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_store::ApiToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/tokens", list_tokens)
        .post("/api/v1/tokens", create_token)
        .delete("/api/v1/tokens/{id}", delete_token)
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub user_id: i64,
    pub created_at: String,
    pub revoked: bool,
    /// The secret itself: present only in the answer that created it. keel keeps a hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

fn dto(t: ApiToken, token: Option<String>) -> TokenDto {
    TokenDto {
        id: t.id,
        name: t.name,
        role: t.role.as_str().into(),
        user_id: t.user_id,
        created_at: rfc3339(t.created_at),
        revoked: t.revoked_at.is_some(),
        token,
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    #[schema(min_length = 1, max_length = 80, example = "CRM sync")]
    pub name: String,
    #[schema(pattern = "^(admin|member|partner|viewer)$")]
    pub role: String,
}

/// Your API tokens in this workspace (admins: everyone's).
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "list_tokens", tag = "tokens",
    responses((status = 200, body = TokenList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<TokenList>, ApiError> {
    let only = if ctx.role.can_manage() {
        None
    } else {
        Some(ctx.user_id)
    };
    let tokens = state.store.list_tokens(ctx.ws_id, only).await?;
    Ok(Json(TokenList {
        tokens: tokens.into_iter().map(|t| dto(t, None)).collect(),
    }))
}

/// Create a token with your role or a lower one; the secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "create_token", tag = "tokens", request_body = TokenBody,
    responses((status = 201, body = TokenDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_token(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<Response, ApiError> {
    let (name, role) = crate::grants::parse_token(ctx.role, &body.name, &body.role)?;
    let token = secret::generate_token();
    let t = state
        .store
        .create_token(ctx.ws_id, ctx.user_id, &name, &secret::digest(&token), role)
        .await?;
    Ok((StatusCode::CREATED, Json(dto(t, Some(token)))).into_response())
}

/// Revoke a token; scripts using it are refused from now on.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "delete_token", tag = "tokens",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_token(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let t = state
        .store
        .find_token(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if t.user_id != ctx.user_id && !ctx.role.can_manage() {
        return Err(ApiError::not_found());
    }
    if t.revoked_at.is_none() {
        state.store.revoke_token(ctx.ws_id, id).await?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
