//! An SOP's revisions compared field by field, in words a reader follows: people by name,
//! stages as one line each, and only the fields that changed.

use super::{Stage, WorkflowRole, WorkflowSpec};
use crate::{Date, Person};
use serde::Serialize;

/// One field that differs between two revisions of an SOP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// What an empty field reads as.
pub const NOT_SET: &str = "not set";

/// "Maya", "Maya and Ines", "Maya, Tom and Ines", or "nobody".
pub(crate) fn names(people: &[Person], ids: &[i64]) -> String {
    let n: Vec<String> = ids
        .iter()
        .map(|id| super::name_of(people, Some(*id)))
        .collect();
    match n.as_slice() {
        [] => "nobody".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "1. Brief — checks: a; b — needs approval"
pub(crate) fn stage_line(n: usize, s: &Stage) -> String {
    let checks = if s.checklist.is_empty() {
        "no checks".to_string()
    } else {
        format!("checks: {}", s.checklist.join("; "))
    };
    let approval = if s.needs_approval {
        " — needs approval"
    } else {
        ""
    };
    format!("{n}. {} — {checks}{approval}", s.name)
}

fn text(s: &str) -> String {
    if s.trim().is_empty() {
        NOT_SET.into()
    } else {
        s.trim().to_string()
    }
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| NOT_SET.into())
}

/// Every field of the SOP as (label, readable value), in the order the SOP reads.
pub fn fields(spec: &WorkflowSpec, people: &[Person]) -> Vec<(&'static str, String)> {
    let inputs = if spec.inputs.is_empty() {
        NOT_SET.to_string()
    } else {
        spec.inputs
            .iter()
            .map(|i| match i.owner_id {
                Some(_) => format!("{} — from {}", i.name, super::name_of(people, i.owner_id)),
                None => i.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let risks = if spec.risk_flags.is_empty() {
        "none".to_string()
    } else {
        spec.risk_flags
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let level = match spec.level_override {
        Some(l) => format!(
            "{} (set by hand; its risks suggest {})",
            l.as_str(),
            spec.computed_level().level.as_str()
        ),
        None => spec.level().as_str().to_string(),
    };
    let stages = if spec.stages.is_empty() {
        NOT_SET.to_string()
    } else {
        spec.stages
            .iter()
            .enumerate()
            .map(|(i, s)| stage_line(i + 1, s))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let function = spec
        .function_id
        .map(|id| format!("function {id}"))
        .unwrap_or_else(|| "none".into());
    let mut out = vec![
        ("Name", text(&spec.name)),
        ("Function", function),
        ("Status", spec.status.as_str().to_string()),
        ("Purpose", text(&spec.purpose)),
        ("Trigger", text(&spec.trigger)),
        ("Inputs", inputs),
        ("Quality standard", text(&spec.quality_standard)),
        ("Risks", risks),
        ("How often it runs", spec.frequency.label().to_string()),
        ("Complexity", spec.complexity.label().to_string()),
        ("Process level", level),
        ("Reason for the level override", text(&spec.override_reason)),
    ];
    for role in WorkflowRole::ALL {
        out.push((role.label(), names(people, &spec.people_with(role))));
    }
    out.extend([
        ("Stages", stages),
        ("Review rhythm", text(&spec.review_rhythm)),
        (
            "Decisions a review may lead to",
            text(&spec.review_decisions),
        ),
        ("Escalation", text(&spec.escalation)),
        ("Last reviewed", date(spec.last_reviewed)),
        ("Next review due", date(spec.next_review_due)),
        (
            "Days blocked before health flags it",
            spec.max_blocked_days.to_string(),
        ),
    ]);
    out
}

/// The fields that differ between two revisions, in SOP order.
pub fn diff(before: &WorkflowSpec, after: &WorkflowSpec, people: &[Person]) -> Vec<Change> {
    fields(before, people)
        .into_iter()
        .zip(fields(after, people))
        .filter(|((_, b), (_, a))| a != b)
        .map(|((field, before), (_, after))| Change {
            field,
            before,
            after,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::tests::spec;
    use crate::workflow::tests::people;
    use crate::workflow::{Assignment, ProcessLevel};

    fn value(spec: &WorkflowSpec, label: &str) -> String {
        fields(spec, &people())
            .into_iter()
            .find(|(l, _)| *l == label)
            .unwrap_or_else(|| panic!("no field {label}"))
            .1
    }

    #[test]
    fn fields_name_people_instead_of_ids() {
        let s = spec();
        assert_eq!(value(&s, "Decides"), "Maya");
        assert_eq!(value(&s, "Executes"), "Tom (Brightline)");
        assert_eq!(value(&s, "Reviews"), "Ines");
        assert_eq!(value(&s, "Approves"), "nobody");
        assert_eq!(value(&s, "Inputs"), "Approved brief — from Maya");
    }

    #[test]
    fn fields_show_stages_one_per_line_with_checks_and_approval() {
        assert_eq!(
            value(&spec(), "Stages"),
            "1. Brief — checks: Audience named\n2. Launch — checks: Tracking checked — needs approval"
        );
    }

    #[test]
    fn fields_mark_empty_text_and_dates_as_not_set() {
        let s = spec();
        assert_eq!(value(&s, "Trigger"), NOT_SET);
        assert_eq!(value(&s, "Next review due"), NOT_SET);
        assert_eq!(value(&s, "Function"), "none");
        assert_eq!(value(&s, "Risks"), "spends budget, changes tracking");
        assert_eq!(value(&s, "Process level"), "detailed");
    }

    #[test]
    fn fields_cover_every_part_of_the_sop_once() {
        let f = fields(&spec(), &people());
        let mut labels: Vec<_> = f.iter().map(|(l, _)| *l).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), f.len());
        assert_eq!(f.len(), 24);
    }

    #[test]
    fn names_join_several_people_readably() {
        assert_eq!(names(&people(), &[]), "nobody");
        assert_eq!(names(&people(), &[1, 3]), "Maya and Ines");
        assert_eq!(
            names(&people(), &[1, 2, 3]),
            "Maya, Tom (Brightline) and Ines"
        );
    }

    #[test]
    fn a_diff_of_identical_revisions_is_empty() {
        assert!(diff(&spec(), &spec(), &people()).is_empty());
    }

    #[test]
    fn a_diff_lists_only_the_changed_fields_with_before_and_after() {
        let before = spec();
        let mut after = spec();
        after.purpose = "Launch fewer, better campaigns.".into();
        after.assignments.push(Assignment {
            person_id: 3,
            role: WorkflowRole::Approver,
        });
        after.stages[0].needs_approval = true;
        let d = diff(&before, &after, &people());
        let changed: Vec<_> = d.iter().map(|c| c.field).collect();
        assert_eq!(changed, ["Purpose", "Approves", "Stages"]);
        assert_eq!(d[1].before, "nobody");
        assert_eq!(d[1].after, "Ines");
        assert!(d[2]
            .after
            .starts_with("1. Brief — checks: Audience named — needs approval"));
    }

    #[test]
    fn a_diff_shows_a_level_override_and_its_reason() {
        let before = spec();
        let mut after = spec();
        after.level_override = Some(ProcessLevel::Standard);
        after.override_reason = "Small budget, tested templates.".into();
        let d = diff(&before, &after, &people());
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].field, "Process level");
        assert_eq!(
            d[0].after,
            "standard (set by hand; its risks suggest detailed)"
        );
        assert_eq!(d[1].before, NOT_SET);
    }
}
