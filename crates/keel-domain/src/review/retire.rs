//! Retiring old routines (PRODUCT.md principle 9, seed 000): a review cadence, a metric or an
//! SOP that no decision used in its last cycles is proposed for retirement. One pure function,
//! `candidates`, serves the quarterly agenda and the two health rules, so they always agree.
//!
//! A cadence's cycle is one of its own reviews: its last `IDLE_CADENCE_REVIEWS` closed reviews
//! decided nothing but "no change". A metric's and an SOP's cycle is a quarter (the quarterly
//! review is where focus is reset): no decision referred to it in the last `RETIRE_QUARTERS`.
//! Nothing is proposed while the team holds fewer than `RETIRE_MIN_REVIEWS` reviews in that
//! window, so a team that does not review in keel is not told to retire everything.

use super::{DecisionKind, Evidence, EvidenceKind, Kind, ReviewStatus};
use crate::health::Model;
use crate::Date;
use serde::Serialize;

/// Quarters without a decision referring to a metric or an SOP before it is a candidate.
pub const RETIRE_QUARTERS: i64 = 2;
/// Closed reviews of a cadence that decided nothing but "no change" before it is a candidate.
pub const IDLE_CADENCE_REVIEWS: usize = 3;
/// Reviews the team must have held in the window before anything is proposed.
pub const RETIRE_MIN_REVIEWS: usize = 2;

/// What may be retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "lowercase")]
pub enum Retirable {
    /// A review cadence, by its kind (one per kind and workspace).
    Cadence(Kind),
    Metric(i64),
    Workflow(i64),
}

impl Retirable {
    /// The evidence a retirement decision links to (a cadence has none: it is named).
    pub fn evidence(self) -> Option<Evidence> {
        match self {
            Retirable::Cadence(_) => None,
            Retirable::Metric(id) => Some(Evidence::new(EvidenceKind::Metric, id)),
            Retirable::Workflow(id) => Some(Evidence::new(EvidenceKind::Workflow, id)),
        }
    }

    /// The form's spelling: "cadence:monthly", "metric:12", "workflow:3".
    pub fn key(self) -> String {
        match self {
            Retirable::Cadence(k) => format!("cadence:{}", k.as_str()),
            Retirable::Metric(id) => format!("metric:{id}"),
            Retirable::Workflow(id) => format!("workflow:{id}"),
        }
    }

    pub fn parse(s: &str) -> Option<Retirable> {
        let (k, v) = s.trim().split_once(':')?;
        match k {
            "cadence" => Kind::parse(v).ok().map(Retirable::Cadence),
            "metric" => v.parse().ok().filter(|i| *i > 0).map(Retirable::Metric),
            "workflow" => v.parse().ok().filter(|i| *i > 0).map(Retirable::Workflow),
            _ => None,
        }
    }
}

/// One proposal: what, and why in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub what: Retirable,
    pub name: String,
    pub reason: String,
}

/// The first day of the window a metric or SOP is judged over, for a review on `on`.
pub fn window_start(on: Date) -> Date {
    on.add_months(-3 * RETIRE_QUARTERS)
}

/// Cadences, metrics and SOPs that no decision used in their last cycles, as of `on`:
/// cadences first, then metrics, then SOPs, each in the model's order.
pub fn candidates(m: &Model, on: Date) -> Vec<Candidate> {
    let mut out = idle_cadences(m, on);
    let from = window_start(on);
    let held = m
        .reviews
        .iter()
        .filter(|r| r.status == ReviewStatus::Closed && r.date >= from && r.date < on)
        .count();
    if held < RETIRE_MIN_REVIEWS {
        return out;
    }
    // Every evidence link of a decision made in the window, once.
    let mut used: Vec<Evidence> = m
        .decisions
        .iter()
        .filter(|d| d.decided_on >= from)
        .flat_map(|d| d.evidence.iter().copied())
        .collect();
    used.sort();
    used.dedup();
    let unused = |e: Evidence| used.binary_search(&e).is_err();
    let why = format!(
        "no decision referred to it in the last {RETIRE_QUARTERS} quarters (since {}).",
        from.long()
    );
    for x in &m.metrics {
        if unused(Evidence::new(EvidenceKind::Metric, x.id)) {
            out.push(Candidate {
                what: Retirable::Metric(x.id),
                name: x.name.clone(),
                reason: why.clone(),
            });
        }
    }
    for w in &m.workflows {
        // An SOP younger than the window has not had its cycles yet.
        let old_enough = m.day_of(w.created_at) < from;
        if w.spec.status.in_use()
            && old_enough
            && unused(Evidence::new(EvidenceKind::Workflow, w.id))
        {
            out.push(Candidate {
                what: Retirable::Workflow(w.id),
                name: w.spec.name.clone(),
                reason: why.clone(),
            });
        }
    }
    out
}

/// Active cadences whose last `IDLE_CADENCE_REVIEWS` closed reviews (before `on`) decided
/// nothing but "no change".
fn idle_cadences(m: &Model, on: Date) -> Vec<Candidate> {
    let mut out = Vec::new();
    for c in m.review_cadences.iter().filter(|c| c.active) {
        let mut closed: Vec<_> = m
            .reviews
            .iter()
            .filter(|r| r.kind == c.kind && r.status == ReviewStatus::Closed && r.date < on)
            .collect();
        closed.sort_by_key(|r| std::cmp::Reverse((r.date, r.id)));
        let last: Vec<_> = closed.into_iter().take(IDLE_CADENCE_REVIEWS).collect();
        let idle = last.len() == IDLE_CADENCE_REVIEWS
            && last.iter().all(|r| {
                m.decisions
                    .iter()
                    .filter(|d| d.review_id == Some(r.id))
                    .all(|d| d.kind == DecisionKind::NoChange)
            });
        if idle {
            out.push(Candidate {
                what: Retirable::Cadence(c.kind),
                name: c.kind.label().to_string(),
                reason: format!(
                    "it decided only \"no change\" in its last {IDLE_CADENCE_REVIEWS} meetings."
                ),
            });
        }
    }
    out
}
