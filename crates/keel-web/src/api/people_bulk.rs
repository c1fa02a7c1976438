//! POST /api/v1/people/bulk: several people at once, all or nothing
//! (`keel_domain::person_bulk`), errors named by row (`people[2].email`).

use super::people::{PersonBody, PersonDto};
use super::ApiJson;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::person_bulk;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/v1/people/bulk", create_people)
}

/// The people to add, in order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeopleBulkBody {
    #[schema(min_items = 1, max_items = 100)]
    pub people: Vec<PersonBody>,
}

/// The people added, in the order sent.
#[derive(Serialize, ToSchema)]
pub struct PeopleBulkResult {
    pub people: Vec<PersonDto>,
}

/// Add several people at once: every one of them, or none. Each is checked like
/// `create_person` and against the rows before it (one email, one person); errors name the
/// row, counted from 0: `people[2].email`.
#[utoipa::path(post, path = "/api/v1/people/bulk", operation_id = "create_people", tag = "people", request_body = PeopleBulkBody,
    responses((status = 201, body = PeopleBulkResult), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_people(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<PeopleBulkBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let members: Vec<i64> = state
        .store
        .list_members(ctx.ws_id)
        .await?
        .iter()
        .map(|m| m.user_id)
        .collect();
    let existing = state.store.list_people(ctx.ws_id).await?;
    let inputs: Vec<_> = body.people.iter().map(PersonBody::input).collect();
    let drafts = person_bulk::parse_many(&inputs, &members, &existing)?;
    let made = state.store.create_people(ctx.ws_id, &drafts).await?;
    Ok((
        StatusCode::CREATED,
        Json(PeopleBulkResult {
            people: made.into_iter().map(PersonDto::from).collect(),
        }),
    )
        .into_response())
}
