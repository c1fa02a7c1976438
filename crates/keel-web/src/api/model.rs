//! /api/v1/ownership and /api/v1/health: computed views of the operating model.

use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::routes::Routes;
use crate::{model, AppState};
use axum::extract::State;
use axum::Json;
use keel_domain::health::{self, Finding};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/ownership", find_ownership)
        .get("/api/v1/health", list_findings)
}

#[derive(Serialize, ToSchema)]
pub struct OwnershipFunction {
    pub function_id: i64,
    pub name: String,
    pub business_owner_id: Option<i64>,
    pub execution_owner_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonLoad {
    pub person_id: i64,
    pub name: String,
    pub external: bool,
    /// Functions this person decides for.
    pub decides: Vec<i64>,
    /// Functions this person executes.
    pub executes: Vec<i64>,
    /// This week's load (recurring commitments plus one-off work), the same figure as
    /// `/api/v1/people/{id}/load`.
    pub load_hours: f64,
    pub capacity_hours: f64,
    pub over_capacity: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Ownership {
    pub functions: Vec<OwnershipFunction>,
    pub people: Vec<PersonLoad>,
}

/// Who decides and executes each function, and each person's load against capacity.
#[utoipa::path(get, path = "/api/v1/ownership", operation_id = "find_ownership", tag = "ownership",
    responses((status = 200, body = Ownership), (status = 401, body = ErrorEnvelope)))]
pub async fn find_ownership(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<Ownership>, ApiError> {
    let reader = ctx.reader();
    let m = model::load(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    let loads = model::loads(&state, ctx.ws_id, ctx.data_version).await?;
    let people = m
        .people
        .iter()
        .filter_map(|p| {
            let l = loads.of(p.id)?;
            Some(PersonLoad {
                person_id: p.id,
                name: p.name.clone(),
                external: p.is_external(),
                decides: m
                    .functions
                    .iter()
                    .filter(|f| f.business_owner_id == Some(p.id))
                    .map(|f| f.id)
                    .collect(),
                executes: m
                    .functions
                    .iter()
                    .filter(|f| f.execution_owner_id == Some(p.id))
                    .map(|f| f.id)
                    .collect(),
                load_hours: l.hours(),
                capacity_hours: l.capacity,
                over_capacity: l.over_capacity(),
            })
        })
        .collect();
    let functions = m
        .functions
        .iter()
        .map(|f| OwnershipFunction {
            function_id: f.id,
            name: f.name.clone(),
            business_owner_id: f.business_owner_id,
            execution_owner_id: f.execution_owner_id,
        })
        .collect();
    Ok(Json(Ownership { functions, people }))
}

#[derive(Serialize, ToSchema)]
pub struct FindingDto {
    /// Stable rule id, e.g. `function.no-business-owner`.
    pub rule: String,
    /// error, warning or info.
    pub severity: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub subject: String,
    pub evidence: String,
    pub action: String,
}

impl From<Finding> for FindingDto {
    fn from(f: Finding) -> Self {
        FindingDto {
            rule: f.rule.into(),
            severity: f.severity.as_str().into(),
            subject_kind: f.subject.kind.into(),
            subject_id: f.subject.id,
            subject: f.subject.label,
            evidence: f.evidence,
            action: f.action,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct HealthReport {
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<FindingDto>,
}

/// Health findings on the operating model, most severe first.
#[utoipa::path(get, path = "/api/v1/health", operation_id = "list_findings", tag = "health",
    responses((status = 200, body = HealthReport), (status = 401, body = ErrorEnvelope)))]
pub async fn list_findings(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<HealthReport>, ApiError> {
    let reader = ctx.reader();
    let m = model::load(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    let findings = model::findings(&m);
    let (errors, warnings, _) = health::summary(&findings);
    Ok(Json(HealthReport {
        errors,
        warnings,
        findings: findings.into_iter().map(FindingDto::from).collect(),
    }))
}
