//! /api/v1/strategy: the strategy stack as the caller sees it, and a layer's settings.

use super::{if_match, with_etag, ApiJson};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::stack::{self as ops, SaveError};
use crate::ops::strategy::view;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use keel_domain::health::Model;
use keel_domain::stack::{cascade, Layer, LayerInput, LayerSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/strategy", find_strategy)
        .put("/api/v1/strategy/layer", update_strategy_layer)
}

/// Something a faster layer learned: an off-target metric measured since the layer's last review.
#[derive(Serialize, ToSchema)]
pub struct LearnedDto {
    pub metric_id: i64,
    pub metric: String,
    /// The layer the metric reports on.
    pub from: String,
    pub period: String,
    pub value: f64,
    pub target: f64,
}

/// A decision about a faster layer that a slower one should read.
#[derive(Serialize, ToSchema)]
pub struct LearnedDecisionDto {
    pub decision_id: i64,
    pub what: String,
    /// The decision's kind (stop, fix, scale…).
    pub kind: String,
    /// The fastest layer its evidence is on.
    pub from: String,
    /// The day it was taken (YYYY-MM-DD).
    pub decided_on: String,
}

fn learned_decisions(m: &Model, l: Layer) -> (Vec<LearnedDecisionDto>, usize) {
    let (v, total) = cascade::decisions_learned(m, l);
    let v = v
        .into_iter()
        .map(|d| LearnedDecisionDto {
            decision_id: d.decision_id,
            what: d.what,
            kind: d.kind.as_str().into(),
            from: d.from.as_str().into(),
            decided_on: d.decided_on.to_string(),
        })
        .collect();
    (v, total)
}

/// One layer of the stack.
#[derive(Serialize, ToSchema)]
pub struct LayerDto {
    /// market, business, buyer or tactics.
    #[schema(example = "market")]
    pub layer: String,
    #[schema(example = "Market knowledge")]
    pub label: String,
    pub owner_id: Option<i64>,
    /// weekly, monthly, quarterly, half-yearly or yearly.
    #[schema(example = "yearly")]
    pub cycle: String,
    pub last_reviewed: Option<String>,
    /// The last review plus the cycle.
    pub review_due: Option<String>,
    pub overdue: bool,
    pub goals: Option<String>,
    /// Business layer only.
    pub revenue_goal: Option<f64>,
    pub revenue_from: Option<String>,
    pub revenue_to: Option<String>,
    pub go_to_market: Option<String>,
    /// Buyer layer: the buying stages (the six defaults until set); empty for the others.
    pub stages: Vec<String>,
    /// What the faster layers above learned since this layer's last review.
    pub learned: Vec<LearnedDto>,
    /// Decisions taken since this layer's last review about something of a faster layer
    /// (the 10 newest; "no change" left out).
    pub learned_decisions: Vec<LearnedDecisionDto>,
    /// How many such decisions there are in all.
    pub learned_decisions_total: usize,
    /// 0 until first saved; send it back in If-Match.
    pub version: i64,
}

fn layer_dto(
    s: LayerSettings,
    overdue: bool,
    learned: Vec<LearnedDto>,
    decisions: (Vec<LearnedDecisionDto>, usize),
) -> LayerDto {
    LayerDto {
        learned_decisions: decisions.0,
        learned_decisions_total: decisions.1,
        layer: s.layer.as_str().into(),
        label: s.layer.label().into(),
        owner_id: s.owner_id,
        cycle: s.cycle.as_str().into(),
        last_reviewed: s.last_reviewed.map(|d| d.to_string()),
        review_due: s.review_due().map(|d| d.to_string()),
        overdue,
        goals: s.goals.clone(),
        revenue_goal: s.revenue_goal,
        revenue_from: s.revenue_from.map(|d| d.to_string()),
        revenue_to: s.revenue_to.map(|d| d.to_string()),
        go_to_market: s.go_to_market.clone(),
        stages: if s.layer == Layer::Buyer {
            s.stages()
        } else {
            vec![]
        },
        learned,
        version: s.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SegmentDto {
    pub id: i64,
    pub name: String,
    pub needs: Option<String>,
    pub value_drivers: Option<String>,
    pub alternatives: Option<String>,
    pub evidence: Option<String>,
    pub evidence_date: Option<String>,
    pub version: i64,
}

/// One cell of the message map (`message` null: the cell is empty).
#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    /// The stage's position, from 0.
    pub stage: usize,
    pub stage_name: String,
    pub message: Option<String>,
    pub proof_point: Option<String>,
    pub asset: Option<String>,
    /// 0 while empty.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PersonaDto {
    pub id: i64,
    pub segment_id: i64,
    pub name: String,
    pub primary: bool,
    pub goals: Option<String>,
    pub pains: Option<String>,
    pub objections: Option<String>,
    /// The persona's row of the message map: one cell per buying stage.
    pub messages: Vec<MessageDto>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgramDto {
    pub id: i64,
    pub name: String,
    /// segment-marketing, lead-nurturing, sales-enablement or customer-marketing.
    pub phase: String,
    pub owner_id: Option<i64>,
    pub goal: Option<String>,
    pub channel_ids: Vec<i64>,
    pub offer_ids: Vec<i64>,
    pub workflow_ids: Vec<i64>,
    pub version: i64,
}

/// The strategy stack, slowest layer first. A partner sees no layers, segments or personas,
/// only the programs it owns or that a channel it sees carries.
#[derive(Serialize, ToSchema)]
pub struct StrategyDto {
    pub layers: Vec<LayerDto>,
    pub segments: Vec<SegmentDto>,
    pub personas: Vec<PersonaDto>,
    pub programs: Vec<ProgramDto>,
}

/// A layer's settings. A revenue goal (with its period) and go-to-market choices belong to the
/// business layer only, buying stages to the buyer layer only.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerBody {
    #[schema(example = "business", pattern = "^(market|business|buyer|tactics)$")]
    pub layer: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// Empty: the layer's default cycle.
    #[serde(default)]
    #[schema(
        example = "quarterly",
        pattern = "^(weekly|monthly|quarterly|half-yearly|yearly)?$"
    )]
    pub cycle: Option<String>,
    #[serde(default)]
    #[schema(format = Date, example = "2026-10-01")]
    pub last_reviewed: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub goals: Option<String>,
    #[serde(default)]
    #[schema(exclusive_minimum = 0.0, maximum = 1e12, example = 2400000.0)]
    pub revenue_goal: Option<f64>,
    #[serde(default)]
    #[schema(format = Date, example = "2027-01-01")]
    pub revenue_from: Option<String>,
    #[serde(default)]
    #[schema(format = Date, example = "2027-12-31")]
    pub revenue_to: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub go_to_market: Option<String>,
    #[serde(default)]
    #[schema(max_items = 10, example = json!(["Unaware", "Pain recognized", "Exploring solutions"]))]
    pub stages: Vec<String>,
}

impl LayerBody {
    fn input(&self) -> LayerInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        LayerInput {
            owner_id: self.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            cycle: s(&self.cycle),
            last_reviewed: s(&self.last_reviewed),
            goals: s(&self.goals),
            revenue_goal: self.revenue_goal.map(|v| v.to_string()).unwrap_or_default(),
            revenue_from: s(&self.revenue_from),
            revenue_to: s(&self.revenue_to),
            go_to_market: s(&self.go_to_market),
            stages: self.stages.join("\n"),
        }
    }
}

fn learned_dto(l: cascade::Learned) -> LearnedDto {
    LearnedDto {
        metric_id: l.metric_id,
        metric: l.metric,
        from: l.from.as_str().into(),
        period: l.period.to_string(),
        value: l.value,
        target: l.target,
    }
}

/// The strategy stack: the four layers with their settings and what faster layers learned,
/// segments, personas with their row of the message map, and programs.
#[utoipa::path(get, path = "/api/v1/strategy", operation_id = "find_strategy", tag = "strategy",
    responses((status = 200, body = StrategyDto), (status = 401, body = ErrorEnvelope)))]
pub async fn find_strategy(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<StrategyDto>, ApiError> {
    let m = view(&state, ctx.ws_id, ctx.data_version, &ctx.reader()).await?;
    let layers = ops::layers_cached(&state, ctx.ws_id, ctx.data_version, &ctx.reader())
        .await?
        .unwrap_or_default()
        .iter()
        .map(|v| {
            let decisions = learned_decisions(&m, v.settings.layer);
            layer_dto(
                v.settings.clone(),
                v.overdue,
                v.learned.iter().cloned().map(learned_dto).collect(),
                decisions,
            )
        })
        .collect();
    let stages = m.stack.stages();
    let personas = ops::map(&m)
        .into_iter()
        .map(|row| PersonaDto {
            messages: row
                .cells
                .iter()
                .enumerate()
                .map(|(i, c)| MessageDto {
                    stage: i,
                    stage_name: stages[i].clone(),
                    message: c.as_ref().and_then(|c| c.message.clone()),
                    proof_point: c.as_ref().and_then(|c| c.proof_point.clone()),
                    asset: c.as_ref().and_then(|c| c.asset.clone()),
                    version: c.as_ref().map(|c| c.version).unwrap_or(0),
                })
                .collect(),
            id: row.persona.id,
            segment_id: row.persona.segment_id,
            name: row.persona.name,
            primary: row.persona.primary,
            goals: row.persona.goals,
            pains: row.persona.pains,
            objections: row.persona.objections,
            version: row.persona.version,
        })
        .collect();
    Ok(Json(StrategyDto {
        layers,
        segments: m
            .stack
            .segments
            .iter()
            .map(|s| SegmentDto {
                id: s.id,
                name: s.name.clone(),
                needs: s.needs.clone(),
                value_drivers: s.value_drivers.clone(),
                alternatives: s.alternatives.clone(),
                evidence: s.evidence.clone(),
                evidence_date: s.evidence_date.map(|d| d.to_string()),
                version: s.version,
            })
            .collect(),
        personas,
        programs: m
            .stack
            .programs
            .iter()
            .map(|p| ProgramDto {
                id: p.id,
                name: p.name.clone(),
                phase: p.phase.as_str().into(),
                owner_id: p.owner_id,
                goal: p.goal.clone(),
                channel_ids: p.channel_ids.clone(),
                offer_ids: p.offer_ids.clone(),
                workflow_ids: p.workflow_ids.clone(),
                version: p.version,
            })
            .collect(),
    }))
}

/// Set a layer's owner, planning cycle, last review and goals (and the business layer's
/// revenue goal and go-to-market choices, the buyer layer's buying stages). Send `If-Match`
/// with the layer's ETag (`"0"` before it was first saved).
#[utoipa::path(put, path = "/api/v1/strategy/layer", operation_id = "update_strategy_layer", tag = "strategy", request_body = LayerBody,
    params(("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = LayerDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 428, body = ErrorEnvelope)))]
pub async fn update_strategy_layer(
    State(state): State<AppState>,
    ctx: ApiCtx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LayerBody>,
) -> Result<Response, ApiError> {
    let reader = ctx.reader();
    if !reader.role.sees_everything() {
        return Err(ApiError::not_found());
    }
    ctx.require_edit()?;
    let layer = Layer::parse(&body.layer).map_err(|m| keel_domain::Invalid::one("layer", m))?;
    let expected = if_match(&headers)?;
    let m = view(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    match ops::save_layer(
        &state,
        ctx.ws_id,
        &m,
        &reader,
        layer,
        &body.input(),
        expected,
    )
    .await
    {
        Ok(s) => {
            // What the saved layer now reads: its new review date decides what is "since".
            let mut after = (*m).clone();
            after.stack.layers.retain(|l| l.layer != layer);
            after.stack.layers.push(s.clone());
            let learned = cascade::learned(&after, layer)
                .into_iter()
                .map(learned_dto)
                .collect();
            let overdue = s.overdue(after.today());
            Ok(with_etag(
                StatusCode::OK,
                s.version,
                layer_dto(s, overdue, learned, learned_decisions(&after, layer)),
            ))
        }
        Err(SaveError::Hidden) => Err(ApiError::not_found()),
        Err(SaveError::Invalid(i)) => Err(i.into()),
        Err(SaveError::Store(e)) => Err(e.into()),
    }
}
