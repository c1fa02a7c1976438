//! SOP review triggers: besides its review date, an SOP asks for a review when what it was
//! written for changes — its decision or execution owner leaves or changes, a partner joins
//! it, or the same work keeps getting blocked. Each rule reads the workflow's saved versions
//! (`Model::sop_versions`) against the version in force on the day of its last review; the
//! reporting trigger reads when the workflow's metrics last changed what they count.

use super::{Finding, Model, Rule, Subject};
use crate::metric::Metric;
use crate::workflow::{Assignment, Workflow, WorkflowRole};
use crate::Date;

/// How far ahead of the review date the "due soon" notice comes.
pub const REVIEW_DUE_SOON_DAYS: i64 = 14;
/// Blocks within this many days that make a blocker recurring…
pub const RECURRING_BLOCK_DAYS: i64 = 56;
/// …when there are at least this many.
pub const RECURRING_BLOCKS: usize = 3;

/// One saved version of a workflow, as far as review triggers read its history.
#[derive(Debug, Clone, PartialEq)]
pub struct SopVersion {
    pub workflow_id: i64,
    pub version: i64,
    /// Unix time it was saved.
    pub saved_at: i64,
    pub assignments: Vec<Assignment>,
}

/// A block recorded on a work item of a workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockEvent {
    pub workflow_id: i64,
    pub item_id: i64,
    pub at: i64,
    pub reason: String,
}

fn subject(w: &Workflow) -> Subject {
    Subject {
        kind: "workflow",
        id: w.id,
        label: w.spec.name.clone(),
    }
}

fn in_use(m: &Model) -> impl Iterator<Item = &Workflow> {
    m.workflows.iter().filter(|w| w.spec.status.in_use())
}

/// The workflow's versions, oldest first.
fn versions<'a>(m: &'a Model, w: &Workflow) -> Vec<&'a SopVersion> {
    let mut v: Vec<&SopVersion> = m
        .sop_versions
        .iter()
        .filter(|v| v.workflow_id == w.id)
        .collect();
    v.sort_by_key(|v| v.version);
    v
}

/// The version the last review saw: the last one saved on or before the review day, or the
/// first one when the SOP was never reviewed (or reviewed before it was written down here).
fn reviewed_version<'a>(m: &Model, w: &Workflow, all: &[&'a SopVersion]) -> Option<&'a SopVersion> {
    let first = all.first().copied();
    match w.spec.last_reviewed {
        None => first,
        Some(day) => all
            .iter()
            .rev()
            .find(|v| m.day_of(v.saved_at) <= day)
            .copied()
            .or(first),
    }
}

fn with_role(a: &[Assignment], role: WorkflowRole) -> Vec<i64> {
    let mut ids: Vec<i64> = a
        .iter()
        .filter(|x| x.role == role)
        .map(|x| x.person_id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn since(w: &Workflow) -> String {
    match w.spec.last_reviewed {
        Some(d) => format!("since its last review on {d}"),
        None => "since it was written, and it has not been reviewed".into(),
    }
}

fn who(m: &Model, ids: &[i64]) -> String {
    if ids.is_empty() {
        return "nobody".into();
    }
    ids.iter()
        .map(|id| match m.person(Some(*id)) {
            Some(p) => p.display(),
            None => "someone no longer on the team".into(),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The decision or execution owner left the team or was changed after the last review.
pub(super) fn owner_changed(m: &Model, r: &Rule) -> Vec<Finding> {
    in_use(m)
        .filter_map(|w| {
            let all = versions(m, w);
            let base = reviewed_version(m, w, &all)?;
            let mut what = Vec::new();
            for (role, word) in [
                (WorkflowRole::DecisionOwner, "decision owner"),
                (WorkflowRole::ExecutionOwner, "execution owner"),
            ] {
                let now = with_role(&w.spec.assignments, role);
                let before = with_role(&base.assignments, role);
                if now != before {
                    // The first save after the review that holds today's owners.
                    let when = all
                        .iter()
                        .filter(|v| v.version > base.version)
                        .find(|v| with_role(&v.assignments, role) == now)
                        .map(|v| format!(" on {}", m.day_of(v.saved_at)))
                        .unwrap_or_default();
                    what.push(format!(
                        "its {word} changed from {} to {}{when}",
                        who(m, &before),
                        who(m, &now)
                    ));
                }
                let gone: Vec<i64> = now
                    .iter()
                    .copied()
                    .filter(|id| m.person(Some(*id)).is_none())
                    .collect();
                if !gone.is_empty() && now == before {
                    what.push(format!("its {word} is no longer on the team"));
                }
            }
            if what.is_empty() {
                return None;
            }
            Some(r.finding(
                subject(w),
                format!("{}: {} {}.", w.spec.name, what.join("; "), since(w)),
                "Review the SOP with the new owners: who decides, who does the work, the inputs they need and the gates they pass. Then set the review date.",
            ))
        })
        .collect()
}

/// A partner (agency or freelancer) took a role in the workflow after the last review.
pub(super) fn partner_added(m: &Model, r: &Rule) -> Vec<Finding> {
    in_use(m)
        .filter_map(|w| {
            let all = versions(m, w);
            let base = reviewed_version(m, w, &all)?;
            let mut added: Vec<i64> = w
                .spec
                .assignments
                .iter()
                .map(|a| a.person_id)
                .filter(|id| !base.assignments.iter().any(|a| a.person_id == *id))
                .filter(|id| m.person(Some(*id)).is_some_and(|p| p.is_external()))
                .collect();
            added.sort();
            added.dedup();
            if added.is_empty() {
                return None;
            }
            Some(r.finding(
                subject(w),
                format!(
                    "{} joined {} {}.",
                    who(m, &added),
                    w.spec.name,
                    since(w)
                ),
                "Review the SOP for the partner: what they receive, what they hand back, who approves their work and how they escalate.",
            ))
        })
        .collect()
}

/// A metric measuring the workflow changed its definition, source or unit after the SOP's last
/// review (or, never reviewed, after it was written): the reporting it was written for shifted.
pub(super) fn reporting_changed(m: &Model, r: &Rule) -> Vec<Finding> {
    in_use(m)
        .filter_map(|w| {
            let base = w
                .spec
                .last_reviewed
                .unwrap_or_else(|| m.day_of(w.created_at));
            let mut changed: Vec<(&Metric, Date)> = m
                .metrics
                .iter()
                .filter(|x| x.workflow_id == Some(w.id))
                .filter_map(|x| x.definition_changed_at.map(|t| (x, m.day_of(t))))
                .filter(|(_, day)| *day > base)
                .collect();
            if changed.is_empty() {
                return None;
            }
            changed.sort_by_key(|(x, day)| (*day, x.id));
            let what = match changed.as_slice() {
                [(x, day)] => format!("its metric '{}' changed what it counts on {day}", x.name),
                all => format!(
                    "its metrics {} changed what they count",
                    all.iter()
                        .map(|(x, day)| format!("'{}' (on {day})", x.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            Some(r.finding(
                subject(w),
                format!("{}: {what}, {}.", w.spec.name, since(w)),
                "Review the SOP against the new definition: the tracking and handoff steps that feed the metric, the quality standard, and who checks the numbers.",
            ))
        })
        .collect()
}

/// The workflow's work was blocked at least three times in eight weeks: the process, not one
/// item, has a problem.
pub(super) fn recurring_blocker(m: &Model, r: &Rule) -> Vec<Finding> {
    let from = m.now - RECURRING_BLOCK_DAYS * 86_400;
    in_use(m)
        .filter_map(|w| {
            let blocks: Vec<&BlockEvent> = m
                .blocks
                .iter()
                .filter(|b| b.workflow_id == w.id && b.at >= from && b.at <= m.now)
                .collect();
            if blocks.len() < RECURRING_BLOCKS {
                return None;
            }
            // The reason given most often (first seen wins a tie), said in the evidence.
            let mut reasons: Vec<(String, usize)> = Vec::new();
            for b in &blocks {
                let key = b.reason.trim().to_string();
                match reasons
                    .iter_mut()
                    .find(|(r, _)| r.to_lowercase() == key.to_lowercase())
                {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((key, 1)),
                }
            }
            let top = reasons
                .iter()
                .filter(|(r, _)| !r.is_empty())
                .max_by(|a, b| a.1.cmp(&b.1).then(std::cmp::Ordering::Greater))
                .map(|(reason, n)| {
                    if *n > 1 {
                        format!(" The same blocker came back {n} times: {reason}.")
                    } else {
                        format!(" Latest reason given: {reason}.")
                    }
                })
                .unwrap_or_default();
            Some(r.finding(
                subject(w),
                format!(
                    "Work in {} was blocked {} times in the last {} weeks.{top}",
                    w.spec.name,
                    blocks.len(),
                    RECURRING_BLOCK_DAYS / 7
                ),
                "Review the SOP: change the input, gate or hand-off that keeps blocking work, instead of unblocking item by item.",
            ))
        })
        .collect()
}

/// An SOP in use with no date for its next review never comes up for one.
pub(super) fn no_next_review(m: &Model, r: &Rule) -> Vec<Finding> {
    in_use(m)
        .filter(|w| w.spec.next_review_due.is_none())
        .map(|w| {
            r.finding(
                subject(w),
                format!(
                    "{} is {} but has no next review date, so nothing will bring it up for review.",
                    w.spec.name,
                    w.spec.status.as_str()
                ),
                "Set the next review date on the SOP (its review rhythm says how often).",
            )
        })
        .collect()
}

/// The review date is close: a notice before it becomes overdue.
pub(super) fn review_due_soon(m: &Model, r: &Rule) -> Vec<Finding> {
    let today: Date = m.today();
    in_use(m)
        .filter_map(|w| {
            let due = w.spec.next_review_due?;
            let days = due.0 - today.0;
            if !(0..=REVIEW_DUE_SOON_DAYS).contains(&days) {
                return None;
            }
            let when = match days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            };
            Some(r.finding(
                subject(w),
                format!(
                    "The SOP of {} is due for review on {due}, {when}.",
                    w.spec.name
                ),
                "Book the review with its review owner before the date passes.",
            ))
        })
        .collect()
}
