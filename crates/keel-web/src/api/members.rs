//! /api/v1/members and /api/v1/invites

use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::invites::{self, Inviter};
use crate::routes::Routes;
use crate::time_fmt::{now, rfc3339};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::Role;
use keel_store::{Invite, Member};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/members", list_members)
        .put("/api/v1/members/{id}", update_member)
        .delete("/api/v1/members/{id}", delete_member)
        .get("/api/v1/invites", list_invites)
        .post("/api/v1/invites", create_invite)
        .delete("/api/v1/invites/{id}", delete_invite)
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    /// The membership's version: send it back as `If-Match` to change or remove it.
    pub version: i64,
}

impl From<Member> for MemberDto {
    fn from(m: Member) -> Self {
        MemberDto {
            user_id: m.user_id,
            name: m.name,
            email: m.email,
            role: m.role.as_str().into(),
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberList {
    pub members: Vec<MemberDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    #[schema(pattern = "^(owner|admin|member|partner|viewer)$")]
    pub role: String,
}

fn require_sees_all(ctx: &ApiCtx) -> Result<(), ApiError> {
    if ctx.role.sees_everything() {
        Ok(())
    } else {
        Err(ApiError::forbidden("Partners do not see the member list."))
    }
}

/// List the workspace's members and their roles.
#[utoipa::path(get, path = "/api/v1/members", operation_id = "list_members", tag = "members",
    responses((status = 200, body = MemberList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_members(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<MemberList>, ApiError> {
    require_sees_all(&ctx)?;
    let members = state.store.list_members(ctx.ws_id).await?;
    Ok(Json(MemberList {
        members: members.into_iter().map(MemberDto::from).collect(),
    }))
}

async fn find(state: &AppState, ctx: &ApiCtx, user_id: i64) -> Result<Member, ApiError> {
    require_sees_all(ctx).map_err(|_| ApiError::not_found())?;
    state
        .store
        .find_member(ctx.ws_id, user_id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Change a member's role. Only owners make or change owners; a workspace keeps one owner.
#[utoipa::path(put, path = "/api/v1/members/{id}", operation_id = "update_member", tag = "members", request_body = MemberBody,
    params(("id" = i64, Path, description = "User id of the member"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 200, body = MemberDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_member(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MemberBody>,
) -> Result<Response, ApiError> {
    let member = find(&state, &ctx, id).await?;
    ctx.require_manage()?;
    let role = Role::parse(&body.role)
        .map_err(|m| ApiError::from(keel_domain::Invalid::one("role", m)))?;
    if !ctx.role.may_grant(role) || !ctx.role.may_grant(member.role) {
        return Err(ApiError::forbidden(
            "Only an owner can make or change owners.",
        ));
    }
    let expected = if_match(&headers)?;
    state
        .store
        .set_member_role(ctx.ws_id, id, expected, role)
        .await?;
    let m = find(&state, &ctx, id).await?;
    Ok(with_etag(StatusCode::OK, m.version, MemberDto::from(m)))
}

/// Remove a member from the workspace.
#[utoipa::path(delete, path = "/api/v1/members/{id}", operation_id = "delete_member", tag = "members",
    params(("id" = i64, Path, description = "User id of the member"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_member(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let member = find(&state, &ctx, id).await?;
    ctx.require_manage()?;
    if !ctx.role.may_grant(member.role) {
        return Err(ApiError::forbidden("Only an owner can remove an owner."));
    }
    let expected = if_match(&headers)?;
    state.store.remove_member(ctx.ws_id, id, expected).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct InviteDto {
    pub id: i64,
    pub role: String,
    /// Only this address may use the link, when set.
    pub email: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    /// pending or expired.
    pub status: String,
    /// The link to send, present only in the answer that created the invitation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Whether keel emailed the link to `email`, present only in the answer that created the
    /// invitation: false when it names no address, keel has no SMTP settings or the mail
    /// server did not take it (the link works all the same).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emailed: Option<bool>,
}

fn invite_dto(i: Invite, link: Option<String>) -> InviteDto {
    let status = if i.expires_at <= now() {
        "expired"
    } else {
        "pending"
    };
    InviteDto {
        id: i.id,
        role: i.role.as_str().into(),
        email: i.email,
        created_at: rfc3339(i.created_at),
        expires_at: rfc3339(i.expires_at),
        status: status.into(),
        link,
        emailed: None,
    }
}

#[derive(Serialize, ToSchema)]
pub struct InviteList {
    pub invites: Vec<InviteDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    #[schema(pattern = "^(owner|admin|member|partner|viewer)$")]
    pub role: String,
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: Option<String>,
}

/// Open (unused) invitations.
#[utoipa::path(get, path = "/api/v1/invites", operation_id = "list_invites", tag = "members",
    responses((status = 200, body = InviteList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_invites(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<InviteList>, ApiError> {
    ctx.require_manage()?;
    let invites = state.store.list_invites(ctx.ws_id).await?;
    Ok(Json(InviteList {
        invites: invites.into_iter().map(|i| invite_dto(i, None)).collect(),
    }))
}

/// Create a single-use invitation link that expires; the link is in this answer only.
#[utoipa::path(post, path = "/api/v1/invites", operation_id = "create_invite", tag = "members", request_body = InviteBody,
    responses((status = 201, body = InviteDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_invite(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<InviteBody>,
) -> Result<Response, ApiError> {
    ctx.require_manage()?;
    let (role, email) = crate::grants::parse_invite(
        ctx.role,
        &body.role,
        body.email.as_deref().unwrap_or_default(),
    )?;
    let ws = state
        .store
        .find_workspace_by_slug(&ctx.ws_slug)
        .await?
        .ok_or(ApiError::not_found())?;
    let me = state
        .store
        .find_user(ctx.user_id)
        .await?
        .ok_or(ApiError::not_found())?;
    let by = Inviter {
        user_id: me.id,
        name: &me.name,
        email: &me.email,
    };
    let c = invites::create(&state, &ws, &by, role, email.as_deref()).await?;
    let mut dto = invite_dto(c.invite, Some(c.link));
    dto.emailed = Some(c.emailed.sent());
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}

/// Withdraw an invitation; its link stops working.
#[utoipa::path(delete, path = "/api/v1/invites/{id}", operation_id = "delete_invite", tag = "members",
    params(("id" = i64, Path, description = "Invitation id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_invite(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    state
        .store
        .find_invite(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    ctx.require_manage()?;
    state.store.delete_invite(ctx.ws_id, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
