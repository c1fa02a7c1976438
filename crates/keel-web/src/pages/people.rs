//! The team: people, internal and external, with their capacity and load.

use super::commitments::{CommitmentForm, LoadView};
use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::capacity::{self, PersonLoad, Totals};
use keel_domain::ownership::{self, Responsibility};
use keel_domain::{Function, Invalid, Person, PersonDraft, PersonInput, PersonKind};
use keel_store::StoreError;
use keel_store::WorkspaceId;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/people", list)
        .get("/w/{ws}/people/new", new)
        .post("/w/{ws}/people", create)
        .get("/w/{ws}/people/{person}", show)
        .post("/w/{ws}/people/{person}", update)
        .post("/w/{ws}/people/{person}/delete", delete)
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

pub struct Row {
    pub person: Person,
    pub load: PersonLoad,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    team: Totals,
    internal: Totals,
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let loads = model::loads(&state, ctx.ws.id, ctx.ws.data_version).await?;
    let visible = loads.for_people(&m.people);
    let (team, internal) = capacity::totals(&visible);
    let rows = m
        .people
        .iter()
        .zip(visible)
        .map(|(p, l)| Row {
            person: p.clone(),
            load: l.clone(),
        })
        .collect();
    render(&ListPage {
        chrome: ctx
            .chrome("Team", "people")
            .with_notice(q.notice.as_deref()),
        rows,
        team,
        internal,
    })
}

/// What the person form holds: exactly what was typed.
#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub weekly_capacity: String,
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub version: String,
    /// Set by "Save and add another": back to an empty form after saving.
    #[serde(default)]
    pub another: String,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            organization: self.organization.clone(),
            title: self.title.clone(),
            email: self.email.clone(),
            weekly_capacity: self.weekly_capacity.clone(),
            user_id: self.user_id.clone(),
        }
    }

    pub(super) fn from_person(p: &Person) -> PersonForm {
        PersonForm {
            name: p.name.clone(),
            kind: p.kind.as_str().into(),
            organization: p.organization.clone().unwrap_or_default(),
            title: p.title.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            weekly_capacity: p.weekly_capacity.to_string(),
            user_id: p.user_id.map(|u| u.to_string()).unwrap_or_default(),
            version: p.version.to_string(),
            another: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    chrome: Chrome,
    person: Option<Person>,
    form: PersonForm,
    errors: Errors,
    kinds: Vec<Choice>,
    accounts: Vec<Choice>,
    duties: Vec<(Function, Responsibility)>,
    load: Option<LoadView>,
    figures: Option<keel_domain::work::metrics::Figures>,
    /// Set when someone else saved the person while this form was open.
    conflict: Option<Person>,
    action: String,
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    person: Option<Person>,
    form: PersonForm,
    errors: Invalid,
    conflict: Option<Person>,
) -> Result<Response, PageError> {
    let extra = Extra {
        errors,
        conflict,
        ..Default::default()
    };
    form_page_with(state, ctx, person, form, extra).await
}

/// What the person page shows besides the person.
#[derive(Default)]
pub(super) struct Extra {
    pub errors: Invalid,
    /// Set when someone else saved the person while this form was open.
    pub conflict: Option<Person>,
    /// A commitment form that did not parse, with its errors.
    pub commitment: Option<(CommitmentForm, Invalid)>,
    pub notice: Option<String>,
}

pub(super) async fn form_page_with(
    state: &AppState,
    ctx: &WsCtx,
    person: Option<Person>,
    form: PersonForm,
    extra: Extra,
) -> Result<Response, PageError> {
    let Extra {
        errors,
        conflict,
        commitment,
        notice,
    } = extra;
    let mut accounts = vec![];
    if ctx.role.can_edit_model() {
        let members = state.store.list_members(ctx.ws.id).await?;
        accounts = choices([(String::new(), "No account".to_string())], &form.user_id);
        accounts.extend(choices(
            members
                .iter()
                .map(|m| (m.user_id, format!("{} ({})", m.name, m.email))),
            &form.user_id,
        ));
    }
    let bad_commitment = commitment.is_some();
    let (duties, load, figures) = match &person {
        Some(p) => {
            let loaded = model::loaded(state, ctx.ws.id, ctx.ws.data_version).await?;
            let m = &loaded.model;
            // Named duties are only the functions the reader sees; the load counts them all,
            // so the figure is the same on every page.
            let reader = ctx.reader();
            let duties = m
                .functions
                .iter()
                .filter(|f| reader.can_see_function(f))
                .filter_map(|f| ownership::responsibility(f, p.id).map(|r| (f.clone(), r)))
                .collect();
            let figures =
                model::person_figures(state, ctx.ws.id, ctx.ws.data_version, p.id).await?;
            let loads = loaded.loads();
            let seen = model::load(state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
            let view = loads
                .of(p.id)
                .map(|l| LoadView::new(ctx, &seen, model::masked(l, &seen), p.id, commitment));
            (duties, view, Some((*figures).clone()))
        }
        None => (vec![], None, None),
    };
    let title = person
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_else(|| "Add a person".into());
    let action = match &person {
        Some(p) => ctx.link(&format!("/people/{}", p.id)),
        None => ctx.link("/people"),
    };
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else if errors.is_empty() && !bad_commitment {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        chrome: ctx.chrome(title, "people").with_notice(notice.as_deref()),
        kinds: choices(
            PersonKind::ALL.iter().map(|k| (k.as_str(), k.label())),
            &form.kind,
        ),
        accounts,
        person,
        form,
        errors: Errors(errors),
        duties,
        load,
        figures,
        conflict,
        action,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn new(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let form = PersonForm {
        kind: "internal".into(),
        weekly_capacity: "40".into(),
        ..Default::default()
    };
    let extra = Extra {
        notice: q.notice,
        ..Default::default()
    };
    form_page_with(&state, &ctx, None, form, extra).await
}

async fn member_ids(state: &AppState, ws: WorkspaceId) -> Result<Vec<i64>, PageError> {
    Ok(state
        .store
        .list_members(ws)
        .await?
        .iter()
        .map(|m| m.user_id)
        .collect())
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let others = state.store.list_people(ctx.ws.id).await?;
    match PersonDraft::parse(
        &form.input(),
        &member_ids(&state, ctx.ws.id).await?,
        &others,
    ) {
        Ok(d) => match state.store.create_person(ctx.ws.id, &d).await {
            Ok(_) if !form.another.is_empty() => {
                Ok(Redirect::to(&ctx.link("/people/new?notice=person-added")).into_response())
            }
            Ok(_) => Ok(Redirect::to(&ctx.link("/people?notice=person-saved")).into_response()),
            // Someone added the same email at the same moment: the store's index refused it.
            Err(StoreError::Conflict(m)) => {
                form_page(&state, &ctx, None, form, Invalid::one("email", m), None).await
            }
            Err(e) => Err(e.into()),
        },
        Err(inv) => form_page(&state, &ctx, None, form, inv, None).await,
    }
}

pub(super) async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Person, PageError> {
    let p = state
        .store
        .find_person(ctx.ws.id, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let reader = ctx.reader();
    if !reader.role.sees_everything() {
        let seen = crate::model::load(state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
        if !seen.people.iter().any(|s| s.id == p.id) {
            return Err(PageError::NotFound);
        }
    }
    Ok(p)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    let extra = Extra {
        notice: q.notice,
        ..Default::default()
    };
    form_page_with(
        &state,
        &ctx,
        Some(p.clone()),
        PersonForm::from_person(&p),
        extra,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let mut others = state.store.list_people(ctx.ws.id).await?;
    others.retain(|o| o.id != id);
    let draft = match PersonDraft::parse(
        &form.input(),
        &member_ids(&state, ctx.ws.id).await?,
        &others,
    ) {
        Ok(d) => d,
        Err(inv) => return form_page(&state, &ctx, Some(p), form, inv, None).await,
    };
    match state
        .store
        .update_person(ctx.ws.id, id, version(&form.version), &draft)
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/people?notice=person-saved")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let current = find(&state, &ctx, id).await?;
            let mut form = form;
            form.version = current.version.to_string();
            form_page(
                &state,
                &ctx,
                Some(current.clone()),
                form,
                Invalid::new(),
                Some(current),
            )
            .await
        }
        Err(StoreError::Conflict(m)) => {
            form_page(&state, &ctx, Some(p), form, Invalid::one("email", m), None).await
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
    find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_person(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/people?notice=person-deleted")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let current = find(&state, &ctx, id).await?;
            let form = PersonForm::from_person(&current);
            let mut inv = Invalid::new();
            inv.push("version", "Someone changed this person after you opened the page. Check the details below, then remove again if you still want to.");
            form_page(&state, &ctx, Some(current), form, inv, None).await
        }
        Err(e) => Err(e.into()),
    }
}
