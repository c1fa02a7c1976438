//! What a workflow was and how its work flows: its saved revisions, each with what changed,
//! and the flow figures over its work items.

use super::visible;
use crate::api::ApiPath;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use keel_domain::work::metrics::Figures;
use keel_domain::workflow::history;
use serde::Serialize;
use utoipa::ToSchema;

/// One field that differs from the previous version.
#[derive(Serialize, ToSchema)]
pub struct WorkflowChange {
    /// The field as the SOP labels it, e.g. "Purpose" or "Stages".
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One saved version of a workflow.
#[derive(Serialize, ToSchema)]
pub struct WorkflowRevisionDto {
    pub version: i64,
    /// RFC 3339.
    pub changed_at: String,
    /// The name of the member who saved it, when known.
    pub changed_by: Option<String>,
    /// What changed against the previous version; empty for the first.
    pub changes: Vec<WorkflowChange>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowRevisionList {
    /// Newest first.
    pub revisions: Vec<WorkflowRevisionDto>,
}

/// Flow figures over a workflow's work items.
#[derive(Serialize, ToSchema)]
pub struct WorkflowFigures {
    pub items: i64,
    /// Items that reached launch (launched or done since).
    pub launched: i64,
    /// Days from creation to launch, median over launched items.
    pub cycle_median_days: Option<f64>,
    /// Days from creation to launch that 80% of launched items stayed within.
    pub cycle_p80_days: Option<f64>,
    /// Share (0 to 1) of launched items with a planned launch that launched on time.
    pub on_time_rate: Option<f64>,
    /// Times work was sent back for revision, per item.
    pub revisions_per_item: Option<f64>,
    /// Days spent blocked in total, including blocks still going on.
    pub blocked_days: f64,
    /// Estimated hours of the items still open.
    pub open_hours: f64,
}

impl From<Figures> for WorkflowFigures {
    fn from(f: Figures) -> Self {
        WorkflowFigures {
            items: f.items as i64,
            launched: f.launched as i64,
            cycle_median_days: f.cycle_median_days,
            cycle_p80_days: f.cycle_p80_days,
            on_time_rate: f.on_time_rate,
            revisions_per_item: f.revisions_per_item,
            blocked_days: f.blocked_days,
            open_hours: f.open_hours,
        }
    }
}

/// Every saved version of a workflow, newest first, with what changed in each.
#[utoipa::path(get, path = "/api/v1/workflows/{id}/revisions", operation_id = "list_workflow_revisions", tag = "workflows",
    params(("id" = i64, Path, description = "Workflow id")),
    responses((status = 200, body = WorkflowRevisionList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_workflow_revisions(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkflowRevisionList>, ApiError> {
    visible(&state, &ctx, id).await?;
    let revisions = state.store.list_revisions(ctx.ws_id, id).await?;
    let people =
        crate::model::people_seen(&state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?;
    let out = revisions
        .iter()
        .map(|r| {
            let changes = revisions
                .iter()
                .filter(|p| p.version < r.version)
                .max_by_key(|p| p.version)
                .map(|p| history::diff(&p.spec, &r.spec, &people))
                .unwrap_or_default();
            WorkflowRevisionDto {
                version: r.version,
                changed_at: crate::time_fmt::rfc3339(r.changed_at),
                changed_by: r.changed_by.clone(),
                changes: changes
                    .into_iter()
                    .map(|c| WorkflowChange {
                        field: c.field.into(),
                        before: c.before,
                        after: c.after,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(WorkflowRevisionList { revisions: out }))
}

/// Flow figures over the workflow's work items: cycle time, on-time rate, revisions,
/// blocked days and open hours.
#[utoipa::path(get, path = "/api/v1/workflows/{id}/figures", operation_id = "find_workflow_figures", tag = "workflows",
    params(("id" = i64, Path, description = "Workflow id")),
    responses((status = 200, body = WorkflowFigures), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_workflow_figures(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkflowFigures>, ApiError> {
    let w = visible(&state, &ctx, id).await?;
    let f = crate::model::workflow_figures(&state, ctx.ws_id, ctx.data_version, w.id).await?;
    Ok(Json(f.as_ref().clone().into()))
}
