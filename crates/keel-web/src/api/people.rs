//! /api/v1/people

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath, Paging};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::{Person, PersonDraft, PersonInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/people", list_people)
        .post("/api/v1/people", create_person)
        .get("/api/v1/people/{id}", find_person)
        .put("/api/v1/people/{id}", update_person)
        .delete("/api/v1/people/{id}", delete_person)
}

/// A person who does marketing work, on staff or external.
#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub name: String,
    /// internal, agency, contractor or freelancer.
    #[schema(example = "agency")]
    pub kind: String,
    pub external: bool,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    /// Hours a week this person can give to marketing.
    pub weekly_capacity: f64,
    /// The member account this person signs in as.
    pub user_id: Option<i64>,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
}

impl From<Person> for PersonDto {
    fn from(p: Person) -> Self {
        PersonDto {
            id: p.id,
            external: p.is_external(),
            name: p.name,
            kind: p.kind.as_str().into(),
            organization: p.organization,
            title: p.title,
            email: p.email,
            weekly_capacity: p.weekly_capacity,
            user_id: p.user_id,
            version: p.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PeopleList {
    pub people: Vec<PersonDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// What to store about a person. External people (agency, contractor, freelancer) need an
/// organization.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    #[schema(min_length = 1, max_length = 120, example = "Lena Ortiz")]
    pub name: String,
    #[schema(
        example = "internal",
        pattern = "^(internal|agency|contractor|freelancer)$"
    )]
    pub kind: String,
    #[serde(default)]
    #[schema(max_length = 120)]
    pub organization: Option<String>,
    #[serde(default)]
    #[schema(max_length = 120)]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 80)]
    pub weekly_capacity: f64,
    #[serde(default)]
    pub user_id: Option<i64>,
}

impl PersonBody {
    pub(super) fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            organization: self.organization.clone().unwrap_or_default(),
            title: self.title.clone().unwrap_or_default(),
            email: self.email.clone().unwrap_or_default(),
            weekly_capacity: self.weekly_capacity.to_string(),
            user_id: self.user_id.map(|u| u.to_string()).unwrap_or_default(),
        }
    }
}

/// Parses a body against the workspace's members and its other people (`editing` is the
/// person being replaced, who may keep their own email).
async fn draft(
    state: &AppState,
    ctx: &ApiCtx,
    body: &PersonBody,
    editing: Option<i64>,
) -> Result<PersonDraft, ApiError> {
    let members: Vec<i64> = state
        .store
        .list_members(ctx.ws_id)
        .await?
        .iter()
        .map(|m| m.user_id)
        .collect();
    let mut others = state.store.list_people(ctx.ws_id).await?;
    others.retain(|p| Some(p.id) != editing);
    Ok(PersonDraft::parse(&body.input(), &members, &others)?)
}

/// A person the caller may see, or 404.
pub(crate) async fn visible(state: &AppState, ctx: &ApiCtx, id: i64) -> Result<Person, ApiError> {
    let p = state
        .store
        .find_person(ctx.ws_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let reader = ctx.reader();
    if !reader.role.sees_everything() {
        let seen = crate::model::load(state, ctx.ws_id, ctx.data_version, &reader).await?;
        if !seen.people.iter().any(|s| s.id == p.id) {
            return Err(ApiError::not_found());
        }
    }
    Ok(p)
}

/// List the people of the workspace, a page at a time.
#[utoipa::path(get, path = "/api/v1/people", operation_id = "list_people", tag = "people", params(Paging),
    responses((status = 200, body = PeopleList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_people(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<PeopleList>, ApiError> {
    // The cached model already holds the people the reader may see, in name order, at the
    // data version the token lookup read: no query beyond the token's.
    let model = crate::model::load(&state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?;
    let people = model
        .people
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (people, next_offset) = page.finish(people);
    Ok(Json(PeopleList {
        people: people.into_iter().map(PersonDto::from).collect(),
        next_offset,
    }))
}

/// Find one person.
#[utoipa::path(get, path = "/api/v1/people/{id}", operation_id = "find_person", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = PersonDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_person(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let p = visible(&state, &ctx, id).await?;
    Ok(with_etag(StatusCode::OK, p.version, PersonDto::from(p)))
}

/// Add a person. An email another person of the workspace already has (in any case) is
/// refused with 422 naming them (409 if they were added at the same moment).
#[utoipa::path(post, path = "/api/v1/people", operation_id = "create_person", tag = "people", request_body = PersonBody,
    responses((status = 201, body = PersonDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_person(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let d = draft(&state, &ctx, &body, None).await?;
    let p = state.store.create_person(ctx.ws_id, &d).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        p.version,
        PersonDto::from(p),
    ))
}

/// Replace a person's details. Send `If-Match` with the ETag you read to avoid overwriting
/// someone else's change.
#[utoipa::path(put, path = "/api/v1/people/{id}", operation_id = "update_person", tag = "people", request_body = PersonBody,
    params(("id" = i64, Path, description = "Person id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = PersonDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_person(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let d = draft(&state, &ctx, &body, Some(id)).await?;
    let expected = if_match(&headers)?;
    let p = state
        .store
        .update_person(ctx.ws_id, id, expected, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, p.version, PersonDto::from(p)))
}

/// Remove a person; functions they owned keep no owner.
#[utoipa::path(delete, path = "/api/v1/people/{id}", operation_id = "delete_person", tag = "people",
    params(("id" = i64, Path, description = "Person id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_person(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_person(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
