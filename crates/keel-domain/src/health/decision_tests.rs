//! A firing and a quiet test for each rule about reviews and decisions.

use super::*;
use crate::review::tests::{cadence, d, decision, quiet, review, ON};
use crate::review::{Kind, ReviewStatus};

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn a_review_past_its_day_with_no_outcome_is_flagged() {
    let mut m = quiet();
    let mut open = review(1, Kind::Weekly, "2026-12-01", vec![]);
    open.status = ReviewStatus::Open;
    m.reviews.push(open);
    let f = fired(&m, "review.no-outcome");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence.contains("recorded no decision"),
        "{}",
        f[0].evidence
    );
    assert_eq!(f[0].subject.kind, "review");
}

#[test]
fn a_review_with_an_outcome_or_still_running_is_quiet() {
    let mut m = quiet();
    let mut today = review(1, Kind::Weekly, ON, vec![]);
    today.status = ReviewStatus::Open;
    m.reviews.push(today);
    m.reviews
        .push(review(2, Kind::Weekly, "2026-11-30", vec![]));
    let mut outcome = decision(9, Some("2026-12-14"));
    outcome.review_id = Some(2);
    m.decisions.push(outcome);
    assert!(fired(&m, "review.no-outcome").is_empty());
}

#[test]
fn a_cadence_with_no_review_past_its_day_is_overdue() {
    let mut m = quiet();
    m.review_cadences.push(cadence(Kind::Weekly));
    // Last weekly on 23 Nov: due 30 Nov, three days' grace, overdue on 7 Dec.
    m.reviews
        .push(review(1, Kind::Weekly, "2026-11-23", vec![]));
    let f = fired(&m, "review.cadence-overdue");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence.contains("was due on 30 Nov 2026"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn a_cadence_held_on_time_or_switched_off_is_quiet() {
    let mut m = quiet();
    m.review_cadences.push(cadence(Kind::Weekly));
    m.reviews
        .push(review(1, Kind::Weekly, "2026-11-30", vec![]));
    assert!(fired(&m, "review.cadence-overdue").is_empty());
    m.reviews.clear();
    m.review_cadences[0].active = false;
    assert!(fired(&m, "review.cadence-overdue").is_empty());
}

#[test]
fn an_open_decision_past_its_due_date_is_flagged() {
    let mut m = quiet();
    m.decisions.push(decision(7, Some("2026-12-04")));
    let f = fired(&m, "decision.past-due");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence
            .contains("was due on 4 Dec 2026; Maya owns it"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn a_done_or_not_yet_due_decision_is_quiet() {
    let mut m = quiet();
    let mut done = decision(7, Some("2026-12-04"));
    done.status = crate::review::DecisionStatus::Done;
    done.done_on = Some(d("2026-12-03"));
    m.decisions.push(done);
    m.decisions.push(decision(8, Some(ON)));
    assert!(fired(&m, "decision.past-due").is_empty());
}

/// Three monthly reviews in the window, each deciding only "no change" about metric 3.
fn monthly_no_change(m: &mut Model) {
    m.review_cadences.push(cadence(Kind::Monthly));
    m.reviews = vec![
        review(1, Kind::Monthly, "2026-09-07", vec![]),
        review(2, Kind::Monthly, "2026-10-05", vec![]),
        review(3, Kind::Monthly, "2026-11-02", vec![]),
    ];
    for r in 1..=3 {
        let mut nc = decision(400 + r, None);
        nc.kind = crate::review::DecisionKind::NoChange;
        nc.review_id = Some(r);
        nc.evidence = vec![crate::review::Evidence::new(
            crate::review::EvidenceKind::Metric,
            3,
        )];
        m.decisions.push(nc);
    }
}

#[test]
fn a_cadence_that_decided_only_no_change_in_its_last_meetings_is_flagged() {
    let mut m = quiet();
    monthly_no_change(&mut m);
    let f = fired(&m, "review.idle-cadence");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].subject.kind, "review_cadence");
    assert_eq!(
        f[0].evidence,
        "The monthly review produced no decision: it decided only \"no change\" in its last 3 meetings."
    );
}

#[test]
fn a_cadence_with_a_real_decision_or_switched_off_is_quiet() {
    let mut m = quiet();
    monthly_no_change(&mut m);
    m.decisions[3].kind = crate::review::DecisionKind::Fix;
    assert!(fired(&m, "review.idle-cadence").is_empty());
    m.decisions[3].kind = crate::review::DecisionKind::NoChange;
    m.review_cadences[0].active = false;
    assert!(fired(&m, "review.idle-cadence").is_empty());
}

#[test]
fn a_metric_no_decision_referred_to_in_two_quarters_is_flagged() {
    let mut m = quiet();
    m.reviews = vec![
        review(1, Kind::Weekly, "2026-11-23", vec![]),
        review(2, Kind::Weekly, "2026-11-30", vec![]),
    ];
    // A decision about metric 3 made before the window does not count.
    let mut old = decision(9, Some("2026-05-01"));
    old.decided_on = d("2026-04-20");
    old.evidence = vec![crate::review::Evidence::new(
        crate::review::EvidenceKind::Metric,
        3,
    )];
    m.decisions.push(old);
    let f = fired(&m, "metric.no-decision");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].subject.id, 3);
    assert!(
        f[0].evidence
            .ends_with("no decision referred to it in the last 2 quarters (since 7 Jun 2026)."),
        "{}",
        f[0].evidence
    );
}

#[test]
fn a_metric_a_decision_used_or_a_team_that_holds_no_reviews_is_quiet() {
    let mut m = quiet();
    // No reviews held in keel: nothing is proposed.
    assert!(fired(&m, "metric.no-decision").is_empty());
    m.reviews = vec![
        review(1, Kind::Weekly, "2026-11-23", vec![]),
        review(2, Kind::Weekly, "2026-11-30", vec![]),
    ];
    let mut used = decision(9, Some("2026-12-20"));
    used.evidence = vec![crate::review::Evidence::new(
        crate::review::EvidenceKind::Metric,
        3,
    )];
    m.decisions.push(used);
    assert!(fired(&m, "metric.no-decision").is_empty());
}
