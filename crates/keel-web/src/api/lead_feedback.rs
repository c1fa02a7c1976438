//! /api/v1/leads/{id}/feedback and /api/v1/leads/feedback: sales accepts or rejects leads.
//! Viewers may (the sales lead usually is one); partners do not see leads at all.

use super::leads::LeadDto;
use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use keel_domain::lead::Feedback;
use keel_domain::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/v1/leads/{id}/feedback", give_lead_feedback)
        .post("/api/v1/leads/feedback", give_leads_feedback)
}

/// Sales' judgement of a lead. A rejection needs a reason from the list:
/// Not our ideal customer profile, No budget, No need or project, Too small, Wrong region,
/// Student or job seeker, Competitor, Duplicate, Bad contact data, Spam.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    #[schema(example = "rejected", pattern = "^(pending|accepted|rejected)$")]
    pub qualification: String,
    #[serde(default)]
    #[schema(example = "No budget", max_length = 500)]
    pub reason: Option<String>,
    /// What the lead objected to, in words.
    #[serde(default)]
    #[schema(example = "Wants a monthly plan", max_length = 500)]
    pub objection: Option<String>,
}

impl FeedbackBody {
    fn parse(&self) -> Result<Feedback, Invalid> {
        Feedback::parse(
            &self.qualification,
            self.reason.as_deref().unwrap_or_default(),
            self.objection.as_deref().unwrap_or_default(),
        )
    }
}

/// Feedback on one lead of a bulk request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackItem {
    pub id: i64,
    /// The version you saw (the lead's ETag); a lead changed since answers 412 and nothing
    /// is recorded.
    pub version: i64,
    #[schema(example = "accepted", pattern = "^(pending|accepted|rejected)$")]
    pub qualification: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub objection: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBatch {
    /// 1 to 1000 judgements.
    #[schema(min_items = 1, max_items = 1000)]
    pub feedback: Vec<FeedbackItem>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedbackDone {
    pub leads: Vec<LeadDto>,
}

/// Accept or reject one lead. `If-Match` (the ETag you read) is required, so a judgement
/// never overwrites one you have not seen.
#[utoipa::path(post, path = "/api/v1/leads/{id}/feedback", operation_id = "give_lead_feedback", tag = "leads", request_body = FeedbackBody,
    params(("id" = i64, Path, description = "Lead id"), ("If-Match" = String, Header, description = "ETag of the version you judged")),
    responses((status = 200, body = LeadDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn give_lead_feedback(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<FeedbackBody>,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    state
        .store
        .find_lead(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let fb = body.parse()?;
    let l = state
        .store
        .give_feedback(
            ctx.ws_id,
            id,
            Some(if_match(&headers)?),
            &fb,
            Some(ctx.user_id),
        )
        .await?;
    Ok(with_etag(StatusCode::OK, l.version, LeadDto::from(l)))
}

/// Accept or reject up to 1000 leads at once: all are recorded, or none (an invalid item, an
/// unknown lead or a stale version).
#[utoipa::path(post, path = "/api/v1/leads/feedback", operation_id = "give_leads_feedback", tag = "leads", request_body = FeedbackBatch,
    responses((status = 200, body = FeedbackDone), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn give_leads_feedback(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<FeedbackBatch>,
) -> Result<Json<FeedbackDone>, ApiError> {
    ctx.require_leads()?;
    if body.feedback.is_empty() || body.feedback.len() > super::leads::MAX_BULK {
        return Err(Invalid::one("feedback", "Send 1 to 1000 judgements at a time.").into());
    }
    let mut errors = Invalid::new();
    let mut items = Vec::with_capacity(body.feedback.len());
    for (i, f) in body.feedback.iter().enumerate() {
        match Feedback::parse(
            &f.qualification,
            f.reason.as_deref().unwrap_or_default(),
            f.objection.as_deref().unwrap_or_default(),
        ) {
            Ok(fb) => items.push((f.id, Some(f.version), fb)),
            Err(e) => errors.errors.extend(e.errors.into_iter().map(|mut x| {
                x.field = format!("feedback[{i}].{}", x.field);
                x
            })),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let leads = state
        .store
        .give_feedback_many(ctx.ws_id, &items, Some(ctx.user_id))
        .await?;
    Ok(Json(FeedbackDone {
        leads: leads.into_iter().map(LeadDto::from).collect(),
    }))
}
