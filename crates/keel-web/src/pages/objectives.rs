//! Objectives, each with its SMART check.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::strategy as ops;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::health::Model;
use keel_domain::objective::{self, Layer, SmartPart};
use keel_domain::{Invalid, Objective, ObjectiveInput, Person};
use keel_store::StoreError;
use serde::Deserialize;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/objectives", list)
        .get("/w/{ws}/objectives/new", new)
        .post("/w/{ws}/objectives", create)
        .get("/w/{ws}/objectives/{objective}", show)
        .post("/w/{ws}/objectives/{objective}", update)
        .post("/w/{ws}/objectives/{objective}/delete", delete)
}

pub struct Row {
    pub objective: Objective,
    pub owner: Option<Person>,
    pub smart: Vec<SmartPart>,
    pub ok: bool,
    /// The linked KPI metric's id and latest value ("latest 51 leads, Nov 2026").
    pub kpi_metric: Option<(i64, String)>,
    kpi_name: Option<String>,
    /// Why it is at risk (`objective::at_risk`), if it is.
    pub at_risk: Option<String>,
}

impl Row {
    fn new(o: Objective, m: &Model) -> Row {
        let smart = objective::smart(&o, m);
        let kpi_metric = keel_domain::metric::kpi_of(m, o.id).map(|k| {
            let latest =
                keel_domain::metric::trend::latest(keel_domain::metric::measurements_of(m, k.id));
            let said = match latest {
                Some(l) => format!(
                    "latest {}, {}",
                    keel_domain::metric::with_unit(l.value, k.unit.as_deref()),
                    super::metric_chart::period_label(k.cadence, l.period)
                ),
                None => "no values yet".into(),
            };
            (k.id, said)
        });
        Row {
            at_risk: objective::at_risk(&o, m),
            kpi_name: keel_domain::metric::kpi_of(m, o.id).map(|k| k.name.clone()),
            kpi_metric,
            owner: o
                .owner_id
                .and_then(|id| m.people.iter().find(|p| p.id == id).cloned()),
            ok: objective::is_smart(&smart),
            smart,
            objective: o,
        }
    }

    /// "SALs per month: 40 → 80 by 2027-06-30", with what is there.
    pub fn kpi(&self) -> String {
        let o = &self.objective;
        let n = |v: Option<f64>| v.map_or("?".to_string(), |x| x.to_string());
        let named = o.metric.clone().or_else(|| self.kpi_name.clone());
        let mut s = named.unwrap_or_else(|| "No metric".into());
        if o.baseline.is_some() || o.target.is_some() {
            s.push_str(&format!(": {} → {}", n(o.baseline), n(o.target)));
        }
        if let Some(d) = o.deadline {
            s.push_str(&format!(" by {d}"));
        }
        s
    }
}

#[derive(Template)]
#[template(path = "strategy/objectives.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

async fn view(state: &AppState, ctx: &WsCtx) -> Result<Arc<Model>, PageError> {
    Ok(ops::view(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?)
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let m = view(&state, &ctx).await?;
    let rows = m
        .objectives
        .iter()
        .map(|o| Row::new(o.clone(), &m))
        .collect();
    render(&ListPage {
        chrome: ctx
            .chrome("Objectives", "objectives")
            .with_notice(q.notice.as_deref()),
        rows,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct ObjectiveForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub layer: String,
    #[serde(default)]
    pub metric: String,
    #[serde(default)]
    pub baseline: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub serves: String,
    #[serde(default)]
    pub version: String,
}

impl ObjectiveForm {
    fn input(&self) -> ObjectiveInput {
        ObjectiveInput {
            outcome: self.outcome.clone(),
            owner_id: self.owner_id.clone(),
            layer: self.layer.clone(),
            metric: self.metric.clone(),
            baseline: self.baseline.clone(),
            target: self.target.clone(),
            deadline: self.deadline.clone(),
            serves: self.serves.clone(),
        }
    }

    fn from_objective(o: &Objective) -> ObjectiveForm {
        let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        ObjectiveForm {
            outcome: o.outcome.clone(),
            owner_id: o.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            layer: o.layer.as_str().into(),
            metric: o.metric.clone().unwrap_or_default(),
            baseline: n(o.baseline),
            target: n(o.target),
            deadline: o.deadline.map(|d| d.to_string()).unwrap_or_default(),
            serves: o.serves.clone().unwrap_or_default(),
            version: o.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "strategy/objective_form.html")]
struct FormPage {
    chrome: Chrome,
    row: Option<Row>,
    form: ObjectiveForm,
    errors: Errors,
    layers: Vec<Choice>,
    owners: Vec<Choice>,
    conflict: bool,
    action: String,
}

/// Internal people only: an objective's owner decides, a partner does not.
pub fn owner_choices(people: &[Person], current: &str) -> Vec<Choice> {
    let mut v = choices([(String::new(), "Nobody yet".to_string())], current);
    v.extend(choices(
        people
            .iter()
            .filter(|p| !p.is_external())
            .map(|p| (p.id, p.name.clone())),
        current,
    ));
    v
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Objective>,
    form: ObjectiveForm,
    errors: Invalid,
    conflict: bool,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let title = stored
        .as_ref()
        .map(|o| o.outcome.clone())
        .unwrap_or_else(|| "Add an objective".into());
    let action = match &stored {
        Some(o) => ctx.link(&format!("/objectives/{}", o.id)),
        None => ctx.link("/objectives"),
    };
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        chrome: ctx.chrome(title, "objectives").with_notice(notice),
        row: stored.map(|o| Row::new(o, &m)),
        layers: choices(
            Layer::ALL.iter().map(|l| (l.as_str(), l.label())),
            &form.layer,
        ),
        owners: owner_choices(&m.people, &form.owner_id),
        form,
        errors: Errors(errors),
        conflict,
        action,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn new(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let form = ObjectiveForm {
        layer: "business".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, None, form, Invalid::new(), false, None).await
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<ObjectiveForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    match ops::parse_objective(&m, &form.input(), None) {
        Ok(d) => {
            let o = state.store.create_objective(ctx.ws.id, &d).await?;
            let to = ctx.link(&format!("/objectives/{}?notice=objective-saved", o.id));
            Ok(Redirect::to(&to).into_response())
        }
        Err(inv) => form_page(&state, &ctx, None, form, inv, false, None).await,
    }
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Objective, PageError> {
    ops::objective(&*view(state, ctx).await?, id).ok_or(PageError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let o = find(&state, &ctx, id).await?;
    let form = ObjectiveForm::from_objective(&o);
    form_page(
        &state,
        &ctx,
        Some(o),
        form,
        Invalid::new(),
        false,
        q.notice.as_deref(),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<ObjectiveForm>,
) -> Result<Response, PageError> {
    let o = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let m = view(&state, &ctx).await?;
    let d = match ops::parse_objective(&m, &form.input(), Some(&o)) {
        Ok(d) => d,
        Err(inv) => return form_page(&state, &ctx, Some(o), form, inv, false, None).await,
    };
    match state
        .store
        .update_objective(ctx.ws.id, id, version(&form.version), &d)
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/objectives?notice=objective-saved")).into_response()),
        Err(StoreError::Stale { current }) => {
            let o = state
                .store
                .find_objective(ctx.ws.id, id)
                .await?
                .ok_or(PageError::NotFound)?;
            let mut form = form;
            form.version = current.to_string();
            form_page(&state, &ctx, Some(o), form, Invalid::new(), true, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    version: String,
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DeleteForm>,
) -> Result<Response, PageError> {
    let o = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_objective(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&ctx.link("/objectives?notice=objective-deleted")).into_response())
        }
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this objective after you opened the page. Check it below, then remove again if you still want to.");
            let form = ObjectiveForm::from_objective(&o);
            form_page(&state, &ctx, Some(o), form, inv, false, None).await
        }
        Err(e) => Err(e.into()),
    }
}
