//! PUT /api/v1/ownership: the owners of several functions at once, each at the version it was
//! read (`keel_domain::ownership::parse_changes`, `Store::set_function_owners`): all are
//! saved or none, and every refused row is named (`owners[2].version`).

use super::functions::FunctionDto;
use super::ApiJson;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope, FieldMessage};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use keel_domain::ownership::{self, OwnersInput};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.put("/api/v1/ownership", update_ownership)
}

/// A person id or null, which must be present: leaving an owner out never clears it by
/// accident.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<i64>::deserialize(d)
}

/// One function's owners, as of the version you read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnersRow {
    pub function_id: i64,
    /// The function's version when you read it (its ETag); a function changed since is
    /// refused and nothing is saved.
    #[schema(minimum = 1)]
    pub version: i64,
    /// The internal person who decides, or null for nobody.
    #[serde(deserialize_with = "present")]
    #[schema(required = true)]
    pub business_owner_id: Option<i64>,
    /// The person who does the work (may be a partner), or null for nobody.
    #[serde(deserialize_with = "present")]
    #[schema(required = true)]
    pub execution_owner_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnershipBody {
    /// 1 to 500 functions, each at most once.
    #[schema(min_items = 1, max_items = 500)]
    pub owners: Vec<OwnersRow>,
}

/// The functions as saved, in the order sent, with their new versions.
#[derive(Serialize, ToSchema)]
pub struct OwnershipSaved {
    pub functions: Vec<FunctionDto>,
}

/// Set the business and execution owners of several functions at once. All rows are saved or
/// none: a function you may not see or that does not exist, an owner who is not on the team
/// (or an external business owner) answers 422, and a function changed since the version you
/// sent answers 412; either way `fields` names every refused row, counted from 0
/// (`owners[2].version`), and a stale row's message says how the function is now.
#[utoipa::path(put, path = "/api/v1/ownership", operation_id = "update_ownership", tag = "ownership", request_body = OwnershipBody,
    responses((status = 200, body = OwnershipSaved), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 412, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_ownership(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiJson(body): ApiJson<OwnershipBody>,
) -> Result<Json<OwnershipSaved>, ApiError> {
    ctx.require_edit()?;
    let reader = ctx.reader();
    let m = crate::model::load(&state, ctx.ws_id, ctx.data_version, &reader).await?;
    let id = |o: Option<i64>| o.map(|i| i.to_string()).unwrap_or_default();
    let rows: Vec<OwnersInput> = body
        .owners
        .iter()
        .map(|r| OwnersInput {
            function_id: r.function_id.to_string(),
            version: r.version.to_string(),
            business_owner_id: id(r.business_owner_id),
            execution_owner_id: id(r.execution_owner_id),
        })
        .collect();
    let changes = ownership::parse_changes(&rows, &m.functions, &m.people)?;
    match state.store.set_function_owners(ctx.ws_id, &changes).await? {
        Ok(saved) => Ok(Json(OwnershipSaved {
            functions: saved.into_iter().map(FunctionDto::from).collect(),
        })),
        Err(stale) => {
            let mut e = ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "version_mismatch",
                "Some functions were changed by someone else since you read them; nothing was saved. Read them again, then reapply your changes.",
            );
            e.fields = stale
                .into_iter()
                .map(|(n, now)| FieldMessage {
                    field: format!("owners[{n}].version"),
                    message: match now.filter(|f| reader.can_see_function(f)) {
                        Some(f) => ownership::stale_message(&f, &m.people),
                        None => ownership::NO_SUCH_FUNCTION.into(),
                    },
                })
                .collect();
            Err(e)
        }
    }
}
