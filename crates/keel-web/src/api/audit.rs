//! /api/v1/audit: the workspace's audit log with the page's filters, for owners' and admins'
//! tokens (a token's role is the lower of its own and its account's).

use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::audit as ops;
use crate::routes::Routes;
use crate::time_fmt::rfc3339;
use crate::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::{request::Parts, StatusCode};
use axum::Json;
use keel_domain::audit::{Filter, FilterInput};
use keel_domain::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/audit", list_audit)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only changes made by this account (and its sign-ins).
    #[param(minimum = 1)]
    pub person: Option<i64>,
    /// Only this kind of record: a table name such as `work_items`, or `account` for sign-ins.
    #[serde(rename = "type")]
    #[param(rename = "type", pattern = "^[a-z_]{1,64}$")]
    pub record_type: Option<String>,
    /// Only this record of that kind: its id (`12`), or ids joined by `:` for a row named by
    /// several (`3:2:1`). Needs `type`.
    #[param(pattern = "^-?[0-9]{1,18}(:-?[0-9]{1,18}){0,5}$")]
    pub record: Option<String>,
    /// From this day (YYYY-MM-DD, the workspace's calendar).
    #[param(pattern = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub from: Option<String>,
    /// To this day, included (YYYY-MM-DD), not before `from`.
    #[param(pattern = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub to: Option<String>,
    /// Entries older than this one: the `next_before` of the previous page.
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// How many entries to return (1 to 200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Who made an entry.
#[derive(Serialize, ToSchema)]
pub struct AuditActor {
    /// The account, if a person made it.
    pub user_id: Option<i64>,
    /// The account's name today.
    pub name: Option<String>,
    /// The API token it was made with, if any.
    pub token_id: Option<i64>,
    pub token_name: Option<String>,
    /// `web` (pages), `api`, `cli` (a keel command), `system` (keel itself) or `database`
    /// (written outside keel).
    pub via: String,
    /// The same in words, as the page shows it.
    pub label: String,
}

/// One change, or one sign-in.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    pub actor: AuditActor,
    /// `insert`, `update`, `delete`; for accounts `sign_in`, `sign_in_failed`,
    /// `password_reset_requested`, `password_reset` or `password_set` (by the operator).
    pub action: String,
    /// The kind of record (a table name, or `account`).
    pub record_type: String,
    /// The record's id, ids joined by `:` for a row named by several.
    pub record_id: Option<String>,
    /// The record's fields before the change (none for a new record). Secrets are never in it.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record's fields after the change (none for a removed record).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first.
    pub entries: Vec<AuditEntryOut>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

fn bad_query(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", m)
}

/// The query string, parsed with the page's filter; a bad one gets the envelope (400).
pub struct ApiAuditQuery(pub AuditQuery, pub Filter);

impl<S: Send + Sync> FromRequestParts<S> for ApiAuditQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(q) = Query::<AuditQuery>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                bad_query(format!(
                    "The query string is not understood: {}",
                    e.body_text()
                ))
            })?;
        if !(1..=200).contains(&q.limit.unwrap_or(50))
            || q.before.is_some_and(|b| b < 1)
            || q.person.is_some_and(|p| p < 1)
        {
            return Err(bad_query(
                "limit is 1 to 200; before and person are ids from 1.",
            ));
        }
        let day = |v: &Option<String>| {
            v.as_deref()
                .is_none_or(|s| s.trim() == s && Date::parse(s).is_ok())
        };
        if !day(&q.from) || !day(&q.to) {
            return Err(bad_query(
                "Give from and to as YYYY-MM-DD, like 2026-03-12.",
            ));
        }
        // The document's patterns, exactly: the domain reads an empty or padded value as no
        // filter (a form sends those), the API refuses what its document refuses.
        let kind = q.record_type.as_deref().is_none_or(|s| {
            (1..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        });
        let record = q.record.as_deref().is_none_or(|s| {
            let parts: Vec<&str> = s.split(':').collect();
            parts.len() <= 6
                && parts.iter().all(|p| {
                    let digits = p.strip_prefix('-').unwrap_or(p);
                    (1..=18).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
                })
        });
        if !kind || !record {
            return Err(bad_query(
                "type is a kind of record such as work_items; record is its number, such as 12.",
            ));
        }
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let input = FilterInput {
            person: q.person.map(|p| p.to_string()).unwrap_or_default(),
            record_type: s(&q.record_type),
            record: s(&q.record),
            from: s(&q.from),
            to: s(&q.to),
        };
        let filter = ops::parse(&input).map_err(|inv| {
            bad_query(
                inv.errors
                    .first()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .unwrap_or_default(),
            )
        })?;
        Ok(ApiAuditQuery(q, filter))
    }
}

/// The workspace's audit log: every change to its records (who, when, the fields before and
/// after) and its members' sign-ins, newest first, a page at a time. Owners and admins only.
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "list_audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_audit(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiAuditQuery(q, filter): ApiAuditQuery,
) -> Result<Json<AuditList>, ApiError> {
    ctx.require_manage()?;
    let zone = state.store.zone_of(ctx.ws_id).await?;
    let page = ops::page(
        &state,
        ctx.ws_id,
        &zone,
        &filter,
        q.before,
        q.limit.unwrap_or(50),
    )
    .await?;
    Ok(Json(AuditList {
        entries: page
            .entries
            .into_iter()
            .map(|e| AuditEntryOut {
                id: e.id,
                at: rfc3339(e.at),
                actor: AuditActor {
                    label: ops::who(&e),
                    user_id: e.actor_user_id,
                    name: e.actor_name,
                    token_id: e.actor_token_id,
                    token_name: e.actor_token_name,
                    via: e.via,
                },
                action: e.action,
                record_type: e.record_type,
                record_id: e.record_id,
                before: e.before,
                after: e.after,
            })
            .collect(),
        next_before: page.next_before,
    }))
}
