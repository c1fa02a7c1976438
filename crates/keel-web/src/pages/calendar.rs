//! Calendar feeds: secret, revocable addresses that calendar apps subscribe to, with launch
//! dates and first review dates of a workspace's work, or of one person's, and the SOP review
//! dates of the workflows its owner sees (of one person's: those the person has a role in);
//! every event links back to its page. The month view is `calendar_month.rs`.

use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::auth::secret;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::access::Reader;
use keel_domain::health::Model;
use keel_domain::ics::{calendar, Event};
use keel_domain::work::WorkItem;
use keel_domain::workflow::{Workflow, WorkflowStatus};
use keel_domain::Date;
use keel_domain::Person;
use keel_store::{Feed, WorkFilter};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/calendar", page)
        .post("/w/{ws}/calendar", create)
        .post("/w/{ws}/calendar/{feed}/revoke", revoke)
        .get("/calendar/{token}", feed)
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct Page {
    chrome: Chrome,
    feeds: Vec<(Feed, String)>,
    people: Vec<Person>,
    me: Option<i64>,
    new_link: Option<String>,
}

impl Page {
    fn when(&self, t: &i64) -> String {
        crate::time_fmt::date(*t, &self.chrome.zone)
    }
    fn is_me(&self, id: &i64) -> bool {
        self.me == Some(*id)
    }
}

async fn render_page(
    state: &AppState,
    ctx: &WsCtx,
    notice: Option<&str>,
    new_link: Option<String>,
) -> Result<Response, PageError> {
    let people =
        crate::model::people_seen(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let me = people
        .iter()
        .find(|p| p.user_id == Some(ctx.session.user_id))
        .map(|p| p.id);
    let feeds = state
        .store
        .list_feeds(ctx.ws.id)
        .await?
        .into_iter()
        .filter(|f| ctx.role.can_edit_model() || (f.person_id.is_some() && f.person_id == me))
        .map(|f| {
            let label = match f.person_id {
                Some(p) => keel_domain::workflow::name_of(&people, Some(p)),
                None => "The whole workspace".into(),
            };
            (f, label)
        })
        .collect();
    render(&Page {
        chrome: ctx.chrome("Calendar", "work").with_notice(notice),
        feeds,
        people,
        me,
        new_link,
    })
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    render_page(&state, &ctx, q.notice.as_deref(), None).await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    person_id: String,
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    let people =
        crate::model::people_seen(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let me = people
        .iter()
        .find(|p| p.user_id == Some(ctx.session.user_id))
        .map(|p| p.id);
    let person = match f.person_id.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|id| people.iter().any(|p| p.id == *id))
                .ok_or(PageError::NotFound)?,
        ),
    };
    // Anyone may follow their own work; feeds of the workspace or of others need an editor.
    if !(ctx.role.can_edit_model() || (person.is_some() && person == me)) {
        return Err(PageError::Forbidden(crate::ctx::READ_ONLY.into()));
    }
    let token = secret::generate();
    state
        .store
        .create_feed(
            ctx.ws.id,
            person,
            &secret::digest(&token),
            ctx.session.user_id,
        )
        .await?;
    let link = format!("{}/calendar/{token}.ics", state.config.public_origin());
    render_page(&state, &ctx, Some("feed-created"), Some(link)).await
}

async fn revoke(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let feeds = state.store.list_feeds(ctx.ws.id).await?;
    let f = feeds
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(PageError::NotFound)?;
    let me = ctx.person_id;
    if !(ctx.role.can_edit_model() || (f.person_id.is_some() && f.person_id == me)) {
        return Err(PageError::Forbidden(crate::ctx::READ_ONLY.into()));
    }
    state.store.revoke_feed(ctx.ws.id, id).await?;
    Ok(Redirect::to(&ctx.link("/calendar?notice=feed-revoked")).into_response())
}

/// The launch and first-review dates of these items, as calendar events; `base` is the
/// workspace's address (`https://keel.example/w/acme`), which each event links back into.
pub fn events(items: &[WorkItem], host: &str, base: &str) -> Vec<Event> {
    let mut out = Vec::new();
    for i in items.iter().filter(|i| i.status.as_str() != "cancelled") {
        if let Some(d) = i.actual_launch.or(i.planned_launch) {
            out.push(Event {
                uid: format!("launch-{}@{host}", i.id),
                date: d,
                summary: format!("Launch: {}", i.title),
                description: format!("Status: {}", i.status.label()),
                url: Some(format!("{base}/work/{}", i.id)),
            });
        }
        if let Some(d) = i.first_review {
            out.push(Event {
                uid: format!("review-{}@{host}", i.id),
                date: d,
                summary: format!("First review: {}", i.title),
                description: "Review the results and decide what changes.".into(),
                url: Some(format!("{base}/work/{}", i.id)),
            });
        }
    }
    out
}

/// The SOP review dates of these workflows (the feed owner's view), from `since` on; a
/// person's feed has those of the workflows the person has a role in. Retired SOPs have none.
pub fn sop_review_events(
    workflows: &[Workflow],
    person: Option<i64>,
    since: Date,
    base: &str,
) -> Vec<Event> {
    workflows
        .iter()
        .filter(|w| w.spec.status != WorkflowStatus::Retired)
        .filter(|w| person.is_none_or(|p| w.spec.assignments.iter().any(|a| a.person_id == p)))
        .filter_map(|w| {
            let d = w.spec.next_review_due.filter(|d| *d >= since)?;
            Some(Event {
                uid: format!("sop-review-{}@keel", w.id),
                date: d,
                summary: format!("SOP review: {}", w.spec.name),
                description: "Review this workflow's SOP: owners, stages, gates and quality standard.".into(),
                url: Some(format!("{base}/workflows/{}", w.id)),
            })
        })
        .collect()
}

/// How far ahead a feed lists a cadence's reviews, and how many of each at most.
const REVIEW_DAYS_AHEAD: i64 = 120;
const REVIEWS_PER_CADENCE: usize = 12;

/// The next reviews of each cadence that is on, from the model the feed's owner sees (a
/// partner's holds no cadence, so its feeds have none); a person's feed has the reviews the
/// person runs or attends. Each links to the review when it is already open, else to the
/// reviews page, where it is started.
pub fn review_events(m: &Model, person: Option<i64>, today: Date, base: &str) -> Vec<Event> {
    use keel_domain::review::{ReviewStatus, WEEKDAYS};
    let until = today.add_days(REVIEW_DAYS_AHEAD);
    let mut out = Vec::new();
    for c in m
        .review_cadences
        .iter()
        .filter(|c| person.is_none_or(|p| c.involves(p)))
    {
        let time = format!("{:02}:{:02}", c.time_minutes / 60, c.time_minutes % 60);
        let facilitator = keel_domain::workflow::name_of(&m.people, c.facilitator_id);
        if !c.active {
            continue;
        }
        // A review started and not closed yet is still ahead of the team: it stays in the
        // feed (the schedule counts it as held, so the next ones follow it).
        let running = m
            .reviews
            .iter()
            .filter(|r| r.kind == c.kind && r.status == ReviewStatus::Open && r.date >= today)
            .map(|r| r.date);
        let days: Vec<Date> = running
            .chain(c.upcoming(&m.reviews, until, REVIEWS_PER_CADENCE))
            .collect();
        for due in days {
            let open = m
                .reviews
                .iter()
                .find(|r| r.kind == c.kind && r.status == ReviewStatus::Open && r.date == due);
            let url = match open {
                Some(r) => format!("{base}/reviews/{}", r.id),
                None => format!("{base}/reviews"),
            };
            out.push(Event {
                uid: format!("{}-review-{}-{}@keel", c.kind.as_str(), c.id, due),
                date: due,
                summary: format!("{} at {time}", c.kind.label()),
                description: format!(
                    "{} {} at {time} ({}), run by {facilitator}. The agenda is generated from your data in keel.",
                    c.kind.purpose(),
                    WEEKDAYS[(c.weekday.clamp(1, 7) - 1) as usize],
                    m.zone.name(),
                ),
                url: Some(url),
            });
        }
    }
    out
}

/// How far back a feed reaches; older dates are history, not plans.
const FEED_DAYS_BACK: i64 = 90;

async fn feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let live = state
        .store
        .find_feed(&secret::digest(token))
        .await?
        .ok_or(PageError::NotFound)?;
    let f = &live.feed;
    // The feed shows what its owner may see now, through the same rule as their pages.
    let reader = Reader::new(live.owner_role, live.owner_person_id);
    let filter = WorkFilter {
        involving: f.person_id,
        ..Default::default()
    };
    let now = crate::time_fmt::now();
    let today = state.store.zone_of(f.workspace_id).await?.date_of(now);
    let since = today.add_days(-FEED_DAYS_BACK);
    let items: Vec<WorkItem> = state
        .store
        .list_work(f.workspace_id, &filter)
        .await?
        .into_iter()
        .filter(|i| reader.can_see_work(i))
        .filter(|i| {
            i.planned_launch
                .or(i.actual_launch)
                .or(i.first_review)
                .is_some_and(|d| d >= since)
        })
        .collect();
    let base = format!("{}/w/{}", state.config.public_origin(), live.workspace_slug);
    let mut events = events(&items, "keel", &base);
    let seen = crate::model::load(&state, f.workspace_id, live.data_version, &reader).await?;
    events.extend(sop_review_events(
        &seen.workflows,
        f.person_id,
        since,
        &base,
    ));
    events.extend(review_events(&seen, f.person_id, today, &base));
    let body = calendar("keel", &events, now);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}
