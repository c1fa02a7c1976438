//! /api/v1/offers

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::strategy as ops;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::health::Model;
use keel_domain::offer::{Offer, OfferDraft, OfferInput};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/offers", list_offers)
        .post("/api/v1/offers", create_offer)
        .get("/api/v1/offers/{id}", find_offer)
        .put("/api/v1/offers/{id}", update_offer)
        .delete("/api/v1/offers/{id}", delete_offer)
}

/// What leads convert on.
#[derive(Serialize, ToSchema)]
pub struct OfferDto {
    pub id: i64,
    #[schema(example = "ROI assessment")]
    pub name: String,
    /// demo, trial, guide, webinar, assessment, consultation or other.
    #[schema(example = "assessment")]
    pub kind: String,
    /// The segment or persona it is for.
    pub audience: Option<String>,
    /// The internal person accountable for it.
    pub owner_id: Option<i64>,
    /// planned, active or retired.
    #[schema(example = "active")]
    pub status: String,
    /// The channels that carry it (those the caller sees).
    pub channel_ids: Vec<i64>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

impl From<Offer> for OfferDto {
    fn from(o: Offer) -> Self {
        OfferDto {
            id: o.id,
            name: o.name,
            kind: o.kind.as_str().into(),
            audience: o.audience,
            owner_id: o.owner_id,
            status: o.status.as_str().into(),
            channel_ids: o.channel_ids,
            version: o.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OffersList {
    /// By name.
    pub offers: Vec<OfferDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about an offer. The owner must be internal and the channels the
/// workspace's own.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBody {
    #[schema(min_length = 1, max_length = 120, example = "ROI assessment")]
    pub name: String,
    #[schema(
        example = "assessment",
        pattern = "^(demo|trial|guide|webinar|assessment|consultation|other)$"
    )]
    pub kind: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub audience: Option<String>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[schema(example = "active", pattern = "^(planned|active|retired)$")]
    pub status: String,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub channel_ids: Vec<i64>,
}

impl OfferBody {
    fn input(&self) -> OfferInput {
        OfferInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            audience: self.audience.clone().unwrap_or_default(),
            owner_id: self.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            status: self.status.clone(),
            channel_ids: self.channel_ids.iter().map(|i| i.to_string()).collect(),
        }
    }
}

async fn view(state: &AppState, ctx: &ApiCtx) -> Result<Arc<Model>, ApiError> {
    Ok(ops::view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

fn visible(m: &Model, id: i64) -> Result<Offer, ApiError> {
    m.offers
        .iter()
        .find(|o| o.id == id)
        .cloned()
        .ok_or_else(ApiError::not_found)
}

/// List the offers the caller may see.
#[utoipa::path(get, path = "/api/v1/offers", operation_id = "list_offers", tag = "offers", params(Paging),
    responses((status = 200, body = OffersList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_offers(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<OffersList>, ApiError> {
    let m = view(&state, &ctx).await?;
    let items = m
        .offers
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (items, next_offset) = page.finish(items);
    Ok(Json(OffersList {
        offers: items.into_iter().map(OfferDto::from).collect(),
        next_offset,
    }))
}

/// Find one offer.
#[utoipa::path(get, path = "/api/v1/offers/{id}", operation_id = "find_offer", tag = "offers",
    params(("id" = i64, Path, description = "Offer id")),
    responses((status = 200, body = OfferDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_offer(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let o = visible(&m, id)?;
    Ok(with_etag(StatusCode::OK, o.version, OfferDto::from(o)))
}

/// Add an offer.
#[utoipa::path(post, path = "/api/v1/offers", operation_id = "create_offer", tag = "offers", request_body = OfferBody,
    responses((status = 201, body = OfferDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_offer(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<OfferBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let d = OfferDraft::parse(&body.input(), &m)?;
    let o = state.store.create_offer(ctx.ws_id, &d).await?;
    Ok(with_etag(StatusCode::CREATED, o.version, OfferDto::from(o)))
}

/// Replace an offer. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/offers/{id}", operation_id = "update_offer", tag = "offers", request_body = OfferBody,
    params(("id" = i64, Path, description = "Offer id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = OfferDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_offer(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<OfferBody>,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    ctx.require_edit()?;
    let d = OfferDraft::parse(&body.input(), &m)?;
    let expected = if_match(&headers)?;
    let o = state
        .store
        .update_offer(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, o.version, OfferDto::from(o)))
}

/// Remove an offer.
#[utoipa::path(delete, path = "/api/v1/offers/{id}", operation_id = "delete_offer", tag = "offers",
    params(("id" = i64, Path, description = "Offer id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_offer(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    visible(&m, id)?;
    ctx.require_edit()?;
    state
        .store
        .delete_offer(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
