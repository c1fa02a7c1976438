//! The SOP form: what was typed, kept as typed, and turned into a `WorkflowInput`.

use keel_domain::workflow::{StageInput, WorkflowInput, WorkflowSpec};

/// Rows shown empty below the filled ones, so a stage or input can be added without script.
const SPARE_ROWS: usize = 2;

#[derive(Debug, Clone, Default)]
pub struct StageRow {
    pub name: String,
    pub checks: String,
    pub approval: bool,
}

#[derive(Debug, Clone, Default)]
pub struct WorkflowForm {
    pub name: String,
    pub function_id: String,
    pub purpose: String,
    pub trigger: String,
    pub quality_standard: String,
    pub review_rhythm: String,
    pub review_decisions: String,
    pub escalation: String,
    pub status: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    pub frequency: String,
    pub complexity: String,
    pub level_override: String,
    pub override_reason: String,
    pub max_blocked_days: String,
    pub version: String,
    pub risks: Vec<String>,
    pub roles: Vec<(String, String)>,
    pub inputs: Vec<(String, String)>,
    pub stages: Vec<StageRow>,
}

fn index_of(key: &str, prefix: &str) -> Option<usize> {
    key.strip_prefix(prefix)?.parse().ok()
}

impl WorkflowForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> WorkflowForm {
        let mut f = WorkflowForm::default();
        let mut inputs: Vec<(String, String)> = Vec::new();
        let mut stages: Vec<StageRow> = Vec::new();
        fn at<T: Default>(v: &mut Vec<T>, i: usize) -> &mut T {
            if v.len() <= i {
                v.resize_with(i + 1, T::default);
            }
            &mut v[i]
        }
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "name" => f.name = v,
                "function_id" => f.function_id = v,
                "purpose" => f.purpose = v,
                "trigger" => f.trigger = v,
                "quality_standard" => f.quality_standard = v,
                "review_rhythm" => f.review_rhythm = v,
                "review_decisions" => f.review_decisions = v,
                "escalation" => f.escalation = v,
                "status" => f.status = v,
                "last_reviewed" => f.last_reviewed = v,
                "next_review_due" => f.next_review_due = v,
                "frequency" => f.frequency = v,
                "complexity" => f.complexity = v,
                "level_override" => f.level_override = v,
                "override_reason" => f.override_reason = v,
                "max_blocked_days" => f.max_blocked_days = v,
                "version" => f.version = v,
                "risk" => f.risks.push(v),
                "decision_owner" | "execution_owner" | "review_owner" | "approver"
                | "contributor" => f.roles.push((k.clone(), v)),
                _ => {
                    if let Some(i) = index_of(k, "input_name_").filter(|i| *i < 100) {
                        at(&mut inputs, i).0 = v;
                    } else if let Some(i) = index_of(k, "input_owner_").filter(|i| *i < 100) {
                        at(&mut inputs, i).1 = v;
                    } else if let Some(i) = index_of(k, "stage_name_").filter(|i| *i < 100) {
                        at(&mut stages, i).name = v;
                    } else if let Some(i) = index_of(k, "stage_checks_").filter(|i| *i < 100) {
                        at(&mut stages, i).checks = v;
                    } else if let Some(i) = index_of(k, "stage_approval_").filter(|i| *i < 100) {
                        at(&mut stages, i).approval = !v.is_empty();
                    }
                }
            }
        }
        f.inputs = inputs;
        f.stages = stages;
        f
    }

    pub fn from_spec(s: &WorkflowSpec, version: i64) -> WorkflowForm {
        let opt = |d: Option<keel_domain::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        WorkflowForm {
            name: s.name.clone(),
            function_id: s.function_id.map(|i| i.to_string()).unwrap_or_default(),
            purpose: s.purpose.clone(),
            trigger: s.trigger.clone(),
            quality_standard: s.quality_standard.clone(),
            review_rhythm: s.review_rhythm.clone(),
            review_decisions: s.review_decisions.clone(),
            escalation: s.escalation.clone(),
            status: s.status.as_str().into(),
            last_reviewed: opt(s.last_reviewed),
            next_review_due: opt(s.next_review_due),
            frequency: s.frequency.as_str().into(),
            complexity: s.complexity.as_str().into(),
            level_override: s
                .level_override
                .map(|l| l.as_str().to_string())
                .unwrap_or_default(),
            override_reason: s.override_reason.clone(),
            max_blocked_days: s.max_blocked_days.to_string(),
            version: version.to_string(),
            risks: s
                .risk_flags
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            roles: s
                .assignments
                .iter()
                .map(|a| (a.role.as_str().to_string(), a.person_id.to_string()))
                .collect(),
            inputs: s
                .inputs
                .iter()
                .map(|i| {
                    (
                        i.name.clone(),
                        i.owner_id.map(|o| o.to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
            stages: s
                .stages
                .iter()
                .map(|st| StageRow {
                    name: st.name.clone(),
                    checks: st.checklist.join("\n"),
                    approval: st.needs_approval,
                })
                .collect(),
        }
    }

    pub fn from_input(i: &WorkflowInput) -> WorkflowForm {
        WorkflowForm {
            name: i.name.clone(),
            function_id: i.function_id.clone(),
            purpose: i.purpose.clone(),
            trigger: i.trigger.clone(),
            quality_standard: i.quality_standard.clone(),
            review_rhythm: i.review_rhythm.clone(),
            review_decisions: i.review_decisions.clone(),
            escalation: i.escalation.clone(),
            status: i.status.clone(),
            risks: i.risk_flags.clone(),
            frequency: i.frequency.clone(),
            complexity: i.complexity.clone(),
            roles: i.roles.clone(),
            inputs: i.inputs.clone(),
            stages: i
                .stages
                .iter()
                .map(|s| StageRow {
                    name: s.name.clone(),
                    checks: s.checklist.join("\n"),
                    approval: s.needs_approval,
                })
                .collect(),
            ..Default::default()
        }
    }

    pub fn input(&self) -> WorkflowInput {
        WorkflowInput {
            name: self.name.clone(),
            function_id: self.function_id.clone(),
            purpose: self.purpose.clone(),
            trigger: self.trigger.clone(),
            inputs: self.inputs.clone(),
            quality_standard: self.quality_standard.clone(),
            review_rhythm: self.review_rhythm.clone(),
            review_decisions: self.review_decisions.clone(),
            escalation: self.escalation.clone(),
            status: self.status.clone(),
            last_reviewed: self.last_reviewed.clone(),
            next_review_due: self.next_review_due.clone(),
            risk_flags: self.risks.clone(),
            frequency: self.frequency.clone(),
            complexity: self.complexity.clone(),
            level_override: self.level_override.clone(),
            override_reason: self.override_reason.clone(),
            roles: self.roles.clone(),
            stages: self
                .stages
                .iter()
                .map(|s| StageInput {
                    name: s.name.clone(),
                    checklist: s.checks.lines().map(String::from).collect(),
                    needs_approval: s.approval,
                })
                .collect(),
            max_blocked_days: self.max_blocked_days.clone(),
        }
    }

    /// The rows the form shows: what is there, plus spare empty ones.
    pub fn stage_rows(&self) -> Vec<StageRow> {
        let mut v = self.stages.clone();
        v.extend(std::iter::repeat_with(StageRow::default).take(SPARE_ROWS));
        v
    }

    pub fn input_rows(&self) -> Vec<(String, String)> {
        let mut v = self.inputs.clone();
        v.extend(std::iter::repeat_with(Default::default).take(SPARE_ROWS));
        v
    }

    pub fn has_role(&self, role: &str, person: &i64) -> bool {
        let p = person.to_string();
        self.roles.iter().any(|(r, id)| r == role && *id == p)
    }

    pub fn has_risk(&self, risk: &str) -> bool {
        self.risks.iter().any(|r| r == risk)
    }
}
