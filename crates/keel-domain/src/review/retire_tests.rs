//! What decisions do after a confirmation (pause a priority or a channel, retire a workflow)
//! and which routines, metrics and SOPs are proposed for retirement.

use super::retire::{candidates, Retirable};
use super::tests::{channel, d, decision, input, quiet, review, workflow, ON};
use super::*;
use crate::channel::ChannelStatus;
use crate::health::Model;
use crate::priority::tests::priority;
use crate::priority::Status as PriorityStatus;
use crate::workflow::WorkflowStatus;

#[test]
fn a_confirmed_pause_acts_only_on_what_it_would_change() {
    let mut m = quiet();
    m.priorities.push(priority(5, PriorityStatus::Now, 10.0));
    m.priorities.push(priority(6, PriorityStatus::Done, 10.0));
    m.channels.push(channel(4));
    let mut stopped = channel(7);
    stopped.status = ChannelStatus::Stopped;
    m.channels.push(stopped);
    let i = DecisionInput {
        evidence: [
            "priority:5",
            "priority:6",
            "channel:4",
            "channel:7",
            "workflow:1",
        ]
        .map(String::from)
        .to_vec(),
        ..input()
    };
    let d0 = DecisionDraft::parse(&i, &m, d(ON)).unwrap();
    assert_eq!(
        d0.acts(&m),
        [
            Act::Pause(Evidence::new(EvidenceKind::Priority, 5)),
            Act::Pause(Evidence::new(EvidenceKind::Channel, 4)),
        ],
        "a done priority, a stopped channel and a workflow are not paused"
    );
}

#[test]
fn a_stop_retires_its_workflows_and_nothing_else() {
    let mut m = quiet();
    m.workflows.push(workflow(2));
    m.workflows[1].spec.status = WorkflowStatus::Retired;
    m.channels.push(channel(4));
    let i = DecisionInput {
        kind: "stop".into(),
        evidence: ["workflow:1", "workflow:2", "channel:4"]
            .map(String::from)
            .to_vec(),
        ..input()
    };
    let d0 = DecisionDraft::parse(&i, &m, d(ON)).unwrap();
    assert_eq!(
        d0.acts(&m),
        [Act::Retire(Evidence::new(EvidenceKind::Workflow, 1))]
    );
    let fix = DecisionDraft::parse(
        &DecisionInput {
            kind: "fix".into(),
            ..i
        },
        &m,
        d(ON),
    )
    .unwrap();
    assert!(fix.acts(&m).is_empty(), "only a stop retires");
}

fn reviewed(m: &mut Model) {
    m.reviews = vec![
        review(1, Kind::Weekly, "2026-11-23", vec![]),
        review(2, Kind::Weekly, "2026-11-30", vec![]),
    ];
}

#[test]
fn metrics_and_sops_no_decision_used_for_two_quarters_are_candidates() {
    let mut m = quiet();
    reviewed(&mut m);
    let got: Vec<Retirable> = candidates(&m, d(ON)).into_iter().map(|c| c.what).collect();
    assert_eq!(got, [Retirable::Metric(3), Retirable::Workflow(1)]);
}

#[test]
fn a_decision_in_the_window_a_young_sop_or_no_reviews_proposes_nothing() {
    let mut m = quiet();
    assert!(candidates(&m, d(ON)).is_empty(), "no reviews held in keel");
    reviewed(&mut m);
    let mut used = decision(9, Some("2026-12-20"));
    used.evidence = vec![Evidence::new(EvidenceKind::Metric, 3)];
    m.decisions.push(used);
    // The SOP was written last month: it has not had two quarters yet.
    m.workflows[0].created_at = super::tests::at("2026-11-10");
    assert!(
        candidates(&m, d(ON)).is_empty(),
        "{:?}",
        candidates(&m, d(ON))
    );
}

#[test]
fn a_retirable_reads_back_from_its_key() {
    for r in [
        Retirable::Cadence(Kind::Monthly),
        Retirable::Metric(3),
        Retirable::Workflow(12),
    ] {
        assert_eq!(Retirable::parse(&r.key()), Some(r));
    }
    assert_eq!(Retirable::parse("cadence:daily"), None);
    assert_eq!(Retirable::parse("metric:0"), None);
    assert_eq!(Retirable::parse("priority:3"), None);
}
