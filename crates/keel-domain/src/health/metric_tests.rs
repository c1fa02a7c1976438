use super::*;
use crate::metric::tests::{metric, monthly};
use crate::metric::{Kind, Metric, MetricType};
use crate::objective::tests::{person, smart_objective};
use crate::PersonKind;

/// One owned, sourced, monthly metric measured through November 2026, judged on 5 December,
/// the KPI of an objective (40 → 80 by June 2027) that it is on course to reach.
fn healthy() -> Model {
    let mut values: Vec<f64> = (0..11).map(|i| 40.0 + 3.0 * i as f64).collect();
    values[10] = 70.0;
    Model {
        people: vec![person(1, PersonKind::Internal, 40.0)],
        functions: vec![crate::capacity::tests::function(4, Some(1), Some(1), 2.0)],
        objectives: vec![smart_objective(5, 1)],
        metrics: vec![Metric {
            objective_id: Some(5),
            function_id: Some(4),
            ..metric(3)
        }],
        measurements: monthly(3, &values),
        now: Date::parse("2026-12-05").unwrap().0 * 86_400,
        ..Default::default()
    }
}

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn a_healthy_measured_model_has_no_findings() {
    assert_eq!(check(&healthy()), vec![]);
}

#[test]
fn a_metric_without_owner_or_source_is_flagged() {
    let mut m = healthy();
    m.metrics[0].source = None;
    let f = fired(&m, "metric.no-owner-or-source");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("has no source"), "{}", f[0].evidence);
    m.metrics[0].owner_id = Some(99); // nobody there
    let f = fired(&m, "metric.no-owner-or-source");
    assert!(f[0].evidence.contains("no owner and no source"));
    assert!(fired(&healthy(), "metric.no-owner-or-source").is_empty());
}

#[test]
fn a_metric_with_no_value_for_an_ended_period_is_flagged() {
    let mut m = healthy();
    m.now = Date::parse("2027-01-11").unwrap().0 * 86_400; // December is due by now
    let f = fired(&m, "metric.not-measured");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence.contains("month starting 2026-12-01")
            && f[0].evidence.contains("latest is for 2026-11-01"),
        "{}",
        f[0].evidence
    );
    m.measurements.clear();
    assert!(fired(&m, "metric.not-measured")[0]
        .evidence
        .contains("none yet"));
    assert!(fired(&healthy(), "metric.not-measured").is_empty());
}

#[test]
fn an_objective_whose_kpi_trend_misses_the_target_is_flagged() {
    let mut m = healthy();
    // Stuck around 50: at that pace June 2027 ends far below 80.
    m.measurements = monthly(
        3,
        &[
            48.0, 50.0, 49.0, 51.0, 50.0, 50.0, 51.0, 50.0, 49.0, 50.0, 50.0,
        ],
    );
    let f = fired(&m, "objective.kpi-off-track");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.kind, "objective");
    assert!(
        f[0].evidence
            .contains("stands at 50 leads (for 2026-11-01)")
            && f[0].evidence.contains("short of the target 80 leads"),
        "{}",
        f[0].evidence
    );
    // After the deadline, a KPI still short of the target is flagged as missed.
    m.now = Date::parse("2027-07-10").unwrap().0 * 86_400;
    let f = fired(&m, "objective.kpi-off-track");
    assert!(f[0].evidence.contains("has passed"), "{}", f[0].evidence);
    // A KPI already past the target is on track whatever its trend.
    m.measurements = monthly(3, &[90.0, 88.0, 86.0]);
    assert!(fired(&m, "objective.kpi-off-track").is_empty());
    assert!(fired(&healthy(), "objective.kpi-off-track").is_empty());
}

#[test]
fn a_function_that_measures_only_activity_is_flagged() {
    let mut m = healthy();
    m.metrics[0].metric_type = MetricType::Activity;
    m.metrics.push(Metric {
        function_id: Some(4),
        metric_type: MetricType::Activity,
        kind: Kind::Speed,
        ..metric(8)
    });
    m.measurements
        .extend(monthly(8, &[1.0; 11]).into_iter().map(|mut x| {
            x.metric_id = 8;
            x
        }));
    let f = fired(&m, "function.only-activity-metrics");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("2 metrics and all count activity"));
    assert!(fired(&healthy(), "function.only-activity-metrics").is_empty());
}
