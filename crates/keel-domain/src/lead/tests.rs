use super::completeness::Filled;
use super::quality::{wilson, Counts};
use super::*;

#[test]
fn a_lead_parses_every_field_and_reports_all_mistakes_at_once() {
    let input = LeadInput {
        external_id: " 1001 ".into(),
        created: "2026-03-12".into(),
        source: "Paid Search".into(),
        offer: "Demo".into(),
        qualification: "Accepted".into(),
        pipeline_amount: "12,500.50".into(),
        ..Default::default()
    };
    let d = input.parse("hubspot").unwrap();
    assert_eq!(d.external_id, "1001");
    assert_eq!(d.qualification, Some(Qualification::Accepted));
    assert_eq!(d.pipeline_cents, Some(1_250_050));
    assert_eq!(d.campaign, None);

    let bad = LeadInput {
        external_id: "".into(),
        created: "12/03/2026".into(),
        qualification: "maybe".into(),
        won_amount: "lots".into(),
        source: "a\0b".into(),
        ..Default::default()
    };
    let e = bad.parse("Hub Spot").unwrap_err();
    let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "external_id",
            "created",
            "source",
            "qualification",
            "won_amount",
            "source_system"
        ]
    );
}

#[test]
fn a_rejection_needs_a_reason_from_the_list() {
    assert!(Feedback::parse("rejected", "", "").is_err());
    assert!(Feedback::parse("rejected", "they were rude", "").is_err());
    let f = Feedback::parse("rejected", "no budget", "Price too high").unwrap();
    assert_eq!(f.reason.as_deref(), Some("No budget"));
    assert_eq!(f.objection.as_deref(), Some("Price too high"));
    let a = Feedback::parse("accepted", "No budget", "").unwrap();
    assert_eq!((a.qualification, a.reason), (Qualification::Accepted, None));
}

#[test]
fn months_are_the_grain_of_rollups() {
    assert_eq!(month_of(Date::parse("2026-03-31").unwrap()), 202603);
    assert_eq!(parse_month("2026-12").unwrap(), 202612);
    assert!(parse_month("2026-13").is_err());
    assert_eq!(month_label(202601), "2026-01");
}

#[test]
fn amounts_parse_into_cents_or_say_what_is_wrong() {
    assert_eq!(parse_cents("1250", "x"), Ok(Some(125_000)));
    assert_eq!(parse_cents("0.5", "x"), Ok(Some(50)));
    assert_eq!(parse_cents(" ", "x"), Ok(None));
    assert!(parse_cents("1.234", "x").is_err());
    assert!(parse_cents("-5", "x").is_err());
}

#[test]
fn the_wilson_interval_matches_the_textbook() {
    // 10 of 100 at 95%: [0.0552, 0.1744].
    let (lo, hi) = wilson(10, 100, 1.959_963_984_540_054).unwrap();
    assert!(
        (lo - 0.0552).abs() < 1e-3 && (hi - 0.1744).abs() < 1e-3,
        "{lo} {hi}"
    );
    assert_eq!(wilson(0, 0, 1.96), None);
}

#[test]
fn a_pair_is_a_poor_fit_only_with_enough_leads_to_be_sure() {
    let few = Counts {
        leads: 4,
        accepted: 0,
        rejected: 3,
        ..Default::default()
    };
    assert!(
        !few.is_poor_fit(0.4),
        "3 rejections are not enough evidence"
    );
    let many = Counts {
        leads: 60,
        accepted: 5,
        rejected: 45,
        ..Default::default()
    };
    assert!(many.is_poor_fit(0.4));
    assert_eq!(many.pending(), 10);
    assert_eq!(many.acceptance_rate(), Some(0.1));
    let good = Counts {
        leads: 60,
        accepted: 40,
        rejected: 20,
        ..Default::default()
    };
    assert!(!good.is_poor_fit(0.4));
}

#[test]
fn completeness_counts_the_reason_only_for_rejected_leads() {
    let f = Filled {
        leads: 100,
        rejected: 10,
        source: 95,
        campaign: 80,
        reason: 5,
        qualification: 100,
        ..Default::default()
    };
    let s = f.shares(0.9);
    let by = |k: &str| s.iter().find(|x| x.field == k).unwrap().clone();
    assert!(!by("source").below_bar);
    assert!(by("campaign").below_bar);
    assert_eq!(
        (
            by("disqualification_reason").filled,
            by("disqualification_reason").of
        ),
        (5, 10)
    );
    assert!(by("disqualification_reason").below_bar);
    assert_eq!(Filled::default().shares(0.9)[0].share, None);
}

#[test]
fn the_heatmap_puts_the_busiest_sources_and_offers_first() {
    use super::quality::{heat, heatmap, Counts};
    let c = |leads, accepted, rejected| Counts {
        leads,
        accepted,
        rejected,
        ..Default::default()
    };
    let (a, b, d) = (c(30, 24, 6), c(5, 1, 4), c(12, 0, 0));
    let h = heatmap([
        ("Events", "Demo", &b),
        ("Referrals", "Demo", &a),
        ("Referrals", "Ebook", &d),
    ]);
    assert_eq!(h.sources, ["Referrals", "Events"]);
    assert_eq!(h.offers, ["Demo", "Ebook"]);
    assert_eq!(h.cells[0][0], Some(a));
    assert_eq!(h.cells[1][1], None, "no lead came from Events × Ebook");
    assert_eq!(heat(&a), Some(4), "80% accepted");
    assert_eq!(heat(&b), Some(1), "20% accepted");
    assert_eq!(heat(&d), None, "nobody judged these yet");
}
