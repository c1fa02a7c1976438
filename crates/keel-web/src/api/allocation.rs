//! Resource allocation (`/api/v1/resource-allocation`): where the team's hours and budget go,
//! by channel and by priority, computed by `keel_domain::allocation` once per loaded model
//! (`model::StrategyFigures`) for the API and the Strategy page's table.

use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use keel_domain::allocation::Row;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/resource-allocation", find_resource_allocation)
}

/// A channel, a priority, or (`id` null) the work linked to none.
#[derive(Serialize, ToSchema)]
pub struct AllocationRowDto {
    pub id: Option<i64>,
    pub name: String,
    /// The channel's or the priority's status; null on the "none" row.
    pub status: Option<String>,
    /// Work items linked to it (cancelled work is not counted).
    pub items: usize,
    /// Estimated hours of that work.
    pub hours: f64,
    /// Percent of all counted hours; null when no work carries an estimate.
    pub share: Option<f64>,
    /// Budget per month: an active or testing channel's own; a priority's share of the
    /// channels' budgets, split by the hours of each channel's work linked to it.
    pub monthly_budget: f64,
    /// A priority's planned hours a week; null on channel rows.
    pub weekly_hours: Option<f64>,
}

impl From<&Row> for AllocationRowDto {
    fn from(r: &Row) -> Self {
        AllocationRowDto {
            id: r.id,
            name: r.name.clone(),
            status: r.status.map(str::to_string),
            items: r.items,
            hours: r.hours,
            share: r.share,
            monthly_budget: r.monthly_budget,
            weekly_hours: r.weekly_hours,
        }
    }
}

/// Where hours and budget go: every channel (the most hours first, then the work in no
/// channel) and every priority not done or stopped (by rank, then the work serving none,
/// with the budget of channels that have no work).
#[derive(Serialize, ToSchema)]
pub struct ResourceAllocationDto {
    pub items: usize,
    pub hours: f64,
    /// The monthly budgets of the active and testing channels.
    pub monthly_budget: f64,
    pub by_channel: Vec<AllocationRowDto>,
    pub by_priority: Vec<AllocationRowDto>,
}

/// Resource allocation: the hours of the work and the channels' budgets by channel and by
/// priority. The team's figure: a partner gets 404.
#[utoipa::path(get, path = "/api/v1/resource-allocation", operation_id = "find_resource_allocation", tag = "strategy",
    responses((status = 200, body = ResourceAllocationDto), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_resource_allocation(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<ResourceAllocationDto>, ApiError> {
    if !ctx.role.sees_everything() {
        return Err(ApiError::not_found());
    }
    let figures = crate::model::strategy_figures(&state, ctx.ws_id, ctx.data_version).await?;
    let a = &figures.allocation;
    Ok(Json(ResourceAllocationDto {
        items: a.items,
        hours: a.hours,
        monthly_budget: a.monthly_budget,
        by_channel: a.by_channel.iter().map(Into::into).collect(),
        by_priority: a.by_priority.iter().map(Into::into).collect(),
    }))
}
