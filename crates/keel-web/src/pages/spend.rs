//! Spend: what a channel or campaign cost per month, entered by a member; everyone who sees
//! leads reads it.

use super::forms::Errors;
use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::lead::month_label;
use keel_domain::lead::spend::{amount, SpendDraft};
use keel_domain::Invalid;
use keel_store::{Months, Spend};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/spend", page)
        .post("/w/{ws}/spend", save)
        .post("/w/{ws}/spend/{spend}/delete", delete)
        .post("/w/{ws}/spend/import", import)
}

#[derive(Deserialize, Default)]
struct TableForm {
    #[serde(default)]
    csv: String,
}

#[derive(Deserialize, Default)]
struct SpendForm {
    #[serde(default)]
    month: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    amount: String,
}

#[derive(Template)]
#[template(path = "leads/spend.html")]
struct Page {
    chrome: Chrome,
    spend: Vec<Spend>,
    form: SpendForm,
    errors: Errors,
    /// A pasted table that was refused, kept with one line per problem.
    table: String,
    table_errors: Vec<String>,
}

impl Page {
    fn month(&self, s: &Spend) -> String {
        month_label(s.month)
    }
    fn amount(&self, s: &Spend) -> String {
        amount(s.amount_cents)
    }
}

#[derive(Deserialize)]
struct NoticeOnly {
    #[serde(default)]
    notice: Option<String>,
}

async fn render_page(
    state: &AppState,
    ctx: &WsCtx,
    notice: Option<&str>,
    form: SpendForm,
    errors: Invalid,
    table: (String, Vec<String>),
) -> Result<Response, PageError> {
    let status = if errors.is_empty() && table.1.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&Page {
        chrome: ctx.chrome("Spend", "leads").with_notice(notice),
        spend: state.store.list_spend(ctx.ws.id, Months::default()).await?,
        form,
        errors: Errors(errors),
        table: table.0,
        table_errors: table.1,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeOnly>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    render_page(
        &state,
        &ctx,
        q.notice.as_deref(),
        SpendForm::default(),
        Invalid::new(),
        Default::default(),
    )
    .await
}

/// A table of spend pasted from a spreadsheet (`keel_import::spend`): all or nothing, a
/// refused table kept in the box with one line per problem.
async fn import(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<TableForm>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    match keel_import::spend::parse(f.csv.as_bytes()) {
        Ok(rows) => {
            state.store.set_spend_many(ctx.ws.id, &rows).await?;
            Ok(Redirect::to(&ctx.link("/spend?notice=spend-imported")).into_response())
        }
        Err(errors) => {
            let errors = errors.iter().map(ToString::to_string).collect();
            render_page(
                &state,
                &ctx,
                None,
                SpendForm::default(),
                Invalid::new(),
                (f.csv, errors),
            )
            .await
        }
    }
}

async fn save(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<SpendForm>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    match SpendDraft::parse(&f.month, &f.channel, &f.campaign, &f.amount) {
        Ok(d) => {
            state
                .store
                .set_spend(ctx.ws.id, d.month, &d.channel, &d.campaign, d.amount_cents)
                .await?;
            Ok(Redirect::to(&ctx.link("/spend?notice=spend-saved")).into_response())
        }
        Err(e) => render_page(&state, &ctx, None, f, e, Default::default()).await,
    }
}

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: String,
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    if !state
        .store
        .list_spend(ctx.ws.id, Months::default())
        .await?
        .iter()
        .any(|s| s.id == id)
    {
        return Err(PageError::NotFound);
    }
    ctx.require_edit()?;
    let expected = super::forms::version(&f.version);
    state
        .store
        .delete_spend(ctx.ws.id, id, Some(expected))
        .await?;
    Ok(Redirect::to(&ctx.link("/spend?notice=spend-deleted")).into_response())
}
