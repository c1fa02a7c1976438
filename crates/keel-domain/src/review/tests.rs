//! Fixtures on fixed data (Monday 7 December 2026) and the parsers' and schedule's tests.
//! The agenda's tests per cadence are in `agenda_tests.rs`.

use super::*;
use crate::capacity::tests::item;
use crate::health::Model;
use crate::metric::tests::{metric, monthly};
use crate::work::WorkStatus;
use crate::workflow::tests::people;
use crate::workflow::Workflow;

pub(crate) fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The day the tests judge at: Monday 7 December 2026, 10:00 UTC.
pub(crate) const ON: &str = "2026-12-07";

pub(crate) fn at(day: &str) -> i64 {
    d(day).0 * 86_400 + 10 * 3600
}

pub(crate) fn workflow(id: i64) -> Workflow {
    let mut spec = crate::work::tests::spec();
    spec.name = format!("Workflow {id}");
    Workflow {
        id,
        spec,
        created_at: 0,
        version: 1,
    }
}

pub(crate) fn decision(id: i64, due: Option<&str>) -> Decision {
    Decision {
        id,
        what: format!("Decision {id}"),
        kind: DecisionKind::Fix,
        category: Some(Category::Process),
        rationale: None,
        evidence: vec![],
        owner_id: Some(1),
        due: due.map(d),
        status: DecisionStatus::Open,
        decided_on: d("2026-11-23"),
        done_on: None,
        review_id: None,
        checked_by_review_id: None,
        version: 1,
    }
}

pub(crate) fn channel(id: i64) -> crate::channel::Channel {
    crate::channel::Channel {
        id,
        name: format!("Channel {id}"),
        owner_id: Some(1),
        phase: crate::channel::Phase::SegmentMarketing,
        status: crate::channel::ChannelStatus::Active,
        monthly_budget: 4000.0,
        version: 1,
    }
}

pub(crate) fn review(id: i64, kind: Kind, day: &str, topics: Vec<Evidence>) -> Review {
    Review {
        id,
        kind,
        date: d(day),
        status: ReviewStatus::Closed,
        facilitator_id: Some(1),
        attendee_ids: vec![1, 3],
        notes: vec![],
        ratings: vec![(1, 7), (3, 8)],
        topics,
        closed_at: Some(at(day)),
        version: 2,
    }
}

pub(crate) fn cadence(kind: Kind) -> Cadence {
    Cadence {
        id: 1,
        kind,
        interval: 1,
        weekday: 1,
        time_minutes: 9 * 60 + 30,
        facilitator_id: Some(1),
        attendee_ids: vec![1, 3],
        active: true,
        since: d("2026-11-02"),
        version: 1,
    }
}

/// A quiet week: one workflow, one item launching next month, one metric on target, no
/// decision due.
pub(crate) fn quiet() -> Model {
    let mut w = item(10, 1, 8.0, Some("2026-12-01"), Some("2027-01-20"));
    w.workflow_id = 1;
    Model {
        people: people(),
        workflows: vec![workflow(1)],
        work: vec![w],
        metrics: vec![metric(3)],
        measurements: monthly(3, &[70.0, 75.0, 82.0, 85.0]),
        decisions: vec![decision(100, Some("2027-02-01"))],
        now: at(ON),
        ..Default::default()
    }
}

/// A busy week: blocked, launching, late, waiting and launched work; a metric that just went
/// off target; a decision past due and one due this week.
pub(crate) fn busy() -> Model {
    let mut m = quiet();
    let mut blocked = item(11, 2, 4.0, Some("2026-11-20"), Some("2026-12-20"));
    blocked.status = WorkStatus::Blocked;
    blocked.blocked_since = Some(at("2026-12-01"));
    blocked.blocked_reason = Some("Waiting for legal to approve the claims".into());
    let launching = item(12, 2, 4.0, Some("2026-11-20"), Some("2026-12-09"));
    let late = item(13, 2, 4.0, Some("2026-11-10"), Some("2026-11-30"));
    let mut waiting = item(14, 2, 4.0, Some("2026-11-10"), Some("2026-12-15"));
    waiting.status = WorkStatus::AwaitingApproval;
    let mut launched = item(15, 2, 4.0, Some("2026-11-10"), Some("2026-12-03"));
    launched.status = WorkStatus::Launched;
    launched.actual_launch = Some(d("2026-12-03"));
    m.work.extend([blocked, launching, late, waiting, launched]);
    m.measurements = monthly(3, &[70.0, 75.0, 82.0, 85.0, 61.0]);
    m.decisions.push(decision(101, Some("2026-12-02")));
    m.decisions.push(decision(102, Some("2026-12-10")));
    m
}

pub(crate) fn input() -> DecisionInput {
    DecisionInput {
        what: "Pause the webinar series until the lead form is fixed".into(),
        kind: "pause".into(),
        category: "handoff".into(),
        rationale: "Sales rejected most webinar leads in November.".into(),
        evidence: vec!["metric:3".into(), "workflow:1".into()],
        owner_id: "1".into(),
        due: "2026-12-14".into(),
        status: String::new(),
    }
}

#[test]
fn a_decision_parses_with_its_evidence() {
    let d0 = DecisionDraft::parse(&input(), &quiet(), d(ON)).unwrap();
    assert_eq!(d0.kind, DecisionKind::Pause);
    assert_eq!(d0.category, Some(Category::Handoff));
    assert_eq!(
        d0.evidence,
        [
            Evidence::new(EvidenceKind::Metric, 3),
            Evidence::new(EvidenceKind::Workflow, 1)
        ]
    );
    assert_eq!(d0.status, DecisionStatus::Open);
    assert!(d0.pauses().is_empty(), "no priority or channel linked");
}

#[test]
fn a_decision_without_owner_or_kind_is_refused_with_every_reason() {
    let i = DecisionInput {
        what: " ".into(),
        kind: String::new(),
        owner_id: String::new(),
        ..input()
    };
    let e = DecisionDraft::parse(&i, &quiet(), d(ON)).unwrap_err();
    assert!(e.message_for("what").unwrap().contains("what was decided"));
    assert!(e
        .message_for("kind")
        .unwrap()
        .starts_with("A decision needs a kind"));
    assert!(e
        .message_for("owner_id")
        .unwrap()
        .starts_with("A decision needs one owner"));
    // An agency is not an owner: the company keeps the decision.
    let e = DecisionDraft::parse(
        &DecisionInput {
            owner_id: "2".into(),
            ..input()
        },
        &quiet(),
        d(ON),
    )
    .unwrap_err();
    assert!(
        e.message_for("owner_id").unwrap().contains("external"),
        "{e}"
    );
}

#[test]
fn a_due_date_before_the_review_is_refused() {
    let i = DecisionInput {
        due: "2026-12-01".into(),
        ..input()
    };
    let e = DecisionDraft::parse(&i, &quiet(), d(ON)).unwrap_err();
    assert_eq!(
        e.message_for("due").unwrap(),
        "The due date 2026-12-01 is before the day it was decided (2026-12-07); choose 2026-12-07 or later."
    );
    let e = DecisionDraft::parse(
        &DecisionInput {
            due: String::new(),
            ..input()
        },
        &quiet(),
        d(ON),
    )
    .unwrap_err();
    assert!(e.message_for("due").unwrap().contains("due date"));
}

#[test]
fn no_change_needs_a_reason_and_no_due_date() {
    let i = DecisionInput {
        kind: "no change".into(),
        rationale: String::new(),
        due: String::new(),
        ..input()
    };
    let e = DecisionDraft::parse(&i, &quiet(), d(ON)).unwrap_err();
    assert_eq!(e.errors.len(), 1, "{e}");
    assert!(e
        .message_for("rationale")
        .unwrap()
        .contains("say why nothing changes"));
    let ok = DecisionInput {
        rationale: "Numbers are on target; nothing to change.".into(),
        ..i
    };
    assert_eq!(
        DecisionDraft::parse(&ok, &quiet(), d(ON)).unwrap().kind,
        DecisionKind::NoChange
    );
}

#[test]
fn evidence_that_is_not_in_the_readers_view_is_not_found() {
    for raw in ["metric:99", "priority:1", "channel:4", "objective:1"] {
        let i = DecisionInput {
            evidence: vec![raw.into()],
            ..input()
        };
        let e = DecisionDraft::parse(&i, &quiet(), d(ON)).unwrap_err();
        assert!(
            e.message_for("evidence")
                .unwrap()
                .starts_with("There is no"),
            "{raw}: {e}"
        );
    }
    let e = DecisionDraft::parse(
        &DecisionInput {
            evidence: vec!["budget:1".into()],
            ..input()
        },
        &quiet(),
        d(ON),
    )
    .unwrap_err();
    assert!(e
        .message_for("evidence")
        .unwrap()
        .contains("Evidence is a metric"));
}

#[test]
fn a_pause_lists_the_priorities_and_channels_it_pauses() {
    let mut m = quiet();
    m.channels.push(channel(4));
    let i = DecisionInput {
        evidence: vec!["channel:4".into(), "metric:3".into()],
        ..input()
    };
    let d0 = DecisionDraft::parse(&i, &m, d(ON)).unwrap();
    assert_eq!(d0.pauses(), [Evidence::new(EvidenceKind::Channel, 4)]);
}

#[test]
fn a_cadence_parses_and_bad_input_names_every_field() {
    let i = CadenceInput {
        kind: "weekly".into(),
        interval: "2".into(),
        weekday: "thu".into(),
        time: "16:00".into(),
        facilitator_id: "1".into(),
        attendee_ids: vec!["1".into(), "3".into(), "2".into(), "3".into()],
        active: true,
    };
    let c = CadenceDraft::parse(&i, &people()).unwrap();
    assert_eq!((c.interval, c.weekday, c.time_minutes), (2, 4, 960));
    assert_eq!(c.attendee_ids, [1, 3, 2]);
    let bad = CadenceInput {
        kind: "daily".into(),
        interval: "9".into(),
        weekday: "someday".into(),
        time: "25:00".into(),
        facilitator_id: "2".into(),
        attendee_ids: vec!["77".into()],
        active: false,
    };
    let e = CadenceDraft::parse(&bad, &people()).unwrap_err();
    let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "kind",
            "interval",
            "weekday",
            "time",
            "facilitator_id",
            "attendee_ids"
        ]
    );
}

#[test]
fn cadences_fall_on_their_day_and_biweekly_skips_a_week() {
    let mut c = cadence(Kind::Weekly);
    // Set up on Wednesday 4 Nov: the first Monday review is 9 Nov.
    c.since = d("2026-11-04");
    assert_eq!(c.next_due(None), d("2026-11-09"));
    assert_eq!(c.next_due(Some(d("2026-11-30"))), d("2026-12-07"));
    c.interval = 2;
    assert_eq!(c.next_due(Some(d("2026-11-30"))), d("2026-12-14"));
    assert_eq!(c.describe(), "Every 2 weeks (biweekly) on Monday at 09:30");
    let mut q = cadence(Kind::Quarterly);
    q.weekday = 2;
    // First Tuesday of the quarter after the one of 13 Oct: 5 January 2027.
    assert_eq!(q.next_due(Some(d("2026-10-13"))), d("2027-01-05"));
    let m = cadence(Kind::Monthly);
    assert_eq!(m.next_due(Some(d("2026-11-02"))), d("2026-12-07"));
}

#[test]
fn closing_needs_an_outcome_and_ratings_from_attendees() {
    let mut r = review(1, Kind::Weekly, ON, vec![]);
    r.status = ReviewStatus::Open;
    assert!(close_refusal(&r, 0)
        .unwrap()
        .contains("record at least one outcome"));
    assert_eq!(close_refusal(&r, 1), None);
    let ok = CloseInput {
        ratings: vec![("1".into(), "8".into()), ("3".into(), "".into())],
    };
    assert_eq!(ok.parse(&r).unwrap(), [(1, 8)]);
    let bad = CloseInput {
        ratings: vec![("1".into(), "11".into())],
    };
    assert!(bad
        .parse(&r)
        .unwrap_err()
        .message_for("rating_1")
        .unwrap()
        .contains("1 (wasted time)"));
    let stranger = CloseInput {
        ratings: vec![("2".into(), "5".into())],
    };
    assert!(stranger.parse(&r).is_err());
    r.status = ReviewStatus::Closed;
    assert_eq!(
        close_refusal(&r, 3).unwrap(),
        "This review is already closed."
    );
}

#[test]
fn follow_through_is_the_share_done_by_the_due_date() {
    let mut done = decision(1, Some("2026-11-30"));
    done.status = DecisionStatus::Done;
    done.done_on = Some(d("2026-11-28"));
    let mut late = decision(2, Some("2026-11-30"));
    late.status = DecisionStatus::Done;
    late.done_on = Some(d("2026-12-02"));
    let open = decision(3, Some("2026-12-01"));
    let later = decision(4, Some("2027-01-01"));
    let all = [done, late, open, later];
    assert_eq!(follow_through(&all, d(ON)), Some(0.33));
    assert_eq!(follow_through(&all[3..], d(ON)), None);
    let rs = [
        review(1, Kind::Weekly, "2026-11-23", vec![]),
        review(2, Kind::Weekly, "2026-11-30", vec![]),
    ];
    assert_eq!(
        rating_trend(&rs, Kind::Weekly, 5),
        [(d("2026-11-23"), 7.5), (d("2026-11-30"), 7.5)]
    );
}
