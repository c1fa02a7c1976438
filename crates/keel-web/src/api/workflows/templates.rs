//! The built-in workflow templates, and a workflow started from one.

use super::caller;
use super::dto::{WorkflowDto, WorkflowStage};
use crate::api::{with_etag, ApiJson};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::workflows as wops;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use keel_domain::workflow::templates;
use keel_domain::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    let w = wops::create(&state, &caller(&ctx), &input).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        w.version,
        WorkflowDto::from(w),
    ))
}
