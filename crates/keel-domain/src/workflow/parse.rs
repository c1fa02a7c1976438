//! Turning a form or API body into a `WorkflowSpec`, with every rule checked and every
//! mistake reported at once.

use super::{
    text_field, Assignment, Complexity, Frequency, InputReq, ProcessLevel, RiskFlag, Stage,
    WorkflowRole, WorkflowSpec, WorkflowStatus,
};
use crate::{text, Date, Invalid, Person};

pub const MAX_STAGES: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct StageInput {
    pub name: String,
    /// One checklist item per entry; blank entries are dropped.
    pub checklist: Vec<String>,
    pub needs_approval: bool,
}

/// What was typed or sent, before parsing. Person ids are text; empty means none.
#[derive(Debug, Clone, Default)]
pub struct WorkflowInput {
    pub name: String,
    pub function_id: String,
    pub purpose: String,
    pub trigger: String,
    /// (what is needed, owner person id)
    pub inputs: Vec<(String, String)>,
    pub quality_standard: String,
    pub review_rhythm: String,
    pub review_decisions: String,
    pub escalation: String,
    pub status: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    pub risk_flags: Vec<String>,
    /// recurring (empty too), occasional or one_off.
    pub frequency: String,
    /// simple (empty too) or coordinated.
    pub complexity: String,
    pub level_override: String,
    pub override_reason: String,
    /// (role, person id) pairs.
    pub roles: Vec<(String, String)>,
    pub stages: Vec<StageInput>,
    pub max_blocked_days: String,
}

fn person<'a>(people: &'a [Person], raw: &str) -> Option<&'a Person> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| people.iter().find(|p| p.id == id))
}

fn date(inv: &mut Invalid, field: &str, raw: &str) -> Option<Date> {
    if raw.trim().is_empty() {
        return None;
    }
    inv.take(field, Date::parse(raw))
}

fn names(people: &[Person], ids: &[i64]) -> String {
    let n: Vec<String> = ids
        .iter()
        .map(|id| super::name_of(people, Some(*id)))
        .collect();
    match n.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn parse(
    i: &WorkflowInput,
    people: &[Person],
    function_ids: &[i64],
) -> Result<WorkflowSpec, Invalid> {
    let mut inv = Invalid::new();
    let name = inv
        .take(
            "name",
            text::required(&i.name, "a name for the workflow", 120),
        )
        .unwrap_or_default();
    let function_id = match i.function_id.trim() {
        "" => None,
        raw => match raw
            .parse::<i64>()
            .ok()
            .filter(|id| function_ids.contains(id))
        {
            Some(id) => Some(id),
            None => {
                inv.push("function_id", "Choose one of this workspace's functions.");
                None
            }
        },
    };
    let purpose = text_field(&mut inv, "purpose", &i.purpose, "the purpose", 400);
    let trigger = text_field(&mut inv, "trigger", &i.trigger, "the trigger", 400);
    let quality_standard = text_field(
        &mut inv,
        "quality_standard",
        &i.quality_standard,
        "the quality standard",
        4000,
    );
    let review_rhythm = text_field(
        &mut inv,
        "review_rhythm",
        &i.review_rhythm,
        "the review rhythm",
        400,
    );
    let review_decisions = text_field(
        &mut inv,
        "review_decisions",
        &i.review_decisions,
        "the decisions a review may lead to",
        1000,
    );
    let escalation = text_field(
        &mut inv,
        "escalation",
        &i.escalation,
        "how exceptions are escalated",
        1000,
    );
    let status = inv
        .take(
            "status",
            WorkflowStatus::parse(if i.status.trim().is_empty() {
                "draft"
            } else {
                &i.status
            }),
        )
        .unwrap_or(WorkflowStatus::Draft);
    let last_reviewed = date(&mut inv, "last_reviewed", &i.last_reviewed);
    let next_review_due = date(&mut inv, "next_review_due", &i.next_review_due);
    if let (Some(l), Some(n)) = (last_reviewed, next_review_due) {
        if n < l {
            inv.push(
                "next_review_due",
                "The next review cannot be due before the last one took place.",
            );
        }
    }
    let max_blocked_days = if i.max_blocked_days.trim().is_empty() {
        5
    } else {
        match i.max_blocked_days.trim().parse::<i64>() {
            Ok(n) if (1..=90).contains(&n) => n,
            _ => {
                inv.push(
                    "max_blocked_days",
                    "Enter a number of days between 1 and 90.",
                );
                5
            }
        }
    };

    let mut risk_flags = Vec::new();
    for raw in i.risk_flags.iter().filter(|r| !r.trim().is_empty()) {
        if let Some(f) = inv.take("risk_flags", RiskFlag::parse(raw)) {
            if !risk_flags.contains(&f) {
                risk_flags.push(f);
            }
        }
    }
    risk_flags.sort();
    let frequency = inv
        .take("frequency", Frequency::parse(&i.frequency))
        .unwrap_or_default();
    let complexity = inv
        .take("complexity", Complexity::parse(&i.complexity))
        .unwrap_or_default();
    let level_override = match i.level_override.trim() {
        "" => None,
        raw => inv.take("level_override", ProcessLevel::parse(raw)),
    };
    let override_reason = text_field(
        &mut inv,
        "override_reason",
        &i.override_reason,
        "the reason",
        1000,
    );
    if level_override.is_some() && override_reason.is_empty() {
        inv.push(
            "override_reason",
            "Say why this workflow needs a different process level than its risks suggest.",
        );
    }

    // Roles: exactly one decision, execution and review owner; the decider is internal.
    let mut assignments: Vec<Assignment> = Vec::new();
    for (role_raw, person_raw) in &i.roles {
        let Some(role) = inv.take("roles", WorkflowRole::parse(role_raw)) else {
            continue;
        };
        match person(people, person_raw) {
            Some(p) => {
                let a = Assignment {
                    person_id: p.id,
                    role,
                };
                if !assignments.contains(&a) {
                    assignments.push(a);
                }
            }
            None => inv.push(role.as_str(), "Choose people from this workspace's team."),
        }
    }
    let with = |role| {
        assignments
            .iter()
            .filter(|a| a.role == role)
            .map(|a| a.person_id)
            .collect::<Vec<_>>()
    };
    let deciders = with(WorkflowRole::DecisionOwner);
    match deciders.as_slice() {
        [] => inv.push("decision_owner", "Choose the decision owner: the one internal person who approves or stops this work."),
        [one] => {
            if people.iter().any(|p| p.id == *one && p.is_external()) {
                inv.push("decision_owner", format!("{} is external. The decision owner must be an internal person; a partner can execute instead.", names(people, &deciders)));
            }
        }
        _ => inv.push(
            "decision_owner",
            format!("A workflow needs exactly one decision owner; you chose {}. Keep one, and make the others approvers or contributors.", names(people, &deciders)),
        ),
    }
    for (role, what) in [
        (
            WorkflowRole::ExecutionOwner,
            "execution owner: the person who runs the work",
        ),
        (
            WorkflowRole::ReviewOwner,
            "review owner: the person who reviews results",
        ),
    ] {
        let ids = with(role);
        match ids.len() {
            0 => inv.push(role.as_str(), format!("Choose the {what}.")),
            1 => {}
            _ => inv.push(
                role.as_str(),
                format!(
                    "Choose one {}, not {} people ({}).",
                    role.label().to_lowercase(),
                    ids.len(),
                    names(people, &ids)
                ),
            ),
        }
    }

    let mut inputs = Vec::new();
    for (n, owner) in &i.inputs {
        if n.trim().is_empty() && owner.trim().is_empty() {
            continue;
        }
        let Some(name) = inv.take("inputs", text::required(n, "what the input is", 200)) else {
            continue;
        };
        let owner_id = match owner.trim() {
            "" => None,
            raw => match person(people, raw) {
                Some(p) => Some(p.id),
                None => {
                    inv.push(
                        "inputs",
                        "Input owners must be people of this workspace's team.",
                    );
                    None
                }
            },
        };
        inputs.push(InputReq { name, owner_id });
    }

    let mut stages: Vec<Stage> = Vec::new();
    for s in i
        .stages
        .iter()
        .filter(|s| !(s.name.trim().is_empty() && s.checklist.iter().all(|c| c.trim().is_empty())))
    {
        let Some(name) = inv.take(
            "stages",
            text::required(&s.name, "a name for each stage", 80),
        ) else {
            continue;
        };
        if stages.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
            inv.push(
                "stages",
                format!("Two stages are called '{name}': give each stage its own name."),
            );
            continue;
        }
        let checklist: Vec<String> = s
            .checklist
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        if let Some(e) = checklist
            .iter()
            .find_map(|c| text::plain(c, "a checklist item").err())
        {
            inv.push("stages", e);
        }
        if checklist.iter().any(|c| c.chars().count() > 200) {
            inv.push(
                "stages",
                format!("Keep each checklist item of '{name}' under 200 characters."),
            );
        }
        stages.push(Stage {
            name,
            checklist,
            needs_approval: s.needs_approval,
        });
    }
    if stages.is_empty() {
        inv.push(
            "stages",
            "Add at least one stage, such as Brief, Build and Launch.",
        );
    }
    if stages.len() > MAX_STAGES {
        inv.push(
            "stages",
            format!("Keep a workflow to {MAX_STAGES} stages or fewer."),
        );
    }

    let spec = WorkflowSpec {
        name,
        function_id,
        purpose,
        trigger,
        inputs,
        quality_standard,
        review_rhythm,
        review_decisions,
        escalation,
        status,
        last_reviewed,
        next_review_due,
        risk_flags,
        frequency,
        complexity,
        level_override,
        override_reason,
        assignments,
        stages,
        max_blocked_days,
    };
    if inv.is_empty() && spec.status.in_use() && spec.level() == ProcessLevel::Detailed {
        for (field, m) in spec.missing_for_level() {
            if field != "inputs" {
                inv.push(field, format!("{m} Save it as a draft until then."));
            }
        }
    }
    inv.into_result(|| spec)
}
