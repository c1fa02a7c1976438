//! Health rules about work items in flight: every open item has someone running it, no item
//! stays blocked longer than its workflow allows, and work that waits for blocked work is
//! seen before its launch date arrives.

use super::{Finding, Model, Rule, Subject};
use crate::work::{WorkItem, WorkStatus};

fn subject(i: &WorkItem) -> Subject {
    Subject {
        kind: "work",
        id: i.id,
        label: i.title.clone(),
    }
}

/// Days an item may stay blocked when its workflow cannot be found.
const DEFAULT_MAX_BLOCKED_DAYS: i64 = 5;

pub(super) fn no_owner(m: &Model, r: &Rule) -> Vec<Finding> {
    m.work
        .iter()
        .filter(|i| i.status.is_open() && m.person(i.execution_owner_id).is_none())
        .map(|i| {
            let evidence = match i.execution_owner_id {
                None => format!("Nobody is named to run {}.", i.title),
                Some(_) => format!(
                    "The execution owner of {} is no longer on the team.",
                    i.title
                ),
            };
            r.finding(
                subject(i),
                evidence,
                "Name the person who runs this work, or cancel it.",
            )
        })
        .collect()
}

pub(super) fn blocked_too_long(m: &Model, r: &Rule) -> Vec<Finding> {
    m.work
        .iter()
        .filter(|i| i.status.is_open())
        .filter_map(|i| {
            let since = i.blocked_since?;
            let workflow = m.workflows.iter().find(|w| w.id == i.workflow_id);
            let limit = workflow
                .map(|w| w.spec.max_blocked_days)
                .unwrap_or(DEFAULT_MAX_BLOCKED_DAYS);
            let days = (m.now - since).max(0) as f64 / 86_400.0;
            if days <= limit as f64 {
                return None;
            }
            let days = (days * 10.0).round() / 10.0;
            let rule = match workflow {
                Some(w) => format!("{} allows {limit}", w.spec.name),
                None => format!("the limit is {limit}"),
            };
            let reason = i
                .blocked_reason
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| format!(" Reason given: {}", s.trim()))
                .unwrap_or_else(|| " No reason was given.".into());
            Some(r.finding(
                subject(i),
                format!(
                    "{} has been blocked for {days} days; {rule}.{reason}",
                    i.title
                ),
                "Take it to the decision owner: remove the blocker, re-plan the item, or cancel it.",
            ))
        })
        .collect()
}

/// Open work that waits for an item which is blocked: it cannot launch on time without an
/// override, so the block is everyone's problem, not only its owner's.
pub(super) fn waits_on_blocked(m: &Model, r: &Rule) -> Vec<Finding> {
    let find = |id: i64| m.work.iter().find(|w| w.id == id);
    m.deps
        .iter()
        .filter_map(|&(item, on)| {
            let i = find(item).filter(|i| i.status.is_open())?;
            let b = find(on).filter(|b| b.status == WorkStatus::Blocked)?;
            let since = b
                .blocked_since
                .map(|s| format!(" since {}", m.day_of(s)))
                .unwrap_or_default();
            let why = b
                .blocked_reason
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| format!(": {}", s.trim()))
                .unwrap_or_default();
            let launch = i
                .planned_launch
                .map(|d| format!(" {} is planned to launch on {d}.", i.title))
                .unwrap_or_default();
            Some(r.finding(
                subject(i),
                format!(
                    "{} waits for {}, which is blocked{since}{why}.{launch}",
                    i.title, b.title
                ),
                "Unblock what it waits for, re-plan this item's launch, or remove the dependency if it no longer holds.",
            ))
        })
        .collect()
}
