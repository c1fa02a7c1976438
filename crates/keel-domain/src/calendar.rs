//! What falls on which day: launches, first reviews of launched work, the review cadences'
//! reviews (held, and the upcoming dates `review::schedule` computes), SOP review dates and
//! work blocked, read from the model a reader sees (`Reader::view`), so the month page shows
//! nothing its viewer may not see. `grid` lays a month out in weeks from Monday.

use crate::health::Model;
use crate::work::WorkStatus;
use crate::workflow::WorkflowStatus;
use crate::Date;

/// What an entry is; the order is the order within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Blocked,
    Review,
    SopReview,
    Launch,
    FirstReview,
}

impl Kind {
    /// A CSS class and a stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Blocked => "blocked",
            Kind::Review => "review",
            Kind::SopReview => "sop-review",
            Kind::Launch => "launch",
            Kind::FirstReview => "first-review",
        }
    }
}

/// The record an entry links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Work(i64),
    Workflow(i64),
    /// A review held (or running).
    Review(i64),
    /// A review not held yet: the reviews page starts it.
    Reviews,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub date: Date,
    pub kind: Kind,
    /// What the entry says, in words ("Launch: Spring webinar").
    pub title: String,
    pub target: Target,
}

/// How far ahead upcoming cadence dates are listed past `until` at most (a guard against a
/// long loop on a far-off month).
const MAX_CADENCE_STEPS: usize = 400;

/// Every entry from `from` up to but not including `until`, by day, then kind, then title.
/// `m` must be the reader's view.
pub fn entries(m: &Model, from: Date, until: Date) -> Vec<Entry> {
    let within = |d: Date| d >= from && d < until;
    let mut out = Vec::new();
    for i in &m.work {
        if i.status == WorkStatus::Cancelled {
            continue;
        }
        if let Some(d) = i.actual_launch.or(i.planned_launch).filter(|d| within(*d)) {
            let word = if i.actual_launch.is_some() {
                "Launched"
            } else {
                "Launch"
            };
            out.push(Entry {
                date: d,
                kind: Kind::Launch,
                title: format!("{word}: {}", i.title),
                target: Target::Work(i.id),
            });
        }
        if let Some(d) = i.first_review.filter(|d| within(*d)) {
            out.push(Entry {
                date: d,
                kind: Kind::FirstReview,
                title: format!("First review: {}", i.title),
                target: Target::Work(i.id),
            });
        }
        if i.status == WorkStatus::Blocked {
            if let Some(d) = i
                .blocked_since
                .map(|t| m.zone.date_of(t))
                .filter(|d| within(*d))
            {
                out.push(Entry {
                    date: d,
                    kind: Kind::Blocked,
                    title: format!("Blocked: {}", i.title),
                    target: Target::Work(i.id),
                });
            }
        }
    }
    for w in &m.workflows {
        if w.spec.status == WorkflowStatus::Retired {
            continue;
        }
        if let Some(d) = w.spec.next_review_due.filter(|d| within(*d)) {
            out.push(Entry {
                date: d,
                kind: Kind::SopReview,
                title: format!("SOP review: {}", w.spec.name),
                target: Target::Workflow(w.id),
            });
        }
    }
    for r in m.reviews.iter().filter(|r| within(r.date)) {
        out.push(Entry {
            date: r.date,
            kind: Kind::Review,
            title: r.kind.label().to_string(),
            target: Target::Review(r.id),
        });
    }
    for c in m.review_cadences.iter().filter(|c| c.active) {
        // The next review is due from the last one held; later ones follow every `interval`
        // periods, on the cadence's weekday.
        let mut due = c.next_due(c.last_held(&m.reviews));
        for _ in 0..MAX_CADENCE_STEPS {
            if due >= until {
                break;
            }
            if within(due) {
                out.push(Entry {
                    date: due,
                    kind: Kind::Review,
                    title: format!("{} (due)", c.kind.label()),
                    target: Target::Reviews,
                });
            }
            // The one after is due as if this one were held on its day.
            due = c.next_due(Some(due));
        }
    }
    out.sort_by(|a, b| (a.date, a.kind, &a.title).cmp(&(b.date, b.kind, &b.title)));
    out
}

/// Work blocked now, longest first: (since, entry). A calendar shows it above the month,
/// as it stays blocked until someone acts.
pub fn blocked_now(m: &Model) -> Vec<Entry> {
    let mut out: Vec<Entry> = m
        .work
        .iter()
        .filter(|i| i.status == WorkStatus::Blocked)
        .map(|i| Entry {
            date: i
                .blocked_since
                .map(|t| m.zone.date_of(t))
                .unwrap_or_else(|| m.today()),
            kind: Kind::Blocked,
            title: i.title.clone(),
            target: Target::Work(i.id),
        })
        .collect();
    out.sort_by(|a, b| (a.date, &a.title).cmp(&(b.date, &b.title)));
    out
}

/// The month `YYYY-MM` as its first day.
pub fn parse_month(s: &str) -> Result<Date, String> {
    let t = s.trim();
    Date::parse(&format!("{t}-01"))
        .map_err(|_| format!("Name the month as YYYY-MM, like 2026-03 (got '{t}')."))
}

/// The weeks (Monday to Sunday) that hold the month starting on `first`: four to six rows,
/// with the neighbouring months' days filling the first and last week.
pub fn grid(first: Date) -> Vec<[Date; 7]> {
    let first = first.month_start();
    let next = first.add_months(1);
    let mut weeks = Vec::new();
    let mut monday = first.week_start();
    while monday < next {
        let mut week = [monday; 7];
        for (i, d) in week.iter_mut().enumerate() {
            *d = monday.add_days(i as i64);
        }
        weeks.push(week);
        monday = monday.add_days(7);
    }
    weeks
}

#[cfg(test)]
mod tests;
