//! Work: the list with filters, "my work", the board (`board.rs`), and starting new work.

mod board;
mod item;
mod links;
mod mine;

use super::forms::Errors;
use super::layout::{render, Chrome};
use super::workflows::caller;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::{work as wops, OpError};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::work::{WorkInput, WorkItem, WorkStatus};
use keel_domain::workflow::{name_of, Workflow};
use keel_domain::{Date, Invalid, Person};
use keel_store::{WorkFilter, WorkSort};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/w/{ws}/work", list)
        .get("/w/{ws}/work/mine", mine::page)
        .get("/w/{ws}/work/board", board::page)
        .post("/w/{ws}/work/{item}/drop", board::drop)
        .get("/w/{ws}/work/new", new)
        .post("/w/{ws}/work", create);
    item::routes(r)
}

pub const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub workflow: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub blocked: String,
    #[serde(default)]
    pub overdue: String,
    /// "1": done and cancelled work too (hidden by default).
    #[serde(default)]
    pub closed: String,
    /// A column to sort by (`WorkSort`); newest first by default.
    #[serde(default)]
    pub sort: String,
    /// "desc": the other way.
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub page: i64,
    pub notice: Option<String>,
}

impl ListQuery {
    fn filter(&self, today: Date) -> WorkFilter {
        let status = WorkStatus::parse(&self.status).ok();
        WorkFilter {
            workflow_id: self.workflow.parse().ok(),
            owner_id: self.owner.parse().ok(),
            status,
            blocked_only: !self.blocked.is_empty(),
            overdue_before: (!self.overdue.is_empty()).then_some(today),
            // Asking for done or cancelled work by its status shows it too.
            hide_closed: self.closed.is_empty()
                && status.is_none_or(|s| s.is_open() || s == WorkStatus::Launched),
            sort: WorkSort::parse(&self.sort).unwrap_or_default(),
            descending: self.dir == "desc",
            limit: PAGE_SIZE,
            offset: self.page.max(0) * PAGE_SIZE,
            ..Default::default()
        }
    }

    /// The same filters for another page.
    fn page_link(&self, page: i64) -> String {
        self.link_with(&self.sort, &self.dir, page)
    }

    /// The same filters sorted by `sort` (`dir` "desc" for the other way), on a page.
    fn link_with(&self, sort: &str, dir: &str, page: i64) -> String {
        let q = [
            ("workflow", self.workflow.as_str()),
            ("owner", &self.owner),
            ("status", &self.status),
            ("blocked", &self.blocked),
            ("overdue", &self.overdue),
            ("closed", &self.closed),
            ("sort", sort),
            ("dir", dir),
        ];
        let mut s = serde_urlencoded::to_string(
            q.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        if !s.is_empty() {
            s.push('&');
        }
        format!("?{s}page={page}")
    }
}

/// A workflow in a picker: only what the select shows, not the whole SOP.
pub struct Pick {
    pub id: i64,
    pub name: String,
}

/// The workflows of a reader's view (`model::load`), as picker entries (the work list's
/// filter, where a retired workflow's items stay findable).
pub fn picks(workflows: &[Workflow]) -> Vec<Pick> {
    pick(workflows.iter())
}

/// The workflows new work may start in and the board shows: not the retired ones.
pub fn open_picks(workflows: &[Workflow]) -> Vec<Pick> {
    pick(workflows.iter().filter(|w| w.spec.status.takes_new_work()))
}

fn pick<'a>(workflows: impl Iterator<Item = &'a Workflow>) -> Vec<Pick> {
    workflows
        .map(|w| Pick {
            id: w.id,
            name: w.spec.name.clone(),
        })
        .collect()
}

/// A work item as a line of the list or a card of the board, borrowing from the cached
/// model (a board of a few hundred cards should not copy them).
pub struct Row<'a> {
    pub item: &'a WorkItem,
    pub workflow: &'a str,
    pub stage: &'a str,
    /// At the workflow's last stage: passing its gate launches the work.
    pub last: bool,
    pub owner: String,
    pub overdue: bool,
}

pub fn rows<'a>(
    items: impl IntoIterator<Item = &'a WorkItem>,
    workflows: &'a [Workflow],
    people: &[Person],
    today: Date,
) -> Vec<Row<'a>> {
    items
        .into_iter()
        .map(|item| {
            let wf = workflows.iter().find(|w| w.id == item.workflow_id);
            Row {
                workflow: wf.map(|w| w.spec.name.as_str()).unwrap_or_default(),
                stage: wf
                    .and_then(|w| w.spec.stages.get(item.stage))
                    .map(|s| s.name.as_str())
                    .unwrap_or_default(),
                last: wf.is_some_and(|w| item.stage + 1 >= w.spec.stages.len()),
                owner: name_of(people, item.execution_owner_id),
                overdue: item.is_overdue(today),
                item,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "work/list.html")]
struct ListPage<'a> {
    chrome: Chrome,
    title: String,
    rows: Vec<Row<'a>>,
    q: ListQuery,
    workflows: Vec<Pick>,
    people: Vec<Person>,
    statuses: &'static [WorkStatus],
    page: i64,
    more: bool,
}

impl ListPage<'_> {
    fn is(&self, a: &str, b: &i64) -> bool {
        a == b.to_string()
    }
    fn link(&self, page: i64) -> String {
        self.q.page_link(page)
    }
    /// A column heading's link: sorts by it, or the other way when it already does.
    fn sort_link(&self, key: &str) -> String {
        let dir = if self.q.sort == key && self.q.dir != "desc" {
            "desc"
        } else {
            ""
        };
        self.q.link_with(key, dir, 0)
    }
    /// The heading's `aria-sort` value.
    fn aria_sort(&self, key: &str) -> &'static str {
        match (self.q.sort == key, self.q.dir == "desc") {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

async fn render_list(state: &AppState, ctx: &WsCtx, q: ListQuery) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let today = crate::time_fmt::today(&ctx.ws.zone());
    let mut filter = q.filter(today);
    if !reader.role.sees_everything() {
        // A partner's list is its own work. No linked person: nothing (id 0 matches nobody).
        filter.involving = Some(ctx.person_id.unwrap_or(0));
    }
    // One more than a page: if it comes, there is a next page (no count over every item).
    filter.limit = PAGE_SIZE + 1;
    let page_items =
        crate::model::work_page(state, ctx.ws.id, ctx.ws.data_version, &filter).await?;
    let more = page_items.len() as i64 > PAGE_SIZE;
    let items = page_items.iter().take(PAGE_SIZE as usize);
    // Names and pickers come from what the reader sees.
    let model = crate::model::load(state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let page = q.page.max(0);
    let title = "Work";
    let page = ListPage {
        chrome: ctx.chrome(title, "work").with_notice(q.notice.as_deref()),
        title: title.into(),
        rows: rows(items, &model.workflows, &model.people, today),
        workflows: picks(&model.workflows),
        people: if reader.role.sees_everything() {
            model.people.clone()
        } else {
            vec![]
        },
        q,
        statuses: &WorkStatus::ALL,
        page,
        more,
    };
    render(&page)
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    render_list(&state, &ctx, q).await
}

#[derive(Deserialize, Default, Clone)]
pub struct WorkForm {
    #[serde(default)]
    pub workflow_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub execution_owner_id: String,
    #[serde(default)]
    pub estimated_hours: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub planned_launch: String,
    #[serde(default)]
    pub first_review: String,
    #[serde(default)]
    pub version: String,
}

impl WorkForm {
    /// The form's single fields and its repeated `contributor` checkboxes.
    pub fn from_pairs(pairs: &[(String, String)]) -> (WorkForm, Vec<String>) {
        let single: Vec<&(String, String)> =
            pairs.iter().filter(|(k, _)| k != "contributor").collect();
        let form = serde_urlencoded::to_string(single)
            .ok()
            .and_then(|q| serde_urlencoded::from_str(&q).ok())
            .unwrap_or_default();
        let contributors = pairs
            .iter()
            .filter(|(k, _)| k == "contributor")
            .map(|(_, v)| v.clone())
            .collect();
        (form, contributors)
    }

    pub fn input(&self, contributors: Vec<String>) -> WorkInput {
        WorkInput {
            title: self.title.clone(),
            execution_owner_id: self.execution_owner_id.clone(),
            contributor_ids: contributors,
            estimated_hours: self.estimated_hours.clone(),
            start_date: self.start_date.clone(),
            planned_launch: self.planned_launch.clone(),
            first_review: self.first_review.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "work/new.html")]
struct NewPage {
    chrome: Chrome,
    workflows: Vec<Pick>,
    people: Vec<Person>,
    form: WorkForm,
    errors: Errors,
}

impl NewPage {
    fn is(&self, a: &str, b: &i64) -> bool {
        a == b.to_string()
    }
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    workflow: String,
    notice: Option<String>,
}

async fn new_page(
    state: &AppState,
    ctx: &WsCtx,
    form: WorkForm,
    errors: Invalid,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let seen = crate::model::load(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let page = NewPage {
        chrome: ctx.chrome("Start work", "work").with_notice(notice),
        workflows: open_picks(&seen.workflows),
        people: seen.people.clone(),
        form,
        errors: Errors(errors),
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn new(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    new_page(
        &state,
        &ctx,
        WorkForm {
            workflow_id: q.workflow,
            ..Default::default()
        },
        Invalid::new(),
        q.notice.as_deref(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let (form, contributors) = WorkForm::from_pairs(&pairs);
    // "Save and add another": back to a new form in the same workflow after saving.
    let another = pairs.iter().any(|(k, _)| k == "another");
    let workflow_id = form.workflow_id.parse::<i64>().unwrap_or(0);
    match wops::create(
        &state,
        &caller(&ctx),
        &ctx.reader(),
        workflow_id,
        &form.input(contributors),
    )
    .await
    {
        Ok(item) if another => Ok(Redirect::to(&ctx.link(&format!(
            "/work/new?workflow={}&notice=work-added",
            item.workflow_id
        )))
        .into_response()),
        Ok(item) => Ok(
            Redirect::to(&ctx.link(&format!("/work/{}?notice=work-saved", item.id)))
                .into_response(),
        ),
        Err(OpError::Invalid(inv)) => new_page(&state, &ctx, form, inv, None).await,
        Err(e) => Err(e.into()),
    }
}
