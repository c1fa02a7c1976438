//! Workflows: recurring processes documented as short SOPs, with one decision owner, a process
//! level that follows risk, frequency and complexity, and ordered stages whose gates work must
//! pass.

use crate::{text, Date, Invalid, Person};
use serde::{Deserialize, Serialize};

pub mod history;
mod level;
pub mod markdown;
mod parse;
pub mod templates;
#[cfg(test)]
pub(crate) mod tests;

pub use level::{process_level, Complexity, Frequency, LevelReason, ProcessLevel, RiskFlag};
pub use parse::{StageInput, WorkflowInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowStatus {
    Draft,
    Pilot,
    Active,
    Retired,
}

impl WorkflowStatus {
    pub const ALL: [WorkflowStatus; 4] = [
        WorkflowStatus::Draft,
        WorkflowStatus::Pilot,
        WorkflowStatus::Active,
        WorkflowStatus::Retired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowStatus::Draft => "draft",
            WorkflowStatus::Pilot => "pilot",
            WorkflowStatus::Active => "active",
            WorkflowStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Result<WorkflowStatus, String> {
        WorkflowStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose draft, pilot, active or retired.".to_string())
    }

    /// Whether new work may start in it: a retired workflow leaves the board and the
    /// new-work pickers; its history and existing items stay readable.
    pub fn takes_new_work(self) -> bool {
        self != WorkflowStatus::Retired
    }

    /// Pilot and active workflows are in use: their SOP must be complete for their level.
    pub fn in_use(self) -> bool {
        matches!(self, WorkflowStatus::Pilot | WorkflowStatus::Active)
    }
}

/// The part a person plays in a workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowRole {
    /// Approves or stops the work. Exactly one, internal.
    DecisionOwner,
    /// Runs the work. Exactly one; may be external.
    ExecutionOwner,
    /// Reviews results on the workflow's rhythm. Exactly one.
    ReviewOwner,
    /// Must sign off in addition to the decision owner.
    Approver,
    Contributor,
}

impl WorkflowRole {
    pub const ALL: [WorkflowRole; 5] = [
        WorkflowRole::DecisionOwner,
        WorkflowRole::ExecutionOwner,
        WorkflowRole::ReviewOwner,
        WorkflowRole::Approver,
        WorkflowRole::Contributor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowRole::DecisionOwner => "decision_owner",
            WorkflowRole::ExecutionOwner => "execution_owner",
            WorkflowRole::ReviewOwner => "review_owner",
            WorkflowRole::Approver => "approver",
            WorkflowRole::Contributor => "contributor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkflowRole::DecisionOwner => "Decides",
            WorkflowRole::ExecutionOwner => "Executes",
            WorkflowRole::ReviewOwner => "Reviews",
            WorkflowRole::Approver => "Approves",
            WorkflowRole::Contributor => "Contributes",
        }
    }

    pub fn parse(s: &str) -> Result<WorkflowRole, String> {
        WorkflowRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                "Roles are decision_owner, execution_owner, review_owner, approver or contributor."
                    .to_string()
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub person_id: i64,
    pub role: WorkflowRole,
}

/// Something that must be ready before work starts, and who provides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputReq {
    pub name: String,
    pub owner_id: Option<i64>,
}

/// One stage of a workflow; work leaves it through its gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    /// What must be true before the gate opens.
    pub checklist: Vec<String>,
    /// The gate also needs the decision owner's approval.
    pub needs_approval: bool,
}

/// Everything an SOP says. Stored whole with each revision, so history can be compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowSpec {
    pub name: String,
    pub function_id: Option<i64>,
    pub purpose: String,
    pub trigger: String,
    pub inputs: Vec<InputReq>,
    pub quality_standard: String,
    pub review_rhythm: String,
    pub review_decisions: String,
    pub escalation: String,
    pub status: WorkflowStatus,
    pub last_reviewed: Option<Date>,
    pub next_review_due: Option<Date>,
    pub risk_flags: Vec<RiskFlag>,
    /// How often it runs and how many must coordinate: with the risks, they set the level.
    #[serde(default)]
    pub frequency: Frequency,
    #[serde(default)]
    pub complexity: Complexity,
    pub level_override: Option<ProcessLevel>,
    pub override_reason: String,
    pub assignments: Vec<Assignment>,
    pub stages: Vec<Stage>,
    /// Days a work item may stay blocked before health flags it.
    #[serde(default = "default_blocked_days")]
    pub max_blocked_days: i64,
}

fn default_blocked_days() -> i64 {
    5
}

/// A workflow as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workflow {
    pub id: i64,
    pub spec: WorkflowSpec,
    pub created_at: i64,
    pub version: i64,
}

impl WorkflowSpec {
    pub fn people_with(&self, role: WorkflowRole) -> Vec<i64> {
        self.assignments
            .iter()
            .filter(|a| a.role == role)
            .map(|a| a.person_id)
            .collect()
    }

    fn one(&self, role: WorkflowRole) -> Option<i64> {
        match self.people_with(role).as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    pub fn decision_owner(&self) -> Option<i64> {
        self.one(WorkflowRole::DecisionOwner)
    }
    pub fn execution_owner(&self) -> Option<i64> {
        self.one(WorkflowRole::ExecutionOwner)
    }
    pub fn review_owner(&self) -> Option<i64> {
        self.one(WorkflowRole::ReviewOwner)
    }

    pub fn has_role(&self, person_id: i64) -> bool {
        self.assignments.iter().any(|a| a.person_id == person_id)
    }

    /// The level its risks, frequency and complexity call for, and why.
    pub fn computed_level(&self) -> LevelReason {
        process_level(&self.risk_flags, self.frequency, self.complexity)
    }

    /// The level in force: an override when one is set, otherwise the computed one.
    pub fn level(&self) -> ProcessLevel {
        self.level_override.unwrap_or(self.computed_level().level)
    }

    /// What the SOP is missing for its level while in use; empty when complete.
    pub fn missing_for_level(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let level = self.level();
        if level >= ProcessLevel::Standard && self.inputs.is_empty() {
            out.push((
                "inputs",
                format!(
                    "A {} workflow lists the inputs needed before work starts.",
                    level.as_str()
                ),
            ));
        }
        if level >= ProcessLevel::Standard && self.quality_standard.trim().is_empty() {
            out.push(("quality_standard", format!("A {} workflow states its quality standard: acceptance criteria or review questions.", level.as_str())));
        }
        if level == ProcessLevel::Detailed && !self.stages.iter().any(|s| s.needs_approval) {
            out.push(("stages", "A detailed workflow needs an approval gate before launch: tick 'needs approval' on a stage.".into()));
        }
        out
    }

    /// Approvers allowed at this level beyond the decision owner.
    pub fn approvers_allowed(&self) -> usize {
        match self.level() {
            ProcessLevel::Lightweight => 0,
            ProcessLevel::Standard => 1,
            ProcessLevel::Detailed => 2,
        }
    }

    /// Parses and checks what a form or API body says about a workflow.
    pub fn parse(
        i: &WorkflowInput,
        people: &[Person],
        function_ids: &[i64],
    ) -> Result<WorkflowSpec, Invalid> {
        parse::parse(i, people, function_ids)
    }
}

/// The person's display name, or "nobody".
pub fn name_of(people: &[Person], id: Option<i64>) -> String {
    id.and_then(|id| people.iter().find(|p| p.id == id))
        .map(|p| p.display())
        .unwrap_or_else(|| "nobody".into())
}

pub(crate) fn text_field(
    inv: &mut Invalid,
    field: &str,
    value: &str,
    what: &str,
    max: usize,
) -> String {
    inv.take(field, text::optional(value, what, max))
        .flatten()
        .unwrap_or_default()
}
