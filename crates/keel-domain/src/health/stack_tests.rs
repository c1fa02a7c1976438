use super::*;
use crate::metric::tests::{metric, monthly};
use crate::metric::Metric;
use crate::objective::tests::smart_objective;
use crate::stack::{cascade, Cycle, LayerSettings, MessageCell, Persona, Stack};

fn on(day: &str) -> i64 {
    Date::parse(day).unwrap().0 * 86_400
}

fn reviewed(l: Layer, day: &str, cycle: Cycle) -> LayerSettings {
    LayerSettings {
        cycle,
        last_reviewed: Some(Date::parse(day).unwrap()),
        version: 1,
        ..LayerSettings::default_for(l)
    }
}

use crate::stack::Layer;

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn a_layer_past_its_cycle_is_overdue_and_one_within_it_is_quiet() {
    let mut m = Model {
        now: on("2026-12-01"),
        stack: Stack {
            layers: vec![
                reviewed(Layer::Tactics, "2026-10-15", Cycle::Monthly),
                reviewed(Layer::Market, "2026-03-01", Cycle::Yearly),
            ],
            ..Default::default()
        },
        ..Default::default()
    };
    let f = fired(&m, "strategy.layer-review-overdue");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].subject.label, "Tactics");
    assert!(f[0].evidence.contains("due on"), "{}", f[0].evidence);
    m.stack.layers[0].last_reviewed = Some(Date::parse("2026-11-20").unwrap());
    assert_eq!(fired(&m, "strategy.layer-review-overdue"), vec![]);
}

#[test]
fn a_layer_never_reviewed_is_overdue_only_once_it_holds_plans() {
    let mut m = Model {
        now: on("2026-12-01"),
        ..Default::default()
    };
    assert_eq!(fired(&m, "strategy.layer-review-overdue"), vec![]);
    m.stack.segments = vec![crate::stack::segment::tests_support::segment(
        1,
        "Mid-market",
    )];
    let f = fired(&m, "strategy.layer-review-overdue");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("never been reviewed"));
}

fn persona(id: i64, primary: bool) -> Persona {
    Persona {
        id,
        segment_id: 1,
        name: format!("Persona {id}"),
        primary,
        goals: None,
        pains: None,
        objections: None,
        version: 1,
    }
}

#[test]
fn a_primary_persona_with_empty_cells_is_named_and_a_full_row_is_quiet() {
    let full: Vec<MessageCell> = (0..6)
        .map(|stage| MessageCell {
            persona_id: 1,
            stage,
            message: Some("Said".into()),
            proof_point: None,
            asset: None,
            version: 1,
        })
        .collect();
    let mut m = Model {
        stack: Stack {
            personas: vec![persona(1, true), persona(2, false)],
            messages: full[..4].to_vec(),
            ..Default::default()
        },
        ..Default::default()
    };
    let f = fired(&m, "strategy.message-map-gaps");
    assert_eq!(
        f.len(),
        1,
        "the secondary persona's empty row is not a finding"
    );
    assert!(
        f[0].evidence
            .contains("2 of 6 buying stages: Validating, Deciding"),
        "{}",
        f[0].evidence
    );
    m.stack.messages = full;
    assert_eq!(fired(&m, "strategy.message-map-gaps"), vec![]);
}

#[test]
fn the_cascade_shows_what_faster_layers_learned_since_the_last_review() {
    // A tactics objective's KPI, off target in November (target 100, value 60).
    let mut values: Vec<f64> = vec![90.0; 11];
    values[10] = 60.0;
    let mut tactic = smart_objective(5, 1);
    tactic.layer = Layer::Tactics;
    let mut m = Model {
        now: on("2026-12-05"),
        objectives: vec![tactic],
        metrics: vec![Metric {
            objective_id: Some(5),
            target: Some(100.0),
            ..metric(3)
        }],
        measurements: monthly(3, &values),
        stack: Stack {
            layers: vec![reviewed(Layer::Buyer, "2026-10-01", Cycle::Quarterly)],
            ..Default::default()
        },
        ..Default::default()
    };
    let learned = cascade::learned(&m, Layer::Buyer);
    assert_eq!(learned.len(), 1);
    assert_eq!((learned[0].from, learned[0].value), (Layer::Tactics, 60.0));
    // The tactics layer itself learns nothing from its own metric; nor a review after it.
    assert_eq!(cascade::learned(&m, Layer::Tactics), vec![]);
    m.stack.layers[0].last_reviewed = Some(Date::parse("2026-12-02").unwrap());
    assert_eq!(cascade::learned(&m, Layer::Buyer), vec![]);
    // A value back on target teaches nothing.
    m.stack.layers.clear();
    let last = m.measurements.len() - 1;
    m.measurements[last].value = 120.0;
    assert_eq!(cascade::learned(&m, Layer::Market), vec![]);
}

#[test]
fn the_cascade_carries_decisions_about_faster_layers_since_the_last_review() {
    use crate::review::tests::decision;
    use crate::review::{DecisionKind, Evidence, EvidenceKind};
    let mut tactic = smart_objective(5, 1);
    tactic.layer = Layer::Tactics;
    let mut buyer = smart_objective(6, 1);
    buyer.layer = Layer::Buyer;
    let about = |id: i64, kind: DecisionKind, on: &str, evidence: Vec<Evidence>| {
        let mut d = decision(id, None);
        d.kind = kind;
        d.decided_on = Date::parse(on).unwrap();
        d.evidence = evidence;
        d
    };
    let mut m = Model {
        now: on("2026-12-05"),
        objectives: vec![tactic, buyer],
        decisions: vec![
            // Stopping a channel (tactics), after the buyer layer's review.
            about(
                1,
                DecisionKind::Stop,
                "2026-11-10",
                vec![Evidence::new(EvidenceKind::Channel, 9)],
            ),
            // About the buyer objective: faster than market, not than buyer.
            about(
                2,
                DecisionKind::Fix,
                "2026-11-12",
                vec![Evidence::new(EvidenceKind::Objective, 6)],
            ),
            // "No change" teaches nothing; one before the review is old news.
            about(
                3,
                DecisionKind::NoChange,
                "2026-11-15",
                vec![Evidence::new(EvidenceKind::Channel, 9)],
            ),
            about(
                4,
                DecisionKind::Fix,
                "2026-09-01",
                vec![Evidence::new(EvidenceKind::Objective, 5)],
            ),
            // No evidence: nothing to place on a layer.
            about(5, DecisionKind::Fix, "2026-11-20", vec![]),
        ],
        stack: Stack {
            layers: vec![
                reviewed(Layer::Buyer, "2026-10-01", Cycle::Quarterly),
                reviewed(Layer::Market, "2026-10-01", Cycle::Yearly),
            ],
            ..Default::default()
        },
        ..Default::default()
    };
    let ids = |m: &Model, l| {
        let (v, n) = cascade::decisions_learned(m, l);
        (
            v.iter()
                .map(|d| (d.decision_id, d.from))
                .collect::<Vec<_>>(),
            n,
        )
    };
    assert_eq!(ids(&m, Layer::Buyer), (vec![(1, Layer::Tactics)], 1));
    assert_eq!(
        ids(&m, Layer::Market),
        (vec![(2, Layer::Buyer), (1, Layer::Tactics)], 2)
    );
    assert_eq!(ids(&m, Layer::Tactics), (vec![], 0));
    // The same decision about a priority is placed on its objective's layer.
    m.decisions[1].evidence = vec![Evidence::new(EvidenceKind::Priority, 7)];
    let mut p = crate::priority::tests::priority(7, crate::priority::Status::Next, 2.0);
    p.objective_id = Some(6);
    m.priorities = vec![p];
    assert_eq!(ids(&m, Layer::Market).1, 2);
}
