use super::*;
use crate::PersonKind;

fn person(id: i64, kind: PersonKind, capacity: f64) -> Person {
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

fn function(id: i64, sourcing: Sourcing, b: Option<i64>, e: Option<i64>, hours: f64) -> Function {
    Function {
        id,
        name: format!("F{id}"),
        description: None,
        sourcing,
        business_owner_id: b,
        execution_owner_id: e,
        weekly_hours: hours,
        version: 1,
    }
}

/// A model that every rule must leave alone.
fn healthy() -> Model {
    Model {
        people: vec![
            person(1, PersonKind::Internal, 40.0),
            person(2, PersonKind::Agency, 20.0),
        ],
        functions: vec![
            function(10, Sourcing::Internal, Some(1), Some(1), 10.0),
            function(11, Sourcing::External, Some(1), Some(2), 20.0),
            function(12, Sourcing::Hybrid, Some(1), Some(2), 0.0),
        ],
        ..Default::default()
    }
}

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn a_healthy_model_has_no_findings() {
    assert_eq!(check(&healthy()), vec![]);
}

#[test]
fn rule_ids_are_unique() {
    let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
}

#[test]
fn no_business_owner_fires_on_an_unowned_function() {
    let mut m = healthy();
    m.functions[0].business_owner_id = None;
    let f = fired(&m, "function.no-business-owner");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.id, 10);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(fired(&healthy(), "function.no-business-owner").is_empty());
}

#[test]
fn an_owner_id_that_no_longer_exists_counts_as_no_owner() {
    let mut m = healthy();
    m.functions[0].business_owner_id = Some(999);
    assert_eq!(fired(&m, "function.no-business-owner").len(), 1);
}

#[test]
fn external_business_owner_fires_when_a_partner_decides() {
    let mut m = healthy();
    m.functions[1].business_owner_id = Some(2);
    let f = fired(&m, "function.external-business-owner");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("external"));
    assert!(fired(&healthy(), "function.external-business-owner").is_empty());
}

#[test]
fn no_execution_owner_fires_on_a_function_nobody_does() {
    let mut m = healthy();
    m.functions[2].execution_owner_id = None;
    assert_eq!(fired(&m, "function.no-execution-owner").len(), 1);
    assert!(fired(&healthy(), "function.no-execution-owner").is_empty());
}

#[test]
fn sourcing_mismatch_fires_both_ways_but_not_for_hybrid() {
    let mut m = healthy();
    m.functions[0].execution_owner_id = Some(2); // internal sourcing, agency executes
    m.functions[1].execution_owner_id = Some(1); // external sourcing, staff executes
    assert_eq!(fired(&m, "function.sourcing-mismatch").len(), 2);
    assert!(fired(&healthy(), "function.sourcing-mismatch").is_empty());
}

#[test]
fn over_capacity_fires_when_execution_hours_exceed_capacity() {
    let mut m = healthy();
    m.functions[1].weekly_hours = 20.5;
    let f = fired(&m, "person.over-capacity");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.kind, "person");
    assert!(fired(&healthy(), "person.over-capacity").is_empty());
}

#[test]
fn over_capacity_counts_commitments_and_this_weeks_share_of_work() {
    use crate::capacity::{Commitment, CommitmentKind};
    let mut m = healthy();
    m.now = crate::Date::parse("2026-11-25").unwrap().0 * 86_400;
    // P1 executes 10 h; a 12 h meeting load and deciding time bring them to 40.5 h.
    let c = |id, kind, hours| Commitment {
        id,
        person_id: 1,
        label: format!("C{id}"),
        kind,
        hours,
        workflow_id: None,
        version: 1,
    };
    m.commitments = vec![
        c(1, CommitmentKind::Meetings, 12.0),
        c(2, CommitmentKind::Deciding, 18.0),
    ];
    assert!(fired(&m, "person.over-capacity").is_empty());
    m.commitments.push(c(3, CommitmentKind::Managing, 0.5));
    let f = fired(&m, "person.over-capacity");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence.contains("40.5 h this week against a capacity of 40 h: 40.5 h of recurring commitments and 0 h of one-off work"),
        "{}",
        f[0].evidence
    );
    // A 120 h item over six weeks adds 20 h a week to P2 (capacity 20, 20 h of functions).
    let mut m = healthy();
    m.now = crate::Date::parse("2026-11-25").unwrap().0 * 86_400;
    m.functions[1].weekly_hours = 0.0;
    m.functions[2].weekly_hours = 0.0;
    m.work = vec![crate::capacity::tests::item(
        1,
        2,
        120.0,
        Some("2026-11-23"),
        Some("2026-12-30"),
    )];
    assert!(fired(&m, "person.over-capacity").is_empty());
    m.work[0].estimated_hours = 121.0;
    let f = fired(&m, "person.over-capacity");
    assert!(
        f[0].evidence.contains("Over capacity in 6 of the 9 weeks"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn findings_come_most_severe_first_and_errors_are_counted() {
    let mut m = healthy();
    m.functions[2].execution_owner_id = None;
    m.functions[0].business_owner_id = None;
    let f = check(&m);
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(summary(&f), (1, 1, 0));
    assert!(has_errors(&f));
    assert!(!has_errors(&check(&healthy())));
}
