use super::*;
use crate::objective::tests::smart_objective;
use crate::priority::tests::priority;
use crate::priority::Status;

pub(crate) fn work(id: i64, hours: f64, status: WorkStatus) -> WorkItem {
    let mut w = crate::work::tests::item_at(0);
    w.id = id;
    w.title = format!("Item {id}");
    w.estimated_hours = hours;
    w.status = status;
    w
}

pub(crate) fn link(work_id: i64, objective: Option<i64>, priority: Option<i64>) -> WorkLink {
    WorkLink {
        work_id,
        objective_id: objective,
        priority_id: priority,
        version: 1,
        ..Default::default()
    }
}

fn model() -> Model {
    let mut p = priority(10, Status::Now, 10.0);
    p.objective_id = Some(1);
    Model {
        objectives: vec![smart_objective(1, 1), smart_objective(2, 1)],
        priorities: vec![p],
        work: vec![
            work(1, 30.0, WorkStatus::InProgress),
            work(2, 10.0, WorkStatus::Launched),
            work(3, 20.0, WorkStatus::Intake),
            work(4, 40.0, WorkStatus::Done),
            work(5, 99.0, WorkStatus::Cancelled),
        ],
        work_links: vec![
            link(1, Some(1), None),
            link(2, None, Some(10)),
            // A channel alone does not trace work to what the team aims at.
            WorkLink {
                work_id: 3,
                channel_id: Some(7),
                version: 1,
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

#[test]
fn fit_counts_items_and_hours_traced_to_an_objective_or_a_priority() {
    let f = strategic_fit(&model());
    assert_eq!((f.items, f.traced_items), (4, 2));
    assert_eq!((f.hours, f.traced_hours), (100.0, 40.0));
    assert_eq!((f.item_share, f.hour_share), (Some(50.0), Some(40.0)));
    assert_eq!(f.untraced_share(), Some(60.0));
    // Untraced, most hours first; the cancelled item is not counted.
    let ids: Vec<i64> = f.untraced.iter().map(|u| u.work_id).collect();
    assert_eq!(ids, [4, 3]);
}

#[test]
fn fit_of_no_work_has_no_share() {
    let f = strategic_fit(&Model::default());
    assert_eq!((f.items, f.item_share, f.hour_share), (0, None, None));
    assert!(!f.over_limit());
}

#[test]
fn without_estimates_the_share_of_items_is_judged() {
    let mut m = model();
    for w in &mut m.work {
        w.estimated_hours = 0.0;
    }
    let f = strategic_fit(&m);
    assert_eq!(f.hour_share, None);
    assert_eq!(f.untraced_share(), Some(50.0));
}

#[test]
fn a_priority_alone_links_its_objective() {
    let m = model();
    let d = WorkLinkDraft::parse(
        &WorkLinkInput {
            priority_id: "10".into(),
            ..Default::default()
        },
        &m,
    )
    .unwrap();
    assert_eq!((d.objective_id, d.priority_id), (Some(1), Some(10)));
}

#[test]
fn links_to_what_the_author_does_not_see_or_that_contradict_are_refused() {
    let m = model();
    let e = WorkLinkDraft::parse(
        &WorkLinkInput {
            objective_id: "2".into(),
            priority_id: "10".into(),
            channel_id: "99".into(),
            offer_id: "x".into(),
        },
        &m,
    )
    .unwrap_err();
    assert!(e
        .message_for("objective_id")
        .unwrap()
        .contains("\"Priority 10\" serves"));
    assert_eq!(
        e.message_for("channel_id"),
        Some("Choose a channel from the list, or none.")
    );
    assert!(e.message_for("offer_id").is_some());
}

#[test]
fn the_limit_is_a_whole_percent() {
    assert_eq!(parse_limit(" 25 % "), Ok(25));
    assert!(parse_limit("101").is_err());
    assert!(parse_limit("-1").is_err());
    assert!(parse_limit("a third").is_err());
}
