//! Workflows: SOP list, one-click creation from a template, the SOP page (printable, with
//! Markdown export and figures), the edit form, and the history of changes.

mod form;

use super::forms::{version, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::{workflows as wops, Caller, OpError};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use form::{StageRow, WorkflowForm};
use keel_domain::work::metrics::Figures;
use keel_domain::workflow::{
    self, history, templates, Complexity, Frequency, ProcessLevel, RiskFlag, Workflow,
    WorkflowRole, WorkflowStatus,
};
use keel_domain::{Function, Invalid, Person};
use keel_store::Revision;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/workflows", list)
        .get("/w/{ws}/workflows/new", new)
        .post("/w/{ws}/workflows", create)
        .post("/w/{ws}/workflows/from-template", from_template)
        .get("/w/{ws}/workflows/{workflow}", show)
        .get("/w/{ws}/workflows/{workflow}/edit", edit)
        .post("/w/{ws}/workflows/{workflow}", update)
        .post("/w/{ws}/workflows/{workflow}/delete", delete)
        .get("/w/{ws}/workflows/{workflow}/history", history_page)
        .get("/w/{ws}/workflows/{workflow}/sop.md", markdown)
}

pub fn caller(ctx: &WsCtx) -> Caller {
    Caller {
        ws: ctx.ws.id,
        data_version: ctx.ws.data_version,
        user_id: ctx.session.user_id,
        role: ctx.role,
        person_id: ctx.person_id,
    }
}

pub struct Row {
    pub workflow: Workflow,
    pub function: String,
    pub decision_owner: String,
    pub level: ProcessLevel,
}

#[derive(Template)]
#[template(path = "workflows/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    templates: &'static [templates::Template],
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let seen = crate::model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let (people, functions) = (&seen.people, &seen.functions);
    let rows = seen
        .workflows
        .iter()
        .cloned()
        .map(|w| Row {
            function: function_name(functions, w.spec.function_id).unwrap_or_default(),
            decision_owner: workflow::name_of(people, w.spec.decision_owner()),
            level: w.spec.level(),
            workflow: w,
        })
        .collect();
    render(&ListPage {
        chrome: ctx
            .chrome("Workflows", "workflows")
            .with_notice(q.notice.as_deref()),
        rows,
        templates: templates::TEMPLATES,
    })
}

fn function_name(functions: &[Function], id: Option<i64>) -> Option<String> {
    id.and_then(|id| functions.iter().find(|f| f.id == id))
        .map(|f| f.name.clone())
}

#[derive(Template)]
#[template(path = "workflows/form.html")]
struct FormPage {
    chrome: Chrome,
    workflow: Option<Workflow>,
    form: WorkflowForm,
    errors: Errors,
    people: Vec<Person>,
    functions: Vec<Function>,
    stage_rows: Vec<StageRow>,
    input_rows: Vec<(String, String)>,
    action: String,
    stale: bool,
}

impl FormPage {
    fn roles(&self) -> &'static [WorkflowRole] {
        &WorkflowRole::ALL
    }
    fn risks(&self) -> &'static [RiskFlag] {
        &RiskFlag::ALL
    }
    fn statuses(&self) -> &'static [WorkflowStatus] {
        &WorkflowStatus::ALL
    }
    fn levels(&self) -> &'static [ProcessLevel] {
        &ProcessLevel::ALL
    }
    fn frequencies(&self) -> &'static [Frequency] {
        &Frequency::ALL
    }
    fn complexities(&self) -> &'static [Complexity] {
        &Complexity::ALL
    }
    fn selected(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn owner_selected(&self, raw: &str, id: &i64) -> bool {
        raw == id.to_string()
    }
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    workflow: Option<Workflow>,
    form: WorkflowForm,
    errors: Invalid,
    stale: bool,
) -> Result<Response, PageError> {
    let people =
        crate::model::people_seen(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let functions = state.store.list_functions(ctx.ws.id).await?;
    let title = workflow
        .as_ref()
        .map(|w| format!("Edit {}", w.spec.name))
        .unwrap_or_else(|| "New workflow".into());
    let action = match &workflow {
        Some(w) => ctx.link(&format!("/workflows/{}", w.id)),
        None => ctx.link("/workflows"),
    };
    let status = if stale {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        chrome: ctx.chrome(title, "workflows"),
        stage_rows: form.stage_rows(),
        input_rows: form.input_rows(),
        workflow,
        form,
        errors: Errors(errors),
        people,
        functions,
        action,
        stale,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize, Default)]
struct NewQuery {
    template: Option<String>,
}

async fn new(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let form = match q.template.as_deref().and_then(templates::find) {
        Some(t) => {
            let d = default_owners(&state, &ctx, t.function_hint).await?;
            let mut f = WorkflowForm::from_input(&t.input(
                d.0.unwrap_or(0),
                d.1.unwrap_or(0),
                d.0.unwrap_or(0),
                d.2,
            ));
            f.roles.retain(|(_, id)| id != "0");
            f
        }
        None => WorkflowForm {
            status: "draft".into(),
            stages: vec![StageRow {
                name: "Brief".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    };
    form_page(&state, &ctx, None, form, Invalid::new(), false).await
}

/// Who a template's workflow is given to by default: the caller's own person when internal,
/// else the matching function's business owner, else the first internal person; the
/// function's execution owner executes.
async fn default_owners(
    state: &AppState,
    ctx: &WsCtx,
    function_hint: &str,
) -> Result<(Option<i64>, Option<i64>, Option<i64>), PageError> {
    let people =
        crate::model::people_seen(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let functions = state.store.list_functions(ctx.ws.id).await?;
    let function = functions
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(function_hint));
    let internal =
        |id: Option<i64>| id.filter(|id| people.iter().any(|p| p.id == *id && !p.is_external()));
    let me = people
        .iter()
        .find(|p| p.user_id == Some(ctx.session.user_id))
        .map(|p| p.id);
    let decider = internal(me)
        .or_else(|| internal(function.and_then(|f| f.business_owner_id)))
        .or_else(|| people.iter().find(|p| !p.is_external()).map(|p| p.id));
    let executor = function
        .and_then(|f| f.execution_owner_id)
        .filter(|id| people.iter().any(|p| p.id == *id))
        .or(decider);
    Ok((decider, executor, function.map(|f| f.id)))
}

#[derive(Deserialize)]
struct TemplateForm {
    #[serde(default)]
    template: String,
}

async fn from_template(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<TemplateForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let t = templates::find(&f.template).ok_or(PageError::NotFound)?;
    let (decider, executor, function) = default_owners(&state, &ctx, t.function_hint).await?;
    let (Some(decider), Some(executor)) = (decider, executor) else {
        return Ok(
            Redirect::to(&ctx.link(&format!("/workflows/new?template={}", t.key))).into_response(),
        );
    };
    let taken: Vec<String> = state
        .store
        .list_workflows(ctx.ws.id)
        .await?
        .into_iter()
        .map(|w| w.spec.name)
        .collect();
    let mut input = t.input(decider, executor, decider, function);
    let mut n = 2;
    while taken.contains(&input.name) {
        input.name = format!("{} ({n})", t.name);
        n += 1;
    }
    match wops::create(&state, &caller(&ctx), &input).await {
        Ok(w) => Ok(Redirect::to(
            &ctx.link(&format!("/workflows/{}?notice=workflow-created", w.id)),
        )
        .into_response()),
        Err(OpError::Invalid(inv)) => {
            form_page(
                &state,
                &ctx,
                None,
                WorkflowForm::from_input(&input),
                inv,
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let form = WorkflowForm::from_pairs(&pairs);
    match wops::create(&state, &caller(&ctx), &form.input()).await {
        Ok(w) => Ok(
            Redirect::to(&ctx.link(&format!("/workflows/{}?notice=workflow-saved", w.id)))
                .into_response(),
        ),
        Err(OpError::Invalid(inv)) => form_page(&state, &ctx, None, form, inv, false).await,
        Err(OpError::Conflict(m)) => {
            form_page(&state, &ctx, None, form, Invalid::one("name", m), false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Workflow, PageError> {
    let reader = ctx.reader();
    Ok(wops::visible(state, &caller(ctx), &reader, id).await?)
}

pub struct Owner {
    pub role: WorkflowRole,
    pub name: String,
}

#[derive(Template)]
#[template(path = "workflows/show.html")]
struct ShowPage {
    chrome: Chrome,
    w: Workflow,
    function: Option<String>,
    owners: Vec<Owner>,
    inputs: Vec<(String, String)>,
    level_reason: String,
    figures: Figures,
    missing: Vec<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    // Read from the cached model: the SOP page makes no query of its own (except for a
    // partner whose work in it is older than the model holds).
    let (model, w) = wops::seen_with(&state, &caller(&ctx), &ctx.reader(), id).await?;
    let (people, functions) = (&model.people, &model.functions);
    let owners = w
        .spec
        .assignments
        .iter()
        .map(|a| Owner {
            role: a.role,
            name: workflow::name_of(people, Some(a.person_id)),
        })
        .collect();
    let inputs = w
        .spec
        .inputs
        .iter()
        .map(|i| {
            (
                i.name.clone(),
                i.owner_id
                    .map(|o| workflow::name_of(people, Some(o)))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let figures = (*crate::model::workflow_figures(&state, ctx.ws.id, ctx.ws.data_version, w.id)
        .await?)
        .clone();
    let missing = w
        .spec
        .missing_for_level()
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    let level_reason = w.spec.computed_level().reason;
    let page = ShowPage {
        chrome: ctx
            .chrome(w.spec.name.clone(), "workflows")
            .with_notice(q.notice.as_deref()),
        function: function_name(functions, w.spec.function_id),
        owners,
        inputs,
        level_reason,
        figures,
        missing,
        w,
    };
    render(&page)
}

async fn edit(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let w = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let form = WorkflowForm::from_spec(&w.spec, w.version);
    form_page(&state, &ctx, Some(w), form, Invalid::new(), false).await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let w = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let mut form = WorkflowForm::from_pairs(&pairs);
    match wops::update(
        &state,
        &caller(&ctx),
        id,
        version(&form.version),
        &form.input(),
    )
    .await
    {
        Ok(_) => Ok(
            Redirect::to(&ctx.link(&format!("/workflows/{id}?notice=workflow-saved")))
                .into_response(),
        ),
        Err(OpError::Invalid(inv)) => form_page(&state, &ctx, Some(w), form, inv, false).await,
        Err(OpError::Conflict(m)) => {
            form_page(&state, &ctx, Some(w), form, Invalid::one("name", m), false).await
        }
        Err(OpError::Stale { current }) => {
            form.version = current.to_string();
            let mut inv = Invalid::new();
            inv.push("version", "Someone else saved this SOP while you were editing. Your version is still in the form; compare it with the saved one under History, then save again to keep yours.");
            form_page(&state, &ctx, Some(w), form, inv, true).await
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
    match state.store.delete_workflow(ctx.ws.id, id, version(&f.version)).await {
        Ok(()) => Ok(Redirect::to(&ctx.link("/workflows?notice=workflow-deleted")).into_response()),
        Err(keel_store::StoreError::Stale { .. }) => Err(PageError::Forbidden("Someone changed this workflow after you opened it. Reload it, then delete again if you still want to.".into())),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Template)]
#[template(path = "workflows/history.html")]
struct HistoryPage {
    chrome: Chrome,
    w: Workflow,
    revisions: Vec<Revision>,
    from: i64,
    to: i64,
    changes: Vec<history::Change>,
}

impl HistoryPage {
    fn when(&self, t: &i64) -> String {
        crate::time_fmt::date(*t, &self.chrome.zone)
    }
}

async fn history_page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, PageError> {
    let (seen, w) = wops::seen_with(&state, &caller(&ctx), &ctx.reader(), id).await?;
    let revisions = state.store.list_revisions(ctx.ws.id, id).await?;
    let people = &seen.people;
    let to = q.to.unwrap_or(w.version);
    let from = q.from.unwrap_or((to - 1).max(1));
    let spec_of = |v: i64| revisions.iter().find(|r| r.version == v).map(|r| &r.spec);
    let changes = match (spec_of(from), spec_of(to)) {
        (Some(a), Some(b)) => history::diff(a, b, people),
        _ => vec![],
    };
    render(&HistoryPage {
        chrome: ctx.chrome(format!("History of {}", w.spec.name), "workflows"),
        w,
        revisions,
        from,
        to,
        changes,
    })
}

async fn markdown(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    // Names from what the reader sees: a partner's export names no function it cannot see.
    let (seen, w) = wops::seen_with(&state, &caller(&ctx), &ctx.reader(), id).await?;
    let md = workflow::markdown::markdown(
        &w.spec,
        &seen.people,
        function_name(&seen.functions, w.spec.function_id).as_deref(),
    );
    let file = format!(
        "attachment; filename=\"{}.md\"",
        keel_domain::text::slugify(&w.spec.name)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        md,
    )
        .into_response())
}
