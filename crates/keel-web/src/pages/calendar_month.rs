//! The calendar to look at (`/w/{ws}/calendar/month?month=YYYY-MM`): a month of launches,
//! first reviews, reviews (held and due), SOP review dates and blocked work, each linking to
//! its record, from `keel_domain::calendar` over the caller's view of the model, so a viewer
//! sees only what it may see. On a phone the grid becomes a list of the days that hold
//! something (CSS, `ul.month-list`). The subscription addresses stay on `/w/{ws}/calendar`.

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keel_domain::calendar::{self, Entry, Target};
use keel_domain::Date;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/calendar/month", page)
}

#[derive(Deserialize, Default)]
struct MonthQuery {
    #[serde(default)]
    month: String,
}

/// One entry as the page shows it.
pub struct Shown {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
}

pub struct Day {
    pub date: Date,
    /// "7"; "7 Dec" in the list.
    pub num: u32,
    pub long: String,
    pub in_month: bool,
    pub today: bool,
    pub entries: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "calendar_month.html")]
struct Page {
    chrome: Chrome,
    title: String,
    prev: String,
    prev_label: String,
    next: String,
    next_label: String,
    /// The current month's address when another month is shown.
    this_month: Option<String>,
    weeks: Vec<Vec<Day>>,
    blocked: Vec<(String, Shown)>,
    error: Option<String>,
    count: usize,
}

impl Page {
    /// The days of the month that hold something, or today: the phone list.
    fn listed(&self) -> Vec<&Day> {
        self.weeks
            .iter()
            .flatten()
            .filter(|d| d.in_month && (!d.entries.is_empty() || d.today))
            .collect()
    }
}

fn month_param(d: Date) -> String {
    let (y, m, _) = d.ymd();
    format!("{y:04}-{m:02}")
}

fn month_name(d: Date) -> String {
    d.civil().strftime("%B %Y").to_string()
}

fn shown(ctx: &WsCtx, e: &Entry) -> Shown {
    let path = match e.target {
        Target::Work(id) => format!("/work/{id}"),
        Target::Workflow(id) => format!("/workflows/{id}"),
        Target::Review(id) => format!("/reviews/{id}"),
        Target::Reviews => "/reviews".into(),
    };
    Shown {
        kind: e.kind.as_str(),
        title: e.title.clone(),
        href: ctx.link(&path),
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let today = crate::time_fmt::today(&m.zone);
    let (first, error) = match q.month.trim() {
        "" => (today.month_start(), None),
        raw => match calendar::parse_month(raw) {
            Ok(d) => (d, None),
            Err(e) => (today.month_start(), Some(e)),
        },
    };
    let grid = calendar::grid(first);
    let from = grid[0][0];
    let until = grid[grid.len() - 1][6].add_days(1);
    let entries = calendar::entries(&m, from, until);
    let next_month = first.add_months(1);
    let mut count = 0;
    let weeks = grid
        .iter()
        .map(|week| {
            week.iter()
                .map(|&date| {
                    let in_month = date >= first && date < next_month;
                    let es: Vec<Shown> = entries
                        .iter()
                        .filter(|e| e.date == date)
                        .map(|e| shown(&ctx, e))
                        .collect();
                    if in_month {
                        count += es.len();
                    }
                    Day {
                        date,
                        num: date.ymd().2,
                        long: date.civil().strftime("%A %-d %B").to_string(),
                        in_month,
                        today: date == today,
                        entries: es,
                    }
                })
                .collect()
        })
        .collect();
    let blocked = calendar::blocked_now(&m)
        .iter()
        .map(|e| (e.date.day_month(), shown(&ctx, e)))
        .collect();
    let link = |d: Date| ctx.link(&format!("/calendar/month?month={}", month_param(d)));
    let prev = first.add_months(-1);
    let page = Page {
        chrome: ctx.chrome("Calendar", "work"),
        title: month_name(first),
        prev: link(prev),
        prev_label: month_name(prev),
        next: link(next_month),
        next_label: month_name(next_month),
        this_month: (first != today.month_start()).then(|| link(today)),
        weeks,
        blocked,
        error: error.clone(),
        count,
    };
    let mut r = render(&page)?;
    if error.is_some() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(r)
}
