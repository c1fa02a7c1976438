//! One work item: its stage and gate, checklist, approval, moves, dependencies and history.

use super::{links, Errors, WorkForm};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::{work as wops, work_notes as wnotes, OpError};
use crate::pages::layout::{render, Chrome};
use crate::pages::people::NoticeQuery;
use crate::pages::workflows::caller;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::work::notes::LinkInput;
use keel_domain::work::transition::{Action, EventKind};
use keel_domain::work::{check_gate, Gate, GateState, WorkItem};
use keel_domain::workflow::{name_of, Workflow};
use keel_domain::{Invalid, Person};
use keel_store::{WorkEvent, WorkWebLink};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/work/{item}", show)
        .post("/w/{ws}/work/{item}", update)
        .post("/w/{ws}/work/{item}/delete", delete)
        .post("/w/{ws}/work/{item}/check", check)
        .post("/w/{ws}/work/{item}/move", move_item)
        .post("/w/{ws}/work/{item}/deps", add_dep)
        .post("/w/{ws}/work/{item}/deps/{dep}/delete", remove_dep)
        .post("/w/{ws}/work/{item}/description", set_description)
        .post("/w/{ws}/work/{item}/links", save_links)
        .post("/w/{ws}/work/{item}/web-links", add_web_link)
        .post(
            "/w/{ws}/work/{item}/web-links/{link}/delete",
            remove_web_link,
        )
        .post("/w/{ws}/work/{item}/comments", add_comment)
        .post(
            "/w/{ws}/work/{item}/comments/{comment}/delete",
            remove_comment,
        )
}

/// What a refused form on the page had typed, shown again with its errors.
#[derive(Default)]
pub struct Typed {
    /// The description being edited (its form opens again).
    pub description: Option<String>,
    pub link_title: String,
    pub link_url: String,
    pub comment: String,
}

/// A comment as the page shows it.
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub when: String,
    /// The text rendered from Markdown by `markdown::render` (sanitised).
    pub html: String,
    pub version: i64,
    pub can_remove: bool,
    /// Names the reader's person.
    pub names_me: bool,
}

/// How the page is drawn beyond the item itself: after a refusal, what went wrong and what
/// was typed.
#[derive(Default)]
struct View<'a> {
    status: Option<StatusCode>,
    problem: Option<String>,
    form: Option<WorkForm>,
    errors: Invalid,
    notice: Option<&'a str>,
    typed: Typed,
    note_errors: Invalid,
    /// The strategic-fit links form sent back with its errors.
    typed_links: Option<(links::LinksForm, Invalid)>,
}

impl View<'_> {
    fn problem(status: StatusCode, m: String) -> Self {
        View {
            status: Some(status),
            problem: Some(m),
            ..Default::default()
        }
    }
}

pub struct Check {
    pub index: usize,
    pub text: String,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "work/item.html")]
struct Page {
    chrome: Chrome,
    item: WorkItem,
    wf: Workflow,
    owner: String,
    contributors: Vec<String>,
    checks: Vec<Check>,
    gate: GateState,
    why_closed: Vec<String>,
    needs_approval: bool,
    is_decider: bool,
    can_work: bool,
    people: Vec<Person>,
    form: WorkForm,
    errors: Errors,
    /// A move refused by the workflow's rules, or a stale version.
    problem: Option<String>,
    waits_for: Vec<(i64, String, &'static str)>,
    /// What launching would not wait for, named: the launch form then asks for a reason.
    unfinished: Vec<String>,
    candidates: Vec<(i64, String)>,
    events: Vec<WorkEvent>,
    description: String,
    /// The description rendered from Markdown by `markdown::render` (sanitised).
    description_html: String,
    web_links: Vec<WorkWebLink>,
    comments: Vec<CommentView>,
    /// What the work serves (strategic fit: objective, priority, channel, offer).
    links: links::Section,
    typed: Typed,
    note_errors: Errors,
    /// An example of naming someone in a comment, from the people the reader sees.
    mention_example: String,
}

impl Page {
    fn current_stage(&self) -> String {
        self.wf
            .spec
            .stages
            .get(self.item.stage)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
    /// The history's words for what happened.
    fn event_label(&self, e: &WorkEvent) -> &'static str {
        EventKind::parse(&e.kind).map_or("Changed", EventKind::label)
    }
    fn event_stage(&self, e: &WorkEvent) -> String {
        e.to_stage
            .and_then(|i| self.wf.spec.stages.get(i as usize))
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
    fn when(&self, t: &i64) -> String {
        crate::time_fmt::date(*t, &self.chrome.zone)
    }
    fn is(&self, a: &str, b: &i64) -> bool {
        a == b.to_string()
    }
    fn contributes(&self, id: &i64) -> bool {
        self.item.contributor_ids.contains(id)
    }
    fn is_last_stage(&self) -> bool {
        self.item.stage + 1 >= self.wf.spec.stages.len()
    }
    fn blocked_days(&self) -> f64 {
        self.item.blocked_days(crate::time_fmt::now())
    }
    /// The one move this page makes prominent, for the step most likely next: the decision
    /// owner approves a stage waiting for them, blocked work is unblocked, otherwise the gate
    /// is passed (or the work launched); cancelled work is reopened, launched work marked done.
    fn primary(&self) -> &'static str {
        let s = self.item.status.as_str();
        if self.item.status.is_open() {
            if s == "blocked" {
                if self.can_work {
                    return "unblock";
                }
            } else if self.is_decider && self.needs_approval && !self.gate.approved {
                return "approve";
            } else if self.can_work {
                return "advance";
            }
            return "";
        }
        match s {
            "cancelled" if self.can_work => "reopen",
            "launched" if self.can_work => "done",
            _ => "",
        }
    }
    /// The button class of a move: the primary one stands out, every other one is quiet.
    fn button(&self, what: &str) -> &'static str {
        if self.primary() == what {
            "primary"
        } else {
            "secondary outline"
        }
    }
}

async fn page(state: &AppState, ctx: &WsCtx, id: i64, v: View<'_>) -> Result<Response, PageError> {
    let View {
        status,
        problem,
        form,
        errors,
        notice,
        typed,
        note_errors,
        typed_links,
    } = v;
    let reader = ctx.reader();
    let c = caller(ctx);
    let (item, wf) = wops::visible(state, &c, &reader, id).await?;
    // Pickers and names come from what the reader sees, never the whole workspace.
    let seen = wops::view(state, &c, &reader).await?;
    let people = seen.people.clone();
    let gate = wops::gate(state, &c, &reader, &item).await?;
    let stage = wf.spec.stages.get(item.stage);
    let checks = stage
        .map(|s| {
            s.checklist
                .iter()
                .enumerate()
                .map(|(i, t)| Check {
                    index: i,
                    text: t.clone(),
                    done: gate.checked.contains(&i),
                })
                .collect()
        })
        .unwrap_or_default();
    let why_closed = match check_gate(&wf.spec, item.stage, &gate) {
        Gate::Closed(why) if item.status.is_open() => why,
        _ => vec![],
    };
    let me = ctx.person_id;
    let is_decider = me.is_some() && wf.spec.decision_owner() == me;
    let can_work = ctx.role.can_edit_model() || me.is_some_and(|p| item.involves(p));
    let waits_for: Vec<(i64, String, &'static str)> = wops::dependencies(state, &c, &reader, id)
        .await?
        .into_iter()
        .map(|w| (w.id, w.title, w.status.label()))
        .collect();
    let unfinished = gate
        .unfinished()
        .iter()
        .map(|w| format!("{} ({})", w.title, w.status.label().to_lowercase()))
        .collect();
    let candidates = seen
        .work
        .iter()
        .filter(|w| w.status.is_open())
        .filter(|w| w.id != id && !waits_for.iter().any(|(d, _, _)| *d == w.id))
        .take(200)
        .map(|w| (w.id, w.title.clone()))
        .collect();
    let form = form.unwrap_or_else(|| WorkForm {
        workflow_id: wf.id.to_string(),
        title: item.title.clone(),
        execution_owner_id: item
            .execution_owner_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        estimated_hours: item.estimated_hours.to_string(),
        start_date: item.start_date.map(|d| d.to_string()).unwrap_or_default(),
        planned_launch: item
            .planned_launch
            .map(|d| d.to_string())
            .unwrap_or_default(),
        first_review: item.first_review.map(|d| d.to_string()).unwrap_or_default(),
        version: item.version.to_string(),
    });
    let description = wnotes::description(state, &c, &reader, id).await?;
    let web_links = wnotes::web_links(state, &c, &reader, id).await?;
    let comments = wnotes::comments(state, &c, &reader, id)
        .await?
        .into_iter()
        .map(|cm| CommentView {
            id: cm.id,
            author: cm.author.unwrap_or_else(|| "Someone".into()),
            when: crate::time_fmt::date(cm.created_at, &ctx.ws.zone()),
            html: crate::markdown::render(&cm.body),
            version: cm.version,
            can_remove: can_work
                && (cm.by_user == Some(ctx.session.user_id) || ctx.role.can_manage()),
            names_me: me.is_some_and(|p| cm.mentions.contains(&p)),
        })
        .collect();
    let mention_example = people
        .iter()
        .find(|p| Some(p.id) != me)
        .map(|p| format!("@{}", p.name))
        .unwrap_or_else(|| "@Name".into());
    let link = links::stored(state, ctx, &seen, id).await?;
    let links = links::section(ctx, &seen, &link, typed_links);
    let p = Page {
        links,
        chrome: ctx.chrome(item.title.clone(), "work").with_notice(notice),
        description_html: crate::markdown::render(&description),
        description: typed.description.clone().unwrap_or(description),
        web_links,
        comments,
        typed,
        note_errors: crate::pages::forms::Errors(note_errors),
        mention_example,
        owner: name_of(&people, item.execution_owner_id),
        contributors: item
            .contributor_ids
            .iter()
            .map(|c| name_of(&people, Some(*c)))
            .collect(),
        needs_approval: stage.is_some_and(|s| s.needs_approval),
        events: state.store.list_events(ctx.ws.id, id).await?,
        checks,
        gate,
        why_closed,
        is_decider,
        can_work,
        people,
        form,
        errors: crate::pages::forms::Errors(errors),
        problem,
        waits_for,
        unfinished,
        candidates,
        item,
        wf,
    };
    let mut r = render(&p)?;
    *r.status_mut() = status.unwrap_or(StatusCode::OK);
    Ok(r)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    page(
        &state,
        &ctx,
        id,
        View {
            notice: q.notice.as_deref(),
            ..Default::default()
        },
    )
    .await
}

fn back(ctx: &WsCtx, id: i64, notice: &str) -> Response {
    Redirect::to(&ctx.link(&format!("/work/{id}?notice={notice}"))).into_response()
}

/// Turns an operation's refusal into the item page with the reason shown.
async fn outcome(
    state: &AppState,
    ctx: &WsCtx,
    id: i64,
    r: Result<(), OpError>,
    notice: &str,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(back(ctx, id, notice)),
        Err(OpError::Refused(m)) => {
            page(
                state,
                ctx,
                id,
                View::problem(StatusCode::UNPROCESSABLE_ENTITY, m),
            )
            .await
        }
        Err(OpError::Invalid(inv)) => {
            let m = inv
                .errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            page(
                state,
                ctx,
                id,
                View::problem(StatusCode::UNPROCESSABLE_ENTITY, m),
            )
            .await
        }
        Err(OpError::Stale { .. }) => {
            let m = "Someone else moved or changed this item while you were looking at it. Here it is as it is now; check it, then try again.".to_string();
            page(state, ctx, id, View::problem(StatusCode::CONFLICT, m)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (form, contributors) = WorkForm::from_pairs(&pairs);
    let reader = ctx.reader();
    match wops::update(
        &state,
        &caller(&ctx),
        &reader,
        id,
        crate::pages::forms::version(&form.version),
        &form.input(contributors),
    )
    .await
    {
        Ok(_) => Ok(back(&ctx, id, "work-saved")),
        Err(OpError::Invalid(inv)) => {
            page(
                &state,
                &ctx,
                id,
                View {
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    form: Some(form),
                    errors: inv,
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => outcome(&state, &ctx, id, Err(e), "").await,
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
    let reader = ctx.reader();
    wops::visible(&state, &caller(&ctx), &reader, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_work(ctx.ws.id, id, crate::pages::forms::version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/work?notice=work-deleted")).into_response()),
        Err(e) => outcome(&state, &ctx, id, Err(e.into()), "").await,
    }
}

#[derive(Deserialize)]
struct CheckForm {
    #[serde(default)]
    index: usize,
    #[serde(default)]
    done: String,
}

async fn check(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CheckForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let r = wops::set_check(&state, &caller(&ctx), &reader, id, f.index, f.done == "1")
        .await
        .map(|_| ());
    outcome(&state, &ctx, id, r, "work-moved").await
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    to: String,
    /// "board": after a successful move, return to the board this was sent from.
    #[serde(default)]
    back: String,
    /// The board's filters (`BoardQuery`), read again before they go into the redirect.
    #[serde(default)]
    back_query: String,
}

async fn move_item(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let c = caller(&ctx);
    let action = Action::parse(&f.action, Some(&f.reason), Some(&f.to));
    // Approving is the decision owner's right (the move checks it); every other move needs
    // the right to work on the item, checked before anything else is said about the form.
    if action != Ok(Action::Approve) {
        wops::workable(&state, &c, &reader, id).await?;
    }
    let notice = match action {
        Ok(Action::Cancel) => "work-cancelled",
        Ok(Action::Reopen) => "work-reopened",
        _ => "work-moved",
    };
    let r = match action {
        Ok(a) => {
            let expected = crate::pages::forms::version(&f.version);
            wops::apply(&state, &c, &reader, id, expected, &a)
                .await
                .map(|_| ())
        }
        Err(inv) => Err(OpError::Invalid(inv)),
    };
    // The board, My work and Home move with buttons and go back where they were; a refusal
    // still lands on the item page with the reason.
    if r.is_ok() && f.back == "board" {
        let q: super::board::BoardQuery =
            serde_urlencoded::from_str(&f.back_query).unwrap_or_default();
        let mut q = q.to_query();
        if !q.is_empty() {
            q.push('&');
        }
        return Ok(
            Redirect::to(&ctx.link(&format!("/work/board?{q}notice=work-moved"))).into_response(),
        );
    }
    let approved = notice == "work-moved" && f.action == "approve";
    if r.is_ok() && approved && (f.back == "mine" || f.back == "home") {
        let to = if f.back == "mine" { "/work/mine" } else { "" };
        return Ok(Redirect::to(&ctx.link(&format!("{to}?notice=work-approved"))).into_response());
    }
    outcome(&state, &ctx, id, r, notice).await
}

#[derive(Deserialize)]
struct DepForm {
    #[serde(default)]
    blocked_by: String,
}

async fn add_dep(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DepForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let c = caller(&ctx);
    wops::workable(&state, &c, &reader, id).await?;
    let r = match f.blocked_by.trim().parse::<i64>() {
        Ok(on) => wops::add_dependency(&state, &c, &reader, id, on)
            .await
            .map(|_| ()),
        Err(_) => Err(OpError::Refused(
            "Choose the item this one waits for.".into(),
        )),
    };
    outcome(&state, &ctx, id, r, "work-saved").await
}

async fn remove_dep(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id, dep)): Path<(String, i64, i64)>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let r = wops::remove_dependency(&state, &caller(&ctx), &reader, id, dep).await;
    outcome(&state, &ctx, id, r, "work-saved").await
}

/// A refused note form: the page again with what was typed and the errors by its fields.
async fn note_refused(
    state: &AppState,
    ctx: &WsCtx,
    id: i64,
    e: OpError,
    typed: Typed,
    rename: &[(&str, &str)],
) -> Result<Response, PageError> {
    match e {
        OpError::Invalid(inv) => {
            let mut errors = Invalid::new();
            for f in inv.errors {
                let field = rename
                    .iter()
                    .find(|(from, _)| *from == f.field)
                    .map_or(f.field.as_str(), |(_, to)| to);
                errors.push(field, f.message);
            }
            page(
                state,
                ctx,
                id,
                View {
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    typed,
                    note_errors: errors,
                    ..Default::default()
                },
            )
            .await
        }
        OpError::Stale { .. } => {
            let m = "Someone else changed this item while you were editing. Your text is kept below; check the item, then save again.".to_string();
            page(
                state,
                ctx,
                id,
                View {
                    status: Some(StatusCode::CONFLICT),
                    problem: Some(m),
                    typed,
                    ..Default::default()
                },
            )
            .await
        }
        e => outcome(state, ctx, id, Err(e), "").await,
    }
}

#[derive(Deserialize)]
struct DescriptionForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    version: String,
}

async fn set_description(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DescriptionForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let r = wnotes::set_description(
        &state,
        &caller(&ctx),
        &reader,
        id,
        crate::pages::forms::version(&f.version),
        &f.description,
    )
    .await;
    match r {
        Ok(_) => Ok(back(&ctx, id, "work-saved")),
        Err(e) => {
            let typed = Typed {
                description: Some(f.description),
                ..Default::default()
            };
            note_refused(&state, &ctx, id, e, typed, &[]).await
        }
    }
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
}

async fn add_web_link(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<LinkForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let input = LinkInput {
        title: f.title,
        url: f.url,
    };
    match wnotes::add_web_link(&state, &caller(&ctx), &reader, id, &input).await {
        Ok(_) => Ok(back(&ctx, id, "web-link-added")),
        Err(e) => {
            let typed = Typed {
                link_title: input.title,
                link_url: input.url,
                ..Default::default()
            };
            let rename = [("title", "link_title"), ("url", "link_url")];
            note_refused(&state, &ctx, id, e, typed, &rename).await
        }
    }
}

async fn remove_web_link(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id, link)): Path<(String, i64, i64)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let expected = crate::pages::forms::version(&f.version);
    let r = wnotes::remove_web_link(&state, &caller(&ctx), &reader, id, link, expected).await;
    outcome(&state, &ctx, id, r, "web-link-removed").await
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    body: String,
}

async fn add_comment(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CommentForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    match wnotes::add_comment(&state, &caller(&ctx), &reader, id, &f.body).await {
        Ok(c) => Ok(Redirect::to(
            &ctx.link(&format!("/work/{id}?notice=comment-added#comment-{}", c.id)),
        )
        .into_response()),
        Err(e) => {
            let typed = Typed {
                comment: f.body,
                ..Default::default()
            };
            note_refused(&state, &ctx, id, e, typed, &[]).await
        }
    }
}

async fn remove_comment(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id, comment)): Path<(String, i64, i64)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let expected = crate::pages::forms::version(&f.version);
    let r = wnotes::remove_comment(&state, &caller(&ctx), &reader, id, comment, expected).await;
    outcome(&state, &ctx, id, r, "comment-removed").await
}

/// Saves the item's links to the strategy (editors of the model only: what the team aims at
/// is theirs to map), checked against the editor's view.
async fn save_links(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<links::LinksForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let c = caller(&ctx);
    wops::visible(&state, &c, &reader, id).await?;
    ctx.require_edit()?;
    let seen = wops::view(&state, &c, &reader).await?;
    let d = match keel_domain::fit::WorkLinkDraft::parse(&form.input(), &seen) {
        Ok(d) => d,
        Err(inv) => {
            let v = View {
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                typed_links: Some((form.clone(), inv)),
                ..Default::default()
            };
            return page(&state, &ctx, id, v).await;
        }
    };
    match state
        .store
        .set_work_links(ctx.ws.id, id, links::expected(&form), &d)
        .await
    {
        Ok(_) => Ok(back(&ctx, id, "links-saved")),
        Err(keel_store::StoreError::Stale { .. }) => {
            let m = "Someone changed these links after you opened the page. They are shown as they are now; choose again.".to_string();
            page(&state, &ctx, id, View::problem(StatusCode::CONFLICT, m)).await
        }
        Err(e) => Err(e.into()),
    }
}
