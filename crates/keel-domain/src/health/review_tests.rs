//! A firing and a quiet test for each SOP review trigger.

use super::review_rules::{BlockEvent, SopVersion};
use super::*;
use crate::workflow::tests::{input, people};
use crate::workflow::{Assignment, WorkflowRole, WorkflowSpec, WorkflowStatus};
use crate::PersonKind;

const DAY: i64 = 86_400;
/// 2026-05-15 00:00 UTC.
const NOW: i64 = 20_588 * DAY;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Maya (1) decides, Tom of Brightline (2) executes, Ines (3) reviews; reviewed on
/// 2026-04-01, next review in two months; one version saved before the review.
fn healthy() -> Model {
    let spec = WorkflowSpec {
        last_reviewed: Some(day("2026-04-01")),
        next_review_due: Some(day("2026-07-15")),
        ..WorkflowSpec::parse(&input(), &people(), &[]).unwrap()
    };
    let v1 = SopVersion {
        workflow_id: 100,
        version: 1,
        saved_at: day("2026-03-20").0 * DAY,
        assignments: spec.assignments.clone(),
    };
    Model {
        people: people(),
        workflows: vec![Workflow {
            id: 100,
            spec,
            created_at: v1.saved_at,
            version: 1,
        }],
        sop_versions: vec![v1],
        now: NOW,
        ..Default::default()
    }
}

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

/// Saves a new version of the workflow on `on`, as the store keeps it.
fn save(m: &mut Model, on: &str, change: impl FnOnce(&mut WorkflowSpec)) {
    let w = &mut m.workflows[0];
    change(&mut w.spec);
    w.version += 1;
    m.sop_versions.push(SopVersion {
        workflow_id: w.id,
        version: w.version,
        saved_at: day(on).0 * DAY + 15 * 3600,
        assignments: w.spec.assignments.clone(),
    });
}

fn set_role(s: &mut WorkflowSpec, role: WorkflowRole, person_id: i64) {
    s.assignments.retain(|a| a.role != role);
    s.assignments.push(Assignment { person_id, role });
}

#[test]
fn a_reviewed_sop_with_a_date_ahead_raises_no_trigger() {
    assert_eq!(check(&healthy()), vec![]);
}

#[test]
fn every_trigger_is_registered_with_its_severity() {
    for (id, severity) in [
        ("workflow.review-due-soon", Severity::Info),
        ("workflow.no-next-review", Severity::Warning),
        ("workflow.owner-changed", Severity::Warning),
        ("workflow.partner-added", Severity::Warning),
        ("workflow.recurring-blocker", Severity::Warning),
        ("workflow.reporting-changed", Severity::Warning),
    ] {
        let r = RULES
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(r.severity, severity, "{id}");
    }
}

#[test]
fn owner_changed_fires_when_the_decision_owner_changes_after_the_review() {
    let mut m = healthy();
    save(&mut m, "2026-04-20", |s| {
        set_role(s, WorkflowRole::DecisionOwner, 3)
    });
    let f = fired(&m, "workflow.owner-changed");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].subject.kind, f[0].subject.id), ("workflow", 100));
    assert_eq!(
        f[0].evidence,
        "Campaign brief to launch: its decision owner changed from Maya to Ines on 2026-04-20 since its last review on 2026-04-01."
    );
}

#[test]
fn owner_changed_fires_when_the_execution_owner_left_the_team() {
    let mut m = healthy();
    m.people.retain(|p| p.id != 2);
    let f = fired(&m, "workflow.owner-changed");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence
            .contains("its execution owner is no longer on the team"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn owner_changed_stays_quiet_for_changes_the_review_saw_or_other_roles() {
    let mut m = healthy();
    // A change saved on the day of the review was part of it.
    save(&mut m, "2026-04-01", |s| {
        set_role(s, WorkflowRole::ExecutionOwner, 3)
    });
    // A new contributor is no owner change.
    save(&mut m, "2026-05-02", |s| {
        s.assignments.push(Assignment {
            person_id: 1,
            role: WorkflowRole::Contributor,
        })
    });
    assert!(fired(&m, "workflow.owner-changed").is_empty());
    // A draft is not in use: nothing to review yet.
    save(&mut m, "2026-05-03", |s| {
        set_role(s, WorkflowRole::DecisionOwner, 3)
    });
    m.workflows[0].spec.status = WorkflowStatus::Draft;
    assert!(fired(&m, "workflow.owner-changed").is_empty());
}

#[test]
fn partner_added_fires_when_an_agency_joins_after_the_review() {
    let mut m = healthy();
    m.people.push(Person {
        id: 4,
        name: "Lena".into(),
        kind: PersonKind::Freelancer,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 10.0,
        user_id: None,
        version: 1,
    });
    save(&mut m, "2026-05-10", |s| {
        s.assignments.push(Assignment {
            person_id: 4,
            role: WorkflowRole::Contributor,
        })
    });
    let f = fired(&m, "workflow.partner-added");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence.starts_with("Lena")
            && f[0]
                .evidence
                .ends_with("joined Campaign brief to launch since its last review on 2026-04-01."),
        "{}",
        f[0].evidence
    );
}

#[test]
fn partner_added_stays_quiet_for_partners_the_review_saw_and_internal_people() {
    let mut m = healthy();
    // Tom of Brightline was there at the review; Ines joining as approver is internal.
    save(&mut m, "2026-05-10", |s| {
        s.assignments.push(Assignment {
            person_id: 3,
            role: WorkflowRole::Approver,
        })
    });
    assert!(fired(&m, "workflow.partner-added").is_empty());
}

fn block(at: i64, reason: &str) -> BlockEvent {
    BlockEvent {
        workflow_id: 100,
        item_id: at,
        at,
        reason: reason.into(),
    }
}

#[test]
fn recurring_blocker_fires_on_three_blocks_in_eight_weeks() {
    let mut m = healthy();
    m.blocks = vec![
        block(NOW - 50 * DAY, "Waiting for legal"),
        block(NOW - 20 * DAY, "Budget not approved"),
        block(NOW - 2 * DAY, "waiting for legal "),
    ];
    let f = fired(&m, "workflow.recurring-blocker");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].evidence,
        "Work in Campaign brief to launch was blocked 3 times in the last 8 weeks. The same blocker came back 2 times: Waiting for legal."
    );
}

#[test]
fn recurring_blocker_stays_quiet_on_two_blocks_or_old_ones() {
    let mut m = healthy();
    m.blocks = vec![
        block(NOW - 60 * DAY, "Waiting for legal"),
        block(NOW - 20 * DAY, "Waiting for legal"),
        block(NOW - 2 * DAY, "Waiting for legal"),
    ];
    assert!(fired(&m, "workflow.recurring-blocker").is_empty());
    // Blocks of another workflow's work do not count here.
    m.blocks.push(BlockEvent {
        workflow_id: 999,
        ..block(NOW - DAY, "x")
    });
    assert!(fired(&m, "workflow.recurring-blocker").is_empty());
}

#[test]
fn no_next_review_fires_on_an_active_sop_without_a_date() {
    let mut m = healthy();
    m.workflows[0].spec.next_review_due = None;
    let f = fired(&m, "workflow.no-next-review");
    assert_eq!(f.len(), 1);
    assert!(f[0]
        .evidence
        .contains("is active but has no next review date"));
}

#[test]
fn no_next_review_stays_quiet_for_drafts_and_retired_sops() {
    let mut m = healthy();
    m.workflows[0].spec.next_review_due = None;
    for s in [WorkflowStatus::Draft, WorkflowStatus::Retired] {
        m.workflows[0].spec.status = s;
        assert!(fired(&m, "workflow.no-next-review").is_empty());
    }
}

#[test]
fn review_due_soon_comes_before_overdue_and_hands_over_to_it() {
    let mut m = healthy();
    m.workflows[0].spec.next_review_due = Some(day("2026-05-25"));
    let f = fired(&m, "workflow.review-due-soon");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].evidence,
        "The SOP of Campaign brief to launch is due for review on 2026-05-25, in 10 days."
    );
    assert!(fired(&m, "workflow.review-overdue").is_empty());
    // On the day it is still "due soon"; the day after it is overdue, not both.
    m.workflows[0].spec.next_review_due = Some(day("2026-05-15"));
    assert!(fired(&m, "workflow.review-due-soon")[0]
        .evidence
        .ends_with("today."));
    m.workflows[0].spec.next_review_due = Some(day("2026-05-14"));
    assert!(fired(&m, "workflow.review-due-soon").is_empty());
    assert_eq!(fired(&m, "workflow.review-overdue").len(), 1);
}

#[test]
fn review_due_soon_stays_quiet_further_out() {
    let mut m = healthy();
    m.workflows[0].spec.next_review_due = Some(day("2026-05-30"));
    assert!(fired(&m, "workflow.review-due-soon").is_empty());
}

/// A metric measuring the workflow, its definition changed on `on` (15:00 UTC), if any.
fn measured_by(m: &mut Model, id: i64, name: &str, changed_on: Option<&str>) {
    m.metrics.push(crate::metric::Metric {
        id,
        name: name.into(),
        definition: Some("Form fills with a work email".into()),
        owner_id: Some(1),
        source: Some("HubSpot".into()),
        unit: Some("leads".into()),
        cadence: crate::metric::Cadence::Monthly,
        direction: crate::metric::Direction::Higher,
        target: None,
        metric_type: crate::metric::MetricType::Outcome,
        kind: crate::metric::Kind::Contribution,
        function_id: None,
        objective_id: None,
        channel_id: None,
        workflow_id: Some(100),
        definition_changed_at: changed_on.map(|d| day(d).0 * DAY + 15 * 3600),
        computed: None,
        family: None,
        signal: None,
        layer: None,
        version: 1,
    });
}

#[test]
fn reporting_changed_fires_when_a_metric_of_the_workflow_changes_definition_after_the_review() {
    let mut m = healthy();
    measured_by(&mut m, 7, "Webinar MQLs", Some("2026-04-20"));
    let f = fired(&m, "workflow.reporting-changed");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].subject.kind, f[0].subject.id), ("workflow", 100));
    assert_eq!(
        f[0].evidence,
        "Campaign brief to launch: its metric 'Webinar MQLs' changed what it counts on 2026-04-20, since its last review on 2026-04-01."
    );
    // Never reviewed: any change after the SOP was written counts.
    m.workflows[0].spec.last_reviewed = None;
    assert_eq!(fired(&m, "workflow.reporting-changed").len(), 1);
}

#[test]
fn reporting_changed_stays_quiet_for_changes_the_review_saw_and_other_workflows() {
    let mut m = healthy();
    // Changed on the day of the review, before it, or never: the review saw it.
    measured_by(&mut m, 7, "Webinar MQLs", Some("2026-04-01"));
    measured_by(&mut m, 8, "Registrations", Some("2026-03-02"));
    measured_by(&mut m, 9, "Attendance rate", None);
    // A metric of another workflow changed after the review.
    measured_by(&mut m, 10, "Demo requests", Some("2026-05-01"));
    m.metrics[3].workflow_id = Some(200);
    assert!(fired(&m, "workflow.reporting-changed").is_empty());
    // A draft SOP is not in use.
    m.metrics[3].workflow_id = Some(100);
    m.workflows[0].spec.status = WorkflowStatus::Draft;
    assert!(fired(&m, "workflow.reporting-changed").is_empty());
}
