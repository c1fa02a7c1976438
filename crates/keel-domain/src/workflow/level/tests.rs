//! The level rule against the operating model's table, row by row: detailed when the work
//! affects budget, lead quality or strategy; standard when it needs review and coordination;
//! lightweight when it is low-risk and recurring (and not when it affects tracking, budget or
//! the sales handoff).

use super::*;
use Complexity::*;
use Frequency::*;
use ProcessLevel::*;
use RiskFlag::*;

fn level(flags: &[RiskFlag], f: Frequency, c: Complexity) -> ProcessLevel {
    process_level(flags, f, c).level
}

#[test]
fn budget_lead_quality_or_strategy_is_detailed_whatever_else() {
    for flag in [Budget, LeadQuality, Strategy] {
        for f in Frequency::ALL {
            for c in Complexity::ALL {
                assert_eq!(level(&[flag], f, c), Detailed, "{flag:?} {f:?} {c:?}");
            }
        }
    }
    // Budget alone is enough: it used to come out standard.
    let r = process_level(&[Budget], Recurring, Simple);
    assert_eq!(
        r.reason,
        "It spends budget: work that affects budget, lead quality or strategy is detailed."
    );
    let r = process_level(&[Strategy, LeadQuality, Tracking], Recurring, Simple);
    assert_eq!(
        r.reason,
        "It affects lead quality and shapes strategy (positioning, priorities or targets): work that affects budget, lead quality or strategy is detailed."
    );
}

#[test]
fn work_that_needs_review_and_coordination_is_standard() {
    assert_eq!(level(&[], Recurring, Coordinated), Standard);
    let r = process_level(&[], Recurring, Coordinated);
    assert_eq!(
        r.reason,
        "It needs review and coordination between people: standard, with a review and coordination; lightweight is for low-risk recurring work."
    );
}

#[test]
fn tracking_and_the_sales_handoff_are_never_lightweight() {
    for flag in [Tracking, SalesHandoff, CustomerVisible] {
        assert_eq!(level(&[flag], Recurring, Simple), Standard, "{flag:?}");
    }
    assert!(process_level(&[Tracking, SalesHandoff], Recurring, Simple)
        .reason
        .starts_with("It changes tracking and touches the sales handoff: standard"));
}

#[test]
fn low_risk_recurring_work_is_lightweight() {
    let r = process_level(&[], Recurring, Simple);
    assert_eq!(r.level, Lightweight);
    assert!(r.reason.contains("low-risk and recurring"), "{}", r.reason);
}

#[test]
fn frequency_counts_low_risk_work_that_is_not_recurring_gets_a_review() {
    assert_eq!(level(&[], Occasional, Simple), Standard);
    assert_eq!(level(&[], OneOff, Simple), Standard);
    assert!(process_level(&[], OneOff, Simple)
        .reason
        .contains("runs once or for the first time"));
}

#[test]
fn inputs_parse_with_defaults_that_keep_older_workflows_where_they_were() {
    assert_eq!(Frequency::parse(""), Ok(Recurring));
    assert_eq!(Frequency::parse(" one_off "), Ok(OneOff));
    assert!(Frequency::parse("daily")
        .unwrap_err()
        .contains("recurring, occasional or one_off"));
    assert_eq!(Complexity::parse(""), Ok(Simple));
    assert!(Complexity::parse("hard").is_err());
    assert_eq!(RiskFlag::parse("strategy"), Ok(Strategy));
}
