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
