//! Reviews: this week's review with its generated agenda, the cadences, and the reviews
//! held with their ratings and the team's follow-through rate. A partner gets 404 on every
//! review page (its view holds no reviews).

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::reviews::{self as ops, Link};
use crate::ops::strategy::{today, view};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::health::Model;
use keel_domain::review::{self, agenda, CadenceDraft, CadenceInput, Kind, ReviewStatus, WEEKDAYS};
use keel_domain::Invalid;
use keel_store::StoreError;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/reviews", list)
        .post("/w/{ws}/reviews", open)
        .get("/w/{ws}/reviews/cadences", cadences)
        .post("/w/{ws}/reviews/cadences", save_cadence)
}

pub(super) async fn model(state: &AppState, ctx: &WsCtx) -> Result<Arc<Model>, PageError> {
    if !ctx.role.sees_reviews() {
        return Err(PageError::NotFound);
    }
    Ok(view(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?)
}

/// An agenda section as a page shows it.
pub struct SectionView {
    pub key: &'static str,
    pub title: &'static str,
    pub intro: Option<&'static str>,
    pub items: Vec<ItemView>,
    /// Items beyond those shown (`agenda::SHOWN`), and where they are all listed.
    pub more: usize,
    pub more_link: Option<&'static str>,
    /// The notes kept on it (a review page).
    pub note: String,
}

impl SectionView {
    /// Everything the section holds, shown or not.
    pub fn total(&self) -> usize {
        self.items.len() + self.more
    }
}

/// Where the whole of a long agenda section is listed, inside the workspace.
fn full_list(key: &str) -> Option<&'static str> {
    match key {
        "blocked" => Some("/work?blocked=1"),
        "late" => Some("/work?overdue=1"),
        "approvals" => Some("/work?status=awaiting_approval"),
        "launches" => Some("/calendar/month"),
        "decisions" => Some("/decisions?status=open"),
        _ => None,
    }
}

pub struct ItemView {
    pub text: String,
    pub flag: Option<&'static str>,
    pub question: Option<&'static str>,
    pub links: Vec<Link>,
    /// What the item proposes to retire ("workflow:3"), for the review's "Retire…" link.
    pub retire: Option<String>,
}

impl ItemView {
    /// A flag that asks for attention (a warning badge, not an informational one).
    pub fn warns(&self) -> bool {
        matches!(
            self.flag,
            Some("past due" | "late" | "off target" | "over capacity" | "missed")
        )
    }
}

pub fn sections(m: &Model, a: &agenda::Agenda, notes: &[(String, String)]) -> Vec<SectionView> {
    a.sections
        .iter()
        .map(|s| SectionView {
            key: s.key,
            title: s.title,
            intro: s.intro,
            more: s.more,
            more_link: full_list(s.key),
            note: notes
                .iter()
                .find(|(k, _)| k == s.key)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            items: s
                .items
                .iter()
                .map(|i| ItemView {
                    text: i.text.clone(),
                    flag: i.flag,
                    question: i.question,
                    links: i.evidence.iter().map(|e| ops::link(m, *e)).collect(),
                    retire: i.retire.map(|r| r.key()),
                })
                .collect(),
        })
        .collect()
}

pub struct ReviewLine {
    pub id: i64,
    pub kind: &'static str,
    pub date: String,
    pub open: bool,
    pub decisions: usize,
    pub rating: Option<f64>,
}

pub struct CadenceLine {
    pub kind: &'static str,
    pub rhythm: String,
    pub active: bool,
    pub facilitator: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "reviews/list.html")]
struct ListPage {
    chrome: Chrome,
    /// This week's open weekly review, if started.
    current: Option<i64>,
    /// The weekly agenda as it reads today.
    preview: Vec<SectionView>,
    today: String,
    cadences: Vec<CadenceLine>,
    reviews: Vec<ReviewLine>,
    follow_through: Option<u32>,
    past_due: usize,
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let day = today(&m);
    let current = ops::current(&m, Kind::Weekly, day).map(|r| r.id);
    let preview = sections(&m, &agenda::agenda(Kind::Weekly, &m, day), &[]);
    let mut reviews: Vec<ReviewLine> = m
        .reviews
        .iter()
        .map(|r| ReviewLine {
            id: r.id,
            kind: r.kind.label(),
            date: r.date.long(),
            open: r.status == ReviewStatus::Open,
            decisions: review::decisions_of(&m.decisions, r.id).len(),
            rating: r.average_rating(),
        })
        .collect();
    reviews.reverse();
    reviews.truncate(30);
    let cadences = m
        .review_cadences
        .iter()
        .map(|c| CadenceLine {
            kind: c.kind.label(),
            rhythm: c.describe(),
            active: c.active,
            facilitator: ops::name(&m, c.facilitator_id),
            next: c.next_due(c.last_held(&m.reviews)).long(),
        })
        .collect();
    let page = ListPage {
        chrome: ctx
            .chrome("Reviews", "reviews")
            .with_notice(q.notice.as_deref()),
        current,
        preview,
        today: day.long(),
        cadences,
        reviews,
        follow_through: review::follow_through(&m.decisions, day)
            .map(|r| (r * 100.0).round() as u32),
        past_due: m.decisions.iter().filter(|d| d.is_past_due(day)).count(),
    };
    render(&page)
}

#[derive(serde::Deserialize)]
struct OpenForm {
    #[serde(default)]
    kind: String,
}

/// Starts a review of a kind today, with its cadence's facilitator and attendees; an open
/// one in the same period is continued instead.
async fn open(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<OpenForm>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    ctx.require_edit()?;
    let kind = Kind::parse(&f.kind).unwrap_or(Kind::Weekly);
    let day = today(&m);
    match ops::start(&state.store, ctx.ws.id, &m, kind, day, ctx.person_id).await {
        Ok((r, _)) => Ok(Redirect::to(&ctx.link(&format!("/reviews/{}", r.id))).into_response()),
        Err(StoreError::Conflict(_)) => {
            Ok(Redirect::to(&ctx.link("/reviews?notice=review-exists")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One cadence's form, as typed or as stored.
pub struct CadenceForm {
    pub kind: &'static str,
    pub label: &'static str,
    pub purpose: &'static str,
    pub exists: bool,
    pub version: String,
    pub interval: String,
    pub weekday: Vec<Choice>,
    pub time: String,
    pub facilitators: Vec<Choice>,
    pub attendees: Vec<Choice>,
    pub active: bool,
    pub errors: Errors,
    pub conflict: bool,
}

#[derive(Template)]
#[template(path = "reviews/cadences.html")]
struct CadencePage {
    chrome: Chrome,
    forms: Vec<CadenceForm>,
}

fn cadence_form(m: &Model, kind: Kind, typed: Option<(&CadenceInput, &str)>) -> CadenceForm {
    let stored = m.review_cadences.iter().find(|c| c.kind == kind);
    let (interval, weekday, time, facilitator, attendees, active, version) = match (typed, stored) {
        (Some((i, v)), _) => (
            i.interval.clone(),
            i.weekday.clone(),
            i.time.clone(),
            i.facilitator_id.clone(),
            i.attendee_ids.clone(),
            i.active,
            v.to_string(),
        ),
        (None, Some(c)) => (
            c.interval.to_string(),
            c.weekday.to_string(),
            format!("{:02}:{:02}", c.time_minutes / 60, c.time_minutes % 60),
            c.facilitator_id.map(|i| i.to_string()).unwrap_or_default(),
            c.attendee_ids.iter().map(|i| i.to_string()).collect(),
            c.active,
            c.version.to_string(),
        ),
        (None, None) => (
            "1".into(),
            "1".into(),
            "09:30".into(),
            String::new(),
            vec![],
            true,
            String::new(),
        ),
    };
    let internal = m.people.iter().filter(|p| !p.is_external());
    CadenceForm {
        kind: kind.as_str(),
        label: kind.label(),
        purpose: kind.purpose(),
        exists: stored.is_some(),
        version,
        interval,
        weekday: choices(
            WEEKDAYS
                .iter()
                .enumerate()
                .map(|(i, d)| ((i + 1).to_string(), *d)),
            &weekday,
        ),
        time,
        facilitators: choices(
            std::iter::once((String::new(), "Choose who runs it".to_string()))
                .chain(internal.map(|p| (p.id.to_string(), p.display()))),
            &facilitator,
        ),
        attendees: m
            .people
            .iter()
            .map(|p| Choice {
                selected: attendees.contains(&p.id.to_string()),
                value: p.id.to_string(),
                label: p.display(),
            })
            .collect(),
        active,
        errors: Errors::default(),
        conflict: false,
    }
}

async fn cadences(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let forms = Kind::ALL
        .iter()
        .map(|k| cadence_form(&m, *k, None))
        .collect();
    render(&CadencePage {
        chrome: ctx.chrome("Review cadences", "reviews"),
        forms,
    })
}

async fn save_cadence(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    ctx.require_edit()?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = CadenceInput {
        kind: get("kind"),
        interval: get("interval"),
        weekday: get("weekday"),
        time: get("time"),
        facilitator_id: get("facilitator_id"),
        attendee_ids: pairs
            .iter()
            .filter(|(n, _)| n == "attendee_ids")
            .map(|(_, v)| v.clone())
            .collect(),
        active: matches!(get("active").as_str(), "on" | "true" | "yes"),
    };
    let typed_version = get("version");
    let rerender = |errors: Invalid, conflict: bool, kind: Kind| {
        let forms: Vec<CadenceForm> = Kind::ALL
            .iter()
            .map(|k| {
                if *k == kind && !conflict {
                    let mut f = cadence_form(&m, *k, Some((&input, &typed_version)));
                    f.errors = Errors(errors.clone());
                    f
                } else {
                    let mut f = cadence_form(&m, *k, None);
                    f.conflict = conflict && *k == kind;
                    f
                }
            })
            .collect();
        let status = if conflict {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        render(&CadencePage {
            chrome: ctx.chrome("Review cadences", "reviews"),
            forms,
        })
        .map(|mut r| {
            *r.status_mut() = status;
            r
        })
    };
    let d = match CadenceDraft::parse(&input, &m.people) {
        Ok(d) => d,
        Err(inv) => {
            let kind = Kind::parse(&input.kind).unwrap_or(Kind::Weekly);
            return rerender(inv, false, kind);
        }
    };
    let expected = (!typed_version.trim().is_empty()).then(|| version(&typed_version));
    match state
        .store
        .put_review_cadence(ctx.ws.id, &d, expected, today(&m))
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/reviews?notice=cadence-saved")).into_response()),
        Err(StoreError::Stale { .. }) => rerender(Invalid::new(), true, d.kind),
        Err(StoreError::Conflict(msg)) => rerender(Invalid::one("kind", msg), false, d.kind),
        Err(e) => Err(e.into()),
    }
}
