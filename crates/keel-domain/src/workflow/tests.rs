use super::*;
use crate::PersonKind;

pub(crate) fn people() -> Vec<Person> {
    let p = |id, kind: PersonKind, name: &str| Person {
        id,
        name: name.into(),
        kind,
        organization: kind.is_external().then(|| "Brightline".to_string()),
        title: None,
        email: None,
        weekly_capacity: 40.0,
        user_id: None,
        version: 1,
    };
    vec![
        p(1, PersonKind::Internal, "Maya"),
        p(2, PersonKind::Agency, "Tom"),
        p(3, PersonKind::Internal, "Ines"),
    ]
}

pub(crate) fn input() -> WorkflowInput {
    WorkflowInput {
        name: "Campaign brief to launch".into(),
        purpose: "Launch campaigns that were briefed and tracked.".into(),
        status: "active".into(),
        roles: vec![
            ("decision_owner".into(), "1".into()),
            ("execution_owner".into(), "2".into()),
            ("review_owner".into(), "3".into()),
        ],
        inputs: vec![("Approved brief".into(), "1".into())],
        quality_standard: "Every link is tracked.".into(),
        risk_flags: vec!["budget".into(), "tracking".into()],
        stages: vec![
            StageInput {
                name: "Brief".into(),
                checklist: vec!["Audience named".into(), " ".into()],
                needs_approval: false,
            },
            StageInput {
                name: "Launch".into(),
                checklist: vec!["Tracking checked".into()],
                needs_approval: true,
            },
        ],
        ..Default::default()
    }
}

#[test]
fn a_complete_workflow_parses() {
    let s = WorkflowSpec::parse(&input(), &people(), &[]).unwrap();
    assert_eq!(s.decision_owner(), Some(1));
    assert_eq!(s.execution_owner(), Some(2));
    assert_eq!(s.stages[0].checklist, ["Audience named"]);
    assert_eq!(s.level(), ProcessLevel::Detailed);
    assert!(s.missing_for_level().is_empty());
}

#[test]
fn two_decision_owners_are_refused_by_name() {
    let mut i = input();
    i.roles.push(("decision_owner".into(), "3".into()));
    let e = WorkflowSpec::parse(&i, &people(), &[]).unwrap_err();
    let m = e.message_for("decision_owner").unwrap();
    assert!(
        m.contains("exactly one decision owner") && m.contains("Maya and Ines"),
        "{m}"
    );
}

#[test]
fn no_or_an_external_decision_owner_is_refused() {
    let mut i = input();
    i.roles.retain(|(r, _)| r != "decision_owner");
    assert!(WorkflowSpec::parse(&i, &people(), &[])
        .unwrap_err()
        .message_for("decision_owner")
        .is_some());
    i.roles.push(("decision_owner".into(), "2".into()));
    let m = WorkflowSpec::parse(&i, &people(), &[]).unwrap_err();
    assert!(m
        .message_for("decision_owner")
        .unwrap()
        .contains("must be an internal person"));
}

#[test]
fn duplicate_stage_names_are_refused() {
    let mut i = input();
    i.stages.push(StageInput {
        name: "brief".into(),
        ..Default::default()
    });
    let e = WorkflowSpec::parse(&i, &people(), &[]).unwrap_err();
    assert!(e
        .message_for("stages")
        .unwrap()
        .contains("Two stages are called 'brief'"));
}

#[test]
fn a_workflow_needs_a_stage() {
    let mut i = input();
    i.stages.clear();
    assert!(WorkflowSpec::parse(&i, &people(), &[])
        .unwrap_err()
        .message_for("stages")
        .is_some());
}

#[test]
fn an_active_detailed_workflow_needs_an_approval_gate_and_a_quality_standard() {
    let mut i = input();
    i.stages[1].needs_approval = false;
    i.quality_standard = "".into();
    let e = WorkflowSpec::parse(&i, &people(), &[]).unwrap_err();
    assert!(e.message_for("stages").unwrap().contains("approval gate"));
    assert!(e.message_for("quality_standard").is_some());
    // As a draft it may be incomplete.
    i.status = "draft".into();
    assert!(WorkflowSpec::parse(&i, &people(), &[]).is_ok());
}

#[test]
fn an_override_needs_a_written_reason() {
    let mut i = input();
    i.level_override = "lightweight".into();
    assert!(WorkflowSpec::parse(&i, &people(), &[])
        .unwrap_err()
        .message_for("override_reason")
        .is_some());
    i.override_reason = "A two-line change to a footer.".into();
    let s = WorkflowSpec::parse(&i, &people(), &[]).unwrap();
    assert_eq!(s.level(), ProcessLevel::Lightweight);
    assert_eq!(s.computed_level().level, ProcessLevel::Detailed);
}

#[test]
fn frequency_and_complexity_are_read_and_set_the_level_with_the_risks() {
    let mut i = input();
    i.risk_flags = vec![];
    i.status = "draft".into();
    let s = WorkflowSpec::parse(&i, &people(), &[]).unwrap();
    assert_eq!(
        s.level(),
        ProcessLevel::Lightweight,
        "recurring and simple by default"
    );
    i.complexity = "coordinated".into();
    assert_eq!(
        WorkflowSpec::parse(&i, &people(), &[]).unwrap().level(),
        ProcessLevel::Standard
    );
    i.frequency = "weekly".into();
    i.complexity = "hard".into();
    let e = WorkflowSpec::parse(&i, &people(), &[]).unwrap_err();
    assert!(e.message_for("frequency").is_some() && e.message_for("complexity").is_some());
}

#[test]
fn review_dates_must_be_in_order() {
    let mut i = input();
    i.last_reviewed = "2026-05-01".into();
    i.next_review_due = "2026-04-01".into();
    assert!(WorkflowSpec::parse(&i, &people(), &[])
        .unwrap_err()
        .message_for("next_review_due")
        .is_some());
    i.next_review_due = "2026-13-01".into();
    assert!(WorkflowSpec::parse(&i, &people(), &[])
        .unwrap_err()
        .message_for("next_review_due")
        .is_some());
}
