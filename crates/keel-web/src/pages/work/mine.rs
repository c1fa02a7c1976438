//! "My work": what waits for my decision (approved from here in one click), what I execute,
//! what I contribute to and what is blocked, from the domain's `digest::my_work` over what I
//! may see.

use super::{rows, Row};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::pages::layout::{render, Chrome};
use crate::pages::people::NoticeQuery;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use keel_domain::work::digest::my_work;

/// One list of the page.
pub struct Section<'a> {
    pub id: &'static str,
    pub title: &'static str,
    /// What an empty list says.
    pub empty: &'static str,
    pub rows: Vec<Row<'a>>,
    /// Rows carry the one-click approval.
    pub approve: bool,
}

#[derive(Template)]
#[template(path = "work/mine.html")]
struct Page<'a> {
    chrome: Chrome,
    /// The caller's account is linked to a person of this workspace.
    linked: bool,
    sections: Vec<Section<'a>>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let seen = crate::model::load(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let today = seen.today();
    // No linked person: nothing is mine (id 0 is nobody).
    let me = ctx.person_id.unwrap_or(0);
    let mine = my_work(&seen.work, &seen.workflows, me);
    let section = |id, title, empty, items, approve| Section {
        id,
        title,
        empty,
        rows: rows(items, &seen.workflows, &seen.people, today),
        approve,
    };
    let sections = vec![
        section(
            "approvals",
            "Waiting for your approval",
            "Nothing waits for your decision.",
            mine.to_approve,
            true,
        ),
        section(
            "execute",
            "You run",
            "You run no open work.",
            mine.execute,
            false,
        ),
        section(
            "contribute",
            "You help with",
            "You contribute to no open work.",
            mine.contribute,
            false,
        ),
        section(
            "blocked",
            "Blocked",
            "Nothing of yours is blocked.",
            mine.blocked,
            false,
        ),
    ];
    render(&Page {
        chrome: ctx
            .chrome("My work", "work")
            .with_notice(q.notice.as_deref()),
        linked: ctx.person_id.is_some(),
        sections,
    })
}
