//! Rules about reviews and decisions: a review held with no outcome, a cadence whose review
//! is overdue, an open decision past its due date, a routine that decides nothing and a
//! metric no decision uses (both from `review::retire::candidates`, as the quarterly agenda).

use super::{Finding, Model, Rule, Subject};
use crate::review::retire::{self, Retirable};
use crate::review::{decisions_of, ReviewStatus};

/// A review still open this many days after its date counts as held without an outcome.
pub const OPEN_REVIEW_GRACE_DAYS: i64 = 2;

pub(super) fn no_outcome(m: &Model, r: &Rule) -> Vec<Finding> {
    let today = m.today();
    m.reviews
        .iter()
        .filter(|v| decisions_of(&m.decisions, v.id).is_empty())
        .filter(|v| {
            v.status == ReviewStatus::Closed || v.date.add_days(OPEN_REVIEW_GRACE_DAYS) < today
        })
        .map(|v| {
            r.finding(
                Subject {
                    kind: "review",
                    id: v.id,
                    label: format!("{} of {}", v.kind.label(), v.date.long()),
                },
                format!(
                    "The {} of {} recorded no decision: the time was spent and nothing changed on record.",
                    v.kind.label().to_lowercase(),
                    v.date.long()
                ),
                "Record what was decided, or \"no change\" with its reason, and close the review.",
            )
        })
        .collect()
}

pub(super) fn cadence_overdue(m: &Model, r: &Rule) -> Vec<Finding> {
    let today = m.today();
    m.review_cadences
        .iter()
        .filter_map(|c| {
            let due = c.overdue_since(&m.reviews, today)?;
            Some(r.finding(
                Subject {
                    kind: "review_cadence",
                    id: c.id,
                    label: c.kind.label().to_string(),
                },
                format!(
                    "The {} was due on {} ({}) and has not been held.",
                    c.kind.label().to_lowercase(),
                    due.long(),
                    c.describe()
                ),
                "Hold the review, or change its rhythm or switch it off if the team does not need it.",
            ))
        })
        .collect()
}

pub(super) fn past_due(m: &Model, r: &Rule) -> Vec<Finding> {
    let today = m.today();
    m.decisions
        .iter()
        .filter(|d| d.is_past_due(today))
        .map(|d| {
            let owner = m
                .person(d.owner_id)
                .map(|p| p.display())
                .unwrap_or_else(|| "nobody".into());
            r.finding(
                Subject {
                    kind: "decision",
                    id: d.id,
                    label: d.what.clone(),
                },
                format!(
                    "\"{}\" ({}) was due on {}; {owner} owns it and it is still open.",
                    d.what,
                    d.kind.label().to_lowercase(),
                    d.due.map(|x| x.long()).unwrap_or_default()
                ),
                "Mark it done, give it a new due date in the next review, or reverse it.",
            )
        })
        .collect()
}

/// A routine that produced no decision but "no change" in its last cycles
/// (`review::retire::IDLE_CADENCE_REVIEWS` of its reviews): a candidate to retire.
pub(super) fn idle_cadence(m: &Model, r: &Rule) -> Vec<Finding> {
    retire::candidates(m, m.today())
        .into_iter()
        .filter_map(|c| {
            let Retirable::Cadence(kind) = c.what else {
                return None;
            };
            let cadence = m.review_cadences.iter().find(|x| x.kind == kind)?;
            Some(r.finding(
                Subject {
                    kind: "review_cadence",
                    id: cadence.id,
                    label: c.name.clone(),
                },
                format!("The {} produced no decision: {}", kind.label().to_lowercase(), c.reason),
                "Retire it in the quarterly review (a \"stop\" decision switches it off), hold it less often, or change what it looks at.",
            ))
        })
        .collect()
}

/// A metric no decision referred to in its last cycles (`review::retire::RETIRE_QUARTERS`).
pub(super) fn unused_metric(m: &Model, r: &Rule) -> Vec<Finding> {
    retire::candidates(m, m.today())
        .into_iter()
        .filter_map(|c| {
            let Retirable::Metric(id) = c.what else {
                return None;
            };
            Some(r.finding(
                Subject {
                    kind: "metric",
                    id,
                    label: c.name.clone(),
                },
                format!("{}: {}", c.name, c.reason),
                "Use it in a decision, change what it measures, or retire it in the quarterly review.",
            ))
        })
        .collect()
}
