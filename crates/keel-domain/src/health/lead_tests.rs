use super::lead_rules::LeadFacts;
use super::*;
use crate::lead::completeness::Filled;
use crate::lead::quality::Counts;
use crate::Date;

fn with(leads: LeadFacts) -> Model {
    Model {
        leads,
        ..Default::default()
    }
}

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

fn complete(n: i64) -> Filled {
    Filled {
        leads: n,
        rejected: 0,
        source: n,
        campaign: n,
        offer: n,
        channel: n,
        lifecycle_stage: n,
        owner: n,
        qualification: n,
        reason: 0,
    }
}

#[test]
fn a_crm_field_below_the_bar_is_reported_per_field() {
    let mut f = complete(100);
    f.campaign = 62;
    let found = fired(
        &with(LeadFacts {
            filled: f,
            ..Default::default()
        }),
        "leads.completeness-below-bar",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.label, "Campaign");
    assert_eq!(
        found[0].evidence,
        "Campaign is set on 62 of 100 leads (62%), below the 90% bar."
    );
}

#[test]
fn complete_fields_or_too_few_leads_are_quiet() {
    assert!(fired(
        &with(LeadFacts {
            filled: complete(100),
            ..Default::default()
        }),
        "leads.completeness-below-bar"
    )
    .is_empty());
    let mut few = complete(10);
    few.source = 0;
    assert!(fired(
        &with(LeadFacts {
            filled: few,
            ..Default::default()
        }),
        "leads.completeness-below-bar"
    )
    .is_empty());
}

#[test]
fn a_poor_fit_pair_fires_only_with_enough_leads_to_be_sure() {
    let bad = Counts {
        leads: 40,
        accepted: 2,
        rejected: 30,
        ..Default::default()
    };
    let unsure = Counts {
        leads: 5,
        accepted: 0,
        rejected: 4,
        ..Default::default()
    };
    let good = Counts {
        leads: 40,
        accepted: 25,
        rejected: 10,
        ..Default::default()
    };
    let facts = LeadFacts {
        pairs: vec![
            ("Paid Social".into(), "Ebook".into(), bad),
            ("Events".into(), "Demo".into(), unsure),
            ("Referrals".into(), "Demo".into(), good),
        ],
        ..Default::default()
    };
    let found = fired(&with(facts), "leads.poor-fit-pair");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.label, "Paid Social × Ebook");
    assert!(
        found[0]
            .evidence
            .starts_with("Sales accepted 2 of 32 judged leads (6%; 95% interval"),
        "{}",
        found[0].evidence
    );
    assert!(found[0].action.contains("messaging, the form"));
}

#[test]
fn a_channel_with_spend_and_no_leads_fires_and_one_with_leads_is_quiet() {
    let facts = LeadFacts {
        channel_months: vec![
            ("Events".into(), 202603, 1_250_000, 0),
            ("Paid search".into(), 202603, 500_000, 12),
            ("SEO".into(), 202603, 0, 0),
        ],
        ..Default::default()
    };
    let found = fired(&with(facts), "leads.spend-without-leads");
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].evidence,
        "12,500 was spent on Events in 2026-03 and no lead came from it."
    );
}

#[test]
fn leads_waiting_too_long_for_feedback_fire_and_a_worked_queue_is_quiet() {
    let facts = LeadFacts {
        pending_too_long: 17,
        oldest_pending: Some(Date::parse("2026-02-03").unwrap()),
        ..Default::default()
    };
    let found = fired(&with(facts), "leads.feedback-pending");
    assert_eq!(
        found[0].evidence,
        "17 leads have waited more than 14 days for sales feedback (the oldest since 2026-02-03)."
    );
    assert!(fired(&with(LeadFacts::default()), "leads.feedback-pending").is_empty());
}

#[test]
fn the_workspace_thresholds_decide_what_fires_and_the_words_name_them() {
    use crate::lead::settings::LeadSettings;
    let settings = LeadSettings {
        poor_fit_below: 0.9,
        completeness_bar: 0.5,
        pending_days: 7,
        sales_sources: vec![],
        version: 1,
    };
    let good = Counts {
        leads: 40,
        accepted: 25,
        rejected: 10,
        ..Default::default()
    };
    let pairs = vec![("Referrals".into(), "Demo".into(), good)];
    let facts = LeadFacts {
        pairs: pairs.clone(),
        pending_too_long: 3,
        settings: settings.clone(),
        ..Default::default()
    };
    let found = fired(&with(facts), "leads.poor-fit-pair");
    assert_eq!(found.len(), 1, "71% is poor against a 90% threshold");
    assert!(
        found[0].evidence.ends_with("below 90%."),
        "{}",
        found[0].evidence
    );
    let pending = fired(
        &with(LeadFacts {
            pending_too_long: 3,
            settings,
            ..Default::default()
        }),
        "leads.feedback-pending",
    );
    assert!(pending[0].evidence.contains("more than 7 days"));
    // With keel's defaults the same pair is fine.
    let facts = LeadFacts {
        pairs,
        ..Default::default()
    };
    assert!(fired(&with(facts), "leads.poor-fit-pair").is_empty());
}
