//! /api/v1/reviews: reviews held and running, each with its generated agenda (weekly,
//! monthly, quarterly: `review::agenda`, the same function as the review page), notes per
//! agenda item, and the close with the attendees' ratings. The close follows the page's
//! rules: `review::close_refusal` (at least one outcome), then the store's one conditional
//! UPDATE, so of two closes at once one answers 409 with the reason.

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::reviews as ops;
use crate::ops::strategy::{today, view};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::health::Model;
use keel_domain::review::{
    self, agenda, close_refusal, CloseInput, Evidence, Kind, NoteInput, Review, ReviewStatus,
};
use keel_domain::Invalid;
use keel_store::{Closing, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/reviews", list_reviews)
        .post("/api/v1/reviews", start_review)
        .get("/api/v1/reviews/{id}", find_review)
        .get("/api/v1/reviews/{id}/minutes", find_review_minutes)
        .put("/api/v1/reviews/{id}/notes", update_review_notes)
        .post("/api/v1/reviews/{id}/close", close_review)
}

/// Reviews and decisions are the team's: a partner's view holds none, so they answer 404.
pub fn require_reviews(ctx: &ApiCtx) -> Result<(), ApiError> {
    if ctx.role.sees_reviews() {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

pub async fn model(state: &AppState, ctx: &ApiCtx) -> Result<Arc<Model>, ApiError> {
    require_reviews(ctx)?;
    Ok(view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

/// What an agenda item or a decision points at, with its name and its page.
#[derive(Serialize, ToSchema)]
pub struct EvidenceDto {
    /// metric, work, workflow, priority, channel, objective or decision.
    #[schema(example = "metric")]
    pub kind: String,
    pub id: i64,
    /// Its name, as the caller sees it.
    pub label: String,
    /// Its page in the web app.
    #[schema(example = "/w/acme/metrics/12")]
    pub path: String,
}

pub fn evidence(m: &Model, slug: &str, e: Evidence) -> EvidenceDto {
    EvidenceDto {
        kind: e.kind.as_str().into(),
        id: e.id,
        label: agenda::label(m, e),
        path: format!("/w/{slug}{}", ops::href(e)),
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoteDto {
    /// The agenda item (section key) the notes are on.
    #[schema(example = "blocked")]
    pub section: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct RatingDto {
    pub person_id: i64,
    /// 1 (wasted time) to 10 (changed what we do).
    pub rating: i64,
}

/// A review as stored.
#[derive(Serialize, ToSchema)]
pub struct ReviewDto {
    pub id: i64,
    /// weekly, monthly or quarterly.
    #[schema(example = "weekly")]
    pub kind: String,
    /// The day it is held (YYYY-MM-DD).
    pub date: String,
    /// open or closed.
    pub status: String,
    pub facilitator_id: Option<i64>,
    pub attendee_ids: Vec<i64>,
    pub notes: Vec<NoteDto>,
    /// Given by the attendees at the close.
    pub ratings: Vec<RatingDto>,
    /// The attendees' average rating, one decimal.
    pub average_rating: Option<f64>,
    /// The ids of the decisions recorded in it (its outcomes).
    pub decision_ids: Vec<i64>,
    /// What its agenda raised when it closed (blocked or late work, off-track metrics).
    pub topics: Vec<EvidenceDto>,
    pub version: i64,
}

pub fn review_dto(m: &Model, slug: &str, r: &Review) -> ReviewDto {
    ReviewDto {
        id: r.id,
        kind: r.kind.as_str().into(),
        date: r.date.to_string(),
        status: r.status.as_str().into(),
        facilitator_id: r.facilitator_id,
        attendee_ids: r.attendee_ids.clone(),
        notes: r
            .notes
            .iter()
            .map(|(section, text)| NoteDto {
                section: section.clone(),
                text: text.clone(),
            })
            .collect(),
        ratings: r
            .ratings
            .iter()
            .map(|(p, v)| RatingDto {
                person_id: *p,
                rating: *v as i64,
            })
            .collect(),
        average_rating: r.average_rating(),
        decision_ids: review::decisions_of(&m.decisions, r.id)
            .iter()
            .map(|d| d.id)
            .collect(),
        topics: r.topics.iter().map(|e| evidence(m, slug, *e)).collect(),
        version: r.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgendaItemDto {
    pub text: String,
    /// A short badge: "past due", "new", "off target"…
    pub flag: Option<String>,
    /// The question the review should answer about it (the diagnosis question).
    pub question: Option<String>,
    pub evidence: Vec<EvidenceDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaSectionDto {
    /// The key notes are kept under.
    #[schema(example = "blocked")]
    pub key: String,
    pub title: String,
    pub intro: Option<String>,
    /// The first 20 items, worst first.
    pub items: Vec<AgendaItemDto>,
    /// How many more the section holds (listed in full by the work list or the decision log).
    pub more: usize,
}

/// The generated agenda: sections with nothing in them are left out.
#[derive(Serialize, ToSchema)]
pub struct AgendaDto {
    pub kind: String,
    /// The day it is generated for (YYYY-MM-DD).
    pub on: String,
    /// The previous closed review of this kind: what "since" means.
    pub since: Option<String>,
    pub sections: Vec<AgendaSectionDto>,
}

fn agenda_dto(m: &Model, slug: &str, a: &agenda::Agenda) -> AgendaDto {
    AgendaDto {
        kind: a.kind.as_str().into(),
        on: a.on.to_string(),
        since: a.since.map(|d| d.to_string()),
        sections: a
            .sections
            .iter()
            .map(|s| AgendaSectionDto {
                key: s.key.into(),
                title: s.title.into(),
                intro: s.intro.map(String::from),
                items: s
                    .items
                    .iter()
                    .map(|i| AgendaItemDto {
                        text: i.text.clone(),
                        flag: i.flag.map(String::from),
                        question: i.question.map(String::from),
                        evidence: i.evidence.iter().map(|e| evidence(m, slug, *e)).collect(),
                    })
                    .collect(),
                more: s.more,
            })
            .collect(),
    }
}

/// One review with its agenda and outcomes.
#[derive(Serialize, ToSchema)]
pub struct ReviewDetail {
    pub review: ReviewDto,
    /// An open review's agenda, generated from today's data on every read; `null` once
    /// closed (a closed review keeps its notes, topics and outcomes instead).
    pub agenda: Option<AgendaDto>,
    /// The decisions recorded in it.
    pub decisions: Vec<super::decisions::DecisionDto>,
}

fn detail(m: &Model, slug: &str, r: &Review) -> ReviewDetail {
    let day = today(m);
    ReviewDetail {
        review: review_dto(m, slug, r),
        agenda: (r.status == ReviewStatus::Open)
            .then(|| agenda_dto(m, slug, &agenda::agenda(r.kind, m, r.date))),
        decisions: review::decisions_of(&m.decisions, r.id)
            .into_iter()
            .map(|d| super::decisions::dto(m, slug, d, day))
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewList {
    /// Newest first.
    pub reviews: Vec<ReviewDto>,
    pub next_offset: Option<i64>,
}

/// List the reviews, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/reviews", operation_id = "list_reviews", tag = "reviews", params(Paging),
    responses((status = 200, body = ReviewList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<ReviewList>, ApiError> {
    let m = model(&state, &ctx).await?;
    let items: Vec<&Review> = m
        .reviews
        .iter()
        .rev()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .collect();
    let (items, next_offset) = page.finish(items);
    Ok(Json(ReviewList {
        reviews: items
            .into_iter()
            .map(|r| review_dto(&m, &ctx.ws_slug, r))
            .collect(),
        next_offset,
    }))
}

/// Find one review. An open one comes with its agenda, generated from the data as it is now.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", operation_id = "find_review", tag = "reviews",
    params(("id" = i64, Path, description = "Review id")),
    responses((status = 200, body = ReviewDetail, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_review(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let r = ops::review(&m, id).ok_or_else(ApiError::not_found)?;
    Ok(with_etag(
        StatusCode::OK,
        r.version,
        detail(&m, &ctx.ws_slug, &r),
    ))
}

/// Markdown text (a body that is not JSON).
#[derive(ToSchema)]
#[schema(value_type = String)]
pub struct MarkdownText(String);

/// A review's minutes as Markdown: who met, the agenda (open) or the notes and what it
/// raised (closed), the ratings and the decisions, as the printable minutes page shows them.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/minutes", operation_id = "find_review_minutes", tag = "reviews",
    params(("id" = i64, Path, description = "Review id")),
    responses((status = 200, description = "The minutes as Markdown", content_type = "text/markdown", body = MarkdownText),
        (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_review_minutes(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let r = ops::review(&m, id).ok_or_else(ApiError::not_found)?;
    let text = MarkdownText(review::minutes::minutes(&m, &r).markdown());
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/markdown; charset=utf-8",
        )],
        text.0,
    )
        .into_response())
}

/// Start a review.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartReviewBody {
    #[schema(pattern = "^(weekly|monthly|quarterly)$", example = "weekly")]
    pub kind: String,
}

/// Start this period's review of a kind, today, with its cadence's facilitator and
/// attendees: 201. When one of that kind is already open this week (month, quarter), it is
/// the one answered, with 200.
#[utoipa::path(post, path = "/api/v1/reviews", operation_id = "start_review", tag = "reviews", request_body = StartReviewBody,
    responses((status = 201, body = ReviewDetail, headers(("ETag" = String))), (status = 200, body = ReviewDetail, headers(("ETag" = String))),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn start_review(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<StartReviewBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    ctx.require_edit()?;
    let kind = Kind::parse(&body.kind)
        .ok()
        .filter(|_| body.kind.trim() == body.kind)
        .ok_or_else(|| Invalid::one("kind", "Choose weekly, monthly or quarterly."))?;
    let (r, created) =
        ops::start(&state.store, ctx.ws_id, &m, kind, today(&m), ctx.person_id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(with_etag(status, r.version, detail(&m, &ctx.ws_slug, &r)))
}

/// Notes on one agenda item; an empty text removes them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The agenda section's key, as the review's agenda names it.
    #[schema(example = "blocked")]
    pub section: String,
    #[serde(default)]
    #[schema(max_length = 8000)]
    pub text: String,
}

/// Notes per agenda item, saved together in one version step. Sections not named keep
/// their notes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewNotesBody {
    #[schema(min_items = 1, max_items = 16)]
    pub notes: Vec<NoteBody>,
}

/// Save notes per agenda item on an open review. Send `If-Match` with the review's ETag.
#[utoipa::path(put, path = "/api/v1/reviews/{id}/notes", operation_id = "update_review_notes", tag = "reviews", request_body = ReviewNotesBody,
    params(("id" = i64, Path, description = "Review id"), ("If-Match" = Option<String>, Header, description = "ETag of the review you read")),
    responses((status = 200, body = ReviewDetail, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_review_notes(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReviewNotesBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    ops::review(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    let mut notes = Vec::new();
    let mut inv = Invalid::new();
    for (i, n) in body.notes.iter().enumerate() {
        let parsed = NoteInput {
            section: n.section.clone(),
            text: n.text.clone(),
        }
        .parse();
        match parsed {
            Ok(x) if n.section.trim() == n.section => notes.push(x),
            Ok(_) => inv.push(
                &format!("notes[{i}].section"),
                "Choose an agenda item to add notes to.",
            ),
            Err(e) => {
                for f in e.errors {
                    inv.push(&format!("notes[{i}].{}", f.field), f.message);
                }
            }
        }
    }
    if !inv.errors.is_empty() {
        return Err(inv.into());
    }
    let r = state
        .store
        .save_review_notes(ctx.ws_id, id, if_match(&headers)?, &notes)
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        r.version,
        detail(&m, &ctx.ws_slug, &r),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// An attendee of the review.
    pub person_id: i64,
    /// 1 (wasted time) to 10 (changed what we do).
    #[schema(minimum = 1, maximum = 10)]
    pub rating: i64,
}

/// The close: the attendees' ratings (each attendee at most once; none is fine).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseReviewBody {
    #[serde(default)]
    #[schema(max_items = 100)]
    pub ratings: Vec<RatingBody>,
}

/// Close a review with the attendees' ratings. Refused (409, with the reason) while it has no
/// outcome (record a decision, "no change" with its reason included) and when it is closed
/// already: of two closes at once exactly one succeeds. Send `If-Match` with the review's ETag.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/close", operation_id = "close_review", tag = "reviews", request_body = CloseReviewBody,
    params(("id" = i64, Path, description = "Review id"), ("If-Match" = Option<String>, Header, description = "ETag of the review you read")),
    responses((status = 200, body = ReviewDetail, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn close_review(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CloseReviewBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let r = ops::review(&m, id).ok_or_else(ApiError::not_found)?;
    ctx.require_edit()?;
    let expected = if_match(&headers)?;
    let input = CloseInput {
        ratings: body
            .ratings
            .iter()
            .map(|x| (x.person_id.to_string(), x.rating.to_string()))
            .collect(),
    };
    let ratings = input.parse(&r)?;
    if let Some(why) = close_refusal(&r, review::decisions_of(&m.decisions, id).len()) {
        return Err(ApiError::new(StatusCode::CONFLICT, "conflict", why));
    }
    let a = agenda::agenda(r.kind, &m, r.date);
    let closing = Closing {
        ratings: &ratings,
        raised: &a.topics(),
        checked: &a.decisions_checked(),
        by_user: Some(ctx.user_id),
    };
    let closed = match state
        .store
        .close_review(ctx.ws_id, id, expected, &closing)
        .await
    {
        Ok(c) => c,
        // Closed by someone else since this request read the model: the reason, not a version.
        Err(StoreError::Conflict(msg)) => {
            return Err(ApiError::new(StatusCode::CONFLICT, "conflict", msg))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(with_etag(
        StatusCode::OK,
        closed.version,
        detail(&m, &ctx.ws_slug, &closed),
    ))
}
