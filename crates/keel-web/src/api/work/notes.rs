//! A work item's links and comments: `/api/v1/work/{id}/web-links` and `/comments`. Reading needs
//! the item in the caller's view; adding needs the right to work on it (a viewer adds nothing,
//! a partner only on its own work); removing names the version read (`If-Match`).

use super::dto::ApiPath2;
use crate::api::workflows::caller;
use crate::api::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::work_notes as wnotes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::work::notes::LinkInput;
use keel_store::{WorkComment, WorkWebLink};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A web link of a work item: where the work lives (the brief, the draft, the landing page).
#[derive(Serialize, ToSchema)]
pub struct WorkWebLinkDto {
    pub id: i64,
    /// Send it back in If-Match to remove the link.
    pub version: i64,
    pub title: String,
    /// An http or https address.
    pub url: String,
    /// RFC 3339.
    pub created_at: String,
}

impl From<WorkWebLink> for WorkWebLinkDto {
    fn from(l: WorkWebLink) -> Self {
        WorkWebLinkDto {
            id: l.id,
            version: l.version,
            title: l.title,
            url: l.url,
            created_at: crate::time_fmt::rfc3339(l.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkWebLinkList {
    /// Oldest first.
    pub web_links: Vec<WorkWebLinkDto>,
}

/// A web link to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebLinkBody {
    #[schema(min_length = 1, max_length = 160, example = "Campaign brief")]
    pub title: String,
    /// An http or https address with a site name.
    #[schema(
        max_length = 2000,
        pattern = r#"^\s*[hH][tT][tT][pP][sS]?://[^/?#@:.\s"<>`\u0000-\u001F\u007F-\u009F][^\s"<>`\u0000-\u001F\u007F-\u009F]*\s*$"#
    )]
    pub url: String,
}

/// A comment of a work item.
#[derive(Serialize, ToSchema)]
pub struct WorkCommentDto {
    pub id: i64,
    /// Send it back in If-Match to remove the comment.
    pub version: i64,
    /// Who wrote it: their person's name, else their account's.
    pub author: Option<String>,
    /// The person who wrote it, when their account is linked to one.
    pub author_id: Option<i64>,
    /// Markdown.
    pub body: String,
    /// The people the comment names with `@` and their full name; each sees it under My work.
    pub mentions: Vec<i64>,
    /// RFC 3339.
    pub created_at: String,
}

impl From<WorkComment> for WorkCommentDto {
    fn from(c: WorkComment) -> Self {
        WorkCommentDto {
            id: c.id,
            version: c.version,
            author: c.author,
            author_id: c.author_id,
            body: c.body,
            mentions: c.mentions,
            created_at: crate::time_fmt::rfc3339(c.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkCommentList {
    /// Oldest first.
    pub comments: Vec<WorkCommentDto>,
}

/// A comment to add. Name a person with `@` and their full name ("@Ana Lopez"): only people
/// you see can be named.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    /// Markdown, line breaks allowed, not blank.
    #[schema(
        min_length = 1,
        max_length = 5000,
        example = "@Ana Lopez the draft is ready for your review.",
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub body: String,
}

/// The web links of a work item.
#[utoipa::path(get, path = "/api/v1/work/{id}/web-links", operation_id = "list_work_web_links", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkWebLinkList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_work_web_links(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkWebLinkList>, ApiError> {
    let links = wnotes::web_links(&state, &caller(&ctx), &ctx.reader(), id).await?;
    Ok(Json(WorkWebLinkList {
        web_links: links.into_iter().map(Into::into).collect(),
    }))
}

/// Add a web link to a work item. An address that is not http or https (`javascript:`, `data:`)
/// is refused with 422 naming `url`.
#[utoipa::path(post, path = "/api/v1/work/{id}/web-links", operation_id = "create_work_web_link", tag = "work", request_body = WebLinkBody,
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 201, body = WorkWebLinkDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_work_web_link(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<WebLinkBody>,
) -> Result<Response, ApiError> {
    let input = LinkInput {
        title: body.title,
        url: body.url,
    };
    let l = wnotes::add_web_link(&state, &caller(&ctx), &ctx.reader(), id, &input).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        l.version,
        WorkWebLinkDto::from(l),
    ))
}

/// Remove a web link of a work item.
#[utoipa::path(delete, path = "/api/v1/work/{id}/web-links/{link}", operation_id = "delete_work_web_link", tag = "work",
    params(("id" = i64, Path, description = "Work item id"), ("link" = i64, Path, description = "Link id"),
        ("If-Match" = Option<String>, Header, description = "ETag (version) of the link you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_work_web_link(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath2(id, link): ApiPath2,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let c = caller(&ctx);
    let reader = ctx.reader();
    // Who may not see or change the item learns nothing from the header first.
    crate::ops::work::workable(&state, &c, &reader, id).await?;
    let expected = if_match(&headers)?;
    wnotes::remove_web_link(&state, &c, &reader, id, link, expected).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The comments of a work item, oldest first.
#[utoipa::path(get, path = "/api/v1/work/{id}/comments", operation_id = "list_work_comments", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkCommentList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_work_comments(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkCommentList>, ApiError> {
    let comments = wnotes::comments(&state, &caller(&ctx), &ctx.reader(), id).await?;
    Ok(Json(WorkCommentList {
        comments: comments.into_iter().map(Into::into).collect(),
    }))
}

/// Comment on a work item. The people it names (`@` and their full name) see it under My work.
#[utoipa::path(post, path = "/api/v1/work/{id}/comments", operation_id = "create_work_comment", tag = "work", request_body = CommentBody,
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 201, body = WorkCommentDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_work_comment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<CommentBody>,
) -> Result<Response, ApiError> {
    let cm = wnotes::add_comment(&state, &caller(&ctx), &ctx.reader(), id, &body.body).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        cm.version,
        WorkCommentDto::from(cm),
    ))
}

/// Remove a comment: its author may, and so may an owner or admin.
#[utoipa::path(delete, path = "/api/v1/work/{id}/comments/{comment}", operation_id = "delete_work_comment", tag = "work",
    params(("id" = i64, Path, description = "Work item id"), ("comment" = i64, Path, description = "Comment id"),
        ("If-Match" = Option<String>, Header, description = "ETag (version) of the comment you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_work_comment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath2(id, comment): ApiPath2,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let c = caller(&ctx);
    let reader = ctx.reader();
    crate::ops::work::workable(&state, &c, &reader, id).await?;
    let expected = if_match(&headers)?;
    wnotes::remove_comment(&state, &c, &reader, id, comment, expected).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
