//! What the home page says about work this week: what is stuck, what ships, what is late,
//! what waits for my approval; and "my work", what one person has on their plate.

use super::{WorkItem, WorkStatus};
use crate::capacity::PersonLoad;
use crate::workflow::Workflow;
use crate::{Date, Zone};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekDigest<'a> {
    /// Open items that are blocked, longest blocked first.
    pub blocked: Vec<&'a WorkItem>,
    /// Items planned to launch, or launched, this week (Monday to Sunday), soonest first.
    pub launches: Vec<&'a WorkItem>,
    /// Open items whose planned launch has passed, most late first.
    pub overdue: Vec<&'a WorkItem>,
}

pub fn digest(items: &[WorkItem], today: Date) -> WeekDigest<'_> {
    let (start, end) = (today.week_start(), today.week_start().add_days(7));
    let this_week = |d: Option<Date>| d.is_some_and(|d| d >= start && d < end);
    let mut blocked: Vec<&WorkItem> = items
        .iter()
        .filter(|i| i.status.is_open() && i.blocked_since.is_some())
        .collect();
    blocked.sort_by_key(|i| i.blocked_since);
    let mut launches: Vec<&WorkItem> = items
        .iter()
        .filter(|i| {
            (i.status.is_open() && this_week(i.planned_launch)) || this_week(i.actual_launch)
        })
        .collect();
    launches.sort_by_key(|i| i.actual_launch.or(i.planned_launch));
    let mut overdue: Vec<&WorkItem> = items.iter().filter(|i| i.is_overdue(today)).collect();
    overdue.sort_by_key(|i| i.planned_launch);
    WeekDigest {
        blocked,
        launches,
        overdue,
    }
}

/// The hour on the workspace's clock from which a Monday's weekly digest goes out.
pub const EMAIL_HOUR: i8 = 8;

/// The week whose emailed digest is due at `now` in `zone`: from 08:00 on a Monday until that
/// Monday ends, the Monday itself; any other time, none. A node that was down all Monday
/// sends nothing late: by Tuesday the week's news is on Home.
pub fn email_week(now: i64, zone: &Zone) -> Option<Date> {
    let day = zone.date_of(now);
    (day == day.week_start() && zone.hour_of(now) >= EMAIL_HOUR).then_some(day)
}

/// What one person's weekly email says: the team's launches and blocked work this week (from
/// [`digest`], over what the person sees) and what waits for their approval ([`awaiting`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonDigest<'a> {
    pub launches: Vec<&'a WorkItem>,
    pub blocked: Vec<&'a WorkItem>,
    pub to_approve: Vec<&'a WorkItem>,
}

impl PersonDigest<'_> {
    /// Nothing to say: no email is sent for a quiet week.
    pub fn is_empty(&self) -> bool {
        self.launches.is_empty() && self.blocked.is_empty() && self.to_approve.is_empty()
    }
}

/// The digest of `person` (their linked person record, if any) for the week of `today`, over
/// the items and workflows they see.
pub fn for_person<'a>(
    items: &'a [WorkItem],
    workflows: &[Workflow],
    person: Option<i64>,
    today: Date,
) -> PersonDigest<'a> {
    let week = digest(items, today);
    PersonDigest {
        launches: week.launches,
        blocked: week.blocked,
        to_approve: person
            .map(|p| awaiting(items, workflows, p))
            .unwrap_or_default(),
    }
}

/// Soonest planned launch first (work without a date last), then oldest first.
fn by_launch(items: &mut [&WorkItem]) {
    items.sort_by_key(|i| (i.planned_launch.is_none(), i.planned_launch, i.id));
}

/// Whether `person` is the decision owner of the workflow `item` belongs to.
fn decides(workflows: &[Workflow], item: &WorkItem, person: i64) -> bool {
    workflows
        .iter()
        .any(|w| w.id == item.workflow_id && w.spec.decision_owner() == Some(person))
}

/// Work waiting for `person`'s approval: at a stage that needs the decision owner, in a
/// workflow whose decision owner `person` is.
pub fn awaiting<'a>(
    items: &'a [WorkItem],
    workflows: &[Workflow],
    person: i64,
) -> Vec<&'a WorkItem> {
    let mut out: Vec<&WorkItem> = items
        .iter()
        .filter(|i| i.status == WorkStatus::AwaitingApproval && decides(workflows, i, person))
        .collect();
    by_launch(&mut out);
    out
}

/// One person's open work, by what they are to do about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MyWork<'a> {
    /// Waiting for my decision: my approval as the workflow's decision owner.
    pub to_approve: Vec<&'a WorkItem>,
    /// Work I execute that is not blocked.
    pub execute: Vec<&'a WorkItem>,
    /// Work I contribute to (and do not execute) that is not blocked.
    pub contribute: Vec<&'a WorkItem>,
    /// Blocked work I execute, contribute to or decide.
    pub blocked: Vec<&'a WorkItem>,
}

impl MyWork<'_> {
    pub fn is_empty(&self) -> bool {
        self.to_approve.is_empty()
            && self.execute.is_empty()
            && self.contribute.is_empty()
            && self.blocked.is_empty()
    }
}

pub fn my_work<'a>(items: &'a [WorkItem], workflows: &[Workflow], person: i64) -> MyWork<'a> {
    let open = || {
        items
            .iter()
            .filter(|i| i.status.is_open() && i.status != WorkStatus::Blocked)
    };
    let mut execute: Vec<&WorkItem> = open()
        .filter(|i| i.execution_owner_id == Some(person))
        .collect();
    let mut contribute: Vec<&WorkItem> = open()
        .filter(|i| i.execution_owner_id != Some(person) && i.contributor_ids.contains(&person))
        .collect();
    let mut blocked: Vec<&WorkItem> = items
        .iter()
        .filter(|i| {
            i.status == WorkStatus::Blocked && (i.involves(person) || decides(workflows, i, person))
        })
        .collect();
    by_launch(&mut execute);
    by_launch(&mut contribute);
    blocked.sort_by_key(|i| (i.blocked_since, i.id));
    MyWork {
        to_approve: awaiting(items, workflows, person),
        execute,
        contribute,
        blocked,
    }
}

/// People over capacity this week, most over first (the capacity model's figures).
pub fn overloaded<'a>(loads: &[&'a PersonLoad]) -> Vec<&'a PersonLoad> {
    let mut over: Vec<&PersonLoad> = loads
        .iter()
        .copied()
        .filter(|l| l.over_capacity())
        .collect();
    over.sort_by(|a, b| {
        (b.hours() - b.capacity)
            .total_cmp(&(a.hours() - a.capacity))
            .then(a.person_id.cmp(&b.person_id))
    });
    over
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::WorkStatus;

    fn item(
        id: i64,
        status: WorkStatus,
        planned: Option<&str>,
        actual: Option<&str>,
        blocked: Option<i64>,
    ) -> WorkItem {
        WorkItem {
            id,
            workflow_id: 1,
            title: format!("W{id}"),
            execution_owner_id: None,
            contributor_ids: vec![],
            stage: 0,
            status,
            estimated_hours: 1.0,
            start_date: None,
            planned_launch: planned.map(|d| Date::parse(d).unwrap()),
            actual_launch: actual.map(|d| Date::parse(d).unwrap()),
            first_review: None,
            blocked_reason: blocked.map(|_| "x".into()),
            blocked_since: blocked,
            blocked_seconds: 0,
            revisions: 0,
            created_at: 0,
            launched_at: None,
            version: 1,
        }
    }

    #[test]
    fn the_week_digest_finds_blocked_launching_and_late_work() {
        let today = Date::parse("2026-11-25").unwrap(); // a Wednesday
        let items = vec![
            item(1, WorkStatus::Blocked, Some("2026-11-27"), None, Some(100)),
            item(2, WorkStatus::InProgress, Some("2026-11-20"), None, None),
            item(
                3,
                WorkStatus::Launched,
                Some("2026-11-20"),
                Some("2026-11-23"),
                None,
            ),
            item(4, WorkStatus::InProgress, Some("2026-12-10"), None, None),
            item(5, WorkStatus::Cancelled, Some("2026-11-26"), None, None),
        ];
        let d = digest(&items, today);
        assert_eq!(d.blocked.iter().map(|i| i.id).collect::<Vec<_>>(), [1]);
        assert_eq!(d.launches.iter().map(|i| i.id).collect::<Vec<_>>(), [3, 1]);
        assert_eq!(d.overdue.iter().map(|i| i.id).collect::<Vec<_>>(), [2]);
        assert_eq!(digest(&[], today), WeekDigest::default());
    }

    #[test]
    fn the_email_goes_out_on_monday_from_eight_on_the_teams_clock() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        // 2026-11-30 is a Monday; Berlin is UTC+1 in winter.
        let monday = Date::parse("2026-11-30").unwrap();
        let utc = |d: &str, h: i64| Date::parse(d).unwrap().0 * 86_400 + h * 3600;
        assert_eq!(email_week(utc("2026-11-30", 6), &berlin), None); // 07:00 there
        assert_eq!(email_week(utc("2026-11-30", 7), &berlin), Some(monday)); // 08:00
        assert_eq!(email_week(utc("2026-11-30", 22), &berlin), Some(monday)); // 23:00
        assert_eq!(email_week(utc("2026-11-30", 23), &berlin), None); // Tuesday 00:00
        assert_eq!(email_week(utc("2026-11-29", 12), &berlin), None); // Sunday
                                                                      // Monday 08:00 UTC is still Sunday night in Los Angeles.
        let la = Zone::parse("America/Los_Angeles").unwrap();
        assert_eq!(email_week(utc("2026-11-30", 8), &la), None);
        assert_eq!(
            email_week(utc("2026-11-30", 16), &la),
            Some(monday),
            "08:00 in California"
        );
    }

    #[test]
    fn a_persons_digest_is_the_weeks_launches_blocked_work_and_their_approvals() {
        let today = Date::parse("2026-11-25").unwrap();
        let flows = [workflow(1, 7)];
        let mut waiting = item(3, WorkStatus::AwaitingApproval, None, None, None);
        waiting.workflow_id = 1;
        let items = vec![
            item(1, WorkStatus::Blocked, None, None, Some(100)),
            item(2, WorkStatus::InProgress, Some("2026-11-27"), None, None),
            waiting,
            item(4, WorkStatus::InProgress, Some("2026-12-20"), None, None),
        ];
        let ids = |v: &[&WorkItem]| v.iter().map(|i| i.id).collect::<Vec<_>>();
        let d = for_person(&items, &flows, Some(7), today);
        assert_eq!(ids(&d.launches), [2]);
        assert_eq!(ids(&d.blocked), [1]);
        assert_eq!(ids(&d.to_approve), [3]);
        let nobody = for_person(&items, &flows, None, today);
        assert!(nobody.to_approve.is_empty() && !nobody.is_empty());
        assert!(for_person(&[], &flows, Some(7), today).is_empty());
    }

    fn workflow(id: i64, decider: i64) -> Workflow {
        let mut spec = crate::work::tests::spec(); // roles: 1 decides, 2 executes, 3 reviews
        for a in &mut spec.assignments {
            if a.role == crate::workflow::WorkflowRole::DecisionOwner {
                a.person_id = decider;
            }
        }
        Workflow {
            id,
            spec,
            created_at: 0,
            version: 1,
        }
    }

    #[test]
    fn my_work_sorts_what_i_approve_execute_contribute_to_and_what_is_blocked() {
        let me = 7;
        let flows = [workflow(1, me), workflow(2, 99)];
        let with = |id, wf, status, owner: i64, contributors: Vec<i64>, planned: Option<&str>| {
            let mut i = item(id, status, planned, None, None);
            i.workflow_id = wf;
            i.execution_owner_id = Some(owner);
            i.contributor_ids = contributors;
            if status == WorkStatus::Blocked {
                i.blocked_since = Some(id);
            }
            i
        };
        let items = vec![
            // Mine to approve (I decide workflow 1), the later launch listed last.
            with(
                1,
                1,
                WorkStatus::AwaitingApproval,
                2,
                vec![],
                Some("2026-12-20"),
            ),
            with(
                2,
                1,
                WorkStatus::AwaitingApproval,
                2,
                vec![],
                Some("2026-12-01"),
            ),
            // Waiting for someone else's approval (workflow 2): not mine to approve, but I run it.
            with(3, 2, WorkStatus::AwaitingApproval, me, vec![], None),
            with(4, 2, WorkStatus::InProgress, me, vec![], Some("2026-12-05")),
            with(5, 2, WorkStatus::Intake, 2, vec![me], None),
            // Blocked: one I contribute to, one in a workflow I decide, one of nobody I know.
            with(6, 2, WorkStatus::Blocked, 2, vec![me], None),
            with(7, 1, WorkStatus::Blocked, 2, vec![], None),
            with(8, 2, WorkStatus::Blocked, 2, vec![], None),
            // Finished work is off the plate.
            with(9, 2, WorkStatus::Done, me, vec![], None),
            with(10, 1, WorkStatus::Cancelled, me, vec![], None),
        ];
        let ids = |v: &[&WorkItem]| v.iter().map(|i| i.id).collect::<Vec<_>>();
        let m = my_work(&items, &flows, me);
        assert_eq!(ids(&m.to_approve), [2, 1]);
        assert_eq!(ids(&m.execute), [4, 3]);
        assert_eq!(ids(&m.contribute), [5]);
        assert_eq!(ids(&m.blocked), [6, 7]);
        assert_eq!(ids(&awaiting(&items, &flows, 99)), [3]);
        assert!(my_work(&items, &flows, 1234).is_empty());
    }
}
