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
    /// The newest comments that name me, on work I see.
    mentions: Vec<Mention>,
}

/// A comment that names the reader, linked to where it is.
pub struct Mention {
    pub item_id: i64,
    pub comment_id: i64,
    pub item: String,
    pub author: String,
    pub when: String,
    /// The start of the comment, as plain text.
    pub excerpt: String,
}

/// The first line of a comment, cut at about 140 characters.
fn excerpt(body: &str) -> String {
    let line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out: String = line.chars().take(140).collect();
    if line.chars().count() > 140 || body.lines().filter(|l| !l.trim().is_empty()).count() > 1 {
        out.push('…');
    }
    out
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
    let zone = ctx.ws.zone();
    let mentions = crate::ops::work_notes::naming_me(
        &state,
        &crate::pages::workflows::caller(&ctx),
        &ctx.reader(),
        10,
    )
    .await?
    .into_iter()
    .map(|(c, w)| Mention {
        item_id: w.id,
        comment_id: c.id,
        item: w.title,
        author: c.author.unwrap_or_else(|| "Someone".into()),
        when: crate::time_fmt::date(c.created_at, &zone),
        excerpt: excerpt(&c.body),
    })
    .collect();
    render(&Page {
        mentions,
        chrome: ctx
            .chrome("My work", "work")
            .with_notice(q.notice.as_deref()),
        linked: ctx.person_id.is_some(),
        sections,
    })
}
