//! What the home page says about work this week: what is stuck, what ships, what is late.

use super::WorkItem;
use crate::capacity::PersonLoad;
use crate::Date;

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
}
