use super::*;
use crate::work::tests::spec;
use crate::work::Waiting;
use crate::{Date, Zone};

fn item() -> WorkItem {
    WorkItem {
        id: 1,
        workflow_id: 1,
        title: "Webinar".into(),
        execution_owner_id: Some(2),
        contributor_ids: vec![],
        stage: 0,
        status: WorkStatus::Intake,
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

const ANYONE: Actor = Actor {
    is_decision_owner: false,
};
const DECIDER: Actor = Actor {
    is_decision_owner: true,
};

fn advance() -> Action {
    Action::Advance {
        reason: String::new(),
    }
}

#[test]
fn an_open_checklist_keeps_the_gate_shut_and_says_why() {
    let e = apply(
        &item(),
        &spec(),
        &GateState::default(),
        &advance(),
        ANYONE,
        100,
        &Zone::utc(),
    )
    .unwrap_err();
    assert!(e.message().contains("Audience named"), "{e}");
    let n = apply(
        &item(),
        &spec(),
        &GateState {
            checked: vec![0],
            approved: false,
            ..Default::default()
        },
        &advance(),
        ANYONE,
        100,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    // Stage 1 needs the decision owner's approval: the work waits for it there.
    assert_eq!((n.stage, n.status), (1, WorkStatus::AwaitingApproval));
}

#[test]
fn passing_the_last_gate_launches_the_work() {
    let mut i = item();
    i.stage = 1;
    let n = apply(
        &i,
        &spec(),
        &GateState {
            checked: vec![0],
            approved: true,
            ..Default::default()
        },
        &advance(),
        ANYONE,
        86_400 * 3,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    assert_eq!(
        (n.status, n.actual_launch, n.launched_at),
        (WorkStatus::Launched, Some(Date(3)), Some(86_400 * 3))
    );
    assert_eq!(
        apply(
            &n,
            &spec(),
            &GateState::default(),
            &Action::Done,
            ANYONE,
            0,
            &Zone::utc()
        )
        .unwrap()
        .next
        .status,
        WorkStatus::Done
    );
}

#[test]
fn only_the_decision_owner_overrides_and_only_with_a_reason() {
    let o = |r: &str| Action::Override { reason: r.into() };
    assert!(apply(
        &item(),
        &spec(),
        &GateState::default(),
        &o("Urgent"),
        ANYONE,
        0,
        &Zone::utc()
    )
    .unwrap_err()
    .message()
    .contains("Only the workflow's decision owner"));
    assert!(apply(
        &item(),
        &spec(),
        &GateState::default(),
        &o(" "),
        DECIDER,
        0,
        &Zone::utc()
    )
    .unwrap_err()
    .message()
    .contains("Say why"));
    assert_eq!(
        apply(
            &item(),
            &spec(),
            &GateState::default(),
            &o("Launch date fixed by event"),
            DECIDER,
            0,
            &Zone::utc()
        )
        .unwrap()
        .next
        .stage,
        1
    );
}

#[test]
fn sending_back_counts_a_revision() {
    let mut i = item();
    i.stage = 1;
    let back = Action::SendBack {
        to: 0,
        reason: "Brief unclear".into(),
    };
    let n = apply(
        &i,
        &spec(),
        &GateState::default(),
        &back,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    assert_eq!((n.stage, n.revisions), (0, 1));
    assert!(apply(
        &item(),
        &spec(),
        &GateState::default(),
        &back,
        ANYONE,
        0,
        &Zone::utc()
    )
    .is_err());
    assert!(apply(
        &i,
        &spec(),
        &GateState::default(),
        &Action::SendBack {
            to: 0,
            reason: "".into()
        },
        ANYONE,
        0,
        &Zone::utc()
    )
    .is_err());
}

#[test]
fn blocking_keeps_time_and_reason_and_stops_moves() {
    let b = apply(
        &item(),
        &spec(),
        &GateState::default(),
        &Action::Block {
            reason: "Waiting for legal".into(),
        },
        ANYONE,
        1_000,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    assert_eq!(
        (b.status, b.blocked_since),
        (WorkStatus::Blocked, Some(1_000))
    );
    assert!(apply(
        &b,
        &spec(),
        &GateState {
            checked: vec![0],
            approved: true,
            ..Default::default()
        },
        &advance(),
        ANYONE,
        0,
        &Zone::utc()
    )
    .unwrap_err()
    .message()
    .contains("blocked"));
    let u = apply(
        &b,
        &spec(),
        &GateState::default(),
        &Action::Unblock,
        ANYONE,
        1_000 + 86_400,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    assert_eq!(
        (u.status, u.blocked_seconds, u.blocked_since),
        (WorkStatus::Intake, 86_400, None)
    );
    assert!(apply(
        &item(),
        &spec(),
        &GateState::default(),
        &Action::Block { reason: " ".into() },
        ANYONE,
        0,
        &Zone::utc()
    )
    .is_err());
}

#[test]
fn cancelled_work_stops() {
    let c = apply(
        &item(),
        &spec(),
        &GateState::default(),
        &Action::Cancel,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    assert_eq!(c.status, WorkStatus::Cancelled);
    assert!(apply(
        &c,
        &spec(),
        &GateState::default(),
        &advance(),
        ANYONE,
        0,
        &Zone::utc()
    )
    .is_err());
    assert!(apply(
        &c,
        &spec(),
        &GateState::default(),
        &Action::Cancel,
        ANYONE,
        0,
        &Zone::utc()
    )
    .is_err());
}

#[test]
fn a_cancel_is_undone_by_reopening_where_the_work_stopped() {
    let mut at_draft = item();
    at_draft.stage = 1;
    at_draft.status = WorkStatus::InProgress;
    let gate = GateState::default();
    let cancelled = apply(
        &at_draft,
        &spec(),
        &gate,
        &Action::Cancel,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    // Stage 1 needs the decision owner: approved before the cancel, the work carries on;
    // not approved, it waits for the approval again.
    let approved = GateState {
        approved: true,
        ..Default::default()
    };
    let o = apply(
        &cancelled,
        &spec(),
        &approved,
        &Action::Reopen,
        ANYONE,
        10,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(o.event, EventKind::Reopened);
    assert_eq!((o.next.status, o.next.stage), (WorkStatus::InProgress, 1));
    assert_eq!((o.approval, o.clear_approvals_from), (None, None));
    let o = apply(
        &cancelled,
        &spec(),
        &gate,
        &Action::Reopen,
        ANYONE,
        10,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(o.next.status, WorkStatus::AwaitingApproval);
    // Fresh work reopens as intake; open or launched work has nothing to reopen.
    let fresh = apply(
        &item(),
        &spec(),
        &gate,
        &Action::Cancel,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    let o = apply(
        &fresh,
        &spec(),
        &gate,
        &Action::Reopen,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(o.next.status, WorkStatus::Intake);
    let e = apply(
        &item(),
        &spec(),
        &gate,
        &Action::Reopen,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap_err();
    assert_eq!(e.message(), "Only cancelled work can be reopened.");
    assert_eq!(Action::parse("reopen", None, None).unwrap(), Action::Reopen);
}

#[test]
fn an_override_records_one_line_and_the_approval_it_leaves() {
    let o = apply(
        &item(),
        &spec(),
        &GateState::default(),
        &Action::Override {
            reason: " Launch date fixed by event ".into(),
        },
        DECIDER,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(
        (o.event, o.stage, o.next.stage),
        (EventKind::Overridden, 0, 1)
    );
    assert_eq!(o.note.as_deref(), Some("Launch date fixed by event"));
    assert_eq!(
        o.approval,
        Some(Approval {
            stage: 0,
            override_reason: Some("Launch date fixed by event".into())
        })
    );
}

#[test]
fn an_open_gate_cannot_be_overridden_by_anyone() {
    let open = GateState {
        checked: vec![0],
        approved: false,
        ..Default::default()
    };
    let o = Action::Override {
        reason: "Because".into(),
    };
    for who in [ANYONE, DECIDER] {
        let e = apply(&item(), &spec(), &open, &o, who, 0, &Zone::utc()).unwrap_err();
        assert!(
            e.message().contains("decision owner") || e.message().contains("gate is open"),
            "{e}"
        );
    }
    assert!(apply(&item(), &spec(), &open, &o, DECIDER, 0, &Zone::utc())
        .unwrap_err()
        .message()
        .contains("pass it without an override"));
}

#[test]
fn approving_leaves_an_approval_and_moves_nothing() {
    let mut i = item();
    i.stage = 1;
    let o = apply(
        &i,
        &spec(),
        &GateState::default(),
        &Action::Approve,
        DECIDER,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(
        (o.event, o.next.stage, o.next.status),
        (EventKind::Approved, 1, i.status)
    );
    assert_eq!(o.approval.map(|a| a.stage), Some(1));
    assert!(apply(
        &i,
        &spec(),
        &GateState::default(),
        &Action::Approve,
        ANYONE,
        0,
        &Zone::utc()
    )
    .is_err());
    let approved = GateState {
        checked: vec![],
        approved: true,
        ..Default::default()
    };
    assert!(apply(
        &i,
        &spec(),
        &approved,
        &Action::Approve,
        DECIDER,
        0,
        &Zone::utc()
    )
    .is_err());
}

#[test]
fn sending_back_withdraws_the_approvals_from_that_stage_on() {
    let mut i = item();
    i.stage = 1;
    let o = apply(
        &i,
        &spec(),
        &GateState::default(),
        &Action::SendBack {
            to: 0,
            reason: "Brief unclear".into(),
        },
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(
        (o.event, o.clear_approvals_from),
        (EventKind::SentBack, Some(0))
    );
}

#[test]
fn actions_parse_once_with_errors_that_name_the_field() {
    assert_eq!(
        Action::parse("advance", None, None).unwrap(),
        Action::Advance {
            reason: String::new()
        }
    );
    assert_eq!(
        Action::parse("override", Some("  late  "), None).unwrap(),
        Action::Override {
            reason: "late".into()
        }
    );
    assert_eq!(
        Action::parse("send_back", Some("x"), Some(" 0 ")).unwrap(),
        Action::SendBack {
            to: 0,
            reason: "x".into()
        }
    );
    let e = Action::parse("send_back", Some("x"), Some("-1")).unwrap_err();
    assert_eq!(e.errors[0].field, "to");
    let e = Action::parse("launch!", None, None).unwrap_err();
    assert_eq!(e.errors[0].field, "action");
}

#[test]
fn event_words_read_back_including_the_old_spelling() {
    for k in EventKind::ALL {
        assert_eq!(EventKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(EventKind::parse("override"), Some(EventKind::Overridden));
    assert_eq!(EventKind::parse("teleported"), None);
}

fn waiting(status: WorkStatus) -> GateState {
    GateState {
        checked: vec![0],
        approved: true,
        waits_for: vec![Waiting {
            id: 7,
            title: "Customer story".into(),
            status,
        }],
    }
}

fn at_last_stage() -> WorkItem {
    let mut i = item();
    i.stage = 1;
    i.status = WorkStatus::InProgress;
    i
}

#[test]
fn work_does_not_launch_while_what_it_waits_for_is_unfinished() {
    for status in [
        WorkStatus::Blocked,
        WorkStatus::InProgress,
        WorkStatus::Cancelled,
    ] {
        let e = apply(
            &at_last_stage(),
            &spec(),
            &waiting(status),
            &advance(),
            ANYONE,
            0,
            &Zone::utc(),
        )
        .unwrap_err();
        assert!(matches!(e, Refusal::Rule(_)));
        assert_eq!(
            e.message(),
            format!(
                "This item waits for 'Customer story' ({}), which is neither launched nor done. Launch when it is, remove the dependency, or give a reason to launch anyway.",
                status.label().to_lowercase()
            )
        );
    }
}

#[test]
fn work_launches_once_what_it_waits_for_launched_or_is_done() {
    for status in [WorkStatus::Launched, WorkStatus::Done] {
        let o = apply(
            &at_last_stage(),
            &spec(),
            &waiting(status),
            &advance(),
            ANYONE,
            0,
            &Zone::utc(),
        )
        .unwrap();
        assert_eq!((o.next.status, o.note), (WorkStatus::Launched, None));
    }
}

#[test]
fn waiting_holds_only_the_launch_not_the_stages_before_it() {
    let o = apply(
        &item(),
        &spec(),
        &waiting(WorkStatus::Blocked),
        &advance(),
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(o.next.stage, 1);
}

#[test]
fn launching_anyway_needs_a_reason_that_the_history_keeps() {
    let anyway = Action::parse("advance", Some("  The event date is fixed "), None).unwrap();
    let o = apply(
        &at_last_stage(),
        &spec(),
        &waiting(WorkStatus::Blocked),
        &anyway,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(o.next.status, WorkStatus::Launched);
    assert_eq!(o.event, EventKind::Advanced);
    assert_eq!(
        o.note.as_deref(),
        Some("Launched without waiting for 'Customer story' (blocked): The event date is fixed")
    );
    // The decision owner's override of a shut last gate names what it did not wait for too.
    let mut shut = waiting(WorkStatus::AwaitingApproval);
    shut.approved = false;
    let o = apply(
        &at_last_stage(),
        &spec(),
        &shut,
        &Action::Override {
            reason: "Board meeting".into(),
        },
        DECIDER,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(
        o.note.as_deref(),
        Some("Launched without waiting for 'Customer story' (waiting for approval): Board meeting")
    );
}

#[test]
fn a_launch_at_six_pm_in_california_is_recorded_on_that_day() {
    let la = Zone::parse("America/Los_Angeles").unwrap();
    // 2026-06-10 18:00 in Los Angeles is 2026-06-11 01:00 UTC.
    let six_pm = Date::parse("2026-06-11").unwrap().0 * 86_400 + 3600;
    let mut i = item();
    i.stage = 1;
    let ready = GateState {
        checked: vec![0],
        approved: true,
        ..Default::default()
    };
    let o = apply(&i, &spec(), &ready, &advance(), ANYONE, six_pm, &la).unwrap();
    assert_eq!(o.next.actual_launch.unwrap().to_string(), "2026-06-10");
    assert_eq!((o.at, o.next.launched_at), (six_pm, Some(six_pm)));
    let o = apply(
        &i,
        &spec(),
        &ready,
        &advance(),
        ANYONE,
        six_pm,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(o.next.actual_launch.unwrap().to_string(), "2026-06-11");
}

#[test]
fn work_at_a_stage_that_needs_approval_waits_for_its_decision_owner_until_approved() {
    // The test SOP: stage 0 "Brief" (no approval), stage 1 needs the decision owner, stage 2.
    let s = spec();
    assert_eq!(first_status(&s), WorkStatus::Intake);
    let ticked = GateState {
        checked: vec![0],
        approved: false,
        ..Default::default()
    };
    let at_review = apply(&item(), &s, &ticked, &advance(), ANYONE, 0, &Zone::utc())
        .unwrap()
        .next;
    assert_eq!(
        (at_review.stage, at_review.status),
        (1, WorkStatus::AwaitingApproval)
    );
    assert!(at_review.status.is_open());
    // Only the decision owner's approval ends the wait.
    let e = apply(
        &at_review,
        &s,
        &ticked,
        &Action::Approve,
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap_err();
    assert!(matches!(e, Refusal::NotDecisionOwner(_)));
    let approved = apply(
        &at_review,
        &s,
        &GateState::default(),
        &Action::Approve,
        DECIDER,
        0,
        &Zone::utc(),
    )
    .unwrap();
    assert_eq!(approved.next.status, WorkStatus::InProgress);
    assert_eq!(approved.approval.map(|a| a.stage), Some(1));
    // A block in between keeps the wait: unblocked, it waits again unless approved meanwhile.
    let blocked = apply(
        &at_review,
        &s,
        &GateState::default(),
        &Action::Block {
            reason: "Legal".into(),
        },
        ANYONE,
        0,
        &Zone::utc(),
    )
    .unwrap()
    .next;
    assert_eq!(blocked.status, WorkStatus::Blocked);
    let unblock = |gate: &GateState| {
        apply(
            &blocked,
            &s,
            gate,
            &Action::Unblock,
            ANYONE,
            10,
            &Zone::utc(),
        )
        .unwrap()
        .next
        .status
    };
    assert_eq!(unblock(&GateState::default()), WorkStatus::AwaitingApproval);
    let given = GateState {
        approved: true,
        ..Default::default()
    };
    assert_eq!(unblock(&given), WorkStatus::InProgress);
    // Work sent back to a stage that needs approval waits for it again (its approval is
    // withdrawn); sent back elsewhere, it is in progress.
    let mut three = s.clone();
    let mut report = three.stages[0].clone();
    report.name = "Report".into();
    three.stages.push(report);
    let mut later = approved.next.clone();
    later.stage = 2;
    let back = |to: usize| {
        apply(
            &later,
            &three,
            &GateState::default(),
            &Action::SendBack {
                to,
                reason: "Offer unclear".into(),
            },
            ANYONE,
            0,
            &Zone::utc(),
        )
        .unwrap()
    };
    assert_eq!(back(1).next.status, WorkStatus::AwaitingApproval);
    assert_eq!(back(1).clear_approvals_from, Some(1));
    assert_eq!(back(0).next.status, WorkStatus::InProgress);
    // A first stage that needs approval: new work starts waiting for it.
    let mut first = s.clone();
    first.stages[0].needs_approval = true;
    assert_eq!(first_status(&first), WorkStatus::AwaitingApproval);
    assert_eq!(arrival(&first, 1), WorkStatus::AwaitingApproval);
    assert_eq!(arrival(&three, 2), WorkStatus::InProgress);
}
