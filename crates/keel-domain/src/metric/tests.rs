use super::trend::{self, Trend};
use super::*;
use crate::objective::tests::{person, smart_objective};
use crate::{Date, PersonKind};

pub(crate) fn metric(id: i64) -> Metric {
    Metric {
        id,
        name: format!("M{id}"),
        definition: Some("Leads sales accepted within 14 days of hand-over, from the CRM".into()),
        owner_id: Some(1),
        source: Some("HubSpot".into()),
        unit: Some("leads".into()),
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: Some(80.0),
        metric_type: MetricType::Outcome,
        kind: Kind::Contribution,
        function_id: None,
        objective_id: None,
        channel_id: None,
        workflow_id: None,
        definition_changed_at: None,
        computed: None,
        family: None,
        signal: None,
        layer: None,
        version: 1,
    }
}

pub(crate) fn value(metric_id: i64, period: &str, v: f64) -> Measurement {
    Measurement {
        id: 0,
        metric_id,
        period: Date::parse(period).unwrap(),
        value: v,
        note: None,
        version: 1,
    }
}

/// Monthly values from January 2026 on.
pub(crate) fn monthly(metric_id: i64, values: &[f64]) -> Vec<Measurement> {
    let jan = Date::parse("2026-01-01").unwrap();
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Measurement {
            id: i as i64 + 1,
            period: jan.add_months(i as i64),
            ..value(metric_id, "2026-01-01", *v)
        })
        .collect()
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn input() -> MetricInput {
    MetricInput {
        name: "Sales-accepted leads".into(),
        definition: "Leads with lifecycle stage SAL, counted by month of acceptance".into(),
        owner_id: "1".into(),
        source: "HubSpot".into(),
        unit: "leads".into(),
        cadence: "monthly".into(),
        direction: "higher".into(),
        target: "80".into(),
        metric_type: "outcome".into(),
        kind: "contribution".into(),
        objective_id: "5".into(),
        ..Default::default()
    }
}

fn model() -> Model {
    Model {
        people: vec![
            person(1, PersonKind::Internal, 40.0),
            person(2, PersonKind::Agency, 20.0),
        ],
        objectives: vec![smart_objective(5, 1)],
        ..Default::default()
    }
}

#[test]
fn a_metric_parses_and_bad_input_names_every_field() {
    let m = model();
    let d = MetricDraft::parse(&input(), &m, None).unwrap();
    assert_eq!(
        (d.cadence, d.direction, d.target, d.objective_id),
        (Cadence::Monthly, Direction::Higher, Some(80.0), Some(5))
    );
    let bad = MetricInput {
        name: " ".into(),
        owner_id: "2".into(),
        cadence: "daily".into(),
        direction: "up".into(),
        target: "eighty".into(),
        metric_type: "vanity".into(),
        kind: "fun".into(),
        function_id: "9".into(),
        objective_id: "99".into(),
        channel_id: "x".into(),
        workflow_id: "3".into(),
        ..Default::default()
    };
    let e = MetricDraft::parse(&bad, &m, None).unwrap_err();
    let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "owner_id",
            "cadence",
            "direction",
            "target",
            "metric_type",
            "kind",
            "function_id",
            "objective_id",
            "channel_id",
            "workflow_id"
        ]
    );
    assert!(e.message_for("owner_id").unwrap().contains("external"));
}

#[test]
fn an_objective_has_one_kpi_but_a_metric_keeps_its_own_objective() {
    let mut m = model();
    m.metrics = vec![Metric {
        objective_id: Some(5),
        name: "SQLs".into(),
        ..metric(7)
    }];
    let e = MetricDraft::parse(&input(), &m, None).unwrap_err();
    assert!(e.message_for("objective_id").unwrap().contains("SQLs"));
    assert!(MetricDraft::parse(&input(), &m, Some(7)).is_ok());
}

#[test]
fn a_measurement_is_stored_for_its_period_and_not_for_a_future_one() {
    let today = d("2026-12-10");
    let one = |period: &str, value: &str| MeasurementInput {
        period: period.into(),
        value: value.into(),
        note: String::new(),
    };
    let m = MeasurementDraft::parse(&one("2026-11-17", "42,5"), Cadence::Monthly, today).unwrap();
    assert_eq!((m.period, m.value), (d("2026-11-01"), 42.5));
    let m = MeasurementDraft::parse(&one("2026-11", "1"), Cadence::Monthly, today).unwrap();
    assert_eq!(m.period, d("2026-11-01"));
    let q = MeasurementDraft::parse(&one("2026-08-30", "1"), Cadence::Quarterly, today).unwrap();
    assert_eq!(q.period, d("2026-07-01"));
    let w = MeasurementDraft::parse(&one("2026-12-10", "1"), Cadence::Weekly, today).unwrap();
    assert_eq!(w.period, d("2026-12-07"));
    // The current period may be entered; the next may not.
    assert!(MeasurementDraft::parse(&one("2026-12-31", "1"), Cadence::Monthly, today).is_ok());
    let e = MeasurementDraft::parse(&one("2027-01-02", ""), Cadence::Monthly, today).unwrap_err();
    assert!(e.message_for("period").unwrap().contains("has not begun"));
    assert_eq!(e.message_for("value"), Some("Enter the value measured."));
    let e =
        MeasurementDraft::parse(&one("11/17/2026", "NaN"), Cadence::Monthly, today).unwrap_err();
    assert_eq!(e.errors.len(), 2);
}

#[test]
fn many_measurements_are_all_or_nothing_and_name_the_bad_row() {
    let today = d("2026-12-10");
    let rows: Vec<MeasurementInput> = (1..=9)
        .map(|i| MeasurementInput {
            period: if i == 7 {
                "2026-13-01".into()
            } else {
                format!("2026-0{i}-01")
            },
            value: "3".into(),
            note: String::new(),
        })
        .collect();
    let e = parse_many(&rows, Cadence::Monthly, today).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].field, "measurements[6].period");
    // The same period twice: the later row wins.
    let rows = vec![
        MeasurementInput {
            period: "2026-03-02".into(),
            value: "1".into(),
            note: String::new(),
        },
        MeasurementInput {
            period: "2026-03-30".into(),
            value: "2".into(),
            note: String::new(),
        },
    ];
    let ok = parse_many(&rows, Cadence::Monthly, today).unwrap();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].value, 2.0);
}

#[test]
fn off_target_follows_the_direction() {
    let mut x = metric(1);
    assert_eq!(trend::off_target(&x, 79.0), Some(true));
    assert_eq!(trend::off_target(&x, 80.0), Some(false));
    x.direction = Direction::Lower;
    assert_eq!(trend::off_target(&x, 79.0), Some(false));
    assert_eq!(trend::off_target(&x, 81.0), Some(true));
    x.target = None;
    assert_eq!(trend::off_target(&x, 81.0), None);
}

#[test]
fn the_trend_is_a_line_through_recent_values_in_periods() {
    let x = metric(1);
    assert_eq!(trend::trend(&x, &monthly(1, &[10.0, 20.0])), None);
    let t = trend::trend(&x, &monthly(1, &[10.0, 12.0, 14.0, 16.0])).unwrap();
    assert!((t.per_period - 2.0).abs() < 0.05, "{t:?}");
    assert_eq!(t.better, Some(true));
    assert_eq!(t.describe(Cadence::Monthly), "+2 a month");
    // Only the last twelve count: an old jump does not bend the line.
    let mut vals = vec![500.0; 6];
    vals.extend([10.0; 12]);
    let t = trend::trend(&x, &monthly(1, &vals)).unwrap();
    assert_eq!((t.points, t.better), (12, None));
    // Falling is worse when higher is better, better when lower is.
    let falling = monthly(1, &[30.0, 25.0, 20.0]);
    assert_eq!(trend::trend(&x, &falling).unwrap().better, Some(false));
    let lower = Metric {
        direction: Direction::Lower,
        ..metric(1)
    };
    assert_eq!(trend::trend(&lower, &falling).unwrap().better, Some(true));
    let flat = Trend {
        per_period: 0.0,
        points: 3,
        better: None,
    };
    assert_eq!(flat.describe(Cadence::Weekly), "flat");
}

#[test]
fn a_value_is_missing_once_a_period_ended_and_its_grace_passed() {
    let x = metric(1); // monthly, 10 days of grace
    let ms = monthly(1, &[1.0; 10]); // January to October 2026
    assert_eq!(trend::missing_period(&x, &ms, d("2026-11-10")), None);
    // From 11 December, November's value is due.
    assert_eq!(trend::missing_period(&x, &ms, d("2026-12-10")), None);
    assert_eq!(
        trend::missing_period(&x, &ms, d("2026-12-11")),
        Some(d("2026-11-01"))
    );
    assert_eq!(
        trend::missing_period(&x, &[], d("2026-12-11")),
        Some(d("2026-11-01"))
    );
}

#[test]
fn the_pace_says_whether_a_target_is_within_reach_of_the_trend() {
    let x = metric(1);
    let ms = monthly(1, &[40.0, 42.0, 44.0, 46.0, 48.0, 50.0]); // +2 a month to June
                                                                // December: 6 months on at +2 → about 62. 60 is reachable, 66 needs +2.67 (within 2x).
    let p = trend::pace(&x, &ms, 60.0, d("2026-12-01")).unwrap();
    assert!(p.reaches && !p.out_of_reach(Direction::Higher));
    let p = trend::pace(&x, &ms, 66.0, d("2026-12-01")).unwrap();
    assert!(!p.reaches && !p.out_of_reach(Direction::Higher));
    // 100 needs about +8.4 a month: more than twice the past pace.
    let p = trend::pace(&x, &ms, 100.0, d("2026-12-01")).unwrap();
    assert!(p.out_of_reach(Direction::Higher), "{p:?}");
    // A metric going the wrong way cannot be counted on to turn by itself.
    let down = monthly(1, &[50.0, 48.0, 46.0]);
    let p = trend::pace(&x, &down, 51.0, d("2026-12-01")).unwrap();
    assert!(p.out_of_reach(Direction::Higher));
    assert_eq!(trend::pace(&x, &ms, 60.0, d("2026-05-01")), None);
}

#[test]
fn the_smart_check_reads_the_kpi_s_trend_where_there_are_measurements() {
    let mut m = model();
    m.now = d("2026-07-15").0 * 86_400;
    let mut o = smart_objective(5, 1); // 40 → 80 by 2027-06-30
    o.metric = None;
    m.metrics = vec![Metric {
        objective_id: Some(5),
        name: "Sales-accepted leads".into(),
        ..metric(3)
    }];
    // The linked metric names the KPI: measurable holds without a typed name.
    let parts = crate::objective::smart(&o, &m);
    assert!(crate::objective::is_smart(&parts), "{parts:?}");
    // Flat at 40 for six months: doubling needs a pace the past never showed.
    m.measurements = monthly(3, &[40.0, 41.0, 40.0, 39.0, 40.0, 40.0]);
    let parts = crate::objective::smart(&o, &m);
    let a = parts[2].missing.clone().unwrap();
    assert!(a.contains("Sales-accepted leads has moved"), "{a}");
    assert!(a.contains("needs"), "{a}");
    // Growing by 4 a month reaches 80 by the deadline.
    m.measurements = monthly(3, &[40.0, 44.0, 48.0, 52.0, 56.0, 60.0]);
    assert!(crate::objective::is_smart(&crate::objective::smart(&o, &m)));
}

#[test]
fn coverage_says_which_sides_a_function_measures() {
    let mut m = model();
    m.functions = vec![crate::capacity::tests::function(4, Some(1), Some(1), 2.0)];
    m.metrics = vec![
        Metric {
            function_id: Some(4),
            kind: Kind::Speed,
            metric_type: MetricType::Activity,
            ..metric(1)
        },
        Metric {
            function_id: Some(4),
            kind: Kind::Cost,
            ..metric(2)
        },
    ];
    let c = &coverage(&m)[0];
    assert_eq!(c.kinds, [Kind::Speed, Kind::Cost]);
    assert_eq!((c.metrics, c.outcome), (2, 1));
    assert!(c.covers(Kind::Cost) && !c.covers(Kind::Quality));
    assert_eq!(with_unit(3.456, Some("%")), "3.46 %");
    assert_eq!(with_unit(12.0, None), "12");
}
