//! Leads: the list (filtered, a page at a time, with recent imports) and the sales-feedback
//! queue, where a viewer too accepts or rejects leads from the keyboard.

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::time_fmt::date;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::lead::{Feedback, Lead, Qualification, REJECTION_REASONS};
use keel_store::{LeadFilter, LeadImport, StoreError};
use serde::Deserialize;

const PAGE: i64 = 50;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/leads", list)
        .get("/w/{ws}/leads/queue", queue)
        .post("/w/{ws}/leads/{lead}/feedback", feedback)
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    qualification: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    offer: String,
    #[serde(default)]
    offset: Option<i64>,
    #[serde(default)]
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "leads/list.html")]
struct ListPage {
    chrome: Chrome,
    leads: Vec<Lead>,
    total: i64,
    pending: i64,
    qualification: String,
    source: String,
    offer: String,
    prev: Option<String>,
    next: Option<String>,
    imports: Vec<LeadImport>,
}

impl ListPage {
    fn is_q(&self, q: &str) -> bool {
        self.qualification == q
    }
    fn when(&self, l: &Lead) -> String {
        l.created.long()
    }
    fn at(&self, t: &i64) -> String {
        date(*t, &self.chrome.zone)
    }
    fn text<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("–")
    }
}

fn query_link(base: &str, q: &ListQuery, offset: i64) -> String {
    let enc = |s: &str| {
        s.replace('%', "%25")
            .replace('&', "%26")
            .replace('+', "%2B")
            .replace(' ', "+")
            .replace('#', "%23")
    };
    format!(
        "{base}?qualification={}&source={}&offer={}&offset={offset}",
        enc(&q.qualification),
        enc(&q.source),
        enc(&q.offer)
    )
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    let offset = q.offset.unwrap_or(0).max(0);
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let f = LeadFilter {
        qualification: Qualification::parse(&q.qualification).ok(),
        source: some(&q.source),
        offer: some(&q.offer),
        limit: PAGE,
        offset,
    };
    let leads = state.store.list_leads(ctx.ws.id, &f).await?;
    let total = state.store.count_leads(ctx.ws.id, &f).await?;
    let pending = state
        .store
        .count_leads(
            ctx.ws.id,
            &LeadFilter {
                qualification: Some(Qualification::Pending),
                ..Default::default()
            },
        )
        .await?;
    let base = ctx.link("/leads");
    render(&ListPage {
        chrome: ctx
            .chrome("Leads", "leads")
            .with_notice(q.notice.as_deref()),
        prev: (offset > 0).then(|| query_link(&base, &q, (offset - PAGE).max(0))),
        next: (offset + PAGE < total).then(|| query_link(&base, &q, offset + PAGE)),
        leads,
        total,
        pending,
        qualification: f
            .qualification
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        source: q.source.trim().to_string(),
        offer: q.offer.trim().to_string(),
        imports: state.store.list_lead_imports(ctx.ws.id, 5).await?,
    })
}

#[derive(Template)]
#[template(path = "leads/queue.html")]
struct QueuePage {
    chrome: Chrome,
    leads: Vec<Lead>,
    waiting: i64,
    reasons: &'static [&'static str],
}

impl QueuePage {
    fn when(&self, l: &Lead) -> String {
        l.created.long()
    }
    fn text<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("–")
    }
}

#[derive(Deserialize)]
struct NoticeOnly {
    #[serde(default)]
    notice: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeOnly>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    let waiting = state
        .store
        .count_leads(
            ctx.ws.id,
            &LeadFilter {
                qualification: Some(Qualification::Pending),
                ..Default::default()
            },
        )
        .await?;
    render(&QueuePage {
        chrome: ctx
            .chrome("Sales feedback", "leads")
            .with_notice(q.notice.as_deref()),
        leads: state.store.pending_leads(ctx.ws.id, PAGE).await?,
        waiting,
        reasons: REJECTION_REASONS,
    })
}

#[derive(Deserialize)]
struct FeedbackForm {
    #[serde(default)]
    qualification: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    objection: String,
    #[serde(default)]
    version: String,
}

async fn feedback(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<FeedbackForm>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    state
        .store
        .find_lead(ctx.ws.id, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let back = |notice: &str| {
        Redirect::to(&ctx.link(&format!("/leads/queue?notice={notice}"))).into_response()
    };
    let fb = match Feedback::parse(&f.qualification, &f.reason, &f.objection) {
        Ok(fb) => fb,
        Err(_) => return Ok(back("reason-needed")),
    };
    let expected = super::forms::version(&f.version);
    match state
        .store
        .give_feedback(
            ctx.ws.id,
            id,
            Some(expected),
            &fb,
            Some(ctx.session.user_id),
        )
        .await
    {
        Ok(l) if l.qualification == Qualification::Rejected => Ok(back("lead-rejected")),
        Ok(_) => Ok(back("lead-accepted")),
        Err(StoreError::Stale { .. }) => Ok(back("lead-changed")),
        Err(e) => Err(e.into()),
    }
}
