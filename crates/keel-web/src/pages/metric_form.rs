//! A metric's own form: name, definition, owner, cadence, direction, target and what it is
//! linked to; creating, editing and deleting it.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::metrics::{find, view, DeleteForm};
use super::objectives::owner_choices;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::metric::{
    Cadence, Computed, Direction, Family, Kind, Metric, MetricDraft, MetricInput, MetricType,
    Signal,
};
use keel_domain::objective::Layer;
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/metrics/new", new)
        .post("/w/{ws}/metrics", create)
        .get("/w/{ws}/metrics/{metric}/edit", edit)
        .post("/w/{ws}/metrics/{metric}", update)
        .post("/w/{ws}/metrics/{metric}/delete", delete)
}

#[derive(Deserialize, Default, Clone)]
pub struct MetricForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub definition: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub cadence: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub metric_type: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub function_id: String,
    #[serde(default)]
    pub objective_id: String,
    #[serde(default)]
    pub channel_id: String,
    #[serde(default)]
    pub workflow_id: String,
    #[serde(default)]
    pub computed: String,
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub signal: String,
    #[serde(default)]
    pub layer: String,
    #[serde(default)]
    pub version: String,
}

impl MetricForm {
    fn input(&self) -> MetricInput {
        MetricInput {
            name: self.name.clone(),
            definition: self.definition.clone(),
            owner_id: self.owner_id.clone(),
            source: self.source.clone(),
            unit: self.unit.clone(),
            cadence: self.cadence.clone(),
            direction: self.direction.clone(),
            target: self.target.clone(),
            metric_type: self.metric_type.clone(),
            kind: self.kind.clone(),
            function_id: self.function_id.clone(),
            objective_id: self.objective_id.clone(),
            channel_id: self.channel_id.clone(),
            workflow_id: self.workflow_id.clone(),
            computed: self.computed.clone(),
            family: self.family.clone(),
            signal: self.signal.clone(),
            layer: self.layer.clone(),
        }
    }

    fn from_metric(x: &Metric) -> MetricForm {
        let id = |v: Option<i64>| v.map(|i| i.to_string()).unwrap_or_default();
        MetricForm {
            name: x.name.clone(),
            definition: x.definition.clone().unwrap_or_default(),
            owner_id: id(x.owner_id),
            source: x.source.clone().unwrap_or_default(),
            unit: x.unit.clone().unwrap_or_default(),
            cadence: x.cadence.as_str().into(),
            direction: x.direction.as_str().into(),
            target: x.target.map(|t| t.to_string()).unwrap_or_default(),
            metric_type: x.metric_type.as_str().into(),
            kind: x.kind.as_str().into(),
            function_id: id(x.function_id),
            objective_id: id(x.objective_id),
            channel_id: id(x.channel_id),
            workflow_id: id(x.workflow_id),
            computed: x
                .computed
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            family: x.family.map(|c| c.as_str().to_string()).unwrap_or_default(),
            signal: x.signal.map(|c| c.as_str().to_string()).unwrap_or_default(),
            layer: x.layer.map(|c| c.as_str().to_string()).unwrap_or_default(),
            version: x.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "strategy/metric_form.html")]
struct FormPage {
    chrome: Chrome,
    metric: Option<Metric>,
    form: MetricForm,
    errors: Errors,
    owners: Vec<Choice>,
    cadences: Vec<Choice>,
    directions: Vec<Choice>,
    types: Vec<Choice>,
    kinds: Vec<Choice>,
    functions: Vec<Choice>,
    objectives: Vec<Choice>,
    channels: Vec<Choice>,
    workflows: Vec<Choice>,
    computations: Vec<Choice>,
    families: Vec<Choice>,
    signals: Vec<Choice>,
    layers: Vec<Choice>,
    conflict: bool,
    action: String,
}

/// A choice of an enum that may be left unset, with `unset` first.
fn optional_choices<T: Copy>(
    all: &[T],
    f: impl Fn(T) -> (&'static str, &'static str),
    unset: &str,
    current: &str,
) -> Vec<Choice> {
    choices(
        std::iter::once((String::new(), unset.to_string())).chain(
            all.iter()
                .map(|x| f(*x))
                .map(|(v, l)| (v.to_string(), l.to_string())),
        ),
        current,
    )
}

/// A picker with "none" first.
fn picker(items: impl Iterator<Item = (i64, String)>, current: &str) -> Vec<Choice> {
    choices(
        std::iter::once((String::new(), "— none —".to_string()))
            .chain(items.map(|(id, n)| (id.to_string(), n))),
        current,
    )
}

fn enum_choices<T: Copy>(
    all: &[T],
    f: impl Fn(T) -> (&'static str, &'static str),
    current: &str,
) -> Vec<Choice> {
    choices(all.iter().map(|x| f(*x)), current)
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Metric>,
    form: MetricForm,
    errors: Invalid,
    conflict: bool,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        chrome: ctx.chrome(
            stored
                .as_ref()
                .map(|x| format!("Edit {}", x.name))
                .unwrap_or_else(|| "Add a metric".into()),
            "metrics",
        ),
        action: match &stored {
            Some(x) => ctx.link(&format!("/metrics/{}", x.id)),
            None => ctx.link("/metrics"),
        },
        owners: owner_choices(&m.people, &form.owner_id),
        cadences: enum_choices(Cadence::ALL, |c| (c.as_str(), c.label()), &form.cadence),
        directions: enum_choices(Direction::ALL, |c| (c.as_str(), c.label()), &form.direction),
        types: enum_choices(
            MetricType::ALL,
            |c| (c.as_str(), c.label()),
            &form.metric_type,
        ),
        kinds: enum_choices(Kind::ALL, |c| (c.as_str(), c.label()), &form.kind),
        functions: picker(
            m.functions.iter().map(|f| (f.id, f.name.clone())),
            &form.function_id,
        ),
        objectives: picker(
            m.objectives.iter().map(|o| (o.id, o.outcome.clone())),
            &form.objective_id,
        ),
        channels: picker(
            m.channels.iter().map(|c| (c.id, c.name.clone())),
            &form.channel_id,
        ),
        workflows: picker(
            m.workflows.iter().map(|w| (w.id, w.spec.name.clone())),
            &form.workflow_id,
        ),
        computations: optional_choices(
            Computed::ALL,
            |c| (c.as_str(), c.label()),
            "— none: values are entered —",
            &form.computed,
        ),
        families: optional_choices(
            Family::ALL,
            |c| (c.as_str(), c.label()),
            "— not set —",
            &form.family,
        ),
        signals: optional_choices(
            Signal::ALL,
            |c| (c.as_str(), c.label()),
            "— not set —",
            &form.signal,
        ),
        layers: optional_choices(
            &Layer::ALL,
            |c| (c.as_str(), c.label()),
            "— not set —",
            &form.layer,
        ),
        metric: stored,
        form,
        errors: Errors(errors),
        conflict,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn new(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let form = MetricForm {
        cadence: "monthly".into(),
        direction: "higher".into(),
        metric_type: "outcome".into(),
        kind: "contribution".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, None, form, Invalid::new(), false).await
}

async fn save(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Metric>,
    form: MetricForm,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let d = match MetricDraft::parse(&form.input(), &m, stored.as_ref().map(|x| x.id)) {
        Ok(d) => d,
        Err(inv) => return form_page(state, ctx, stored, form, inv, false).await,
    };
    let saved = match &stored {
        Some(x) => {
            state
                .store
                .update_metric(ctx.ws.id, x.id, version(&form.version), &d)
                .await
        }
        None => state.store.create_metric(ctx.ws.id, &d).await,
    };
    match saved {
        Ok(x) => Ok(
            Redirect::to(&ctx.link(&format!("/metrics/{}?notice=metric-saved", x.id)))
                .into_response(),
        ),
        Err(StoreError::Conflict(msg)) => {
            let field = if msg.contains("objective") {
                "objective_id"
            } else {
                "name"
            };
            form_page(state, ctx, stored, form, Invalid::one(field, msg), false).await
        }
        Err(StoreError::Stale { current }) => {
            let id = stored.as_ref().map(|x| x.id).unwrap_or_default();
            let x = state.store.find_metric(ctx.ws.id, id).await?;
            let mut form = form;
            form.version = current.to_string();
            form_page(state, ctx, x, form, Invalid::new(), true).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<MetricForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    save(&state, &ctx, None, form).await
}

async fn edit(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (x, _) = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let form = MetricForm::from_metric(&x);
    form_page(&state, &ctx, Some(x), form, Invalid::new(), false).await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<MetricForm>,
) -> Result<Response, PageError> {
    let (x, _) = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    save(&state, &ctx, Some(x), form).await
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DeleteForm>,
) -> Result<Response, PageError> {
    let (x, _) = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_metric(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/metrics?notice=metric-deleted")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this metric after you opened the page. Check it below, then remove it again if you still want to.");
            let form = MetricForm::from_metric(&x);
            form_page(&state, &ctx, Some(x), form, inv, false).await
        }
        Err(e) => Err(e.into()),
    }
}
