//! The capacity model: what each person carries per week against their weekly capacity.
//!
//! A person's load in a week is their recurring commitments (the weekly hours of the functions
//! they execute, and the commitments entered for them: deciding, meetings, managing, other)
//! plus their share of one-off work: each open work item they run spreads its estimate evenly
//! over the weeks from its start to its launch. Load is per week, so 120 h over six weeks is
//! 20 h a week.
//!
//! Architecture Invariant: every figure about load (Team, a person's page, Ownership, Home,
//! Health, the API, the week digest) comes from [`person_load`] or [`team`]; nothing else adds
//! hours up.

use crate::person::MAX_WEEKLY_HOURS;
use crate::work::WorkItem;
use crate::{Date, Function, Person, Zone};
use serde::Serialize;
use std::collections::HashMap;

mod commitment;
#[cfg(test)]
pub(crate) mod tests;

pub use commitment::{Commitment, CommitmentDraft, CommitmentInput, CommitmentKind};

/// Weeks a person's load is shown for: this week and the next eight.
pub const WEEKS_SHOWN: usize = 9;
/// Weeks one-off work is spread over when its dates do not say.
pub const DEFAULT_SPAN_WEEKS: i64 = 4;
/// The largest estimate one work item may carry; bigger work is several items.
pub const MAX_ESTIMATE_HOURS: f64 = 500.0;

/// Where a recurring line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "source", content = "id", rename_all = "snake_case")]
pub enum Source {
    /// The weekly hours of a function the person executes (edited on the function).
    Function(i64),
    /// A commitment entered for the person.
    Commitment(i64),
    /// Something the reader may not see (set by the web layer when it masks names).
    Hidden,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recurring {
    pub kind: CommitmentKind,
    pub label: String,
    pub hours: f64,
    #[serde(flatten)]
    pub source: Source,
}

/// What a one-off item's spread had to assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// From its start date to its planned launch.
    Planned,
    /// No start date: the weeks before its launch.
    NoStart,
    /// No launch date: the weeks from its start.
    NoLaunch,
    /// No dates: the weeks from when it was created.
    NoDates,
}

impl Span {
    /// What the page says about an assumed span; `None` when the dates said it.
    pub fn note(self) -> Option<String> {
        let n = DEFAULT_SPAN_WEEKS;
        match self {
            Span::Planned => None,
            Span::NoStart => Some(format!(
                "no start date: spread over the {n} weeks up to its launch"
            )),
            Span::NoLaunch => Some(format!(
                "no launch date: spread over {n} weeks from its start"
            )),
            Span::NoDates => Some(format!(
                "no dates: spread over {n} weeks from when it was created"
            )),
        }
    }
}

/// One open work item's share of a person's weeks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneOff {
    pub item_id: i64,
    pub title: String,
    pub estimate: f64,
    /// Monday of the first and of the last week it is spread over.
    pub first_week: Date,
    pub last_week: Date,
    pub per_week: f64,
    pub span: Span,
    /// Its last week has passed and it is still open: it keeps its weekly share this week.
    pub late: bool,
}

impl OneOff {
    /// Hours this item takes in the week starting `week`, judged from `this_week`.
    pub fn hours_in(&self, week: Date, this_week: Date) -> f64 {
        let in_span = week >= self.first_week && week <= self.last_week;
        if in_span || (self.late && week == this_week) {
            self.per_week
        } else {
            0.0
        }
    }
}

/// How an open item spreads over weeks, as of `today` (`zone` gives the day it was created).
pub fn spread(item: &WorkItem, today: Date, zone: &Zone) -> OneOff {
    let span_days = (DEFAULT_SPAN_WEEKS - 1) * 7;
    let launch = item.actual_launch.or(item.planned_launch);
    let (first, last, span) = match (item.start_date, launch) {
        (Some(s), Some(l)) if l >= s => (s, l, Span::Planned),
        (Some(s), Some(_)) => (s, s, Span::Planned),
        (None, Some(l)) => (l.add_days(-span_days), l, Span::NoStart),
        (Some(s), None) => (s, s.add_days(span_days), Span::NoLaunch),
        (None, None) => {
            let created = zone.date_of(item.created_at);
            (created, created.add_days(span_days), Span::NoDates)
        }
    };
    let (first_week, last_week) = (first.week_start(), last.week_start());
    let weeks = (last_week.0 - first_week.0) / 7 + 1;
    OneOff {
        item_id: item.id,
        title: item.title.clone(),
        estimate: item.estimated_hours,
        first_week,
        last_week,
        per_week: item.estimated_hours / weeks as f64,
        span,
        late: last_week < today.week_start(),
    }
}

/// Checks an estimate against its dates: at most [`MAX_ESTIMATE_HOURS`], and no more a week
/// than one person can work. The message says what to change.
pub fn check_estimate(hours: f64, start: Option<Date>, launch: Option<Date>) -> Result<(), String> {
    if hours > MAX_ESTIMATE_HOURS {
        return Err(format!(
            "An estimate is at most {MAX_ESTIMATE_HOURS} hours; split bigger work into several items."
        ));
    }
    let weeks = match (start, launch) {
        (Some(s), Some(l)) if l >= s => (l.week_start().0 - s.week_start().0) / 7 + 1,
        _ => DEFAULT_SPAN_WEEKS,
    };
    let per_week = hours / weeks as f64;
    if per_week > MAX_WEEKLY_HOURS {
        let over = if weeks == 1 {
            "1 week".to_string()
        } else {
            format!("{weeks} weeks")
        };
        return Err(format!(
            "{hours} hours over {over} is {} hours a week, more than one person works ({MAX_WEEKLY_HOURS}). Lower the estimate or give it more weeks.",
            round1(per_week)
        ));
    }
    Ok(())
}

/// A week of a person's load.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Week {
    /// Monday of the week.
    pub start: Date,
    pub recurring: f64,
    pub one_off: f64,
    pub total: f64,
}

/// A person's load: this week and the next eight, and what makes it up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonLoad {
    pub person_id: i64,
    pub internal: bool,
    pub capacity: f64,
    pub recurring: Vec<Recurring>,
    pub one_off: Vec<OneOff>,
    pub weeks: Vec<Week>,
    /// Functions the person decides for and executes (counts, for the ownership views).
    pub decides: usize,
    pub executes: usize,
}

impl PersonLoad {
    /// This week's hours.
    pub fn hours(&self) -> f64 {
        self.weeks.first().map(|w| w.total).unwrap_or_default()
    }

    pub fn recurring_hours(&self) -> f64 {
        round1(self.recurring.iter().map(|r| r.hours).sum())
    }

    /// This week's load as a share of capacity in percent; `None` with no capacity set.
    pub fn percent(&self) -> Option<u32> {
        (self.capacity > 0.0).then(|| ((self.hours() / self.capacity) * 100.0).round() as u32)
    }

    /// Over capacity this week.
    pub fn over_capacity(&self) -> bool {
        self.hours() > self.capacity + 1e-9
    }

    /// How many of the weeks shown are over capacity.
    pub fn weeks_over(&self) -> usize {
        self.weeks
            .iter()
            .filter(|w| w.total > self.capacity + 1e-9)
            .count()
    }

    /// The largest weekly load among the weeks shown.
    pub fn peak(&self) -> f64 {
        self.weeks.iter().map(|w| w.total).fold(0.0, f64::max)
    }
}

fn round1(h: f64) -> f64 {
    (h * 10.0).round() / 10.0 + 0.0
}

/// The load of one person. `work` may hold anyone's items; only the open ones the person
/// runs count.
pub fn person_load(
    person: &Person,
    functions: &[Function],
    commitments: &[Commitment],
    work: &[WorkItem],
    today: Date,
    zone: &Zone,
) -> PersonLoad {
    let decides = functions
        .iter()
        .filter(|f| f.business_owner_id == Some(person.id))
        .count();
    let fs: Vec<&Function> = functions
        .iter()
        .filter(|f| f.execution_owner_id == Some(person.id))
        .collect();
    let cs: Vec<&Commitment> = commitments
        .iter()
        .filter(|c| c.person_id == person.id)
        .collect();
    let items: Vec<&WorkItem> = work.iter().filter(|w| runs(w, person.id)).collect();
    build(person, decides, &fs, &cs, &items, today, zone)
}

fn runs(w: &WorkItem, person: i64) -> bool {
    w.status.is_open() && w.execution_owner_id == Some(person)
}

fn build(
    person: &Person,
    decides: usize,
    functions: &[&Function],
    commitments: &[&Commitment],
    work: &[&WorkItem],
    today: Date,
    zone: &Zone,
) -> PersonLoad {
    let mut recurring: Vec<Recurring> = functions
        .iter()
        .filter(|f| f.weekly_hours > 0.0)
        .map(|f| Recurring {
            kind: CommitmentKind::Executing,
            label: f.name.clone(),
            hours: f.weekly_hours,
            source: Source::Function(f.id),
        })
        .collect();
    recurring.extend(commitments.iter().map(|c| Recurring {
        kind: c.kind,
        label: c.label.clone(),
        hours: c.hours,
        source: Source::Commitment(c.id),
    }));
    let base: f64 = recurring.iter().map(|r| r.hours).sum();
    let one_off: Vec<OneOff> = work.iter().map(|w| spread(w, today, zone)).collect();
    let this_week = today.week_start();
    let weeks = (0..WEEKS_SHOWN as i64)
        .map(|i| {
            let start = this_week.add_days(7 * i);
            let work: f64 = one_off.iter().map(|o| o.hours_in(start, this_week)).sum();
            Week {
                start,
                recurring: round1(base),
                one_off: round1(work),
                total: round1(base + work),
            }
        })
        .collect();
    PersonLoad {
        person_id: person.id,
        internal: !person.is_external(),
        capacity: person.weekly_capacity,
        recurring,
        one_off,
        weeks,
        decides,
        executes: functions.len(),
    }
}

/// Everyone's load, in the order of `people`, in one pass over the model.
pub fn team(
    people: &[Person],
    functions: &[Function],
    commitments: &[Commitment],
    work: &[WorkItem],
    today: Date,
    zone: &Zone,
) -> Vec<PersonLoad> {
    #[derive(Default)]
    struct Parts<'a> {
        decides: usize,
        functions: Vec<&'a Function>,
        commitments: Vec<&'a Commitment>,
        work: Vec<&'a WorkItem>,
    }
    let mut parts: HashMap<i64, Parts> = HashMap::with_capacity(people.len());
    for f in functions {
        if let Some(id) = f.business_owner_id {
            parts.entry(id).or_default().decides += 1;
        }
        if let Some(id) = f.execution_owner_id {
            parts.entry(id).or_default().functions.push(f);
        }
    }
    for c in commitments {
        parts.entry(c.person_id).or_default().commitments.push(c);
    }
    for w in work.iter().filter(|w| w.status.is_open()) {
        if let Some(id) = w.execution_owner_id {
            parts.entry(id).or_default().work.push(w);
        }
    }
    let none = Parts::default();
    people
        .iter()
        .map(|p| {
            let x = parts.get(&p.id).unwrap_or(&none);
            build(
                p,
                x.decides,
                &x.functions,
                &x.commitments,
                &x.work,
                today,
                zone,
            )
        })
        .collect()
}

/// Sums over a set of people, this week.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Totals {
    pub people: usize,
    pub hours: f64,
    pub capacity: f64,
    pub over_capacity: usize,
}

impl Totals {
    pub fn percent(&self) -> Option<u32> {
        (self.capacity > 0.0).then(|| ((self.hours / self.capacity) * 100.0).round() as u32)
    }
}

/// The whole team's totals and the internal staff's alone: (team, internal).
pub fn totals(loads: &[&PersonLoad]) -> (Totals, Totals) {
    let sum = |keep: &dyn Fn(&PersonLoad) -> bool| {
        let ls: Vec<&PersonLoad> = loads.iter().copied().filter(|l| keep(l)).collect();
        Totals {
            people: ls.len(),
            hours: round1(ls.iter().map(|l| l.hours()).sum()),
            capacity: round1(ls.iter().map(|l| l.capacity).sum()),
            over_capacity: ls.iter().filter(|l| l.over_capacity()).count(),
        }
    };
    (sum(&|_| true), sum(&|l| l.internal))
}

/// A person's load, for the rules about objectives and priorities (the same model).
pub fn load<'m>(m: &'m crate::health::Model, p: &Person) -> std::borrow::Cow<'m, PersonLoad> {
    // A member of the team: the load kept with the model; anyone else is computed.
    match m.people.iter().position(|x| x == p) {
        Some(i) => std::borrow::Cow::Borrowed(&m.team_loads()[i]),
        None => std::borrow::Cow::Owned(m.load_of(p)),
    }
}

/// Hours a week the team has free this week: each person's capacity left after their load (an
/// overloaded person frees nothing for others), minus the hours of the "now" priorities other
/// than `except`. Negative when the "now" priorities need more than the team has.
pub fn team_free(m: &crate::health::Model, except: Option<i64>) -> f64 {
    let free: f64 = m
        .team_loads()
        .iter()
        .map(|l| (l.capacity - l.hours()).max(0.0))
        .sum();
    let now: f64 = m
        .priorities
        .iter()
        .filter(|p| p.status == crate::priority::Status::Now && Some(p.id) != except)
        .map(|p| p.weekly_hours)
        .sum();
    ((free - now) * 10.0).round() / 10.0
}
