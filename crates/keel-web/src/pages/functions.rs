//! Marketing functions and who decides and executes each.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::{Function, FunctionDraft, FunctionInput, Invalid, Person, Sourcing};
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/functions", list)
        .get("/w/{ws}/functions/new", new)
        .post("/w/{ws}/functions", create)
        .get("/w/{ws}/functions/{function}", show)
        .post("/w/{ws}/functions/{function}", update)
        .post("/w/{ws}/functions/{function}/delete", delete)
}

pub struct Row {
    pub function: Function,
    pub business: Option<Person>,
    pub execution: Option<Person>,
}

fn person(people: &[Person], id: Option<i64>) -> Option<Person> {
    id.and_then(|id| people.iter().find(|p| p.id == id).cloned())
}

#[derive(Template)]
#[template(path = "functions/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let functions = reader.functions(state.store.list_functions(ctx.ws.id).await?);
    let people =
        crate::model::people_seen(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let rows = functions
        .into_iter()
        .map(|f| Row {
            business: person(&people, f.business_owner_id),
            execution: person(&people, f.execution_owner_id),
            function: f,
        })
        .collect();
    render(&ListPage {
        chrome: ctx
            .chrome("Functions", "functions")
            .with_notice(q.notice.as_deref()),
        rows,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct FunctionForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sourcing: String,
    #[serde(default)]
    pub business_owner_id: String,
    #[serde(default)]
    pub execution_owner_id: String,
    #[serde(default)]
    pub weekly_hours: String,
    #[serde(default)]
    pub version: String,
    /// Set by "Save and add another": back to an empty form after saving.
    #[serde(default)]
    pub another: String,
}

impl FunctionForm {
    fn input(&self) -> FunctionInput {
        FunctionInput {
            name: self.name.clone(),
            description: self.description.clone(),
            sourcing: self.sourcing.clone(),
            business_owner_id: self.business_owner_id.clone(),
            execution_owner_id: self.execution_owner_id.clone(),
            weekly_hours: self.weekly_hours.clone(),
        }
    }

    fn from_function(f: &Function) -> FunctionForm {
        let id = |o: Option<i64>| o.map(|i| i.to_string()).unwrap_or_default();
        FunctionForm {
            name: f.name.clone(),
            description: f.description.clone().unwrap_or_default(),
            sourcing: f.sourcing.as_str().into(),
            business_owner_id: id(f.business_owner_id),
            execution_owner_id: id(f.execution_owner_id),
            weekly_hours: f.weekly_hours.to_string(),
            version: f.version.to_string(),
            another: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "functions/form.html")]
struct FormPage {
    chrome: Chrome,
    function: Option<Function>,
    form: FunctionForm,
    errors: Errors,
    sourcings: Vec<Choice>,
    business_choices: Vec<Choice>,
    execution_choices: Vec<Choice>,
    conflict: Option<Function>,
    people: Vec<Person>,
    action: String,
}

impl FormPage {
    fn name_of(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.people.iter().find(|p| p.id == id))
            .map(|p| p.display())
            .unwrap_or_else(|| "nobody".into())
    }
    fn name_of_raw(&self, raw: &str) -> String {
        self.name_of(&raw.parse().ok())
    }
}

fn owner_choices(people: &[Person], current: &str) -> Vec<Choice> {
    let mut v = choices([(String::new(), "Nobody yet".to_string())], current);
    v.extend(choices(
        people.iter().map(|p| {
            (
                p.id,
                if p.is_external() {
                    format!("{} (external)", p.display())
                } else {
                    p.name.clone()
                },
            )
        }),
        current,
    ));
    v
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    function: Option<Function>,
    form: FunctionForm,
    errors: Invalid,
    conflict: Option<Function>,
) -> Result<Response, PageError> {
    form_page_with(state, ctx, function, form, errors, conflict, None).await
}

async fn form_page_with(
    state: &AppState,
    ctx: &WsCtx,
    function: Option<Function>,
    form: FunctionForm,
    errors: Invalid,
    conflict: Option<Function>,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let people =
        crate::model::people_seen(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let title = function
        .as_ref()
        .map(|f| f.name.clone())
        .unwrap_or_else(|| "Add a function".into());
    let action = match &function {
        Some(f) => ctx.link(&format!("/functions/{}", f.id)),
        None => ctx.link("/functions"),
    };
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        chrome: ctx.chrome(title, "functions").with_notice(notice),
        sourcings: choices(
            Sourcing::ALL.iter().map(|s| (s.as_str(), s.label())),
            &form.sourcing,
        ),
        business_choices: owner_choices(&people, &form.business_owner_id),
        execution_choices: owner_choices(&people, &form.execution_owner_id),
        function,
        form,
        errors: Errors(errors),
        conflict,
        people,
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
    let form = FunctionForm {
        sourcing: "internal".into(),
        weekly_hours: "0".into(),
        ..Default::default()
    };
    form_page_with(
        &state,
        &ctx,
        None,
        form,
        Invalid::new(),
        None,
        q.notice.as_deref(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<FunctionForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let people =
        crate::model::people_seen(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let mut inv = match FunctionDraft::parse(&form.input(), &people) {
        Ok(d) => match state.store.create_function(ctx.ws.id, &d).await {
            Ok(_) if !form.another.is_empty() => {
                return Ok(
                    Redirect::to(&ctx.link("/functions/new?notice=function-added")).into_response(),
                )
            }
            Ok(_) => {
                return Ok(
                    Redirect::to(&ctx.link("/functions?notice=function-saved")).into_response()
                )
            }
            Err(StoreError::Conflict(m)) => Invalid::one("name", m),
            Err(e) => return Err(e.into()),
        },
        Err(inv) => inv,
    };
    inv.errors.dedup();
    form_page(&state, &ctx, None, form, inv, None).await
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Function, PageError> {
    let f = state
        .store
        .find_function(ctx.ws.id, id)
        .await?
        .ok_or(PageError::NotFound)?;
    if !ctx.reader().can_see_function(&f) {
        return Err(PageError::NotFound);
    }
    Ok(f)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let f = find(&state, &ctx, id).await?;
    form_page(
        &state,
        &ctx,
        Some(f.clone()),
        FunctionForm::from_function(&f),
        Invalid::new(),
        None,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<FunctionForm>,
) -> Result<Response, PageError> {
    let f = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let people =
        crate::model::people_seen(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let draft = match FunctionDraft::parse(&form.input(), &people) {
        Ok(d) => d,
        Err(inv) => return form_page(&state, &ctx, Some(f), form, inv, None).await,
    };
    match state
        .store
        .update_function(ctx.ws.id, id, version(&form.version), &draft)
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/functions?notice=function-saved")).into_response()),
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
            form_page(&state, &ctx, Some(f), form, Invalid::one("name", m), None).await
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
        .delete_function(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/functions?notice=function-deleted")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let current = find(&state, &ctx, id).await?;
            let inv = Invalid::one("version", "Someone changed this function after you opened the page. Check it below, then remove again if you still want to.");
            form_page(
                &state,
                &ctx,
                Some(current.clone()),
                FunctionForm::from_function(&current),
                inv,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
