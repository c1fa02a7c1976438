//! /api/v1/search: work items, workflows, people and functions matching a query, among what
//! the caller sees (the same search as the page, `keel_domain::search`).

use super::ApiQuery;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use keel_domain::search::{self, Query};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/search", search_everything)
}

/// Hits per kind at most.
pub const LIMIT: usize = 20;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words that must all appear (case is ignored) in a work item's title, a workflow's
    /// name or purpose, a person's name, email, organization or title, or a function's name
    /// or description.
    #[param(
        min_length = 1,
        max_length = 200,
        example = "webinar",
        pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$"
    )]
    pub q: String,
}

/// One thing found.
#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    pub id: i64,
    /// The title or name.
    pub name: String,
    /// More about it: a work item's workflow and status, a person's email, a workflow's
    /// purpose, a function's description.
    pub detail: String,
}

/// What a search found, per kind (at most 20 each, newest work first), with how many there
/// were in all.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    pub work: Vec<SearchHit>,
    pub work_total: i64,
    pub workflows: Vec<SearchHit>,
    pub workflows_total: i64,
    pub people: Vec<SearchHit>,
    pub people_total: i64,
    pub functions: Vec<SearchHit>,
    pub functions_total: i64,
}

/// Search across work items, workflows, people and functions. Only what the caller may see
/// is searched: a partner finds its own work, the workflows it works in and the people on
/// them. Finished work older than 60 days is not searched; list it with `GET /api/v1/work`.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "search_everything", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn search_everything(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let query = Query::parse(&q.q)?;
    let reader = ctx.reader();
    let loaded = crate::model::loaded(&state, ctx.ws_id, ctx.data_version).await?;
    let seen = crate::model::load(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    let h = search::search_with(&seen, &query, LIMIT, loaded.found_work(&reader, &query));
    let wf_name = |id: i64| {
        seen.workflows
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.spec.name.clone())
            .unwrap_or_default()
    };
    Ok(Json(SearchResults {
        work: h
            .work
            .iter()
            .map(|w| SearchHit {
                id: w.id,
                name: w.title.clone(),
                detail: format!("{} · {}", wf_name(w.workflow_id), w.status.label()),
            })
            .collect(),
        work_total: h.work_total as i64,
        workflows: h
            .workflows
            .iter()
            .map(|w| SearchHit {
                id: w.id,
                name: w.spec.name.clone(),
                detail: w.spec.purpose.clone(),
            })
            .collect(),
        workflows_total: h.workflows_total as i64,
        people: h
            .people
            .iter()
            .map(|p| SearchHit {
                id: p.id,
                name: p.name.clone(),
                detail: p.email.clone().unwrap_or_default(),
            })
            .collect(),
        people_total: h.people_total as i64,
        functions: h
            .functions
            .iter()
            .map(|f| SearchHit {
                id: f.id,
                name: f.name.clone(),
                detail: f.description.clone().unwrap_or_default(),
            })
            .collect(),
        functions_total: h.functions_total as i64,
    }))
}
