//! A person's load on their page: the chart, the numbers behind it, and the recurring
//! commitments (added, changed and removed here).

use super::forms::{choices, version, Choice, Errors};
use super::load_chart;
use super::people::{find, form_page_with, Extra, PersonForm};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::capacity::{
    Commitment, CommitmentDraft, CommitmentInput, CommitmentKind, PersonLoad, Source,
    DEFAULT_SPAN_WEEKS,
};
use keel_domain::health::Model;
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/people/{person}/load.svg", chart)
        .post("/w/{ws}/people/{person}/commitments", create)
        .post("/w/{ws}/people/{person}/commitments/{commitment}", update)
        .post(
            "/w/{ws}/people/{person}/commitments/{commitment}/delete",
            delete,
        )
}

#[derive(Deserialize, Default, Clone)]
pub struct CommitmentForm {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub workflow_id: String,
    #[serde(default)]
    pub version: String,
}

impl CommitmentForm {
    fn input(&self) -> CommitmentInput {
        CommitmentInput {
            label: self.label.clone(),
            kind: self.kind.clone(),
            hours: self.hours.clone(),
            workflow_id: self.workflow_id.clone(),
        }
    }
}

pub struct WeekRow {
    pub label: String,
    pub recurring: f64,
    pub one_off: f64,
    pub total: f64,
    pub over: bool,
}

pub struct RecurringRow {
    pub kind: &'static str,
    pub label: String,
    pub hours: f64,
    /// Set for a function's weekly hours (edited on the function).
    pub function_id: Option<i64>,
    /// Set for a commitment entered for the person.
    pub commitment: Option<Commitment>,
    /// The workflow a deciding commitment follows.
    pub workflow: Option<String>,
}

pub struct OneOffRow {
    pub item_id: i64,
    pub title: String,
    pub estimate: f64,
    pub per_week: f64,
    pub weeks: String,
    pub note: Option<String>,
    pub late: bool,
}

/// Everything the person page shows about load.
pub struct LoadView {
    pub headline: String,
    pub load: PersonLoad,
    pub weeks: Vec<WeekRow>,
    pub recurring: Vec<RecurringRow>,
    pub one_off: Vec<OneOffRow>,
    pub chart_url: String,
    pub form: CommitmentForm,
    pub errors: Errors,
    pub kinds: Vec<Choice>,
    pub workflows: Vec<Choice>,
    pub default_span: i64,
}

fn round1(h: f64) -> f64 {
    (h * 10.0).round() / 10.0 + 0.0
}

impl LoadView {
    pub fn new(
        ctx: &WsCtx,
        m: &Model,
        load: PersonLoad,
        person_id: i64,
        failed: Option<(CommitmentForm, Invalid)>,
    ) -> LoadView {
        let workflow_name = |id: i64| {
            m.workflows
                .iter()
                .find(|w| w.id == id)
                .map(|w| w.spec.name.clone())
        };
        let recurring = load
            .recurring
            .iter()
            .map(|r| {
                let (function_id, commitment) = match r.source {
                    Source::Function(id) => (Some(id), None),
                    Source::Hidden => (None, None),
                    Source::Commitment(id) => {
                        (None, m.commitments.iter().find(|c| c.id == id).cloned())
                    }
                };
                RecurringRow {
                    kind: r.kind.label(),
                    label: r.label.clone(),
                    hours: r.hours,
                    function_id,
                    workflow: commitment
                        .as_ref()
                        .and_then(|c| c.workflow_id)
                        .and_then(workflow_name),
                    commitment,
                }
            })
            .collect();
        let one_off = load
            .one_off
            .iter()
            .map(|o| OneOffRow {
                item_id: o.item_id,
                title: o.title.clone(),
                estimate: o.estimate,
                per_week: round1(o.per_week),
                weeks: format!(
                    "{} – {}",
                    o.first_week.day_month(),
                    o.last_week.add_days(6).day_month()
                ),
                note: o.span.note(),
                late: o.late,
            })
            .collect();
        let weeks = load
            .weeks
            .iter()
            .map(|w| WeekRow {
                label: load_chart::week_label(w),
                recurring: w.recurring,
                one_off: w.one_off,
                total: w.total,
                over: w.total > load.capacity + 1e-9,
            })
            .collect();
        let (form, errors) = match failed {
            Some((f, e)) => (f, e),
            None => (
                CommitmentForm {
                    kind: "meetings".into(),
                    ..Default::default()
                },
                Invalid::new(),
            ),
        };
        let kinds = choices(
            CommitmentKind::ALL.iter().map(|k| (k.as_str(), k.label())),
            &form.kind,
        );
        let mut workflows = choices(
            [(String::new(), "Not linked".to_string())],
            &form.workflow_id,
        );
        workflows.extend(choices(
            m.workflows
                .iter()
                .filter(|w| w.spec.decision_owner() == Some(person_id))
                .map(|w| (w.id, w.spec.name.clone())),
            &form.workflow_id,
        ));
        LoadView {
            headline: load_chart::headline(&load),
            chart_url: ctx.link(&format!(
                "/people/{person_id}/load.svg?v={}",
                ctx.ws.data_version
            )),
            load,
            weeks,
            recurring,
            one_off,
            form,
            errors: Errors(errors),
            kinds,
            workflows,
            default_span: DEFAULT_SPAN_WEEKS,
        }
    }
}

async fn chart(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    let loads = model::loads(&state, ctx.ws.id, ctx.ws.data_version).await?;
    let l = loads.of(p.id).ok_or(PageError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        load_chart::svg(l),
    )
        .into_response())
}

/// The workflows a commitment may follow: (id, decision owner).
async fn workflow_owners(
    state: &AppState,
    ctx: &WsCtx,
) -> Result<Vec<(i64, Option<i64>)>, PageError> {
    let m = model::whole(state, ctx.ws.id, ctx.ws.data_version).await?;
    Ok(m.workflows
        .iter()
        .map(|w| (w.id, w.spec.decision_owner()))
        .collect())
}

async fn again(
    state: &AppState,
    ctx: &WsCtx,
    id: i64,
    form: CommitmentForm,
    inv: Invalid,
) -> Result<Response, PageError> {
    let p = find(state, ctx, id).await?;
    let pf = PersonForm::from_person(&p);
    let extra = Extra {
        commitment: Some((form, inv)),
        ..Default::default()
    };
    form_page_with(state, ctx, Some(p), pf, extra).await
}

fn back(ctx: &WsCtx, person: i64) -> Response {
    Redirect::to(&ctx.link(&format!("/people/{person}?notice=commitment-saved#load")))
        .into_response()
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<CommitmentForm>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match CommitmentDraft::parse(&form.input(), p.id, &workflow_owners(&state, &ctx).await?) {
        Ok(d) => {
            state.store.create_commitment(ctx.ws.id, p.id, &d).await?;
            Ok(back(&ctx, p.id))
        }
        Err(inv) => again(&state, &ctx, id, form, inv).await,
    }
}

async fn find_commitment(
    state: &AppState,
    ctx: &WsCtx,
    person: i64,
    id: i64,
) -> Result<Commitment, PageError> {
    find(state, ctx, person).await?;
    state
        .store
        .find_commitment(ctx.ws.id, id)
        .await?
        .filter(|c| c.person_id == person)
        .ok_or(PageError::NotFound)
}

fn stale() -> Invalid {
    Invalid::one(
        "version",
        "Someone changed this commitment after you opened the page. Check it below and save again.",
    )
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, person, id)): Path<(String, i64, i64)>,
    Form(form): Form<CommitmentForm>,
) -> Result<Response, PageError> {
    find_commitment(&state, &ctx, person, id).await?;
    ctx.require_edit()?;
    let d = match CommitmentDraft::parse(
        &form.input(),
        person,
        &workflow_owners(&state, &ctx).await?,
    ) {
        Ok(d) => d,
        Err(inv) => return again(&state, &ctx, person, form, inv).await,
    };
    match state
        .store
        .update_commitment(ctx.ws.id, id, version(&form.version), &d)
        .await
    {
        Ok(_) => Ok(back(&ctx, person)),
        Err(StoreError::Stale { .. }) => again(&state, &ctx, person, form, stale()).await,
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, person, id)): Path<(String, i64, i64)>,
    Form(form): Form<CommitmentForm>,
) -> Result<Response, PageError> {
    find_commitment(&state, &ctx, person, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_commitment(ctx.ws.id, id, version(&form.version))
        .await
    {
        Ok(()) => Ok(back(&ctx, person)),
        Err(StoreError::Stale { .. }) => again(&state, &ctx, person, form, stale()).await,
        Err(e) => Err(e.into()),
    }
}
