//! Strategic fit: a work item's links to the strategy (`/api/v1/work/{id}/links`) and the
//! share of work traced to an objective or priority (`/api/v1/strategic-fit`), computed by
//! `keel_domain::fit` like the Strategy page's section.

use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::api::workflows::caller;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::{strategy as ops, work as wops};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keel_domain::fit::{self, Fit, WorkLink, WorkLinkDraft, WorkLinkInput};
use keel_domain::health::Model;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/work/{id}/links", find_work_links)
        .put("/api/v1/work/{id}/links", update_work_links)
        .get("/api/v1/strategic-fit", find_strategic_fit)
        .put("/api/v1/strategic-fit/limit", update_untraced_limit)
}

/// What a work item serves: the objective or priority (either makes it traced), the channel
/// it runs in and the offer it carries.
#[derive(Serialize, ToSchema)]
pub struct WorkLinksDto {
    pub work_id: i64,
    pub objective_id: Option<i64>,
    pub priority_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub offer_id: Option<i64>,
    /// Linked to an objective or a priority.
    pub traced: bool,
    /// 0 until first saved; send it back in If-Match.
    pub version: i64,
}

impl From<WorkLink> for WorkLinksDto {
    fn from(l: WorkLink) -> Self {
        WorkLinksDto {
            traced: fit::traced(&l),
            work_id: l.work_id,
            objective_id: l.objective_id,
            priority_id: l.priority_id,
            channel_id: l.channel_id,
            offer_id: l.offer_id,
            version: l.version,
        }
    }
}

/// The links to set; a missing or null field is no link. With only `priority_id` the
/// objective is the priority's; an objective other than the priority's is refused (422).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkLinksBody {
    #[serde(default)]
    pub objective_id: Option<i64>,
    #[serde(default)]
    pub priority_id: Option<i64>,
    #[serde(default)]
    pub channel_id: Option<i64>,
    #[serde(default)]
    pub offer_id: Option<i64>,
}

impl WorkLinksBody {
    fn input(&self) -> WorkLinkInput {
        let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        WorkLinkInput {
            objective_id: s(self.objective_id),
            priority_id: s(self.priority_id),
            channel_id: s(self.channel_id),
            offer_id: s(self.offer_id),
        }
    }
}

async fn view(state: &AppState, ctx: &ApiCtx) -> Result<std::sync::Arc<Model>, ApiError> {
    Ok(ops::view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

/// The stored links of a work item the caller sees, naming only what the caller sees.
async fn stored(state: &AppState, ctx: &ApiCtx, m: &Model, id: i64) -> Result<WorkLink, ApiError> {
    wops::visible(state, &caller(ctx), &ctx.reader(), id).await?;
    let l = state
        .store
        .find_work_link(ctx.ws_id, id)
        .await?
        .unwrap_or(WorkLink {
            work_id: id,
            ..Default::default()
        });
    let keep = |v: Option<i64>, ok: &dyn Fn(i64) -> bool| v.filter(|x| ok(*x));
    Ok(WorkLink {
        objective_id: keep(l.objective_id, &|x| m.objectives.iter().any(|o| o.id == x)),
        priority_id: keep(l.priority_id, &|x| m.priorities.iter().any(|p| p.id == x)),
        channel_id: keep(l.channel_id, &|x| m.channels.iter().any(|c| c.id == x)),
        offer_id: keep(l.offer_id, &|x| m.offers.iter().any(|o| o.id == x)),
        ..l
    })
}

/// What a work item serves.
#[utoipa::path(get, path = "/api/v1/work/{id}/links", operation_id = "find_work_links", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkLinksDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_work_links(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    let l = stored(&state, &ctx, &m, id).await?;
    Ok(with_etag(StatusCode::OK, l.version, WorkLinksDto::from(l)))
}

/// Set what a work item serves. Send `If-Match` with the ETag you read (`"0"` before the
/// links were first saved).
#[utoipa::path(put, path = "/api/v1/work/{id}/links", operation_id = "update_work_links", tag = "work", request_body = WorkLinksBody,
    params(("id" = i64, Path, description = "Work item id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = WorkLinksDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_work_links(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WorkLinksBody>,
) -> Result<Response, ApiError> {
    let m = view(&state, &ctx).await?;
    stored(&state, &ctx, &m, id).await?;
    ctx.require_edit()?;
    let d = WorkLinkDraft::parse(&body.input(), &m)?;
    let expected = if_match(&headers)?;
    let l = state
        .store
        .set_work_links(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, l.version, WorkLinksDto::from(l)))
}

/// A work item traced to no objective or priority.
#[derive(Serialize, ToSchema)]
pub struct UntracedDto {
    pub work_id: i64,
    pub title: String,
    #[schema(example = "in_progress")]
    pub status: String,
    pub hours: f64,
}

/// The share of work traced to an objective or priority: open, launched and recently
/// finished work (cancelled work is left out), counted in items and in estimated hours.
#[derive(Serialize, ToSchema)]
pub struct StrategicFitDto {
    pub items: usize,
    pub traced_items: usize,
    pub hours: f64,
    pub traced_hours: f64,
    /// Percent of items traced; null with no work.
    pub item_share: Option<f64>,
    /// Percent of hours traced; null when no work carries an estimate.
    pub hour_share: Option<f64>,
    /// Percent untraced that the health rule judges (of hours, else of items).
    pub untraced_share: Option<f64>,
    /// The untraced share (percent) the workspace accepts.
    pub limit: u32,
    /// Whether the limit was set (else it is the default).
    pub limit_set: bool,
    pub over_limit: bool,
    /// Untraced work, the most hours first.
    pub untraced: Vec<UntracedDto>,
    /// The limit's version: send it back in If-Match to change it (0: never set).
    pub version: i64,
}

fn fit_dto(f: &Fit, set: bool, version: i64) -> StrategicFitDto {
    StrategicFitDto {
        untraced_share: f.untraced_share(),
        over_limit: f.over_limit(),
        items: f.items,
        traced_items: f.traced_items,
        hours: f.hours,
        traced_hours: f.traced_hours,
        item_share: f.item_share,
        hour_share: f.hour_share,
        limit: f.limit,
        limit_set: set,
        untraced: f
            .untraced
            .iter()
            .map(|u| UntracedDto {
                work_id: u.work_id,
                title: u.title.clone(),
                status: u.status.as_str().into(),
                hours: u.hours,
            })
            .collect(),
        version,
    }
}

/// Strategy is the team's: a partner's view holds none of it.
fn require_strategy(ctx: &ApiCtx) -> Result<(), ApiError> {
    if ctx.role.sees_everything() {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// Strategic fit: how much of the work traces to an objective or priority, and the
/// untraced work listed.
#[utoipa::path(get, path = "/api/v1/strategic-fit", operation_id = "find_strategic_fit", tag = "strategy",
    responses((status = 200, body = StrategicFitDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_strategic_fit(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Response, ApiError> {
    require_strategy(&ctx)?;
    let loaded = crate::model::loaded(&state, ctx.ws_id, ctx.data_version).await?;
    let m = &loaded.model;
    let dto = fit_dto(
        &loaded.strategy().fit,
        m.untraced_limit.is_some(),
        m.untraced_limit_version,
    );
    Ok(with_etag(StatusCode::OK, dto.version, dto))
}

/// The untraced share (percent of hours) the workspace accepts before the health check warns.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UntracedLimitBody {
    #[schema(minimum = 0, maximum = 100, example = 30)]
    pub limit: i64,
}

/// Set the share of untraced work the workspace accepts. Send `If-Match` with the ETag of
/// `GET /api/v1/strategic-fit` (`"0"` before the limit was first set).
#[utoipa::path(put, path = "/api/v1/strategic-fit/limit", operation_id = "update_untraced_limit", tag = "strategy", request_body = UntracedLimitBody,
    params(("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = StrategicFitDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_untraced_limit(
    State(state): State<AppState>,
    ctx: ApiCtx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<UntracedLimitBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let limit = fit::parse_limit(&body.limit.to_string())
        .map_err(|m| keel_domain::Invalid::one("limit", m))?;
    let expected = if_match(&headers)?;
    let stored = state
        .store
        .set_untraced_limit(ctx.ws_id, expected, limit)
        .await?;
    // Answer from the stored limit, not the cached view of before the change.
    let mut m = (*view(&state, &ctx).await?).clone();
    m.untraced_limit = Some(limit);
    let dto = fit_dto(&fit::strategic_fit(&m), true, stored.version);
    Ok(with_etag(StatusCode::OK, dto.version, dto))
}
