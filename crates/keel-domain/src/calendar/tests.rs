//! The calendar's dates on fixed data (the review fixtures: Monday 7 December 2026).

use super::*;
use crate::capacity::tests::item;
use crate::review::tests::{at, cadence, d, quiet, review, workflow};
use crate::review::Kind as ReviewKind;

fn titles(es: &[Entry]) -> Vec<(String, &str)> {
    es.iter()
        .map(|e| (e.date.to_string(), e.title.as_str()))
        .collect()
}

#[test]
fn a_month_holds_launches_first_reviews_sop_reviews_reviews_and_blocks() {
    let mut m = quiet();
    let mut launched = item(20, 1, 2.0, None, Some("2026-12-03"));
    launched.title = "Partner webinar".into();
    launched.actual_launch = Some(d("2026-12-04"));
    launched.status = WorkStatus::Launched;
    launched.first_review = Some(d("2026-12-18"));
    let mut blocked = item(21, 1, 2.0, None, Some("2027-02-01"));
    blocked.title = "Pricing page".into();
    blocked.status = WorkStatus::Blocked;
    blocked.blocked_since = Some(at("2026-12-02"));
    let mut cancelled = item(22, 1, 2.0, None, Some("2026-12-10"));
    cancelled.status = WorkStatus::Cancelled;
    m.work.extend([launched, blocked, cancelled]);
    let mut sop = workflow(2);
    sop.spec.name = "Weekly article".into();
    sop.spec.next_review_due = Some(d("2026-12-15"));
    let mut retired = workflow(3);
    retired.spec.status = WorkflowStatus::Retired;
    retired.spec.next_review_due = Some(d("2026-12-16"));
    m.workflows.extend([sop, retired]);
    m.review_cadences = vec![cadence(ReviewKind::Weekly)];
    m.reviews = vec![review(7, ReviewKind::Weekly, "2026-11-30", vec![])];

    let es = entries(&m, d("2026-12-01"), d("2027-01-01"));
    assert_eq!(
        titles(&es),
        [
            ("2026-12-02".into(), "Blocked: Pricing page"),
            ("2026-12-04".into(), "Launched: Partner webinar"),
            ("2026-12-07".into(), "Weekly review (due)"),
            ("2026-12-14".into(), "Weekly review (due)"),
            ("2026-12-15".into(), "SOP review: Weekly article"),
            ("2026-12-18".into(), "First review: Partner webinar"),
            ("2026-12-21".into(), "Weekly review (due)"),
            ("2026-12-28".into(), "Weekly review (due)"),
        ]
    );
    assert_eq!(es[0].target, Target::Work(21));
    assert_eq!(es[2].target, Target::Reviews);
    assert_eq!(es[4].target, Target::Workflow(2));

    // November: the review held, linked to itself; the cadence's due dates start after it.
    let nov = entries(&m, d("2026-11-01"), d("2026-12-01"));
    assert_eq!(titles(&nov), [("2026-11-30".into(), "Weekly review")]);
    assert_eq!(nov[0].target, Target::Review(7));
    assert_eq!(blocked_now(&m)[0].title, "Pricing page");
}

#[test]
fn a_biweekly_cadence_skips_every_other_week_and_an_inactive_one_is_left_out() {
    let mut m = quiet();
    let mut c = cadence(ReviewKind::Weekly);
    c.interval = 2;
    m.review_cadences = vec![c.clone()];
    m.reviews = vec![review(7, ReviewKind::Weekly, "2026-11-30", vec![])];
    let es = entries(&m, d("2026-12-01"), d("2027-01-01"));
    assert_eq!(
        titles(&es),
        [
            ("2026-12-14".into(), "Weekly review (due)"),
            ("2026-12-28".into(), "Weekly review (due)")
        ]
    );
    c.active = false;
    m.review_cadences = vec![c];
    assert!(entries(&m, d("2026-12-01"), d("2027-01-01")).is_empty());
}

#[test]
fn a_month_is_laid_out_in_weeks_from_monday() {
    let weeks = grid(d("2026-12-17"));
    assert_eq!(weeks.len(), 5);
    assert_eq!(weeks[0][0], d("2026-11-30"));
    assert_eq!(weeks[4][6], d("2027-01-03"));
    // February 2027 starts on a Monday and fills exactly four weeks.
    assert_eq!(grid(d("2027-02-01")).len(), 4);
    assert_eq!(parse_month("2026-12"), Ok(d("2026-12-01")));
    assert!(parse_month("Dec 2026").unwrap_err().contains("YYYY-MM"));
    assert!(parse_month("2026-13").is_err());
}
