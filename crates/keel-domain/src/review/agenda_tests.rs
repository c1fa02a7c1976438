//! The agenda per cadence on fixed data (Monday 7 December 2026), a quiet week included.

use super::agenda::agenda;
use super::tests::{busy, cadence, channel, d, decision, quiet, review, workflow, ON};
use super::*;
use crate::metric::tests::{metric, monthly};
use crate::objective::tests::smart_objective;

fn keys(a: &agenda::Agenda) -> Vec<&str> {
    a.sections.iter().map(|s| s.key).collect()
}

fn texts(a: &agenda::Agenda, key: &str) -> Vec<String> {
    a.section(key)
        .map(|s| s.items.iter().map(|i| i.text.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_quiet_week_gives_a_short_agenda() {
    let a = agenda(Kind::Weekly, &quiet(), d(ON));
    assert_eq!(keys(&a), Vec::<&str>::new(), "{a:#?}");
    assert!(a.topics().is_empty());
}

#[test]
fn a_long_section_shows_the_worst_first_and_counts_the_rest() {
    let mut m = busy();
    // 30 more late items; W200, planned first, is the latest of them all.
    for n in 0..30 {
        let planned = d("2026-11-01").add_days(n);
        m.work.push(crate::capacity::tests::item(
            200 + n,
            2,
            4.0,
            Some("2026-10-01"),
            Some(&planned.to_string()),
        ));
    }
    let a = agenda(Kind::Weekly, &m, d(ON));
    let late = a.section("late").unwrap();
    assert_eq!(
        (late.items.len(), late.more),
        (agenda::SHOWN, 31 - agenda::SHOWN)
    );
    assert!(
        late.items[0].text.starts_with("W200 is late"),
        "{:?}",
        late.items[0]
    );
    // Short sections count nothing more.
    assert_eq!(a.section("blocked").unwrap().more, 0);
}

#[test]
fn the_weekly_agenda_lists_what_is_stuck_late_waiting_and_due() {
    let a = agenda(Kind::Weekly, &busy(), d(ON));
    assert_eq!(
        keys(&a),
        [
            "blocked",
            "changed",
            "launches",
            "late",
            "approvals",
            "off-track",
            "decisions"
        ]
    );
    assert_eq!(
        texts(&a, "blocked"),
        ["W11 is blocked since 1 Dec (6 days): Waiting for legal to approve the claims"]
    );
    assert_eq!(texts(&a, "changed"), ["W15 launched on 3 Dec"]);
    assert_eq!(
        texts(&a, "launches"),
        ["W12 launches on 9 Dec (Tom (Brightline))"]
    );
    assert_eq!(
        texts(&a, "late"),
        ["W13 is late: planned for 30 Nov, 7 days ago (Tom (Brightline))"]
    );
    assert_eq!(texts(&a, "approvals"), ["W14 waits for Maya's approval"]);
    let off = &a.section("off-track").unwrap().items[0];
    assert!(
        off.text
            .starts_with("M3 is 61 leads against a target of 80 leads"),
        "{}",
        off.text
    );
    assert_eq!(off.flag, Some("new"), "it was on target the month before");
    let due = &a.section("decisions").unwrap().items;
    assert_eq!(due.len(), 2, "the one due in February waits");
    assert_eq!((due[0].flag, due[1].flag), (Some("past due"), None));
    assert!(due[0]
        .text
        .starts_with("Decision 101 (Fix; Maya, due 2 Dec)"));
    assert_eq!(a.decisions_checked(), [101, 102]);
    // Blocked, late and off-track evidence are the topics; launches are not.
    let topics: Vec<String> = a.topics().iter().map(|e| e.to_string()).collect();
    assert_eq!(topics, ["metric:3", "work:11", "work:13", "workflow:1"]);
}

#[test]
fn a_topic_in_three_of_four_weeklies_without_a_decision_needs_an_owner() {
    let mut m = busy();
    let wf = Evidence::new(EvidenceKind::Workflow, 1);
    let metric3 = Evidence::new(EvidenceKind::Metric, 3);
    m.reviews = vec![
        review(1, Kind::Weekly, "2026-11-16", vec![wf]),
        review(2, Kind::Weekly, "2026-11-23", vec![metric3]),
        review(3, Kind::Weekly, "2026-11-30", vec![wf]),
    ];
    let a = agenda(Kind::Weekly, &m, d(ON));
    assert_eq!(a.since, Some(d("2026-11-30")));
    let rec = a.section("recurring").expect("workflow 1 recurs");
    assert_eq!(rec.items.len(), 1, "metric 3 came up twice only");
    assert_eq!(rec.items[0].evidence, [wf]);
    assert!(rec.items[0]
        .text
        .starts_with("Workflow 1 came up in three of the last four"));
    // A decision about the workflow since then closes the topic; "no change" does not.
    let mut nc = decision(200, None);
    nc.kind = DecisionKind::NoChange;
    nc.decided_on = d("2026-11-23");
    nc.evidence = vec![wf];
    m.decisions.push(nc);
    assert!(agenda(Kind::Weekly, &m, d(ON))
        .section("recurring")
        .is_some());
    let mut fix = decision(201, Some("2026-12-20"));
    fix.decided_on = d("2026-11-30");
    fix.evidence = vec![wf];
    m.decisions.push(fix);
    assert!(agenda(Kind::Weekly, &m, d(ON))
        .section("recurring")
        .is_none());
}

#[test]
fn the_monthly_agenda_diagnoses_metrics_and_workflows() {
    let mut m = busy();
    m.channels.push(channel(4));
    m.metrics.push(crate::metric::Metric {
        channel_id: Some(4),
        target: Some(10.0),
        ..metric(5)
    });
    m.measurements.extend(monthly(5, &[12.0, 11.0, 14.0]));
    m.measurements.sort_by_key(|v| (v.metric_id, v.period));
    m.work[0].revisions = 3;
    let a = agenda(Kind::Monthly, &m, d(ON));
    assert_eq!(
        keys(&a),
        ["metrics", "workflows", "weak-signals", "decisions"]
    );
    let metrics = texts(&a, "metrics");
    assert!(
        metrics[0].starts_with("M3 (the team): 61 leads against a target of 80 leads"),
        "{metrics:?}"
    );
    assert!(
        metrics[1].starts_with("M5 (channel Channel 4): 14 leads"),
        "{metrics:?}"
    );
    assert_eq!(
        a.section("metrics").unwrap().items[0].flag,
        Some("off target")
    );
    assert_eq!(
        texts(&a, "workflows"),
        ["Workflow 1: 0.5 revisions per item over 6 items"]
    );
    let weak = &a.section("weak-signals").unwrap().items;
    assert_eq!(weak.len(), 1);
    assert_eq!(weak[0].question, Some(DIAGNOSIS_QUESTION));
    assert!(weak[0].text.starts_with("M3 is off target at 61 leads"));
}

#[test]
fn a_quiet_month_has_only_its_metrics() {
    let a = agenda(Kind::Monthly, &quiet(), d(ON));
    assert_eq!(keys(&a), ["metrics"]);
}

#[test]
fn the_quarterly_agenda_resets_focus() {
    let mut m = busy();
    m.objectives.push(smart_objective(5, 1));
    m.metrics[0].objective_id = Some(5);
    // Two more metrics with no source: reports nobody trusts.
    m.metrics.push(crate::metric::Metric {
        source: None,
        ..metric(6)
    });
    m.metrics.push(crate::metric::Metric {
        source: None,
        ..metric(7)
    });
    // Maya decides all three workflows in use.
    m.workflows.push(workflow(2));
    m.workflows.push(workflow(3));
    // Two closed reviews in the last two quarters; decisions referred to metric 3 only.
    m.reviews = vec![
        review(1, Kind::Monthly, "2026-10-05", vec![]),
        review(2, Kind::Monthly, "2026-11-02", vec![]),
    ];
    let mut used = decision(300, Some("2026-11-30"));
    used.decided_on = d("2026-11-02");
    used.evidence = vec![
        Evidence::new(EvidenceKind::Metric, 3),
        Evidence::new(EvidenceKind::Workflow, 1),
    ];
    m.decisions.push(used);
    let a = agenda(Kind::Quarterly, &m, d(ON));
    assert_eq!(
        keys(&a),
        [
            "capacity",
            "objectives",
            "concentration",
            "retire",
            "add-people",
            "decisions"
        ]
    );
    assert!(texts(&a, "capacity")[0].starts_with("The team carries"));
    assert_eq!(
        texts(&a, "objectives"),
        ["Double sales-accepted leads from mid-market accounts: M3 is at 61 leads (53% of the way from 40 leads to 80 leads), due 30 Jun 2027."]
    );
    assert!(texts(&a, "concentration")[0].starts_with("Maya decides 3 of the 3 workflows in use"));
    let retire = texts(&a, "retire");
    assert_eq!(retire.len(), 4, "{retire:?}");
    assert!(retire
        .iter()
        .all(|t| !t.starts_with("M3") && !t.starts_with("Workflow 1")));
    let add = &a.section("add-people").unwrap();
    assert_eq!(
        add.intro,
        Some("Add people only against a clear bottleneck, never because the team is busy.")
    );
    assert_eq!(add.items.len(), 1, "{:?}", add.items);
    assert_eq!(add.items[0].flag, Some("analytics"));
}

#[test]
fn a_quiet_quarter_proposes_nothing_to_retire_or_hire() {
    let a = agenda(Kind::Quarterly, &quiet(), d(ON));
    assert_eq!(
        keys(&a),
        ["capacity", "decisions"],
        "the decision due in February falls in the quarter"
    );
}

#[test]
fn a_cadence_that_only_decides_no_change_is_a_candidate_to_retire() {
    let mut m = quiet();
    m.review_cadences.push(cadence(Kind::Monthly));
    m.reviews = vec![
        review(1, Kind::Monthly, "2026-09-07", vec![]),
        review(2, Kind::Monthly, "2026-10-05", vec![]),
        review(3, Kind::Monthly, "2026-11-02", vec![]),
    ];
    for r in 1..=3 {
        let mut nc = decision(400 + r, None);
        nc.kind = DecisionKind::NoChange;
        nc.review_id = Some(r);
        nc.evidence = vec![
            Evidence::new(EvidenceKind::Metric, 3),
            Evidence::new(EvidenceKind::Workflow, 1),
        ];
        nc.decided_on = d("2026-11-02");
        m.decisions.push(nc);
    }
    let a = agenda(Kind::Quarterly, &m, d(ON));
    assert_eq!(
        texts(&a, "retire"),
        ["The monthly review decided only \"no change\" in its last 3 meetings."]
    );
}
