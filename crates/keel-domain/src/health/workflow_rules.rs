//! Health rules about workflows: one internal decision owner, a sensible number of approvers,
//! an SOP complete for its level and reviewed on time, and workflows that are still used.

use super::{Finding, Model, Rule, Subject, IDLE_AFTER_DAYS};
use crate::workflow::history::names;
use crate::workflow::{Workflow, WorkflowRole, WorkflowStatus};

fn subject(w: &Workflow) -> Subject {
    Subject {
        kind: "workflow",
        id: w.id,
        label: w.spec.name.clone(),
    }
}

/// Workflows that still run or may run: all but retired ones.
fn live(m: &Model) -> impl Iterator<Item = &Workflow> {
    m.workflows
        .iter()
        .filter(|w| w.spec.status != WorkflowStatus::Retired)
}

/// People holding `role` in the workflow who are still on the team, each once.
fn holders(m: &Model, w: &Workflow, role: WorkflowRole) -> Vec<i64> {
    let mut ids: Vec<i64> = w
        .spec
        .people_with(role)
        .into_iter()
        .filter(|id| m.person(Some(*id)).is_some())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

pub(super) fn decision_owner_count(m: &Model, r: &Rule) -> Vec<Finding> {
    live(m)
        .filter_map(|w| {
            let name = &w.spec.name;
            let owners = holders(m, w, WorkflowRole::DecisionOwner);
            match owners.len() {
                1 => None,
                0 => {
                    let evidence = if w.spec.people_with(WorkflowRole::DecisionOwner).is_empty() {
                        format!("{name} has no decision owner, so nobody can approve or stop its work.")
                    } else {
                        format!("The decision owner of {name} is no longer on the team, so nobody can approve or stop its work.")
                    };
                    Some(r.finding(
                        subject(w),
                        evidence,
                        "Name one internal person as decision owner of the workflow.",
                    ))
                }
                n => Some(r.finding(
                    subject(w),
                    format!(
                        "{name} has {n} decision owners ({}); approvals can contradict each other.",
                        names(&m.people, &owners)
                    ),
                    "Keep one decision owner and make the others approvers or contributors.",
                )),
            }
        })
        .collect()
}

pub(super) fn external_decision_owner(m: &Model, r: &Rule) -> Vec<Finding> {
    live(m)
        .flat_map(|w| {
            holders(m, w, WorkflowRole::DecisionOwner)
                .into_iter()
                .filter_map(|id| m.person(Some(id)).filter(|p| p.is_external()))
                .map(|p| {
                    r.finding(
                        subject(w),
                        format!(
                            "{} decides for the workflow {}, but is external.",
                            p.display(),
                            w.spec.name
                        ),
                        "Make an internal person the decision owner; the partner can stay execution owner.",
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

pub(super) fn too_many_approvers(m: &Model, r: &Rule) -> Vec<Finding> {
    live(m)
        .filter_map(|w| {
            let name = &w.spec.name;
            let approvers = holders(m, w, WorkflowRole::Approver);
            if approvers.is_empty() {
                return None;
            }
            let allowed = w.spec.approvers_allowed();
            if approvers.len() > allowed {
                let limit = match allowed {
                    0 => "needs no approver besides the decision owner".to_string(),
                    1 => "needs at most one approver besides the decision owner".to_string(),
                    n => format!("needs at most {n} approvers besides the decision owner"),
                };
                let count = match approvers.len() {
                    1 => "an approver".to_string(),
                    n => format!("{n} approvers"),
                };
                return Some(r.finding(
                    subject(w),
                    format!(
                        "{name} has {count} ({}); a {} workflow {limit}.",
                        names(&m.people, &approvers),
                        w.spec.level().as_str()
                    ),
                    "Keep the approvals that change the outcome; make the other people contributors or reviewers.",
                ));
            }
            let mut assigned: Vec<i64> = w
                .spec
                .assignments
                .iter()
                .map(|a| a.person_id)
                .filter(|id| m.person(Some(*id)).is_some())
                .collect();
            assigned.sort();
            assigned.dedup();
            let deciders = holders(m, w, WorkflowRole::DecisionOwner);
            let everyone = assigned.len() >= 2
                && assigned
                    .iter()
                    .all(|id| approvers.contains(id) || deciders.contains(id));
            everyone.then(|| {
                r.finding(
                    subject(w),
                    format!(
                        "Everyone on {name} signs off: all {} people assigned are approvers or its decision owner.",
                        assigned.len()
                    ),
                    "Let the decision owner approve, and keep approvers to people whose sign-off changes the outcome.",
                )
            })
        })
        .collect()
}

pub(super) fn review_overdue(m: &Model, r: &Rule) -> Vec<Finding> {
    let today = m.today();
    m.workflows
        .iter()
        .filter(|w| w.spec.status.in_use())
        .filter_map(|w| {
            let due = w.spec.next_review_due.filter(|d| *d < today)?;
            Some(r.finding(
                subject(w),
                format!(
                    "The SOP of {} was due for review on {due}, {} days ago.",
                    w.spec.name,
                    today.0 - due.0
                ),
                "Review the SOP with its review owner, note what changed, and set the next review date.",
            ))
        })
        .collect()
}

pub(super) fn incomplete_for_level(m: &Model, r: &Rule) -> Vec<Finding> {
    m.workflows
        .iter()
        .filter(|w| w.spec.status.in_use())
        .filter_map(|w| {
            let missing = w.spec.missing_for_level();
            if missing.is_empty() {
                return None;
            }
            let what: Vec<String> = missing.into_iter().map(|(_, m)| m).collect();
            Some(r.finding(
                subject(w),
                format!(
                    "{} is {} as a {} workflow, but its SOP is incomplete. {}",
                    w.spec.name,
                    w.spec.status.as_str(),
                    w.spec.level().as_str(),
                    what.join(" ")
                ),
                "Fill in what is missing, or set the workflow back to draft until it is ready.",
            ))
        })
        .collect()
}

pub(super) fn idle(m: &Model, r: &Rule) -> Vec<Finding> {
    let since = m.now - IDLE_AFTER_DAYS * 86_400;
    m.workflows
        .iter()
        .filter(|w| w.spec.status == WorkflowStatus::Active && w.created_at <= since)
        .filter_map(|w| {
            let last = m
                .work
                .iter()
                .filter(|i| i.workflow_id == w.id)
                .map(|i| i.created_at)
                .max();
            if last.is_some_and(|t| t >= since) {
                return None;
            }
            let when = match last {
                Some(t) => format!("the last one was started on {}", m.day_of(t)),
                None => "none was ever started".to_string(),
            };
            Some(r.finding(
                subject(w),
                format!(
                    "{} is active, but no work went through it in its last cycles: no item in {IDLE_AFTER_DAYS} days ({when}).",
                    w.spec.name
                ),
                "If the work still happens, run it through the workflow; if not, retire the workflow.",
            ))
        })
        .collect()
}
