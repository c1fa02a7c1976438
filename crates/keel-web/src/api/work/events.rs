//! A work item's history.

use crate::api::workflows::caller;
use crate::api::ApiPath;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::work as wops;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A line of an item's history.
#[derive(Serialize, ToSchema)]
pub struct WorkEventDto {
    /// RFC 3339.
    pub at: String,
    /// created, advanced, overridden, sent_back, blocked, unblocked, approved, override, done,
    /// cancelled, reopened, sop_changed (the SOP changed whether the item's stage needs the
    /// decision owner's approval, and its status with it; the note says how).
    pub kind: String,
    /// The stage index the item is at after the event.
    pub to_stage: Option<i64>,
    pub stage_name: Option<String>,
    pub note: Option<String>,
    /// The name of the member who did it, when known.
    pub by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkEventList {
    /// Oldest first.
    pub events: Vec<WorkEventDto>,
}

/// The item's history, oldest first.
#[utoipa::path(get, path = "/api/v1/work/{id}/events", operation_id = "list_work_events", tag = "work",
    params(("id" = i64, Path, description = "Work item id")),
    responses((status = 200, body = WorkEventList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_work_events(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<WorkEventList>, ApiError> {
    let reader = ctx.reader();
    let (_, wf) = wops::visible(&state, &caller(&ctx), &reader, id).await?;
    let events = state.store.list_events(ctx.ws_id, id).await?;
    Ok(Json(WorkEventList {
        events: events
            .into_iter()
            .map(|e| WorkEventDto {
                at: crate::time_fmt::rfc3339(e.at),
                kind: e.kind,
                stage_name: e
                    .to_stage
                    .and_then(|s| usize::try_from(s).ok())
                    .and_then(|s| wf.spec.stages.get(s))
                    .map(|s| s.name.clone()),
                to_stage: e.to_stage,
                note: e.note,
                by: e.by,
            })
            .collect(),
    }))
}
