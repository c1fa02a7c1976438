//! Topics that come back: the same workflow, blocker or metric in three of the last four
//! weekly agendas (this one and the three closed weeklies before it) with no decision
//! closing it. Seed 003: a topic that appears every week points to a workflow without a real
//! owner.

use super::{DecisionKind, Evidence, Kind, ReviewStatus};
use crate::health::Model;
use crate::Date;

/// Agendas looked at, this one included.
pub const WINDOW: usize = 4;
/// Appearances within the window that make a topic recurring.
pub const TIMES: usize = 3;

/// The topics of `current` (this agenda's) that recur: in at least `TIMES` of the last
/// `WINDOW` weekly agendas, with no decision (other than "no change") referring to them
/// since the first of those reviews.
pub fn topics(m: &Model, current: &[Evidence], on: Date) -> Vec<Evidence> {
    let mut before: Vec<_> = m
        .reviews
        .iter()
        .filter(|r| r.kind == Kind::Weekly && r.status == ReviewStatus::Closed && r.date < on)
        .collect();
    before.sort_by_key(|r| std::cmp::Reverse((r.date, r.id)));
    before.truncate(WINDOW - 1);
    let Some(first) = before.last().map(|r| r.date) else {
        return vec![];
    };
    current
        .iter()
        .copied()
        .filter(|e| 1 + before.iter().filter(|r| r.topics.contains(e)).count() >= TIMES)
        .filter(|e| {
            !m.decisions.iter().any(|d| {
                d.kind != DecisionKind::NoChange && d.decided_on >= first && d.refers_to(*e)
            })
        })
        .collect()
}
