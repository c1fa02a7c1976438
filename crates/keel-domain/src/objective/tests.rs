use super::*;
use crate::priority::{Priority, Status};
use crate::{Date, PersonKind};

pub(crate) fn person(id: i64, kind: PersonKind, capacity: f64) -> Person {
    Person {
        id,
        name: format!("P{id}"),
        kind,
        organization: kind.is_external().then(|| "Agency".to_string()),
        title: None,
        email: None,
        weekly_capacity: capacity,
        user_id: None,
        version: 1,
    }
}

pub(crate) fn smart_objective(id: i64, owner: i64) -> Objective {
    Objective {
        id,
        outcome: "Double sales-accepted leads from mid-market accounts".into(),
        owner_id: Some(owner),
        layer: Layer::Business,
        metric: Some("Sales-accepted leads per month".into()),
        baseline: Some(40.0),
        target: Some(80.0),
        deadline: Some(Date::parse("2027-06-30").unwrap()),
        serves: Some("FY27 revenue goal: 12 M EUR new ARR".into()),
        version: 1,
    }
}

fn model() -> Model {
    Model {
        people: vec![
            person(1, PersonKind::Internal, 40.0),
            person(2, PersonKind::Agency, 20.0),
        ],
        ..Default::default()
    }
}

fn input() -> ObjectiveInput {
    ObjectiveInput {
        outcome: "Double sales-accepted leads from mid-market accounts".into(),
        owner_id: "1".into(),
        layer: "business".into(),
        metric: "SALs per month".into(),
        baseline: "40".into(),
        target: "80".into(),
        deadline: "2027-06-30".into(),
        serves: "FY27 revenue goal".into(),
    }
}

fn today() -> Date {
    Date::parse("2026-12-01").unwrap()
}

fn missing(o: &Objective, m: &Model) -> Vec<&'static str> {
    smart(o, m)
        .into_iter()
        .filter(|p| p.missing.is_some())
        .map(|p| p.name)
        .collect()
}

#[test]
fn a_complete_objective_parses_and_passes_the_smart_check() {
    let d = ObjectiveDraft::parse(&input(), &model().people, today(), None).unwrap();
    assert_eq!(d.target, Some(80.0));
    assert_eq!(d.owner_id, Some(1));
    assert!(is_smart(&smart(&smart_objective(1, 1), &model())));
}

#[test]
fn a_wish_is_told_every_part_it_misses() {
    let wish = Objective {
        outcome: "More leads".into(),
        owner_id: None,
        metric: None,
        baseline: None,
        target: None,
        deadline: None,
        serves: None,
        ..smart_objective(1, 1)
    };
    let parts = smart(&wish, &model());
    assert_eq!(
        missing(&wish, &model()),
        [
            "Specific",
            "Measurable",
            "Achievable",
            "Relevant",
            "Time-bound"
        ]
    );
    assert!(parts[0]
        .missing
        .as_ref()
        .unwrap()
        .contains("\"More leads\" is a wish"));
    assert!(parts[1]
        .missing
        .as_ref()
        .unwrap()
        .contains("Name the metric"));
    assert!(parts[2]
        .missing
        .as_ref()
        .unwrap()
        .contains("internal owner"));
}

#[test]
fn a_target_equal_to_the_baseline_is_not_measurable() {
    let o = Objective {
        target: Some(40.0),
        ..smart_objective(1, 1)
    };
    assert_eq!(missing(&o, &model()), ["Measurable"]);
}

#[test]
fn an_overloaded_owner_or_team_makes_it_not_achievable() {
    let mut m = model();
    m.people[0].weekly_capacity = 0.0;
    assert_eq!(missing(&smart_objective(1, 1), &m), ["Achievable"]);
    // The team has 60 h; its "now" priorities for this objective need 70 h.
    let m = Model {
        priorities: vec![Priority {
            id: 5,
            title: "Launch ABM".into(),
            objective_id: Some(1),
            owner_id: Some(1),
            rank: 1,
            status: Status::Now,
            weekly_hours: 70.0,
            paused_id: None,
            version: 1,
        }],
        ..model()
    };
    let parts = smart(&smart_objective(1, 1), &m);
    assert!(
        parts[2].missing.as_ref().unwrap().contains("need 70 h"),
        "{parts:?}"
    );
}

#[test]
fn bad_input_is_refused_with_what_to_change() {
    let mut i = input();
    i.baseline = "".into();
    i.deadline = "2026-11-30".into();
    i.owner_id = "2".into();
    i.outcome = "Leads\u{0}".into();
    let e = ObjectiveDraft::parse(&i, &model().people, today(), None).unwrap_err();
    assert!(e
        .message_for("baseline")
        .unwrap()
        .contains("needs a baseline"));
    assert!(e
        .message_for("deadline")
        .unwrap()
        .contains("already passed"));
    assert!(e
        .message_for("owner_id")
        .unwrap()
        .contains("internal person"));
    assert!(e.message_for("outcome").is_some());
    // A deadline that passed since it was set stays accepted when unchanged.
    let mut i = input();
    i.deadline = "2026-11-30".into();
    let kept = Date::parse("2026-11-30").ok();
    assert!(ObjectiveDraft::parse(&i, &model().people, today(), kept).is_ok());
}

#[test]
fn an_objective_is_at_risk_when_its_kpi_will_not_reach_the_target_in_time() {
    use crate::metric::tests::{metric, monthly};
    let d = |s: &str| Date::parse(s).unwrap();
    let mut o = smart_objective(1, 1);
    o.target = Some(66.0);
    o.deadline = Some(d("2026-12-01"));
    let mut kpi = metric(5);
    kpi.objective_id = Some(1);
    kpi.name = "Sales-accepted leads".into();
    kpi.unit = Some("leads".into());
    let mut m = Model {
        metrics: vec![kpi],
        // +2 a month to June: about 62 by December.
        measurements: monthly(5, &[40.0, 42.0, 44.0, 46.0, 48.0, 50.0]),
        now: d("2026-07-15").0 * 86_400,
        ..Default::default()
    };
    assert_eq!(
        at_risk(&o, &m).unwrap(),
        "Sales-accepted leads stands at 50 leads (for 2026-06-01); at its pace of 2 a month it reaches about 62 leads by 2026-12-01, short of the target 66 leads."
    );
    o.target = Some(60.0);
    assert_eq!(at_risk(&o, &m), None, "on track");
    // Past the deadline, the latest value is judged.
    m.now = d("2026-12-02").0 * 86_400;
    assert!(at_risk(&o, &m).unwrap().starts_with(
        "The deadline 2026-12-01 has passed and Sales-accepted leads stands at 50 leads"
    ));
    m.measurements = monthly(5, &[58.0, 61.0]);
    assert_eq!(at_risk(&o, &m), None, "met");
    // Without a KPI with values, a target or a deadline, nothing can tell.
    m.measurements.clear();
    assert_eq!(at_risk(&o, &m), None);
    o.deadline = None;
    assert_eq!(at_risk(&o, &Model::default()), None);
}
