//! Priorities: what the team works on now and what each paused, then next and later.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::objectives::owner_choices;
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
use keel_domain::priority::{check, order, Status, NOW_LIMIT};
use keel_domain::{capacity, Invalid, Priority, PriorityInput};
use keel_store::StoreError;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/priorities", list)
        .get("/w/{ws}/priorities/new", new)
        .post("/w/{ws}/priorities", create)
        .get("/w/{ws}/priorities/{priority}", show)
        .post("/w/{ws}/priorities/{priority}", update)
        .post("/w/{ws}/priorities/{priority}/delete", delete)
        .post("/w/{ws}/priorities/moves", move_priority)
}

/// A priority with the names its row shows, borrowed from the model (a list may hold
/// hundreds of rows).
pub struct Row<'a> {
    pub priority: &'a Priority,
    pub objective: Option<(i64, &'a str)>,
    pub owner: Option<&'a str>,
    /// The priority this one paused: (id, title).
    pub paused: Option<(i64, &'a str)>,
    /// The priorities that paused this one.
    pub paused_by: Vec<(i64, &'a str)>,
}

/// Names the rows read, looked up once per page rather than once per row.
struct Names<'a> {
    objectives: HashMap<i64, &'a str>,
    people: HashMap<i64, &'a str>,
    priorities: HashMap<i64, &'a str>,
    /// Who paused each priority: paused id → the priorities that paused it.
    paused_by: HashMap<i64, Vec<(i64, &'a str)>>,
}

impl<'a> Names<'a> {
    fn of(m: &'a Model) -> Names<'a> {
        let mut paused_by: HashMap<i64, Vec<(i64, &'a str)>> = HashMap::new();
        for x in &m.priorities {
            if let Some(p) = x.paused_id {
                paused_by
                    .entry(p)
                    .or_default()
                    .push((x.id, x.title.as_str()));
            }
        }
        Names {
            objectives: m
                .objectives
                .iter()
                .map(|o| (o.id, o.outcome.as_str()))
                .collect(),
            people: m.people.iter().map(|p| (p.id, p.name.as_str())).collect(),
            priorities: m
                .priorities
                .iter()
                .map(|p| (p.id, p.title.as_str()))
                .collect(),
            paused_by,
        }
    }
}

impl<'a> Row<'a> {
    fn new(p: &'a Priority, n: &Names<'a>) -> Row<'a> {
        let named = |map: &HashMap<i64, &'a str>, id: Option<i64>| {
            id.and_then(|id| map.get(&id).map(|t| (id, *t)))
        };
        Row {
            objective: named(&n.objectives, p.objective_id),
            owner: named(&n.people, p.owner_id).map(|(_, name)| name),
            paused: named(&n.priorities, p.paused_id),
            paused_by: n.paused_by.get(&p.id).cloned().unwrap_or_default(),
            priority: p,
        }
    }
}

#[derive(Template)]
#[template(path = "strategy/priorities.html")]
struct ListPage<'a> {
    chrome: Chrome,
    now: Vec<Row<'a>>,
    upcoming: Vec<Row<'a>>,
    rest: Vec<Row<'a>>,
    free: f64,
    limit: usize,
    /// Why a move was refused.
    refused: Option<String>,
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
    list_page(&ctx, &m, q.notice.as_deref(), None)
}

fn list_page(
    ctx: &WsCtx,
    m: &Model,
    notice: Option<&str>,
    refused: Option<(StatusCode, String)>,
) -> Result<Response, PageError> {
    let names = Names::of(m);
    let ranked = order::ranked(&m.priorities);
    let rows = |f: &dyn Fn(Status) -> bool| -> Vec<Row> {
        ranked
            .iter()
            .filter(|p| f(p.status))
            .map(|p| Row::new(p, &names))
            .collect()
    };
    let status = refused.as_ref().map(|(s, _)| *s).unwrap_or(StatusCode::OK);
    let mut r = render(&ListPage {
        chrome: ctx.chrome("Priorities", "priorities").with_notice(notice),
        now: rows(&|s| s == Status::Now),
        upcoming: rows(&|s| matches!(s, Status::Next | Status::Later)),
        rest: rows(&|s| !s.is_planned()),
        free: capacity::team_free(m, None),
        limit: NOW_LIMIT,
        refused: refused.map(|(_, m)| m),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// The list's one move form: the button pressed says which priority, the version its row
/// was read at and which way, as `step = "{id}.{version}.{up|down}"` (one form for the whole
/// list instead of one per row).
#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    step: String,
}

/// One priority up or down its part of the list (`priority::order::step`); the whole list is
/// renumbered in one version-checked transaction.
async fn move_priority(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageError> {
    // The role first: refused alike whatever the step names, so nothing is told about it.
    ctx.require_edit()?;
    let mut parts = f.step.splitn(3, '.');
    let id: i64 = parts
        .next()
        .and_then(|id| id.trim().parse().ok())
        .ok_or(PageError::NotFound)?;
    let (v, to) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let m = view(&state, &ctx).await?;
    ops::priority(&m, id).ok_or(PageError::NotFound)?;
    let changes = match order::Step::parse(to)
        .and_then(|to| order::step(&m.priorities, id, version(v), to))
    {
        Ok(c) => c,
        Err(why) => {
            let status = if why == order::STALE {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return list_page(&ctx, &m, None, Some((status, why)));
        }
    };
    match state.store.set_priority_ranks(ctx.ws.id, &changes).await {
        Ok(()) => Ok(Redirect::to(
            &ctx.link(&format!("/priorities?notice=priority-moved#priority-{id}")),
        )
        .into_response()),
        Err(StoreError::Stale { .. }) => {
            let m = view(&state, &ctx).await?;
            list_page(
                &ctx,
                &m,
                None,
                Some((StatusCode::CONFLICT, order::STALE.into())),
            )
        }
        Err(StoreError::NotFound) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct PriorityForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub objective_id: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub rank: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub weekly_hours: String,
    #[serde(default)]
    pub paused_id: String,
    #[serde(default)]
    pub override_reason: String,
    #[serde(default)]
    pub version: String,
}

impl PriorityForm {
    fn input(&self) -> PriorityInput {
        PriorityInput {
            title: self.title.clone(),
            objective_id: self.objective_id.clone(),
            owner_id: self.owner_id.clone(),
            rank: self.rank.clone(),
            status: self.status.clone(),
            weekly_hours: self.weekly_hours.clone(),
            paused_id: self.paused_id.clone(),
            override_reason: self.override_reason.clone(),
        }
    }

    fn from_priority(p: &Priority) -> PriorityForm {
        let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        PriorityForm {
            title: p.title.clone(),
            objective_id: id(p.objective_id),
            owner_id: id(p.owner_id),
            rank: p.rank.to_string(),
            status: p.status.as_str().into(),
            weekly_hours: p.weekly_hours.to_string(),
            paused_id: id(p.paused_id),
            override_reason: String::new(),
            version: p.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "strategy/priority_form.html")]
struct FormPage<'a> {
    chrome: Chrome,
    row: Option<Row<'a>>,
    form: PriorityForm,
    errors: Errors,
    objectives: Vec<Choice>,
    owners: Vec<Choice>,
    statuses: Vec<Choice>,
    pausable: Vec<Choice>,
    free: f64,
    conflict: bool,
    action: String,
    /// (when, what changed, why), oldest first.
    history: Vec<(String, String, Option<String>)>,
    /// The priority test of the stored priority, answered now.
    test: Vec<check::Answer>,
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Priority>,
    form: PriorityForm,
    errors: Invalid,
    conflict: bool,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let this = stored.as_ref().map(|p| p.id);
    let kept = stored.as_ref().and_then(|p| p.paused_id);
    let mut pausable = choices([(String::new(), "Nothing".to_string())], &form.paused_id);
    pausable.extend(choices(
        m.priorities
            .iter()
            .filter(|p| Some(p.id) != this && (p.status.is_planned() || Some(p.id) == kept))
            .map(|p| {
                (
                    p.id,
                    format!(
                        "{} ({}, {} h a week)",
                        p.title,
                        p.status.as_str(),
                        p.weekly_hours
                    ),
                )
            }),
        &form.paused_id,
    ));
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let history = match &stored {
        Some(p) => state
            .store
            .priority_history(ctx.ws.id, p.id)
            .await?
            .into_iter()
            .map(|e| {
                let to = Status::parse(&e.to_status).map_or("?", |s| s.label());
                let what = match e.from_status.as_deref().and_then(|f| Status::parse(f).ok()) {
                    None => format!("Added as {}", to.to_lowercase()),
                    Some(f) if f.as_str() == e.to_status => "Kept as it was".to_string(),
                    Some(f) => format!("{} → {}", f.label(), to),
                };
                (crate::time_fmt::date(e.at, &m.zone), what, e.note)
            })
            .collect(),
        None => vec![],
    };
    let test = stored
        .as_ref()
        .map(|p| check::priority_test(p, &m))
        .unwrap_or_default();
    let page = FormPage {
        test,
        history,
        chrome: ctx.chrome(
            stored
                .as_ref()
                .map(|p| p.title.clone())
                .unwrap_or_else(|| "Add a priority".into()),
            "priorities",
        ),
        action: match &stored {
            Some(p) => ctx.link(&format!("/priorities/{}", p.id)),
            None => ctx.link("/priorities"),
        },
        row: stored.as_ref().map(|p| Row::new(p, &Names::of(&m))),
        objectives: choices(
            std::iter::once((String::new(), "Choose an objective".to_string())).chain(
                m.objectives
                    .iter()
                    .map(|o| (o.id.to_string(), o.outcome.clone())),
            ),
            &form.objective_id,
        ),
        owners: owner_choices(&m.people, &form.owner_id),
        statuses: choices(
            Status::ALL.iter().map(|s| (s.as_str(), s.label())),
            &form.status,
        ),
        pausable,
        free: capacity::team_free(&m, this),
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
    let form = PriorityForm {
        status: "next".into(),
        weekly_hours: "0".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, None, form, Invalid::new(), false).await
}

/// Saves, or answers with the form: the priority to pause changed meanwhile is a message on
/// that field.
async fn save(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Priority>,
    form: PriorityForm,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let d = match ops::parse_priority(&m, &form.input(), stored.as_ref()) {
        Ok(d) => d,
        Err(inv) => return form_page(state, ctx, stored, form, inv, false).await,
    };
    let saved = match &stored {
        Some(p) => {
            state
                .store
                .update_priority(ctx.ws.id, p.id, version(&form.version), &d)
                .await
        }
        None => state.store.create_priority(ctx.ws.id, &d).await,
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&ctx.link("/priorities?notice=priority-saved")).into_response()),
        Err(StoreError::Conflict(msg)) => {
            form_page(
                state,
                ctx,
                stored,
                form,
                Invalid::one("paused_id", msg),
                false,
            )
            .await
        }
        Err(StoreError::Stale { current }) => {
            let id = stored.as_ref().map(|p| p.id).unwrap_or_default();
            let p = state.store.find_priority(ctx.ws.id, id).await?;
            let mut form = form;
            form.version = current.to_string();
            form_page(state, ctx, p, form, Invalid::new(), true).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<PriorityForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    save(&state, &ctx, None, form).await
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Priority, PageError> {
    ops::priority(&*view(state, ctx).await?, id).ok_or(PageError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    let form = PriorityForm::from_priority(&p);
    form_page(&state, &ctx, Some(p), form, Invalid::new(), false).await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<PriorityForm>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    save(&state, &ctx, Some(p), form).await
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
    let p = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_priority(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&ctx.link("/priorities?notice=priority-deleted")).into_response())
        }
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this priority after you opened the page. Check it below, then remove again if you still want to.");
            let form = PriorityForm::from_priority(&p);
            form_page(&state, &ctx, Some(p), form, inv, false).await
        }
        Err(e) => Err(e.into()),
    }
}
