//! /api/v1/leads: leads from the CRM, one at a time or in bulk, idempotent by the CRM's record
//! id (per source system). Both go through the same staging and publish as a file import.

use super::{with_etag, ApiJson, ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use keel_domain::lead::spend::amount;
use keel_domain::lead::{Lead, LeadDraft, LeadInput, Qualification};
use keel_domain::Invalid;
use keel_store::LeadFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Leads one bulk request may carry.
pub const MAX_BULK: usize = 1000;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/leads", list_leads)
        .post("/api/v1/leads", create_lead)
        .post("/api/v1/leads/bulk", create_leads)
        .get("/api/v1/leads/{id}", find_lead)
}

/// A lead from the CRM and what sales said about it.
#[derive(Serialize, ToSchema)]
pub struct LeadDto {
    pub id: i64,
    /// The system the record id belongs to, like hubspot or salesforce.
    #[schema(example = "hubspot")]
    pub source_system: String,
    /// The CRM's record id.
    #[schema(example = "5120034")]
    pub external_id: String,
    /// YYYY-MM-DD.
    #[schema(example = "2026-03-12")]
    pub created: String,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub campaign: Option<String>,
    pub offer: Option<String>,
    pub channel: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub lead_status: Option<String>,
    pub owner: Option<String>,
    /// pending, accepted or rejected.
    #[schema(example = "pending")]
    pub qualification: String,
    pub disqualification_reason: Option<String>,
    pub objection: Option<String>,
    pub pipeline_cents: Option<i64>,
    pub won_cents: Option<i64>,
    /// When sales last gave feedback in keel (unix seconds).
    pub feedback_at: Option<i64>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

impl From<Lead> for LeadDto {
    fn from(l: Lead) -> Self {
        LeadDto {
            id: l.id,
            source_system: l.source_system,
            external_id: l.external_id,
            created: l.created.to_string(),
            source: l.source,
            source_detail: l.source_detail,
            campaign: l.campaign,
            offer: l.offer,
            channel: l.channel,
            lifecycle_stage: l.lifecycle_stage,
            lead_status: l.lead_status,
            owner: l.owner,
            qualification: l.qualification.as_str().into(),
            disqualification_reason: l.disqualification_reason,
            objection: l.objection,
            pipeline_cents: l.pipeline_cents,
            won_cents: l.won_cents,
            feedback_at: l.feedback_at,
            version: l.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LeadList {
    pub leads: Vec<LeadDto>,
    /// How many leads match the filter.
    pub total: i64,
    pub next_offset: Option<i64>,
}

/// Filters and paging of the lead list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    /// pending, accepted or rejected (empty: any).
    #[param(pattern = "^(pending|accepted|rejected|)$")]
    pub qualification: Option<String>,
    pub source: Option<String>,
    pub offer: Option<String>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A lead as the CRM knows it. Sending the same record id (in the same source system) again
/// updates that lead; fields left out are cleared, except qualification, reason and objection,
/// which keep what sales said when left out.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct LeadBody {
    /// Default: api.
    #[serde(default)]
    #[schema(example = "hubspot", pattern = "^[A-Za-z0-9-]{1,40}$")]
    pub source_system: Option<String>,
    #[schema(example = "5120034", min_length = 1, max_length = 200)]
    pub external_id: String,
    #[schema(example = "2026-03-12", format = Date)]
    pub created: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub source: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub source_detail: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub campaign: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub offer: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub channel: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub lifecycle_stage: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub lead_status: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub owner: Option<String>,
    #[serde(default)]
    #[schema(example = "accepted", pattern = "^(pending|accepted|rejected)$")]
    pub qualification: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub disqualification_reason: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub objection: Option<String>,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub pipeline_cents: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub won_cents: Option<i64>,
}

fn cents(v: Option<i64>, field: &str, e: &mut Invalid) -> String {
    match v {
        Some(c) if c < 0 => {
            e.push(field, "An amount cannot be negative.");
            String::new()
        }
        Some(c) => amount(c),
        None => String::new(),
    }
}

impl LeadBody {
    /// Parses the body; field names in errors carry `prefix` (for bulk: `leads[3].`).
    fn draft(&self, prefix: &str) -> Result<LeadDraft, Invalid> {
        let mut pre = Invalid::new();
        if self
            .qualification
            .as_deref()
            .is_some_and(|q| q.trim().is_empty())
        {
            pre.push("qualification", "Qualification is pending, accepted or rejected; leave it out when the CRM does not say.");
        }
        let input = LeadInput {
            external_id: self.external_id.clone(),
            created: self.created.clone(),
            source: self.source.clone().unwrap_or_default(),
            source_detail: self.source_detail.clone().unwrap_or_default(),
            campaign: self.campaign.clone().unwrap_or_default(),
            offer: self.offer.clone().unwrap_or_default(),
            channel: self.channel.clone().unwrap_or_default(),
            lifecycle_stage: self.lifecycle_stage.clone().unwrap_or_default(),
            lead_status: self.lead_status.clone().unwrap_or_default(),
            owner: self.owner.clone().unwrap_or_default(),
            qualification: self.qualification.clone().unwrap_or_default(),
            disqualification_reason: self.disqualification_reason.clone().unwrap_or_default(),
            objection: self.objection.clone().unwrap_or_default(),
            pipeline_amount: cents(self.pipeline_cents, "pipeline_cents", &mut pre),
            won_amount: cents(self.won_cents, "won_cents", &mut pre),
        };
        let parsed = input.parse(self.source_system.as_deref().unwrap_or("api"));
        let mut all = match parsed {
            Ok(d) if pre.is_empty() => return Ok(d),
            Ok(_) => Invalid::new(),
            Err(e) => e,
        };
        all.errors.extend(pre.errors);
        for f in &mut all.errors {
            f.field = match f.field.as_str() {
                "pipeline_amount" => "pipeline_cents".into(),
                "won_amount" => "won_cents".into(),
                other => other.to_string(),
            };
            f.field = format!("{prefix}{}", f.field);
        }
        Err(all)
    }
}

/// Leads sent together.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadsBody {
    /// 1 to 1000 leads.
    #[schema(min_items = 1, max_items = 1000)]
    pub leads: Vec<LeadBody>,
}

/// What a bulk upsert did.
#[derive(Serialize, ToSchema)]
pub struct UpsertCounts {
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
}

/// List leads, newest first, optionally filtered.
#[utoipa::path(get, path = "/api/v1/leads", operation_id = "list_leads", tag = "leads", params(LeadQuery),
    responses((status = 200, body = LeadList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_leads(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiQuery(q): ApiQuery<LeadQuery>,
) -> Result<Json<LeadList>, ApiError> {
    ctx.require_leads()?;
    let limit = q.limit.unwrap_or(50);
    let offset = q.offset.unwrap_or(0);
    if !(1..=500).contains(&limit) || offset < 0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "limit is 1 to 500 and offset 0 or more.",
        ));
    }
    let qualification = match q.qualification.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(
            Qualification::parse(s)
                .map_err(|m| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", m))?,
        ),
        None => None,
    };
    let f = LeadFilter {
        qualification,
        source: q.source,
        offer: q.offer,
        limit: limit + 1,
        offset,
    };
    let mut leads = state.store.list_leads(ctx.ws_id, &f).await?;
    let total = state.store.count_leads(ctx.ws_id, &f).await?;
    let more = leads.len() as i64 > limit;
    leads.truncate(limit as usize);
    Ok(Json(LeadList {
        leads: leads.into_iter().map(LeadDto::from).collect(),
        total,
        next_offset: more.then_some(offset.saturating_add(limit)),
    }))
}

/// Find one lead.
#[utoipa::path(get, path = "/api/v1/leads/{id}", operation_id = "find_lead", tag = "leads",
    params(("id" = i64, Path, description = "Lead id")),
    responses((status = 200, body = LeadDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_lead(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    let l = state
        .store
        .find_lead(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(with_etag(StatusCode::OK, l.version, LeadDto::from(l)))
}

/// Create or update one lead by its CRM record id: 201 when it is new, 200 when it existed.
#[utoipa::path(post, path = "/api/v1/leads", operation_id = "create_lead", tag = "leads", request_body = LeadBody,
    responses((status = 200, body = LeadDto, headers(("ETag" = String))), (status = 201, body = LeadDto, headers(("ETag" = String))),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_lead(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<LeadBody>,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    let d = body.draft("")?;
    let c = state
        .store
        .upsert_leads(ctx.ws_id, std::slice::from_ref(&d), Some(ctx.user_id))
        .await?;
    let l = state
        .store
        .find_lead_by_external(ctx.ws_id, &d.source_system, &d.external_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let status = if c.inserted > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(with_etag(status, l.version, LeadDto::from(l)))
}

/// Create or update up to 1000 leads at once, by CRM record id. All are checked first: one
/// invalid lead stores none (the error names it, like `leads[3].created`).
#[utoipa::path(post, path = "/api/v1/leads/bulk", operation_id = "create_leads", tag = "leads", request_body = LeadsBody,
    responses((status = 200, body = UpsertCounts), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_leads(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<LeadsBody>,
) -> Result<Json<UpsertCounts>, ApiError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    if body.leads.is_empty() || body.leads.len() > MAX_BULK {
        return Err(Invalid::one("leads", format!("Send 1 to {MAX_BULK} leads at a time.")).into());
    }
    let mut errors = Invalid::new();
    let mut drafts = Vec::with_capacity(body.leads.len());
    for (i, l) in body.leads.iter().enumerate() {
        match l.draft(&format!("leads[{i}].")) {
            Ok(d) => drafts.push(d),
            Err(e) => errors.errors.extend(e.errors),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let c = state
        .store
        .upsert_leads(ctx.ws_id, &drafts, Some(ctx.user_id))
        .await?;
    Ok(Json(UpsertCounts {
        inserted: c.inserted,
        updated: c.updated,
        unchanged: c.unchanged,
    }))
}
