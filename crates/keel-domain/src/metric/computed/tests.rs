//! Each computation on fixed data, judged on Monday 7 December 2026 (`review::tests::ON`).

use super::*;
use crate::fit::tests::link;
use crate::metric::tests::metric;
use crate::metric::{Cadence, MetricDraft};
use crate::review::tests::{at, channel, d, decision, review, ON};
use crate::review::{DecisionKind, DecisionStatus, Kind as ReviewKind};
use crate::work::WorkStatus;

fn computed(id: i64, c: Computed) -> Metric {
    Metric {
        computed: Some(c),
        source: Some("keel".into()),
        unit: c.unit().map(str::to_string),
        target: None,
        ..metric(id)
    }
}

/// Work created on `created` and launched `days` later (planned for `planned` days after
/// creation), with `revisions`.
fn launched(id: i64, created: &str, days: i64, planned: Option<i64>, revisions: i64) -> WorkItem {
    let mut w = crate::work::tests::item_at(0);
    w.id = id;
    w.status = WorkStatus::Launched;
    w.created_at = at(created);
    w.launched_at = Some(at(created) + days * 86_400);
    w.actual_launch = Some(d(created).add_days(days));
    w.planned_launch = planned.map(|p| d(created).add_days(p));
    w.revisions = revisions;
    w
}

fn model(metrics: Vec<Metric>, work: Vec<WorkItem>) -> Model {
    Model {
        metrics,
        work,
        now: at(ON),
        ..Default::default()
    }
}

fn values_of(m: &Model, id: i64) -> Vec<(String, f64)> {
    crate::metric::measurements_of(m, id)
        .iter()
        .map(|v| (v.period.to_string(), v.value))
        .collect()
}

fn filled(mut m: Model) -> Model {
    fill(&mut m, &[]);
    m
}

#[test]
fn cycle_time_is_the_median_of_the_work_launched_in_each_period() {
    let m = filled(model(
        vec![computed(1, Computed::CycleTime)],
        vec![
            launched(1, "2026-10-01", 2, None, 0),
            launched(2, "2026-10-03", 6, None, 0),
            launched(3, "2026-10-10", 4, None, 0),
            launched(4, "2026-11-02", 10, None, 0),
            crate::work::tests::item_at(0), // open: counts nowhere
        ],
    ));
    assert_eq!(
        values_of(&m, 1),
        [("2026-10-01".into(), 4.0), ("2026-11-01".into(), 10.0)]
    );
    let oct = &crate::metric::measurements_of(&m, 1)[0];
    assert_eq!(
        (oct.id, oct.version),
        (0, 0),
        "computed values are not stored"
    );
    assert_eq!(oct.note.as_deref(), Some("3 items launched"));
}

#[test]
fn on_time_rate_revisions_and_blocked_days_read_the_launched_work() {
    let mut blocked = launched(4, "2026-11-02", 9, Some(5), 3);
    blocked.blocked_seconds = 2 * 86_400;
    let work = vec![
        launched(1, "2026-11-02", 3, Some(5), 0), // early
        launched(2, "2026-11-03", 5, Some(5), 1), // on the day
        launched(3, "2026-11-04", 8, None, 0),    // no plan: not in the rate
        blocked,                                  // late
    ];
    let m = filled(model(
        vec![
            computed(1, Computed::OnTimeRate),
            computed(2, Computed::Revisions),
            computed(3, Computed::BlockedDays),
        ],
        work,
    ));
    assert_eq!(values_of(&m, 1), [("2026-11-01".into(), 67.0)]);
    assert_eq!(values_of(&m, 2), [("2026-11-01".into(), 1.0)]);
    assert_eq!(values_of(&m, 3), [("2026-11-01".into(), 2.0)]);
}

#[test]
fn a_linked_channel_workflow_or_objective_narrows_the_work_counted() {
    let mut other_workflow = launched(3, "2026-11-02", 20, None, 0);
    other_workflow.workflow_id = 2;
    let mut m = model(
        vec![
            Metric {
                channel_id: Some(7),
                ..computed(1, Computed::CycleTime)
            },
            Metric {
                workflow_id: Some(1),
                ..computed(2, Computed::CycleTime)
            },
            Metric {
                objective_id: Some(5),
                ..computed(3, Computed::HoursAllocated)
            },
        ],
        vec![
            launched(1, "2026-11-02", 2, None, 0),
            launched(2, "2026-11-02", 8, None, 0),
            other_workflow,
        ],
    );
    let mut l = link(2, Some(5), None);
    l.channel_id = Some(7);
    m.work_links = vec![l];
    let m = filled(m);
    assert_eq!(values_of(&m, 1), [("2026-11-01".into(), 8.0)]);
    assert_eq!(values_of(&m, 2), [("2026-11-01".into(), 5.0)]);
    assert_eq!(values_of(&m, 3), [("2026-11-01".into(), 4.0)]);
}

#[test]
fn strategic_fit_is_the_traced_share_of_the_hours_of_new_work() {
    let mut a = launched(1, "2026-11-02", 2, None, 0);
    a.estimated_hours = 30.0;
    let mut b = crate::work::tests::item_at(0);
    b.id = 2;
    b.created_at = at("2026-11-20");
    b.estimated_hours = 10.0;
    let mut cancelled = crate::work::tests::item_at(0);
    cancelled.id = 3;
    cancelled.status = WorkStatus::Cancelled;
    cancelled.created_at = at("2026-11-21");
    cancelled.estimated_hours = 100.0;
    let mut m = model(
        vec![computed(1, Computed::StrategicFit)],
        vec![a, b, cancelled],
    );
    m.work_links = vec![link(1, Some(5), None)];
    let m = filled(m);
    assert_eq!(values_of(&m, 1), [("2026-11-01".into(), 75.0)]);
    assert_eq!(
        crate::metric::measurements_of(&m, 1)[0].note.as_deref(),
        Some("1 of 2 new items traced")
    );
}

#[test]
fn channel_focus_and_budget_have_a_value_for_the_current_period_only() {
    let mut paused = channel(3);
    paused.status = crate::channel::ChannelStatus::Paused;
    let mut testing = channel(4);
    testing.status = crate::channel::ChannelStatus::Testing;
    testing.monthly_budget = 1000.0;
    let mut m = model(
        vec![
            computed(1, Computed::ChannelFocus),
            Metric {
                cadence: Cadence::Quarterly,
                unit: Some("EUR".into()),
                ..computed(2, Computed::BudgetAllocated)
            },
            Metric {
                channel_id: Some(4),
                unit: Some("EUR".into()),
                ..computed(3, Computed::BudgetAllocated)
            },
        ],
        vec![],
    );
    m.channels = vec![channel(1), channel(2), paused, testing];
    let m = filled(m);
    assert_eq!(values_of(&m, 1), [("2026-12-01".into(), 2.0)]);
    // Two active at 4000 and one testing at 1000 a month, for a quarter.
    assert_eq!(values_of(&m, 2), [("2026-10-01".into(), 27000.0)]);
    assert_eq!(values_of(&m, 3), [("2026-12-01".into(), 1000.0)]);
}

#[test]
fn review_rating_averages_the_reviews_held_in_each_period() {
    let mut nine = review(2, ReviewKind::Weekly, "2026-11-16", vec![]);
    nine.ratings = vec![(1, 9), (3, 9)];
    let mut open = review(3, ReviewKind::Weekly, "2026-11-23", vec![]);
    open.status = ReviewStatus::Open;
    open.ratings = vec![(1, 1)];
    let mut m = model(vec![computed(1, Computed::ReviewRating)], vec![]);
    m.reviews = vec![
        review(1, ReviewKind::Weekly, "2026-11-09", vec![]), // 7.5
        nine,
        open,
        review(4, ReviewKind::Monthly, "2026-10-05", vec![]),
    ];
    let m = filled(m);
    assert_eq!(
        values_of(&m, 1),
        [("2026-10-01".into(), 7.5), ("2026-11-01".into(), 8.25)]
    );
}

#[test]
fn follow_through_counts_decisions_due_in_the_period_done_by_their_due_date() {
    let done = |id, due: &str, on: &str| {
        let mut x = decision(id, Some(due));
        x.status = DecisionStatus::Done;
        x.done_on = Some(d(on));
        x
    };
    let mut no_change = decision(4, Some("2026-11-10"));
    no_change.kind = DecisionKind::NoChange;
    let mut m = model(vec![computed(1, Computed::FollowThrough)], vec![]);
    m.decisions = vec![
        done(1, "2026-11-10", "2026-11-09"),
        done(2, "2026-11-12", "2026-11-20"), // late
        decision(3, Some("2026-11-20")),     // open, past due
        no_change,
        decision(5, Some("2026-12-20")), // not due yet
    ];
    let m = filled(m);
    assert_eq!(values_of(&m, 1), [("2026-11-01".into(), 33.0)]);
}

#[test]
fn fill_replaces_typed_values_and_keeps_the_order_by_metric_and_period() {
    let mut m = model(
        vec![computed(2, Computed::CycleTime), metric(1), metric(3)],
        vec![launched(1, "2026-11-02", 2, None, 0)],
    );
    m.measurements = crate::metric::tests::monthly(1, &[1.0, 2.0]);
    m.measurements
        .extend(crate::metric::tests::monthly(2, &[50.0]));
    m.measurements
        .extend(crate::metric::tests::monthly(3, &[9.0]));
    let m = filled(m);
    assert_eq!(values_of(&m, 2), [("2026-11-01".into(), 2.0)]);
    let order: Vec<(i64, Date)> = m
        .measurements
        .iter()
        .map(|v| (v.metric_id, v.period))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(m.measurements.len(), 4);
}

#[test]
fn work_older_than_the_history_is_not_counted_and_the_history_work_is() {
    let old = launched(1, "2025-06-02", 2, None, 0);
    let m = model(vec![computed(1, Computed::CycleTime)], vec![]);
    let mut with_history = m.clone();
    fill(
        &mut with_history,
        &[old, launched(2, "2026-01-05", 3, None, 0)],
    );
    assert_eq!(values_of(&with_history, 1), [("2026-01-01".into(), 3.0)]);
    assert!(periods(&computed(1, Computed::CycleTime), d(ON)).len() <= MAX_PERIODS as usize);
}

#[test]
fn a_computed_metric_takes_no_typed_value() {
    let x = computed(1, Computed::CycleTime);
    let e = writable(&x).unwrap_err();
    assert!(e.errors[0].message.contains("keel computes M1"), "{e:?}");
    assert!(writable(&metric(2)).is_ok());
}

#[test]
fn trend_rules_do_not_call_a_computed_metric_late() {
    let x = computed(1, Computed::FollowThrough);
    assert_eq!(crate::metric::trend::missing_period(&x, &[], d(ON)), None);
}

fn input(computed: &str, source: &str, unit: &str) -> crate::metric::MetricInput {
    crate::metric::MetricInput {
        name: "Cycle time".into(),
        owner_id: "1".into(),
        source: source.into(),
        unit: unit.into(),
        cadence: "monthly".into(),
        direction: "lower".into(),
        metric_type: "outcome".into(),
        kind: "speed".into(),
        computed: computed.into(),
        ..Default::default()
    }
}

fn people_model() -> Model {
    Model {
        people: vec![crate::objective::tests::person(
            1,
            crate::PersonKind::Internal,
            40.0,
        )],
        now: at(ON),
        ..Default::default()
    }
}

#[test]
fn a_computed_metric_has_source_keel_and_the_computation_s_unit() {
    let m = people_model();
    let d = MetricDraft::parse(&input("cycle_time", "", ""), &m, None).unwrap();
    assert_eq!(d.source.as_deref(), Some("keel"));
    assert_eq!(d.unit.as_deref(), Some("days"));
    assert_eq!(d.computed, Some(Computed::CycleTime));
    let d = MetricDraft::parse(&input("cycle_time", "Keel", "days"), &m, None).unwrap();
    assert_eq!(d.source.as_deref(), Some("keel"));
    // Money keeps the unit the team writes.
    let d = MetricDraft::parse(&input("budget_allocated", "", "EUR"), &m, None).unwrap();
    assert_eq!(d.unit.as_deref(), Some("EUR"));
}

#[test]
fn a_computed_metric_refuses_another_source_or_unit_and_keel_needs_a_computation() {
    let m = people_model();
    let e = MetricDraft::parse(&input("cycle_time", "HubSpot", "%"), &m, None).unwrap_err();
    let msg = |f: &str| {
        e.errors
            .iter()
            .find(|x| x.field == f)
            .map(|x| x.message.clone())
    };
    assert!(msg("source").unwrap().contains("keel"), "{e:?}");
    assert!(msg("unit").unwrap().contains("days"), "{e:?}");
    let e = MetricDraft::parse(&input("", "keel", ""), &m, None).unwrap_err();
    assert_eq!(e.errors[0].field, "computed");
    let e = MetricDraft::parse(&input("speed_of_light", "", ""), &m, None).unwrap_err();
    assert_eq!(e.errors[0].field, "computed");
}

#[test]
fn a_metric_with_typed_values_is_not_turned_into_a_computed_one() {
    let mut m = people_model();
    m.metrics = vec![metric(4)];
    m.measurements = crate::metric::tests::monthly(4, &[3.0, 4.0]);
    let e = MetricDraft::parse(&input("cycle_time", "", ""), &m, Some(4)).unwrap_err();
    assert!(e.errors[0].message.contains("2 values"), "{e:?}");
}

fn lead_month(
    month: i64,
    sources: &[(&str, i64, i64, i64, i64)],
    filled: Filled,
) -> crate::health::lead_rules::LeadMonth {
    crate::health::lead_rules::LeadMonth {
        month,
        by_source: sources
            .iter()
            .map(|(s, leads, accepted, rejected, pipeline)| {
                (
                    s.to_string(),
                    Counts {
                        leads: *leads,
                        accepted: *accepted,
                        rejected: *rejected,
                        pipeline_cents: *pipeline,
                        won_cents: 0,
                    },
                )
            })
            .collect(),
        filled,
    }
}

fn lead_model(metrics: Vec<Metric>) -> Model {
    let mut m = model(metrics, vec![]);
    let full = |n: i64, campaign: i64| Filled {
        leads: n,
        rejected: 0,
        source: n,
        campaign,
        offer: n,
        channel: n,
        lifecycle_stage: n,
        owner: n,
        qualification: n,
        reason: 0,
    };
    m.leads.settings.sales_sources = vec!["Outbound".into()];
    m.leads.months = vec![
        // October: 6 of 10 judged accepted; pipeline 30,000 of 40,000 from marketing.
        lead_month(
            202610,
            &[
                ("Paid Search", 12, 5, 3, 3_000_000),
                ("Outbound", 4, 1, 1, 1_000_000),
            ],
            full(16, 12),
        ),
        // November: 1 of 4 accepted, all pipeline from sales' own source.
        lead_month(202611, &[("Outbound", 5, 1, 3, 500_000)], full(5, 5)),
        // December (running): nobody judged yet, no pipeline.
        lead_month(202612, &[("Webinar", 3, 0, 0, 0)], full(3, 0)),
    ];
    m
}

#[test]
fn lead_figures_are_computed_month_by_month_as_lead_quality_counts_them() {
    let metrics = vec![
        computed(1, Computed::LeadAcceptance),
        computed(2, Computed::CrmCompleteness),
        computed(3, Computed::PipelineContribution),
    ];
    let m = filled(lead_model(metrics));
    let months = |id| {
        values_of(&m, id)
            .into_iter()
            .filter(|(p, _)| p.as_str() >= "2026-10-01")
            .collect::<Vec<_>>()
    };
    assert_eq!(
        months(1),
        [
            ("2026-10-01".to_string(), 60.0),
            ("2026-11-01".into(), 25.0)
        ]
    );
    assert_eq!(
        months(2),
        [
            ("2026-10-01".to_string(), 75.0),
            ("2026-11-01".into(), 100.0),
            ("2026-12-01".into(), 0.0)
        ]
    );
    assert_eq!(
        months(3),
        [("2026-10-01".to_string(), 75.0), ("2026-11-01".into(), 0.0)]
    );
    let note = |id| {
        crate::metric::measurements_of(&m, id)
            .iter()
            .find(|v| v.period.to_string() == "2026-10-01")
            .and_then(|v| v.note.clone())
            .unwrap()
    };
    assert_eq!(note(1), "6 of 10 judged leads accepted");
    assert_eq!(note(2), "least filled: Campaign (12 of 16)");
    assert!(note(3).ends_with("from marketing"), "{}", note(3));
}

#[test]
fn a_quarterly_lead_metric_adds_up_its_months_and_a_weekly_one_is_refused() {
    let mut x = computed(1, Computed::LeadAcceptance);
    x.cadence = Cadence::Quarterly;
    let m = filled(lead_model(vec![x]));
    // October to December: 7 accepted of 14 judged.
    assert_eq!(
        values_of(&m, 1).last(),
        Some(&("2026-10-01".to_string(), 50.0))
    );
    let mut i = input("lead_acceptance", "", "");
    i.cadence = "weekly".into();
    i.direction = "higher".into();
    i.kind = "quality".into();
    let e = MetricDraft::parse(&i, &people_model(), None).unwrap_err();
    assert!(
        e.errors
            .iter()
            .any(|f| f.field == "cadence" && f.message.contains("monthly or quarterly")),
        "{e:?}"
    );
    i.cadence = "monthly".into();
    assert!(MetricDraft::parse(&i, &people_model(), None).is_ok());
}
