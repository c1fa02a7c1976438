//! Importing a lead file in the web app: upload, answer what the file leaves unclear (date
//! order, decimal mark, which column is which, saved for next time), then watch the
//! background job's progress live (it survives a reload) and cancel it if need be. The rows
//! that cannot be imported are listed and can be downloaded.

use super::layout::{render, Chrome};
use super::lead_quality::thousands;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::lead_upload::{self as upload, Answers, Next};
use crate::routes::Routes;
use crate::time_fmt::date;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_import::profile::{FIELDS, REQUIRED};
use keel_import::{ImportError, Preview};
use keel_store::{ImportRowError, LeadImport, LeadMapping};
use std::collections::HashMap;

/// Row errors shown on the page; all kept ones are in the download.
const SHOWN_ERRORS: i64 = 100;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/leads/import", form)
        .upload("/w/{ws}/leads/import", receive)
        .get("/w/{ws}/leads/imports/{import}", job)
        .get("/w/{ws}/leads/imports/{import}/progress", progress)
        .post("/w/{ws}/leads/imports/{import}/answer", answer)
        .post("/w/{ws}/leads/imports/{import}/cancel", cancel)
        .get("/w/{ws}/leads/imports/{import}/errors.csv", errors_csv)
        .post("/w/{ws}/leads/mappings/{mapping}/delete", delete_mapping)
}

#[derive(Template)]
#[template(path = "leads/import.html")]
struct UploadPage {
    chrome: Chrome,
    error: Option<String>,
    max: String,
    mappings: Vec<LeadMapping>,
}

impl UploadPage {
    fn columns(&self, m: &LeadMapping) -> String {
        upload::mapping_pairs(m)
            .iter()
            .map(|(f, c)| format!("{c} → {}", field_label(f)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn upload_page(
    state: &AppState,
    ctx: &WsCtx,
    error: Option<String>,
) -> Result<Response, PageError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = render(&UploadPage {
        chrome: ctx.chrome("Import leads", "leads"),
        error,
        max: upload::size(state.config.max_import_bytes),
        mappings: state.store.list_lead_mappings(ctx.ws.id).await?,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

async fn form(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    upload_page(&state, &ctx, None).await
}

/// The uploaded file streams to the import directory; a file keel can read at once starts
/// importing, else the import's page asks what it needs.
async fn receive(
    State(state): State<AppState>,
    ctx: WsCtx,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    let Ok(mut multipart) = multipart else {
        return upload_page(
            &state,
            &ctx,
            Some("Choose a file: a CSV or Excel export of your CRM's leads.".into()),
        )
        .await;
    };
    let mut saved: Option<(String, String, u64)> = None;
    let mut answers = Answers::default();
    let mut failed: Option<String> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                failed = Some(format!("The upload did not arrive whole ({e}). Try again."));
                break;
            }
        };
        match field.name() {
            Some("file") => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim().to_string())
                    .unwrap_or_default();
                if name.is_empty() {
                    continue;
                }
                match upload::receive(&state, field).await {
                    Ok((stored, bytes)) => saved = Some((name, stored, bytes)),
                    Err(e) => {
                        failed = Some(e.message());
                        break;
                    }
                }
            }
            Some("skip_bad_rows") => answers.skip_bad_rows = true,
            _ => {}
        }
    }
    if let Some(e) = failed {
        if let Some((_, stored, _)) = &saved {
            let _ = std::fs::remove_file(state.config.import_dir.join(stored));
        }
        return upload_page(&state, &ctx, Some(e)).await;
    }
    let Some((name, stored, bytes)) = saved else {
        return upload_page(
            &state,
            &ctx,
            Some("Choose a file: a CSV or Excel export of your CRM's leads.".into()),
        )
        .await;
    };
    let file_name: String = name.chars().take(200).collect();
    let id = state
        .store
        .create_lead_upload(
            ctx.ws.id,
            &file_name,
            &stored,
            bytes as i64,
            Some(ctx.session.user_id),
        )
        .await?;
    let path = state.config.import_dir.join(&stored);
    proceed(&state, &ctx, id, path, answers).await?;
    Ok(Redirect::to(&ctx.link(&format!("/leads/imports/{id}"))).into_response())
}

/// Opens an upload with its answers: starts it when nothing is unclear, keeps the answers
/// otherwise, and ends it when the file cannot be read at all.
async fn proceed(
    state: &AppState,
    ctx: &WsCtx,
    id: i64,
    path: std::path::PathBuf,
    mut answers: Answers,
) -> Result<Option<ImportError>, PageError> {
    let zone = state.store.zone_of(ctx.ws.id).await?;
    match upload::try_open(&state.store, ctx.ws.id, path.clone(), &mut answers, zone).await? {
        Next::Ready(reader) => {
            upload::start(state, ctx.ws.id, id, *reader, &answers, path).await?;
            Ok(None)
        }
        Next::Ask(q) => {
            state
                .store
                .set_lead_upload_options(ctx.ws.id, id, &answers.json())
                .await?;
            Ok(Some(q))
        }
        Next::Unreadable(why) => {
            state.store.fail_lead_import(ctx.ws.id, id, &why).await?;
            let _ = tokio::fs::remove_file(&path).await;
            Ok(None)
        }
    }
}

/// What the page asks.
enum Question {
    Dates {
        line: u64,
        column: String,
        value: String,
    },
    Decimal {
        line: u64,
        column: String,
        value: String,
    },
    Mapping {
        preview: Preview,
        problem: Option<String>,
    },
}

#[derive(Template)]
#[template(path = "leads/import_job.html")]
struct JobPage {
    chrome: Chrome,
    import: LeadImport,
    view: Progress,
    question: Option<Question>,
    /// The upload is held by another server (or was removed).
    elsewhere: bool,
    answers: Answers,
    /// Field → chosen column, for the mapping form.
    chosen: HashMap<String, String>,
    errors: Vec<ImportRowError>,
    fields: &'static [&'static str],
    required: &'static [&'static str],
}

impl JobPage {
    fn is_chosen(&self, field: &str, column: &str) -> bool {
        self.chosen.get(field).is_some_and(|c| c == column)
    }
    fn is_required(&self, field: &&str) -> bool {
        self.required.contains(field)
    }
    fn label(&self, field: &&str) -> String {
        field_label(field)
    }
    fn system(&self) -> &str {
        self.answers.system.as_deref().unwrap_or("csv")
    }
}

fn field_label(field: &str) -> String {
    match field {
        "external_id" => "Record id".into(),
        "created" => "Created date".into(),
        "pipeline_amount" => "Pipeline amount".into(),
        "won_amount" => "Won amount".into(),
        other => {
            let s = other.replace('_', " ");
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

/// An import's progress as the page and its live fragment show it.
#[derive(Template)]
#[template(path = "leads/import_progress.html")]
struct Progress {
    slug: String,
    csrf: String,
    can_edit: bool,
    import: LeadImport,
    percent: u64,
    rate: Option<i64>,
    stalled: bool,
    started: String,
}

impl Progress {
    fn new(ctx: &WsCtx, import: &LeadImport, zone: &keel_domain::Zone) -> Progress {
        let beat = import.heartbeat_at.unwrap_or(import.started_at);
        let secs = beat - import.started_at;
        Progress {
            slug: ctx.ws.slug.clone(),
            csrf: ctx.session.csrf.clone(),
            can_edit: ctx.role.can_edit_model(),
            import: import.clone(),
            percent: if import.bytes_total > 0 {
                ((import.bytes_read.max(0) as u64 * 100) / import.bytes_total as u64).min(100)
            } else {
                0
            },
            rate: (secs > 0 && import.rows_read > 0).then(|| import.rows_read / secs),
            stalled: import.stalled(crate::time_fmt::now()),
            started: date(import.started_at, zone),
        }
    }
    fn running(&self) -> bool {
        self.import.status == "staging" && !self.stalled
    }
    fn number(&self, n: &i64) -> String {
        thousands(*n)
    }
    fn size(&self, n: &i64) -> String {
        upload::size((*n).max(0) as u64)
    }
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<LeadImport, PageError> {
    ctx.require_leads()?;
    Ok(state.store.lead_import(ctx.ws.id, id).await?)
}

/// The question an upload still has, from its file (or from a refused answer).
async fn question(
    state: &AppState,
    ctx: &WsCtx,
    import: &LeadImport,
    problem: Option<String>,
) -> Result<(Option<Question>, bool), PageError> {
    if import.status != "uploaded" {
        return Ok((None, false));
    }
    let Some(path) = import
        .upload
        .as_deref()
        .and_then(|u| upload::path_of(state, u))
    else {
        return Ok((None, true));
    };
    let mut answers = Answers::parse(import.options.as_deref());
    let zone = state.store.zone_of(ctx.ws.id).await?;
    let q =
        match upload::try_open(&state.store, ctx.ws.id, path.clone(), &mut answers, zone).await? {
            Next::Ask(ImportError::AskDates {
                line,
                column,
                value,
            }) if problem.is_none() => Some(Question::Dates {
                line,
                column,
                value,
            }),
            Next::Ask(ImportError::AskDecimal {
                line,
                column,
                value,
            }) if problem.is_none() => Some(Question::Decimal {
                line,
                column,
                value,
            }),
            Next::Ask(ImportError::Mapping(m)) => Some(Question::Mapping {
                preview: upload::preview(path).await.map_err(unreadable)?,
                problem: problem.or(Some(m)),
            }),
            Next::Ask(_) => Some(Question::Mapping {
                preview: upload::preview(path).await.map_err(unreadable)?,
                problem,
            }),
            // Readable now (a saved mapping, say): the answer form starts it.
            Next::Ready(_) | Next::Unreadable(_) => None,
        };
    Ok((q, false))
}

fn unreadable(e: ImportError) -> PageError {
    PageError::Internal(e.to_string())
}

async fn job_page(
    state: &AppState,
    ctx: &WsCtx,
    import: LeadImport,
    problem: Option<String>,
    chosen: Option<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let refused = problem.is_some();
    let (question, elsewhere) = question(state, ctx, &import, problem).await?;
    let answers = Answers::parse(import.options.as_deref());
    let chosen = chosen.unwrap_or_else(|| answers.mapping.iter().cloned().collect());
    let zone = state.store.zone_of(ctx.ws.id).await?;
    let errors = state
        .store
        .lead_import_errors(ctx.ws.id, import.id, SHOWN_ERRORS)
        .await?;
    let mut r = render(&JobPage {
        chrome: ctx.chrome(format!("Import of {}", import.file_name), "leads"),
        view: Progress::new(ctx, &import, &zone),
        import,
        question,
        elsewhere,
        answers,
        chosen,
        errors,
        fields: FIELDS,
        required: REQUIRED,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

async fn job(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let import = find(&state, &ctx, id).await?;
    job_page(&state, &ctx, import, None, None).await
}

/// The live part of the page (htmx polls it each second); when the import ends, the whole
/// page reloads to show its outcome.
async fn progress(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let import = find(&state, &ctx, id).await?;
    let zone = state.store.zone_of(ctx.ws.id).await?;
    let view = Progress::new(&ctx, &import, &zone);
    if !view.running() {
        return Ok(([("HX-Refresh", "true")], StatusCode::OK).into_response());
    }
    render(&view)
}

/// The answers form: date order, decimal mark, a column mapping (saved under a name when
/// asked), skipping bad rows.
async fn answer(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let import = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    if import.status != "uploaded" {
        return Ok(Redirect::to(&ctx.link(&format!("/leads/imports/{id}"))).into_response());
    }
    let Some(path) = import
        .upload
        .as_deref()
        .and_then(|u| upload::path_of(&state, u))
    else {
        return job_page(&state, &ctx, import, None, None).await;
    };
    let mut answers = Answers::parse(import.options.as_deref());
    let get = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if let Some(d) = get("dates") {
        answers.dates = Some(d);
    }
    if let Some(d) = get("decimal") {
        answers.decimal = Some(d);
    }
    answers.skip_bad_rows = answers.skip_bad_rows || get("skip_bad_rows").is_some();
    let mapped = get("mapping").is_some();
    let mut chosen = HashMap::new();
    if mapped {
        let pairs: Vec<(String, String)> = FIELDS
            .iter()
            .filter_map(|field| get(&format!("map_{field}")).map(|c| (field.to_string(), c)))
            .collect();
        chosen = pairs.iter().cloned().collect();
        let missing: Vec<String> = REQUIRED
            .iter()
            .filter(|r| !chosen.contains_key(**r))
            .map(|r| field_label(r))
            .collect();
        let system = get("system").unwrap_or_else(|| "csv".into());
        let problem = if !missing.is_empty() {
            Some(format!(
                "Choose the column for: {}. keel needs them to know each lead and its month.",
                missing.join(", ")
            ))
        } else {
            keel_domain::lead::system_name(&system).err()
        };
        if let Some(p) = problem {
            answers.system = Some(system);
            let mut shown = import.clone();
            shown.options = Some(answers.json());
            return job_page(&state, &ctx, shown, Some(p), Some(chosen)).await;
        }
        answers.mapping = pairs;
        answers.system = Some(system);
        answers.mapping_name = None;
    }
    let save_as = get("save_as").map(|n| n.chars().take(80).collect::<String>());
    if let Some(q) = proceed(&state, &ctx, id, path, answers.clone()).await? {
        if let ImportError::Mapping(m) = q {
            let import = state.store.lead_import(ctx.ws.id, id).await?;
            return job_page(&state, &ctx, import, Some(m), mapped.then_some(chosen)).await;
        }
    } else if let (true, Some(name)) = (mapped, save_as) {
        state
            .store
            .save_lead_mapping(
                ctx.ws.id,
                &name,
                answers.system.as_deref().unwrap_or("csv"),
                &serde_json::to_string(&answers.mapping).unwrap_or_default(),
                Some(ctx.session.user_id),
            )
            .await?;
    }
    Ok(Redirect::to(&ctx.link(&format!("/leads/imports/{id}"))).into_response())
}

async fn cancel(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let import = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    if state.store.cancel_lead_import(ctx.ws.id, id).await? == keel_store::Cancel::Done {
        if let Some(p) = import
            .upload
            .as_deref()
            .and_then(|u| upload::path_of(&state, u))
        {
            let _ = tokio::fs::remove_file(p).await;
        }
    }
    Ok(Redirect::to(&ctx.link(&format!("/leads/imports/{id}"))).into_response())
}

async fn errors_csv(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let import = find(&state, &ctx, id).await?;
    let errors = state
        .store
        .lead_import_errors(ctx.ws.id, id, keel_store::KEPT_ROW_ERRORS)
        .await?;
    let stem: String = import
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"errors-{stem}.csv\""),
            ),
        ],
        upload::errors_csv(&errors),
    )
        .into_response())
}

async fn delete_mapping(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    state.store.delete_lead_mapping(ctx.ws.id, id).await?;
    Ok(Redirect::to(&ctx.link("/leads/import")).into_response())
}
