//! Flow figures over work items: how many launched, how long they took, how often on time,
//! how much rework and blocking, and how much estimated work is still open. Callers choose
//! the items (one workflow's, one person's); `by_workflow` and `by_person` do the usual cuts.

use super::WorkItem;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub items: usize,
    /// Items that reached launch (launched or done since).
    pub launched: usize,
    /// Days from creation to launch, median over launched items, one decimal.
    pub cycle_median_days: Option<f64>,
    /// Days from creation to launch that 80% of launched items stayed within (nearest rank).
    pub cycle_p80_days: Option<f64>,
    /// Share (0..1) of launched items with a planned launch that launched on or before it.
    pub on_time_rate: Option<f64>,
    /// Times work was sent back for revision, per item.
    pub revisions_per_item: Option<f64>,
    /// Days spent blocked in total, including blocks still going on.
    pub blocked_days: f64,
    /// Estimated hours of the items still open.
    pub open_hours: f64,
}

/// Rounded, and never -0 (the sum of nothing is -0.0 in Rust, which would print as "-0").
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f + 0.0
}

/// Days from creation to launch, one decimal; `None` for work not launched.
pub fn cycle_days(item: &WorkItem) -> Option<f64> {
    item.launched_at
        .map(|l| round((l - item.created_at).max(0) as f64 / 86_400.0, 1))
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some(round((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0, 1)),
    }
}

/// The nearest-rank percentile: the smallest value with at least `p`% of values at or below it.
fn nearest_rank(sorted: &[f64], p: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

pub fn figures(items: &[&WorkItem], now: i64) -> Figures {
    let mut cycles: Vec<f64> = items.iter().filter_map(|i| cycle_days(i)).collect();
    cycles.sort_by(f64::total_cmp);
    let planned: Vec<bool> = items
        .iter()
        .filter(|i| i.launched_at.is_some())
        .filter_map(|i| {
            let planned = i.planned_launch?;
            // A launch always records its day (in the workspace's zone) with its moment.
            let actual = i.actual_launch?;
            Some(actual <= planned)
        })
        .collect();
    let on_time_rate = (!planned.is_empty()).then(|| {
        round(
            planned.iter().filter(|ok| **ok).count() as f64 / planned.len() as f64,
            2,
        )
    });
    let revisions_per_item = (!items.is_empty()).then(|| {
        round(
            items.iter().map(|i| i.revisions).sum::<i64>() as f64 / items.len() as f64,
            2,
        )
    });
    Figures {
        items: items.len(),
        launched: items.iter().filter(|i| i.launched_at.is_some()).count(),
        cycle_median_days: median(&cycles),
        cycle_p80_days: nearest_rank(&cycles, 80),
        on_time_rate,
        revisions_per_item,
        blocked_days: round(items.iter().map(|i| i.blocked_days(now)).sum(), 1),
        open_hours: round(
            items
                .iter()
                .filter(|i| i.status.is_open())
                .map(|i| i.estimated_hours)
                .sum(),
            1,
        ),
    }
}

fn grouped(
    items: &[WorkItem],
    now: i64,
    key: impl Fn(&WorkItem) -> Option<i64>,
) -> Vec<(i64, Figures)> {
    let mut groups: BTreeMap<i64, Vec<&WorkItem>> = BTreeMap::new();
    for i in items {
        if let Some(k) = key(i) {
            groups.entry(k).or_default().push(i);
        }
    }
    groups
        .into_iter()
        .map(|(k, v)| (k, figures(&v, now)))
        .collect()
}

/// Figures per workflow id, in id order.
pub fn by_workflow(items: &[WorkItem], now: i64) -> Vec<(i64, Figures)> {
    grouped(items, now, |i| Some(i.workflow_id))
}

/// Figures per execution owner, in person id order; items without an owner are left out.
pub fn by_person(items: &[WorkItem], now: i64) -> Vec<(i64, Figures)> {
    grouped(items, now, |i| i.execution_owner_id)
}

/// Estimated hours of open work per execution owner (who carries the estimate), in person id
/// order; people without open work are left out.
pub fn open_hours_by_person(items: &[WorkItem]) -> Vec<(i64, f64)> {
    let mut out: BTreeMap<i64, f64> = BTreeMap::new();
    for i in items.iter().filter(|i| i.status.is_open()) {
        if let Some(p) = i.execution_owner_id {
            *out.entry(p).or_default() += i.estimated_hours;
        }
    }
    out.into_iter().map(|(p, h)| (p, round(h, 1))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::WorkStatus;

    const DAY: i64 = 86_400;
    const T0: i64 = 1_780_000_000;

    fn item(id: i64, status: WorkStatus) -> WorkItem {
        WorkItem {
            id,
            workflow_id: 1,
            title: format!("Item {id}"),
            execution_owner_id: Some(7),
            contributor_ids: vec![],
            stage: 0,
            status,
            estimated_hours: 0.0,
            start_date: None,
            planned_launch: None,
            actual_launch: None,
            first_review: None,
            blocked_reason: None,
            blocked_since: None,
            blocked_seconds: 0,
            revisions: 0,
            created_at: T0,
            launched_at: None,
            version: 1,
        }
    }

    /// Launched `days` after creation, planned for `planned` days after creation.
    fn launched(id: i64, days: f64, planned: Option<i64>) -> WorkItem {
        let mut i = item(id, WorkStatus::Launched);
        let at = T0 + (days * DAY as f64) as i64;
        i.launched_at = Some(at);
        i.actual_launch = Some(crate::Zone::utc().date_of(at));
        i.planned_launch = planned.map(|d| crate::Zone::utc().date_of(T0).add_days(d));
        i
    }

    fn refs(items: &[WorkItem]) -> Vec<&WorkItem> {
        items.iter().collect()
    }

    #[test]
    fn figures_of_no_items_are_zero_and_unknown() {
        let f = figures(&[], T0);
        assert_eq!(
            f,
            Figures {
                items: 0,
                launched: 0,
                cycle_median_days: None,
                cycle_p80_days: None,
                on_time_rate: None,
                revisions_per_item: None,
                blocked_days: 0.0,
                open_hours: 0.0,
            }
        );
    }

    #[test]
    fn cycle_time_runs_from_creation_to_launch_with_one_decimal() {
        assert_eq!(cycle_days(&launched(1, 2.25, None)), Some(2.3));
        assert_eq!(cycle_days(&item(2, WorkStatus::InProgress)), None);
    }

    #[test]
    fn median_and_p80_of_an_odd_count_follow_nearest_rank() {
        // Cycles 1, 2, 3, 4, 10: median 3; 80% of 5 is rank 4, so 4.
        let items: Vec<_> = [10.0, 1.0, 3.0, 2.0, 4.0]
            .iter()
            .enumerate()
            .map(|(n, d)| launched(n as i64, *d, None))
            .collect();
        let f = figures(&refs(&items), T0);
        assert_eq!(f.cycle_median_days, Some(3.0));
        assert_eq!(f.cycle_p80_days, Some(4.0));
        assert_eq!((f.items, f.launched), (5, 5));
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        // Cycles 1, 2, 5, 8: median (2+5)/2 = 3.5; 80% of 4 = 3.2, rank 4, so 8.
        let items: Vec<_> = [8.0, 1.0, 5.0, 2.0]
            .iter()
            .enumerate()
            .map(|(n, d)| launched(n as i64, *d, None))
            .collect();
        let f = figures(&refs(&items), T0);
        assert_eq!(f.cycle_median_days, Some(3.5));
        assert_eq!(f.cycle_p80_days, Some(8.0));
    }

    #[test]
    fn on_time_counts_launched_items_with_a_plan_only() {
        let items = vec![
            launched(1, 3.0, Some(5)), // early
            launched(2, 5.0, Some(5)), // on the day
            launched(3, 9.0, Some(5)), // late
            launched(4, 9.0, None),    // no plan: not counted
            {
                let mut i = item(5, WorkStatus::InProgress); // open: not counted
                i.planned_launch = Some(crate::Zone::utc().date_of(T0));
                i
            },
        ];
        let f = figures(&refs(&items), T0 + 20 * DAY);
        assert_eq!(f.on_time_rate, Some(0.67));
        assert_eq!(f.launched, 4);
        assert_eq!(figures(&refs(&items[3..]), T0).on_time_rate, None);
    }

    #[test]
    fn nothing_open_is_zero_hours_not_minus_zero() {
        let f = figures(&[], 0);
        assert_eq!(format!("{} {}", f.open_hours, f.blocked_days), "0 0");
    }

    #[test]
    fn revisions_blocked_days_and_open_hours_add_up() {
        let mut a = item(1, WorkStatus::Blocked);
        a.revisions = 2;
        a.estimated_hours = 6.5;
        a.blocked_seconds = DAY; // one earlier day
        a.blocked_since = Some(T0); // blocked again, for 2 days by `now`
        let mut b = item(2, WorkStatus::AwaitingApproval);
        b.revisions = 1;
        b.estimated_hours = 3.0;
        let mut c = launched(3, 4.0, None);
        c.estimated_hours = 20.0; // launched: no longer open
        let items = vec![a, b, c];
        let f = figures(&refs(&items), T0 + 2 * DAY);
        assert_eq!(f.revisions_per_item, Some(1.0));
        assert_eq!(f.blocked_days, 3.0);
        assert_eq!(f.open_hours, 9.5);
    }

    #[test]
    fn figures_split_by_workflow_and_by_person() {
        let mut a = launched(1, 2.0, None);
        a.workflow_id = 20;
        let mut b = item(2, WorkStatus::Intake);
        b.workflow_id = 10;
        b.execution_owner_id = Some(3);
        let mut c = item(3, WorkStatus::Intake);
        c.execution_owner_id = None;
        let items = vec![a, b, c];
        let w = by_workflow(&items, T0);
        assert_eq!(
            w.iter().map(|(id, f)| (*id, f.items)).collect::<Vec<_>>(),
            [(1, 1), (10, 1), (20, 1)]
        );
        assert_eq!(w[2].1.launched, 1);
        let p = by_person(&items, T0);
        assert_eq!(
            p.iter().map(|(id, f)| (*id, f.items)).collect::<Vec<_>>(),
            [(3, 1), (7, 1)]
        );
    }

    #[test]
    fn open_hours_belong_to_the_execution_owner_of_open_items() {
        let mut a = item(1, WorkStatus::InProgress);
        a.estimated_hours = 4.0;
        a.contributor_ids = vec![9];
        let mut b = item(2, WorkStatus::Blocked);
        b.estimated_hours = 2.5;
        let mut c = item(3, WorkStatus::Intake);
        c.estimated_hours = 1.0;
        c.execution_owner_id = Some(2);
        let mut d = item(4, WorkStatus::Done);
        d.estimated_hours = 50.0;
        let mut e = item(5, WorkStatus::Intake);
        e.estimated_hours = 8.0;
        e.execution_owner_id = None;
        assert_eq!(open_hours_by_person(&[a, b, c, d, e]), [(2, 1.0), (7, 6.5)]);
        assert!(open_hours_by_person(&[]).is_empty());
    }
}
