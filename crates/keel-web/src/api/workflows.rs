//! /api/v1/workflow-templates and /api/v1/workflows: SOPs, their revisions and flow figures.

use super::{if_match, with_etag, ApiJson, ApiPaging, ApiPath};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::{workflows as wops, Caller, OpError};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_domain::work::metrics::Figures;
use keel_domain::workflow::{history, templates, StageInput, Workflow, WorkflowInput};
use keel_domain::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/workflow-templates", list_workflow_templates)
        .get("/api/v1/workflows", list_workflows)
        .post("/api/v1/workflows", create_workflow)
        .post(
            "/api/v1/workflows/from-template",
            create_workflow_from_template,
        )
        .get("/api/v1/workflows/{id}", find_workflow)
        .put("/api/v1/workflows/{id}", update_workflow)
        .delete("/api/v1/workflows/{id}", delete_workflow)
        .get("/api/v1/workflows/{id}/revisions", list_workflow_revisions)
        .get("/api/v1/workflows/{id}/figures", find_workflow_figures)
}

/// Who calls, in the terms the shared operations use.
pub(super) fn caller(ctx: &ApiCtx) -> Caller {
    Caller {
        ws: ctx.ws_id,
        user_id: ctx.user_id,
        role: ctx.role,
    }
}

/// Dates travel as exactly `YYYY-MM-DD` or null: an empty or padded string is refused here
/// (the domain reads both as "no date"), the domain checks the rest.
pub(super) fn date_shapes(fields: &[(&str, &Option<String>)]) -> Invalid {
    let mut inv = Invalid::new();
    for (field, v) in fields {
        if v.as_deref().is_some_and(|s| s.is_empty() || s.trim() != s) {
            inv.push(
                field,
                "Send the date as YYYY-MM-DD, like 2026-03-12, or null for no date.",
            );
        }
    }
    inv
}

/// The domain's verdict with the wire's own complaints added, so every mistake is reported
/// at once.
pub(super) fn validated<T>(r: Result<T, OpError>, mut wire: Invalid) -> Result<T, ApiError> {
    match r {
        Ok(v) if wire.is_empty() => Ok(v),
        Ok(_) => Err(wire.into()),
        Err(OpError::Invalid(mut i)) => {
            i.errors.append(&mut wire.errors);
            Err(i.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Text the domain keeps as "" when empty; the API says null.
fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// One stage of a workflow; work leaves it through its gate.
#[derive(Serialize, ToSchema)]
pub struct WorkflowStage {
    pub name: String,
    /// What must be true before the gate opens.
    pub checklist: Vec<String>,
    /// The gate also needs the decision owner's approval.
    pub needs_approval: bool,
}

/// A built-in SOP to start from.
#[derive(Serialize, ToSchema)]
pub struct WorkflowTemplateDto {
    /// Send it as `template` to POST /api/v1/workflows/from-template.
    #[schema(example = "campaign-launch")]
    pub key: String,
    pub name: String,
    /// The catalogue function the workflow usually belongs to.
    pub function_hint: String,
    pub purpose: String,
    /// The process level its risks call for: lightweight, standard or detailed.
    pub level: String,
    pub stages: Vec<WorkflowStage>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowTemplateList {
    pub templates: Vec<WorkflowTemplateDto>,
}

/// Something that must be ready before work starts, and who provides it.
#[derive(Serialize, ToSchema)]
pub struct WorkflowInputDto {
    pub name: String,
    pub owner_id: Option<i64>,
}

/// The part a person plays in a workflow.
#[derive(Serialize, ToSchema)]
pub struct WorkflowRoleDto {
    pub person_id: i64,
    /// decision_owner, execution_owner, review_owner, approver or contributor.
    pub role: String,
}

/// A workflow (SOP): how a recurring piece of marketing work is done, by whom, through which
/// stages and gates.
#[derive(Serialize, ToSchema)]
pub struct WorkflowDto {
    pub id: i64,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
    pub name: String,
    pub function_id: Option<i64>,
    pub purpose: Option<String>,
    /// What starts a run of this workflow.
    pub trigger: Option<String>,
    /// What must be ready before work starts.
    pub inputs: Vec<WorkflowInputDto>,
    /// Acceptance criteria or review questions.
    pub quality_standard: Option<String>,
    pub review_rhythm: Option<String>,
    /// The decisions a review may lead to.
    pub review_decisions: Option<String>,
    /// How exceptions are escalated.
    pub escalation: Option<String>,
    /// draft, pilot, active or retired.
    pub status: String,
    /// YYYY-MM-DD.
    pub last_reviewed: Option<String>,
    /// YYYY-MM-DD.
    pub next_review_due: Option<String>,
    /// budget, tracking, lead_quality, sales_handoff, customer_visible.
    pub risk_flags: Vec<String>,
    /// The level in force: the override when set, else the one its risks call for.
    pub process_level: String,
    /// Why its risks call for the level they do.
    pub process_level_reason: String,
    /// A level set by hand instead of the computed one.
    pub level_override: Option<String>,
    pub override_reason: Option<String>,
    pub roles: Vec<WorkflowRoleDto>,
    pub stages: Vec<WorkflowStage>,
    /// Days a work item may stay blocked before health flags it.
    pub max_blocked_days: i64,
}

impl From<Workflow> for WorkflowDto {
    fn from(w: Workflow) -> Self {
        let s = w.spec;
        let level = s.computed_level();
        WorkflowDto {
            id: w.id,
            version: w.version,
            process_level: s.level_override.unwrap_or(level.level).as_str().into(),
            process_level_reason: level.reason,
            name: s.name,
            function_id: s.function_id,
            purpose: text(&s.purpose),
            trigger: text(&s.trigger),
            inputs: s
                .inputs
                .into_iter()
                .map(|i| WorkflowInputDto {
                    name: i.name,
                    owner_id: i.owner_id,
                })
                .collect(),
            quality_standard: text(&s.quality_standard),
            review_rhythm: text(&s.review_rhythm),
            review_decisions: text(&s.review_decisions),
            escalation: text(&s.escalation),
            status: s.status.as_str().into(),
            last_reviewed: s.last_reviewed.map(|d| d.to_string()),
            next_review_due: s.next_review_due.map(|d| d.to_string()),
            risk_flags: s.risk_flags.iter().map(|f| f.as_str().into()).collect(),
            level_override: s.level_override.map(|l| l.as_str().into()),
            override_reason: text(&s.override_reason),
            roles: s
                .assignments
                .iter()
                .map(|a| WorkflowRoleDto {
                    person_id: a.person_id,
                    role: a.role.as_str().into(),
                })
                .collect(),
            stages: s
                .stages
                .into_iter()
                .map(|st| WorkflowStage {
                    name: st.name,
                    checklist: st.checklist,
                    needs_approval: st.needs_approval,
                })
                .collect(),
            max_blocked_days: s.max_blocked_days,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowList {
    pub workflows: Vec<WorkflowDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// Something needed before work starts; the owner provides it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowInputBody {
    #[schema(min_length = 1, max_length = 200, example = "Campaign brief")]
    pub name: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// A person and the part they play.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowRoleBody {
    pub person_id: i64,
    #[schema(
        example = "decision_owner",
        pattern = "^(decision_owner|execution_owner|review_owner|approver|contributor)$"
    )]
    pub role: String,
}

/// One stage, in order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowStageBody {
    #[schema(min_length = 1, max_length = 80, example = "Brief")]
    pub name: String,
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub needs_approval: bool,
}

/// What a workflow says. It needs exactly one decision owner (internal), one execution owner
/// and one review owner in `roles`, and at least one stage; a detailed workflow in use needs
/// an approval gate.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowBody {
    #[schema(min_length = 1, max_length = 120, example = "Campaign brief to launch")]
    pub name: String,
    #[serde(default)]
    pub function_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 400)]
    pub purpose: Option<String>,
    #[serde(default)]
    #[schema(max_length = 400)]
    pub trigger: Option<String>,
    #[serde(default)]
    pub inputs: Vec<WorkflowInputBody>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub quality_standard: Option<String>,
    #[serde(default)]
    #[schema(max_length = 400)]
    pub review_rhythm: Option<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub review_decisions: Option<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub escalation: Option<String>,
    /// Draft when not said.
    #[serde(default)]
    #[schema(pattern = "^(draft|pilot|active|retired)$")]
    pub status: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-12")]
    pub last_reviewed: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-06-12")]
    pub next_review_due: Option<String>,
    /// Any of budget, tracking, lead_quality, sales_handoff, customer_visible.
    #[serde(default)]
    pub risk_flags: Vec<String>,
    #[serde(default)]
    #[schema(pattern = "^(lightweight|standard|detailed)$")]
    pub level_override: Option<String>,
    /// Required with a level override.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub override_reason: Option<String>,
    #[serde(default)]
    pub roles: Vec<WorkflowRoleBody>,
    #[serde(default)]
    pub stages: Vec<WorkflowStageBody>,
    /// 1 to 90 days; 5 when not said.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 90)]
    pub max_blocked_days: Option<i64>,
}

impl WorkflowBody {
    fn input(&self) -> WorkflowInput {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let id = |o: Option<i64>| o.map(|i| i.to_string()).unwrap_or_default();
        WorkflowInput {
            name: self.name.clone(),
            function_id: id(self.function_id),
            purpose: opt(&self.purpose),
            trigger: opt(&self.trigger),
            inputs: self
                .inputs
                .iter()
                .map(|i| (i.name.clone(), id(i.owner_id)))
                .collect(),
            quality_standard: opt(&self.quality_standard),
            review_rhythm: opt(&self.review_rhythm),
            review_decisions: opt(&self.review_decisions),
            escalation: opt(&self.escalation),
            status: opt(&self.status),
            last_reviewed: opt(&self.last_reviewed),
            next_review_due: opt(&self.next_review_due),
            risk_flags: self.risk_flags.clone(),
            level_override: opt(&self.level_override),
            override_reason: opt(&self.override_reason),
            roles: self
                .roles
                .iter()
                .map(|r| (r.role.clone(), r.person_id.to_string()))
                .collect(),
            stages: self
                .stages
                .iter()
                .map(|s| StageInput {
                    name: s.name.clone(),
                    checklist: s.checklist.clone(),
                    needs_approval: s.needs_approval,
                })
                .collect(),
            max_blocked_days: id(self.max_blocked_days),
        }
    }

    fn date_shapes(&self) -> Invalid {
        date_shapes(&[
            ("last_reviewed", &self.last_reviewed),
            ("next_review_due", &self.next_review_due),
        ])
    }
}

/// A workflow from a built-in template, as a draft with its three owners.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFromTemplateBody {
    /// The key of a template from GET /api/v1/workflow-templates.
    #[schema(example = "campaign-launch")]
    pub template: String,
    /// Approves or stops the work; an internal person.
    pub decision_owner_id: i64,
    pub execution_owner_id: i64,
    /// The decision owner when not said.
    #[serde(default)]
    pub review_owner_id: Option<i64>,
    #[serde(default)]
    pub function_id: Option<i64>,
    /// The template's name when not said, numbered if a workflow already has it.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 120)]
    pub name: Option<String>,
}

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

async fn visible(state: &AppState, ctx: &ApiCtx, id: i64) -> Result<Workflow, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    Ok(wops::visible(&state.store, &caller(ctx), &reader, id).await?)
}

/// List the built-in workflow templates.
#[utoipa::path(get, path = "/api/v1/workflow-templates", operation_id = "list_workflow_templates", tag = "workflows",
    responses((status = 200, body = WorkflowTemplateList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_workflow_templates(_ctx: ApiCtx) -> Json<WorkflowTemplateList> {
    Json(WorkflowTemplateList {
        templates: templates::TEMPLATES
            .iter()
            .map(|t| WorkflowTemplateDto {
                key: t.key.into(),
                name: t.name.into(),
                function_hint: t.function_hint.into(),
                purpose: t.purpose.into(),
                level: t.level().level.as_str().into(),
                stages: t
                    .stages
                    .iter()
                    .map(|(name, checklist, needs_approval)| WorkflowStage {
                        name: (*name).into(),
                        checklist: checklist.iter().map(|c| c.to_string()).collect(),
                        needs_approval: *needs_approval,
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// List the workflows of the workspace, a page at a time. A partner sees the ones its person
/// has a role in.
#[utoipa::path(get, path = "/api/v1/workflows", operation_id = "list_workflows", tag = "workflows",
    params(("limit" = Option<i64>, Query, description = "How many records to return (1 to 500, default 50).", minimum = 1, maximum = 500),
        ("offset" = Option<i64>, Query, description = "How many to skip (default 0).", minimum = 0)),
    responses((status = 200, body = WorkflowList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_workflows(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPaging(page): ApiPaging,
) -> Result<Json<WorkflowList>, ApiError> {
    let reader = ctx.reader(&state.store).await?;
    // The cached model holds the workflows this reader may see.
    let model = crate::model::load(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    let all: Vec<Workflow> = model
        .workflows
        .iter()
        .skip(page.offset() as usize)
        .take(page.fetch() as usize)
        .cloned()
        .collect();
    let (ws, next_offset) = page.finish(all);
    Ok(Json(WorkflowList {
        workflows: ws.into_iter().map(WorkflowDto::from).collect(),
        next_offset,
    }))
}

/// Find one workflow.
#[utoipa::path(get, path = "/api/v1/workflows/{id}", operation_id = "find_workflow", tag = "workflows",
    params(("id" = i64, Path, description = "Workflow id")),
    responses((status = 200, body = WorkflowDto, headers(("ETag" = String))), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let w = visible(&state, &ctx, id).await?;
    Ok(with_etag(StatusCode::OK, w.version, WorkflowDto::from(w)))
}

/// Add a workflow. Two decision owners, a missing owner or two stages of one name are refused
/// with 422, naming the field.
#[utoipa::path(post, path = "/api/v1/workflows", operation_id = "create_workflow", tag = "workflows", request_body = WorkflowBody,
    responses((status = 201, body = WorkflowDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<WorkflowBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let c = caller(&ctx);
    let input = body.input();
    validated(
        wops::parse(&state.store, &c, &input).await,
        body.date_shapes(),
    )?;
    let w = wops::create(&state.store, &c, &input).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        w.version,
        WorkflowDto::from(w),
    ))
}

/// Add a draft workflow from a built-in template, with its owners filled in.
#[utoipa::path(post, path = "/api/v1/workflows/from-template", operation_id = "create_workflow_from_template", tag = "workflows", request_body = WorkflowFromTemplateBody,
    responses((status = 201, body = WorkflowDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_workflow_from_template(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<WorkflowFromTemplateBody>,
) -> Result<Response, ApiError> {
    ctx.require_edit()?;
    let t = templates::find(&body.template).ok_or_else(|| {
        let keys: Vec<&str> = templates::TEMPLATES.iter().map(|t| t.key).collect();
        ApiError::from(Invalid::one(
            "template",
            format!("Choose one of the templates: {}.", keys.join(", ")),
        ))
    })?;
    let mut input = t.input(
        body.decision_owner_id,
        body.execution_owner_id,
        body.review_owner_id.unwrap_or(body.decision_owner_id),
        body.function_id,
    );
    match &body.name {
        Some(name) => input.name = name.clone(),
        None => {
            let taken: Vec<String> = state
                .store
                .list_workflows(ctx.ws_id)
                .await?
                .into_iter()
                .map(|w| w.spec.name)
                .collect();
            let mut n = 2;
            while taken.contains(&input.name) {
                input.name = format!("{} ({n})", t.name);
                n += 1;
            }
        }
    }
    let w = wops::create(&state.store, &caller(&ctx), &input).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        w.version,
        WorkflowDto::from(w),
    ))
}

/// Replace a workflow. Every save is kept as a revision. Send `If-Match` with the ETag you
/// read to avoid overwriting someone else's change.
#[utoipa::path(put, path = "/api/v1/workflows/{id}", operation_id = "update_workflow", tag = "workflows", request_body = WorkflowBody,
    params(("id" = i64, Path, description = "Workflow id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    responses((status = 200, body = WorkflowDto, headers(("ETag" = String))), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WorkflowBody>,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let c = caller(&ctx);
    let input = body.input();
    validated(
        wops::parse(&state.store, &c, &input).await,
        body.date_shapes(),
    )?;
    let expected = if_match(&headers)?;
    let w = wops::update(&state.store, &c, id, expected, &input).await?;
    Ok(with_etag(StatusCode::OK, w.version, WorkflowDto::from(w)))
}

/// Remove a workflow and all its work items.
#[utoipa::path(delete, path = "/api/v1/workflows/{id}", operation_id = "delete_workflow", tag = "workflows",
    params(("id" = i64, Path, description = "Workflow id"), ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 412, body = ErrorEnvelope)))]
pub async fn delete_workflow(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    visible(&state, &ctx, id).await?;
    ctx.require_edit()?;
    state
        .store
        .delete_workflow(ctx.ws_id, id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
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
    let people = state.store.list_people(ctx.ws_id).await?;
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
