//! The decision log: every decision, filtered by kind, category, owner, status and period,
//! searched by words; open ones past due first. An owner marks one done or reversed here, and
//! records a decision taken outside a review (the same form and confirmation as a review's).

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::review::{decision_form, decision_line, record, DecisionForm, DecisionLine, Recorded};
use super::reviews::model;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::reviews as ops;
use crate::ops::strategy::today;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::health::Model;
use keel_domain::review::log::{Filter, FilterInput};
use keel_domain::review::{
    agenda, Category, DecisionDraft, DecisionInput, DecisionKind, DecisionStatus, Kind,
};
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/decisions", log)
        .post("/w/{ws}/decisions", decide)
        .get("/w/{ws}/decisions.csv", csv_export)
        .get("/w/{ws}/decisions.xlsx", xlsx_export)
        .post("/w/{ws}/decisions/{decision}/status", set_status)
}

#[derive(Deserialize, Default)]
struct LogQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    notice: Option<String>,
}

pub struct Row {
    pub line: DecisionLine,
    pub past_due: bool,
    pub open: bool,
    pub decided: String,
    pub review_id: Option<i64>,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "reviews/decisions.html")]
struct LogPage {
    chrome: Chrome,
    rows: Vec<Row>,
    total: usize,
    kinds: Vec<Choice>,
    categories: Vec<Choice>,
    owners: Vec<Choice>,
    statuses: Vec<Choice>,
    from: String,
    to: String,
    q: String,
    errors: Errors,
    refusal: Option<String>,
    /// The filters as a query string, for the CSV and XLSX links.
    export_query: String,
    /// Recording a decision outside a review.
    form: DecisionForm,
    /// The form is open: it came back with errors or a confirmation.
    form_open: bool,
}

/// The decision form of the log: evidence from this week's agenda, priorities, channels and
/// workflows; decided today.
fn log_form(ctx: &WsCtx, m: &Model, typed: Option<&Vec<(String, String)>>) -> DecisionForm {
    let a = agenda::agenda(Kind::Weekly, m, today(m));
    let mut form = decision_form(m, &a, typed, ctx.person_id);
    form.action = ctx.link("/decisions#decide");
    form
}

async fn render_log(
    state: &AppState,
    ctx: &WsCtx,
    q: LogQuery,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let m = model(state, ctx).await?;
    let form = log_form(ctx, &m, None);
    render_log_with(ctx, &m, q, refusal, status, form, false)
}

fn render_log_with(
    ctx: &WsCtx,
    m: &Model,
    q: LogQuery,
    refusal: Option<String>,
    status: StatusCode,
    form: DecisionForm,
    form_open: bool,
) -> Result<Response, PageError> {
    let day = today(m);
    let input = FilterInput {
        kind: q.kind.clone(),
        category: q.category.clone(),
        owner_id: q.owner_id.clone(),
        status: q.status.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        q: q.q.clone(),
    };
    let (filter, errors) = match Filter::parse(&input) {
        Ok(f) => (f, Invalid::new()),
        Err(inv) => (Filter::default(), inv),
    };
    let hits = ops::matching(m, &filter, day);
    let rows = hits
        .iter()
        .map(|d| Row {
            line: decision_line(m, d),
            past_due: d.is_past_due(day),
            open: d.status == DecisionStatus::Open,
            decided: d.decided_on.long(),
            review_id: d.review_id,
            version: d.version,
        })
        .collect();
    let export_query = [
        ("kind", &q.kind),
        ("category", &q.category),
        ("owner_id", &q.owner_id),
        ("status", &q.status),
        ("from", &q.from),
        ("to", &q.to),
        ("q", &q.q),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", urlencode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let any = |label: &'static str| std::iter::once((String::new(), label.to_string()));
    let page = LogPage {
        chrome: ctx
            .chrome("Decision log", "reviews")
            .with_notice(q.notice.as_deref()),
        total: m.decisions.len(),
        rows,
        kinds: choices(
            any("Any kind").chain(
                DecisionKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_string(), k.label().to_string())),
            ),
            &q.kind,
        ),
        categories: choices(
            any("Any cause").chain(
                Category::ALL
                    .iter()
                    .map(|c| (c.as_str().to_string(), c.label().to_string())),
            ),
            &q.category,
        ),
        owners: choices(
            any("Anyone").chain(
                m.people
                    .iter()
                    .filter(|p| !p.is_external())
                    .map(|p| (p.id.to_string(), p.display())),
            ),
            &q.owner_id,
        ),
        statuses: choices(
            any("Any status").chain(
                DecisionStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), s.label().to_string())),
            ),
            &q.status,
        ),
        from: q.from,
        to: q.to,
        q: q.q,
        errors: Errors(errors),
        refusal,
        export_query,
        form,
        form_open,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

/// The decision log as a file, with the log's filters and order (`ops::decision_export`:
/// formulas neutralised in both formats).
async fn export(
    state: &AppState,
    ctx: &WsCtx,
    q: LogQuery,
    xlsx: bool,
) -> Result<Response, PageError> {
    use crate::ops::decision_export as file;
    let m = model(state, ctx).await?;
    let input = FilterInput {
        kind: q.kind,
        category: q.category,
        owner_id: q.owner_id,
        status: q.status,
        from: q.from,
        to: q.to,
        q: q.q,
    };
    let filter = Filter::parse(&input).unwrap_or_default();
    let hits = ops::matching(&m, &filter, today(&m));
    let (kind, name, body) = if xlsx {
        let bytes = file::xlsx(&m, &hits).map_err(PageError::Internal)?;
        (file::XLSX, "decisions.xlsx", bytes)
    } else {
        (
            "text/csv; charset=utf-8",
            "decisions.csv",
            file::csv(&m, &hits).into_bytes(),
        )
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, kind.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn csv_export(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    export(&state, &ctx, q, false).await
}

async fn xlsx_export(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    export(&state, &ctx, q, true).await
}

async fn log(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    render_log(&state, &ctx, q, None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: String,
}

/// Records a decision outside a review, decided today; a "pause" or a "stop" asks to confirm
/// what it changes first, as in a review.
async fn decide(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    ctx.require_edit()?;
    let form = log_form(&ctx, &m, Some(&pairs));
    match record(&state, &ctx, &m, None, today(&m), &pairs, form).await? {
        Recorded::Done(notice) => {
            Ok(Redirect::to(&ctx.link(&format!("/decisions?notice={notice}"))).into_response())
        }
        Recorded::Again(form, status) => {
            render_log_with(&ctx, &m, LogQuery::default(), None, status, *form, true)
        }
    }
}

/// Marks a decision done, reversed or open again; everything else about it stays.
async fn set_status(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let d = ops::decision(&m, id).ok_or(PageError::NotFound)?;
    ctx.require_edit()?;
    let input = DecisionInput {
        status: f.status.clone(),
        ..ops::input_of(&d)
    };
    let draft = match DecisionDraft::parse(&input, &m, d.decided_on) {
        Ok(x) => x,
        Err(inv) => {
            let msg = inv.to_string();
            return render_log(
                &state,
                &ctx,
                LogQuery::default(),
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .update_decision(ctx.ws.id, id, version(&f.version), &draft, today(&m))
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/decisions?notice=decision-saved")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let msg = "Someone changed this decision after you opened the log; nothing was changed. Check it below and try again.";
            render_log(
                &state,
                &ctx,
                LogQuery::default(),
                Some(msg.into()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
