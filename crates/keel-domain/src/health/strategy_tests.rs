use super::*;
use crate::objective::tests::{person, smart_objective};
use crate::priority::tests::priority;
use crate::priority::Status;
use crate::PersonKind;

/// A team of 40 h with one SMART objective and two "now" priorities that fit.
fn healthy() -> Model {
    Model {
        people: vec![person(1, PersonKind::Internal, 40.0)],
        objectives: vec![smart_objective(1, 1)],
        priorities: vec![
            priority(10, Status::Now, 20.0),
            priority(11, Status::Now, 10.0),
        ],
        ..Default::default()
    }
}

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn a_healthy_strategy_has_no_findings() {
    assert_eq!(check(&healthy()), vec![]);
}

#[test]
fn an_objective_failing_the_smart_check_is_flagged_with_what_it_misses() {
    let mut m = healthy();
    m.objectives[0].deadline = None;
    m.objectives[0].serves = None;
    let f = fired(&m, "objective.not-smart");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.kind, "objective");
    assert!(f[0]
        .evidence
        .contains("Relevant: Name the company initiative"));
    assert!(f[0].evidence.contains("Time-bound: Set a deadline."));
    assert!(fired(&healthy(), "objective.not-smart").is_empty());
}

#[test]
fn a_now_priority_that_paused_nothing_is_flagged_when_capacity_is_exceeded() {
    let mut m = healthy();
    m.priorities.push(priority(12, Status::Now, 15.0)); // 45 h of "now" on 40 h
    let f = fired(&m, "priority.paused-nothing");
    assert_eq!(f.len(), 3);
    assert!(
        f[0].evidence.contains("5 h a week more"),
        "{}",
        f[0].evidence
    );
    // The one that named what it paused is not flagged.
    m.priorities[2].paused_id = Some(99);
    assert_eq!(fired(&m, "priority.paused-nothing").len(), 2);
    assert!(fired(&healthy(), "priority.paused-nothing").is_empty());
}

#[test]
fn more_now_priorities_than_the_limit_flags_those_below_it() {
    let mut m = healthy();
    for id in 12..=13 {
        m.priorities.push(priority(id, Status::Now, 1.0));
    }
    let f = fired(&m, "priority.too-many-now");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.id, 13);
    assert!(f[0].evidence.contains("4 \"now\" priorities"));
    assert!(fired(&healthy(), "priority.too-many-now").is_empty());
}

#[test]
fn active_channels_beyond_the_focus_limit_are_flagged() {
    use crate::channel::{Channel, ChannelStatus, Phase};
    let c = |id, status, budget| Channel {
        id,
        name: format!("C{id}"),
        owner_id: Some(1),
        phase: Phase::LeadNurturing,
        status,
        monthly_budget: budget,
        version: 1,
    };
    let mut m = healthy();
    m.channels = vec![
        c(1, ChannelStatus::Active, 100.0),
        c(2, ChannelStatus::Active, 200.0),
        c(3, ChannelStatus::Active, 300.0),
        c(4, ChannelStatus::Testing, 50.0),
    ];
    assert!(fired(&m, "channel.over-focus-limit").is_empty());
    m.channels[3].status = ChannelStatus::Active;
    let f = fired(&m, "channel.over-focus-limit");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.id, 4);
    assert!(f[0].evidence.contains("4 channels are active"));
    m.channel_focus_limit = Some(4);
    assert!(fired(&m, "channel.over-focus-limit").is_empty());
}

#[test]
fn untraced_work_above_the_limit_is_flagged_and_within_it_is_quiet() {
    use crate::fit::tests::{link, work};
    use crate::work::WorkStatus;
    let mut m = healthy();
    m.work = (1..=5)
        .map(|i| work(i, 10.0, WorkStatus::InProgress))
        .collect();
    // 2 of 5 traced: 60% of the hours untraced, above the default 30%.
    m.work_links = vec![link(1, Some(1), None), link(2, None, Some(10))];
    let f = fired(&m, "strategy.untraced-work");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence
            .starts_with("60% of the work's hours (30 of 50 h)"),
        "{}",
        f[0].evidence
    );
    assert!(f[0].evidence.contains("accepts 30%"));
    // The workspace accepts more on purpose: quiet.
    m.untraced_limit = Some(60);
    assert!(fired(&m, "strategy.untraced-work").is_empty());
    // Traced enough: quiet at the default.
    m.untraced_limit = None;
    m.work_links.push(link(3, Some(1), None));
    m.work_links.push(link(4, Some(1), None));
    assert!(fired(&m, "strategy.untraced-work").is_empty());
    // Too little work to judge: quiet.
    let mut few = healthy();
    few.work = vec![work(1, 10.0, WorkStatus::InProgress)];
    assert!(fired(&few, "strategy.untraced-work").is_empty());
}
