//! Work items: instances of a workflow (a campaign, an article, a paid test, a page update)
//! moving through its stages and gates.

use crate::workflow::{WorkflowRole, WorkflowSpec};
use crate::{text, Date, Invalid, Person};
use serde::{Deserialize, Serialize};

pub mod board;
pub mod digest;
mod gate;
pub mod metrics;
pub mod notes;
pub mod sop_change;
#[cfg(test)]
pub(crate) mod tests;
pub mod transition;

pub use gate::{check_gate, Gate, GateState, Waiting};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    Intake,
    InProgress,
    Blocked,
    /// At a stage that needs the decision owner's approval, which it does not have yet.
    AwaitingApproval,
    Launched,
    Done,
    Cancelled,
}

impl WorkStatus {
    pub const ALL: [WorkStatus; 7] = [
        WorkStatus::Intake,
        WorkStatus::InProgress,
        WorkStatus::Blocked,
        WorkStatus::AwaitingApproval,
        WorkStatus::Launched,
        WorkStatus::Done,
        WorkStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::Intake => "intake",
            WorkStatus::InProgress => "in_progress",
            WorkStatus::Blocked => "blocked",
            WorkStatus::AwaitingApproval => "awaiting_approval",
            WorkStatus::Launched => "launched",
            WorkStatus::Done => "done",
            WorkStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkStatus::Intake => "Intake",
            WorkStatus::InProgress => "In progress",
            WorkStatus::Blocked => "Blocked",
            WorkStatus::AwaitingApproval => "Waiting for approval",
            WorkStatus::Launched => "Launched",
            WorkStatus::Done => "Done",
            WorkStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse(s: &str) -> Result<WorkStatus, String> {
        WorkStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim())
            .ok_or_else(|| "Status is one of intake, in_progress, blocked, awaiting_approval, launched, done, cancelled.".to_string())
    }

    /// Still moving through the workflow (not launched, done or cancelled).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            WorkStatus::Intake
                | WorkStatus::InProgress
                | WorkStatus::Blocked
                | WorkStatus::AwaitingApproval
        )
    }
}

/// A work item as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkItem {
    pub id: i64,
    pub workflow_id: i64,
    pub title: String,
    pub execution_owner_id: Option<i64>,
    pub contributor_ids: Vec<i64>,
    /// Index into the workflow's stages.
    pub stage: usize,
    pub status: WorkStatus,
    pub estimated_hours: f64,
    pub start_date: Option<Date>,
    pub planned_launch: Option<Date>,
    pub actual_launch: Option<Date>,
    pub first_review: Option<Date>,
    pub blocked_reason: Option<String>,
    /// Unix time the item became blocked, while it is.
    pub blocked_since: Option<i64>,
    /// Seconds spent blocked before the current block, if any.
    pub blocked_seconds: i64,
    pub revisions: i64,
    pub created_at: i64,
    pub launched_at: Option<i64>,
    pub version: i64,
}

impl WorkItem {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.planned_launch.is_some_and(|d| d < today)
    }

    /// Whole days blocked so far, including a block still going on.
    pub fn blocked_days(&self, now: i64) -> f64 {
        let ongoing = self.blocked_since.map(|s| (now - s).max(0)).unwrap_or(0);
        ((self.blocked_seconds + ongoing) as f64 / 86_400.0 * 10.0).round() / 10.0
    }

    pub fn involves(&self, person_id: i64) -> bool {
        self.execution_owner_id == Some(person_id) || self.contributor_ids.contains(&person_id)
    }
}

/// What a form or body says about a work item.
#[derive(Debug, Clone, Default)]
pub struct WorkInput {
    pub title: String,
    pub execution_owner_id: String,
    pub contributor_ids: Vec<String>,
    pub estimated_hours: String,
    pub start_date: String,
    pub planned_launch: String,
    pub first_review: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkDraft {
    pub title: String,
    pub execution_owner_id: Option<i64>,
    pub contributor_ids: Vec<i64>,
    pub estimated_hours: f64,
    pub start_date: Option<Date>,
    pub planned_launch: Option<Date>,
    pub first_review: Option<Date>,
}

/// Days after launch the first review is proposed, when the workflow says nothing else.
pub const FIRST_REVIEW_AFTER_DAYS: i64 = 14;

impl WorkDraft {
    pub fn parse(i: &WorkInput, people: &[Person]) -> Result<WorkDraft, Invalid> {
        let mut inv = Invalid::new();
        let title = inv
            .take("title", text::required(&i.title, "a title", 160))
            .unwrap_or_default();
        let find = |raw: &str| {
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| people.iter().any(|p| p.id == *id))
        };
        let execution_owner_id = match i.execution_owner_id.trim() {
            "" => None,
            raw => {
                let f = find(raw);
                if f.is_none() {
                    inv.push(
                        "execution_owner_id",
                        "Choose a person from this workspace's team.",
                    );
                }
                f
            }
        };
        let mut contributor_ids = Vec::new();
        for raw in i.contributor_ids.iter().filter(|r| !r.trim().is_empty()) {
            match find(raw) {
                Some(id) if !contributor_ids.contains(&id) => contributor_ids.push(id),
                Some(_) => {}
                None => inv.push(
                    "contributor_ids",
                    "Choose contributors from this workspace's team.",
                ),
            }
        }
        // Bounded below by what is sane for one item and its weeks (checked with the dates).
        let estimated_hours = inv
            .take(
                "estimated_hours",
                text::hours(&i.estimated_hours, "the estimate", f64::MAX),
            )
            .unwrap_or_default();
        let mut date = |field: &str, raw: &str| {
            if raw.trim().is_empty() {
                None
            } else {
                inv.take(field, Date::parse(raw))
            }
        };
        let start_date = date("start_date", &i.start_date);
        let planned_launch = date("planned_launch", &i.planned_launch);
        let first_review = date("first_review", &i.first_review);
        if let (Some(s), Some(l)) = (start_date, planned_launch) {
            if l < s {
                inv.push("planned_launch", format!("The launch date ({l}) is before the start ({s}). Move the launch later or the start earlier."));
            }
        }
        if let Err(e) = crate::capacity::check_estimate(estimated_hours, start_date, planned_launch)
        {
            inv.push("estimated_hours", e);
        }
        if let (Some(l), Some(r)) = (planned_launch, first_review) {
            if r < l {
                inv.push(
                    "first_review",
                    "The first review comes after the launch it reviews.",
                );
            }
        }
        inv.into_result(|| WorkDraft {
            title,
            execution_owner_id,
            contributor_ids,
            estimated_hours,
            start_date,
            planned_launch,
            first_review,
        })
    }

    /// Fills what the workflow proposes: its execution owner, and a first review two weeks
    /// after the planned launch.
    pub fn with_workflow_defaults(mut self, spec: &WorkflowSpec) -> WorkDraft {
        if self.execution_owner_id.is_none() {
            self.execution_owner_id = spec
                .people_with(WorkflowRole::ExecutionOwner)
                .first()
                .copied();
        }
        if self.first_review.is_none() {
            self.first_review = self
                .planned_launch
                .map(|d| d.add_days(FIRST_REVIEW_AFTER_DAYS));
        }
        self
    }
}

/// Finds whether `item` depending on `on` would close a loop. `deps` are (item, blocked_by).
pub fn creates_cycle(deps: &[(i64, i64)], item: i64, on: i64) -> bool {
    if item == on {
        return true;
    }
    // Is `item` reachable from `on` by following blocked_by edges?
    let mut stack = vec![on];
    let mut seen = std::collections::HashSet::new();
    while let Some(n) = stack.pop() {
        if n == item {
            return true;
        }
        if seen.insert(n) {
            stack.extend(deps.iter().filter(|(a, _)| *a == n).map(|(_, b)| *b));
        }
    }
    false
}
