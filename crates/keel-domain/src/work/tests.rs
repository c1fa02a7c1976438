use super::*;
use crate::workflow::tests::{input, people};

pub(crate) fn spec() -> WorkflowSpec {
    WorkflowSpec::parse(&input(), &people(), &[]).unwrap()
}

/// An open item of `spec()` at a stage.
pub(crate) fn item_at(stage: usize) -> WorkItem {
    WorkItem {
        id: 1,
        workflow_id: 1,
        title: "Webinar".into(),
        execution_owner_id: Some(2),
        contributor_ids: vec![],
        stage,
        status: WorkStatus::InProgress,
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: None,
        actual_launch: None,
        first_review: None,
        blocked_reason: None,
        blocked_since: None,
        blocked_seconds: 0,
        revisions: 0,
        created_at: 0,
        launched_at: None,
        version: 1,
    }
}

#[test]
fn a_gate_with_an_open_checklist_says_what_is_open() {
    let s = spec();
    match check_gate(&s, 0, &GateState::default()) {
        Gate::Closed(why) => assert!(
            why[0].contains("1 of 1 checklist items are still open: Audience named"),
            "{why:?}"
        ),
        Gate::Open => panic!("gate should be closed"),
    }
    assert_eq!(
        check_gate(
            &s,
            0,
            &GateState {
                checked: vec![0],
                approved: false,
                ..Default::default()
            }
        ),
        Gate::Open
    );
}

#[test]
fn an_approval_gate_needs_the_approval_too() {
    let s = spec();
    let Gate::Closed(why) = check_gate(
        &s,
        1,
        &GateState {
            checked: vec![0],
            approved: false,
            ..Default::default()
        },
    ) else {
        panic!()
    };
    assert!(why[0].contains("needs the decision owner's approval"));
    assert_eq!(
        check_gate(
            &s,
            1,
            &GateState {
                checked: vec![0],
                approved: true,
                ..Default::default()
            }
        ),
        Gate::Open
    );
    assert!(matches!(
        check_gate(&s, 2, &GateState::default()),
        Gate::Closed(_)
    ));
}

#[test]
fn a_launch_before_the_start_is_refused() {
    let i = WorkInput {
        title: "Q3 webinar".into(),
        start_date: "2026-06-10".into(),
        planned_launch: "2026-06-01".into(),
        ..Default::default()
    };
    let e = WorkDraft::parse(&i, &people()).unwrap_err();
    assert!(e
        .message_for("planned_launch")
        .unwrap()
        .contains("before the start"));
}

#[test]
fn the_workflow_proposes_owner_and_first_review() {
    let i = WorkInput {
        title: "Q3 webinar".into(),
        planned_launch: "2026-06-01".into(),
        ..Default::default()
    };
    let d = WorkDraft::parse(&i, &people())
        .unwrap()
        .with_workflow_defaults(&spec());
    assert_eq!(d.execution_owner_id, Some(2));
    assert_eq!(d.first_review.unwrap().to_string(), "2026-06-15");
}

#[test]
fn dependency_cycles_are_found() {
    let deps = [(1, 2), (2, 3)];
    assert!(creates_cycle(&deps, 3, 1));
    assert!(creates_cycle(&deps, 1, 1));
    assert!(!creates_cycle(&deps, 1, 3));
    assert!(!creates_cycle(&deps, 4, 1));
}

#[test]
fn an_estimate_beyond_what_one_person_can_do_is_refused() {
    let i = |hours: &str, start: &str, launch: &str| WorkInput {
        title: "Website relaunch".into(),
        estimated_hours: hours.into(),
        start_date: start.into(),
        planned_launch: launch.into(),
        ..Default::default()
    };
    let e = WorkDraft::parse(&i("1000", "", ""), &people()).unwrap_err();
    assert!(e
        .message_for("estimated_hours")
        .unwrap()
        .contains("at most 500"));
    let e = WorkDraft::parse(&i("120", "2026-06-01", "2026-06-03"), &people()).unwrap_err();
    assert!(e
        .message_for("estimated_hours")
        .unwrap()
        .contains("120 hours a week"));
    assert!(WorkDraft::parse(&i("120", "2026-06-01", "2026-07-06"), &people()).is_ok());
}
