//! /api/v1/spend: what each channel or campaign cost per month.

use super::lead_quality::MonthsQuery;
use super::{if_match, ApiJson, ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::lead::month_label;
use keel_domain::lead::spend::{amount, SpendDraft};
use keel_domain::Invalid;
use keel_store::Spend;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/spend", list_spend)
        .post("/api/v1/spend", set_spend)
        .delete("/api/v1/spend/{id}", delete_spend)
        .post("/api/v1/spend/import", import_spend)
}

/// A table of spend as text: CSV, or tab-separated as copied from a spreadsheet.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendCsvBody {
    /// A header row naming a `month` (YYYY-MM) and an `amount` column and a `channel` and/or
    /// `campaign` column; then one line per month and channel or campaign, at most 5000
    /// (80,000 characters: any such text fits in the largest request keel takes).
    /// Comma, semicolon or tab separated.
    #[schema(
        example = "month,channel,campaign,amount\n2026-03,Paid search,,2500\n2026-03,Events,Spring fair,12000\n",
        max_length = 80000
    )]
    pub csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct SpendImported {
    /// Spend records set (created or replaced).
    pub saved: usize,
}

/// Set spend from a CSV table, all or nothing: any bad line sets none, and the error names
/// every bad line (field `csv`, messages like `Line 4, month "March": …`).
#[utoipa::path(post, path = "/api/v1/spend/import", operation_id = "import_spend", tag = "leads", request_body = SpendCsvBody,
    responses((status = 200, body = SpendImported), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn import_spend(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<SpendCsvBody>,
) -> Result<Json<SpendImported>, ApiError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    let rows = keel_import::spend::parse(body.csv.as_bytes())
        .map_err(|errors| keel_import::table::invalid(&errors, "csv"))?;
    let saved = state.store.set_spend_many(ctx.ws_id, &rows).await?;
    Ok(Json(SpendImported { saved }))
}

#[derive(Serialize, ToSchema)]
pub struct SpendDto {
    pub id: i64,
    #[schema(example = "2026-03")]
    pub month: String,
    /// '' when the spend is for a campaign only.
    pub channel: String,
    /// '' when the spend is for a whole channel.
    pub campaign: String,
    pub amount_cents: i64,
    pub version: i64,
}

impl From<Spend> for SpendDto {
    fn from(s: Spend) -> Self {
        SpendDto {
            id: s.id,
            month: month_label(s.month),
            channel: s.channel,
            campaign: s.campaign,
            amount_cents: s.amount_cents,
            version: s.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SpendList {
    pub spend: Vec<SpendDto>,
}

/// The spend of a channel and/or campaign in a month; sending it again replaces the amount.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendBody {
    #[schema(
        example = "2026-03",
        pattern = "^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])$"
    )]
    pub month: String,
    #[serde(default)]
    #[schema(example = "Paid search", max_length = 500)]
    pub channel: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub campaign: Option<String>,
    #[schema(minimum = 0, example = 250000)]
    pub amount_cents: i64,
}

/// List spend records, newest month first.
#[utoipa::path(get, path = "/api/v1/spend", operation_id = "list_spend", tag = "leads", params(MonthsQuery),
    responses((status = 200, body = SpendList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_spend(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiQuery(q): ApiQuery<MonthsQuery>,
) -> Result<Json<SpendList>, ApiError> {
    ctx.require_leads()?;
    let spend = state.store.list_spend(ctx.ws_id, q.months()?).await?;
    Ok(Json(SpendList {
        spend: spend.into_iter().map(SpendDto::from).collect(),
    }))
}

/// Set the spend of a channel and/or campaign in a month (creates or replaces it).
#[utoipa::path(post, path = "/api/v1/spend", operation_id = "set_spend", tag = "leads", request_body = SpendBody,
    responses((status = 200, body = SpendDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn set_spend(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<SpendBody>,
) -> Result<Json<SpendDto>, ApiError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    if body.month.trim() != body.month {
        return Err(Invalid::one("month", "Enter the month as YYYY-MM, like 2026-03.").into());
    }
    let typed = if body.amount_cents < 0 {
        "-1".to_string()
    } else {
        amount(body.amount_cents)
    };
    let mut d = SpendDraft::parse(
        &body.month,
        body.channel.as_deref().unwrap_or_default(),
        body.campaign.as_deref().unwrap_or_default(),
        &typed,
    )
    .map_err(|mut e| {
        for f in &mut e.errors {
            if f.field == "amount" {
                f.field = "amount_cents".into();
                f.message = "The amount is a whole number of cents, 0 or more.".into();
            }
        }
        e
    })?;
    d.amount_cents = body.amount_cents;
    let s = state
        .store
        .set_spend(ctx.ws_id, d.month, &d.channel, &d.campaign, d.amount_cents)
        .await?;
    Ok(Json(SpendDto::from(s)))
}

/// Remove a spend record; `If-Match` (its version) is required.
#[utoipa::path(delete, path = "/api/v1/spend/{id}", operation_id = "delete_spend", tag = "leads",
    params(("id" = i64, Path, description = "Spend id"), ("If-Match" = String, Header, description = "The version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_spend(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    // A viewer learns nothing from 403 vs 404 here: spend ids are visible to viewers anyway.
    let known = state
        .store
        .list_spend(ctx.ws_id, Default::default())
        .await?;
    if !known.iter().any(|s| s.id == id) {
        return Err(ApiError::not_found());
    }
    ctx.require_edit()?;
    let expected = if_match(&headers)?;
    state
        .store
        .delete_spend(ctx.ws_id, id, Some(expected))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
