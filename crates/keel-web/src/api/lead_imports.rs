//! /api/v1/lead-imports: a CRM export sent as the request body is imported by a background
//! job, as an upload in the web app is; the import's progress, its rows that cannot be
//! imported, and cancelling it. What the file leaves unclear (date order, decimal mark,
//! columns) is answered in the query, or the call is refused with the question.

use super::{ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::lead_upload::{self as upload, Answers, Next};
use crate::routes::Routes;
use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use keel_import::ImportError;
use keel_store::{ImportRowError, LeadImport, KEPT_ROW_ERRORS};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/lead-imports", list_lead_imports)
        .upload("/api/v1/lead-imports", create_lead_import)
        .get("/api/v1/lead-imports/{id}", find_lead_import)
        .get("/api/v1/lead-imports/{id}/errors", list_lead_import_errors)
        .post("/api/v1/lead-imports/{id}/cancel", cancel_lead_import)
}

/// One lead import and how far it got.
#[derive(Serialize, ToSchema)]
pub struct LeadImportDto {
    pub id: i64,
    pub file_name: String,
    /// The system record ids belong to (hubspot, salesforce, or the mapped file's).
    pub source_system: String,
    /// The profile that read the file: hubspot, salesforce, keel, or generic (a mapping).
    pub profile: String,
    /// uploaded (waiting for answers), staging (running), published, failed, cancelled,
    /// abandoned.
    pub status: String,
    /// True while running with no progress for ten minutes: its server stopped.
    pub stalled: bool,
    pub bytes_total: i64,
    pub bytes_read: i64,
    pub rows_read: i64,
    /// Rows that cannot be imported (their details: `/errors`).
    pub rows_bad: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub cancel_requested: bool,
    pub error: Option<String>,
    /// Unix seconds.
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

impl From<LeadImport> for LeadImportDto {
    fn from(i: LeadImport) -> Self {
        LeadImportDto {
            stalled: i.stalled(crate::time_fmt::now()),
            id: i.id,
            file_name: i.file_name,
            source_system: i.source_system,
            profile: i.profile,
            status: i.status,
            bytes_total: i.bytes_total,
            bytes_read: i.bytes_read,
            rows_read: i.rows_read,
            rows_bad: i.rows_bad,
            inserted: i.inserted,
            updated: i.updated,
            unchanged: i.unchanged,
            skipped: i.rows_skipped,
            cancel_requested: i.cancel_requested,
            error: i.error,
            started_at: i.started_at,
            finished_at: i.finished_at,
        }
    }
}

/// A row that cannot be imported.
#[derive(Serialize, ToSchema)]
pub struct ImportRowErrorDto {
    /// The line (or spreadsheet row) of the file.
    pub line: i64,
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

impl From<ImportRowError> for ImportRowErrorDto {
    fn from(e: ImportRowError) -> Self {
        ImportRowErrorDto {
            line: e.line,
            column: e.column,
            value: e.value,
            reason: e.reason,
        }
    }
}

/// The workspace's recent lead imports, newest first.
#[utoipa::path(get, path = "/api/v1/lead-imports", operation_id = "list_lead_imports", tag = "leads",
    responses((status = 200, body = [LeadImportDto]), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_lead_imports(
    State(state): State<AppState>,
    ctx: ApiCtx,
) -> Result<Json<Vec<LeadImportDto>>, ApiError> {
    ctx.require_leads()?;
    let all = state.store.list_lead_imports(ctx.ws_id, 50).await?;
    Ok(Json(all.into_iter().map(LeadImportDto::from).collect()))
}

/// One lead import: poll it for progress.
#[utoipa::path(get, path = "/api/v1/lead-imports/{id}", operation_id = "find_lead_import", tag = "leads",
    params(("id" = i64, Path, description = "The import's id")),
    responses((status = 200, body = LeadImportDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn find_lead_import(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<LeadImportDto>, ApiError> {
    ctx.require_leads()?;
    Ok(Json(state.store.lead_import(ctx.ws_id, id).await?.into()))
}

/// The rows of an import that cannot be imported, in file order (at most 10,000; `rows_bad`
/// counts them all).
#[utoipa::path(get, path = "/api/v1/lead-imports/{id}/errors", operation_id = "list_lead_import_errors", tag = "leads",
    params(("id" = i64, Path, description = "The import's id")),
    responses((status = 200, body = [ImportRowErrorDto]), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_lead_import_errors(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<Vec<ImportRowErrorDto>>, ApiError> {
    ctx.require_leads()?;
    state.store.lead_import(ctx.ws_id, id).await?;
    let errors = state
        .store
        .lead_import_errors(ctx.ws_id, id, KEPT_ROW_ERRORS)
        .await?;
    Ok(Json(errors.into_iter().map(Into::into).collect()))
}

/// Cancel an import: one that waits for answers ends at once, a running one at its next batch
/// (poll it until `status` is `cancelled`). The leads stay as they were.
#[utoipa::path(post, path = "/api/v1/lead-imports/{id}/cancel", operation_id = "cancel_lead_import", tag = "leads",
    params(("id" = i64, Path, description = "The import's id")),
    responses((status = 200, body = LeadImportDto), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn cancel_lead_import(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiPath(id): ApiPath,
) -> Result<Json<LeadImportDto>, ApiError> {
    ctx.require_leads()?;
    let import = state.store.lead_import(ctx.ws_id, id).await?;
    ctx.require_edit()?;
    match state.store.cancel_lead_import(ctx.ws_id, id).await? {
        keel_store::Cancel::TooLate => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "finished",
                format!("This import has already ended ({}).", import.status),
            ))
        }
        keel_store::Cancel::Done => {
            if let Some(p) = import
                .upload
                .as_deref()
                .and_then(|u| upload::path_of(&state, u))
            {
                let _ = tokio::fs::remove_file(p).await;
            }
        }
        keel_store::Cancel::Asked => {}
    }
    Ok(Json(state.store.lead_import(ctx.ws_id, id).await?.into()))
}

/// What a file leaves unclear, answered in the query.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Read as pairs (a mapping repeats `map`); this documents them.
pub struct ImportQuery {
    /// The file's name, shown in the import history (default "upload").
    file_name: Option<String>,
    /// `us` (month first) or `day-first`, when dates like 03/04/2026 could be either.
    dates: Option<String>,
    /// `point` or `comma`, when amounts like 1,234 could be either.
    decimal: Option<String>,
    /// `field=Column header`, once per field, for a file no profile recognises (at least
    /// external_id and created).
    map: Option<Vec<String>>,
    /// The system a mapped file's record ids come from (default "csv").
    system: Option<String>,
    /// `true`: import the good rows and list the others; else one bad row imports nothing.
    skip_bad_rows: Option<bool>,
}

fn question(e: &ImportError) -> ApiError {
    let (code, hint) = match e {
        ImportError::AskDates { .. } => ("unclear_dates", " Send dates=us or dates=day-first."),
        ImportError::AskDecimal { .. } => {
            ("unclear_decimal", " Send decimal=point or decimal=comma.")
        }
        ImportError::UnknownColumns(_) => (
            "unknown_columns",
            " Send map=external_id=COLUMN and map=created=COLUMN (and any other field).",
        ),
        ImportError::Mapping(_) => ("bad_mapping", ""),
        _ => ("unreadable_file", ""),
    };
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, format!("{e}{hint}"))
}

/// Import a CRM export (CSV in any common encoding, or XLSX) sent as the request body. It
/// runs in the background: poll the returned import until its `status` is `published`,
/// `failed` or `cancelled`. Importing the same file again adds nothing (leads are matched by
/// their record id per source system).
#[utoipa::path(post, path = "/api/v1/lead-imports", operation_id = "create_lead_import", tag = "leads",
    params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, as exported"),
    responses((status = 202, body = LeadImportDto), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_lead_import(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiQuery(q): ApiQuery<Vec<(String, String)>>,
    body: Body,
) -> Result<Response, ApiError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    let get = |k: &str| {
        q.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut answers = Answers {
        dates: get("dates"),
        decimal: get("decimal"),
        system: get("system"),
        skip_bad_rows: get("skip_bad_rows").is_some_and(|v| v == "true" || v == "1"),
        ..Answers::default()
    };
    if let Some(d) = &answers.dates {
        keel_import::DateOrder::parse(d)
            .map_err(|m| ApiError::from(keel_domain::Invalid::one("dates", m)))?;
    }
    if let Some(d) = &answers.decimal {
        keel_import::Decimal::parse(d)
            .map_err(|m| ApiError::from(keel_domain::Invalid::one("decimal", m)))?;
    }
    for (k, v) in &q {
        if k == "map" {
            let (f, c) = v.split_once('=').ok_or_else(|| {
                ApiError::from(keel_domain::Invalid::one(
                    "map",
                    format!("'{v}' is not field=Column, like created=Create Date."),
                ))
            })?;
            answers
                .mapping
                .push((f.trim().to_string(), c.trim().to_string()));
        }
    }
    let file_name: String = get("file_name")
        .unwrap_or_else(|| "upload".into())
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let (stored, bytes) = upload::receive(&state, body.into_data_stream())
        .await
        .map_err(|e| match e {
            upload::UploadError::TooLarge(_) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", e.message())
            }
            upload::UploadError::Empty => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "empty_file", e.message())
            }
            upload::UploadError::Io(m) => ApiError::internal(m),
        })?;
    let id = state
        .store
        .create_lead_upload(
            ctx.ws_id,
            &file_name,
            &stored,
            bytes as i64,
            Some(ctx.user_id),
        )
        .await?;
    let path = state.config.import_dir.join(&stored);
    let zone = state.store.zone_of(ctx.ws_id).await?;
    let refused =
        match upload::try_open(&state.store, ctx.ws_id, path.clone(), &mut answers, zone).await? {
            Next::Ready(reader) => {
                upload::start(&state, ctx.ws_id, id, *reader, &answers, path.clone()).await?;
                None
            }
            Next::Ask(e) => Some(question(&e)),
            Next::Unreadable(why) => Some(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable_file",
                why,
            )),
        };
    if let Some(e) = refused {
        // A program sends the file again with its answers: this upload ends here.
        state
            .store
            .fail_lead_import(ctx.ws_id, id, &e.message)
            .await?;
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    let import = state.store.lead_import(ctx.ws_id, id).await?;
    Ok((StatusCode::ACCEPTED, Json(LeadImportDto::from(import))).into_response())
}
