//! A firing and a quiet test for each workflow and work rule, and for load with open work.

use super::*;
use crate::work::WorkStatus;
use crate::workflow::tests::{input, people};
use crate::workflow::{Assignment, WorkflowRole, WorkflowSpec, WorkflowStatus};
use crate::Date;

const DAY: i64 = 86_400;
/// 2026-05-15 00:00 UTC.
const NOW: i64 = 20_588 * DAY;

fn spec() -> WorkflowSpec {
    // Maya (1) decides, Tom of Brightline (2) executes, Ines (3) reviews; detailed, complete.
    WorkflowSpec::parse(&input(), &people(), &[]).unwrap()
}

fn item(id: i64, status: WorkStatus) -> WorkItem {
    WorkItem {
        id,
        workflow_id: 100,
        title: format!("Webinar {id}"),
        execution_owner_id: Some(2),
        contributor_ids: vec![3],
        stage: 0,
        status,
        estimated_hours: 6.0,
        start_date: None,
        planned_launch: None,
        actual_launch: None,
        first_review: None,
        blocked_reason: None,
        blocked_since: None,
        blocked_seconds: 0,
        revisions: 0,
        created_at: NOW - 10 * DAY,
        launched_at: None,
        version: 1,
    }
}

/// A model with one active, complete workflow in use and recent open work: every rule must
/// leave it alone.
fn healthy() -> Model {
    Model {
        people: people(),
        functions: vec![],
        workflows: vec![Workflow {
            id: 100,
            spec: WorkflowSpec {
                next_review_due: Some(crate::Zone::utc().date_of(NOW).add_days(60)),
                ..spec()
            },
            created_at: NOW - 200 * DAY,
            version: 1,
        }],
        work: vec![item(1, WorkStatus::InProgress)],
        now: NOW,
        ..Default::default()
    }
}

fn fired(m: &Model, rule: &str) -> Vec<Finding> {
    check(m).into_iter().filter(|f| f.rule == rule).collect()
}

fn assign(m: &mut Model, person_id: i64, role: WorkflowRole) {
    m.workflows[0]
        .spec
        .assignments
        .push(Assignment { person_id, role });
}

#[test]
fn the_test_clock_is_the_middle_of_may_2026() {
    assert_eq!(crate::Zone::utc().date_of(NOW).to_string(), "2026-05-15");
}

#[test]
fn a_healthy_model_with_workflows_and_work_has_no_findings() {
    assert_eq!(check(&healthy()), vec![]);
}

#[test]
fn every_new_rule_is_registered_with_its_severity() {
    for (id, severity) in [
        ("workflow.decision-owner-count", Severity::Error),
        ("workflow.external-decision-owner", Severity::Error),
        ("workflow.too-many-approvers", Severity::Warning),
        ("workflow.review-overdue", Severity::Warning),
        ("workflow.incomplete-for-level", Severity::Warning),
        ("workflow.idle", Severity::Info),
        ("work.no-owner", Severity::Error),
        ("work.blocked-too-long", Severity::Warning),
        ("work.waits-on-blocked", Severity::Warning),
    ] {
        let r = RULES
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(r.severity, severity, "{id}");
    }
}

#[test]
fn decision_owner_count_fires_on_a_workflow_without_a_decision_owner() {
    let mut m = healthy();
    m.workflows[0]
        .spec
        .assignments
        .retain(|a| a.role != WorkflowRole::DecisionOwner);
    let f = fired(&m, "workflow.decision-owner-count");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].subject,
        Subject {
            kind: "workflow",
            id: 100,
            label: "Campaign brief to launch".into()
        }
    );
    assert!(f[0].evidence.contains("has no decision owner"));
    assert!(fired(&healthy(), "workflow.decision-owner-count").is_empty());
}

#[test]
fn decision_owner_count_fires_on_two_decision_owners_by_name() {
    let mut m = healthy();
    assign(&mut m, 3, WorkflowRole::DecisionOwner);
    let f = fired(&m, "workflow.decision-owner-count");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence.contains("2 decision owners (Maya and Ines)"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn a_decision_owner_who_left_the_team_counts_as_none() {
    let mut m = healthy();
    m.people.retain(|p| p.id != 1);
    let f = fired(&m, "workflow.decision-owner-count");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("no longer on the team"));
    // One remaining decision owner among a departed one is fine.
    let mut m = healthy();
    assign(&mut m, 99, WorkflowRole::DecisionOwner);
    assert!(fired(&m, "workflow.decision-owner-count").is_empty());
}

#[test]
fn retired_workflows_are_left_out_of_decision_owner_checks() {
    let mut m = healthy();
    m.workflows[0].spec.status = WorkflowStatus::Retired;
    m.workflows[0].spec.assignments.clear();
    assign(&mut m, 2, WorkflowRole::DecisionOwner);
    assert!(fired(&m, "workflow.decision-owner-count").is_empty());
    assert!(fired(&m, "workflow.external-decision-owner").is_empty());
}

#[test]
fn external_decision_owner_fires_when_a_partner_decides() {
    let mut m = healthy();
    for a in &mut m.workflows[0].spec.assignments {
        if a.role == WorkflowRole::DecisionOwner {
            a.person_id = 2;
        }
    }
    let f = fired(&m, "workflow.external-decision-owner");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("Tom (Brightline) decides"));
    assert!(fired(&healthy(), "workflow.external-decision-owner").is_empty());
}

#[test]
fn too_many_approvers_fires_beyond_what_the_level_allows() {
    let mut m = healthy();
    // A lightweight workflow allows no approvers besides the decision owner.
    m.workflows[0].spec.risk_flags.clear();
    assign(&mut m, 3, WorkflowRole::Approver);
    let f = fired(&m, "workflow.too-many-approvers");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence
            .contains("has an approver (Ines); a lightweight workflow needs no approver"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn too_many_approvers_fires_when_everyone_is_an_approver() {
    let mut m = healthy();
    // Detailed allows two approvers, but with both of them every person signs off.
    assign(&mut m, 2, WorkflowRole::Approver);
    assign(&mut m, 3, WorkflowRole::Approver);
    let f = fired(&m, "workflow.too-many-approvers");
    assert_eq!(f.len(), 1);
    assert!(f[0]
        .evidence
        .contains("Everyone on Campaign brief to launch signs off"));
}

#[test]
fn too_many_approvers_stays_quiet_within_the_limit() {
    let mut m = healthy();
    assign(&mut m, 3, WorkflowRole::Approver);
    assert!(fired(&m, "workflow.too-many-approvers").is_empty());
    assert!(fired(&healthy(), "workflow.too-many-approvers").is_empty());
    // One person doing everything is not "everyone approves".
    let mut m = healthy();
    m.workflows[0].spec.assignments = vec![
        Assignment {
            person_id: 1,
            role: WorkflowRole::DecisionOwner,
        },
        Assignment {
            person_id: 1,
            role: WorkflowRole::Approver,
        },
    ];
    assert!(fired(&m, "workflow.too-many-approvers").is_empty());
}

#[test]
fn review_overdue_fires_on_an_sop_in_use_past_its_review_date() {
    let mut m = healthy();
    m.workflows[0].spec.next_review_due = Date::parse("2026-05-01").ok();
    let f = fired(&m, "workflow.review-overdue");
    assert_eq!(f.len(), 1);
    assert!(f[0]
        .evidence
        .contains("due for review on 2026-05-01, 14 days ago"));
}

#[test]
fn review_overdue_stays_quiet_on_the_due_date_and_for_drafts() {
    let mut m = healthy();
    m.workflows[0].spec.next_review_due = Date::parse("2026-05-15").ok();
    assert!(fired(&m, "workflow.review-overdue").is_empty());
    m.workflows[0].spec.next_review_due = Date::parse("2026-01-01").ok();
    m.workflows[0].spec.status = WorkflowStatus::Draft;
    assert!(fired(&m, "workflow.review-overdue").is_empty());
}

#[test]
fn incomplete_for_level_fires_on_a_standard_sop_in_use_without_inputs_or_standard() {
    let mut m = healthy();
    let s = &mut m.workflows[0].spec;
    s.risk_flags = vec![crate::workflow::RiskFlag::Tracking];
    s.status = WorkflowStatus::Pilot;
    s.inputs.clear();
    s.quality_standard.clear();
    let f = fired(&m, "workflow.incomplete-for-level");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.contains("pilot as a standard workflow"));
    assert!(f[0].evidence.contains("inputs") && f[0].evidence.contains("quality standard"));
}

#[test]
fn incomplete_for_level_stays_quiet_for_drafts_and_lightweight_sops() {
    let mut m = healthy();
    m.workflows[0].spec.inputs.clear();
    m.workflows[0].spec.status = WorkflowStatus::Draft;
    assert!(fired(&m, "workflow.incomplete-for-level").is_empty());
    m.workflows[0].spec.status = WorkflowStatus::Active;
    m.workflows[0].spec.risk_flags.clear();
    assert!(fired(&m, "workflow.incomplete-for-level").is_empty());
}

#[test]
fn idle_fires_on_an_active_workflow_without_recent_work() {
    let mut m = healthy();
    m.work[0].created_at = NOW - 61 * DAY;
    let f = fired(&m, "workflow.idle");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].evidence.contains("2026-03-15"), "{}", f[0].evidence);
    m.work.clear();
    assert!(fired(&m, "workflow.idle")[0]
        .evidence
        .contains("none was ever started"));
}

#[test]
fn idle_stays_quiet_for_recent_work_new_workflows_and_pilots() {
    assert!(fired(&healthy(), "workflow.idle").is_empty());
    let mut m = healthy();
    m.work.clear();
    m.workflows[0].created_at = NOW - 20 * DAY;
    assert!(fired(&m, "workflow.idle").is_empty());
    m.workflows[0].created_at = NOW - 200 * DAY;
    m.workflows[0].spec.status = WorkflowStatus::Pilot;
    assert!(fired(&m, "workflow.idle").is_empty());
}

#[test]
fn no_owner_fires_on_open_work_without_a_living_owner() {
    let mut m = healthy();
    m.work[0].execution_owner_id = None;
    let mut gone = item(2, WorkStatus::Blocked);
    gone.execution_owner_id = Some(99);
    m.work.push(gone);
    let f = fired(&m, "work.no-owner");
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].subject.kind, "work");
    assert_eq!(f[0].subject.label, "Webinar 1");
    assert!(f[1].evidence.contains("no longer on the team"));
}

#[test]
fn no_owner_stays_quiet_for_owned_or_finished_work() {
    assert!(fired(&healthy(), "work.no-owner").is_empty());
    let mut m = healthy();
    m.work[0].execution_owner_id = None;
    m.work[0].status = WorkStatus::Done;
    assert!(fired(&m, "work.no-owner").is_empty());
}

#[test]
fn blocked_too_long_fires_past_the_workflows_limit() {
    let mut m = healthy();
    m.workflows[0].spec.max_blocked_days = 3;
    m.work[0].status = WorkStatus::Blocked;
    m.work[0].blocked_since = Some(NOW - 4 * DAY - DAY / 2);
    m.work[0].blocked_reason = Some("Waiting for legal".into());
    let f = fired(&m, "work.blocked-too-long");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].evidence
            .contains("blocked for 4.5 days; Campaign brief to launch allows 3. Reason given: Waiting for legal"),
        "{}",
        f[0].evidence
    );
}

#[test]
fn blocked_too_long_stays_quiet_within_the_limit_and_when_unblocked() {
    let mut m = healthy();
    m.work[0].status = WorkStatus::Blocked;
    m.work[0].blocked_since = Some(NOW - 5 * DAY);
    assert!(fired(&m, "work.blocked-too-long").is_empty());
    // Long blocks in the past do not count once the item moves again.
    m.work[0].status = WorkStatus::InProgress;
    m.work[0].blocked_since = None;
    m.work[0].blocked_seconds = 30 * DAY;
    assert!(fired(&m, "work.blocked-too-long").is_empty());
}

#[test]
fn waits_on_blocked_fires_for_open_work_waiting_for_a_blocked_item() {
    let mut m = healthy();
    m.work[0].planned_launch = Some(crate::Zone::utc().date_of(NOW).add_days(6));
    let mut story = item(2, WorkStatus::Blocked);
    story.title = "Customer story".into();
    story.blocked_since = Some(NOW - 2 * DAY);
    story.blocked_reason = Some("Legal has the quotes".into());
    m.work.push(story);
    m.deps = vec![(1, 2)];
    let f = fired(&m, "work.waits-on-blocked");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].subject.kind, f[0].subject.id), ("work", 1));
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(
        f[0].evidence,
        "Webinar 1 waits for Customer story, which is blocked since 2026-05-13: Legal has the quotes. Webinar 1 is planned to launch on 2026-05-21."
    );
}

#[test]
fn waits_on_blocked_stays_quiet_when_what_it_waits_for_moves_or_it_is_finished() {
    let mut m = healthy();
    m.work.push(item(2, WorkStatus::InProgress));
    m.deps = vec![(1, 2)];
    assert!(fired(&m, "work.waits-on-blocked").is_empty());
    // The waiting item already launched: the block no longer holds it.
    m.work[1].status = WorkStatus::Blocked;
    m.work[0].status = WorkStatus::Launched;
    assert!(fired(&m, "work.waits-on-blocked").is_empty());
    // A blocked item nobody waits for is another rule's business.
    m.work[0].status = WorkStatus::InProgress;
    m.deps.clear();
    assert!(fired(&m, "work.waits-on-blocked").is_empty());
}

#[test]
fn over_capacity_counts_the_open_work_a_person_executes() {
    let mut m = healthy();
    m.work.push(WorkItem {
        // No dates: four weeks from its creation, 40 h a week, plus 1.5 h of item 1.
        estimated_hours: 160.0,
        ..item(2, WorkStatus::Intake)
    });
    let f = fired(&m, "person.over-capacity");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject.id, 2);
    assert!(
        f[0].evidence
            .contains("41.5 h this week against a capacity of 40 h: 0 h of recurring commitments and 41.5 h of one-off work"),
        "{}",
        f[0].evidence
    );
    // Finished work no longer weighs.
    m.work[1].status = WorkStatus::Launched;
    assert!(fired(&m, "person.over-capacity").is_empty());
}
