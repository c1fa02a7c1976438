use super::*;
use crate::channel::{Channel, ChannelStatus, Phase};
use crate::fit::tests::{link, work};
use crate::priority::tests::priority;
use crate::work::WorkStatus;

fn channel(id: i64, name: &str, status: ChannelStatus, budget: f64) -> Channel {
    Channel {
        id,
        name: name.into(),
        owner_id: None,
        phase: Phase::SegmentMarketing,
        status,
        monthly_budget: budget,
        version: 1,
    }
}

fn in_channel(work_id: i64, channel: i64, priority: Option<i64>) -> WorkLink {
    WorkLink {
        channel_id: Some(channel),
        ..link(work_id, None, priority)
    }
}

/// Two priorities, three channels: paid search with work for both priorities, events with
/// none, a stopped webinar channel; and work in no channel.
fn model() -> Model {
    let mut a = priority(10, Status::Now, 12.0);
    a.rank = 1;
    a.title = "Win mid-market".into();
    let mut b = priority(20, Status::Next, 6.0);
    b.rank = 2;
    b.title = "Partner launch".into();
    let mut done = priority(30, Status::Done, 4.0);
    done.rank = 3;
    Model {
        priorities: vec![b, a, done],
        channels: vec![
            channel(1, "Paid search", ChannelStatus::Active, 3000.0),
            channel(2, "Events", ChannelStatus::Testing, 1000.0),
            channel(3, "Webinars", ChannelStatus::Stopped, 500.0),
        ],
        work: vec![
            work(1, 30.0, WorkStatus::InProgress),
            work(2, 10.0, WorkStatus::Launched),
            work(3, 20.0, WorkStatus::Intake),
            work(4, 40.0, WorkStatus::Done),
            work(5, 99.0, WorkStatus::Cancelled),
        ],
        work_links: vec![
            in_channel(1, 1, Some(10)),
            in_channel(2, 1, Some(20)),
            in_channel(5, 1, Some(20)),
            link(3, None, Some(10)),
        ],
        ..Default::default()
    }
}

#[test]
fn hours_go_to_channels_and_priorities_through_the_work_links() {
    let a = allocation(&model());
    assert_eq!((a.items, a.hours), (4, 100.0));
    let ch: Vec<(&str, usize, f64, Option<f64>)> = a
        .by_channel
        .iter()
        .map(|r| (r.name.as_str(), r.items, r.hours, r.share))
        .collect();
    // The most hours first (then the most budget); the cancelled item (99 h) is not counted
    // anywhere; the work in no channel last.
    assert_eq!(
        ch,
        [
            ("Paid search", 2, 40.0, Some(40.0)),
            ("Events", 0, 0.0, Some(0.0)),
            ("Webinars", 0, 0.0, Some(0.0)),
            ("In no channel", 2, 60.0, Some(60.0)),
        ]
    );
    let pr: Vec<(Option<i64>, usize, f64)> = a
        .by_priority
        .iter()
        .map(|r| (r.id, r.items, r.hours))
        .collect();
    // By rank; a done priority without work is left out; the work serving none last.
    assert_eq!(
        pr,
        [(Some(10), 2, 50.0), (Some(20), 1, 10.0), (None, 1, 40.0)]
    );
    assert_eq!(a.by_priority[0].weekly_hours, Some(12.0));
    assert_eq!(a.by_priority[2].name, "Serving no priority");
}

#[test]
fn a_channel_budget_is_split_among_priorities_by_the_hours_of_its_work() {
    let a = allocation(&model());
    // Active and testing channels spend; the stopped one does not.
    assert_eq!(a.monthly_budget, 4000.0);
    let budget = |id: Option<i64>| {
        a.by_priority
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.monthly_budget)
    };
    // Paid search: 30 h for priority 10, 10 h for priority 20 → 3/4 and 1/4 of 3000.
    assert_eq!(budget(Some(10)), Some(2250.0));
    assert_eq!(budget(Some(20)), Some(750.0));
    // Events has no work: its budget is unattributed.
    assert_eq!(budget(None), Some(1000.0));
    let webinars = a.by_channel.iter().find(|r| r.name == "Webinars").unwrap();
    assert_eq!(
        (webinars.status, webinars.monthly_budget),
        (Some("stopped"), 0.0)
    );
    let total: f64 = a.by_priority.iter().map(|r| r.monthly_budget).sum();
    assert_eq!(total, a.monthly_budget);
}

#[test]
fn without_estimates_a_channel_budget_follows_items_and_shares_are_unknown() {
    let mut m = model();
    for w in &mut m.work {
        w.estimated_hours = 0.0;
    }
    let a = allocation(&m);
    assert!(a.by_channel.iter().all(|r| r.share.is_none()));
    let budget = |id: i64| {
        a.by_priority
            .iter()
            .find(|r| r.id == Some(id))
            .unwrap()
            .monthly_budget
    };
    assert_eq!((budget(10), budget(20)), (1500.0, 1500.0));
}

#[test]
fn links_to_records_gone_count_as_none() {
    let mut m = model();
    m.work_links.push(in_channel(4, 99, Some(99)));
    let a = allocation(&m);
    assert!(a.by_channel.iter().all(|r| r.id != Some(99)));
    let none = a.by_priority.iter().find(|r| r.id.is_none()).unwrap();
    assert_eq!((none.items, none.hours), (1, 40.0));
}

#[test]
fn an_empty_workspace_allocates_nothing() {
    let a = allocation(&Model::default());
    assert_eq!((a.items, a.hours, a.monthly_budget), (0, 0.0, 0.0));
    assert!(a.by_channel.is_empty() && a.by_priority.is_empty());
}

#[test]
fn the_summary_keeps_rows_with_work_or_budget_the_none_row_and_now_priorities() {
    let mut m = model();
    let mut idle_now = priority(40, Status::Now, 2.0);
    idle_now.rank = 4;
    let mut idle_later = priority(50, Status::Later, 2.0);
    idle_later.rank = 5;
    m.priorities.extend([idle_now, idle_later]);
    let a = allocation(&m);
    let kept: Vec<Option<i64>> = a
        .by_priority
        .iter()
        .filter(|r| r.in_summary())
        .map(|r| r.id)
        .collect();
    // 10 and 20 carry work; 40 is "now" with nothing; the done priority 30 and the later 50
    // carry nothing; None is the work serving no priority.
    assert_eq!(kept, vec![Some(10), Some(20), Some(40), None]);
    let channels: Vec<Option<i64>> = a
        .by_channel
        .iter()
        .filter(|r| !r.in_summary())
        .map(|r| r.id)
        .collect();
    // The stopped webinar channel spends nothing and has no counted work.
    assert_eq!(channels, vec![Some(3)]);
}
