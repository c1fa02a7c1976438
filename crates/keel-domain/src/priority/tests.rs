use super::*;
use crate::objective::tests::{person, smart_objective};
use crate::PersonKind;

pub(crate) fn priority(id: i64, status: Status, hours: f64) -> Priority {
    Priority {
        id,
        title: format!("Priority {id}"),
        objective_id: Some(1),
        owner_id: Some(1),
        rank: id,
        status,
        weekly_hours: hours,
        paused_id: None,
        version: 1,
    }
}

/// One person with 40 h, a "now" priority of 30 h and a "next" one of 20 h: 10 h free.
fn model() -> Model {
    Model {
        people: vec![person(1, PersonKind::Internal, 40.0)],
        objectives: vec![smart_objective(1, 1)],
        priorities: vec![
            priority(10, Status::Now, 30.0),
            priority(11, Status::Next, 20.0),
        ],
        ..Default::default()
    }
}

fn input(status: &str, hours: &str, paused: &str) -> PriorityInput {
    PriorityInput {
        title: "Rebuild the pricing page".into(),
        objective_id: "1".into(),
        owner_id: "1".into(),
        rank: "".into(),
        status: status.into(),
        weekly_hours: hours.into(),
        paused_id: paused.into(),
        override_reason: String::new(),
    }
}

#[test]
fn a_now_priority_that_fits_in_free_capacity_pauses_nothing() {
    let d = PriorityDraft::parse(&input("now", "10", ""), &model(), None).unwrap();
    assert_eq!(d.status, Status::Now);
    assert_eq!(d.rank, 12);
    assert_eq!(d.paused_id, None);
}

#[test]
fn a_now_priority_beyond_free_capacity_must_name_what_it_pauses() {
    let e = PriorityDraft::parse(&input("now", "12", ""), &model(), None).unwrap_err();
    let msg = e.message_for("paused_id").unwrap();
    assert!(
        msg.contains("needs 12 h") && msg.contains("10 h free"),
        "{msg}"
    );
    let d = PriorityDraft::parse(&input("now", "12", "10"), &model(), None).unwrap();
    assert_eq!(d.paused_id, Some(10));
    // "Next" needs no pause, whatever its hours.
    assert!(PriorityDraft::parse(&input("next", "200", ""), &model(), None).is_ok());
}

#[test]
fn raising_a_now_priority_counts_only_the_extra_hours() {
    let m = model();
    let this = &m.priorities[0];
    let mut i = input("now", "40", "");
    assert!(PriorityDraft::parse(&i, &m, Some(this)).is_ok());
    i.weekly_hours = "41".into();
    assert!(PriorityDraft::parse(&i, &m, Some(this)).is_err());
}

#[test]
fn a_priority_cannot_pause_itself_or_what_is_not_planned() {
    let mut m = model();
    let this = m.priorities[0].clone();
    let e = PriorityDraft::parse(&input("now", "30", "10"), &m, Some(&this)).unwrap_err();
    assert!(e
        .message_for("paused_id")
        .unwrap()
        .contains("cannot pause itself"));
    m.priorities[1].status = Status::Done;
    let e = PriorityDraft::parse(&input("now", "1", "11"), &m, None).unwrap_err();
    assert!(e
        .message_for("paused_id")
        .unwrap()
        .contains("is done already"));
    let e = PriorityDraft::parse(&input("next", "1", "10"), &m, None).unwrap_err();
    assert!(e
        .message_for("paused_id")
        .unwrap()
        .contains("Only a \"now\""));
}

#[test]
fn what_it_already_paused_stays_accepted() {
    let mut m = model();
    m.priorities[1].status = Status::Paused;
    let mut this = priority(12, Status::Now, 30.0);
    this.paused_id = Some(11);
    m.priorities.push(this.clone());
    let d = PriorityDraft::parse(&input("now", "30", "11"), &m, Some(&this)).unwrap();
    assert_eq!(d.paused_id, Some(11));
}

#[test]
fn every_mistake_is_reported_at_once() {
    let i = PriorityInput {
        title: "".into(),
        objective_id: "99".into(),
        owner_id: "".into(),
        rank: "0".into(),
        status: "urgent".into(),
        weekly_hours: "-1".into(),
        paused_id: "".into(),
        override_reason: String::new(),
    };
    let e = PriorityDraft::parse(&i, &model(), None).unwrap_err();
    let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["title", "objective_id", "rank", "status", "weekly_hours"]
    );
}

#[test]
fn a_now_priority_beyond_free_capacity_may_go_ahead_with_a_written_reason() {
    let mut i = input("now", "12", "");
    i.override_reason = "Board asked".into();
    let e = PriorityDraft::parse(&i, &model(), None).unwrap_err();
    assert!(e
        .message_for("override_reason")
        .unwrap()
        .contains("at least 15 characters"));
    i.override_reason =
        "The board asked for it before the fair; two contractors join in May.".into();
    let d = PriorityDraft::parse(&i, &model(), None).unwrap();
    assert_eq!(d.paused_id, None);
    assert!(d.override_reason.unwrap().starts_with("The board asked"));
    // With free capacity no override is needed, and none is kept.
    let mut i = input("now", "5", "");
    i.override_reason = "Not needed but written anyway.".into();
    assert_eq!(
        PriorityDraft::parse(&i, &model(), None)
            .unwrap()
            .override_reason,
        None
    );
    // Without a pause or a reason the message offers both.
    let e = PriorityDraft::parse(&input("now", "12", ""), &model(), None).unwrap_err();
    assert!(e
        .message_for("paused_id")
        .unwrap()
        .contains("Or write why it goes ahead anyway"));
}

fn answers(p: &Priority, m: &Model) -> Vec<(bool, String)> {
    check::priority_test(p, m)
        .into_iter()
        .map(|a| (a.holds, a.answer))
        .collect()
}

#[test]
fn the_priority_test_answers_its_four_questions_from_the_model() {
    let m = model();
    // 40 h of capacity, 30 h taken by priority 10: 10 h free for a new "now" one.
    let mut p = priority(12, Status::Now, 8.0);
    let a = answers(&p, &m);
    assert_eq!(a.len(), 4);
    assert!(a[0].0 && a[0].1.contains("FY27 revenue goal"), "{a:?}");
    assert!(a[1].0 && a[1].1.contains("10 h free"), "{a:?}");
    assert!(
        a[2].0
            && a[2]
                .1
                .starts_with("By Sales-accepted leads per month: from 40 to 80 by"),
        "{a:?}"
    );
    assert_eq!(a[3], (true, "Nothing: the hours it needs are free.".into()));

    // Short of hours: the test fails until it pauses something.
    p.weekly_hours = 15.0;
    let a = answers(&p, &m);
    assert!(
        !a[1].0 && a[1].1.contains("5 h more than the team has free"),
        "{a:?}"
    );
    assert!(!a[3].0, "{a:?}");
    p.paused_id = Some(11);
    let a = answers(&p, &m);
    assert!(a[1].0, "{a:?}");
    assert_eq!(
        a[3],
        (true, "\"Priority 11\", paused to make room for it.".into())
    );
}

#[test]
fn the_priority_test_says_what_its_objective_lacks() {
    let mut m = model();
    m.objectives[0].serves = None;
    m.objectives[0].target = None;
    let p = priority(12, Status::Next, 15.0);
    let a = answers(&p, &m);
    assert!(
        !a[0].0 && a[0].1.ends_with("does not say what it serves."),
        "{a:?}"
    );
    assert!(!a[1].0 && a[1].1.starts_with("Not today"), "{a:?}");
    assert!(
        !a[2].0 && a[2].1.contains("no target or no deadline"),
        "{a:?}"
    );
    assert!(
        a[3].0 && a[3].1.contains("when it becomes \"now\""),
        "{a:?}"
    );
    // With a revenue goal set, the answer names it; so does the SMART check's "relevant".
    m.stack.layers.push(crate::stack::LayerSettings {
        revenue_goal: Some(2_400_000.0),
        revenue_from: crate::Date::parse("2027-01-01").ok(),
        revenue_to: crate::Date::parse("2027-12-31").ok(),
        ..crate::stack::LayerSettings::default_for(crate::objective::Layer::Business)
    });
    let a = answers(&p, &m);
    assert!(
        a[0].1.contains("name the revenue goal of 2400000 from"),
        "{a:?}"
    );
    let smart = crate::objective::smart(&m.objectives[0], &m);
    let relevant = smart.iter().find(|s| s.letter == "R").unwrap();
    assert!(
        relevant
            .missing
            .as_ref()
            .unwrap()
            .starts_with("Say what it serves: the revenue goal of 2400000"),
        "{smart:?}"
    );
    // Without an objective nothing can be said about revenue or measurement.
    let mut p = p;
    p.objective_id = None;
    let a = answers(&p, &m);
    assert!(!a[0].0 && !a[2].0, "{a:?}");
}
