//! The wire types of a workflow: what the API answers and the body it reads.

use super::date_shapes;
use keel_domain::workflow::{StageInput, Workflow, WorkflowInput};
use keel_domain::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Text the domain keeps as "" when empty; the API says null.
fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// One stage of a workflow; work leaves it through its gate.
#[derive(Serialize, ToSchema)]
pub struct WorkflowStage {
    pub name: String,
    /// What must be true before the gate opens.
    pub checklist: Vec<String>,
    /// The gate also needs the decision owner's approval.
    pub needs_approval: bool,
}

/// Something that must be ready before work starts, and who provides it.
#[derive(Serialize, ToSchema)]
pub struct WorkflowInputDto {
    pub name: String,
    pub owner_id: Option<i64>,
}

/// The part a person plays in a workflow.
#[derive(Serialize, ToSchema)]
pub struct WorkflowRoleDto {
    pub person_id: i64,
    /// decision_owner, execution_owner, review_owner, approver or contributor.
    pub role: String,
}

/// A workflow (SOP): how a recurring piece of marketing work is done, by whom, through which
/// stages and gates.
#[derive(Serialize, ToSchema)]
pub struct WorkflowDto {
    pub id: i64,
    /// Increases with every change; send it back in If-Match.
    pub version: i64,
    pub name: String,
    pub function_id: Option<i64>,
    pub purpose: Option<String>,
    /// What starts a run of this workflow.
    pub trigger: Option<String>,
    /// What must be ready before work starts.
    pub inputs: Vec<WorkflowInputDto>,
    /// Acceptance criteria or review questions.
    pub quality_standard: Option<String>,
    pub review_rhythm: Option<String>,
    /// The decisions a review may lead to.
    pub review_decisions: Option<String>,
    /// How exceptions are escalated.
    pub escalation: Option<String>,
    /// draft, pilot, active or retired.
    pub status: String,
    /// YYYY-MM-DD.
    pub last_reviewed: Option<String>,
    /// YYYY-MM-DD.
    pub next_review_due: Option<String>,
    /// budget, lead_quality, strategy, tracking, sales_handoff, customer_visible.
    pub risk_flags: Vec<String>,
    /// How often it runs: recurring, occasional or one_off.
    pub frequency: String,
    /// simple, or coordinated (needs review and coordination between people).
    pub complexity: String,
    /// The level in force: the override when set, else the one its risks, frequency and
    /// complexity call for.
    pub process_level: String,
    /// Why its risks, frequency and complexity call for the level they do.
    pub process_level_reason: String,
    /// A level set by hand instead of the computed one.
    pub level_override: Option<String>,
    pub override_reason: Option<String>,
    pub roles: Vec<WorkflowRoleDto>,
    pub stages: Vec<WorkflowStage>,
    /// Days a work item may stay blocked before health flags it.
    pub max_blocked_days: i64,
}

impl From<Workflow> for WorkflowDto {
    fn from(w: Workflow) -> Self {
        let s = w.spec;
        let level = s.computed_level();
        WorkflowDto {
            id: w.id,
            version: w.version,
            process_level: s.level_override.unwrap_or(level.level).as_str().into(),
            process_level_reason: level.reason,
            name: s.name,
            function_id: s.function_id,
            purpose: text(&s.purpose),
            trigger: text(&s.trigger),
            inputs: s
                .inputs
                .into_iter()
                .map(|i| WorkflowInputDto {
                    name: i.name,
                    owner_id: i.owner_id,
                })
                .collect(),
            quality_standard: text(&s.quality_standard),
            review_rhythm: text(&s.review_rhythm),
            review_decisions: text(&s.review_decisions),
            escalation: text(&s.escalation),
            status: s.status.as_str().into(),
            last_reviewed: s.last_reviewed.map(|d| d.to_string()),
            next_review_due: s.next_review_due.map(|d| d.to_string()),
            risk_flags: s.risk_flags.iter().map(|f| f.as_str().into()).collect(),
            frequency: s.frequency.as_str().into(),
            complexity: s.complexity.as_str().into(),
            level_override: s.level_override.map(|l| l.as_str().into()),
            override_reason: text(&s.override_reason),
            roles: s
                .assignments
                .iter()
                .map(|a| WorkflowRoleDto {
                    person_id: a.person_id,
                    role: a.role.as_str().into(),
                })
                .collect(),
            stages: s
                .stages
                .into_iter()
                .map(|st| WorkflowStage {
                    name: st.name,
                    checklist: st.checklist,
                    needs_approval: st.needs_approval,
                })
                .collect(),
            max_blocked_days: s.max_blocked_days,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowList {
    pub workflows: Vec<WorkflowDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// Something needed before work starts; the owner provides it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowInputBody {
    #[schema(min_length = 1, max_length = 200, example = "Campaign brief")]
    pub name: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// A person and the part they play.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowRoleBody {
    pub person_id: i64,
    #[schema(
        example = "decision_owner",
        pattern = "^(decision_owner|execution_owner|review_owner|approver|contributor)$"
    )]
    pub role: String,
}

/// One stage, in order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowStageBody {
    #[schema(min_length = 1, max_length = 80, example = "Brief")]
    pub name: String,
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub needs_approval: bool,
}

/// What a workflow says. It needs exactly one decision owner (internal), one execution owner
/// and one review owner in `roles`, and at least one stage; a detailed workflow in use needs
/// an approval gate.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowBody {
    #[schema(min_length = 1, max_length = 120, example = "Campaign brief to launch")]
    pub name: String,
    #[serde(default)]
    pub function_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 400)]
    pub purpose: Option<String>,
    #[serde(default)]
    #[schema(max_length = 400)]
    pub trigger: Option<String>,
    #[serde(default)]
    pub inputs: Vec<WorkflowInputBody>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub quality_standard: Option<String>,
    #[serde(default)]
    #[schema(max_length = 400)]
    pub review_rhythm: Option<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub review_decisions: Option<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub escalation: Option<String>,
    /// Draft when not said.
    #[serde(default)]
    #[schema(pattern = "^(draft|pilot|active|retired)$")]
    pub status: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-12")]
    pub last_reviewed: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-06-12")]
    pub next_review_due: Option<String>,
    /// Any of budget, lead_quality, strategy, tracking, sales_handoff, customer_visible.
    #[serde(default)]
    pub risk_flags: Vec<String>,
    /// How often it runs; recurring when not said.
    #[serde(default)]
    #[schema(pattern = "^(recurring|occasional|one_off)$")]
    pub frequency: Option<String>,
    /// simple (when not said) or coordinated: needs review and coordination between people.
    #[serde(default)]
    #[schema(pattern = "^(simple|coordinated)$")]
    pub complexity: Option<String>,
    #[serde(default)]
    #[schema(pattern = "^(lightweight|standard|detailed)$")]
    pub level_override: Option<String>,
    /// Required with a level override.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub override_reason: Option<String>,
    #[serde(default)]
    pub roles: Vec<WorkflowRoleBody>,
    #[serde(default)]
    pub stages: Vec<WorkflowStageBody>,
    /// 1 to 90 days; 5 when not said.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 90)]
    pub max_blocked_days: Option<i64>,
}

impl WorkflowBody {
    pub(super) fn input(&self) -> WorkflowInput {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let id = |o: Option<i64>| o.map(|i| i.to_string()).unwrap_or_default();
        WorkflowInput {
            name: self.name.clone(),
            function_id: id(self.function_id),
            purpose: opt(&self.purpose),
            trigger: opt(&self.trigger),
            inputs: self
                .inputs
                .iter()
                .map(|i| (i.name.clone(), id(i.owner_id)))
                .collect(),
            quality_standard: opt(&self.quality_standard),
            review_rhythm: opt(&self.review_rhythm),
            review_decisions: opt(&self.review_decisions),
            escalation: opt(&self.escalation),
            status: opt(&self.status),
            last_reviewed: opt(&self.last_reviewed),
            next_review_due: opt(&self.next_review_due),
            risk_flags: self.risk_flags.clone(),
            frequency: opt(&self.frequency),
            complexity: opt(&self.complexity),
            level_override: opt(&self.level_override),
            override_reason: opt(&self.override_reason),
            roles: self
                .roles
                .iter()
                .map(|r| (r.role.clone(), r.person_id.to_string()))
                .collect(),
            stages: self
                .stages
                .iter()
                .map(|s| StageInput {
                    name: s.name.clone(),
                    checklist: s.checklist.clone(),
                    needs_approval: s.needs_approval,
                })
                .collect(),
            max_blocked_days: id(self.max_blocked_days),
        }
    }

    pub(super) fn date_shapes(&self) -> Invalid {
        date_shapes(&[
            ("last_reviewed", &self.last_reviewed),
            ("next_review_due", &self.next_review_due),
        ])
    }
}
