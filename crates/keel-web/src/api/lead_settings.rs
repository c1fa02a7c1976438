//! /api/v1/lead-settings: the workspace's lead-quality thresholds, in whole percents and days
//! as the Lead-quality thresholds page shows them, and its sales-sourced lead sources;
//! `GET /api/v1/lead-quality` judges by them.

use super::{if_match, with_etag, ApiJson};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keel_domain::lead::settings::{LeadSettings, LeadSettingsDraft};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/lead-settings", find_lead_settings)
        .put("/api/v1/lead-settings", update_lead_settings)
}

/// The thresholds lead quality is judged by.
#[derive(Serialize, ToSchema)]
pub struct LeadSettingsDto {
    /// A source × offer pair is a poor fit when even the top of its acceptance rate's 95%
    /// interval is below this percent.
    #[schema(example = 40)]
    pub poor_fit_below_percent: u32,
    /// The percent of leads each CRM field should be set on.
    #[schema(example = 90)]
    pub completeness_bar_percent: u32,
    /// Leads pending sales feedback for longer than this many days are a health finding.
    #[schema(example = 14)]
    pub pending_days: i64,
    /// Lead sources that are sales' own, one per line: pipeline from every other source
    /// counts as marketing's in `pipeline_contribution`.
    #[schema(example = "Outbound prospecting")]
    pub sales_sources: String,
    /// False until the workspace first sets them (keel's defaults apply).
    pub customised: bool,
    /// 0 until first set; send it back in If-Match.
    pub version: i64,
}

impl From<&LeadSettings> for LeadSettingsDto {
    fn from(s: &LeadSettings) -> Self {
        LeadSettingsDto {
            poor_fit_below_percent: (s.poor_fit_below * 100.0).round() as u32,
            completeness_bar_percent: (s.completeness_bar * 100.0).round() as u32,
            pending_days: s.pending_days,
            sales_sources: s.sales_sources.join("\n"),
            customised: s.version > 0,
            version: s.version,
        }
    }
}

/// New thresholds: whole percents and days.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadSettingsBody {
    #[schema(minimum = 1, maximum = 99, example = 40)]
    pub poor_fit_below_percent: i64,
    #[schema(minimum = 1, maximum = 100, example = 90)]
    pub completeness_bar_percent: i64,
    #[schema(minimum = 1, maximum = 365, example = 14)]
    pub pending_days: i64,
    /// Lead sources that are sales' own, one per line or separated by commas, as the CRM
    /// writes them; left out: none.
    #[serde(default)]
    #[schema(
        max_length = 500,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$",
        example = "Outbound prospecting"
    )]
    pub sales_sources: String,
}

/// The workspace's lead-quality thresholds.
#[utoipa::path(get, path = "/api/v1/lead-settings", operation_id = "find_lead_settings", tag = "leads",
    responses((status = 200, body = LeadSettingsDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_lead_settings(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    let s = state.store.lead_settings(ctx.ws_id).await?;
    Ok(with_etag(
        StatusCode::OK,
        s.version,
        LeadSettingsDto::from(&s),
    ))
}

/// Set the workspace's lead-quality thresholds. Send `If-Match` with the ETag you read (`"0"`
/// before they were first set).
#[utoipa::path(put, path = "/api/v1/lead-settings", operation_id = "update_lead_settings", tag = "leads", request_body = LeadSettingsBody,
    params(("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = LeadSettingsDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_lead_settings(
    State(state): State<AppState>,
    ctx: ApiCtx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LeadSettingsBody>,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    // The domain reads what a person typed, as the form does.
    let d = LeadSettingsDraft::parse(
        &body.poor_fit_below_percent.to_string(),
        &body.completeness_bar_percent.to_string(),
        &body.pending_days.to_string(),
        &body.sales_sources,
    )?;
    let expected = if_match(&headers)?;
    let s = state
        .store
        .set_lead_settings(ctx.ws_id, expected, &d)
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        s.version,
        LeadSettingsDto::from(&s),
    ))
}
