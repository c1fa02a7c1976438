//! /api/v1/segments, /api/v1/personas (with their message-map row) and /api/v1/programs:
//! the records of the strategy stack. Read them all with `GET /api/v1/strategy`.

use super::strategy::{MessageDto, PersonaDto, ProgramDto, SegmentDto};
use super::{if_match, with_etag, ApiJson, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::strategy::{today, view};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keel_domain::health::Model;
use keel_domain::stack::{
    MessageDraft, MessageInput, Persona, PersonaDraft, PersonaInput, Program, ProgramDraft,
    ProgramInput, Segment, SegmentDraft, SegmentInput,
};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/v1/segments", create_segment)
        .put("/api/v1/segments/{id}", update_segment)
        .delete("/api/v1/segments/{id}", delete_segment)
        .post("/api/v1/personas", create_persona)
        .put("/api/v1/personas/{id}", update_persona)
        .delete("/api/v1/personas/{id}", delete_persona)
        .put("/api/v1/personas/{id}/messages", update_persona_message)
        .post("/api/v1/programs", create_program)
        .put("/api/v1/programs/{id}", update_program)
        .delete("/api/v1/programs/{id}", delete_program)
}

pub fn segment_dto(s: Segment) -> SegmentDto {
    SegmentDto {
        id: s.id,
        name: s.name,
        needs: s.needs,
        value_drivers: s.value_drivers,
        alternatives: s.alternatives,
        evidence: s.evidence,
        evidence_date: s.evidence_date.map(|d| d.to_string()),
        version: s.version,
    }
}

fn persona_dto(p: Persona, m: &Model) -> PersonaDto {
    let stages = m.stack.stages();
    PersonaDto {
        messages: stages
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let c = m
                    .stack
                    .messages
                    .iter()
                    .find(|c| c.persona_id == p.id && c.stage == i);
                MessageDto {
                    stage: i,
                    stage_name: name.clone(),
                    message: c.and_then(|c| c.message.clone()),
                    proof_point: c.and_then(|c| c.proof_point.clone()),
                    asset: c.and_then(|c| c.asset.clone()),
                    version: c.map(|c| c.version).unwrap_or(0),
                }
            })
            .collect(),
        id: p.id,
        segment_id: p.segment_id,
        name: p.name,
        primary: p.primary,
        goals: p.goals,
        pains: p.pains,
        objections: p.objections,
        version: p.version,
    }
}

pub fn program_dto(p: Program) -> ProgramDto {
    ProgramDto {
        id: p.id,
        name: p.name,
        phase: p.phase.as_str().into(),
        owner_id: p.owner_id,
        goal: p.goal,
        channel_ids: p.channel_ids,
        offer_ids: p.offer_ids,
        workflow_ids: p.workflow_ids,
        version: p.version,
    }
}

/// A market segment. Evidence needs the day it was gathered.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentBody {
    #[schema(
        min_length = 1,
        max_length = 120,
        example = "Mid-market discrete manufacturers"
    )]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub needs: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub value_drivers: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub alternatives: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub evidence: Option<String>,
    #[serde(default)]
    #[schema(format = Date, example = "2026-09-15")]
    pub evidence_date: Option<String>,
}

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

impl SegmentBody {
    fn input(&self) -> SegmentInput {
        SegmentInput {
            name: self.name.clone(),
            needs: s(&self.needs),
            value_drivers: s(&self.value_drivers),
            alternatives: s(&self.alternatives),
            evidence: s(&self.evidence),
            evidence_date: s(&self.evidence_date),
        }
    }
}

/// A persona in one segment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaBody {
    pub segment_id: i64,
    #[schema(min_length = 1, max_length = 120, example = "Plant operations manager")]
    pub name: String,
    #[serde(default)]
    pub primary: bool,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub goals: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub pains: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub objections: Option<String>,
}

impl PersonaBody {
    fn input(&self) -> PersonaInput {
        PersonaInput {
            segment_id: self.segment_id.to_string(),
            name: self.name.clone(),
            primary: self.primary.to_string(),
            goals: s(&self.goals),
            pains: s(&self.pains),
            objections: s(&self.objections),
        }
    }
}

/// One cell of a persona's row of the message map. No message empties the cell.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// The stage's position in the buying stages, from 0.
    #[schema(minimum = 0, maximum = 9)]
    pub stage: u32,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub message: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub proof_point: Option<String>,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub asset: Option<String>,
}

/// A tactics program and what it uses.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramBody {
    #[schema(min_length = 1, max_length = 120, example = "Evaluator nurture")]
    pub name: String,
    #[schema(
        example = "lead-nurturing",
        pattern = "^(segment-marketing|lead-nurturing|sales-enablement|customer-marketing)$"
    )]
    pub phase: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub goal: Option<String>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub channel_ids: Vec<i64>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub offer_ids: Vec<i64>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub workflow_ids: Vec<i64>,
}

impl ProgramBody {
    fn input(&self) -> ProgramInput {
        let ids = |v: &[i64]| v.iter().map(|i| i.to_string()).collect();
        ProgramInput {
            name: self.name.clone(),
            phase: self.phase.clone(),
            owner_id: self.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            goal: s(&self.goal),
            channel_ids: ids(&self.channel_ids),
            offer_ids: ids(&self.offer_ids),
            workflow_ids: ids(&self.workflow_ids),
        }
    }
}

async fn model(state: &AppState, ctx: &ApiCtx) -> Result<Arc<Model>, ApiError> {
    Ok(view(state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?)
}

fn segment(m: &Model, id: i64) -> Result<Segment, ApiError> {
    m.stack
        .segments
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or_else(ApiError::not_found)
}

fn persona(m: &Model, id: i64) -> Result<Persona, ApiError> {
    m.stack
        .personas
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(ApiError::not_found)
}

fn program(m: &Model, id: i64) -> Result<Program, ApiError> {
    m.stack
        .programs
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(ApiError::not_found)
}

/// Segments and personas are the team's own: a role that does not see them gets 404.
fn require_stack(ctx: &ApiCtx) -> Result<(), ApiError> {
    if ctx.role.sees_everything() {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// Add a market segment.
#[utoipa::path(post, path = "/api/v1/segments", operation_id = "create_segment", tag = "strategy", request_body = SegmentBody,
    responses((status = 201, body = SegmentDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_segment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<SegmentBody>,
) -> Result<Response, ApiError> {
    require_stack(&ctx)?;
    ctx.require_edit()?;
    let m = model(&state, &ctx).await?;
    let d = SegmentDraft::parse(&body.input(), today(&m))?;
    let x = state.store.create_segment(ctx.ws_id, &d).await?;
    Ok(with_etag(StatusCode::CREATED, x.version, segment_dto(x)))
}

/// Replace a segment. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/segments/{id}", operation_id = "update_segment", tag = "strategy", request_body = SegmentBody,
    params(("id" = i64, Path, description = "Segment id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = SegmentDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_segment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SegmentBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    segment(&m, id)?;
    ctx.require_edit()?;
    let d = SegmentDraft::parse(&body.input(), today(&m))?;
    let x = state
        .store
        .update_segment(ctx.ws_id, id, if_match(&headers)?, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, x.version, segment_dto(x)))
}

/// Remove a segment, with its personas and their row of the message map.
#[utoipa::path(delete, path = "/api/v1/segments/{id}", operation_id = "delete_segment", tag = "strategy",
    params(("id" = i64, Path, description = "Segment id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_segment(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    segment(&m, id)?;
    ctx.require_edit()?;
    state
        .store
        .delete_segment(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Add a persona to a segment.
#[utoipa::path(post, path = "/api/v1/personas", operation_id = "create_persona", tag = "strategy", request_body = PersonaBody,
    responses((status = 201, body = PersonaDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_persona(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<PersonaBody>,
) -> Result<Response, ApiError> {
    require_stack(&ctx)?;
    ctx.require_edit()?;
    let m = model(&state, &ctx).await?;
    let d = PersonaDraft::parse(&body.input(), &m.stack.segments)?;
    let x = state.store.create_persona(ctx.ws_id, &d).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        x.version,
        persona_dto(x, &m),
    ))
}

/// Replace a persona. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/personas/{id}", operation_id = "update_persona", tag = "strategy", request_body = PersonaBody,
    params(("id" = i64, Path, description = "Persona id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = PersonaDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_persona(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PersonaBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    persona(&m, id)?;
    ctx.require_edit()?;
    let d = PersonaDraft::parse(&body.input(), &m.stack.segments)?;
    let x = state
        .store
        .update_persona(ctx.ws_id, id, if_match(&headers)?, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, x.version, persona_dto(x, &m)))
}

/// Remove a persona with its row of the message map.
#[utoipa::path(delete, path = "/api/v1/personas/{id}", operation_id = "delete_persona", tag = "strategy",
    params(("id" = i64, Path, description = "Persona id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_persona(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    persona(&m, id)?;
    ctx.require_edit()?;
    state
        .store
        .delete_persona(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Write one cell of the persona's row of the message map (no message empties it). Send
/// `If-Match` with the cell's version (`"0"` while it is empty); answers the persona's row.
#[utoipa::path(put, path = "/api/v1/personas/{id}/messages", operation_id = "update_persona_message", tag = "strategy", request_body = MessageBody,
    params(("id" = i64, Path, description = "Persona id"), ("If-Match" = Option<String>, Header, description = "ETag of the cell's version (\"0\" while empty)")),
    responses((status = 200, body = PersonaDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_persona_message(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MessageBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    let p = persona(&m, id)?;
    ctx.require_edit()?;
    let input = MessageInput {
        stage: body.stage.to_string(),
        message: s(&body.message),
        proof_point: s(&body.proof_point),
        asset: s(&body.asset),
    };
    let d = MessageDraft::parse(&input, &m.stack.stages())?;
    let saved = state
        .store
        .save_message(ctx.ws_id, id, if_match(&headers)?, &d)
        .await?;
    let mut after = (*m).clone();
    after
        .stack
        .messages
        .retain(|c| !(c.persona_id == id && c.stage == d.stage));
    after.stack.messages.extend(saved);
    Ok((StatusCode::OK, axum::Json(persona_dto(p, &after))).into_response())
}

/// Add a tactics program.
#[utoipa::path(post, path = "/api/v1/programs", operation_id = "create_program", tag = "strategy", request_body = ProgramBody,
    responses((status = 201, body = ProgramDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_program(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<ProgramBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let m = model(&state, &ctx).await?;
    let d = ProgramDraft::parse(&body.input(), &m)?;
    let x = state.store.create_program(ctx.ws_id, &d).await?;
    Ok(with_etag(StatusCode::CREATED, x.version, program_dto(x)))
}

/// Replace a program. Send `If-Match` with the ETag you read.
#[utoipa::path(put, path = "/api/v1/programs/{id}", operation_id = "update_program", tag = "strategy", request_body = ProgramBody,
    params(("id" = i64, Path, description = "Program id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = ProgramDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_program(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ProgramBody>,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    program(&m, id)?;
    ctx.require_edit()?;
    let d = ProgramDraft::parse(&body.input(), &m)?;
    let x = state
        .store
        .update_program(ctx.ws_id, id, if_match(&headers)?, &d)
        .await?;
    Ok(with_etag(StatusCode::OK, x.version, program_dto(x)))
}

/// Remove a program.
#[utoipa::path(delete, path = "/api/v1/programs/{id}", operation_id = "delete_program", tag = "strategy",
    params(("id" = i64, Path, description = "Program id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn delete_program(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let m = model(&state, &ctx).await?;
    program(&m, id)?;
    ctx.require_edit()?;
    state
        .store
        .delete_program(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
